//! Ensembles: the same run with many seeds, to see what luck does (random starts, mini-batch
//! order, gradient noise).

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, PoisonError};

use super::{ScanError, run_job};
use crate::engine::limits::MAX_SEED;
use crate::engine::map::{Axis, AxisName, CellOutcome, CellStatus, MapJob, TracePoint};
use crate::engine::objective::Objective;
use crate::engine::run::{Initialization, RunSettings};
use crate::engine::{Domain, Point};

/// The most rows an ensemble keeps (seeds x iterations): about 200 MB of them.
const MAX_ENSEMBLE_ROWS: u64 = 1 << 23;

/// The largest seed an ensemble counts to one by one (seeds travel as f64 through a map).
const MAX_ENSEMBLE_SEED: u64 = 1 << 53;

/// K runs of one setting, seeds `base.seed`, `base.seed + 1`, ...: their paths, costs and
/// how they ended.
#[derive(Clone, Debug, PartialEq)]
pub struct Ensemble {
    /// The seed of each run.
    pub seeds: Vec<u64>,
    /// Each run's iterates `[w, b]`, row 0 the start.
    pub paths: Vec<Vec<[f64; 2]>>,
    /// Each run's cost history as recorded (NaN on mini-batch rows without a full cost).
    pub costs: Vec<Vec<f64>>,
    /// Per iteration t: the 10th percentile, median and 90th percentile of J over every run,
    /// a run that stopped earlier holding its last cost (`f64::INFINITY` from where a run
    /// diverged); NaN costs are skipped (all NaN where no run has a value).
    pub band: Vec<[f64; 3]>,
    /// The known minima [`CellOutcome::minimum`] counts into.
    pub minima: Vec<Point>,
    /// How each run ended.
    pub outcomes: Vec<CellOutcome>,
}

/// How often the runs of an ensemble ended where: fractions that sum to 1 (all 0 without
/// runs).
#[derive(Clone, Debug, PartialEq)]
pub struct SeedOdds {
    /// Fraction of runs that ended at each known minimum.
    pub per_minimum: Vec<f64>,
    /// Fraction that stopped (converged or at the limit) away from every known minimum.
    pub none: f64,
    /// Fraction that diverged (or were undefined at their start).
    pub diverged: f64,
}

/// Runs `base` with `seeds` seeds (base.seed, base.seed + 1, ...) on all threads of the
/// current rayon pool: one map job over the seed axis, with traces. `minima` and `domain`
/// decide which minimum a run reached (within 1% of the domain's larger side).
pub fn ensemble(
    objective: Arc<dyn Objective>,
    base: &RunSettings,
    seeds: usize,
    minima: &[Point],
    domain: Domain,
    cancel: Option<&AtomicBool>,
    progress: &(dyn Fn(f32) + Sync),
) -> Result<Ensemble, ScanError> {
    let invalid = |m: String| Err(ScanError::Invalid(format!("the ensemble: {m}")));
    if seeds == 0 {
        return invalid("it needs at least one seed".to_owned());
    }
    let last = base.seed.checked_add(seeds as u64 - 1);
    if last.is_none_or(|s| s > MAX_SEED.min(MAX_ENSEMBLE_SEED)) {
        return invalid(format!(
            "{seeds} seeds from {} go past the largest seed {}",
            base.seed,
            MAX_SEED.min(MAX_ENSEMBLE_SEED)
        ));
    }
    let last = last.unwrap_or(base.seed);
    let rows = rows_per_run(base, objective.as_ref());
    if rows.saturating_mul(seeds as u64) > MAX_ENSEMBLE_ROWS {
        return invalid(format!(
            "{seeds} runs x {rows} rows is too much to keep (at most {MAX_ENSEMBLE_ROWS} rows); \
             use fewer seeds or iterations"
        ));
    }
    let axis = Axis {
        name: AxisName::Seed,
        lo: base.seed as f64,
        hi: last as f64,
        log: false,
        count: seeds,
    };
    let job = MapJob::new(objective, base.clone(), axis, None, minima.to_vec(), domain)
        .map_err(|m| ScanError::Invalid(format!("the ensemble: {m}")))?;
    let traces = Mutex::new(vec![(Vec::new(), Vec::new()); seeds]);
    let on_trace = |cell: usize, rows: &[TracePoint]| {
        let path: Vec<[f64; 2]> = rows.iter().map(|r| [r.w, r.b]).collect();
        let costs: Vec<f64> = rows.iter().map(|r| r.cost).collect();
        let mut traces = traces.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(slot) = traces.get_mut(cell) {
            *slot = (path, costs);
        }
    };
    let outcomes = run_job(&job, Some(&on_trace), cancel, progress)?;
    let (paths, costs): (Vec<_>, Vec<_>) = traces
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .unzip();
    let band = band(&costs, &outcomes);
    Ok(Ensemble {
        seeds: (base.seed..=last).collect(),
        paths,
        costs,
        band,
        minima: minima.to_vec(),
        outcomes,
    })
}

/// Rows of one run at most (its iteration limit plus the start).
fn rows_per_run(settings: &RunSettings, objective: &dyn Objective) -> u64 {
    let examples = objective.example_count();
    let per_epoch = match settings.batch_size {
        Some(b) if examples > 0 && b < examples => examples.div_ceil(b) as u64,
        _ => 1,
    };
    crate::engine::run::iteration_limit(settings, per_epoch).saturating_add(1)
}

/// The 10th, 50th and 90th percentiles of J per iteration (see [`Ensemble::band`]).
fn band(costs: &[Vec<f64>], outcomes: &[CellOutcome]) -> Vec<[f64; 3]> {
    let rows = costs.iter().map(Vec::len).max().unwrap_or(0);
    // From which row each run counts as infinitely high.
    let blown: Vec<usize> = outcomes
        .iter()
        .map(|o| match o.status {
            CellStatus::Diverged | CellStatus::Undefined => {
                usize::try_from(o.iterations).unwrap_or(usize::MAX)
            }
            _ => usize::MAX,
        })
        .collect();
    let mut values = Vec::with_capacity(costs.len());
    (0..rows)
        .map(|t| {
            values.clear();
            for (k, run) in costs.iter().enumerate() {
                let value = if t >= blown.get(k).copied().unwrap_or(usize::MAX) {
                    f64::INFINITY
                } else {
                    match run.get(t).or(run.last()) {
                        Some(&c) => c,
                        None => continue,
                    }
                };
                if !value.is_nan() {
                    values.push(value);
                }
            }
            values.sort_by(f64::total_cmp);
            [10.0, 50.0, 90.0].map(|q| percentile(&values, q))
        })
        .collect()
}

/// Which share of `outcomes` ended at each of the `minima_count` known minima, elsewhere,
/// or diverged.
pub fn seed_odds(outcomes: &[CellOutcome], minima_count: usize) -> SeedOdds {
    let mut odds = SeedOdds {
        per_minimum: vec![0.0; minima_count],
        none: 0.0,
        diverged: 0.0,
    };
    if outcomes.is_empty() {
        return odds;
    }
    let share = 1.0 / outcomes.len() as f64;
    for o in outcomes {
        let slot = match (o.status, o.minimum) {
            (CellStatus::Diverged | CellStatus::Undefined, _) => &mut odds.diverged,
            (_, Some(i)) if i < minima_count => &mut odds.per_minimum[i],
            _ => &mut odds.none,
        };
        *slot += share;
    }
    odds
}

/// True when runs of `settings` on `objective` differ from seed to seed: mini-batches
/// smaller than the data, simulated gradient noise (function problems), or a random start.
pub fn is_stochastic(settings: &RunSettings, objective: &dyn Objective) -> bool {
    let examples = objective.example_count();
    let mini_batches = examples > 0 && settings.batch_size.is_some_and(|b| b < examples);
    let noise = examples == 0 && settings.simulated_noise > 0.0;
    let random_start = matches!(
        settings.init,
        Initialization::Uniform {} | Initialization::Xavier { .. }
    );
    mini_batches || noise || random_start
}

/// The `q`-th percentile (q from 0 to 100) of `sorted` (ascending), interpolating linearly
/// between the two nearest values as NumPy's default does; NaN when `sorted` is empty.
pub fn percentile(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || q.is_nan() {
        return f64::NAN;
    }
    let position = q.clamp(0.0, 100.0) / 100.0 * (n - 1) as f64;
    let below = (position.floor() as usize).min(n - 1);
    let above = (below + 1).min(n - 1);
    let fraction = position - below as f64;
    let (a, b) = (sorted[below], sorted[above]);
    if fraction == 0.0 || a == b {
        a
    } else {
        a + (b - a) * fraction
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // NumPy's numbers: np.percentile([1, 2, 3, 4], [0, 10, 50, 90, 100]).
    #[test]
    fn percentiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        let got = [0.0, 10.0, 50.0, 90.0, 100.0].map(|q| percentile(&v, q));
        let want = [1.0, 1.3, 2.5, 3.7, 4.0];
        for (g, w) in got.iter().zip(want) {
            assert!((g - w).abs() < 1e-12, "{got:?}");
        }
        assert!(percentile(&[], 50.0).is_nan());
        assert_eq!(
            percentile(&[2.0, f64::INFINITY, f64::INFINITY], 90.0),
            f64::INFINITY
        );
        assert_eq!(percentile(&[2.0, 3.0, f64::INFINITY], 50.0), 3.0);
    }
}
