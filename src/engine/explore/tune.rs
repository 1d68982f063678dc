//! Tuning the learning rate: the rate whose run gets lowest in a given number of updates.

use std::ops::RangeInclusive;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use super::{ScanError, run_job, with_learning_rate};
use crate::engine::map::{Axis, AxisName, CellOutcome, CellStatus, MapJob};
use crate::engine::objective::Objective;
use crate::engine::run::{MAX_ITERATIONS, RunSettings};
use crate::engine::{Domain, Point};

/// The learning rates a tune tries first (the learning-rate slider's range).
pub const TUNE_RANGE: RangeInclusive<f64> = 1e-5..=10.0;

/// Rates on the first, log-spaced grid over [`TUNE_RANGE`] (8 per decade).
pub const TUNE_GRID: usize = 49;

/// Rates on the second grid, log-spaced between the best first rate's neighbours.
pub const TUNE_REFINED: usize = 17;

/// The best learning rate a tune found.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tuned {
    /// The learning rate (w's; b's own keeps its ratio to it).
    pub learning_rate: f64,
    /// J where its run stopped: replaying [`tuned_settings`] gives exactly this.
    pub cost: f64,
    /// How its run ended.
    pub status: CellStatus,
}

/// The run a tune measures at `learning_rate`: `base` stopping after `iterations` updates
/// (no epoch limit), its other stopping rules kept, b's own rate kept at its ratio.
pub fn tuned_settings(base: &RunSettings, iterations: u64, learning_rate: f64) -> RunSettings {
    let limited = RunSettings {
        max_iterations: iterations,
        max_epochs: None,
        ..base.clone()
    };
    with_learning_rate(&limited, learning_rate)
}

/// Finds the learning rate whose run reaches the lowest cost within `iterations` updates:
/// [`TUNE_GRID`] log-spaced rates over [`TUNE_RANGE`], then [`TUNE_REFINED`] log-spaced
/// rates between the neighbours of the best one. A diverged run (or one undefined at its
/// start) counts as worst; of equal costs the smaller rate wins. Each run is the one
/// [`tuned_settings`] describes, so the same stopping rules hold as in a race, and the
/// result is deterministic. `progress` hears the fraction of runs done.
pub fn tune_learning_rate(
    objective: Arc<dyn Objective>,
    base: &RunSettings,
    iterations: u64,
    minima: &[Point],
    domain: Domain,
    cancel: Option<&AtomicBool>,
    progress: &(dyn Fn(f32) + Sync),
) -> Result<Tuned, ScanError> {
    if iterations > MAX_ITERATIONS {
        return Err(ScanError::Invalid(format!(
            "tuning: at most {MAX_ITERATIONS} iterations, not {iterations}"
        )));
    }
    let limited = RunSettings {
        max_iterations: iterations,
        max_epochs: None,
        ..base.clone()
    };
    let total = (TUNE_GRID + TUNE_REFINED) as f32;
    let grid = |lo: f64, hi: f64, count: usize| Axis {
        name: AxisName::LrKeepRatio,
        lo,
        hi,
        log: true,
        count,
    };
    let sweep = |axis: Axis, done: usize| -> Result<Vec<CellOutcome>, ScanError> {
        let job = MapJob::new(
            Arc::clone(&objective),
            limited.clone(),
            axis,
            None,
            minima.to_vec(),
            domain,
        )
        .map_err(|m| ScanError::Invalid(format!("tuning: {m}")))?;
        let count = axis.count as f32;
        let report = |f: f32| progress((done as f32 + f * count) / total);
        run_job(&job, None, cancel, &report)
    };
    let coarse = grid(*TUNE_RANGE.start(), *TUNE_RANGE.end(), TUNE_GRID);
    let first = sweep(coarse, 0)?;
    let best = best_of(&first).ok_or(ScanError::Interrupted)?;
    let rates = coarse.values();
    let (lo, hi) = (
        rates[best.saturating_sub(1)],
        rates[(best + 1).min(rates.len() - 1)],
    );
    let second = sweep(grid(lo, hi, TUNE_REFINED), TUNE_GRID)?;
    let all: Vec<CellOutcome> = first.into_iter().chain(second).collect();
    let winner = best_of(&all)
        .and_then(|i| all.get(i))
        .ok_or(ScanError::Interrupted)?;
    Ok(Tuned {
        learning_rate: winner.x,
        cost: winner.cost,
        status: winner.status,
    })
}

/// The index of the best outcome: lowest cost, diverged and undefined runs (and NaN costs)
/// worst, the smaller rate first among equals.
fn best_of(outcomes: &[CellOutcome]) -> Option<usize> {
    let score = |o: &CellOutcome| match o.status {
        CellStatus::Diverged | CellStatus::Undefined => f64::INFINITY,
        _ if o.cost.is_nan() => f64::INFINITY,
        _ => o.cost,
    };
    outcomes
        .iter()
        .enumerate()
        .min_by(|(_, a), (_, b)| score(a).total_cmp(&score(b)).then(a.x.total_cmp(&b.x)))
        .map(|(i, _)| i)
}
