//! Speed of the expression engine: single points in each mode, a 1024x1024 grid of the typed
//! Rosenbrock against a hand-written closure, and data-fit costs over 1,000,000 examples.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use losscape::engine::data::Dataset;
use losscape::engine::expr::{Input, Role, compile};
use losscape::engine::objective::{DataFitObjective, FunctionObjective, Objective, preset};
use rayon::prelude::*;

fn single_point(c: &mut Criterion) {
    let p = preset("himmelblau").expect("preset");
    let f = FunctionObjective::new(p.formula).expect("compiles");
    let mut g = c.benchmark_group("single point (himmelblau)");
    g.bench_function("value", |b| b.iter(|| f.value(black_box([1.2, -0.7]))));
    g.bench_function("value+gradient", |b| {
        b.iter(|| f.value_gradient(black_box([1.2, -0.7])))
    });
    g.bench_function("value+gradient+hessian", |b| {
        b.iter(|| f.derivatives(black_box([1.2, -0.7])))
    });
    g.finish();
}

fn grid_points(n: usize) -> (Vec<f64>, Vec<f64>) {
    let mut w = Vec::with_capacity(n * n);
    let mut b = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            w.push(-2.0 + 4.0 * i as f64 / (n - 1) as f64);
            b.push(-1.0 + 4.0 * j as f64 / (n - 1) as f64);
        }
    }
    (w, b)
}

fn grid(c: &mut Criterion) {
    let n = 1024;
    let (w, b) = grid_points(n);
    let mut out = vec![0.0; n * n];
    let e = compile("(1-w)^2 + 100*(b-w^2)^2", Role::Function).expect("compiles");
    let mut g = c.benchmark_group("rosenbrock grid 1024x1024");
    g.throughput(Throughput::Elements((n * n) as u64));
    g.sample_size(20);
    g.bench_function("typed formula, batched tape, 1 thread", |bch| {
        let mut scratch = Vec::new();
        bch.iter(|| {
            let inputs = [Input::Slice(&w), Input::Slice(&b)];
            e.tape.eval_batch(&inputs, &mut out, &mut scratch);
            black_box(out[12345])
        })
    });
    let closure = |w: f64, b: f64| (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w);
    g.bench_function("hand-written closure, 1 thread", |bch| {
        bch.iter(|| {
            for ((o, &wi), &bi) in out.iter_mut().zip(&w).zip(&b) {
                *o = closure(wi, bi);
            }
            black_box(out[12345])
        })
    });
    g.bench_function("typed formula, batched tape, all cores", |bch| {
        bch.iter(|| {
            out.par_chunks_mut(16 * 1024)
                .zip(w.par_chunks(16 * 1024))
                .zip(b.par_chunks(16 * 1024))
                .for_each_init(Vec::new, |scratch, ((o, wc), bc)| {
                    let inputs = [Input::Slice(wc), Input::Slice(bc)];
                    e.tape.eval_batch(&inputs, o, scratch);
                });
            black_box(out[12345])
        })
    });
    g.finish();
}

fn data_fit(c: &mut Criterion) {
    let m = 1_000_000;
    let x: Vec<f64> = (0..m)
        .map(|i| (i as f64 * 0.618_033_988_7).fract() * 4.0 - 2.0)
        .collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &x)| 2.0 * x + 1.0 + ((i as f64) * 1.3).sin() * 0.5)
        .collect();
    let classes: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &x)| f64::from(x + ((i as f64) * 0.7).sin() > 0.0))
        .collect();
    let lin_data = Arc::new(Dataset { x: x.clone(), y });
    let cls_data = Arc::new(Dataset { x, y: classes });
    let linear = DataFitObjective::new(lin_data.clone(), "w*x + b", "mse", None).expect("compiles");
    let general = DataFitObjective::new(lin_data.clone(), "w*x + b", "(yhat - y)^2/2", None)
        .expect("compiles");
    let logistic =
        DataFitObjective::new(cls_data, "sigmoid(w*x + b)", "logloss", None).expect("compiles");
    let mut g = c.benchmark_group("data fit, 1,000,000 examples");
    g.sample_size(10);
    g.bench_function("linear regression: build sufficient statistics", |b| {
        b.iter(|| {
            DataFitObjective::new(lin_data.clone(), "w*x + b", "mse", None).expect("compiles")
        })
    });
    g.bench_function("linear regression (fast path): value+gradient", |b| {
        b.iter(|| linear.value_gradient(black_box([1.5, 0.3])))
    });
    g.bench_function(
        "linear regression, loss as typed formula (general path): value",
        |b| b.iter(|| general.value(black_box([1.5, 0.3]))),
    );
    g.bench_function(
        "linear regression, loss as typed formula (general path): value+gradient",
        |b| b.iter(|| general.value_gradient(black_box([1.5, 0.3]))),
    );
    g.bench_function("logistic regression: value", |b| {
        b.iter(|| logistic.value(black_box([1.5, 0.3])))
    });
    g.bench_function("logistic regression: value+gradient", |b| {
        b.iter(|| logistic.value_gradient(black_box([1.5, 0.3])))
    });
    let batch: Vec<usize> = (0..m).step_by(31).take(256).collect();
    g.bench_function("linear regression (fast path): mini-batch of 256", |b| {
        b.iter(|| linear.batch_value_gradient(black_box([1.5, 0.3]), &batch))
    });
    g.bench_function("logistic regression: mini-batch of 256", |b| {
        b.iter(|| logistic.batch_value_gradient(black_box([1.5, 0.3]), &batch))
    });
    g.finish();
}

criterion_group!(benches, single_point, grid, data_fit);
criterion_main!(benches);
