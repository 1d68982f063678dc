//! Datasets for data-fit problems: one input feature `x` and one label `y` per example.

/// Training examples: `x[i]` is the input feature of example i and `y[i]` its label.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dataset {
    /// Input feature of each example.
    pub x: Vec<f64>,
    /// Label of each example.
    pub y: Vec<f64>,
}

impl Dataset {
    /// The number of examples m.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// True when there are no examples.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
}
