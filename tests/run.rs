//! Runs: epoch accounting, full-batch equivalence, determinism, termination, initialization,
//! schedules, extension.

mod common;

use std::sync::Arc;

use common::{Bowl, LinearFit, Round};
use losscape::engine::objective::Objective;
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{
    ConvergenceRule, DivergenceReason, Initialization, Run, RunSettings, Schedule, Status,
};

fn gd(lr: f64) -> RunSettings {
    RunSettings {
        learning_rate: lr,
        ..RunSettings::default()
    }
}

fn run(objective: impl Objective + 'static, settings: RunSettings) -> Run {
    let mut run = Run::new(Arc::new(objective), settings).expect("valid settings");
    run.run_to_end();
    run
}

/// m = 10,000 and B = 32 give ceil(10000/32) = 313 iterations per epoch, the last batch
/// holding 16 examples.
#[test]
fn ten_thousand_examples_in_batches_of_32_take_313_iterations_per_epoch() {
    let settings = RunSettings {
        batch_size: Some(32),
        max_epochs: Some(2),
        max_iterations: 10_000,
        ..gd(0.01)
    };
    let r = run(LinearFit::new(10_000), settings);
    assert_eq!(r.iterations_per_epoch(), 313);
    assert_eq!(r.status(), Status::ReachedLimit { iteration: 626 });
    assert_eq!(r.epoch(), 2);
    let h = r.history();
    assert_eq!(h.len(), 627);
    assert_eq!(h.epoch_of(312), 0);
    assert_eq!(h.epoch_of(313), 1);
    assert_eq!(h.get(313).expect("row").epoch, 1);
}

/// With B = m the run is batch gradient descent: one update per epoch, exactly theta - lr * grad J.
#[test]
fn full_batch_is_one_gradient_descent_step_per_epoch() {
    let data = LinearFit::new(1000);
    let (_, g) = data.value_gradient([0.5, -0.25]);
    let init = Initialization::Manual { w: 0.5, b: -0.25 };
    for batch_size in [Some(1000), None, Some(5000)] {
        let settings = RunSettings {
            batch_size,
            init,
            max_epochs: Some(1),
            ..gd(0.1)
        };
        let r = run(LinearFit::new(1000), settings);
        assert_eq!(r.iterations_per_epoch(), 1);
        assert_eq!(r.iteration(), 1);
        assert_eq!(r.params(), [0.5 + -0.1 * g[0], -0.25 + -0.1 * g[1]]);
        assert_eq!(r.history().batch_gradients()[1], g);
    }
}

/// Mini-batch gradients are means over their batch, so they differ from the full gradient.
#[test]
fn mini_batches_use_their_own_mean_gradient() {
    let settings = RunSettings {
        batch_size: Some(8),
        max_iterations: 5,
        ..gd(0.05)
    };
    let r = run(LinearFit::new(100), settings);
    let h = r.history();
    let fit = LinearFit::new(100);
    for t in 1..h.len() {
        assert_ne!(h.batch_gradients()[t], h.gradients()[t - 1]);
        // Rows off the full-cost stride hold NaN there, so compare with J's gradient too.
        assert_ne!(
            h.batch_gradients()[t],
            fit.value_gradient(h.params()[t - 1]).1
        );
        assert!(h.batch_costs()[t].is_finite());
    }
    assert!(h.batch_costs()[0].is_nan());
}

/// The recorded mini-batch of every update is the one whose mean gradient the update used,
/// across epoch boundaries (m = 100, B = 30: 4 batches per epoch, the last of 10).
#[test]
fn batch_examples_are_the_examples_each_update_used() {
    let settings = RunSettings {
        batch_size: Some(30),
        max_iterations: 11,
        ..gd(0.05)
    };
    let objective = Arc::new(LinearFit::new(100));
    let mut r = Run::new(objective.clone(), settings).expect("valid settings");
    r.run_to_end();
    let h = r.history();
    assert_eq!(r.batch_examples(0), None);
    assert_eq!(r.batch_examples(12), None, "no such update yet");
    let mut epoch_seen = vec![0usize; 100];
    for t in 1..h.len() {
        let batch = r.batch_examples(t as u64).expect("recorded");
        assert_eq!(batch.len(), if t % 4 == 0 { 10 } else { 30 });
        let (cost, gradient) = objective.batch_value_gradient(h.params()[t - 1], &batch);
        assert_eq!(cost, h.batch_costs()[t]);
        assert_eq!(gradient, h.batch_gradients()[t]);
        if t <= 4 {
            for i in batch {
                epoch_seen[i] += 1;
            }
        }
    }
    assert!(
        epoch_seen.iter().all(|&n| n == 1),
        "epoch 1 used each example once"
    );
}

#[test]
fn same_settings_and_seed_give_bit_identical_histories() {
    let settings = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Adam),
        batch_size: Some(7),
        init: Initialization::Xavier { fan_in: 1 },
        seed: 42,
        max_iterations: 300,
        ..gd(0.05)
    };
    let a = run(LinearFit::new(200), settings.clone());
    let b = run(LinearFit::new(200), settings.clone());
    assert!(a.history().bit_identical(b.history()));
    let c = run(
        LinearFit::new(200),
        RunSettings {
            seed: 43,
            ..settings
        },
    );
    assert_ne!(a.history().params(), c.history().params());

    let noisy = RunSettings {
        simulated_noise: 0.5,
        seed: 9,
        max_iterations: 50,
        ..gd(0.1)
    };
    let a = run(Round, noisy.clone());
    let b = run(Round, noisy);
    assert!(a.history().bit_identical(b.history()));
    let h = a.history();
    assert_ne!(h.batch_gradients()[1], h.gradients()[0], "noise was added");
}

#[test]
fn extending_a_run_continues_without_recomputing() {
    let settings = RunSettings {
        batch_size: Some(16),
        seed: 5,
        max_iterations: 50,
        ..gd(0.05)
    };
    let mut short = Run::new(Arc::new(LinearFit::new(100)), settings.clone()).expect("valid");
    short.run_to_end();
    assert_eq!(short.status(), Status::ReachedLimit { iteration: 50 });
    short.extend(70);
    assert!(short.status().is_running());
    short.run_to_end();
    let long = run(
        LinearFit::new(100),
        RunSettings {
            max_iterations: 120,
            ..settings
        },
    );
    assert!(short.history().bit_identical(long.history()));
    // The changed settings reproduce the extended run.
    let again = run(LinearFit::new(100), short.settings().clone());
    assert!(again.history().bit_identical(short.history()));
}

#[test]
fn too_large_a_learning_rate_diverges_on_the_bowl_and_keeps_the_history() {
    let r = run(Bowl, gd(0.2));
    let Status::Diverged { iteration, reason } = r.status() else {
        panic!("expected divergence, got {}", r.status())
    };
    assert!(matches!(
        reason,
        DivergenceReason::ParameterTooLarge { parameter: "b", .. }
    ));
    assert_eq!(r.history().len() as u64, iteration + 1);
    assert!(r.params()[1].abs() > 1e8);
    assert!(r.history().params()[iteration as usize - 1][1].abs() <= 1e8);
    assert!(
        r.status()
            .to_string()
            .starts_with(&format!("diverged at iteration {iteration} (|b| > 1e8"))
    );
    assert!(!r.clone_free_step_check());
}

trait StepCheck {
    fn clone_free_step_check(self) -> bool;
}

impl StepCheck for Run {
    /// A stopped run takes no more steps.
    fn clone_free_step_check(mut self) -> bool {
        self.step()
    }
}

#[test]
fn a_non_finite_cost_is_divergence() {
    struct Cliff;
    impl Objective for Cliff {
        fn value(&self, p: [f64; 2]) -> f64 {
            if p[0] > 1.0 { f64::INFINITY } else { -p[0] }
        }
        fn value_gradient(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
            (self.value(p), [-1.0, 0.0])
        }
        fn derivatives(&self, p: [f64; 2]) -> losscape::engine::Derivatives {
            let (value, gradient) = self.value_gradient(p);
            losscape::engine::Derivatives {
                value,
                gradient,
                hessian: [[0.0; 2]; 2],
            }
        }
        fn domain(&self) -> losscape::engine::Domain {
            losscape::engine::Domain::new(-1.0, 1.0, -1.0, 1.0)
        }
    }
    let r = run(Cliff, gd(0.3));
    assert_eq!(
        r.status().to_string(),
        "diverged at iteration 4 (cost is inf)"
    );
}

#[test]
fn cost_change_rule_stops_at_the_first_small_change() {
    let eps = 1e-6;
    let init = Initialization::Manual { w: 2.0, b: -1.0 };
    let r = run(
        Round,
        RunSettings {
            epsilon: Some(eps),
            init,
            ..gd(0.1)
        },
    );
    let Status::Converged { iteration, rule } = r.status() else {
        panic!("{}", r.status())
    };
    assert_eq!(rule, ConvergenceRule::CostChange { epsilon: eps });
    let c = r.history().costs();
    let t = iteration as usize;
    assert!((c[t] - c[t - 1]).abs() < eps);
    assert!(c.windows(2).take(t - 1).all(|w| (w[1] - w[0]).abs() >= eps));
    assert_eq!(
        r.status().to_string(),
        format!("converged at iteration {t} (|dJ| < 1e-06)")
    );
}

#[test]
fn gradient_rule_stops_when_the_slope_is_flat() {
    let init = Initialization::Manual { w: 2.0, b: -1.0 };
    let r = run(
        Round,
        RunSettings {
            grad_tol: Some(1e-3),
            init,
            ..gd(0.1)
        },
    );
    let Status::Converged { iteration, rule } = r.status() else {
        panic!("{}", r.status())
    };
    assert_eq!(rule, ConvergenceRule::GradientNorm { tolerance: 1e-3 });
    let norm = |g: [f64; 2]| g[0].hypot(g[1]);
    let g = r.history().gradients();
    assert!(norm(g[iteration as usize]) < 1e-3);
    assert!(g[..iteration as usize].iter().all(|&g| norm(g) >= 1e-3));
    // Starting at the minimum converges at iteration 0.
    let r = run(
        Round,
        RunSettings {
            grad_tol: Some(1e-3),
            ..gd(0.1)
        },
    );
    assert_eq!(r.status().stopped_at(), Some(0));
}

#[test]
fn zero_and_manual_starts_are_exact() {
    let r = run(
        Bowl,
        RunSettings {
            max_iterations: 0,
            ..gd(0.1)
        },
    );
    assert_eq!(r.history().params(), &[[0.0, 0.0]]);
    assert_eq!(r.status(), Status::ReachedLimit { iteration: 0 });
    let init = Initialization::Manual { w: -1.5, b: 2.0 };
    let r = run(
        Bowl,
        RunSettings {
            init,
            max_iterations: 0,
            ..gd(0.1)
        },
    );
    assert_eq!(r.params(), [-1.5, 2.0]);
}

fn starts(init: Initialization, n: u64) -> Vec<[f64; 2]> {
    (0..n)
        .map(|seed| {
            let s = RunSettings {
                init,
                seed,
                max_iterations: 0,
                ..gd(0.1)
            };
            Run::new(Arc::new(Round), s).expect("valid").params()
        })
        .collect()
}

fn mean_var(xs: impl Iterator<Item = f64> + Clone) -> (f64, f64) {
    let n = xs.clone().count() as f64;
    let mean = xs.clone().sum::<f64>() / n;
    (
        mean,
        xs.map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n - 1.0),
    )
}

/// Uniform starts lie in the domain w in [-3, 5], b in [-1, 1], with the uniform mean and
/// variance (span^2 / 12), and repeat with the seed.
#[test]
fn uniform_start_is_uniform_over_the_domain_and_seeded() {
    let points = starts(Initialization::Uniform {}, 4000);
    assert_eq!(points, starts(Initialization::Uniform {}, 4000));
    assert!(
        points
            .iter()
            .all(|p| (-3.0..5.0).contains(&p[0]) && (-1.0..1.0).contains(&p[1]))
    );
    let (mw, vw) = mean_var(points.iter().map(|p| p[0]));
    let (mb, vb) = mean_var(points.iter().map(|p| p[1]));
    // Standard errors: sqrt(64/12/4000) = 0.037 and sqrt(4/12/4000) = 0.009.
    assert!((mw - 1.0).abs() < 0.15, "{mw}");
    assert!(mb.abs() < 0.04, "{mb}");
    assert!((vw / (64.0 / 12.0) - 1.0).abs() < 0.1, "{vw}");
    assert!((vb / (4.0 / 12.0) - 1.0).abs() < 0.1, "{vb}");
    // Quartiles of a uniform: a quarter of the points in each quarter of the range.
    let low = points.iter().filter(|p| p[0] < -1.0).count() as f64 / 4000.0;
    assert!((low - 0.25).abs() < 0.03, "{low}");
}

/// Xavier starts are N(0, 1/fan_in): mean 0, variance 1/fan_in, 68% within one sd.
#[test]
fn xavier_start_is_normal_with_variance_one_over_fan_in() {
    for fan_in in [1u32, 4] {
        let points = starts(Initialization::Xavier { fan_in }, 4000);
        assert_eq!(points, starts(Initialization::Xavier { fan_in }, 4000));
        let var = 1.0 / f64::from(fan_in);
        for i in 0..2 {
            let (m, v) = mean_var(points.iter().map(|p| p[i]));
            assert!(m.abs() < 4.0 * (var / 4000.0).sqrt(), "mean {m}");
            assert!((v / var - 1.0).abs() < 0.1, "variance {v} vs {var}");
            let within = points.iter().filter(|p| p[i].abs() < var.sqrt()).count() as f64 / 4000.0;
            assert!((within - 0.6827).abs() < 0.03, "{within}");
        }
    }
}

#[test]
fn schedules_follow_their_formulas() {
    let lrs = |schedule: Schedule, n: u64| {
        let r = run(
            Round,
            RunSettings {
                schedule,
                max_iterations: n,
                init: Initialization::Manual { w: 1.0, b: 1.0 },
                ..gd(0.1)
            },
        );
        r.history().learning_rates().to_vec()
    };
    let constant = lrs(Schedule::Constant {}, 5);
    assert!(constant.iter().all(|&lr| lr == 0.1));
    let step = lrs(
        Schedule::Step {
            step_size: 3,
            gamma: 0.5,
        },
        7,
    );
    assert_eq!(step, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025]);
    let exp = lrs(Schedule::Exponential { gamma: 0.9 }, 3);
    assert_eq!(
        exp,
        [0.1, 0.1 * 0.9, 0.1 * 0.9 * 0.9, 0.1 * 0.9 * 0.9 * 0.9]
    );
    let cos = lrs(
        Schedule::Cosine {
            t_max: 10,
            eta_min: 0.01,
        },
        20,
    );
    for (t, lr) in cos.iter().enumerate() {
        let want = 0.01 + 0.5 * 0.09 * (1.0 + (std::f64::consts::PI * t as f64 / 10.0).cos());
        assert!((lr - want).abs() < 1e-15, "t={t}: {lr} vs {want}");
    }
    let restarts = lrs(
        Schedule::WarmRestarts {
            t_0: 4,
            t_mult: 2,
            eta_min: 0.0,
        },
        13,
    );
    // Periods of 4 then 8: back at the base rate at iterations 4 and 12.
    assert_eq!(restarts[0], 0.1);
    assert_eq!(restarts[4], 0.1);
    assert_eq!(restarts[12], 0.1);
    assert!((restarts[2] - 0.05).abs() < 1e-15);
    assert!((restarts[8] - 0.05).abs() < 1e-15);
    for text in [
        "constant",
        "step:3:0.5",
        "exp:0.9",
        "cosine:10:0.01",
        "restarts:4:2:0",
    ] {
        let s: Schedule = text.parse().expect("parses");
        assert_eq!(s.to_string().parse::<Schedule>(), Ok(s));
    }
    assert!("step:0:0.5".parse::<Schedule>().is_err());
    assert!("wobble".parse::<Schedule>().is_err());
}

#[test]
fn clipping_bounds_the_gradient_used() {
    let init = Initialization::Manual { w: 30.0, b: -40.0 };
    let r = run(
        Round,
        RunSettings {
            clip_norm: Some(1.0),
            init,
            max_iterations: 10,
            ..gd(0.5)
        },
    );
    let h = r.history();
    for g in &h.batch_gradients()[1..] {
        assert!(g[0].hypot(g[1]) <= 1.0 + 1e-12);
    }
    // Direction kept: (30, -40) / 50 scaled to norm 1 (less the 1e-6 of torch's formula).
    let g = h.batch_gradients()[1];
    assert!((g[0] - 0.6).abs() < 1e-7 && (g[1] + 0.8).abs() < 1e-7);
}

#[test]
fn newton_reaches_the_bowl_minimum_in_one_step() {
    let settings = RunSettings {
        optimizer: OptimizerSettings::Newton {},
        learning_rate: 1.0,
        grad_tol: Some(1e-9),
        ..RunSettings::default()
    };
    let r = run(Bowl, settings);
    assert_eq!(r.status().stopped_at(), Some(1));
    let b = -41.0 / 19.5;
    assert!((r.params()[0] - (1.0 - b / 2.0)).abs() < 1e-12);
}

#[test]
fn step_detail_reports_the_update() {
    let settings = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Momentum),
        init: Initialization::Manual { w: 1.0, b: 2.0 },
        max_iterations: 3,
        ..gd(0.1)
    };
    let r = run(Round, settings);
    let d = r.step_detail(2).expect("update 2");
    assert_eq!(d.from, r.history().params()[1]);
    assert_eq!(d.to, r.history().params()[2]);
    assert_eq!(d.learning_rate, 0.1);
    let losscape::engine::optim::OptimizerState::Momentum { velocity } = d.state else {
        panic!("momentum state")
    };
    assert!((d.step[0] + 0.1 * velocity[0]).abs() < 1e-15);
    assert!((d.step[1] + 0.1 * velocity[1]).abs() < 1e-15);
    assert!(r.step_detail(0).is_none());
}

#[test]
fn settings_round_trip_through_toml_and_reject_bad_numbers() {
    let settings = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Adamw),
        batch_size: Some(32),
        init: Initialization::Xavier { fan_in: 3 },
        schedule: Schedule::WarmRestarts {
            t_0: 10,
            t_mult: 2,
            eta_min: 1e-4,
        },
        clip_norm: Some(5.0),
        epsilon: Some(1e-6),
        max_epochs: Some(4),
        ..gd(0.003)
    };
    let text = toml::to_string(&settings).expect("serializes");
    let back: RunSettings = toml::from_str(&text).expect("parses");
    assert_eq!(back, settings);
    let partial: RunSettings = toml::from_str("learning_rate = 0.5").expect("defaults fill in");
    assert_eq!(partial, gd(0.5));
    for bad in [
        gd(-1.0),
        gd(f64::NAN),
        RunSettings {
            clip_norm: Some(0.0),
            ..gd(0.1)
        },
    ] {
        assert!(Run::new(Arc::new(Round), bad).is_err());
    }
}

/// Each epoch visits every example exactly once, in batches of B (the last one partial),
/// in an order that changes from epoch to epoch.
#[test]
fn every_epoch_visits_each_example_once() {
    use std::sync::Mutex;
    struct Recording {
        fit: LinearFit,
        seen: Mutex<Vec<Vec<usize>>>,
    }
    impl Objective for Recording {
        fn value(&self, p: [f64; 2]) -> f64 {
            self.fit.value(p)
        }
        fn value_gradient(&self, p: [f64; 2]) -> (f64, [f64; 2]) {
            self.fit.value_gradient(p)
        }
        fn derivatives(&self, p: [f64; 2]) -> losscape::engine::Derivatives {
            self.fit.derivatives(p)
        }
        fn example_count(&self) -> usize {
            self.fit.example_count()
        }
        fn batch_value_gradient(&self, p: [f64; 2], examples: &[usize]) -> (f64, [f64; 2]) {
            self.seen.lock().expect("lock").push(examples.to_vec());
            self.fit.batch_value_gradient(p, examples)
        }
        fn domain(&self) -> losscape::engine::Domain {
            self.fit.domain()
        }
    }
    let objective = Arc::new(Recording {
        fit: LinearFit::new(50),
        seen: Mutex::new(Vec::new()),
    });
    let settings = RunSettings {
        batch_size: Some(16),
        max_epochs: Some(2),
        seed: 1,
        ..gd(0.01)
    };
    let mut r = Run::new(objective.clone(), settings).expect("valid");
    r.run_to_end();
    let seen = objective.seen.lock().expect("lock").clone();
    let sizes: Vec<usize> = seen.iter().map(Vec::len).collect();
    assert_eq!(sizes, [16, 16, 16, 2, 16, 16, 16, 2]);
    let epoch = |k: usize| {
        let mut all: Vec<usize> = seen[4 * k..4 * k + 4].concat();
        let order = all.clone();
        all.sort_unstable();
        assert_eq!(all, (0..50).collect::<Vec<_>>());
        order
    };
    assert_ne!(epoch(0), epoch(1), "each epoch reshuffles");
}

// Two parameter groups: w moves with learning_rate and b with learning_rate_b (gradient
// descent on w^2 + 25 b^2 from (1, 1): w = 1 - 0.1 * 2, b = 1 - 0.01 * 50), each scheduled from
// its own rate; equal rates are one group, bit for bit.
#[test]
fn b_can_have_its_own_learning_rate() {
    let objective = || -> Arc<dyn Objective> {
        Arc::new(
            losscape::engine::objective::FunctionObjective::new("w^2 + 25*b^2").expect("a formula"),
        )
    };
    let settings = RunSettings {
        learning_rate: 0.1,
        learning_rate_b: Some(0.01),
        init: Initialization::Manual { w: 1.0, b: 1.0 },
        schedule: Schedule::Step {
            step_size: 1,
            gamma: 0.5,
        },
        max_iterations: 2,
        ..RunSettings::default()
    };
    let mut run = Run::new(objective(), settings.clone()).expect("valid settings");
    run.run_to_end();
    let params = run.history().params();
    assert_eq!(params[1], [0.8, 0.5]);
    // Second update: both rates halved, w = 0.8 - 0.05 * 1.6, b = 0.5 - 0.005 * 25.
    assert_eq!(params[2], [0.8 - 0.05 * 1.6, 0.5 - 0.005 * 25.0]);
    for kind in [
        OptimizerKind::Adam,
        OptimizerKind::Rmsprop,
        OptimizerKind::Momentum,
    ] {
        let one = RunSettings {
            optimizer: OptimizerSettings::default_for(kind),
            learning_rate_b: None,
            max_iterations: 50,
            ..settings.clone()
        };
        let two = RunSettings {
            learning_rate_b: Some(one.learning_rate),
            ..one.clone()
        };
        let (mut a, mut b) = (
            Run::new(objective(), one).expect("valid settings"),
            Run::new(objective(), two).expect("valid settings"),
        );
        a.run_to_end();
        b.run_to_end();
        assert_eq!(a.history().params(), b.history().params(), "{kind:?}");
    }
}
