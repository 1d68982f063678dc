//! `losscape run --schedule` takes every schedule form and prints its rates in the lr column.

use std::process::Command;

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

/// The lr column (the last) of the CSV.
fn rates(csv: &str) -> Vec<f64> {
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("iteration,epoch,w,b,cost,grad_w,grad_b,lr")
    );
    lines
        .map(|l| {
            let lr = l.rsplit(',').next().expect("a column");
            lr.parse::<f64>().expect("a number")
        })
        .collect()
}

fn run_with(schedule: &str, steps: &str) -> Vec<f64> {
    let (out, err, code) = losscape(&[
        "w^2 + 10*b^2",
        "--optimizer",
        "gd",
        "--lr",
        "0.05",
        "--start",
        "1,1",
        "--schedule",
        schedule,
        "--steps",
        steps,
    ]);
    assert_eq!(code, 0, "{schedule}: {err}");
    rates(&out)
}

#[test]
fn multistep_decays_at_its_milestones() {
    let lr = run_with("multistep:2,4:0.5", "5");
    assert_eq!(lr, [0.05, 0.05, 0.025, 0.025, 0.0125, 0.0125]);
}

#[test]
fn a_warmup_climbs_then_hands_over() {
    // LinearLR from 1/4 over 4 iterations, then a step decay counted from iteration 4.
    let lr = run_with("warmup:4:step:2:0.1", "8");
    let want = [
        0.0125, 0.021875, 0.03125, 0.040625, 0.05, 0.05, 0.005, 0.005, 0.0005,
    ];
    assert_eq!(lr.len(), want.len());
    for (got, want) in lr.iter().zip(want) {
        assert!((got - want).abs() <= 1e-15, "{lr:?}");
    }
}

#[test]
fn cyclic_and_one_cycle_replace_the_learning_rate() {
    let lr = run_with("cyclic:0.01:0.03:2", "4");
    assert_eq!(lr.len(), 5);
    assert!(
        (lr[0] - 0.01).abs() < 1e-15 && (lr[2] - 0.03).abs() < 1e-15,
        "{lr:?}"
    );
    assert!((lr[4] - 0.01).abs() < 1e-15, "{lr:?}");
    let lr = run_with("onecycle:0.1:10", "10");
    assert!((lr[0] - 0.004).abs() < 1e-15, "{lr:?}");
    assert!(lr.iter().all(|&r| r <= 0.1));
}

#[test]
fn a_plateau_lowers_the_rate_once_the_cost_stalls() {
    // From (0, 0) the cost is already at its minimum: no update improves on it.
    let (out, err, code) = losscape(&[
        "w^2 + b^2 + 1",
        "--optimizer",
        "gd",
        "--lr",
        "0.1",
        "--schedule",
        "plateau:0.5:2",
        "--steps",
        "7",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(rates(&out), [0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
}

#[test]
fn bad_schedules_fail_saying_which_number() {
    for (schedule, words) in [
        ("multistep:5,3:0.5", "milestones must increase"),
        ("linear:0:1:5", "start_factor"),
        ("onecycle:0.1", "needs TOTAL"),
        ("warmup:3:plateau", "cannot be followed"),
        ("plateau:2", "plateau factor"),
    ] {
        let (out, err, code) = losscape(&[
            "w^2",
            "--optimizer",
            "gd",
            "--lr",
            "0.1",
            "--schedule",
            schedule,
        ]);
        assert_eq!(code, 2, "{schedule}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with("losscape run: "), "{schedule}: {err}");
        assert!(err.contains(words), "{schedule}: {err}");
    }
}
