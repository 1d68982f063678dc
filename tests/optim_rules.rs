//! Each update rule's first steps equal numbers worked out by hand from its formula.

use losscape::engine::optim::{
    AdaGrad, Adam, AdamW, GradientDescent, Momentum, Newton, Optimizer, OptimizerKind,
    OptimizerSettings, OptimizerState, RmsProp, newton_damping,
};

/// Gradient of J = 0.5 (w^2 + b^2) is (w, b).
fn round_gradient(p: [f64; 2]) -> [f64; 2] {
    p
}

fn steps(opt: &mut dyn Optimizer, start: [f64; 2], lr: f64, n: usize) -> Vec<[f64; 2]> {
    let mut p = start;
    let mut out = vec![p];
    for _ in 0..n {
        let g = round_gradient(p);
        opt.step(&mut p, g, None, lr);
        out.push(p);
    }
    out
}

fn assert_close(got: [f64; 2], want: [f64; 2], tol: f64) {
    for i in 0..2 {
        assert!(
            (got[i] - want[i]).abs() <= tol,
            "got {got:?}, want {want:?}"
        );
    }
}

#[test]
fn gradient_descent_moves_against_the_gradient() {
    let p = steps(&mut GradientDescent::new(0.0, false), [1.0, 2.0], 0.1, 2);
    assert_close(p[1], [0.9, 1.8], 1e-15);
    assert_close(p[2], [0.81, 1.62], 1e-15);
    // weight decay: g = (1 + 0.5*1, 2 + 0.5*2) = (1.5, 3)
    let p = steps(&mut GradientDescent::new(0.5, true), [1.0, 2.0], 0.1, 1);
    assert_close(p[1], [0.85, 1.7], 1e-15);
}

#[test]
fn momentum_accumulates_velocity() {
    let mut opt = Momentum::new(0.9, 0.0);
    let p = steps(&mut opt, [1.0, 2.0], 0.1, 2);
    // v1 = g = (1, 2); v2 = 0.9 v1 + (0.9, 1.8) = (1.8, 3.6)
    assert_close(p[1], [0.9, 1.8], 1e-15);
    assert_close(p[2], [0.9 - 0.18, 1.8 - 0.36], 1e-15);
    assert_eq!(
        opt.state(0.1),
        OptimizerState::Momentum {
            velocity: [1.8, 3.6]
        }
    );
    opt.reset();
    assert_eq!(opt.step_count(), 0);
    assert_eq!(
        opt.state(0.1),
        OptimizerState::Momentum {
            velocity: [0.0, 0.0]
        }
    );
}

#[test]
fn nesterov_looks_ahead() {
    let p = steps(&mut Momentum::nesterov(0.9, 0.0), [1.0, 2.0], 0.1, 2);
    // step 1: v = (1, 2), d = g + 0.9 v = (1.9, 3.8)
    assert_close(p[1], [0.81, 1.62], 1e-15);
    // step 2: g = (0.81, 1.62), v = 0.9 (1, 2) + g = (1.71, 3.42), d = g + 0.9 v
    let d = [0.81 + 0.9 * 1.71, 1.62 + 0.9 * 3.42];
    assert_close(p[2], [0.81 - 0.1 * d[0], 1.62 - 0.1 * d[1]], 1e-14);
}

#[test]
fn adagrad_divides_by_root_sum_of_squares() {
    let mut opt = AdaGrad::new(1e-10, 0.0);
    let p = steps(&mut opt, [1.0, 2.0], 0.1, 2);
    // s = (1, 4): both parameters move by lr (up to eps)
    assert_close(p[1], [0.9, 1.9], 1e-10);
    // g = p1 = (0.9, 1.9) up to eps, s = (1 + g^2, 4 + g^2) = (1.81, 7.61)
    let g = p[1];
    let s: [f64; 2] = [1.0 + g[0] * g[0], 4.0 + g[1] * g[1]];
    assert_close(s, [1.81, 7.61], 1e-9);
    let want = [
        g[0] - 0.1 * g[0] / (s[0].sqrt() + 1e-10),
        g[1] - 0.1 * g[1] / (s[1].sqrt() + 1e-10),
    ];
    assert_close(p[2], want, 1e-15);
    let OptimizerState::AdaGrad {
        sum_of_squares,
        effective_learning_rate,
    } = opt.state(0.1)
    else {
        panic!("adagrad state")
    };
    assert_close(sum_of_squares, s, 1e-15);
    assert_close(
        effective_learning_rate,
        [0.1 / (s[0].sqrt() + 1e-10), 0.1 / (s[1].sqrt() + 1e-10)],
        1e-15,
    );
}

#[test]
fn rmsprop_divides_by_root_mean_square() {
    let p = steps(&mut RmsProp::new(0.99, 1e-8, 0.0), [1.0, 2.0], 0.01, 2);
    // s = 0.01 g^2 = (0.01, 0.04), sqrt = (0.1, 0.2): steps 0.01 * (10, 10)
    assert_close(p[1], [0.9, 1.9], 1e-8);
    // g = p1 = (0.9, 1.9) up to eps: s = 0.99 * (0.01, 0.04) + 0.01 * g^2
    let g = p[1];
    let s: [f64; 2] = [0.0099 + 0.01 * g[0] * g[0], 0.0396 + 0.01 * g[1] * g[1]];
    let want = [
        g[0] - 0.01 * g[0] / (s[0].sqrt() + 1e-8),
        g[1] - 0.01 * g[1] / (s[1].sqrt() + 1e-8),
    ];
    assert_close(p[2], want, 1e-9);
}

#[test]
fn adam_first_step_is_lr_times_sign_and_second_is_bias_corrected() {
    let mut opt = Adam::new(0.9, 0.999, 1e-8, 0.0, false);
    let p = steps(&mut opt, [1.0, 2.0], 0.1, 2);
    assert_close(p[1], [0.9, 1.9], 1e-8);
    // g2 = p1 = (0.9, 1.9) up to eps: m = 0.9*0.1*g1 + 0.1*g2, v = 0.999*0.001*g1^2 + 0.001*g2^2
    let g = p[1];
    let m = [0.09 + 0.1 * g[0], 0.18 + 0.1 * g[1]];
    let v = [
        0.000999 + 0.001 * g[0] * g[0],
        0.003996 + 0.001 * g[1] * g[1],
    ];
    assert_close(m, [0.18, 0.37], 1e-9);
    let m_hat = [m[0] / 0.19, m[1] / 0.19];
    let v_hat: [f64; 2] = [v[0] / 0.001999, v[1] / 0.001999];
    let want = [
        0.9 - 0.1 * m_hat[0] / v_hat[0].sqrt(),
        1.9 - 0.1 * m_hat[1] / v_hat[1].sqrt(),
    ];
    assert_close(p[2], want, 1e-7);
    let OptimizerState::Adam {
        step_count,
        m: sm,
        v: sv,
        m_hat: smh,
        v_hat: svh,
        v_max,
        ..
    } = opt.state(0.1)
    else {
        panic!("adam state")
    };
    assert_eq!(step_count, 2);
    assert_eq!(v_max, None);
    assert_close(sm, m, 1e-14);
    assert_close(sv, v, 1e-14);
    assert_close(smh, m_hat, 1e-12);
    assert_close(svh, v_hat, 1e-10);
}

#[test]
fn amsgrad_keeps_the_largest_second_moment() {
    let mut opt = Adam::new(0.9, 0.999, 1e-8, 0.0, true);
    let mut p = [0.0, 0.0];
    opt.step(&mut p, [10.0, 10.0], None, 0.1);
    opt.step(&mut p, [0.0, 0.0], None, 0.1);
    let OptimizerState::Adam {
        v,
        v_max: Some(v_max),
        ..
    } = opt.state(0.1)
    else {
        panic!("amsgrad state")
    };
    // v1 = 0.1, v2 = 0.999 * 0.1 < v_max = 0.1
    assert_close(v, [0.0999, 0.0999], 1e-15);
    assert_close(v_max, [0.1, 0.1], 1e-15);
}

#[test]
fn adamw_decays_the_parameters_before_the_step() {
    let p = steps(
        &mut AdamW::new(0.9, 0.999, 1e-8, 0.1, false),
        [1.0, 2.0],
        0.1,
        1,
    );
    // theta *= 1 - 0.1 * 0.1, then theta -= lr * sign(g)
    assert_close(p[1], [0.99 - 0.1, 1.98 - 0.1], 1e-8);
    // Adam with L2 decay instead adds 0.1 theta to g; its first step is still lr * sign.
    let p = steps(
        &mut Adam::new(0.9, 0.999, 1e-8, 0.1, false),
        [1.0, 2.0],
        0.1,
        1,
    );
    assert_close(p[1], [0.9, 1.9], 1e-8);
}

#[test]
fn newton_jumps_to_the_minimum_of_a_quadratic() {
    let mut opt = Newton::new();
    assert!(opt.needs_hessian());
    // J = (w-1)^2 + 10 (b+2)^2 + w b at (3, 1): g = (2*2 + 1, 20*3 + 3)
    let mut p = [3.0, 1.0];
    opt.step(&mut p, [5.0, 63.0], Some(&[[2.0, 1.0], [1.0, 20.0]]), 1.0);
    // The minimum solves 2(w-1) + b = 0 and 20(b+2) + w = 0.
    let b = -41.0 / 19.5;
    assert_close(p, [1.0 - b / 2.0, b], 1e-12);
    assert_eq!(opt.state(1.0), OptimizerState::Newton { damping: 0.0 });
}

#[test]
fn newton_damps_an_indefinite_hessian() {
    // A saddle: eigenvalues 2 and -2; the smallest allowed eigenvalue is 1e-6 * 2.
    let lambda = newton_damping(&[[2.0, 0.0], [0.0, -2.0]]);
    assert_eq!(lambda, 2.0 + 2e-6);
    assert_eq!(newton_damping(&[[3.0, 0.0], [0.0, 1.0]]), 0.0);
    let mut p = [1.0, 1.0];
    Newton::new().step(&mut p, [2.0, -2.0], Some(&[[2.0, 0.0], [0.0, -2.0]]), 1.0);
    // Both components move downhill: w towards 0, b away from the saddle along -g.
    assert!(p[0] < 1.0 && p[1] > 1.0, "{p:?}");
}

#[test]
fn settings_round_trip_and_defaults_follow_torch() {
    for kind in OptimizerKind::ALL {
        let settings = OptimizerSettings::default_for(kind);
        assert_eq!(settings.kind(), kind);
        assert_eq!(settings.build().settings(), settings);
        let json = serde_json::to_string(&settings).expect("serializes");
        let back: OptimizerSettings = serde_json::from_str(&json).expect("parses");
        assert_eq!(back, settings);
        assert_eq!(kind.name().parse::<OptimizerKind>(), Ok(kind));
    }
    let adam: OptimizerSettings = serde_json::from_str(r#"{"rule":"adam"}"#).expect("parses");
    assert_eq!(
        adam,
        OptimizerSettings::Adam {
            beta1: 0.9,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            amsgrad: false
        }
    );
    let adamw: OptimizerSettings = serde_json::from_str(r#"{"rule":"adamw"}"#).expect("parses");
    assert_eq!(adamw.weight_decay(), Some(0.01));
    assert_eq!(OptimizerKind::Adagrad.default_learning_rate(), Some(0.01));
    assert_eq!(OptimizerKind::Sgd.default_learning_rate(), None);
    assert!(
        OptimizerSettings::Adam {
            beta1: 1.0,
            beta2: 0.999,
            eps: 1e-8,
            weight_decay: 0.0,
            amsgrad: false
        }
        .validate()
        .is_err()
    );
}

mod whole_runs {
    use std::sync::Arc;

    use losscape::engine::objective::{FunctionObjective, Objective};
    use losscape::engine::optim::{LineSearch, OptimizerSettings, OptimizerState};
    use losscape::engine::run::{Initialization, Run, RunSettings};

    fn run(formula: &str, optimizer: OptimizerSettings, learning_rate: f64, steps: u64) -> Run {
        let objective: Arc<dyn Objective> =
            Arc::new(FunctionObjective::new(formula).expect("a formula"));
        let settings = RunSettings {
            optimizer,
            learning_rate,
            init: Initialization::Manual { w: -1.2, b: 1.0 },
            max_iterations: steps,
            ..RunSettings::default()
        };
        let mut run = Run::new(objective, settings).expect("valid settings");
        run.run_to_end();
        run
    }

    // Rprop uses only the gradient's sign: a surface 1000 times steeper gives the same path.
    #[test]
    fn rprop_ignores_the_gradients_size() {
        let rprop = OptimizerSettings::default_for(losscape::engine::optim::OptimizerKind::Rprop);
        let gentle = run("w^2 + 3*b^2 + w*b", rprop, 0.01, 60);
        let steep = run("1000*(w^2 + 3*b^2 + w*b)", rprop, 0.01, 60);
        assert_eq!(gentle.history().params(), steep.history().params());
        let moved = gentle.history().params()[60];
        assert!(moved[0].abs() < 0.1 && moved[1].abs() < 0.1, "{moved:?}");
    }

    // Every accepted gd-armijo step lowers J by at least c1 t |g|^2, t is the learning rate
    // times a power of the shrink factor, and the larger t = t / shrink was refused.
    #[test]
    fn armijo_steps_decrease_enough() {
        let (shrink, c1) = (0.5, 1e-4);
        let formula = "(1-w)^2 + 100*(b-w^2)^2";
        let r = run(formula, OptimizerSettings::GdArmijo { shrink, c1 }, 1.0, 40);
        let objective = FunctionObjective::new(formula).expect("a formula");
        let h = r.history();
        for t in 1..h.len() {
            let (from, to) = (h.params()[t - 1], h.params()[t]);
            let (cost, g) = objective.value_gradient(from);
            let step = h.learning_rates()[t - 1];
            let g2 = g[0] * g[0] + g[1] * g[1];
            assert!(
                objective.value(to) <= cost - c1 * step * g2,
                "iteration {t}: not a sufficient decrease with t = {step}"
            );
            let k = step.log2();
            assert_eq!(k, k.round(), "t = {step} is not 1 x 0.5^k");
            if step < 1.0 {
                let larger = step / shrink;
                let tried = [from[0] - larger * g[0], from[1] - larger * g[1]];
                assert!(objective.value(tried) > cost - c1 * larger * g2);
            }
            assert!(!r.trials(t as u64).is_empty(), "the trial points are kept");
        }
    }

    // L-BFGS with the strong Wolfe search solves a quadratic bowl in a few steps (to about
    // the square root of tolerance_change: it stops when J changes less than that).
    #[test]
    fn lbfgs_solves_a_quadratic() {
        let lbfgs = OptimizerSettings::Lbfgs {
            max_iter: 20,
            max_eval: None,
            tolerance_grad: 1e-12,
            tolerance_change: 1e-15,
            history_size: 10,
            line_search_fn: LineSearch::StrongWolfe,
        };
        let r = run("(w - 1)^2 + 10*(b + 2)^2 + w*b", lbfgs, 1.0, 2);
        // The minimum solves 2(w - 1) + b = 0, 20(b + 2) + w = 0.
        let (w, b) = (80.0 / 39.0, -82.0 / 39.0);
        let last = r.history().params()[2];
        assert!(
            (last[0] - w).abs() < 1e-6 && (last[1] - b).abs() < 1e-6,
            "{last:?}"
        );
        let Some(OptimizerState::Lbfgs { evaluations, .. }) = r.state_at(1) else {
            panic!("L-BFGS state");
        };
        assert!(evaluations >= 2, "one step evaluates J several times");
    }

    // RAdam takes plain momentum steps until rho_t exceeds 5, then rectified adaptive ones.
    #[test]
    fn radam_rectification_switches_on() {
        let radam = OptimizerSettings::default_for(losscape::engine::optim::OptimizerKind::Radam);
        let r = run("w^2 + 3*b^2", radam, 0.01, 12);
        let on: Vec<bool> = (1..=12)
            .map(|t| match r.state_at(t) {
                Some(OptimizerState::RAdam {
                    rectification,
                    rho_t,
                    ..
                }) => {
                    assert_eq!(rectification.is_some(), rho_t > 5.0, "t = {t}");
                    rectification.is_some()
                }
                other => panic!("RAdam state expected, got {other:?}"),
            })
            .collect();
        let first = on.iter().position(|&x| x).expect("switches on");
        assert!(first >= 3, "off for the first updates: {on:?}");
        assert!(on[first..].iter().all(|&x| x), "stays on: {on:?}");
    }
}
