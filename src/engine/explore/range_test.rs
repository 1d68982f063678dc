//! The learning-rate range test (a "learning-rate finder"): one run whose learning rate
//! grows exponentially every iteration, watching where the cost falls fastest.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{ScanError, check_rates};
use crate::engine::objective::Objective;
use crate::engine::run::{MAX_ITERATIONS, Run, RunSettings, Schedule};

/// The decay of the cost's moving average (with bias correction, as Adam's moments).
pub const RANGE_TEST_SMOOTHING: f64 = 0.98;

/// The test stops once the cost is this many times the lowest cost seen.
pub const RANGE_TEST_STOP_FACTOR: f64 = 4.0;

/// What a [`range_test`] sweeps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeTestSpec {
    /// The learning rate of the first update (above 0).
    pub lo: f64,
    /// The learning rate of the last update.
    pub hi: f64,
    /// Updates, from `lo` to `hi` (at least 2).
    pub iterations: u64,
}

impl Default for RangeTestSpec {
    fn default() -> Self {
        Self {
            lo: 1e-6,
            hi: 10.0,
            iterations: 100,
        }
    }
}

/// The costs a range test saw, one entry per update taken.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeTest {
    /// The learning rate each update used.
    pub rates: Vec<f64>,
    /// J right after that update.
    pub costs: Vec<f64>,
    /// The costs' moving average with decay [`RANGE_TEST_SMOOTHING`], bias-corrected:
    /// `a = 0.98 a + 0.02 J`, `smoothed = a / (1 - 0.98^k)` after k costs.
    pub smoothed: Vec<f64>,
    /// The rate where the smoothed cost falls fastest against log(rate); None when it never
    /// falls.
    pub suggested: Option<f64>,
}

/// Runs the range test: one run of `base` whose update t (t = 0 to N-1, N = iterations)
/// uses the learning rate `lo * (hi / lo)^(t / (N - 1))`, b's kept at its ratio to w's when
/// it has its own. The update rule, its state (carried over as the rate grows), batches,
/// noise and clipping are the base run's; its schedule and convergence tests are off.
///
/// The rule (as fastai's `lr_find`): the test stops early once the cost is not finite or
/// exceeds [`RANGE_TEST_STOP_FACTOR`] times the lowest cost seen (for costs below 0: the
/// lowest plus 3 times its size), or the run diverges; the suggestion is the rate at the
/// steepest negative slope of the smoothed cost against ln(rate), slopes taken as central
/// differences (one-sided at the ends). A cost that is not finite is not recorded.
pub fn range_test(
    objective: Arc<dyn Objective>,
    base: &RunSettings,
    spec: &RangeTestSpec,
    cancel: Option<&AtomicBool>,
) -> Result<RangeTest, ScanError> {
    check_rates("the range test", spec.lo, spec.hi, 2)?;
    if !(2..=MAX_ITERATIONS).contains(&spec.iterations) {
        return Err(ScanError::Invalid(format!(
            "the range test: it takes 2 to {MAX_ITERATIONS} iterations, not {}",
            spec.iterations
        )));
    }
    let ratio = match base.learning_rate_b {
        Some(rate_b) if base.learning_rate > 0.0 => Some(rate_b / base.learning_rate),
        Some(_) => {
            return Err(ScanError::Invalid(
                "the range test: w's learning rate is 0, so b's own rate has no ratio to keep"
                    .to_owned(),
            ));
        }
        None => None,
    };
    let settings = RunSettings {
        learning_rate: spec.lo,
        learning_rate_b: ratio.map(|r| spec.lo * r),
        schedule: Schedule::Constant {},
        epsilon: None,
        grad_tol: None,
        max_iterations: spec.iterations,
        max_epochs: None,
        ..base.clone()
    };
    let mut run = Run::new(Arc::clone(&objective), settings)
        .map_err(|e| ScanError::Invalid(format!("the range test: {e}")))?;
    if run.is_finished() {
        return Err(ScanError::Invalid(format!(
            "the range test: the run cannot start ({})",
            run.status()
        )));
    }
    let n = usize::try_from(spec.iterations).unwrap_or(usize::MAX);
    let capacity = n.min(1 << 20);
    let (mut rates, mut costs, mut smoothed) = (
        Vec::with_capacity(capacity),
        Vec::with_capacity(capacity),
        Vec::with_capacity(capacity),
    );
    let growth = spec.hi / spec.lo;
    let last = (n - 1) as f64;
    let (mut average, mut decay, mut best) = (0.0, 1.0, f64::INFINITY);
    for t in 0..n {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(ScanError::Interrupted);
        }
        let rate = if t + 1 == n {
            spec.hi
        } else {
            spec.lo * growth.powf(t as f64 / last)
        };
        if !run.step_with_learning_rates([rate, ratio.map_or(rate, |r| rate * r)]) {
            break;
        }
        let row = run.history().last();
        let cost = match row {
            Some(r) if r.has_full_cost => r.cost,
            _ => objective.value(run.params()),
        };
        if !cost.is_finite() {
            break;
        }
        best = best.min(cost);
        average = RANGE_TEST_SMOOTHING * average + (1.0 - RANGE_TEST_SMOOTHING) * cost;
        decay *= RANGE_TEST_SMOOTHING;
        rates.push(rate);
        costs.push(cost);
        smoothed.push(average / (1.0 - decay));
        let ceiling = if best >= 0.0 {
            RANGE_TEST_STOP_FACTOR * best
        } else {
            best + (RANGE_TEST_STOP_FACTOR - 1.0) * best.abs()
        };
        if cost > ceiling || run.is_finished() {
            break;
        }
    }
    let suggested = steepest_descent(&rates, &smoothed);
    Ok(RangeTest {
        rates,
        costs,
        smoothed,
        suggested,
    })
}

/// The rate at the most negative slope of `cost` against ln(rate), if any slope is negative.
fn steepest_descent(rates: &[f64], cost: &[f64]) -> Option<f64> {
    let n = rates.len().min(cost.len());
    if n < 2 {
        return None;
    }
    let slope = |k: usize| {
        let (a, b) = (k.saturating_sub(1), (k + 1).min(n - 1));
        (cost[b] - cost[a]) / (rates[b].ln() - rates[a].ln())
    };
    (0..n)
        .map(|k| (k, slope(k)))
        .filter(|(_, s)| *s < 0.0)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(k, _)| rates[k])
}

#[cfg(test)]
mod tests {
    use super::*;

    // The steepest fall is found; a rising or flat curve has no suggestion.
    #[test]
    fn steepest_descent_reads_the_slope() {
        let rates = [0.001, 0.01, 0.1, 1.0, 10.0];
        assert_eq!(
            steepest_descent(&rates, &[5.0, 4.9, 2.0, 1.95, 1.9]),
            Some(0.01)
        );
        assert_eq!(steepest_descent(&rates, &[1.0, 1.0, 2.0, 3.0, 4.0]), None);
        assert_eq!(steepest_descent(&rates[..1], &[1.0]), None);
    }
}
