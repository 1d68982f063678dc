//! `losscape check`: reads scenario files as the app would, then simulates every run of the
//! scenario and of each lesson step, and says how each one ends.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::engine::run::{Run, Status};
use crate::engine::scenario::{BUNDLED_LESSONS, Scenario, ScenarioError};

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

/// Runs the subcommand: exit code 0 when every file is valid, 1 otherwise.
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

/// Writes how each run of the scenario (and of each step) ends; false if one cannot run.
fn report(out: &mut String, name: &str, s: &Scenario) -> bool {
    let steps = s.lesson.as_ref().map_or(0, |l| l.steps.len());
    let _ = writeln!(
        out,
        "ok: {name}: {} ({} runs, {steps} steps)",
        s.display_title(),
        s.runs.len()
    );
    let mut fine = outcomes(out, "start", s);
    // Steps apply in order, each to the scene the one before left, as in the app when a
    // class follows the lesson.
    let mut current = s.clone();
    for i in 0..steps {
        match current.with_step(i) {
            Ok(changed) => {
                fine &= outcomes(out, &format!("step {}", i + 1), &changed);
                current = changed;
            }
            Err(e) => {
                let _ = writeln!(out, "  step {}: error: {e}", i + 1);
                fine = false;
            }
        }
    }
    fine
}

fn outcomes(out: &mut String, label: &str, s: &Scenario) -> bool {
    let built = match s.problem.build(None) {
        Ok(b) => b,
        Err(e) => {
            let _ = writeln!(out, "  {label}: error: {e}");
            return false;
        }
    };
    let mut fine = true;
    for run in &s.runs {
        let text = match Run::new(built.objective.clone(), run.clone()) {
            Ok(mut r) => match r.run_to_end() {
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
            },
            Err(e) => {
                fine = false;
                format!("cannot run: {e}")
            }
        };
        let _ = writeln!(out, "  {label}: {}: {text}", run.name);
    }
    fine
}
