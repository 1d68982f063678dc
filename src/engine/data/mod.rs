//! Datasets for data-fit problems: one input feature `x` and one label `y` per example.
//!
//! A dataset comes from a CSV file ([`Dataset::from_csv_path`], format in [`csv_file`]), from a
//! seeded generator ([`LinearData`], [`ClassData`]), or by name through [`load_dataset`]
//! (`house-prices`, `linear`, `classes`, or a file path).

pub mod csv_file;
mod error;
mod registry;
mod synthetic;

pub use csv_file::{MAX_EXAMPLES, MAX_FILE_BYTES};
pub use error::DataError;
pub use registry::{DATASETS, DatasetInfo, HOUSE_PRICES_CSV, load_dataset, names_a_file};
pub use synthetic::{ClassData, LinearData};

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
