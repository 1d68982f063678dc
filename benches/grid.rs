//! Grid sampling speed: the 1024 x 1024 Rosenbrock grid `(1-w)^2 + 100*(b-w^2)^2` on
//! [-2, 2] x [-1, 3], through the grid sampler (batched rows, rayon), on 1 thread and on all
//! threads, both as the typed formula (compiled tape) and as a hand-written Rust function.
//! The result buffer is recycled between samplings (`GridSampler::sample_into`), so this
//! measures evaluation, not the kernel handing out fresh pages; one run with a fresh buffer
//! shows that cost. Run: `cargo bench --bench grid -- --warm-up-time 1 --measurement-time 3`.
//!
//! The data-fit group: logistic regression (`sigmoid(w*x + b)`, logloss) over 100,000
//! generated examples: one point's cost on one thread (the throughput is examples per second,
//! so criterion's time per element is one example's evaluation), its cost and gradient, and
//! a 128 x 128 grid of it on all threads (`losscape grid --dataset ... --res 128`).

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::sync::Arc;

use losscape::engine::data::ClassData;
use losscape::engine::objective::{DataFitObjective, FunctionObjective, Objective};
use losscape::engine::surface::GridSampler;
use losscape::engine::{Derivatives, Domain, Point};

const N: usize = 1024;
/// The formula as a user types it.
const ROSENBROCK: &str = "(1-w)^2 + 100*(b-w^2)^2";
const DOMAIN: Domain = Domain::new(-2.0, 2.0, -1.0, 3.0);

/// Rosenbrock written by hand: the speed a compiled formula is measured against.
struct HandRosenbrock;

fn rosenbrock(w: f64, b: f64) -> f64 {
    (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w)
}

impl Objective for HandRosenbrock {
    fn value(&self, p: Point) -> f64 {
        rosenbrock(p[0], p[1])
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let [w, b] = p;
        let r = b - w * w;
        (
            rosenbrock(w, b),
            [-2.0 * (1.0 - w) - 400.0 * w * r, 200.0 * r],
        )
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let [w, b] = p;
        let (value, gradient) = self.value_gradient(p);
        let hessian = [
            [2.0 - 400.0 * (b - 3.0 * w * w), -400.0 * w],
            [-400.0 * w, 200.0],
        ];
        Derivatives {
            value,
            gradient,
            hessian,
        }
    }
    fn values(&self, w: &[f64], b: &[f64], out: &mut [f64]) {
        for ((o, &wi), &bi) in out.iter_mut().zip(w).zip(b) {
            *o = rosenbrock(wi, bi);
        }
    }
    fn domain(&self) -> Domain {
        DOMAIN
    }
}

fn grid_benches(c: &mut Criterion) {
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut group = c.benchmark_group("grid_1024x1024_rosenbrock");
    group.throughput(Throughput::Elements((N * N) as u64));
    group.sample_size(10);
    let sampler = GridSampler::new(DOMAIN, N, N);
    for threads in [1, all] {
        // The pool is built once, outside the timing, as the CLI does.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_function(format!("hand_closure/{threads}_threads"), |bench| {
            // The result's memory is recycled from one sampling to the next, as the app does.
            let mut buffer = vec![0.0; N * N];
            bench.iter(|| {
                let grid = pool
                    .install(|| sampler.sample_into(&HandRosenbrock, std::mem::take(&mut buffer)));
                buffer = black_box(grid.expect("valid grid")).values;
            })
        });
    }
    // The same formula typed as text and compiled to a tape (what users get).
    let typed = FunctionObjective::new(ROSENBROCK).expect("the formula compiles");
    for threads in [1, all] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        group.bench_function(format!("typed_formula/{threads}_threads"), |bench| {
            let mut buffer = vec![0.0; N * N];
            bench.iter(|| {
                let grid =
                    pool.install(|| sampler.sample_into(&typed, std::mem::take(&mut buffer)));
                buffer = black_box(grid.expect("valid grid")).values;
            })
        });
    }
    // With a fresh result buffer each time: the kernel's page faults are included.
    group.bench_function("hand_closure_fresh_buffer/all_threads", |bench| {
        bench.iter(|| black_box(sampler.sample(&HandRosenbrock).expect("valid grid")))
    });
    // Reference: the same formula in two plain nested loops on this thread, no sampler.
    let mut out = vec![0.0; N * N];
    group.bench_function("plain_loop/1_threads", |bench| {
        bench.iter(|| {
            let step_w = DOMAIN.w_span() / (N - 1) as f64;
            let step_b = DOMAIN.b_span() / (N - 1) as f64;
            for (i, row) in out.chunks_mut(N).enumerate() {
                let b = DOMAIN.b_min + i as f64 * step_b;
                for (j, o) in row.iter_mut().enumerate() {
                    *o = rosenbrock(DOMAIN.w_min + j as f64 * step_w, b);
                }
            }
            black_box(&out);
        })
    });
    group.finish();
}

fn data_fit_benches(c: &mut Criterion) {
    const M: usize = 100_000;
    let data = ClassData {
        examples: M,
        ..ClassData::default()
    }
    .generate()
    .expect("valid settings");
    let logistic = DataFitObjective::new(Arc::new(data), "sigmoid(w*x + b)", "logloss", None)
        .expect("the model compiles");
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("thread pool");
    let mut group = c.benchmark_group("logistic_100k");
    group.throughput(Throughput::Elements(M as u64));
    group.bench_function("value_per_example/1_thread", |bench| {
        bench.iter(|| one.install(|| logistic.value(black_box([1.5, 0.3]))))
    });
    group.bench_function("value_gradient_per_example/1_thread", |bench| {
        bench.iter(|| one.install(|| logistic.value_gradient(black_box([1.5, 0.3]))))
    });
    group.finish();
    let mut group = c.benchmark_group("logistic_100k_grid");
    group.sample_size(10);
    let n = 128;
    group.throughput(Throughput::Elements((n * n * M) as u64));
    let sampler = GridSampler::new(logistic.domain(), n, n);
    group.bench_function("128x128/all_threads", |bench| {
        bench.iter(|| black_box(sampler.sample(&logistic).expect("valid grid")))
    });
    group.finish();
}

criterion_group!(benches, grid_benches, data_fit_benches);
criterion_main!(benches);
