//! Map-job speed in optimizer steps per second (one step = one update of one run = one
//! gradient evaluation; criterion's elements are steps, cells x 200).
//!
//! - `map/rosenbrock_gd_512x512_200/threads=K`: `losscape map '(1-w)^2 + 100*(b-w^2)^2'
//!   --optimizer gd --lr 1e-3 --steps 200 --x w0:-2:2 --y b0:-1:3 --res 512`, the typed
//!   formula through the lockstep engine, on a rayon pool of 1 and of 2 threads.
//! - `map/rosenbrock_adam_512x512_200/threads=1`: the same map with Adam (default betas).
//! - `map/hand_written_{gd,adam}_512x512_200`: the ceiling: the same 512 x 512 starts stepped
//!   by a plain batched loop on one core, gradient written by hand, arrays of w and b, no
//!   stopping tests, no cost, no history.
//! - `map/engine_fused_gradient_gd_512x512_200`: the GD map through the engine, with the
//!   formula's value and gradient fused into one loop by hand (the same arithmetic, so the
//!   same cells): the most a compiler of typed formulas could give this engine.
//! - `.../_widest_vectors`: the same loops compiled for the widest vectors the processor has,
//!   chosen at run time, as the engine's evaluation and lockstep passes are (the plain loops
//!   are built for baseline x86-64, two numbers per vector).
//!
//! Cells that diverge stop early in the engine (the setup prints how many steps the map
//! really takes) but count as 200 steps here, as in the hand-written loops.
//!
//! Targets (the map-engine issue): one thread at least 5x NumPy's vectorized batched GD and
//! within 2.5x of the hand-written loop; two threads at least 1.8x one; Adam at least 5x
//! NumPy's Adam. The NumPy numbers come from `tools/map_benchmark.py`, run by hand.
//! Run: `cargo bench --bench map`.

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{
    BenchmarkId, Criterion, SamplingMode, Throughput, criterion_group, criterion_main,
};
use losscape::engine::expr::ops::square;
use losscape::engine::expr::{Dual, GradientScratch, Num};
use losscape::engine::map::{Axis, CellOutcome, CellStatus, MapJob};
use losscape::engine::objective::{FunctionObjective, Objective};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, RunSettings};
use losscape::engine::{Derivatives, Domain};

/// Cells along each axis.
const RES: usize = 512;
const STEPS: u64 = 200;
const LR: f64 = 1e-3;
const ROSENBROCK: &str = "(1-w)^2 + 100*(b-w^2)^2";
const W_RANGE: (f64, f64) = (-2.0, 2.0);
const B_RANGE: (f64, f64) = (-1.0, 3.0);
/// Runs the hand-written loops step together: small enough to stay in L1.
const BLOCK: usize = 256;

fn job(kind: OptimizerKind) -> MapJob {
    job_of(
        Arc::new(FunctionObjective::new(ROSENBROCK).expect("the formula compiles")),
        kind,
    )
}

fn job_of(objective: Arc<dyn Objective>, kind: OptimizerKind) -> MapJob {
    let base = RunSettings {
        optimizer: OptimizerSettings::default_for(kind),
        learning_rate: LR,
        max_iterations: STEPS,
        init: Initialization::Manual { w: 0.0, b: 0.0 },
        ..RunSettings::default()
    };
    let x = Axis::parse(&format!("w0:{}:{}", W_RANGE.0, W_RANGE.1), RES).expect("x axis");
    let y = Axis::parse(&format!("b0:{}:{}", B_RANGE.0, B_RANGE.1), RES).expect("y axis");
    MapJob::new(
        objective,
        base,
        x,
        Some(y),
        vec![[1.0, 1.0]],
        Domain::new(W_RANGE.0, W_RANGE.1, B_RANGE.0, B_RANGE.1),
    )
    .expect("a valid job")
}

/// Runs the job once and prints the steps it really takes (diverged cells stop early).
fn report_steps(name: &str, job: &MapJob) {
    let outcomes = job.run();
    let steps: u64 = outcomes.iter().map(|o| o.iterations).sum();
    let diverged = outcomes
        .iter()
        .filter(|o| o.status == CellStatus::Diverged)
        .count();
    eprintln!(
        "{name}: {} cells, {diverged} diverged, {steps} steps taken ({:.1}% of cells x {STEPS})",
        outcomes.len(),
        100.0 * steps as f64 / (outcomes.len() as u64 * STEPS) as f64,
    );
}

/// The starts in cell order (x fastest), with the axes' spacing lo + i (hi - lo)/(n - 1).
fn starts() -> (Vec<f64>, Vec<f64>) {
    let along = |(lo, hi): (f64, f64), i: usize| lo + i as f64 * (hi - lo) / (RES - 1) as f64;
    (0..RES * RES)
        .map(|cell| (along(W_RANGE, cell % RES), along(B_RANGE, cell / RES)))
        .unzip()
}

/// 200 GD steps from every start, a block of runs at a time.
#[inline(always)]
fn hand_written_gd(w: &mut [f64], b: &mut [f64], lr: f64) {
    for (w, b) in w.chunks_mut(BLOCK).zip(b.chunks_mut(BLOCK)) {
        for _ in 0..STEPS {
            for (w, b) in w.iter_mut().zip(b.iter_mut()) {
                let r = *b - *w * *w;
                let gw = -2.0 * (1.0 - *w) - 400.0 * *w * r;
                let gb = 200.0 * r;
                *w -= lr * gw;
                *b -= lr * gb;
            }
        }
    }
}

/// 200 Adam steps (torch's formulas, default betas and eps) from every start.
#[inline(always)]
fn hand_written_adam(w: &mut [f64], b: &mut [f64], lr: f64) {
    let (beta1, beta2, eps) = (0.9_f64, 0.999_f64, 1e-8);
    let mut m = [[0.0; BLOCK]; 2];
    let mut v = [[0.0; BLOCK]; 2];
    for (w, b) in w.chunks_mut(BLOCK).zip(b.chunks_mut(BLOCK)) {
        let n = w.len();
        for state in m.iter_mut().chain(v.iter_mut()) {
            state.fill(0.0);
        }
        let [mw, mb] = &mut m;
        let [vw, vb] = &mut v;
        for t in 1..=STEPS as i32 {
            let step = lr / (1.0 - beta1.powi(t));
            let root = (1.0 - beta2.powi(t)).sqrt();
            let lanes = w
                .iter_mut()
                .zip(b.iter_mut())
                .zip(mw[..n].iter_mut().zip(mb[..n].iter_mut()))
                .zip(vw[..n].iter_mut().zip(vb[..n].iter_mut()));
            for (((w, b), (mw, mb)), (vw, vb)) in lanes {
                let r = *b - *w * *w;
                let gw = -2.0 * (1.0 - *w) - 400.0 * *w * r;
                let gb = 200.0 * r;
                *mw = beta1 * *mw + (1.0 - beta1) * gw;
                *mb = beta1 * *mb + (1.0 - beta1) * gb;
                *vw = beta2 * *vw + (1.0 - beta2) * gw * gw;
                *vb = beta2 * *vb + (1.0 - beta2) * gb * gb;
                *w -= step * *mw / (vw.sqrt() / root + eps);
                *b -= step * *mb / (vb.sqrt() / root + eps);
            }
        }
    }
}

/// The typed Rosenbrock with its batched value and gradient written by hand: the tape's dual
/// arithmetic, operation for operation, fused into one loop with no intermediate arrays and
/// compiled for the widest vectors. The engine with it shows what compiling the formula to
/// machine code at run time could give at best: everything else stays the engine's.
struct FusedRosenbrock(FunctionObjective);

impl Objective for FusedRosenbrock {
    fn value(&self, p: [f64; 2]) -> f64 {
        self.0.value(p)
    }

    fn value_gradient(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
        self.0.value_gradient(p)
    }

    fn derivatives(&self, p: [f64; 2]) -> Derivatives {
        self.0.derivatives(p)
    }

    fn domain(&self) -> Domain {
        self.0.domain()
    }

    fn value_gradient_batch(
        &self,
        w: &[f64],
        b: &[f64],
        cost: &mut [f64],
        grad_w: &mut [f64],
        grad_b: &mut [f64],
        _: &mut GradientScratch,
    ) {
        pulp::Arch::new().dispatch(FusedBatch {
            w,
            b,
            cost,
            grad_w,
            grad_b,
        });
    }
}

struct FusedBatch<'a> {
    w: &'a [f64],
    b: &'a [f64],
    cost: &'a mut [f64],
    grad_w: &'a mut [f64],
    grad_b: &'a mut [f64],
}

impl pulp::WithSimd for FusedBatch<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        let n = self.cost.len();
        let (w, b) = (&self.w[..n], &self.b[..n]);
        let (grad_w, grad_b) = (&mut self.grad_w[..n], &mut self.grad_b[..n]);
        for i in 0..n {
            let x = Dual::new(w[i], [1.0, 0.0]);
            let y = Dual::new(b[i], [0.0, 1.0]);
            let left = square(Dual::sub(Dual::constant(1.0), x));
            let right = square(Dual::sub(y, square(x)));
            let j = Dual::add(Dual::mul(Dual::constant(100.0), right), left);
            (self.cost[i], grad_w[i], grad_b[i]) = (j.v, j.g[0], j.g[1]);
        }
    }
}

/// A hand-written loop compiled for the widest vectors the processor has, as the engine's
/// evaluation and lockstep passes are (the plain loops above are built for baseline x86-64).
struct Widest<'a, F>(&'a mut [f64], &'a mut [f64], f64, F);

impl<F: FnOnce(&mut [f64], &mut [f64], f64)> pulp::WithSimd for Widest<'_, F> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        (self.3)(self.0, self.1, self.2)
    }
}

fn map(c: &mut Criterion) {
    let cells = (RES * RES) as u64;
    let gd = job(OptimizerKind::Gd);
    let adam = job(OptimizerKind::Adam);
    let (w0, b0) = starts();
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
    };
    let pools = [(1, pool(1)), (2, pool(2))];

    let mut group = c.benchmark_group("map");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.warm_up_time(Duration::from_secs(2));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Elements(cells * STEPS));

    // Criterion calls a routine many times; `reported` prints the steps once, and only for
    // the benches the filter selects.
    let mut reported = false;
    for (threads, pool) in &pools {
        group.bench_function(
            BenchmarkId::new("rosenbrock_gd_512x512_200", format!("threads={threads}")),
            |bench| {
                if !std::mem::replace(&mut reported, true) {
                    report_steps("gd map", &gd);
                }
                bench.iter(|| black_box(pool.install(|| black_box(&gd).run())))
            },
        );
    }
    let mut reported = false;
    group.bench_function(
        BenchmarkId::new("rosenbrock_adam_512x512_200", "threads=1"),
        |bench| {
            if !std::mem::replace(&mut reported, true) {
                report_steps("adam map", &adam);
            }
            bench.iter(|| black_box(pools[0].1.install(|| black_box(&adam).run())))
        },
    );
    // The engine with the formula's evaluation fused by hand; its cells are the typed
    // formula's, bit for bit.
    let fused = job_of(
        Arc::new(FusedRosenbrock(
            FunctionObjective::new(ROSENBROCK).expect("the formula compiles"),
        )),
        OptimizerKind::Gd,
    );
    let mut checked = false;
    group.bench_function("engine_fused_gradient_gd_512x512_200", |bench| {
        if !std::mem::replace(&mut checked, true) {
            let (typed, by_hand) = pools[0].1.install(|| (gd.run(), fused.run()));
            let bits =
                |c: &CellOutcome| (c.status, c.iterations, [c.w, c.b, c.cost].map(f64::to_bits));
            assert!(
                typed.iter().map(bits).eq(by_hand.iter().map(bits)),
                "the fused evaluation gives the typed formula's cells"
            );
        }
        bench.iter(|| black_box(pools[0].1.install(|| black_box(&fused).run())))
    });
    type Loop = fn(&mut [f64], &mut [f64], f64);
    let loops: [(&str, Loop); 4] = [
        ("hand_written_gd_512x512_200", hand_written_gd),
        ("hand_written_adam_512x512_200", hand_written_adam),
        ("hand_written_gd_512x512_200_widest_vectors", |w, b, lr| {
            pulp::Arch::new().dispatch(Widest(w, b, lr, hand_written_gd))
        }),
        (
            "hand_written_adam_512x512_200_widest_vectors",
            |w, b, lr| pulp::Arch::new().dispatch(Widest(w, b, lr, hand_written_adam)),
        ),
    ];
    for (name, step) in loops {
        group.bench_function(name, |bench| {
            bench.iter(|| {
                let (mut w, mut b) = (black_box(&w0).clone(), black_box(&b0).clone());
                step(&mut w, &mut b, black_box(LR));
                black_box((w, b))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, map);
criterion_main!(benches);
