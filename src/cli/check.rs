//! `losscape check`: reads scenario files as the app would, then simulates every run of the
//! scenario and of each lesson step, says how each one ends, and checks what the lesson
//! expects of them (`[[lesson.expect]]`, `[[lesson.steps.expect]]`).

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::engine::run::{Run, Status};
use crate::engine::scenario::{BUNDLED_LESSONS, Expectation, Scenario, ScenarioError};

/// Arguments of `losscape check`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Scenario files to check.
    #[arg(value_name = "FILE.toml", required_unless_present = "lessons")]
    pub files: Vec<PathBuf>,
    /// Check the lessons built into losscape too.
    #[arg(long)]
    pub lessons: bool,
}

/// Runs the subcommand: exit code 0 when every file is valid and every claim of its lesson
/// holds, 1 otherwise.
pub fn execute(args: Args) -> ExitCode {
    let mut out = String::new();
    let mut failed = false;
    // The bundled lessons (with --lessons) and then every file named.
    let lessons = BUNDLED_LESSONS.iter().filter(|_| args.lessons).map(|l| {
        let s = Scenario::from_toml(l.text, None).map_err(|e| e.in_file(l.file_name));
        (l.file_name.to_owned(), s)
    });
    let files = args
        .files
        .iter()
        .map(|f| (f.display().to_string(), Scenario::load(f)));
    let loaded: Vec<(String, Result<Scenario, ScenarioError>)> = lessons.chain(files).collect();
    for (name, scenario) in loaded {
        match scenario {
            Ok(s) => failed |= !report(&mut out, &name, &s),
            Err(e) => {
                failed = true;
                let _ = writeln!(out, "error: {e}");
            }
        }
    }
    let written = super::print_all("check", &out);
    if written != ExitCode::SUCCESS {
        return written;
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Writes how each run of the scenario (and of each step) ends and whether what the lesson
/// says about it holds; false if a run cannot run or a claim is false.
fn report(out: &mut String, name: &str, s: &Scenario) -> bool {
    let steps = s.lesson.as_ref().map_or(&[][..], |l| &l.steps[..]);
    let _ = writeln!(
        out,
        "ok: {name}: {} ({} runs, {} steps)",
        s.display_title(),
        s.runs.len(),
        steps.len()
    );
    let at_start = s.lesson.as_ref().map_or(&[][..], |l| &l.expect[..]);
    let mut fine = outcomes(out, name, "start", s, at_start);
    // Steps apply in order, each to the scene the one before left, as in the app when a
    // class follows the lesson.
    let mut current = s.clone();
    for (i, step) in steps.iter().enumerate() {
        let label = format!("step {}", i + 1);
        match current.with_step(i) {
            Ok(changed) => {
                fine &= outcomes(out, name, &label, &changed, &step.expect);
                current = changed;
            }
            Err(e) => {
                let _ = writeln!(out, "  {label}: error: {e}");
                fine = false;
            }
        }
    }
    fine
}

/// Simulates every run of `s` to its end as the app does, writes how it ends, then checks
/// the expectations about it: a line per claim, `holds: ...` or `error: FILE, STEP: ...`.
fn outcomes(
    out: &mut String,
    file: &str,
    label: &str,
    s: &Scenario,
    expect: &[Expectation],
) -> bool {
    let built = match s.problem.build(None) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(out, "  {label}: error: {e}");
            return false;
        }
    };
    let mut fine = true;
    for e in expect {
        if !s.runs.iter().any(|r| r.name == e.run) {
            fine = false;
            let _ = writeln!(
                out,
                "error: {file}, {label}: the lesson expects a run named \"{}\", and there is none",
                e.run
            );
        }
    }
    for run in &s.runs {
        let simulated = Run::new(built.objective.clone(), run.clone()).map(|mut r| {
            r.run_to_end();
            r
        });
        let r = match simulated {
            Ok(r) => r,
            Err(e) => {
                fine = false;
                let _ = writeln!(out, "  {label}: {}: cannot run: {e}", run.name);
                continue;
            }
        };
        let text = match r.status() {
            Status::Converged { iteration, .. } => format!(
                "converged at {iteration}, w = {:.4}, b = {:.4}, J = {:.6}",
                r.params()[0],
                r.params()[1],
                r.cost()
            ),
            Status::Diverged { iteration, reason } => {
                format!("diverged at {iteration} ({reason})")
            }
            _ => format!(
                "stopped after {} iterations, w = {:.4}, b = {:.4}, J = {:.6}",
                r.iteration(),
                r.params()[0],
                r.params()[1],
                r.cost()
            ),
        };
        let _ = writeln!(out, "  {label}: {}: {text}", run.name);
        for finding in expect
            .iter()
            .filter(|e| e.run == run.name)
            .flat_map(|e| e.check(&r))
        {
            if finding.holds {
                let _ = writeln!(out, "  {label}: holds: {}", finding.text);
            } else {
                fine = false;
                let _ = writeln!(out, "error: {file}, {label}: {}", finding.text);
            }
        }
    }
    fine
}
