//! `losscape check` reads scenario files as the app does, says how every run ends, and
//! checks what the lessons say the runs do.

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

/// A lesson on w² + b²: run "a" halves w and b every step and converges at iteration 13
/// near (0, 0); step 1 changes nothing, step 2 adds run "b", which does the same.
/// `start` and `step2` are expectations (TOML lines) about the start and step 2.
fn lesson_with_claims(start: &str, step2: &str) -> String {
    format!(
        "version = 1\ntitle = \"Claims\"\n[problem]\nformula = \"w^2 + b^2\"\n\
         [[runs]]\nname = \"a\"\nlearning_rate = 0.25\ninit = {{ kind = \"manual\", w = 1.0, b = -2.0 }}\ngrad_tol = 1e-3\n\
         [lesson]\ntext = \"t\"\n{start}\n\
         [[lesson.steps]]\ntext = \"look\"\n\
         [[lesson.steps]]\ntext = \"another\"\n[lesson.steps.apply]\n\
         [[lesson.steps.apply.runs]]\nname = \"b\"\nlearning_rate = 0.25\ninit = {{ kind = \"manual\", w = 1.0, b = -2.0 }}\ngrad_tol = 1e-3\n\
         {step2}\n"
    )
}

// A claim that holds passes, and says so.
#[test]
fn a_true_claim_passes() {
    let (out, code) = check_file(
        "claims.toml",
        &lesson_with_claims(
            "[[lesson.expect]]\nrun = \"a\"\noutcome = \"converges\"\nat_iteration = 13",
            "[[lesson.steps.expect]]\nrun = \"b\"\nnear = [0.0, 0.0]\ntolerance = 0.001\n\
             [[lesson.steps.expect]]\nrun = \"a\"\niteration = 1\nnear = [0.5, -1.0]\ncost_above = 1.2\ncost_below = 1.3",
        ),
    );
    assert_eq!(code, 0, "{out}");
    let holds: Vec<&str> = out.lines().filter(|l| l.contains(": holds: ")).collect();
    assert_eq!(holds.len(), 4, "{out}");
    assert!(
        holds[0].starts_with(
            "  start: holds: run \"a\" converges at iteration 13, the lesson expects it to converge at iteration 13"
        ),
        "{out}"
    );
    assert!(
        out.contains("  step 2: holds: run \"b\" ends at (0.0001, -0.0002), the lesson expects (0, 0) ± 0.001"),
        "{out}"
    );
}

// A false claim fails the check with the file, the step, the run, what it does and what
// the lesson says. The same file without the claim passes: the claim alone fails it.
#[test]
fn a_false_claim_fails_and_says_why() {
    let (out, code) = check_file("claims.toml", &lesson_with_claims("", ""));
    assert_eq!(code, 0, "without the claim the file is fine: {out}");
    let (out, code) = check_file(
        "claims.toml",
        &lesson_with_claims(
            "",
            "[[lesson.steps.expect]]\nrun = \"b\"\nnear = [1.66, 1.0]\ntolerance = 0.05",
        ),
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "claims.toml, step 2: run \"b\" ends at (0.000, 0.000), the lesson expects (1.66, 1) ± 0.05\n"
        ),
        "{out}"
    );
    let error = out
        .lines()
        .find(|l| l.starts_with("error: "))
        .expect("an error line");
    assert!(error.ends_with("± 0.05"), "{out}");
    // A claim about the start, and one about how a run ends, fail the same way.
    let (out, code) = check_file(
        "claims.toml",
        &lesson_with_claims("[[lesson.expect]]\nrun = \"a\"\noutcome = \"diverges\"", ""),
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(
            "claims.toml, start: run \"a\" converges at iteration 13, the lesson expects it to diverge\n"
        ),
        "{out}"
    );
}

// Expectations see the steps applied in order: step 2's run exists only from step 2 on,
// and a claim about it at step 1 is an error naming the line and the field.
#[test]
fn claims_name_runs_of_their_step() {
    let text = lesson_with_claims("", "").replace(
        "[[lesson.steps]]\ntext = \"another\"",
        "[[lesson.steps.expect]]\nrun = \"b\"\nnear = [0.0, 0.0]\n[[lesson.steps]]\ntext = \"another\"",
    );
    let (out, code) = check_file("claims.toml", &text);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("error: "), "{out}");
    assert!(
        out.contains("line 16, lesson.steps #1.expect #1.run: there is no run named `b` here; the runs are: a"),
        "{out}"
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
