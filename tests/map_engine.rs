//! The map engine: its fast lockstep path gives every cell exactly the single run's outcome
//! (every rule, with schedules, clipping, noise and both stopping tests), it reports cells as
//! they finish, coarse grid first when asked, and a cancelled job stops.
#![allow(clippy::unwrap_used)]

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use losscape::engine::Domain;
use losscape::engine::map::{Axis, CellOrder, CellOutcome, Interrupted, LANES, MapJob, MapSink};
use losscape::engine::objective::{FunctionObjective, Objective};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, RunSettings, Schedule};

fn himmelblau() -> Arc<dyn Objective> {
    Arc::new(FunctionObjective::new("(w^2 + b - 11)^2 + (w + b^2 - 7)^2").unwrap())
}

fn domain() -> Domain {
    Domain::new(-5.0, 5.0, -5.0, 5.0)
}

fn same(a: &CellOutcome, b: &CellOutcome) -> bool {
    a.status == b.status
        && a.iterations == b.iterations
        && a.w.to_bits() == b.w.to_bits()
        && a.b.to_bits() == b.b.to_bits()
        && a.cost.to_bits() == b.cost.to_bits()
        && a.minimum == b.minimum
}

/// Each rule with options changed from torch's defaults.
fn varied(kind: OptimizerKind) -> OptimizerSettings {
    use OptimizerSettings as O;
    use losscape::engine::optim::LineSearch;
    match OptimizerSettings::default_for(kind) {
        O::Sgd { .. } => O::Sgd {
            momentum: 0.5,
            dampening: 0.2,
            nesterov: false,
            weight_decay: 0.01,
        },
        O::Momentum { nesterov, .. } => O::Momentum {
            momentum: 0.8,
            dampening: 0.0,
            nesterov,
            weight_decay: 0.01,
        },
        O::Asgd { .. } => O::Asgd {
            lambd: 1e-3,
            alpha: 0.6,
            t0: 20.0,
            weight_decay: 0.01,
        },
        O::Adagrad { .. } => O::Adagrad {
            lr_decay: 0.01,
            initial_accumulator_value: 0.1,
            eps: 1e-9,
            weight_decay: 0.0,
        },
        O::Rmsprop { .. } => O::Rmsprop {
            alpha: 0.9,
            eps: 1e-7,
            momentum: 0.3,
            centered: true,
            weight_decay: 0.0,
        },
        O::Adadelta { .. } => O::Adadelta {
            rho: 0.8,
            eps: 1e-5,
            weight_decay: 0.01,
        },
        O::Adamax { .. } => O::Adamax {
            beta1: 0.8,
            beta2: 0.99,
            eps: 1e-7,
            weight_decay: 0.01,
        },
        O::Nadam { .. } => O::Nadam {
            beta1: 0.8,
            beta2: 0.99,
            eps: 1e-8,
            weight_decay: 0.01,
            momentum_decay: 0.01,
            decoupled_weight_decay: true,
        },
        O::Radam { .. } => O::Radam {
            beta1: 0.9,
            beta2: 0.99,
            eps: 1e-8,
            weight_decay: 0.01,
            decoupled_weight_decay: false,
        },
        O::Adafactor { .. } => O::Adafactor {
            beta2_decay: -0.5,
            eps1: Some(1e-20),
            eps2: 1e-2,
            d: 2.0,
            weight_decay: 0.01,
        },
        O::Rprop { .. } => O::Rprop {
            eta_minus: 0.4,
            eta_plus: 1.3,
            step_size_min: 1e-5,
            step_size_max: 1.0,
        },
        O::Lbfgs { .. } => O::Lbfgs {
            max_iter: 4,
            max_eval: None,
            tolerance_grad: 1e-9,
            tolerance_change: 1e-11,
            history_size: 5,
            line_search_fn: LineSearch::StrongWolfe,
        },
        O::GdArmijo { .. } => O::GdArmijo {
            shrink: 0.3,
            c1: 0.01,
        },
        other => other,
    }
}

// Every cell of a map equals the single run with its settings, bit for bit: every rule,
// with torch's defaults and with other options, with a schedule, clipping, simulated noise,
// an epsilon test and a gradient test, so cells end at different iterations, some diverge
// and new cells refill the block. Newton's method, L-BFGS and gd-armijo run cell by cell,
// the others in lockstep.
#[test]
fn map_cells_are_single_runs() {
    let minima = vec![[3.0, 2.0], [-2.805118, 3.131312]];
    for (kind, optimizer) in OptimizerKind::ALL
        .into_iter()
        .flat_map(|k| [(k, OptimizerSettings::default_for(k)), (k, varied(k))])
    {
        let mut ends = Vec::new();
        for (schedule, clip, noise, epsilon, grad_tol) in [
            (Schedule::Constant {}, None, 0.0, Some(1e-9), None),
            (
                Schedule::Step {
                    step_size: 7,
                    gamma: 0.7,
                },
                Some(5.0),
                0.3,
                None,
                Some(1e-3),
            ),
            (
                Schedule::Cosine {
                    t_max: 50,
                    eta_min: 0.001,
                },
                None,
                0.0,
                Some(1e-6),
                Some(1e-4),
            ),
        ] {
            let base = RunSettings {
                optimizer,
                learning_rate: match kind {
                    OptimizerKind::Adagrad | OptimizerKind::Adadelta => 0.5,
                    OptimizerKind::Lbfgs | OptimizerKind::Newton => 1.0,
                    OptimizerKind::GdArmijo => 0.5,
                    _ => 0.02,
                },
                init: Initialization::Manual { w: 0.0, b: 0.0 },
                schedule: schedule.clone(),
                clip_norm: clip,
                simulated_noise: noise,
                epsilon,
                grad_tol,
                max_iterations: 300,
                seed: 11,
                ..RunSettings::default()
            };
            let x = Axis::parse("w0:-6:6", 23).unwrap();
            let y = Axis::parse("b0:-6:6", 19).unwrap();
            let job =
                MapJob::new(himmelblau(), base, x, Some(y), minima.clone(), domain()).unwrap();
            let cell_by_cell = matches!(
                kind,
                OptimizerKind::Newton | OptimizerKind::Lbfgs | OptimizerKind::GdArmijo
            );
            assert_eq!(job.runs_in_lockstep(), !cell_by_cell, "{kind:?}");
            let cells = job.run();
            assert_eq!(cells.len(), 23 * 19);
            ends.extend(cells.iter().map(|c| c.iterations));
            for (cell, outcome) in cells.iter().enumerate() {
                let (x, y) = job.cell_values(cell);
                let single = job.run_cell(x, y).unwrap();
                assert!(
                    same(outcome, &single),
                    "{optimizer:?} {schedule:?} at ({x}, {y:?}): {outcome:?} vs {single:?}"
                );
            }
        }
        ends.sort_unstable();
        ends.dedup();
        assert!(
            ends.len() > 3,
            "{kind:?}: cells end at different iterations"
        );
    }
}

// Adam and AdamW lanes that share betas and eps are stepped array by array: cells that
// joined the block at different times (different update counts), whose bias corrections
// saturate partway (small betas), with a learning-rate axis, still equal single runs.
#[test]
fn shared_adam_lanes_are_single_runs() {
    for optimizer in [
        OptimizerSettings::Adam {
            beta1: 0.5,
            beta2: 0.6,
            eps: 1e-8,
            weight_decay: 0.0,
            amsgrad: false,
        },
        OptimizerSettings::Adamw {
            beta1: 0.5,
            beta2: 0.6,
            eps: 1e-8,
            weight_decay: 0.0,
            amsgrad: false,
        },
    ] {
        let base = RunSettings {
            optimizer,
            learning_rate: 0.05,
            init: Initialization::Manual { w: 0.5, b: -0.5 },
            epsilon: Some(1e-7),
            max_iterations: 400,
            ..RunSettings::default()
        };
        let x = Axis::parse("w0:-5:5", 30).unwrap();
        let y = Axis::parse("lr:0.001:0.5:log", 17).unwrap();
        let job = MapJob::new(himmelblau(), base, x, Some(y), Vec::new(), domain()).unwrap();
        assert!(job.runs_in_lockstep());
        let cells = job.run();
        let mut ends: Vec<u64> = cells.iter().map(|c| c.iterations).collect();
        ends.sort_unstable();
        ends.dedup();
        assert!(ends.len() > 10, "cells end at different iterations");
        assert!(ends.iter().any(|&t| t > 80), "some run past saturation");
        for (cell, outcome) in cells.iter().enumerate() {
            let (x, y) = job.cell_values(cell);
            let single = job.run_cell(x, y).unwrap();
            assert!(
                same(outcome, &single),
                "at ({x}, {y:?}): {outcome:?} vs {single:?}"
            );
        }
    }
}

// A map along one start coordinate keeps the other where the base settings start, also when
// that start is drawn (a uniform initialization): lanes made from a shared template, with a
// seeded generator for the noise, equal single runs; so do maps along b0 then w0.
#[test]
fn start_axes_keep_the_drawn_start() {
    for (x, y) in [
        ("b0:-4:4", None),
        ("w0:-4:4", Some("b0:-3:3")),
        ("b0:-4:4", Some("w0:-3:3")),
    ] {
        let base = RunSettings {
            optimizer: OptimizerSettings::default_for(OptimizerKind::Momentum),
            learning_rate: 0.01,
            init: Initialization::Uniform {},
            schedule: Schedule::Step {
                step_size: 5,
                gamma: 0.8,
            },
            simulated_noise: 0.5,
            max_iterations: 60,
            seed: 7,
            ..RunSettings::default()
        };
        let x = Axis::parse(x, 9).unwrap();
        let y = y.map(|y| Axis::parse(y, 5).unwrap());
        let job = MapJob::new(himmelblau(), base, x, y, Vec::new(), domain()).unwrap();
        assert!(job.runs_in_lockstep());
        for (cell, outcome) in job.run().iter().enumerate() {
            let (x, y) = job.cell_values(cell);
            let single = job.run_cell(x, y).unwrap();
            assert!(
                same(outcome, &single),
                "at ({x}, {y:?}): {outcome:?} vs {single:?}"
            );
        }
    }
}

/// Records the order cells arrive in, and cancels the job after `cancel_after` of them.
struct Watch {
    seen: Mutex<Vec<usize>>,
    reports: AtomicUsize,
    /// How many cells the first report held.
    first_report: AtomicUsize,
    cancel: AtomicBool,
    cancel_after: usize,
}

impl MapSink for Watch {
    fn finished(&self, cells: &[(usize, CellOutcome)]) {
        let mut seen = self.seen.lock().unwrap();
        seen.extend(cells.iter().map(|(c, _)| *c));
        if self.reports.fetch_add(1, Ordering::Relaxed) == 0 {
            self.first_report.store(cells.len(), Ordering::Relaxed);
        }
        if seen.len() >= self.cancel_after {
            self.cancel.store(true, Ordering::Relaxed);
        }
    }
}

fn long_job() -> MapJob {
    let base = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Gd),
        learning_rate: 1e-4,
        init: Initialization::Manual { w: 0.0, b: 0.0 },
        max_iterations: 20_000,
        ..RunSettings::default()
    };
    let x = Axis::parse("w0:-5:5", 128).unwrap();
    let y = Axis::parse("b0:-5:5", 128).unwrap();
    MapJob::new(himmelblau(), base, x, Some(y), Vec::new(), domain()).unwrap()
}

// A cancelled job returns Interrupted without finishing its cells, and reported some as it
// went.
#[test]
fn a_cancelled_job_stops() {
    let job = long_job();
    let watch = Watch {
        seen: Mutex::new(Vec::new()),
        reports: AtomicUsize::new(0),
        first_report: AtomicUsize::new(0),
        cancel: AtomicBool::new(false),
        cancel_after: 1,
    };
    let result = job.run_into(CellOrder::CoarseFirst, false, Some(&watch.cancel), &watch);
    assert_eq!(result, Err(Interrupted));
    let seen = watch.seen.lock().unwrap().len();
    assert!(seen >= 1, "cells were reported before the end");
    // 16,384 cells of 20,000 updates each: stopping at the first report leaves most undone.
    assert!(seen <= 4 * LANES, "{seen} cells finished after the cancel");
    // Cancelled before it starts: nothing runs.
    let stopped = AtomicBool::new(true);
    let none = Watch {
        seen: Mutex::new(Vec::new()),
        reports: AtomicUsize::new(0),
        first_report: AtomicUsize::new(0),
        cancel: AtomicBool::new(false),
        cancel_after: usize::MAX,
    };
    assert_eq!(
        job.run_into(CellOrder::Rows, false, Some(&stopped), &none),
        Err(Interrupted)
    );
    assert!(none.seen.lock().unwrap().is_empty());
}

// Coarse first: the first cells reported lie on the grid of every 16th cell, and all cells
// arrive exactly once.
#[test]
fn coarse_cells_come_first() {
    let base = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Gd),
        learning_rate: 0.01,
        max_iterations: 50,
        ..RunSettings::default()
    };
    let x = Axis::parse("w0:-5:5", 64).unwrap();
    let y = Axis::parse("b0:-5:5", 48).unwrap();
    let job = MapJob::new(himmelblau(), base, x, Some(y), Vec::new(), domain()).unwrap();
    let watch = Watch {
        seen: Mutex::new(Vec::new()),
        reports: AtomicUsize::new(0),
        first_report: AtomicUsize::new(0),
        cancel: AtomicBool::new(false),
        cancel_after: usize::MAX,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap()
        .install(|| job.run_into(CellOrder::CoarseFirst, false, None, &watch))
        .unwrap();
    let seen = watch.seen.into_inner().unwrap();
    // The first report (one block's cells) holds the whole coarse grid, 4 x 3 cells.
    let first = &seen[..watch.first_report.load(Ordering::Relaxed)];
    for row in (0..48).step_by(16) {
        for column in (0..64).step_by(16) {
            assert!(
                first.contains(&(row * 64 + column)),
                "({column}, {row}) came late"
            );
        }
    }
    let mut all = seen.clone();
    all.sort_unstable();
    assert_eq!(all, (0..64 * 48).collect::<Vec<_>>());
    assert!(
        watch.reports.load(Ordering::Relaxed) > 1,
        "reported as it went"
    );
}

// A map smaller than a block stops every run at its iteration limit (a block filled from
// empty once watched no limit and ran on).
#[test]
fn small_maps_stop_at_the_limit() {
    let base = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Gd),
        learning_rate: 1e-3,
        max_iterations: 5,
        ..RunSettings::default()
    };
    let x = Axis::parse("w0:-2:2", 2).unwrap();
    let job = MapJob::new(himmelblau(), base, x, None, Vec::new(), domain()).unwrap();
    let cells = job.run();
    assert_eq!(cells.len(), 2);
    for cell in &cells {
        assert_eq!(cell.iterations, 5, "{cell:?}");
        assert!(same(cell, &job.run_cell(cell.x, cell.y).unwrap()));
    }
}
