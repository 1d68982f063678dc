//! `losscape critical`: list the stationary points of J in a region, with their type.
//!
//! ```text
//! losscape critical EXPR [--range WMIN,WMAX,BMIN,BMAX] [--starts N]
//! ```
//!
//! The problem is given as for `losscape eval`; `--range` defaults to the problem's domain.
//! Newton's method on the gradient is started from an N x N grid of points (default 24) and
//! the points it converges to are deduplicated and classified from the Hessian's eigenvalues
//! (see `losscape::engine::surface::find_critical_points`).
//!
//! Output (stdout): a CSV table, one header line and then one line per point, lowest J first:
//!
//! ```text
//! type,w,b,value,lambda_min,lambda_max,condition_number,max_stable_learning_rate
//! minimum,3,2,0,8.52,74.56,8.75,0.0268
//! ```
//!
//! `type` is `minimum`, `saddle` or `maximum`; numbers have at most 9 decimals (trailing zeros
//! dropped; values below 1e-10 in size print as `0`; below 1e-4 or from 1e9 on, 9 significant
//! digits as `1.5e-7`); `lambda_min`/`lambda_max` are the Hessian's eigenvalues; `max_stable_learning_rate`
//! is `2/lambda_max`, empty when `lambda_max <= 0`. When an eigenvalue is zero the type is
//! decided by comparing J nearby. Notes (how many starts, flat regions, nothing found) go to
//! stderr. Bad input exits with status 2, among it a range refused by the domain rule (see
//! `losscape grid`). The search is relative to the domain's size in each direction, so a
//! domain 1e-300 or 1e200 wide finds the same points as one 1 wide, scaled.

use std::process::ExitCode;

use crate::cli::grid::parse_range;
use crate::cli::problem::{ProblemArgs, load_problem};
use crate::engine::run::shortest;
use crate::engine::surface::{CriticalOptions, CriticalPoint, find_critical_points};

/// Arguments of `losscape critical`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The problem: a formula in w and b, or a preset name, with its options.
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// The region searched: WMIN,WMAX,BMIN,BMAX (default: the problem's domain).
    #[arg(long, value_name = "WMIN,WMAX,BMIN,BMAX", allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Newton starts per axis (N x N starts).
    #[arg(long, value_name = "N", default_value_t = 24)]
    pub starts: usize,
}

/// Runs the subcommand.
pub fn execute(args: Args) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(e) => return fail(&e),
    };
    let domain = match &args.range {
        Some(text) => match parse_range(text) {
            Ok(d) => d,
            Err(e) => return fail(&e),
        },
        None => problem.domain,
    };
    if let Err(reason) = domain.validate() {
        return fail(&format!(
            "the problem's domain cannot be searched: {reason}"
        ));
    }
    if !(1..=200).contains(&args.starts) {
        return fail(&format!(
            "--starts {} must be between 1 and 200",
            args.starts
        ));
    }
    let options = CriticalOptions {
        starts_per_axis: args.starts,
        ..CriticalOptions::default()
    };
    let report = find_critical_points(problem.objective.as_ref(), domain, &options);
    let mut table =
        "type,w,b,value,lambda_min,lambda_max,condition_number,max_stable_learning_rate\n"
            .to_owned();
    for p in &report.points {
        table.push_str(&table_row(p));
        table.push('\n');
    }
    let written = super::print_all("critical", &table);
    if written != ExitCode::SUCCESS {
        return written;
    }
    eprintln!(
        "{} stationary point(s) from {} Newton starts in w [{}, {}], b [{}, {}]",
        report.points.len(),
        report.starts,
        shortest(domain.w_min),
        shortest(domain.w_max),
        shortest(domain.b_min),
        shortest(domain.b_max)
    );
    if report.flat_starts > 0 {
        eprintln!(
            "note: {} start(s) ended where J is flat in some direction (a plateau or a valley of equal values); such points are not isolated and are not listed",
            report.flat_starts
        );
    }
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("losscape critical: {message}");
    ExitCode::from(2)
}

/// One CSV line of the table (see the module documentation).
pub fn table_row(p: &CriticalPoint) -> String {
    let c = &p.curvature;
    let lr = c.max_stable_learning_rate.map(short).unwrap_or_default();
    format!(
        "{},{},{},{},{},{},{},{}",
        p.kind,
        short(p.at[0]),
        short(p.at[1]),
        short(p.value),
        short(c.eigenvalues[0]),
        short(c.eigenvalues[1]),
        short(c.condition_number),
        lr
    )
}

/// A number with at most 9 decimals, trailing zeros dropped; below 1e-10 in size it is `0`
/// (round-off of a converged search); below 1e-4 or from 1e9 on, scientific notation with 9
/// significant digits (`1.5e-7`).
pub fn short(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    if v.abs() < 1e-10 {
        return "0".to_string();
    }
    let scientific = v != 0.0 && (v.abs() < 1e-4 || v.abs() >= 1e9);
    let text = if scientific {
        format!("{v:.8e}")
    } else {
        format!("{v:.9}")
    };
    let (mantissa, exponent) = match text.split_once('e') {
        Some((m, e)) => (m.to_string(), format!("e{e}")),
        None => (text, String::new()),
    };
    let mut mantissa = mantissa;
    if mantissa.contains('.') {
        mantissa = mantissa
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string();
    }
    let out = format!("{mantissa}{exponent}");
    if out == "-0" { "0".to_string() } else { out }
}

#[cfg(test)]
mod tests {
    use super::short;

    #[test]
    fn numbers_are_short() {
        assert_eq!(short(2.9999999999999996), "3");
        assert_eq!(short(-1e-15), "0");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(-0.0), "0");
        assert_eq!(short(1.5e-7), "1.5e-7");
        assert_eq!(short(6.6344288255476805e13), "6.63442883e13");
        assert_eq!(short(3e-11), "0");
        assert_eq!(short(2.5e20), "2.5e20");
        assert_eq!(short(f64::NAN), "NaN");
        assert_eq!(short(181.616522), "181.616522");
        assert_eq!(short(0.0268), "0.0268");
        assert_eq!(short(f64::INFINITY), "inf");
        assert_eq!(short(-2.5), "-2.5");
    }
}
