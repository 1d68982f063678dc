//! Questions about a problem that take many runs, built on the map job (lockstep blocks on
//! every core, cancellable, each run bit for bit the single [`Run`](crate::engine::run::Run)):
//!
//! - [`LearningRateScan`]: one run per learning rate on a log grid, the cost of each at every
//!   iteration and its last iterates (a bifurcation diagram),
//! - [`stability_limit`]: the largest learning rate that still settles into a minimum, from
//!   the curvature there,
//! - [`range_test`]: one run whose learning rate grows every iteration (a learning-rate
//!   finder), with a suggested rate,
//! - [`tune_learning_rate`]: the learning rate that gets lowest in a given number of updates,
//! - [`ensemble`]: the same run with many seeds, its spread and which minimum it ends in.

mod ensemble;
mod learning_rate;
mod limit;
mod range_test;
mod tune;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

pub use ensemble::{Ensemble, SeedOdds, ensemble, is_stochastic, percentile, seed_odds};
pub use learning_rate::{LearningRateScan, LearningRateScanSpec};
pub use limit::{StabilityLimit, stability_limit};
pub use range_test::{
    RANGE_TEST_SMOOTHING, RANGE_TEST_STOP_FACTOR, RangeTest, RangeTestSpec, range_test,
};
pub use tune::{TUNE_GRID, TUNE_RANGE, TUNE_REFINED, Tuned, tune_learning_rate, tuned_settings};

pub use crate::engine::map::{CellOutcome, CellStatus};

use crate::engine::Point;
use crate::engine::map::{AxisName, CellOrder, Interrupted, MapJob, MapSink, TracePoint};
use crate::engine::run::RunSettings;

/// Why a scan gave no result.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ScanError {
    /// It was cancelled before it finished.
    Interrupted,
    /// Its settings cannot make the runs; the text says which and why.
    Invalid(String),
}

impl fmt::Display for ScanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Interrupted => f.write_str("the scan was cancelled"),
            Self::Invalid(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for ScanError {}

impl From<Interrupted> for ScanError {
    fn from(_: Interrupted) -> Self {
        Self::Interrupted
    }
}

/// `base` with w's learning rate set to `rate`. When b has a learning rate of its own, it
/// keeps its ratio to w's (both scale together), as every scan here varies the rate. Base
/// settings with a rate of b's own and w's rate 0 have no ratio: b's rate then stays.
pub fn with_learning_rate(base: &RunSettings, rate: f64) -> RunSettings {
    let mut settings = base.clone();
    if AxisName::LrKeepRatio
        .apply(&mut settings, [0.0; 2], rate)
        .is_err()
    {
        settings.learning_rate = rate;
    }
    settings
}

/// The known minimum nearest to `p` and its distance (None without minima).
pub(crate) fn nearest_minimum(minima: &[Point], p: Point) -> Option<(usize, f64)> {
    minima
        .iter()
        .enumerate()
        .map(|(i, m)| (i, (m[0] - p[0]).hypot(m[1] - p[1])))
        .filter(|(_, d)| !d.is_nan())
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// What a scan does with each finished run's iterates.
type OnTrace<'a> = &'a (dyn Fn(usize, &[TracePoint]) + Sync);

/// Gathers a job's outcomes in cell order, hands traces on and reports progress.
struct Gather<'a> {
    outcomes: Mutex<Vec<Option<CellOutcome>>>,
    done: AtomicUsize,
    progress: &'a (dyn Fn(f32) + Sync),
    on_trace: Option<OnTrace<'a>>,
}

impl MapSink for Gather<'_> {
    fn finished(&self, cells: &[(usize, CellOutcome)]) {
        let total = {
            let mut all = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
            for &(cell, outcome) in cells {
                if let Some(slot) = all.get_mut(cell) {
                    *slot = Some(outcome);
                }
            }
            all.len()
        };
        let done = self.done.fetch_add(cells.len(), Ordering::Relaxed) + cells.len();
        (self.progress)(done as f32 / total.max(1) as f32);
    }

    fn trace(&self, cell: usize, rows: &[TracePoint]) {
        if let Some(on_trace) = self.on_trace {
            on_trace(cell, rows);
        }
    }
}

/// Runs every cell of `job` on the current rayon pool: the outcomes in cell order, the
/// iterates of each run handed to `on_trace` as it finishes.
fn run_job(
    job: &MapJob,
    on_trace: Option<OnTrace<'_>>,
    cancel: Option<&AtomicBool>,
    progress: &(dyn Fn(f32) + Sync),
) -> Result<Vec<CellOutcome>, ScanError> {
    let sink = Gather {
        outcomes: Mutex::new(vec![None; job.cell_count()]),
        done: AtomicUsize::new(0),
        progress,
        on_trace,
    };
    job.run_into(CellOrder::Rows, on_trace.is_some(), cancel, &sink)?;
    let outcomes: Option<Vec<CellOutcome>> = sink
        .outcomes
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .collect();
    outcomes.ok_or_else(|| ScanError::Invalid("a run of the scan did not finish".to_owned()))
}

/// Checks a learning-rate range `lo..=hi` with `count` values on a log scale.
fn check_rates(what: &str, lo: f64, hi: f64, count: usize) -> Result<(), ScanError> {
    let invalid = |m: String| Err(ScanError::Invalid(m));
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0) {
        return invalid(format!(
            "{what}: the learning rates must be positive numbers (from {lo} to {hi})"
        ));
    }
    let top = *crate::engine::limits::LEARNING_RATE_RANGE.end();
    if hi > top {
        return invalid(format!(
            "{what}: the largest learning rate is {top}, not {hi}"
        ));
    }
    if count == 0 {
        return invalid(format!("{what}: it needs at least one learning rate"));
    }
    if lo > hi || (count > 1 && lo == hi) {
        return invalid(format!(
            "{what}: the smallest learning rate {lo} must be below the largest {hi}"
        ));
    }
    Ok(())
}
