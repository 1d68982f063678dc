//! `losscape range-test`: a learning-rate range test (a "learning-rate finder").
//!
//! ```text
//! losscape range-test [EXPR|PRESET] [every problem and run option of `losscape run`]
//!                     [--min-lr F] [--max-lr F] [--steps N] [--png FILE.png]
//! ```
//!
//! One run whose learning rate grows exponentially from `--min-lr` (default 1e-6) to
//! `--max-lr` (default 10) over `--steps` updates (default 100), the optimizer's state
//! carried over as the rate grows; it stops early once the cost exceeds 4 times the lowest
//! seen or is not finite. Output: CSV `learning_rate,cost,smoothed`, one row per update (the
//! cost right after it and its bias-corrected moving average, decay 0.98). The suggested
//! learning rate (where the smoothed cost falls fastest against log(rate)) goes to stderr
//! as `suggested: RATE`, or `suggested: none`. `--lr` only matters with `--lr-b`: b's rate
//! keeps its ratio to w's. `--png` draws the curve with the suggestion marked.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::map_picture::range_test_png;
use crate::cli::problem::load_problem;
use crate::cli::run::{Leniency, optimizer_kind, settings_for};
use crate::engine::explore::{RangeTestSpec, range_test};
use crate::engine::run::shortest;

/// Arguments of `losscape range-test`.
#[derive(clap::Args, Debug)]
#[group(id = "range_test_args")]
pub struct Args {
    /// The problem and the run, as for `losscape run` (`--steps`: updates of the test).
    #[command(flatten)]
    pub run: super::run::Args,
    /// The learning rate of the first update.
    #[arg(
        long,
        value_name = "F",
        default_value_t = 1e-6,
        allow_hyphen_values = true
    )]
    pub min_lr: f64,
    /// The learning rate of the last update.
    #[arg(
        long,
        value_name = "F",
        default_value_t = 10.0,
        allow_hyphen_values = true
    )]
    pub max_lr: f64,
    /// A picture of the curve with the suggested rate.
    #[arg(long, value_name = "FILE.png")]
    pub png: Option<PathBuf>,
}

/// Runs `losscape range-test`: exit 0 with a result, 2 for bad arguments, 1 when the
/// output cannot be written.
pub fn execute(args: Args) -> ExitCode {
    match test(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("losscape range-test: {message}");
            ExitCode::from(2)
        }
    }
}

fn test(args: &Args) -> Result<ExitCode, String> {
    let run = &args.run;
    for (given, flag) in [
        (run.epochs.is_some(), "--epochs"),
        (run.tol.is_some(), "--tol"),
        (run.grad_tol.is_some(), "--grad-tol"),
        (run.schedule.is_some(), "--schedule"),
    ] {
        if given {
            return Err(format!(
                "{flag} does not apply: the range test takes every update (--steps) with its own growing learning rate"
            ));
        }
    }
    let problem = load_problem(&run.problem)?;
    let data_fit = problem.objective.example_count() > 0;
    let leniency = Leniency {
        learning_rate: Some(args.min_lr),
        other_rules_flags: false,
    };
    let base = settings_for(run, data_fit, optimizer_kind(run)?, leniency)?;
    let spec = RangeTestSpec {
        lo: args.min_lr,
        hi: args.max_lr,
        iterations: run.steps.unwrap_or(RangeTestSpec::default().iterations),
    };
    if !(spec.lo.is_finite() && spec.lo > 0.0) {
        return Err(format!(
            "--min-lr must be a number above 0, not {}",
            spec.lo
        ));
    }
    if !(spec.hi.is_finite() && spec.hi > spec.lo) {
        return Err(format!(
            "--max-lr ({}) must be a number above --min-lr ({})",
            spec.hi, spec.lo
        ));
    }
    let result = range_test(problem.objective, &base, &spec, None).map_err(|e| e.to_string())?;
    let mut text = String::with_capacity(48 * result.rates.len() + 32);
    text.push_str("learning_rate,cost,smoothed\n");
    for ((rate, cost), smoothed) in result.rates.iter().zip(&result.costs).zip(&result.smoothed) {
        let _ = writeln!(
            text,
            "{},{},{}",
            shortest(*rate),
            shortest(*cost),
            shortest(*smoothed)
        );
    }
    let written = match &run.out {
        Some(path) => crate::files::write_atomically(path, text.as_bytes())
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => super::print_all("range-test", &text),
    };
    if let Some(path) = &args.png {
        let picture = range_test_png(
            &result.rates,
            &result.costs,
            &result.smoothed,
            result.suggested,
            spec.lo,
            spec.hi,
        )?;
        crate::files::write_atomically(path, &picture)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    let taken = result.rates.len();
    if (taken as u64) < spec.iterations {
        eprintln!(
            "stopped after {taken} of {} updates: the cost rose past 4 times its lowest or blew up",
            spec.iterations
        );
    }
    match result.suggested {
        Some(rate) => eprintln!("suggested: {}", shortest(rate)),
        None => eprintln!("suggested: none (the smoothed cost never fell)"),
    }
    Ok(written)
}
