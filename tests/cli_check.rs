//! `losscape check` reads scenario files as the app does and says how every run ends.

use std::process::Command;

fn check(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .arg("check")
        .args(args)
        .output()
        .expect("runs");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        out.status.code().unwrap_or(-1),
    )
}

/// `losscape check` on a file `name` holding `text` (in a temporary directory).
fn check_file(name: &str, text: &str) -> (String, i32) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write");
    check(&[path.to_str().expect("utf-8 path")])
}

// A good file: one line for the file, one per run at the start and after each step.
#[test]
fn a_good_file_reports_each_run() {
    let (out, code) = check_file(
        "lr.toml",
        "version = 1\ntitle = \"Steps\"\n[problem]\nformula = \"w^2 + b^2\"\n\
         [[runs]]\nname = \"fine\"\nlearning_rate = 0.1\ninit = { kind = \"manual\", w = 1.0, b = 1.0 }\nepsilon = 1e-12\n\
         [[runs]]\nname = \"too large\"\nlearning_rate = 1.5\ninit = { kind = \"manual\", w = 1.0, b = 1.0 }\n\
         [lesson]\ntext = \"t\"\n[[lesson.steps]]\ntext = \"a\"\n",
    );
    assert_eq!(code, 0, "{out}");
    let lines: Vec<&str> = out.lines().collect();
    assert!(lines[0].starts_with("ok: ") && lines[0].ends_with("Steps (2 runs, 1 steps)"));
    assert!(
        lines[1].starts_with("  start: fine: converged at "),
        "{out}"
    );
    assert!(
        lines[2].starts_with("  start: too large: diverged at "),
        "{out}"
    );
    assert!(
        lines[3].starts_with("  step 1: fine: converged at "),
        "{out}"
    );
    assert_eq!(lines.len(), 5);
}

// Steps apply in order, as in the app: a change made by step 1 is still there at step 2.
#[test]
fn steps_build_on_each_other() {
    let (out, code) = check_file(
        "steps.toml",
        "version = 1\ntitle = \"In order\"\n[problem]\nformula = \"w^2 + b^2\"\n\
         [[runs]]\nname = \"a\"\nlearning_rate = 0.1\ninit = { kind = \"manual\", w = 1.0, b = 1.0 }\n\
         [lesson]\ntext = \"t\"\n\
         [[lesson.steps]]\ntext = \"too large\"\n[lesson.steps.apply]\n\
         [[lesson.steps.apply.runs]]\nname = \"a\"\nlearning_rate = 1.5\n\
         [[lesson.steps]]\ntext = \"one more\"\n[lesson.steps.apply]\n\
         [[lesson.steps.apply.runs]]\nname = \"b\"\nlearning_rate = 0.1\ninit = { kind = \"manual\", w = 1.0, b = 1.0 }\n",
    );
    assert_eq!(code, 0, "{out}");
    let step2: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("  step 2: "))
        .collect();
    assert_eq!(step2.len(), 2, "{out}");
    assert!(step2[0].starts_with("  step 2: a: diverged at "), "{out}");
    assert!(step2[1].starts_with("  step 2: b: "), "{out}");
}

// A bad file names the line and field, and the exit status says it failed.
#[test]
fn a_bad_file_fails_with_its_line() {
    let (out, code) = check_file(
        "bad.toml",
        "version = 1\n[problem]\npreset = \"bowl\"\n[[runs]]\nname = \"a\"\nlearning_rate = 0.1\nbatch_size = 0\n",
    );
    assert_eq!(code, 1);
    assert!(out.starts_with("error: "), "{out}");
    assert!(out.contains("line 7, runs #1.batch_size"), "{out}");
}

// The bundled lessons all pass.
#[test]
fn the_bundled_lessons_pass() {
    let (out, code) = check(&["--lessons"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.lines().filter(|l| l.starts_with("ok: ")).count() >= 1);
}

// `check --lessons FILE` checks the file too (it used to ignore it and exit 0).
#[test]
fn lessons_and_a_file_are_both_checked() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "version = 1\n[problem]\nformula = \"w^2 +\"\n").expect("write");
    let (out, code) = check(&["--lessons", bad.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("bad.toml") && out.contains("error"), "{out}");
    assert!(
        out.contains("ok: 01-"),
        "the lessons were checked too: {out}"
    );
}

// What is not a regular file is refused before it is read: a device that never ends, and
// a pipe that would block forever.
#[cfg(unix)]
#[test]
fn devices_and_pipes_are_not_read() {
    let (out, code) = check(&["/dev/zero"]);
    assert_eq!(code, 1);
    assert!(out.contains("not a scenario file"), "{out}");
    let dir = tempfile::tempdir().expect("temp dir");
    let fifo = dir.path().join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    if made.is_ok_and(|s| s.success()) {
        let (out, code) = check(&[fifo.to_str().expect("utf-8")]);
        assert_eq!(code, 1);
        assert!(out.contains("not a scenario file"), "{out}");
    }
}
