//! Every preset's listed stationary points really are what the list says, and data-fit
//! derivatives (fast path and general path) agree with finite differences and direct sums.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;

use losscape::engine::data::Dataset;
use losscape::engine::expr::Part;
use losscape::engine::objective::{
    DataFitObjective, FunctionObjective, Objective, PresetGroup, PresetKind, presets,
};
use losscape::engine::{Point, PointKind};

fn function_objective(formula: &str) -> FunctionObjective {
    FunctionObjective::new(formula).unwrap()
}

#[test]
fn every_listed_point_is_stationary_with_the_stated_value_and_type() {
    let mut checked = 0;
    for p in presets().iter().filter(|p| p.kind == PresetKind::Function) {
        let f = function_objective(p.formula);
        assert!(!p.known_points.is_empty(), "{} lists no points", p.name);
        let unbounded = p.group == PresetGroup::Saddles;
        assert_eq!(
            p.known_points
                .iter()
                .any(|k| k.kind == PointKind::GlobalMinimum),
            !unbounded,
            "{}: a bounded-below preset lists its global minimum",
            p.name
        );
        for k in p.known_points {
            let d = f.derivatives(k.at);
            let scale = 1.0 + k.value.abs();
            assert!(
                (d.value - k.value).abs() <= 1e-9 * scale,
                "{} at {:?}: J = {} but listed {}",
                p.name,
                k.at,
                d.value,
                k.value
            );
            if p.name == "ackley" {
                // The minimum of Ackley is a sharp point: check it is lower than all around it.
                for (dw, db) in [
                    (1e-3, 0.0),
                    (-1e-3, 0.0),
                    (0.0, 1e-3),
                    (0.0, -1e-3),
                    (1e-3, 1e-3),
                ] {
                    assert!(f.value([k.at[0] + dw, k.at[1] + db]) > d.value);
                }
                checked += 1;
                continue;
            }
            let gn = d.gradient[0].hypot(d.gradient[1]);
            assert!(
                gn <= 1e-6,
                "{} at {:?}: gradient {:?}",
                p.name,
                k.at,
                d.gradient
            );
            let h = d.hessian;
            assert_eq!(h[0][1], h[1][0], "{}: Hessian not symmetric", p.name);
            let tr = h[0][0] + h[1][1];
            let det = h[0][0] * h[1][1] - h[0][1] * h[1][0];
            match k.kind {
                PointKind::GlobalMinimum | PointKind::LocalMinimum => {
                    assert!(
                        det > 0.0 && tr > 0.0,
                        "{} at {:?}: Hessian {:?} not positive definite",
                        p.name,
                        k.at,
                        h
                    )
                }
                PointKind::Maximum => {
                    assert!(
                        det > 0.0 && tr < 0.0,
                        "{} at {:?}: Hessian {:?} not negative definite",
                        p.name,
                        k.at,
                        h
                    )
                }
                PointKind::Saddle => {
                    if p.name == "monkey-saddle" {
                        assert_eq!(h, [[0.0, 0.0], [0.0, 0.0]]);
                        // Degenerate saddle: J takes both signs around it.
                        assert!(f.value([0.1, 0.0]) > 0.0 && f.value([-0.1, 0.0]) < 0.0);
                    } else {
                        assert!(
                            det < 0.0,
                            "{} at {:?}: Hessian {:?} is not indefinite",
                            p.name,
                            k.at,
                            h
                        )
                    }
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 40, "only {checked} points checked");
}

#[test]
fn global_minima_are_the_lowest_listed_and_inside_the_domain() {
    for p in presets().iter().filter(|p| p.kind == PresetKind::Function) {
        let d = p.domain.unwrap();
        let g = p
            .known_points
            .iter()
            .filter(|k| k.kind == PointKind::GlobalMinimum)
            .map(|k| k.value)
            .fold(f64::INFINITY, f64::min);
        for k in p.known_points {
            assert!(
                d.contains(k.at),
                "{}: {:?} outside its domain",
                p.name,
                k.at
            );
            if k.kind == PointKind::LocalMinimum {
                assert!(
                    k.value > g,
                    "{}: local minimum below the global one",
                    p.name
                );
            }
        }
        // No grid point of the domain is below the global minimum.
        if !g.is_finite() {
            continue;
        }
        let f = function_objective(p.formula);
        for i in 0..=60 {
            for j in 0..=60 {
                let w = d.w_min + d.w_span() * f64::from(i) / 60.0;
                let b = d.b_min + d.b_span() * f64::from(j) / 60.0;
                assert!(
                    f.value([w, b]) >= g - 1e-9,
                    "{}: J({w}, {b}) below the global minimum",
                    p.name
                );
            }
        }
    }
}

fn data() -> Arc<Dataset> {
    // Made-up sizes (x) and prices (y) with some scatter.
    let x: Vec<f64> = (0..57)
        .map(|i| 0.5 + 0.05 * f64::from(i) + 0.01 * f64::from(i % 7))
        .collect();
    let y: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &x)| 1.8 * x + 0.4 + 0.3 * ((i as f64) * 1.7).sin())
        .collect();
    Arc::new(Dataset { x, y })
}

fn classes() -> Arc<Dataset> {
    let x: Vec<f64> = (0..40)
        .map(|i| f64::from(i) * 0.15 - 3.0 + 0.4 * (f64::from(i) * 2.3).sin())
        .collect();
    let y: Vec<f64> = (0..40)
        .map(|i| {
            if (f64::from(i) + 3.0 * (f64::from(i)).cos()) > 20.0 {
                1.0
            } else {
                0.0
            }
        })
        .collect();
    Arc::new(Dataset { x, y })
}

/// Central finite differences of value (gradient) and of the gradient (Hessian).
fn check_fd(f: &dyn Objective, p: Point, tol: f64) {
    let h = 1e-5;
    let d = f.derivatives(p);
    let (v, g) = f.value_gradient(p);
    assert!((v - d.value).abs() <= 1e-12 * (1.0 + v.abs()));
    assert!((f.value(p) - v).abs() <= 1e-10 * (1.0 + v.abs()));
    for k in 0..2 {
        let mut a = p;
        let mut b = p;
        a[k] += h;
        b[k] -= h;
        let fd = (f.value(a) - f.value(b)) / (2.0 * h);
        assert!(
            (fd - g[k]).abs() <= tol * (1.0 + fd.abs()),
            "gradient {k}: {} vs fd {fd}",
            g[k]
        );
        let (ga, gb) = (f.value_gradient(a).1, f.value_gradient(b).1);
        for j in 0..2 {
            let fdh = (ga[j] - gb[j]) / (2.0 * h);
            assert!(
                (fdh - d.hessian[j][k]).abs() <= tol * (1.0 + fdh.abs()),
                "hessian {j}{k}: {} vs fd {fdh}",
                d.hessian[j][k]
            );
        }
    }
}

#[test]
fn linear_regression_uses_the_fast_path_and_it_equals_the_direct_sum() {
    let f = DataFitObjective::new(data(), "w*x + b", "mse", None).unwrap();
    assert!(f.uses_sufficient_statistics());
    for p in [[0.0, 0.0], [1.8, 0.4], [-3.0, 5.0], [100.0, -20.0]] {
        let fast = f.derivatives(p);
        let direct = f.direct_data_derivatives(p);
        assert!(
            (fast.value - direct.value).abs() <= 1e-10 * (1.0 + direct.value.abs()),
            "{fast:?} vs {direct:?}"
        );
        for k in 0..2 {
            assert!(
                (fast.gradient[k] - direct.gradient[k]).abs()
                    <= 1e-10 * (1.0 + direct.gradient[k].abs())
            );
            for j in 0..2 {
                assert!(
                    (fast.hessian[k][j] - direct.hessian[k][j]).abs()
                        <= 1e-10 * (1.0 + direct.hessian[k][j].abs())
                );
            }
        }
        check_fd(&f, p, 1e-6);
    }
    // J is the tutorial's 1/(2m) sum of squared errors.
    let d = data();
    let p = [1.0, 0.5];
    let manual: f64 =
        d.x.iter()
            .zip(&d.y)
            .map(|(x, y)| (p[0] * x + p[1] - y).powi(2))
            .sum::<f64>()
            / (2.0 * d.len() as f64);
    assert!((f.value(p) - manual).abs() < 1e-12 * manual);
    // The known minimum is where the gradient vanishes.
    let k = &f.known_points()[0];
    let g = f.value_gradient(k.at).1;
    assert!(g[0].abs() < 1e-10 && g[1].abs() < 1e-10, "{g:?}");
    // Mini-batches are exact over the listed examples.
    let idx = [3usize, 10, 11, 40];
    let (bv, bg) = f.batch_value_gradient(p, &idx);
    let mut mv = 0.0;
    let mut mg = [0.0; 2];
    for &i in &idx {
        let r = p[0] * d.x[i] + p[1] - d.y[i];
        mv += r * r / 2.0;
        mg[0] += r * d.x[i];
        mg[1] += r;
    }
    assert!(
        (bv - mv / 4.0).abs() < 1e-12
            && (bg[0] - mg[0] / 4.0).abs() < 1e-12
            && (bg[1] - mg[1] / 4.0).abs() < 1e-12
    );
}

#[test]
fn general_path_matches_finite_differences() {
    let cases = [
        ("w*x + b", "mae", None),
        ("w*x + b", "huber", Some("0.1*(w^2 + b^2)")),
        ("tanh(w*x) + b*x^2", "(yhat - y)^2", None),
        ("sigmoid(w*x + b)", "logloss", None),
        (
            "sigmoid(w*x + b)",
            "-(y*ln(yhat) + (1 - y)*ln(1 - yhat))",
            Some("0.01*w^2"),
        ),
    ];
    for (model, loss, reg) in cases {
        let dset = if loss.contains("log") || loss.contains("ln") {
            classes()
        } else {
            data()
        };
        let f = DataFitObjective::new(dset, model, loss, reg).unwrap();
        assert!(!f.uses_sufficient_statistics());
        for p in [[0.3, -0.2], [1.1, 0.7], [-0.8, 1.9]] {
            check_fd(&f, p, 1e-5);
        }
    }
}

#[test]
fn stable_logloss_equals_the_written_formula_where_both_are_accurate() {
    let fused = DataFitObjective::new(classes(), "sigmoid(w*x + b)", "logloss", None).unwrap();
    let plain = DataFitObjective::new(
        classes(),
        "sigmoid(w*x + b)",
        "-(y*ln(yhat) + (1 - y)*ln(1 - yhat))",
        None,
    )
    .unwrap();
    for p in [[0.5, 0.1], [-1.0, 2.0], [2.0, -3.0]] {
        let (a, b) = (fused.derivatives(p), plain.derivatives(p));
        assert!((a.value - b.value).abs() < 1e-10, "{a:?} {b:?}");
        assert!((a.gradient[0] - b.gradient[0]).abs() < 1e-9);
        assert!((a.hessian[0][0] - b.hessian[0][0]).abs() < 1e-8);
    }
    // Far out, the stable form stays finite where sigmoid saturates to exactly 0 or 1.
    let (v, g) = fused.value_gradient([80.0, 40.0]);
    assert!(v.is_finite() && g[0].is_finite() && g[1].is_finite());
}

/// `m` examples of two overlapping classes, with inputs out to +-12 so that z reaches
/// +-800 and beyond for large w.
fn wide_classes(m: usize) -> Arc<Dataset> {
    let x = (0..m)
        .map(|i| 12.0 * (i as f64 * 0.618_034).fract() * 2.0 - 12.0)
        .collect::<Vec<f64>>();
    let y = x
        .iter()
        .enumerate()
        .map(|(i, &v)| f64::from(u8::from(v + 3.0 * (i as f64).sin() > 0.5)))
        .collect();
    Arc::new(Dataset { x, y })
}

/// The logit z of an input at (w, b), and its derivatives in w and b.
type Logit = fn(f64, Point) -> (f64, [f64; 2]);

/// Mean logistic cost and gradient over `rows` by the plain per-example formula (standard
/// library exp and ln_1p), with the sum of |gradient terms| (the scale of its rounding).
fn plain_logistic(
    d: &Dataset,
    logit: Logit,
    p: Point,
    rows: &[usize],
) -> (f64, [f64; 2], [f64; 2]) {
    let (mut v, mut g, mut scale) = (0.0, [0.0; 2], [0.0; 2]);
    for &i in rows {
        let (z, dz) = logit(d.x[i], p);
        let y = d.y[i];
        v += (z.max(0.0) - y * z) + (-z.abs()).exp().ln_1p();
        let s = if z >= 0.0 {
            1.0 / (1.0 + (-z).exp())
        } else {
            z.exp() / (1.0 + z.exp())
        };
        for k in 0..2 {
            g[k] += (s - y) * dz[k];
            scale[k] += ((s - y) * dz[k]).abs();
        }
    }
    let n = rows.len() as f64;
    (v / n, [g[0] / n, g[1] / n], [scale[0] / n, scale[1] / n])
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(24))]

    // The fused, vectorized logistic path (logloss of sigmoid(affine)) equals the plain
    // per-example formula: cost, gradient, mini-batches and grids, on one thread or all
    // (40,000 examples), out where |z| is in the hundreds and the naive form overflows.
    #[test]
    fn fused_logistic_path_matches_plain_sums(
        w in -70.0f64..70.0,
        b in -300.0f64..300.0,
        large in proptest::bool::ANY,
    ) {
        let data = wide_classes(if large { 40_000 } else { 1_000 });
        let models: [(&str, Logit); 2] = [
            ("sigmoid(w*x + b)", |x, p| (p[0] * x + p[1], [x, 1.0])),
            ("sigmoid(w*(x - 1) + 2*b)", |x, p| (p[0] * (x - 1.0) + 2.0 * p[1], [x - 1.0, 2.0])),
        ];
        for (model, logit) in models {
            let f = DataFitObjective::new(Arc::clone(&data), model, "logloss", None).unwrap();
            proptest::prop_assert!(f.uses_fused_logistic(), "{}", model);
            let p = [w, b];
            let all: Vec<usize> = (0..data.len()).collect();
            let (rv, rg, scale) = plain_logistic(&data, logit, p, &all);
            let (v, g) = f.value_gradient(p);
            let close = |a: f64, b: f64, s: f64| (a - b).abs() <= 1e-12 * s;
            proptest::prop_assert!(v.is_finite() && close(v, rv, rv.abs()), "{} {} vs {}", model, v, rv);
            for k in 0..2 {
                proptest::prop_assert!(close(g[k], rg[k], scale[k]), "{} {:?} vs {:?}", model, g, rg);
            }
            proptest::prop_assert_eq!(f.value(p), v);
            // A grid's batched evaluation gives each point exactly its value.
            let mut out = [0.0; 2];
            f.values(&[w, 0.5], &[b, -0.25], &mut out);
            proptest::prop_assert_eq!(out[0], v);
            proptest::prop_assert_eq!(out[1], f.value([0.5, -0.25]));
            // Rows of shared columns (as grids ask) share each column's exponentials.
            let (ws, bs) = ([w * 0.3, 0.5, -2.0], [b * 0.5, -0.25]);
            let mut grid = [0.0; 6];
            let wv: Vec<f64> = ws.iter().chain(&ws).copied().collect();
            let bv = [bs[0], bs[0], bs[0], bs[1], bs[1], bs[1]];
            f.values(&wv, &bv, &mut grid);
            for (k, &g) in grid.iter().enumerate() {
                let want = f.value([wv[k], bv[k]]);
                proptest::prop_assert!(close(g, want, want.abs()), "{} {} vs {}", model, g, want);
            }
            // A mini-batch of scattered examples.
            let batch: Vec<usize> = (0..37).map(|i| (i * 7919) % data.len()).collect();
            let (bv, bg) = f.batch_value_gradient(p, &batch);
            let (rv, rg, scale) = plain_logistic(&data, logit, p, &batch);
            proptest::prop_assert!(close(bv, rv, rv.abs()), "{} {} vs {}", model, bv, rv);
            for k in 0..2 {
                proptest::prop_assert!(close(bg[k], rg[k], scale[k]));
            }
        }
    }
}

#[test]
fn constants_are_settable_without_recompiling() {
    let mut f = FunctionObjective::new("a*(w - c)^2 + b^2").unwrap();
    assert_eq!(f.constant_names(), ["a".to_string(), "c".to_string()]);
    assert_eq!(f.value([1.0, 0.0]), 0.0);
    assert!(f.set_constant("c", 3.0));
    assert!(f.set_constant("a", 2.0));
    assert!(!f.set_constant("zzz", 2.0));
    assert_eq!(f.value([1.0, 0.0]), 8.0);
    let mut batch = [0.0; 2];
    f.values(&[1.0, 3.0], &[0.0, 1.0], &mut batch);
    assert_eq!(batch, [8.0, 1.0]);
}

// A loss or model that cannot fit anything is an error in its own field, never a constant
// cost that "converges" at once.
#[test]
fn losses_and_models_that_fit_nothing_are_refused() {
    let e = DataFitObjective::new(data(), "w*x + b", "log_loss", None).unwrap_err();
    assert_eq!((e.part, e.position, e.length), (Part::Loss, 0, 8));
    assert!(e.message.contains("unknown loss `log_loss`"), "{e}");
    let hint = e.hint.clone().unwrap();
    for name in ["did you mean `logloss`?", "mse", "mae", "huber", "logloss"] {
        assert!(hint.contains(name), "{hint}");
    }
    let e = DataFitObjective::new(data(), "w*x + b", "  hinge ", None).unwrap_err();
    assert_eq!((e.part, e.position, e.length), (Part::Loss, 2, 5));
    assert!(e.hint.unwrap().contains("mse, mae, huber"));
    let e = DataFitObjective::new(data(), "w*x + b", "pi", None).unwrap_err();
    assert!(e.message.contains("unknown loss `pi`"), "{e}");
    for loss in ["2", "(y - 1)^2", "k*y", "yhat^2", "abs(yhat - k)", "yhat"] {
        let e = DataFitObjective::new(data(), "w*x + b", loss, None).unwrap_err();
        assert_eq!(e.part, Part::Loss, "{loss}");
        assert!(e.message.contains("does not use"), "{loss}: {e}");
    }
    for model in ["3", "k", "x^2", "c*sin(x)"] {
        let e = DataFitObjective::new(data(), model, "mse", None).unwrap_err();
        assert_eq!(e.part, Part::Model, "{model}");
        assert!(e.message.contains("does not use"), "{model}: {e}");
    }
    // Fitting a constant, or a model without x, is still a fit.
    for (model, loss) in [
        ("b", "mse"),
        ("w*b", "mae"),
        ("w*x + b", "(yhat - y)^2 + k"),
    ] {
        assert!(
            DataFitObjective::new(data(), model, loss, None).is_ok(),
            "{model} {loss}"
        );
    }
}

// The log-loss needs a probability: a model that plainly is not one (a polynomial in w and
// b, like the default line) is refused with the sigmoid-wrapped model as the fix.
#[test]
fn logloss_needs_a_model_whose_output_is_a_probability() {
    for (model, loss) in [("w*x + b", "logloss"), ("w*x^2 + b*x", "bce")] {
        let e = DataFitObjective::new(classes(), model, loss, None).unwrap_err();
        assert_eq!(e.part, Part::Model, "{model}");
        assert!(e.message.contains("probability"), "{e}");
        let hint = e.hint.unwrap();
        assert!(hint.contains(&format!("sigmoid({model})")), "{hint}");
    }
    for model in [
        "sigmoid(w*x + b)",
        "1/(1 + exp(-(w*x + b)))",
        "0.5 + 0.5*tanh(w*x + b)",
    ] {
        assert!(
            DataFitObjective::new(classes(), model, "logloss", None).is_ok(),
            "{model}"
        );
    }
}
