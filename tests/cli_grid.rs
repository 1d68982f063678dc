//! The `grid` and `critical` commands: their exact output formats, their files, negative
//! numbers typed as they are, and exit status 2 with a message for bad input.
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

fn losscape(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_losscape"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

/// Splits the summary line into its fields, checking their names and order.
fn summary(o: &Output) -> Vec<String> {
    assert!(o.status.success(), "stderr: {}", stderr(o));
    let text = stdout(o);
    assert!(
        text.ends_with('\n') && text.lines().count() == 1,
        "exactly one line: {text:?}"
    );
    let keys = [
        "min",
        "max",
        "argmin",
        "undefined",
        "res",
        "threads",
        "time_ms",
    ];
    let fields: Vec<&str> = text.trim_end().split(' ').collect();
    assert_eq!(fields.len(), keys.len(), "{text:?}");
    fields
        .iter()
        .zip(keys)
        .map(|(f, k)| {
            f.strip_prefix(&format!("{k}="))
                .unwrap_or_else(|| panic!("field {k} in {text:?}"))
                .to_string()
        })
        .collect()
}

#[test]
fn grid_prints_one_summary_line() {
    let o = losscape(&[
        "grid",
        "w^2 + b^2",
        "--range",
        "-2,2,-1,3",
        "--res",
        "5x5",
        "--threads",
        "1",
    ]);
    let f = summary(&o);
    assert_eq!(f[..6], ["0", "13", "0,0", "0", "5x5", "1"]);
    let ms = &f[6];
    let (whole, decimals) = ms.split_once('.').expect("time with decimals");
    assert!(
        whole.parse::<u64>().is_ok() && decimals.len() == 3 && decimals.parse::<u64>().is_ok(),
        "{ms}"
    );
}

#[test]
fn grid_accepts_negative_ranges_and_formulas_as_typed() {
    let f = summary(&losscape(&[
        "grid",
        "w^2 + b^2",
        "--range",
        "-3,-1,-2,-1",
        "--res",
        "3",
    ]));
    assert_eq!(f[..5], ["2", "13", "-1,-1", "0", "3x3"]);
    let f = summary(&losscape(&[
        "grid",
        "-w^2 - b^2",
        "--range",
        "-1,1,-1,1",
        "--res",
        "3",
    ]));
    assert_eq!(f[..3], ["-2", "0", "-1,-1"]);
}

#[test]
fn grid_counts_undefined_cells() {
    // ln(w) is undefined (NaN or -inf) for w <= 0: columns w = -1 and w = 0 of 3 columns.
    let f = summary(&losscape(&[
        "grid",
        "ln(w) + b",
        "--range",
        "-1,1,0,1",
        "--res",
        "3x2",
    ]));
    assert_eq!(f[..5], ["0", "1", "1,0", "4", "3x2"]);
}

#[test]
fn grid_writes_npy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.npy");
    let o = losscape(&[
        "grid",
        "w + 10*b",
        "--range",
        "0,3,-1,0",
        "--res",
        "4x2",
        "--out",
        path.to_str().unwrap(),
    ]);
    summary(&o);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..8], b"\x93NUMPY\x01\x00");
    let header_len = usize::from(u16::from_le_bytes([bytes[8], bytes[9]]));
    assert_eq!((10 + header_len) % 64, 0);
    let header = std::str::from_utf8(&bytes[10..10 + header_len]).unwrap();
    assert_eq!(
        header.trim_end(),
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 4), }"
    );
    assert_eq!(bytes.len(), 10 + header_len + 8 * 4 * 2);
    let values: Vec<f64> = bytes[10 + header_len..]
        .chunks(8)
        .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
        .collect();
    assert_eq!(values, vec![-10.0, -9.0, -8.0, -7.0, 0.0, 1.0, 2.0, 3.0]);
}

#[test]
fn grid_writes_csv() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("g.csv");
    let o = losscape(&[
        "grid",
        "w * b",
        "--range",
        "-1,1,1,3",
        "--res",
        "3x4",
        "--out",
        path.to_str().unwrap(),
    ]);
    summary(&o);
    let text = std::fs::read_to_string(&path).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .map(|l| l.split(',').map(|v| v.parse().unwrap()).collect())
        .collect();
    assert_eq!(rows.len(), 4, "one line per b");
    assert!(rows.iter().all(|r| r.len() == 3), "one value per w");
    assert_eq!(rows[0], vec![-1.0, 0.0, 1.0]);
    assert_eq!(rows[3], vec![-3.0, 0.0, 3.0]);
}

fn assert_bad_input(args: &[&str], says: &str) {
    let o = losscape(args);
    assert_eq!(o.status.code(), Some(2), "{args:?}: stderr {}", stderr(&o));
    assert!(stdout(&o).is_empty(), "{args:?}");
    assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
}

#[test]
fn grid_refuses_bad_input_with_status_2() {
    assert_bad_input(&["grid", "w^2 + b^2", "--range", "-2,2,-1"], "four numbers");
    assert_bad_input(&["grid", "w^2 + b^2", "--range", "2,-2,-1,1"], "smaller");
    assert_bad_input(
        &["grid", "w^2 + b^2", "--range", "-2,2,-1,x"],
        "not a finite number",
    );
    assert_bad_input(&["grid", "w^2 + b^2", "--res", "1"], "at least 2");
    assert_bad_input(&["grid", "w^2 + b^2", "--res", "big"], "--res");
    assert_bad_input(&["grid", "w^2 + b^2", "--res", "5000x5000"], "too large");
    assert_bad_input(&["grid", "w^2 + b^2", "--threads", "0"], "--threads");
    assert_bad_input(
        &["grid", "w^2 + b^2", "--res", "4", "--out", "grid.txt"],
        ".npy or .csv",
    );
    let o = losscape(&["grid", "w^2 +* b", "--res", "4"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).is_empty());
}

#[test]
fn critical_lists_the_saddle() {
    let o = losscape(&["critical", "w^2 - b^2", "--range", "-2,2,-2,2"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "type,w,b,value,lambda_min,lambda_max,condition_number,max_stable_learning_rate\nsaddle,0,0,0,-2,2,1,1\n"
    );
}

#[test]
fn critical_classifies_himmelblau() {
    let o = losscape(&[
        "critical",
        "(w^2 + b - 11)^2 + (w + b^2 - 7)^2",
        "--range",
        "-5,5,-5,5",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let kinds: Vec<&str> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    let count = |k: &str| kinds.iter().filter(|x| **x == k).count();
    assert_eq!(
        (count("minimum"), count("saddle"), count("maximum")),
        (4, 4, 1),
        "{text}"
    );
    assert!(
        text.lines().nth(1).unwrap().starts_with("minimum,"),
        "lowest first"
    );
    assert!(text.contains("minimum,3,2,0,"), "{text}");
}

#[test]
fn critical_refuses_bad_input_with_status_2() {
    assert_bad_input(&["critical", "w^2", "--range", "0,1"], "four numbers");
    assert_bad_input(&["critical", "w^2", "--starts", "0"], "--starts");
}

/// A range whose width overflows or that is too narrow for its numbers is refused by both
/// commands with the domain rule's message, not sampled as NaN or searched in vain.
#[test]
fn unresolvable_ranges_are_refused_with_the_reason() {
    for command in ["grid", "critical"] {
        assert_bad_input(
            &[command, "w^2+b^2", "--range", "-1e308,1e308,-1,1"],
            "the w range [-1e+308, 1e+308] is too wide",
        );
        assert_bad_input(
            &[command, "w^2+b^2", "--range", "-1,1,1,1.000000000001"],
            "the b range [1, 1.000000000001] is too narrow",
        );
        assert_bad_input(
            &[command, "w^2+b^2", "--range", "0,1e-310,-1,1"],
            "too narrow",
        );
        assert_bad_input(&[command, "w^2+b^2", "--range", "2,-2,-1,1"], "smaller");
    }
}

/// The saddle of w^2 - b^2 is listed once on a domain 1e-300 wide (where J underflows to 0)
/// and on one 1e200 wide (where J overflows away from the origin).
#[test]
fn critical_lists_the_saddle_once_at_any_scale() {
    for range in ["0,1e-300,0,1e-300", "-1e200,1e200,-1e200,1e200"] {
        let o = losscape(&["critical", "w^2 - b^2", "--range", range]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(rows.len(), 1, "{range}: {text}");
        assert!(rows[0].starts_with("saddle,0,0,"), "{range}: {text}");
    }
}
