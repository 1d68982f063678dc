//! `losscape eval` and `losscape presets` print the documented formats, take formulas and
//! numbers as people type them (leading minus signs included) and exit 2 on bad input.
#![allow(clippy::unwrap_used)]

use std::process::Command;

#[path = "common/closed_pipe.rs"]
mod closed_pipe;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .args(args)
        .output()
        .expect("the binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn json_is_exactly_one_object() {
    let (code, out, _) = run(&["eval", "rosenbrock", "--at", "0,0", "--json"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "{\"value\": 1.0, \"gradient\": [-2.0, 0.0], \"hessian\": [[2.0, 0.0], [0.0, 200.0]]}\n"
    );
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["hessian"][1][1], 200.0);
}

#[test]
fn leading_minus_and_negative_numbers_work_as_typed() {
    let (code, out, err) = run(&["eval", "-w^2 + b", "--at", "-1.5,2", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "{\"value\": -0.25, \"gradient\": [3.0, 1.0], \"hessian\": [[-2.0, 0.0], [0.0, 0.0]]}\n"
    );
    let (code, out, err) = run(&["eval", "--at", "-1,-2", "-w*b", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("{\"value\": -2.0,"), "{out}");
}

#[test]
fn constants_and_implicit_multiplication() {
    let (code, out, err) = run(&[
        "eval",
        "a*w^2 + 3(b-1)^2",
        "--const",
        "a=-2",
        "--at",
        "1,2",
        "--json",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "{\"value\": 1.0, \"gradient\": [-4.0, 6.0], \"hessian\": [[-4.0, 0.0], [0.0, 6.0]]}\n"
    );
    let (code, _, err) = run(&["eval", "w^2", "--const", "k=3", "--at", "1,2"]);
    assert_eq!(code, 2);
    assert!(err.contains("no free constants"), "{err}");
}

#[test]
fn human_readable_output() {
    let (code, out, _) = run(&["eval", "w^2 + b^2", "--at", "1,2"]);
    assert_eq!(code, 0);
    assert_eq!(
        out,
        "J(w, b) = w^2 + b^2\nat        w = 1, b = 2\nvalue     5\ngradient  [2, 4]\nhessian   [[2, 0], [0, 2]]\n"
    );
}

#[test]
fn bad_expressions_exit_2_with_a_positioned_message() {
    let (code, out, err) = run(&["eval", "w**2 + b", "--at", "0,0"]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert_eq!(
        err,
        "error in the formula: `**` is not an operator here\n  w**2 + b\n   ^^\nhint: write powers with `^`, e.g. w^2\n"
    );
    let (code, _, err) = run(&["eval", "sine(w)", "--at", "0,0", "--json"]);
    assert_eq!(code, 2);
    assert!(err.contains("did you mean `sin`?"));
    let (code, _, err) = run(&["eval", "w^2", "--at", "1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--at expects two numbers"));
}

#[test]
fn data_fit_from_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("d.csv");
    std::fs::write(&path, "x,y\n1,2\n2,4\n3,7\n").unwrap();
    let p = path.to_str().unwrap();
    // J = 1/(2m) sum (w x + b - y)^2 at (1, 0): residuals -1, -2, -4.
    let (code, out, err) = run(&["eval", "--dataset", p, "--at", "1,0", "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["value"], 3.5);
    let g0 = v["gradient"][0].as_f64().unwrap();
    assert!((g0 - (-(1.0 + 4.0 + 12.0) / 3.0)).abs() < 1e-12);
    let (code, _, err) = run(&[
        "eval",
        "--dataset",
        p,
        "--loss",
        "(yhat - x)^2",
        "--at",
        "1,0",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error in the loss: `x` is used in the loss"),
        "{err}"
    );
    let (code, _, _) = run(&[
        "eval",
        "--dataset",
        p,
        "--model",
        "w*x^2 + b",
        "--loss",
        "huber",
        "--const",
        "delta=0.5",
        "--at",
        "1,0",
        "--json",
    ]);
    assert_eq!(code, 0);
}

#[test]
fn presets_lists_every_preset() {
    let (code, out, _) = run(&["presets"]);
    assert_eq!(code, 0);
    for p in losscape::engine::objective::presets() {
        assert!(out.contains(p.name), "{} missing", p.name);
        assert!(out.contains(p.formula), "{} formula missing", p.name);
    }
    assert!(out.contains("global minimum  at (1, 1), J = 0"));
}

// A dataset's name where a formula goes is pointed to --dataset, not read as `house - prices`.
#[test]
fn a_dataset_name_is_not_a_formula() {
    let (code, out, err) = run(&["eval", "house-prices", "--at", "1,1"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.contains("--dataset house-prices"), "{err}");
}

// A reader that closes the pipe early is not an error (and nothing panics).
#[test]
fn a_closed_pipe_is_fine() {
    let (code, err) = closed_pipe::run_with_closed_stdout(&["critical", "himmelblau"]);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
}

// A misspelt loss name and the log-loss with a line both stop with a message in the right
// field, instead of a constant cost or a NaN run.
#[test]
fn data_fit_mistakes_are_reported_in_their_field() {
    let (code, _, err) = run(&[
        "eval",
        "--dataset",
        "house-prices",
        "--loss",
        "log_loss",
        "--at",
        "0,0",
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("error in the loss: unknown loss `log_loss`"),
        "{err}"
    );
    assert!(err.contains("did you mean `logloss`?"), "{err}");
    let (code, _, err) = run(&[
        "eval",
        "--dataset",
        "classes",
        "--loss",
        "logloss",
        "--at",
        "0,0",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("error in the model"), "{err}");
    assert!(err.contains("sigmoid(w*x + b)"), "{err}");
}
