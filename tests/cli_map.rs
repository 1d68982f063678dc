//! `losscape map`: many runs of one problem with one or two settings varied. Each cell is
//! the single run with that setting, its outcome is what the maths says (the stability
//! limit of gradient descent, Himmelblau's four basins), and bad axes are refused.
#![allow(clippy::unwrap_used)]

use std::process::Command;

fn losscape(args: &[&str]) -> (String, String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .args(args)
        .output()
        .unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

/// The map's rows as fields, header left out.
fn cells(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

/// The last row of `losscape run` as (w, b, cost) text.
fn run_end(args: &[&str]) -> [String; 3] {
    let (out, _, code) = losscape(args);
    assert_eq!(code, 0);
    let last: Vec<&str> = out.lines().last().unwrap().split(',').collect();
    [last[2].to_owned(), last[3].to_owned(), last[4].to_owned()]
}

// A cell's end is the single run's end, digit for digit, on learning-rate, start, momentum
// and seed axes.
#[test]
fn cells_equal_single_runs() {
    let base = ["w^2 + 3*b^2 + w*b", "--steps", "150", "--start", "1.5,-2"];
    for (optimizer, axis, flag, extra) in [
        ("gd", "lr:0.01:0.3:log", "--lr", vec!["--lr", "0.1"]),
        (
            "momentum",
            "momentum:0:0.95",
            "--momentum",
            vec!["--lr", "0.05"],
        ),
        (
            "gd",
            "seed:1:9",
            "--seed",
            vec!["--lr", "0.05", "--noise", "0.5"],
        ),
        ("adam", "beta1:0.5:0.95", "--beta1", vec!["--lr", "0.05"]),
        ("adamw", "beta2:0.9:0.999", "--beta2", vec!["--lr", "0.05"]),
        ("rmsprop", "alpha:0.5:0.99", "--alpha", vec!["--lr", "0.01"]),
        (
            "adagrad",
            "eps:1e-10:0.01:log",
            "--eps",
            vec!["--lr", "0.1"],
        ),
        (
            "nesterov",
            "weight_decay:0:0.5",
            "--weight-decay",
            vec!["--lr", "0.05", "--momentum", "0.8"],
        ),
        (
            "gd",
            "noise:0:2",
            "--noise",
            vec!["--lr", "0.05", "--seed", "3"],
        ),
        ("gd", "lr_b:0.01:0.3", "--lr-b", vec!["--lr", "0.1"]),
        (
            "adam",
            "lr_w:0.01:0.3:log",
            "--lr",
            vec!["--lr", "0.1", "--lr-b", "0.05"],
        ),
        (
            "newton",
            "lr:0.1:1",
            "--lr",
            vec!["--lr", "0.5", "--schedule", "step:20:0.5"],
        ),
    ] {
        let mut args = vec!["map"];
        args.extend(base);
        args.extend(["--optimizer", optimizer, "--x", axis, "--res", "4"]);
        args.extend(extra.iter().copied());
        let (out, err, code) = losscape(&args);
        assert_eq!(code, 0, "{err}");
        for row in cells(&out) {
            let mut single = vec!["run"];
            single.extend(base);
            single.extend(["--optimizer", optimizer]);
            // The base's settings but the one the axis varies.
            for pair in extra.chunks(2).filter(|p| p[0] != flag) {
                single.extend(pair.iter().copied());
            }
            single.extend([flag, row[0].as_str()]);
            assert_eq!(
                run_end(&single),
                [row[3].clone(), row[4].clone(), row[5].clone()],
                "{axis} at {}",
                row[0]
            );
        }
    }
    // Two start axes: the cell at (w0, b0) is the run from that start.
    let (out, _, _) = losscape(&[
        "map",
        "himmelblau",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--steps",
        "80",
        "--x",
        "w0:-4:4",
        "--y",
        "b0:-4:4",
        "--res",
        "3",
    ]);
    for row in cells(&out) {
        let start = format!("{},{}", row[0], row[1]);
        let end = run_end(&[
            "run",
            "himmelblau",
            "--optimizer",
            "gd",
            "--lr",
            "0.01",
            "--steps",
            "80",
            "--start",
            &start,
        ]);
        assert_eq!(
            end,
            [row[4].clone(), row[5].clone(), row[6].clone()],
            "{start}"
        );
    }
}

// Gradient descent on w^2 + 25 b^2 is stable iff lr < 2/50: a learning-rate sweep converges
// below and diverges above, away from the boundary.
#[test]
fn the_stability_limit_of_gradient_descent() {
    let (out, err, code) = losscape(&[
        "map",
        "w^2 + 25*b^2",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--start",
        "1,1",
        "--steps",
        "3000",
        "--grad-tol",
        "1e-8",
        "--x",
        "lr:0.01:0.08",
        "--res",
        "40",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = cells(&out);
    assert_eq!(rows.len(), 40);
    for row in rows {
        let lr: f64 = row[0].parse().unwrap();
        if lr < 0.039 {
            assert_eq!(row[1], "converged", "lr {lr}");
            assert_eq!(row[6], "1", "lr {lr} ends at the minimum");
        } else if lr > 0.041 {
            assert_eq!(row[1], "diverged", "lr {lr}");
            assert_eq!(row[6], "", "lr {lr}");
        }
    }
    let last = err.lines().last().unwrap();
    assert!(last.starts_with("cells=40 converged="), "{last}");
    assert!(last.contains(" threads="), "{last}");
}

// Starts over Himmelblau's square reach all four of its minima.
#[test]
fn four_basins_on_himmelblau() {
    let (out, _, code) = losscape(&[
        "map",
        "himmelblau",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--steps",
        "2000",
        "--grad-tol",
        "1e-9",
        "--x",
        "w0:-5:5",
        "--y",
        "b0:-5:5",
        "--res",
        "12",
    ]);
    assert_eq!(code, 0);
    let mut reached: Vec<String> = cells(&out)
        .into_iter()
        .filter(|r| r[2] == "converged")
        .map(|r| r[7].clone())
        .collect();
    reached.sort();
    reached.dedup();
    assert_eq!(reached, ["1", "2", "3", "4"]);
}

// Bad axes exit 2 and say which axis and why.
#[test]
fn bad_axes_are_refused() {
    for (axis, says) in [
        ("speed:0:1", "the axes are: w0, b0, lr"),
        ("lr:0.1:0.01", "below the high end"),
        ("lr:0:1:log", "above 0"),
        ("momentum:0:0.9", "adam has no such setting"),
        ("batch_size:1:8", "only a data fit"),
    ] {
        let (out, err, code) = losscape(&[
            "map",
            "w^2 + b^2",
            "--optimizer",
            "adam",
            "--x",
            axis,
            "--res",
            "3",
        ]);
        assert_eq!(code, 2, "{axis}");
        assert!(out.is_empty());
        assert!(err.contains(says), "{axis}: {err}");
    }
}

// Heavy ball on w^2 + b^2 (curvature 2) is stable iff lr * 2 < 2 (1 + momentum): an
// (lr, momentum) map diverges exactly above that line, away from it.
#[test]
fn the_heavy_ball_region() {
    let (out, err, code) = losscape(&[
        "map",
        "w^2 + b^2",
        "--optimizer",
        "momentum",
        "--lr",
        "0.1",
        "--start",
        "1,-1",
        "--steps",
        "4000",
        "--grad-tol",
        "1e-6",
        "--x",
        "lr:0.05:2.5",
        "--y",
        "momentum:0:0.9",
        "--res",
        "20,10",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = cells(&out);
    assert_eq!(rows.len(), 200);
    let mut checked = 0;
    for row in rows {
        let (lr, momentum): (f64, f64) = (row[0].parse().unwrap(), row[1].parse().unwrap());
        let margin = lr - (1.0 + momentum);
        if margin < -0.1 {
            assert_eq!(row[2], "converged", "lr {lr}, momentum {momentum}");
            checked += 1;
        } else if margin > 0.1 {
            assert_eq!(row[2], "diverged", "lr {lr}, momentum {momentum}");
            checked += 1;
        }
    }
    assert!(checked > 150);
}

// A data fit with mini-batches runs cell by cell: a batch-size axis gives the single runs.
#[test]
fn batch_size_cells_equal_single_runs() {
    let base = [
        "--dataset",
        "house-prices",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--epochs",
        "2",
        "--seed",
        "4",
    ];
    let mut args = vec!["map"];
    args.extend(base);
    args.extend(["--x", "batch_size:1:16", "--res", "4"]);
    let (out, err, code) = losscape(&args);
    assert_eq!(code, 0, "{err}");
    let rows = cells(&out);
    assert_eq!(rows.len(), 4);
    for row in rows {
        let mut single = vec!["run"];
        single.extend(base);
        single.extend(["--batch-size", row[0].as_str()]);
        let end = run_end(&single);
        assert_eq!(
            end,
            [row[3].clone(), row[4].clone(), row[5].clone()],
            "batch {}",
            row[0]
        );
    }
}

// Different seeds shuffle the examples differently: SGD ends somewhere else for every seed,
// and each end is that seed's single run.
#[test]
fn seeds_give_different_sgd_runs() {
    let base = [
        "--dataset",
        "house-prices",
        "--optimizer",
        "sgd",
        "--lr",
        "0.05",
        "--batch-size",
        "2",
        "--steps",
        "30",
    ];
    let mut args = vec!["map"];
    args.extend(base);
    args.extend(["--x", "seed:0:7", "--res", "8"]);
    let (out, err, code) = losscape(&args);
    assert_eq!(code, 0, "{err}");
    let rows = cells(&out);
    let mut ends: Vec<(String, String)> =
        rows.iter().map(|r| (r[3].clone(), r[4].clone())).collect();
    ends.sort();
    ends.dedup();
    assert_eq!(ends.len(), 8, "eight seeds, eight different ends: {ends:?}");
    for row in &rows {
        let mut single = vec!["run"];
        single.extend(base);
        single.extend(["--seed", row[0].as_str()]);
        assert_eq!(
            run_end(&single),
            [row[3].clone(), row[4].clone(), row[5].clone()]
        );
    }
}

// Two parameter groups: gradient descent on w^2 + 25 b^2 with w's rate lr_w and b's lr_b
// diverges iff lr_w > 2/2 or lr_b > 2/50, checked on a map whose values stay 10% or more
// away from both boundaries.
#[test]
fn separate_learning_rates_for_w_and_b() {
    let (out, err, code) = losscape(&[
        "map",
        "w^2 + 25*b^2",
        "--optimizer",
        "gd",
        "--lr",
        "0.1",
        "--start",
        "1,1",
        "--steps",
        "2000",
        "--x",
        "lr_w:0.1:1.9",
        "--y",
        "lr_b:0.005:0.075",
        "--res",
        "10,8",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows = cells(&out);
    assert_eq!(rows.len(), 80);
    for row in rows {
        let (lr_w, lr_b): (f64, f64) = (row[0].parse().unwrap(), row[1].parse().unwrap());
        assert!(
            (lr_w - 1.0).abs() > 0.09 && (lr_b - 0.04).abs() > 0.004,
            "{lr_w} {lr_b}"
        );
        if lr_w > 1.0 || lr_b > 0.04 {
            assert_eq!(row[2], "diverged", "lr_w {lr_w}, lr_b {lr_b}");
        } else {
            assert_eq!(row[2], "limit", "lr_w {lr_w}, lr_b {lr_b}");
            assert_eq!(row[7], "1", "lr_w {lr_w}, lr_b {lr_b} ends at the minimum");
        }
    }
}

// Gradient descent on J = w^2 + 25 b^2 from (1, 1) has w_t = (1 - 2 lr)^t and
// b_t = (1 - 50 lr)^t: every traced row of a learning-rate sweep matches the formula.
#[test]
fn the_trace_follows_the_closed_form() {
    let dir = tempfile::tempdir().unwrap();
    let trace = dir.path().join("trace.csv");
    let (out, err, code) = losscape(&[
        "map",
        "w^2 + 25*b^2",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--start",
        "1,1",
        "--steps",
        "60",
        "--x",
        "lr:0.001:0.035",
        "--res",
        "5",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&trace).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("x,iteration,w,b,cost"));
    let mut rows = 0;
    let mut order = Vec::new();
    for line in lines {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let (lr, t) = (f[0], f[1] as i32);
        let (w, b) = ((1.0 - 2.0 * lr).powi(t), (1.0 - 50.0 * lr).powi(t));
        let cost = w * w + 25.0 * b * b;
        for (got, want) in [(f[2], w), (f[3], b), (f[4], cost)] {
            assert!(
                (got - want).abs() <= 1e-12 * want.abs().max(1e-300),
                "lr {lr} t {t}: {got} vs {want}"
            );
        }
        order.push((lr, t));
        rows += 1;
    }
    assert_eq!(rows, 5 * 61, "every cell's 61 rows");
    // Cells in order, each cell's rows together.
    let mut sorted = order.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(order, sorted);
    assert_eq!(cells(&out).len(), 5);
}

// --png writes a PNG: a 2-D map, and the stability map of a 1-D sweep with --trace.
#[test]
fn pictures_of_maps() {
    let dir = tempfile::tempdir().unwrap();
    let (basins, stability, trace) = (
        dir.path().join("basins.png"),
        dir.path().join("stability.png"),
        dir.path().join("trace.csv"),
    );
    let common = [
        "himmelblau",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--steps",
        "300",
    ];
    let mut args = vec!["map"];
    args.extend(common);
    args.extend([
        "--x",
        "w0:-5:5",
        "--y",
        "b0:-5:5",
        "--res",
        "24",
        "--png",
        basins.to_str().unwrap(),
    ]);
    let (_, err, code) = losscape(&args);
    assert_eq!(code, 0, "{err}");
    let mut args = vec!["map"];
    args.extend(common);
    args.extend([
        "--x",
        "lr:0.001:0.05:log",
        "--res",
        "50",
        "--trace",
        trace.to_str().unwrap(),
        "--png",
        stability.to_str().unwrap(),
    ]);
    let (_, err, code) = losscape(&args);
    assert_eq!(code, 0, "{err}");
    for path in [&basins, &stability] {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
    }
}

// An axis that sets every learning rate makes `--lr` unneeded (the axis overwrites it in
// every cell): such a map runs without it and equals the map with any `--lr`. An axis that
// sets only w's rate still needs b's from `--lr`.
#[test]
fn a_learning_rate_axis_needs_no_lr() {
    let map = |axes: &[&str], lr: Option<&str>| {
        let mut args = vec!["map", "himmelblau", "--optimizer", "gd", "--steps", "40"];
        args.extend_from_slice(axes);
        if let Some(lr) = lr {
            args.extend_from_slice(&["--lr", lr]);
        }
        losscape(&args)
    };
    for axes in [
        &["--x", "lr:0.001:0.1:log", "--res", "9"][..],
        &[
            "--x",
            "lr_w:0.001:0.1",
            "--y",
            "lr_b:0.001:0.05",
            "--res",
            "4,3",
        ][..],
    ] {
        let (out, err, code) = map(axes, None);
        assert_eq!(code, 0, "{axes:?}: {err}");
        let (with_lr, _, code) = map(axes, Some("0.7"));
        assert_eq!(code, 0);
        assert_eq!(out, with_lr, "{axes:?}");
        assert!(cells(&out).len() >= 9);
    }
    let (_, err, code) = map(&["--x", "lr_w:0.001:0.1", "--res", "5"], None);
    assert_eq!(code, 2);
    assert!(err.contains("--lr"), "{err}");
    // A rate the axis may not take is refused as the axis's, not as a missing `--lr`.
    let (_, err, code) = map(&["--x", "lr:-0.1:0.1", "--res", "3"], None);
    assert_eq!(code, 2);
    assert!(err.contains("axis `lr` at -0.1"), "{err}");
}
