//! `losscape run` prints the documented CSV and a status line; tests parse both.

use std::process::Command;

#[path = "common/closed_pipe.rs"]
mod closed_pipe;

fn losscape(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .arg("run")
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// Rows of the CSV as numbers (after checking the header).
fn rows(csv: &str) -> Vec<Vec<f64>> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("iteration,epoch,w,b,cost,grad_w,grad_b,lr")
    );
    lines
        .map(|l| {
            l.split(',')
                .map(|x| x.parse::<f64>().expect("a number"))
                .collect()
        })
        .collect()
}

#[test]
fn prints_every_iteration_with_full_precision() {
    let (out, err, code) = losscape(&[
        "(1-w)^2 + 100*(b-w^2)^2",
        "--optimizer",
        "gd",
        "--lr",
        "0.001",
        "--start",
        "-1.5,2",
        "--steps",
        "5",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[0], [0.0, 0.0, -1.5, 2.0, 12.5, -155.0, -50.0, 0.001]);
    // Row 1 is one exact GD step from the start: theta - lr * gradient.
    assert_eq!(rows[1][2], -1.5 + -0.001 * -155.0);
    assert_eq!(rows[1][3], 2.0 + -0.001 * -50.0);
    for (t, row) in rows.iter().enumerate() {
        assert_eq!(row[0], t as f64);
        assert_eq!(
            row[1], t as f64,
            "a function problem has one iteration per epoch"
        );
    }
    assert_eq!(err.trim_end(), "status: reached the limit at iteration 5");
}

#[test]
fn leading_minus_formulas_and_convergence_status() {
    let (out, err, code) = losscape(&[
        "-cos(w)*cos(b)",
        "--optimizer",
        "gd",
        "--lr",
        "0.5",
        "--start",
        "0.3,-0.2",
        "--tol",
        "1e-6",
        "--steps",
        "1000",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = rows(&out);
    let last = rows.len() - 1;
    assert_eq!(
        err.trim_end(),
        format!("status: converged at iteration {last} (|dJ| < 1e-06)")
    );
    assert!((rows[last][4] - rows[last - 1][4]).abs() < 1e-6);
}

#[test]
fn divergence_is_reported_with_its_iteration() {
    let (out, err, code) = losscape(&[
        "w^2 + b^2",
        "--optimizer",
        "gd",
        "--lr",
        "1.5",
        "--start",
        "1,1",
    ]);
    assert_eq!(code, 0);
    let rows = rows(&out);
    let last = rows.len() - 1;
    assert!(rows[last][2].abs() > 1e8);
    assert!(
        err.starts_with(&format!("status: diverged at iteration {last} (|w| > 1e8")),
        "{err}"
    );
}

#[test]
fn schedules_and_defaults_show_in_the_lr_column() {
    let (out, err, code) = losscape(&[
        "w^2 + b^2",
        "--optimizer",
        "adam",
        "--schedule",
        "step:2:0.5",
        "--init",
        "xavier",
        "--seed",
        "3",
        "--steps",
        "4",
    ]);
    assert_eq!(code, 0, "{err}");
    let lr: Vec<f64> = rows(&out).iter().map(|r| r[7]).collect();
    assert_eq!(lr, [0.001, 0.001, 0.0005, 0.0005, 0.00025]);
}

#[test]
fn mini_batches_count_epochs_on_a_csv_dataset() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("line.csv");
    let mut text = String::from("x,y\n");
    for i in 0..100 {
        let x = i as f64 / 50.0;
        text.push_str(&format!("{x},{}\n", 3.0 * x - 1.0));
    }
    std::fs::write(&path, text).expect("write data");
    let out_path = dir.path().join("out.csv");
    let (out, err, code) = losscape(&[
        "--dataset",
        path.to_str().expect("utf-8 path"),
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--batch-size",
        "32",
        "--epochs",
        "2",
        "--out",
        out_path.to_str().expect("utf-8 path"),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.is_empty());
    let rows = rows(&std::fs::read_to_string(&out_path).expect("output file"));
    // ceil(100 / 32) = 4 iterations per epoch.
    assert_eq!(rows.len(), 9);
    let epochs: Vec<f64> = rows.iter().map(|r| r[1]).collect();
    assert_eq!(epochs, [0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 2.0]);
    assert_eq!(err.trim_end(), "status: reached the limit at iteration 8");
}

#[test]
fn bad_arguments_fail_with_a_message() {
    for args in [
        &["w^2", "--optimizer", "sgd"][..],
        &["w^2", "--optimizer", "gd", "--lr", "0.1", "--beta1", "0.8"],
        &["w^2", "--optimizer", "gd", "--lr", "-0.1"],
        &["w^2", "--optimizer", "gd", "--lr", "0.1", "--start", "1"],
        &[
            "w^2",
            "--optimizer",
            "gd",
            "--lr",
            "0.1",
            "--schedule",
            "step:0:2",
        ],
        &["w^2", "--optimizer", "wobble"],
        &["w^2 +", "--optimizer", "adam"],
    ] {
        let (out, err, code) = losscape(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with("losscape run: "), "{args:?}: {err}");
    }
}

// A reader that stops early (`losscape run ... | head`) is not an error.
#[test]
fn a_reader_that_stops_early_is_fine() {
    let (code, err) = closed_pipe::run_with_closed_stdout(&[
        "run",
        "rosenbrock",
        "--optimizer",
        "gd",
        "--lr",
        "0.0001",
        "--steps",
        "200000",
    ]);
    assert!(!err.contains("cannot write"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(code, Some(0), "{err}");
}

// A file that cannot be written is named in the message.
#[test]
fn an_unwritable_output_file_is_named() {
    let (_, err, code) = losscape(&[
        "bowl",
        "--optimizer",
        "gd",
        "--lr",
        "0.1",
        "--out",
        "/nonexistent-dir/trajectory.csv",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("/nonexistent-dir/trajectory.csv"), "{err}");
}

// One rule for the batch size everywhere: 0 is refused (leave the option out for the full
// batch), as scenario files refuse it; it used to mean the full batch here.
#[test]
fn a_batch_size_of_zero_is_refused() {
    let (out, err, code) = losscape(&[
        "--dataset",
        "linear",
        "--optimizer",
        "sgd",
        "--lr",
        "0.1",
        "--batch-size",
        "0",
    ]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("--batch-size") && err.contains("at least 1"),
        "{err}"
    );
}

// A free constant needs a value: `w + q` does not quietly use q = 1.
#[test]
fn a_free_constant_without_a_value_is_named() {
    let (out, err, code) = losscape(&["w^2 + q*b^2", "--optimizer", "gd", "--lr", "0.1"]);
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("without a value: q") && err.contains("--const q="),
        "{err}"
    );
    let (_, err, code) = losscape(&[
        "w^2 + q*b^2",
        "--const",
        "q=3",
        "--optimizer",
        "gd",
        "--lr",
        "0.1",
        "--steps",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
}
