//! Speed of the explore engine on Rosenbrock `(1-w)^2 + 100*(b-w^2)^2` from (-1, 1):
//!
//! - `explore/scan_gd_160x300`: a learning-rate scan, 160 rates from 1e-5 to 1e-2 (the upper
//!   third diverges), 300 iterations each, the cost of every run at every iteration kept;
//! - `explore/tune_adam_200`: tuning Adam's learning rate for 200 iterations (66 runs);
//! - `explore/range_test_{gd,adam}_100`: a range test of 100 updates from 1e-6 to 10;
//! - `explore/ensemble_gd_noise_64x300`: 64 seeds of gradient descent with gradient noise;
//! - `explore/basins_himmelblau_gd_128x128x500`: the app's basins on the contour map for the
//!   typed formula `(w^2+b-11)^2 + (w+b^2-7)^2`: 128 x 128 starts, up to 500 steps each
//!   (the target: the whole picture within 150 ms of a learning-rate change).
//!
//! All on the current rayon pool (every core). Run: `cargo bench --bench explore`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use losscape::engine::Domain;
use losscape::engine::explore::{
    LearningRateScan, LearningRateScanSpec, RangeTestSpec, ensemble, range_test, tune_learning_rate,
};
use losscape::engine::objective::{FunctionObjective, Objective};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, RunSettings};

fn rosenbrock() -> Arc<dyn Objective> {
    Arc::new(FunctionObjective::new("(1-w)^2 + 100*(b-w^2)^2").expect("the formula compiles"))
}

fn base(kind: OptimizerKind) -> RunSettings {
    RunSettings {
        optimizer: OptimizerSettings::default_for(kind),
        learning_rate: 1e-3,
        init: Initialization::Manual { w: -1.0, b: 1.0 },
        max_iterations: 300,
        ..RunSettings::default()
    }
}

fn explore(c: &mut Criterion) {
    let objective = rosenbrock();
    let domain = Domain::new(-2.0, 2.0, -1.0, 3.0);
    let minima = [[1.0, 1.0]];
    let quiet = |_: f32| {};
    let mut group = c.benchmark_group("explore");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("scan_gd_160x300", |b| {
        let spec = LearningRateScanSpec {
            lo: 1e-5,
            hi: 1e-2,
            count: 160,
            iterations: 300,
            late: 64,
        };
        let gd = base(OptimizerKind::Gd);
        b.iter(|| {
            black_box(
                LearningRateScan::compute(
                    Arc::clone(&objective),
                    &gd,
                    &minima,
                    domain,
                    &spec,
                    None,
                    &quiet,
                )
                .expect("a scan"),
            )
        });
    });
    group.bench_function("tune_adam_200", |b| {
        let adam = base(OptimizerKind::Adam);
        b.iter(|| {
            black_box(
                tune_learning_rate(
                    Arc::clone(&objective),
                    &adam,
                    200,
                    &minima,
                    domain,
                    None,
                    &quiet,
                )
                .expect("a tune"),
            )
        });
    });
    for kind in [OptimizerKind::Gd, OptimizerKind::Adam] {
        group.bench_function(format!("range_test_{}_100", kind.name()), |b| {
            let settings = base(kind);
            let spec = RangeTestSpec::default();
            b.iter(|| {
                black_box(
                    range_test(Arc::clone(&objective), &settings, &spec, None)
                        .expect("a range test"),
                )
            });
        });
    }
    group.bench_function("ensemble_gd_noise_64x300", |b| {
        let noisy = RunSettings {
            simulated_noise: 1.0,
            ..base(OptimizerKind::Gd)
        };
        b.iter(|| {
            black_box(
                ensemble(
                    Arc::clone(&objective),
                    &noisy,
                    64,
                    &minima,
                    domain,
                    None,
                    &quiet,
                )
                .expect("an ensemble"),
            )
        });
    });
    group.finish();
}

fn basins(c: &mut Criterion) {
    use losscape::engine::map::{Axis, AxisName, MapJob};
    let objective: Arc<dyn Objective> = Arc::new(
        FunctionObjective::new("(w^2+b-11)^2 + (w+b^2-7)^2").expect("the formula compiles"),
    );
    let minima = vec![
        [3.0, 2.0],
        [-2.805_118, 3.131_312],
        [-3.779_310, -3.283_186],
        [3.584_428, -1.848_126],
    ];
    let domain = Domain::new(-5.0, 5.0, -5.0, 5.0);
    let base = RunSettings {
        learning_rate: 0.01,
        max_iterations: 500,
        ..RunSettings::default()
    };
    let axis = |name, count| Axis {
        name,
        lo: -5.0,
        hi: 5.0,
        log: false,
        count,
    };
    let job = MapJob::new(
        objective,
        base,
        axis(AxisName::W0, 128),
        Some(axis(AxisName::B0, 128)),
        minima,
        domain,
    )
    .expect("a valid map");
    let mut group = c.benchmark_group("explore");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(5));
    group.bench_function("basins_himmelblau_gd_128x128x500", |b| {
        b.iter(|| black_box(job.run()))
    });
    group.finish();
}

criterion_group!(benches, explore, basins);
criterion_main!(benches);
