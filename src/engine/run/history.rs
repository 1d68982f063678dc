//! The recorded trajectory of a run, one row per iteration, stored column by column.
//!
//! Every row holds the parameters, the mini-batch cost and gradient the update used, the
//! learning rate and the optimizer's state. The full-data cost and gradient are recorded on
//! every row when they are cheap, and on a stride when one full-data evaluation costs many
//! mini-batches (see [`History::full_cost_stride`]).

use crate::engine::Point;
use crate::engine::optim::{MAX_STATE_SLOTS, Trial};

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
    /// Full-data cost J at `params`; NaN on a row without a full cost (see `has_full_cost`).
    pub cost: f64,
    /// Full-data gradient of J at `params`; NaN on a row without a full cost.
    pub gradient: [f64; 2],
    /// True when the run computed `cost` and `gradient` for this row (see
    /// [`History::full_cost_stride`]); a NaN cost on such a row is J's own value.
    pub has_full_cost: bool,
    /// Cost of the mini-batch used by the update that led here (NaN in row 0).
    pub batch_cost: f64,
    /// Gradient the update that led here used: the batch's mean gradient after simulated
    /// noise and clipping (NaN in row 0).
    pub batch_gradient: [f64; 2],
    /// The learning rate the next update will use (torch's `get_last_lr()` after
    /// `iteration` scheduler steps).
    pub learning_rate: f64,
}

/// The CSV columns of a trajectory row (`losscape run` and the app's CSV export). On a row
/// without a full cost (see [`History::full_cost_stride`]) `cost`, `grad_w` and `grad_b` are
/// empty fields, which CSV readers take as missing values.
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
    /// The row's fields in [`CSV_COLUMNS`] order, numbers in their shortest exact form; the
    /// cost and gradient fields are empty on a row without a full cost.
    pub fn csv_fields(&self) -> [String; 8] {
        let full = |v: f64| {
            if self.has_full_cost {
                shortest(v)
            } else {
                String::new()
            }
        };
        [
            self.iteration.to_string(),
            self.epoch.to_string(),
            shortest(self.params[0]),
            shortest(self.params[1]),
            full(self.cost),
            full(self.gradient[0]),
            full(self.gradient[1]),
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
    /// Rows t with t % stride == 0 hold the full-data cost (0 is read as 1).
    full_cost_stride: u64,
    /// Rows off the stride and off epoch ends that hold the full-data cost, ascending.
    full_cost_extra: Vec<usize>,
    params: Vec<Point>,
    cost: Vec<f64>,
    gradient: Vec<[f64; 2]>,
    batch_cost: Vec<f64>,
    batch_gradient: Vec<[f64; 2]>,
    learning_rate: Vec<f64>,
    state_width: usize,
    state: Vec<f64>,
    /// The trial points of rules that evaluate J themselves, row after row.
    trials: Vec<Trial>,
    /// Where each row's trials end in `trials` (one entry per row, for such rules only).
    trial_ends: Vec<usize>,
}

impl History {
    /// An empty history; an epoch has `iterations_per_epoch` updates, each row records
    /// `state_width` optimizer numbers, and rows on `full_cost_stride` (and at epoch ends)
    /// hold the full-data cost.
    pub(crate) fn new(
        iterations_per_epoch: u64,
        full_cost_stride: u64,
        state_width: usize,
        capacity: usize,
    ) -> Self {
        Self {
            iterations_per_epoch: iterations_per_epoch.max(1),
            full_cost_stride: full_cost_stride.max(1),
            full_cost_extra: Vec::new(),
            params: Vec::with_capacity(capacity),
            cost: Vec::with_capacity(capacity),
            gradient: Vec::with_capacity(capacity),
            batch_cost: Vec::with_capacity(capacity),
            batch_gradient: Vec::with_capacity(capacity),
            learning_rate: Vec::with_capacity(capacity),
            state_width: state_width.min(MAX_STATE_SLOTS),
            state: Vec::with_capacity(capacity * state_width.min(MAX_STATE_SLOTS)),
            trials: Vec::new(),
            trial_ends: Vec::new(),
        }
    }

    /// Appends one row. `full` is the full-data cost and gradient at `params` when they were
    /// computed; `state` holds at least `state_width` numbers.
    #[inline]
    pub(crate) fn push(
        &mut self,
        params: Point,
        full: Option<(f64, [f64; 2])>,
        batch_cost: f64,
        batch_gradient: [f64; 2],
        learning_rate: f64,
        state: &[f64],
    ) {
        let row = self.params.len();
        let (cost, gradient) = match full {
            Some(values) => {
                if !self.on_schedule(row) {
                    self.full_cost_extra.push(row);
                }
                values
            }
            None => (f64::NAN, [f64::NAN; 2]),
        };
        self.params.push(params);
        self.cost.push(cost);
        self.gradient.push(gradient);
        self.batch_cost.push(batch_cost);
        self.batch_gradient.push(batch_gradient);
        self.learning_rate.push(learning_rate);
        self.state
            .extend_from_slice(&state[..self.state_width.min(state.len())]);
    }

    /// Records the trial points of the update that produced the last row (rules that
    /// evaluate J themselves call this after every row, row 0 included).
    pub(crate) fn push_trials(&mut self, trials: &[Trial]) {
        self.trials.extend_from_slice(trials);
        self.trial_ends.push(self.trials.len());
    }

    /// The trial points of the update that produced row `iteration` (empty for row 0 and
    /// for rules that do not evaluate J themselves).
    pub fn trials(&self, iteration: usize) -> &[Trial] {
        let end = self.trial_ends.get(iteration).copied().unwrap_or(0);
        let start = match iteration.checked_sub(1) {
            Some(previous) => self.trial_ends.get(previous).copied().unwrap_or(end),
            None => end,
        };
        self.trials.get(start..end).unwrap_or(&[])
    }

    /// Sets the last row's learning rate: a line search's accepted step size replaces the
    /// schedule's rate as the rate the update from that row took.
    pub(crate) fn set_last_learning_rate(&mut self, learning_rate: f64) {
        if let Some(last) = self.learning_rate.last_mut() {
            *last = learning_rate;
        }
    }

    /// How often the full-data cost and gradient are recorded: 1 when on every row (function
    /// problems, data fits whose full cost is O(1) such as an affine model with mse, full-batch
    /// runs and Newton's method, which needs the full Hessian for every update anyway).
    ///
    /// A value k > 1 means one full-data evaluation costs more than
    /// [`FULL_COST_WORK_RATIO`](super::FULL_COST_WORK_RATIO) mini-batches, and only these rows
    /// hold it: every k-th row (`t % k == 0`, row 0 included), the last row of every epoch, the
    /// row a run stopped at, and a row whose update used a mini-batch cost or gradient that is
    /// not finite (so divergence is checked there). The other rows hold NaN cost and gradient
    /// and [`History::has_full_cost`] is false; a learning curve drawn from [`History::costs`]
    /// skips them, and its legend should say the full-data cost is sampled every k iterations.
    /// The mini-batch costs ([`History::batch_costs`]) are on every row.
    pub fn full_cost_stride(&self) -> u64 {
        self.full_cost_stride.max(1)
    }

    /// True when row `iteration` holds the full-data cost and gradient (see
    /// [`History::full_cost_stride`]); false for rows not recorded.
    pub fn has_full_cost(&self, iteration: usize) -> bool {
        iteration < self.len()
            && (self.on_schedule(iteration)
                || self.full_cost_extra.binary_search(&iteration).is_ok())
    }

    /// The last row that holds the full-data cost.
    pub(crate) fn last_full_cost_row(&self) -> Option<usize> {
        (0..self.len()).rev().find(|&t| self.has_full_cost(t))
    }

    /// Drops the full-data cost of the last row, when it was recorded off the schedule (the
    /// row a run stopped at, before the run was extended). Returns true if it did.
    pub(crate) fn forget_last_full_cost(&mut self) -> bool {
        let last = self.len().wrapping_sub(1);
        if self.full_cost_extra.last() != Some(&last) {
            return false;
        }
        self.full_cost_extra.pop();
        if let (Some(c), Some(g)) = (self.cost.last_mut(), self.gradient.last_mut()) {
            *c = f64::NAN;
            *g = [f64::NAN; 2];
        }
        true
    }

    /// True when row `t` is on the stride or ends an epoch.
    fn on_schedule(&self, t: usize) -> bool {
        let t = t as u64;
        // Every-row histories (the common, hot case) skip the divisions.
        self.full_cost_stride <= 1
            || t.is_multiple_of(self.full_cost_stride)
            || t.is_multiple_of(self.iterations_per_epoch.max(1))
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

    /// Full-data cost of every row (NaN on rows without one, see
    /// [`History::full_cost_stride`]).
    pub fn costs(&self) -> &[f64] {
        &self.cost
    }

    /// Full-data gradient of every row (NaN on rows without a full cost).
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
            has_full_cost: self.has_full_cost(iteration),
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
            && self.full_cost_stride() == other.full_cost_stride()
            && self.full_cost_extra == other.full_cost_extra
            && self.state_width == other.state_width
            && bits(pairs(&self.params)).eq(bits(pairs(&other.params)))
            && bits(&self.cost).eq(bits(&other.cost))
            && bits(pairs(&self.gradient)).eq(bits(pairs(&other.gradient)))
            && bits(&self.batch_cost).eq(bits(&other.batch_cost))
            && bits(pairs(&self.batch_gradient)).eq(bits(pairs(&other.batch_gradient)))
            && bits(&self.learning_rate).eq(bits(&other.learning_rate))
            && bits(&self.state).eq(bits(&other.state))
            && self.trial_ends == other.trial_ends
            && bits(
                self.trials
                    .iter()
                    .flat_map(|t| [t.params[0], t.params[1], t.cost])
                    .collect::<Vec<_>>()
                    .as_slice(),
            )
            .eq(bits(
                other
                    .trials
                    .iter()
                    .flat_map(|t| [t.params[0], t.params[1], t.cost])
                    .collect::<Vec<_>>()
                    .as_slice(),
            ))
    }

    /// Every row in order.
    pub fn iter(&self) -> impl Iterator<Item = Record> + '_ {
        (0..self.len()).filter_map(|t| self.get(t))
    }
}
