//! `losscape race`: several optimizers on one problem, each with its best learning rate.
//!
//! ```text
//! losscape race [EXPR|PRESET] --optimizers NAME,NAME,... [--steps N]
//!               [every other problem and run option of `losscape run`]
//! ```
//!
//! For each optimizer, the learning rate whose run gets lowest within `--steps` updates
//! (default 100; `--iterations` is the same option) is tuned: 49 rates log-spaced from 1e-5
//! to 10, then 17 between the best one's neighbours (a diverged run is worst, ties go to
//! the smaller rate). Hyper-parameter flags apply to the rules that have them (`--momentum`
//! to momentum and nesterov, say); the other run options (start, seed, noise, stopping
//! tests) to every rule. `--lr` only matters with `--lr-b`: b's rate keeps its ratio to w's.
//!
//! Output: CSV `optimizer,learning_rate,cost,status`, lowest cost first (diverged last);
//! `losscape run ... --optimizer NAME --lr RATE --steps N` replays a row exactly.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::problem::load_problem;
use crate::cli::run::{Leniency, settings_for};
use crate::engine::explore::{CellStatus, TUNE_RANGE, Tuned, tune_learning_rate};
use crate::engine::optim::OptimizerKind;
use crate::engine::run::shortest;

/// Arguments of `losscape race`.
#[derive(clap::Args, Debug)]
#[group(id = "race_args")]
pub struct Args {
    /// The problem and the run's other settings, as for `losscape run` (no --optimizer).
    #[command(flatten)]
    pub run: super::run::Args,
    /// The optimizers to race, e.g. gd,momentum,adam.
    #[arg(
        long,
        value_name = "NAME,NAME,...",
        value_delimiter = ',',
        required = true
    )]
    pub optimizers: Vec<String>,
}

/// Runs `losscape race`: exit 0 with a table, 2 for bad arguments, 1 when the output
/// cannot be written.
pub fn execute(args: Args) -> ExitCode {
    match race(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("losscape race: {message}");
            ExitCode::from(2)
        }
    }
}

fn race(args: &Args) -> Result<ExitCode, String> {
    let run = &args.run;
    if run.optimizer.is_some() {
        return Err("--optimizer names one rule; the race takes --optimizers NAME,NAME,...".into());
    }
    if run.epochs.is_some() {
        return Err(
            "--epochs does not apply: the race compares the cost after --steps updates".into(),
        );
    }
    if run.lr.is_some() && run.lr_b.is_none() {
        return Err(
            "--lr does not apply: the race tunes each optimizer's learning rate (with --lr-b, --lr sets the ratio of b's rate to w's)"
                .into(),
        );
    }
    let kinds = args
        .optimizers
        .iter()
        .map(|name| name.parse::<OptimizerKind>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("--optimizers: {e}"))?;
    if kinds.is_empty() {
        return Err("--optimizers needs at least one name, e.g. gd,momentum,adam".into());
    }
    let problem = load_problem(&run.problem)?;
    let data_fit = problem.objective.example_count() > 0;
    // A flag that applies to none of the rules is a mistake; one that applies to some is
    // used by those.
    let strict = Leniency {
        learning_rate: Some(*TUNE_RANGE.start()),
        other_rules_flags: false,
    };
    let mut first_error = None;
    let fits_one = kinds.iter().any(|&kind| {
        settings_for(run, data_fit, kind, strict)
            .map_err(|e| first_error.get_or_insert(e).clone())
            .is_ok()
    });
    if !fits_one {
        return Err(first_error.unwrap_or_else(|| "no optimizer to race".to_owned()));
    }
    let lenient = Leniency {
        other_rules_flags: true,
        ..strict
    };
    let iterations = run.steps.unwrap_or(100);
    let started = Instant::now();
    let mut rows: Vec<(OptimizerKind, Tuned)> = Vec::with_capacity(kinds.len());
    for &kind in &kinds {
        let base = settings_for(run, data_fit, kind, lenient)?;
        let tuned = tune_learning_rate(
            problem.objective.clone(),
            &base,
            iterations,
            &[],
            problem.domain,
            None,
            &|_| {},
        )
        .map_err(|e| format!("{kind}: {e}"))?;
        rows.push((kind, tuned));
    }
    let rank = |t: &Tuned| match t.status {
        CellStatus::Diverged | CellStatus::Undefined => f64::INFINITY,
        _ if t.cost.is_nan() => f64::INFINITY,
        _ => t.cost,
    };
    // A stable sort: equal costs keep the order given.
    rows.sort_by(|a, b| rank(&a.1).total_cmp(&rank(&b.1)));
    let mut text = String::from("optimizer,learning_rate,cost,status\n");
    for (kind, tuned) in &rows {
        let _ = writeln!(
            text,
            "{kind},{},{},{}",
            shortest(tuned.learning_rate),
            shortest(tuned.cost),
            tuned.status.name()
        );
    }
    let written = match &run.out {
        Some(path) => crate::files::write_atomically(path, text.as_bytes())
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => super::print_all("race", &text),
    };
    eprintln!(
        "optimizers={} iterations={iterations} time_ms={:.0}",
        rows.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    Ok(written)
}
