//! The learning-rate scan: one run per learning rate on a log grid, all in lockstep.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use super::{ScanError, check_rates, nearest_minimum, run_job};
use crate::engine::map::{Axis, AxisName, CellStatus, MapJob, TracePoint};
use crate::engine::objective::Objective;
use crate::engine::run::{MAX_ITERATIONS, RunSettings};
use crate::engine::{Domain, Point};

/// The most costs a scan holds (rates x (iterations + 1)): 256 MB of them.
const MAX_SCAN_VALUES: usize = 1 << 25;

/// What a [`LearningRateScan`] runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LearningRateScanSpec {
    /// The smallest learning rate (above 0).
    pub lo: f64,
    /// The largest learning rate.
    pub hi: f64,
    /// How many learning rates, log-spaced from `lo` to `hi`, both included.
    pub count: usize,
    /// Updates each run takes (unless it diverges first).
    pub iterations: u64,
    /// How many of each run's last iterates to keep, for the bifurcation diagram (e.g. 64).
    pub late: usize,
}

/// The cost of one run per learning rate at every iteration: where gradient descent settles,
/// where it starts to oscillate (period 2, 4, ... then chaos) and where it blows up.
///
/// The scan turns the base run's convergence tests (epsilon and the gradient tolerance) off,
/// so every run takes exactly `iterations` updates unless it diverges: a run that settles
/// keeps stepping, and its last iterates show where it settled (a bifurcation diagram needs
/// them). Everything else (optimizer, start, seed, schedule, noise, clipping) is the base
/// run's. With a learning rate of b's own, b's rate keeps its ratio to w's.
#[derive(Clone, Debug, PartialEq)]
pub struct LearningRateScan {
    /// The learning rates (of w), log-spaced from `lo` to `hi`.
    pub rates: Vec<f64>,
    /// Updates each run took at most.
    pub iterations: u64,
    /// Row-major by iteration: `cost[t * rates.len() + i]` is J after t updates (t = 0 to
    /// `iterations`) of the run at `rates[i]`, bit for bit the single run's cost history.
    /// From the iteration a run diverges at (0 when J is undefined at the start) its column
    /// holds `f64::INFINITY`; after a run that stopped early its last cost repeats. NaN on
    /// the rows of a mini-batch run that skip the full-data cost.
    pub cost: Vec<f64>,
    /// How each run ended.
    pub status: Vec<CellStatus>,
    /// J after each run's last update (`f64::INFINITY` if it diverged).
    pub final_cost: Vec<f64>,
    /// Each run's last `late` iterates `[w, b]`, oldest first (empty if it diverged).
    pub late: Vec<Vec<[f64; 2]>>,
    /// How far each run's last point is from the nearest known minimum (`f64::INFINITY`
    /// without known minima or when it diverged).
    pub minima_distance: Vec<f64>,
}

impl LearningRateScan {
    /// Runs the scan on all threads of the current rayon pool. `minima` are the problem's
    /// known minima, `domain` its region (a run counts as reaching a minimum within 1% of its
    /// larger side). `progress` hears the fraction of runs done, from worker threads; setting
    /// `cancel` stops the scan soon after with [`ScanError::Interrupted`].
    pub fn compute(
        objective: Arc<dyn Objective>,
        base: &RunSettings,
        minima: &[Point],
        domain: Domain,
        spec: &LearningRateScanSpec,
        cancel: Option<&AtomicBool>,
        progress: &(dyn Fn(f32) + Sync),
    ) -> Result<Self, ScanError> {
        check_rates("the learning-rate scan", spec.lo, spec.hi, spec.count)?;
        if spec.iterations > MAX_ITERATIONS {
            return Err(ScanError::Invalid(format!(
                "the learning-rate scan: at most {MAX_ITERATIONS} iterations, not {}",
                spec.iterations
            )));
        }
        let n = spec.count;
        let rows = usize::try_from(spec.iterations)
            .ok()
            .and_then(|t| t.checked_add(1))
            .filter(|rows| rows.checked_mul(n).is_some_and(|v| v <= MAX_SCAN_VALUES))
            .ok_or_else(|| {
                ScanError::Invalid(format!(
                    "the learning-rate scan: {n} rates x {} iterations is too many costs to \
                     keep (at most {MAX_SCAN_VALUES}); use fewer rates or iterations",
                    spec.iterations
                ))
            })?;
        let settings = RunSettings {
            epsilon: None,
            grad_tol: None,
            max_iterations: spec.iterations,
            max_epochs: None,
            ..base.clone()
        };
        let axis = Axis {
            name: AxisName::LrKeepRatio,
            lo: spec.lo,
            hi: spec.hi,
            log: true,
            count: n,
        };
        let job = MapJob::new(objective, settings, axis, None, minima.to_vec(), domain)
            .map_err(|m| ScanError::Invalid(format!("the learning-rate scan: {m}")))?;
        let rates = axis.values();

        let cost = Mutex::new(vec![f64::NAN; rows * n]);
        let late = Mutex::new(vec![Vec::new(); n]);
        let keep = spec.late;
        let on_trace = |cell: usize, trace: &[TracePoint]| {
            {
                let mut cost = cost.lock().unwrap_or_else(PoisonError::into_inner);
                for row in trace {
                    let at = usize::try_from(row.iteration)
                        .ok()
                        .and_then(|t| t.checked_mul(n))
                        .and_then(|i| i.checked_add(cell));
                    if let Some(c) = at.and_then(|i| cost.get_mut(i)) {
                        *c = row.cost;
                    }
                }
            }
            let last = &trace[trace.len().saturating_sub(keep)..];
            let points = last.iter().map(|r| [r.w, r.b]).collect();
            let mut late = late.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(slot) = late.get_mut(cell) {
                *slot = points;
            }
        };
        let outcomes = run_job(&job, Some(&on_trace), cancel, progress)?;

        let mut cost = cost.into_inner().unwrap_or_else(PoisonError::into_inner);
        let mut late = late.into_inner().unwrap_or_else(PoisonError::into_inner);
        let mut final_cost = Vec::with_capacity(n);
        let mut minima_distance = Vec::with_capacity(n);
        for (i, outcome) in outcomes.iter().enumerate() {
            let end = usize::try_from(outcome.iterations).unwrap_or(usize::MAX);
            let diverged = matches!(outcome.status, CellStatus::Diverged | CellStatus::Undefined);
            let fill = if diverged {
                f64::INFINITY
            } else {
                outcome.cost
            };
            let from = if diverged { end } else { end.saturating_add(1) };
            for t in from..rows {
                cost[t * n + i] = fill;
            }
            if diverged {
                late[i].clear();
                final_cost.push(f64::INFINITY);
                minima_distance.push(f64::INFINITY);
            } else {
                final_cost.push(outcome.cost);
                minima_distance.push(
                    nearest_minimum(minima, [outcome.w, outcome.b])
                        .map_or(f64::INFINITY, |(_, d)| d),
                );
            }
        }
        Ok(Self {
            rates,
            iterations: spec.iterations,
            cost,
            status: outcomes.iter().map(|o| o.status).collect(),
            final_cost,
            late,
            minima_distance,
        })
    }

    /// J after `iteration` updates of the run at `rates[rate_index]` (NaN outside the scan).
    pub fn cost_at(&self, iteration: u64, rate_index: usize) -> f64 {
        if rate_index >= self.rates.len() {
            return f64::NAN;
        }
        usize::try_from(iteration)
            .ok()
            .and_then(|t| t.checked_mul(self.rates.len()))
            .and_then(|i| i.checked_add(rate_index))
            .and_then(|i| self.cost.get(i))
            .copied()
            .unwrap_or(f64::NAN)
    }
}
