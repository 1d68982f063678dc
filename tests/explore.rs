//! The explore engine: a learning-rate scan's columns are single runs' cost histories bit
//! for bit, diverged runs read as infinite, a noisy Himmelblau ensemble finds several
//! minima, the range test suggests a rate below the divergence point, a tuned rate replays
//! exactly, and a cancelled scan stops.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use losscape::engine::explore::{
    CellStatus, LearningRateScan, LearningRateScanSpec, RangeTestSpec, ScanError, TUNE_RANGE,
    ensemble, is_stochastic, range_test, seed_odds, tune_learning_rate, tuned_settings,
    with_learning_rate,
};
use losscape::engine::map::CellOutcome;
use losscape::engine::objective::{FunctionObjective, Objective};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, Run, RunSettings, Status};
use losscape::engine::{Domain, Point};

const HIMMELBLAU_MINIMA: [Point; 4] = [
    [3.0, 2.0],
    [-2.805118, 3.131312],
    [-3.779310, -3.283186],
    [3.584428, -1.848126],
];

fn function(formula: &str) -> Arc<dyn Objective> {
    Arc::new(FunctionObjective::new(formula).unwrap())
}

fn himmelblau() -> Arc<dyn Objective> {
    function("(w^2 + b - 11)^2 + (w + b^2 - 7)^2")
}

fn rosenbrock() -> Arc<dyn Objective> {
    function("(1-w)^2 + 100*(b-w^2)^2")
}

fn domain() -> Domain {
    Domain::new(-5.0, 5.0, -5.0, 5.0)
}

fn settings(kind: OptimizerKind, start: Point) -> RunSettings {
    RunSettings {
        optimizer: OptimizerSettings::default_for(kind),
        init: Initialization::Manual {
            w: start[0],
            b: start[1],
        },
        ..RunSettings::default()
    }
}

fn quiet(_: f32) {}

/// The single run's history and status.
fn single(objective: &Arc<dyn Objective>, settings: RunSettings) -> (Vec<f64>, Status) {
    let mut run = Run::new(Arc::clone(objective), settings).unwrap();
    let status = run.run_to_end();
    (run.history().costs().to_vec(), status)
}

/// Checks scan column `i` against the single run with `settings` (convergence tests off).
fn column_is_the_single_run(
    scan: &LearningRateScan,
    i: usize,
    objective: &Arc<dyn Objective>,
    settings: RunSettings,
) {
    let (history, status) = single(objective, settings);
    let rows = scan.iterations as usize + 1;
    match status {
        Status::Diverged { iteration, .. } => {
            assert_eq!(scan.status[i], CellStatus::Diverged);
            let at = iteration as usize;
            for (t, cost) in history.iter().enumerate().take(at) {
                assert_eq!(scan.cost_at(t as u64, i).to_bits(), cost.to_bits());
            }
            for t in at..rows {
                assert_eq!(scan.cost_at(t as u64, i), f64::INFINITY, "row {t}");
            }
            assert_eq!(scan.final_cost[i], f64::INFINITY);
            assert_eq!(scan.minima_distance[i], f64::INFINITY);
            assert!(scan.late[i].is_empty());
        }
        Status::ReachedLimit { iteration } => {
            assert_eq!(iteration, scan.iterations);
            assert_eq!(history.len(), rows);
            for (t, cost) in history.iter().enumerate() {
                assert_eq!(
                    scan.cost_at(t as u64, i).to_bits(),
                    cost.to_bits(),
                    "rate {} row {t}",
                    scan.rates[i]
                );
            }
            assert_eq!(scan.final_cost[i].to_bits(), history[rows - 1].to_bits());
        }
        other => panic!("the scan's run should not stop by {other}"),
    }
}

// Each column of a scan is the cost history of the single run at its rate, bit for bit,
// with the base's convergence test turned off; diverged runs read as infinite from their
// divergence on.
#[test]
fn scan_columns_are_single_runs() {
    let objective = himmelblau();
    let base = RunSettings {
        learning_rate: 0.01,
        epsilon: Some(1e-6),
        ..settings(OptimizerKind::Gd, [0.5, 0.5])
    };
    let spec = LearningRateScanSpec {
        lo: 1e-3,
        hi: 0.1,
        count: 40,
        iterations: 200,
        late: 16,
    };
    let scan = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &HIMMELBLAU_MINIMA,
        domain(),
        &spec,
        None,
        &quiet,
    )
    .unwrap();
    assert_eq!(scan.rates.len(), 40);
    assert_eq!(scan.rates[0], 1e-3);
    assert_eq!(scan.rates[39], 0.1);
    assert!(scan.rates.windows(2).all(|w| w[0] < w[1]));
    assert_eq!(scan.cost.len(), 40 * 201);
    // The epsilon test is off: no run stops by convergence.
    assert!(!scan.status.contains(&CellStatus::Converged));
    let diverged = scan
        .status
        .iter()
        .position(|s| *s == CellStatus::Diverged)
        .expect("large rates diverge");
    assert!(scan.status[0] == CellStatus::Limit);
    let no_tests = RunSettings {
        epsilon: None,
        max_iterations: 200,
        ..base.clone()
    };
    for i in [0, 7, 20, diverged - 1, diverged, 39] {
        let mut s = no_tests.clone();
        s.learning_rate = scan.rates[i];
        column_is_the_single_run(&scan, i, &objective, s);
    }
    // The small rates settle at the minimum (3, 2): their last iterates are near it.
    assert!(
        scan.minima_distance[20] < 1e-3,
        "{}",
        scan.minima_distance[20]
    );
    assert_eq!(scan.late[20].len(), 16);
    assert!(scan.late[0].iter().all(|p| p[0].is_finite()));
}

// With a learning rate of b's own, b's rate keeps its ratio to w's across the scan; a
// mini-batch data fit's columns are its runs too (NaN where no full cost was taken).
#[test]
fn scan_keeps_the_ratio_and_handles_mini_batches() {
    let objective = rosenbrock();
    let base = RunSettings {
        learning_rate: 0.001,
        learning_rate_b: Some(0.004),
        ..settings(OptimizerKind::Momentum, [-1.0, 1.0])
    };
    let spec = LearningRateScanSpec {
        lo: 1e-5,
        hi: 3e-3,
        count: 9,
        iterations: 150,
        late: 8,
    };
    let scan = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &[[1.0, 1.0]],
        domain(),
        &spec,
        None,
        &quiet,
    )
    .unwrap();
    for i in [0, 4, 8] {
        let mut s = base.clone();
        s.max_iterations = 150;
        s.learning_rate = scan.rates[i];
        s.learning_rate_b = Some(scan.rates[i] * (0.004 / 0.001));
        column_is_the_single_run(&scan, i, &objective, s);
    }

    let fit: Arc<dyn Objective> = Arc::new(common::LinearFit::new(200));
    let base = RunSettings {
        learning_rate: 0.1,
        batch_size: Some(4),
        seed: 5,
        ..settings(OptimizerKind::Sgd, [0.0, 0.0])
    };
    let spec = LearningRateScanSpec {
        lo: 0.01,
        hi: 0.5,
        count: 4,
        iterations: 120,
        late: 4,
    };
    let scan =
        LearningRateScan::compute(Arc::clone(&fit), &base, &[], domain(), &spec, None, &quiet)
            .unwrap();
    assert!(
        scan.cost.iter().any(|c| c.is_nan()),
        "rows without a full cost"
    );
    for i in 0..4 {
        let mut s = base.clone();
        s.max_iterations = 120;
        s.learning_rate = scan.rates[i];
        column_is_the_single_run(&scan, i, &fit, s);
        assert_eq!(scan.minima_distance[i], f64::INFINITY, "no known minima");
    }
}

// A scan past gradient descent's stability limit on a quadratic: every rate above 2/6
// that blows up reads as infinite, every rate below it settles.
#[test]
fn scan_marks_divergence_infinite() {
    let objective = function("w^2 + 3*b^2");
    let base = RunSettings {
        learning_rate: 0.1,
        ..settings(OptimizerKind::Gd, [1.0, 1.0])
    };
    let spec = LearningRateScanSpec {
        lo: 0.05,
        hi: 2.0,
        count: 24,
        iterations: 300,
        late: 4,
    };
    let scan = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &[[0.0, 0.0]],
        domain(),
        &spec,
        None,
        &quiet,
    )
    .unwrap();
    let mut seen = 0;
    for (i, &rate) in scan.rates.iter().enumerate() {
        if rate < 1.0 / 3.0 {
            assert_eq!(scan.status[i], CellStatus::Limit, "rate {rate}");
            assert!(scan.minima_distance[i] < 1e-6, "rate {rate}");
        } else if scan.status[i] == CellStatus::Diverged {
            seen += 1;
            assert_eq!(scan.final_cost[i], f64::INFINITY);
            assert_eq!(scan.cost_at(300, i), f64::INFINITY);
            assert!(scan.cost_at(0, i).is_finite());
        }
    }
    assert!(seen >= 10, "{seen} rates diverged");
    assert!(scan.cost_at(301, 0).is_nan() && scan.cost_at(0, 24).is_nan());
}

// A Himmelblau ensemble started on its hilltop with gradient noise ends in more than one
// minimum (the noise decides which way it rolls); the odds sum to 1, the band is ordered,
// and each seed's path is the single run with that seed.
#[test]
fn noisy_himmelblau_ensemble_reaches_several_minima() {
    let objective = himmelblau();
    let base = RunSettings {
        learning_rate: 0.01,
        simulated_noise: 1.0,
        max_iterations: 400,
        seed: 100,
        ..settings(OptimizerKind::Gd, [-0.270845, -0.923039])
    };
    assert!(is_stochastic(&base, objective.as_ref()));
    let progress = std::sync::Mutex::new(0.0_f32);
    let report = |f: f32| {
        let mut p = progress.lock().unwrap();
        *p = p.max(f);
    };
    let result = ensemble(
        Arc::clone(&objective),
        &base,
        48,
        &HIMMELBLAU_MINIMA,
        domain(),
        None,
        &report,
    )
    .unwrap();
    assert_eq!(*progress.lock().unwrap(), 1.0);
    assert_eq!(result.seeds, (100..148).collect::<Vec<u64>>());
    let odds = seed_odds(&result.outcomes, 4);
    let total: f64 = odds.per_minimum.iter().sum::<f64>() + odds.none + odds.diverged;
    assert!((total - 1.0).abs() < 1e-12, "{odds:?}");
    let reached = odds.per_minimum.iter().filter(|&&p| p > 0.0).count();
    assert!(reached > 1, "{odds:?}");
    assert_eq!(result.band.len(), 401);
    for [p10, median, p90] in &result.band {
        assert!(p10 <= median && median <= p90, "{p10} {median} {p90}");
    }
    assert!(result.band[400][1] < result.band[0][1]);
    for k in [0, 17, 47] {
        let mut s = base.clone();
        s.seed = result.seeds[k];
        let mut run = Run::new(Arc::clone(&objective), s).unwrap();
        run.run_to_end();
        let path = run.history().params();
        assert_eq!(path.len(), result.paths[k].len());
        assert!(
            path.iter()
                .zip(&result.paths[k])
                .all(|(a, b)| a[0].to_bits() == b[0].to_bits() && a[1].to_bits() == b[1].to_bits())
        );
        assert_eq!(result.costs[k].len(), path.len());
    }
    // Without noise every seed makes the same run.
    let calm = RunSettings {
        simulated_noise: 0.0,
        ..base
    };
    assert!(!is_stochastic(&calm, objective.as_ref()));
    let result = ensemble(
        objective,
        &calm,
        3,
        &HIMMELBLAU_MINIMA,
        domain(),
        None,
        &quiet,
    )
    .unwrap();
    assert_eq!(result.paths[0], result.paths[2]);
}

// Seed odds count each outcome once: fractions per minimum, elsewhere and diverged.
#[test]
fn seed_odds_sum_to_one() {
    let outcome = |status, minimum| CellOutcome {
        x: 0.0,
        y: None,
        status,
        iterations: 10,
        w: 0.0,
        b: 0.0,
        cost: 0.0,
        minimum,
    };
    let outcomes = [
        outcome(CellStatus::Converged, Some(0)),
        outcome(CellStatus::Converged, Some(0)),
        outcome(CellStatus::Limit, Some(2)),
        outcome(CellStatus::Limit, None),
        outcome(CellStatus::Diverged, None),
        outcome(CellStatus::Undefined, None),
        outcome(CellStatus::Converged, Some(9)),
    ];
    let odds = seed_odds(&outcomes, 3);
    let seventh = 1.0 / 7.0;
    assert!((odds.per_minimum[0] - 2.0 * seventh).abs() < 1e-12);
    assert_eq!(odds.per_minimum[1], 0.0);
    assert!((odds.per_minimum[2] - seventh).abs() < 1e-12);
    assert!((odds.none - 2.0 * seventh).abs() < 1e-12);
    assert!((odds.diverged - 2.0 * seventh).abs() < 1e-12);
    let total: f64 = odds.per_minimum.iter().sum::<f64>() + odds.none + odds.diverged;
    assert!((total - 1.0).abs() < 1e-12);
}

// On w^2 + b^2 gradient descent diverges above a learning rate of 1: the range test stops
// soon after, suggests a rate inside its range and below 1, and its first cost is one real
// gradient-descent step at the lowest rate.
#[test]
fn range_test_suggests_a_rate_below_divergence() {
    let objective = function("w^2 + b^2");
    let base = RunSettings {
        learning_rate: 0.5,
        ..settings(OptimizerKind::Gd, [1.0, 1.0])
    };
    let spec = RangeTestSpec::default();
    let test = range_test(Arc::clone(&objective), &base, &spec, None).unwrap();
    let suggested = test.suggested.expect("the cost falls");
    assert!(
        (spec.lo..=spec.hi).contains(&suggested) && suggested < 1.0,
        "{suggested}"
    );
    assert!(test.rates.len() < 100, "stopped early");
    assert!(*test.rates.last().unwrap() > 1.0);
    for (t, &rate) in test.rates.iter().enumerate() {
        let expected = 1e-6 * (10.0_f64 / 1e-6).powf(t as f64 / 99.0);
        assert_eq!(rate, expected);
    }
    assert_eq!(test.costs.len(), test.rates.len());
    assert_eq!(test.smoothed.len(), test.rates.len());
    assert_eq!(test.smoothed[0], test.costs[0]);
    let one_step = RunSettings {
        learning_rate: 1e-6,
        max_iterations: 1,
        ..base.clone()
    };
    let (history, _) = single(&objective, one_step);
    assert_eq!(test.costs[0].to_bits(), history[1].to_bits());

    // Adam carries its moments as the rate grows and finds a descent too.
    let adam = settings(OptimizerKind::Adam, [-1.0, 1.0]);
    let test = range_test(rosenbrock(), &adam, &spec, None).unwrap();
    let suggested = test.suggested.expect("the cost falls");
    assert!((spec.lo..=spec.hi).contains(&suggested));
}

// The tuned rate beats the smallest rate, replays exactly, and does not depend on the
// number of threads.
#[test]
fn tuned_rate_replays_exactly() {
    for (objective, kind, start, iterations) in [
        (rosenbrock(), OptimizerKind::Adam, [-1.0, 1.0], 200),
        (himmelblau(), OptimizerKind::Momentum, [0.0, 0.0], 60),
        (rosenbrock(), OptimizerKind::Gd, [-1.0, 1.0], 300),
    ] {
        let base = RunSettings {
            learning_rate: 0.01,
            ..settings(kind, start)
        };
        let tune = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| {
                tune_learning_rate(
                    Arc::clone(&objective),
                    &base,
                    iterations,
                    &[],
                    domain(),
                    None,
                    &quiet,
                )
            })
            .unwrap()
        };
        let tuned = tune(2);
        assert_eq!(tuned, tune(1), "{kind:?}");
        assert!(TUNE_RANGE.contains(&tuned.learning_rate));
        let (history, status) = single(
            &objective,
            tuned_settings(&base, iterations, tuned.learning_rate),
        );
        assert_eq!(history.last().unwrap().to_bits(), tuned.cost.to_bits());
        assert!(matches!(status, Status::ReachedLimit { .. }), "{status}");
        assert_eq!(tuned.status, CellStatus::Limit);
        let (slow, _) = single(&objective, tuned_settings(&base, iterations, 1e-5));
        assert!(tuned.cost < *slow.last().unwrap(), "{kind:?}: {tuned:?}");
    }
    // b's own rate keeps its ratio in the replay.
    let base = RunSettings {
        learning_rate: 0.01,
        learning_rate_b: Some(0.02),
        ..settings(OptimizerKind::Gd, [-1.0, 1.0])
    };
    let tuned = tune_learning_rate(rosenbrock(), &base, 100, &[], domain(), None, &quiet).unwrap();
    let replay = tuned_settings(&base, 100, tuned.learning_rate);
    assert_eq!(replay.learning_rate_b, Some(tuned.learning_rate * 2.0));
    assert_eq!(
        with_learning_rate(&base, 0.5).learning_rate_b,
        Some(0.5 * (0.02 / 0.01))
    );
    let (history, _) = single(&rosenbrock(), replay);
    assert_eq!(history.last().unwrap().to_bits(), tuned.cost.to_bits());
}

// A cancelled scan, tune, ensemble or range test returns Interrupted, soon.
#[test]
fn cancel_interrupts() {
    let objective = rosenbrock();
    let base = RunSettings {
        learning_rate: 1e-4,
        ..settings(OptimizerKind::Momentum, [-1.0, 1.0])
    };
    let set = AtomicBool::new(true);
    let spec = LearningRateScanSpec {
        lo: 1e-5,
        hi: 1e-3,
        count: 16,
        iterations: 1000,
        late: 8,
    };
    let scan = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &[],
        domain(),
        &spec,
        Some(&set),
        &quiet,
    );
    assert_eq!(scan, Err(ScanError::Interrupted));
    let result = ensemble(
        Arc::clone(&objective),
        &base,
        8,
        &[],
        domain(),
        Some(&set),
        &quiet,
    );
    assert_eq!(result.err(), Some(ScanError::Interrupted));
    let test = range_test(
        Arc::clone(&objective),
        &base,
        &RangeTestSpec::default(),
        Some(&set),
    );
    assert_eq!(test, Err(ScanError::Interrupted));

    // A tune of 66 runs of ten million updates, cancelled while it runs.
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let tuned = std::thread::scope(|scope| {
        scope.spawn(|| {
            std::thread::sleep(Duration::from_millis(100));
            cancel.store(true, Ordering::Relaxed);
        });
        tune_learning_rate(
            Arc::clone(&objective),
            &base,
            10_000_000,
            &[],
            domain(),
            Some(&cancel),
            &quiet,
        )
    });
    assert_eq!(tuned, Err(ScanError::Interrupted));
    assert!(started.elapsed() < Duration::from_secs(10));
}

// Settings that cannot make a scan say why.
#[test]
fn invalid_scans_say_why() {
    let objective = rosenbrock();
    let base = settings(OptimizerKind::Gd, [0.0, 0.0]);
    let spec = LearningRateScanSpec {
        lo: 0.0,
        hi: 1.0,
        count: 10,
        iterations: 10,
        late: 2,
    };
    let error = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &[],
        domain(),
        &spec,
        None,
        &quiet,
    )
    .unwrap_err();
    assert!(error.to_string().contains("positive"), "{error}");
    let huge = LearningRateScanSpec {
        lo: 0.1,
        hi: 1.0,
        count: 4096,
        iterations: 1_000_000,
        late: 2,
    };
    let error = LearningRateScan::compute(
        Arc::clone(&objective),
        &base,
        &[],
        domain(),
        &huge,
        None,
        &quiet,
    )
    .unwrap_err();
    assert!(error.to_string().contains("too many"), "{error}");
    let short = RangeTestSpec {
        iterations: 1,
        ..RangeTestSpec::default()
    };
    let error = range_test(Arc::clone(&objective), &base, &short, None).unwrap_err();
    assert!(error.to_string().contains("2 to"), "{error}");
    let error = ensemble(objective, &base, 0, &[], domain(), None, &quiet).unwrap_err();
    assert!(error.to_string().contains("at least one seed"), "{error}");
}
