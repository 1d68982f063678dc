//! `losscape range-test`, `losscape race` and the one-axis pictures of `losscape map`
//! (`--picture bifurcation|sweep|stability`): the output is what the maths says (the range
//! test suggests a rate below gradient descent's divergence point, each race row replays
//! as a single run), pictures decode, and wrong inputs get a message saying where and why.
#![allow(clippy::unwrap_used)]

use std::path::Path;
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

/// The width and height of a PNG file, decoding every pixel.
fn decode(path: &Path) -> (u32, u32) {
    let file = std::fs::File::open(path).unwrap();
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert!(pixels.iter().any(|&p| p < 100), "the picture has ink");
    (info.width, info.height)
}

// On w^2 + b^2 gradient descent diverges above a learning rate of 1: the range test stops
// after passing it, and suggests a rate below it.
#[test]
fn range_test_suggests_below_divergence() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("range.png");
    let (out, err, code) = losscape(&[
        "range-test",
        "w^2 + b^2",
        "--optimizer",
        "gd",
        "--start",
        "1,1",
        "--png",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("learning_rate,cost,smoothed"));
    let rows: Vec<Vec<f64>> = lines
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert!(rows.len() > 50 && rows.len() < 100, "{} rows", rows.len());
    assert_eq!(rows[0][0], 1e-6);
    assert!(rows.windows(2).all(|w| w[0][0] < w[1][0]));
    assert!(
        rows.last().unwrap()[0] > 1.0,
        "it went past the divergence point"
    );
    let suggested: f64 = err
        .lines()
        .find_map(|l| l.strip_prefix("suggested: "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(suggested > 1e-6 && suggested < 1.0, "{suggested}");
    let (width, height) = decode(&png);
    assert!(width > 640 && height > 400);
}

// Wrong range tests say what is wrong.
#[test]
fn range_test_refuses_bad_input() {
    for (extra, expected) in [
        (vec!["--min-lr", "0"], "--min-lr must be a number above 0"),
        (vec!["--max-lr", "1e-7"], "must be a number above --min-lr"),
        (vec!["--tol", "1e-6"], "--tol does not apply"),
        (vec!["--steps", "1"], "2 to"),
        (vec!["--momentum", "0.5"], "--momentum does not apply to gd"),
    ] {
        let mut args = vec!["range-test", "rosenbrock", "--optimizer", "gd"];
        args.extend(extra);
        let (_, err, code) = losscape(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let (_, err, code) = losscape(&["range-test", "rosenbrock"]);
    assert_eq!(code, 2);
    assert!(err.contains("--optimizer is required"), "{err}");
}

// Each race row replays as `losscape run` with its optimizer and rate, to the last digit;
// rows come lowest cost first, and a hyper-parameter flag reaches the rules that have it.
#[test]
fn race_rows_replay() {
    let problem = ["rosenbrock", "--start", "-1,1", "--steps", "150"];
    let mut args = vec!["race"];
    args.extend(problem);
    args.extend(["--optimizers", "gd,momentum,adam", "--momentum", "0.8"]);
    let (out, err, code) = losscape(&args);
    assert_eq!(code, 0, "{err}");
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("optimizer,learning_rate,cost,status"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 3);
    let costs: Vec<f64> = rows.iter().map(|r| r[2].parse().unwrap()).collect();
    assert!(costs.windows(2).all(|w| w[0] <= w[1]), "{costs:?}");
    let mut names: Vec<&str> = rows.iter().map(|r| r[0]).collect();
    names.sort_unstable();
    assert_eq!(names, ["adam", "gd", "momentum"]);
    for row in &rows {
        let mut replay = vec!["run"];
        replay.extend(problem);
        replay.extend(["--optimizer", row[0], "--lr", row[1]]);
        if row[0] == "momentum" {
            replay.extend(["--momentum", "0.8"]);
        }
        let (out, err, code) = losscape(&replay);
        assert_eq!(code, 0, "{err}");
        let last: Vec<&str> = out.lines().last().unwrap().split(',').collect();
        assert_eq!(last[0], "150");
        assert_eq!(last[4], row[2], "{row:?}");
        assert_eq!(row[3], "limit");
    }
}

// Wrong races say what is wrong.
#[test]
fn race_refuses_bad_input() {
    for (extra, expected) in [
        (vec!["--optimizers", "gd,sprint"], "unknown optimizer"),
        (
            vec!["--optimizers", "gd", "--momentum", "0.5"],
            "--momentum does not apply to gd",
        ),
        (
            vec!["--optimizers", "gd", "--optimizer", "adam"],
            "--optimizers",
        ),
        (
            vec!["--optimizers", "gd", "--lr", "0.1"],
            "--lr does not apply",
        ),
        (
            vec!["--optimizers", "gd", "--epochs", "3"],
            "--epochs does not apply",
        ),
    ] {
        let mut args = vec!["race", "rosenbrock"];
        args.extend(extra);
        let (_, err, code) = losscape(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let (_, err, code) = losscape(&["race", "rosenbrock"]);
    assert_eq!(code, 2);
    assert!(err.contains("--optimizers"), "{err}");
}

// --picture draws a bifurcation diagram, a sweep or a stability map of a learning-rate
// axis (no trace file needed), and refuses what it cannot draw.
#[test]
fn one_axis_pictures() {
    let dir = tempfile::tempdir().unwrap();
    let common = [
        "map",
        "himmelblau",
        "--optimizer",
        "gd",
        "--lr",
        "0.01",
        "--start",
        "0.5,0.5",
        "--steps",
        "300",
        "--x",
        "lr:0.001:0.1:log",
        "--res",
        "120",
    ];
    let mut sizes = Vec::new();
    for picture in ["bifurcation", "sweep", "stability"] {
        let png = dir.path().join(format!("{picture}.png"));
        let mut args = common.to_vec();
        args.extend(["--png", png.to_str().unwrap(), "--picture", picture]);
        let (out, err, code) = losscape(&args);
        assert_eq!(code, 0, "{picture}: {err}");
        assert_eq!(out.lines().count(), 121, "the map's CSV is printed too");
        sizes.push(decode(&png));
    }
    // The bifurcation diagram has two panels, taller than the sweep.
    assert!(sizes[0].1 > sizes[1].1 + 150, "{sizes:?}");

    let png = dir.path().join("refused.png");
    let png = png.to_str().unwrap();
    for (extra, expected) in [
        (vec!["--picture", "sweep"], "needs --png"),
        (
            vec!["--png", png, "--picture", "bifurcation", "--y", "w0:0:1"],
            "draws one axis",
        ),
        (
            vec!["--png", png, "--picture", "circles"],
            "possible values",
        ),
    ] {
        let mut args = common.to_vec();
        args.extend(extra);
        let (_, err, code) = losscape(&args);
        assert_eq!(code, 2, "{args:?}");
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    assert!(!Path::new(png).exists());
}
