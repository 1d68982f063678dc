//! The recorded trajectory of a run, one row per iteration, stored column by column.

use crate::engine::Point;
use crate::engine::optim::MAX_STATE_SLOTS;

use super::number::shortest;

/// One row of a run's history, copied out of the columns.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Record {
    /// Updates taken so far (row index t).
    pub iteration: u64,
    /// Epochs completed after `iteration` updates.
    pub epoch: u64,
    /// `[w, b]` after `iteration` updates.
    pub params: Point,
    /// Full-data cost J at `params`.
    pub cost: f64,
    /// Full-data gradient of J at `params`.
    pub gradient: [f64; 2],
    /// Cost of the mini-batch used by the update that led here (NaN in row 0).
    pub batch_cost: f64,
    /// Gradient the update that led here used: the batch's mean gradient after simulated
    /// noise and clipping (NaN in row 0).
    pub batch_gradient: [f64; 2],
    /// The learning rate the next update will use (torch's `get_last_lr()` after
    /// `iteration` scheduler steps).
    pub learning_rate: f64,
}

/// The CSV columns of a trajectory row (`losscape run` and the app's CSV export).
pub const CSV_COLUMNS: [&str; 8] = [
    "iteration",
    "epoch",
    "w",
    "b",
    "cost",
    "grad_w",
    "grad_b",
    "lr",
];

impl Record {
    /// The row's fields in [`CSV_COLUMNS`] order, numbers in their shortest exact form.
    pub fn csv_fields(&self) -> [String; 8] {
        [
            self.iteration.to_string(),
            self.epoch.to_string(),
            shortest(self.params[0]),
            shortest(self.params[1]),
            shortest(self.cost),
            shortest(self.gradient[0]),
            shortest(self.gradient[1]),
            shortest(self.learning_rate),
        ]
    }
}

/// Columns of a run's recorded history; row t is the state after t updates.
///
/// About 88 bytes per row plus 8 per optimizer state number (at most 48): a million
/// iterations take around 100 MB. Columns are plain slices, ready for plotting.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    iterations_per_epoch: u64,
    params: Vec<Point>,
    cost: Vec<f64>,
    gradient: Vec<[f64; 2]>,
    batch_cost: Vec<f64>,
    batch_gradient: Vec<[f64; 2]>,
    learning_rate: Vec<f64>,
    state_width: usize,
    state: Vec<f64>,
}

impl History {
    /// An empty history; an epoch has `iterations_per_epoch` updates and each row records
    /// `state_width` optimizer numbers.
    pub(crate) fn new(iterations_per_epoch: u64, state_width: usize, capacity: usize) -> Self {
        Self {
            iterations_per_epoch: iterations_per_epoch.max(1),
            params: Vec::with_capacity(capacity),
            cost: Vec::with_capacity(capacity),
            gradient: Vec::with_capacity(capacity),
            batch_cost: Vec::with_capacity(capacity),
            batch_gradient: Vec::with_capacity(capacity),
            learning_rate: Vec::with_capacity(capacity),
            state_width: state_width.min(MAX_STATE_SLOTS),
            state: Vec::with_capacity(capacity * state_width.min(MAX_STATE_SLOTS)),
        }
    }

    /// Appends one row. `state` holds at least `state_width` numbers.
    #[inline]
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn push(
        &mut self,
        params: Point,
        cost: f64,
        gradient: [f64; 2],
        batch_cost: f64,
        batch_gradient: [f64; 2],
        learning_rate: f64,
        state: &[f64],
    ) {
        self.params.push(params);
        self.cost.push(cost);
        self.gradient.push(gradient);
        self.batch_cost.push(batch_cost);
        self.batch_gradient.push(batch_gradient);
        self.learning_rate.push(learning_rate);
        self.state
            .extend_from_slice(&state[..self.state_width.min(state.len())]);
    }

    /// Number of rows (iterations recorded plus the start).
    pub fn len(&self) -> usize {
        self.params.len()
    }

    /// True before the start point is recorded.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// Updates per epoch (1 for function problems).
    pub fn iterations_per_epoch(&self) -> u64 {
        self.iterations_per_epoch
    }

    /// Epochs completed after `iteration` updates.
    pub fn epoch_of(&self, iteration: u64) -> u64 {
        iteration / self.iterations_per_epoch
    }

    /// `[w, b]` of every row.
    pub fn params(&self) -> &[Point] {
        &self.params
    }

    /// Full-data cost of every row.
    pub fn costs(&self) -> &[f64] {
        &self.cost
    }

    /// Full-data gradient of every row.
    pub fn gradients(&self) -> &[[f64; 2]] {
        &self.gradient
    }

    /// Batch cost of every row (NaN in row 0).
    pub fn batch_costs(&self) -> &[f64] {
        &self.batch_cost
    }

    /// Gradient used by the update leading to every row (NaN in row 0).
    pub fn batch_gradients(&self) -> &[[f64; 2]] {
        &self.batch_gradient
    }

    /// The learning rate the next update uses, per row.
    pub fn learning_rates(&self) -> &[f64] {
        &self.learning_rate
    }

    /// How many optimizer state numbers each row holds.
    pub fn state_width(&self) -> usize {
        self.state_width
    }

    /// The optimizer's saved state after `iteration` updates (see
    /// [`crate::engine::optim::Optimizer::describe_state`]).
    pub fn saved_state(&self, iteration: usize) -> Option<&[f64]> {
        let w = self.state_width;
        self.state.get(iteration * w..(iteration + 1) * w)
    }

    /// Row `iteration`, if recorded.
    pub fn get(&self, iteration: usize) -> Option<Record> {
        Some(Record {
            iteration: iteration as u64,
            epoch: self.epoch_of(iteration as u64),
            params: *self.params.get(iteration)?,
            cost: *self.cost.get(iteration)?,
            gradient: *self.gradient.get(iteration)?,
            batch_cost: *self.batch_cost.get(iteration)?,
            batch_gradient: *self.batch_gradient.get(iteration)?,
            learning_rate: *self.learning_rate.get(iteration)?,
        })
    }

    /// The last row.
    pub fn last(&self) -> Option<Record> {
        self.len().checked_sub(1).and_then(|t| self.get(t))
    }

    /// True when both histories hold the same rows bit for bit (NaN equal to NaN, unlike
    /// `==`): the test of determinism.
    pub fn bit_identical(&self, other: &Self) -> bool {
        fn bits(v: &[f64]) -> impl Iterator<Item = u64> + '_ {
            v.iter().map(|x| x.to_bits())
        }
        fn pairs(v: &[[f64; 2]]) -> &[f64] {
            v.as_flattened()
        }
        self.iterations_per_epoch == other.iterations_per_epoch
            && self.state_width == other.state_width
            && bits(pairs(&self.params)).eq(bits(pairs(&other.params)))
            && bits(&self.cost).eq(bits(&other.cost))
            && bits(pairs(&self.gradient)).eq(bits(pairs(&other.gradient)))
            && bits(&self.batch_cost).eq(bits(&other.batch_cost))
            && bits(pairs(&self.batch_gradient)).eq(bits(pairs(&other.batch_gradient)))
            && bits(&self.learning_rate).eq(bits(&other.learning_rate))
            && bits(&self.state).eq(bits(&other.state))
    }

    /// Every row in order.
    pub fn iter(&self) -> impl Iterator<Item = Record> + '_ {
        (0..self.len()).filter_map(|t| self.get(t))
    }
}
