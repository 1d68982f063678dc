//! Optimizer steps per second, history recording included.
//!
//! - GD and Adam on Rosenbrock: a hand-written Rust objective and the compiled preset
//!   (target >= 10 million steps per second, single-threaded).
//! - One epoch of mini-batch SGD (B = 32) on linear regression with 100,000 examples,
//!   recording the full-data cost and gradient at every iteration (the data-fit objective's
//!   sufficient-statistics path makes those O(1)).
//! - One epoch of SGD with batch size 1 on the same 100,000 examples fitted by mae, where
//!   a full-data evaluation goes through every example: the run records the full-data cost
//!   on a stride (`History::full_cost_stride`), so the epoch costs a few passes over the
//!   data, not one per iteration (before the stride: 100,000 passes at about 5 ms each, some
//!   9 minutes on two cores).

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use losscape::engine::data::Dataset;
use losscape::engine::objective::{DataFitObjective, FunctionObjective, Objective, preset};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, Run, RunSettings};
use losscape::engine::{Derivatives, Domain, Point};

/// J = (1 - w)^2 + 100 (b - w^2)^2, written by hand.
struct Rosenbrock;

impl Objective for Rosenbrock {
    fn value(&self, p: Point) -> f64 {
        let [w, b] = p;
        (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w)
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let [w, b] = p;
        let r = b - w * w;
        (
            (1.0 - w) * (1.0 - w) + 100.0 * r * r,
            [-2.0 * (1.0 - w) - 400.0 * w * r, 200.0 * r],
        )
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let [w, b] = p;
        let (value, gradient) = self.value_gradient(p);
        let hww = 2.0 - 400.0 * (b - w * w) + 800.0 * w * w;
        Derivatives {
            value,
            gradient,
            hessian: [[hww, -400.0 * w], [-400.0 * w, 200.0]],
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-2.0, 2.0, -1.0, 3.0)
    }
}

const STEPS: u64 = 100_000;

fn settings(kind: OptimizerKind, lr: f64) -> RunSettings {
    RunSettings {
        optimizer: OptimizerSettings::default_for(kind),
        learning_rate: lr,
        init: Initialization::Manual { w: -1.5, b: 2.0 },
        max_iterations: STEPS,
        ..RunSettings::default()
    }
}

fn rosenbrock_steps(c: &mut Criterion) {
    let compiled: Arc<dyn Objective> = Arc::new(
        FunctionObjective::new(preset("rosenbrock").expect("preset").formula).expect("compiles"),
    );
    let hand: Arc<dyn Objective> = Arc::new(Rosenbrock);
    let mut group = c.benchmark_group("rosenbrock_steps");
    group.throughput(Throughput::Elements(STEPS));
    for (name, objective) in [("rust", &hand), ("compiled_preset", &compiled)] {
        for (kind, lr) in [(OptimizerKind::Gd, 1e-3), (OptimizerKind::Adam, 1e-2)] {
            group.bench_function(format!("{kind}_{name}"), |bench| {
                bench.iter(|| {
                    let mut run = Run::new(objective.clone(), settings(kind, lr)).expect("valid");
                    run.run_to_end();
                    black_box(run.history().len())
                })
            });
        }
    }
    group.finish();
}

/// 100,000 examples on a noisy line.
fn line_100k() -> Arc<Dataset> {
    let m = 100_000;
    let x: Vec<f64> = (0..m).map(|i| (i as f64 / m as f64) * 10.0 - 5.0).collect();
    let y = x
        .iter()
        .enumerate()
        .map(|(i, &x)| 2.0 * x + 1.0 + ((i % 17) as f64 - 8.0) * 0.1)
        .collect();
    Arc::new(Dataset { x, y })
}

fn sgd_epoch(c: &mut Criterion) {
    let data = line_100k();
    let objective: Arc<dyn Objective> =
        Arc::new(DataFitObjective::new(data, "w*x + b", "mse", None).expect("compiles"));
    let settings = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Sgd),
        learning_rate: 0.01,
        batch_size: Some(32),
        max_epochs: Some(1),
        max_iterations: 10_000_000,
        ..RunSettings::default()
    };
    let mut group = c.benchmark_group("sgd_epoch_linear_regression_100k");
    group.sample_size(10);
    group.bench_function("batch_32", |bench| {
        bench.iter(|| {
            let mut run = Run::new(objective.clone(), settings.clone()).expect("valid");
            run.run_to_end();
            assert_eq!(run.iteration(), 3125);
            black_box(run.cost())
        })
    });
    group.finish();
}

fn sgd_batch_1_mae_epoch(c: &mut Criterion) {
    let objective: Arc<dyn Objective> =
        Arc::new(DataFitObjective::new(line_100k(), "w*x + b", "mae", None).expect("compiles"));
    let settings = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Sgd),
        learning_rate: 0.01,
        batch_size: Some(1),
        max_epochs: Some(1),
        max_iterations: 10_000_000,
        ..RunSettings::default()
    };
    let mut group = c.benchmark_group("sgd_epoch_mae_100k");
    group.sample_size(10);
    group.bench_function("sgd batch 1, mae, 100k examples, one epoch", |bench| {
        bench.iter(|| {
            let mut run = Run::new(objective.clone(), settings.clone()).expect("valid");
            run.run_to_end();
            assert_eq!(run.iteration(), 100_000);
            black_box(run.cost())
        })
    });
    group.finish();
}

criterion_group!(benches, rosenbrock_steps, sgd_epoch, sgd_batch_1_mae_epoch);
criterion_main!(benches);
