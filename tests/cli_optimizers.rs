//! `losscape run --optimizer NAME` with torch's option names: each flag sets the option it
//! names (the CSV equals a run made from those settings, bit for bit), and a flag the rule
//! does not have is refused with a message.

use std::process::Command;
use std::sync::Arc;

use losscape::engine::objective::{FunctionObjective, Objective};
use losscape::engine::optim::{LineSearch, OptimizerSettings as O};
use losscape::engine::run::{Initialization, Run, RunSettings};

const FORMULA: &str = "(1-w)^2 + 10*(b-w^2)^2";

fn losscape(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .arg("run")
        .arg(FORMULA)
        .args(["--start", "-1.2,1.5", "--steps", "12"])
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// (w, b, lr) of each CSV row.
fn rows(csv: &str) -> Vec<[f64; 3]> {
    csv.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<f64> = l.split(',').map(|x| x.parse().expect("a number")).collect();
            [f[2], f[3], f[7]]
        })
        .collect()
}

fn expected(optimizer: O, learning_rate: f64) -> Vec<[f64; 3]> {
    let objective: Arc<dyn Objective> = Arc::new(FunctionObjective::new(FORMULA).expect("formula"));
    let settings = RunSettings {
        optimizer,
        learning_rate,
        init: Initialization::Manual { w: -1.2, b: 1.5 },
        max_iterations: 12,
        ..RunSettings::default()
    };
    let mut run = Run::new(objective, settings).expect("valid");
    run.run_to_end();
    let h = run.history();
    (0..h.len())
        .map(|t| [h.params()[t][0], h.params()[t][1], h.learning_rates()[t]])
        .collect()
}

#[test]
fn every_flag_sets_its_option() {
    let cases: Vec<(Vec<&str>, O, f64)> = vec![
        (
            vec![
                "--optimizer",
                "sgd",
                "--lr",
                "0.01",
                "--momentum",
                "0.5",
                "--dampening",
                "0.2",
            ],
            O::Sgd {
                momentum: 0.5,
                dampening: 0.2,
                nesterov: false,
                weight_decay: 0.0,
            },
            0.01,
        ),
        (
            vec![
                "--optimizer",
                "momentum",
                "--lr",
                "0.01",
                "--nesterov",
                "--weight-decay",
                "0.1",
            ],
            O::Momentum {
                momentum: 0.9,
                dampening: 0.0,
                nesterov: true,
                weight_decay: 0.1,
            },
            0.01,
        ),
        (
            vec!["--optimizer", "nesterov", "--lr", "0.01"],
            O::Momentum {
                momentum: 0.9,
                dampening: 0.0,
                nesterov: true,
                weight_decay: 0.0,
            },
            0.01,
        ),
        (
            vec![
                "--optimizer",
                "adagrad",
                "--lr-decay",
                "0.1",
                "--initial-accumulator-value",
                "0.5",
            ],
            O::Adagrad {
                lr_decay: 0.1,
                initial_accumulator_value: 0.5,
                eps: 1e-10,
                weight_decay: 0.0,
            },
            0.01,
        ),
        (
            vec![
                "--optimizer",
                "rmsprop",
                "--centered",
                "--momentum",
                "0.3",
                "--alpha",
                "0.9",
            ],
            O::Rmsprop {
                alpha: 0.9,
                eps: 1e-8,
                momentum: 0.3,
                centered: true,
                weight_decay: 0.0,
            },
            0.01,
        ),
        (
            vec!["--optimizer", "adadelta", "--rho", "0.8", "--eps", "1e-5"],
            O::Adadelta {
                rho: 0.8,
                eps: 1e-5,
                weight_decay: 0.0,
            },
            1.0,
        ),
        (
            vec!["--optimizer", "adamax", "--beta1", "0.8", "--beta2", "0.99"],
            O::Adamax {
                beta1: 0.8,
                beta2: 0.99,
                eps: 1e-8,
                weight_decay: 0.0,
            },
            2e-3,
        ),
        (
            vec![
                "--optimizer",
                "nadam",
                "--momentum-decay",
                "0.01",
                "--weight-decay",
                "0.1",
                "--decoupled-weight-decay",
            ],
            O::Nadam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.1,
                momentum_decay: 0.01,
                decoupled_weight_decay: true,
            },
            2e-3,
        ),
        (
            vec!["--optimizer", "radam", "--weight-decay", "0.1"],
            O::Radam {
                beta1: 0.9,
                beta2: 0.999,
                eps: 1e-8,
                weight_decay: 0.1,
                decoupled_weight_decay: false,
            },
            1e-3,
        ),
        (
            vec![
                "--optimizer",
                "adafactor",
                "--beta2-decay",
                "-0.5",
                "--eps",
                "1e-20",
                "--eps2",
                "0.01",
                "--d",
                "2",
            ],
            O::Adafactor {
                beta2_decay: -0.5,
                eps1: Some(1e-20),
                eps2: 0.01,
                d: 2.0,
                weight_decay: 0.0,
            },
            1e-2,
        ),
        (
            vec![
                "--optimizer",
                "rprop",
                "--etas",
                "0.4,1.3",
                "--step-sizes",
                "1e-5,2",
            ],
            O::Rprop {
                eta_minus: 0.4,
                eta_plus: 1.3,
                step_size_min: 1e-5,
                step_size_max: 2.0,
            },
            1e-2,
        ),
        (
            vec![
                "--optimizer",
                "asgd",
                "--lambd",
                "0.001",
                "--alpha",
                "0.5",
                "--t0",
                "3",
            ],
            O::Asgd {
                lambd: 0.001,
                alpha: 0.5,
                t0: 3.0,
                weight_decay: 0.0,
            },
            1e-2,
        ),
        (
            vec![
                "--optimizer",
                "lbfgs",
                "--history-size",
                "4",
                "--max-iter",
                "3",
                "--max-eval",
                "7",
                "--tolerance-grad",
                "1e-8",
                "--tolerance-change",
                "1e-10",
                "--line-search",
                "strong_wolfe",
            ],
            O::Lbfgs {
                max_iter: 3,
                max_eval: Some(7),
                tolerance_grad: 1e-8,
                tolerance_change: 1e-10,
                history_size: 4,
                line_search_fn: LineSearch::StrongWolfe,
            },
            1.0,
        ),
        (
            vec![
                "--optimizer",
                "gd-armijo",
                "--lr",
                "1",
                "--shrink",
                "0.3",
                "--c1",
                "0.01",
            ],
            O::GdArmijo {
                shrink: 0.3,
                c1: 0.01,
            },
            1.0,
        ),
    ];
    for (args, optimizer, lr) in cases {
        let (out, err, code) = losscape(&args);
        assert_eq!(code, 0, "{args:?}: {err}");
        let got = rows(&out);
        let want = expected(optimizer, lr);
        assert_eq!(got.len(), want.len(), "{args:?}");
        for (t, (g, w)) in got.iter().zip(&want).enumerate() {
            assert_eq!(
                g.map(f64::to_bits),
                w.map(f64::to_bits),
                "{args:?} row {t}: {g:?} vs {w:?}"
            );
        }
    }
}

#[test]
fn flags_of_other_rules_are_refused() {
    for (args, needle) in [
        (
            vec!["--optimizer", "adam", "--shrink", "0.5"],
            "--shrink does not apply to adam",
        ),
        (
            vec!["--optimizer", "gd", "--lr", "0.1", "--nesterov"],
            "--nesterov does not apply to gd",
        ),
        (
            vec!["--optimizer", "sgd", "--lr", "0.1", "--nesterov"],
            "Nesterov momentum needs momentum",
        ),
        (
            vec!["--optimizer", "rprop", "--etas", "0.5"],
            "--etas takes two numbers",
        ),
        (
            vec!["--optimizer", "lbfgs", "--line-search", "wolfe"],
            "strong_wolfe",
        ),
        (
            vec!["--optimizer", "lbfgs", "--lr-b", "0.1"],
            "b cannot have a learning rate of its own",
        ),
        (
            vec!["--optimizer", "rmsprop", "--d", "1"],
            "--d does not apply to rmsprop",
        ),
    ] {
        let (out, err, code) = losscape(&args);
        assert_eq!(code, 2, "{args:?}: {out}");
        assert!(err.contains(needle), "{args:?}: {err:?} lacks {needle:?}");
        assert!(out.is_empty(), "{args:?} printed rows");
    }
}
