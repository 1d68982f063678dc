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
