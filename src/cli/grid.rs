//! `losscape grid`: sample J on a grid and print one summary line.
//!
//! ```text
//! losscape grid EXPR --range WMIN,WMAX,BMIN,BMAX --res N[xM] [--threads T] [--out FILE.csv|FILE.npy]
//! ```
//!
//! The problem (EXPR or a preset name, `--const`, `--dataset`, `--model`, `--loss`) is given as
//! for `losscape eval`. `--range` defaults to the problem's domain; `--res N` samples N x N,
//! `--res NxM` samples N along w (columns) and M along b (rows), edges included (default 256);
//! `--threads T` uses T threads (default: all cores).
//!
//! Output (stdout), exactly one line of space-separated `key=value` fields:
//!
//! ```text
//! min=<J> max=<J> argmin=<w>,<b> undefined=<count> res=<N>x<M> threads=<T> time_ms=<ms>
//! ```
//!
//! `min`, `max` and `argmin` are over the finite cells (the first minimal cell in row order;
//! `min=NaN max=NaN argmin=none` when no cell is finite), printed in Rust's shortest
//! round-trip form (`-0` shown as `0`); `undefined` counts NaN/infinite cells; `time_ms` is the wall time of the
//! evaluation alone (not parsing, thread start-up or writing), with 3 decimals.
//!
//! `--out FILE.npy` writes NumPy float64 little-endian, C order, shape `(M, N)` (row i is
//! `b_i`, column j is `w_j`, row 0 is `b = BMIN`); `--out FILE.csv` writes the same matrix as
//! M lines of N comma-separated values, no header. See `losscape::engine::surface::export`.
//!
//! Bad input (an expression error, a bad range/resolution, an unknown output extension) prints
//! a message to stderr and exits with status 2; a failure to write the file exits with 1. A
//! range must pass the one domain rule, `losscape::engine::Domain::validate`: finite ends with
//! min < max, a width that does not overflow (`-1e308,1e308` does) and is not too narrow for
//! its numbers (at least 1e-9 times the larger |end|, so that neighbouring samples differ);
//! its message names the range and what is wrong.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::problem::{ProblemArgs, load_problem};
use crate::engine::Domain;
use crate::engine::surface::{Grid, GridSampler, MAX_GRID_CELLS};

/// Arguments of `losscape grid`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The problem: a formula in w and b, or a preset name, with its options.
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// The region: WMIN,WMAX,BMIN,BMAX (default: the problem's domain).
    #[arg(long, value_name = "WMIN,WMAX,BMIN,BMAX", allow_hyphen_values = true)]
    pub range: Option<String>,
    /// Samples: N (N x N) or NxM (N along w, M along b).
    #[arg(long, value_name = "N[xM]", default_value = "256")]
    pub res: String,
    /// Worker threads (default: all cores).
    #[arg(long, value_name = "T")]
    pub threads: Option<usize>,
    /// Also write the grid to FILE.npy or FILE.csv.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Runs the subcommand.
pub fn execute(args: Args) -> ExitCode {
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err((code, message)) => {
            eprintln!("losscape grid: {message}");
            ExitCode::from(code)
        }
    }
}

fn run(args: &Args) -> Result<(), (u8, String)> {
    let bad = |m: String| (2u8, m);
    let problem = load_problem(&args.problem).map_err(bad)?;
    let objective = problem.objective.as_ref();
    let domain = match &args.range {
        Some(text) => parse_range(text).map_err(bad)?,
        None => problem.domain,
    };
    let (n_w, n_b) = parse_res(&args.res).map_err(bad)?;
    let format = match &args.out {
        Some(path) => Some(OutFormat::from_path(path).map_err(bad)?),
        None => None,
    };
    let threads = match args.threads {
        Some(0) => return Err(bad("--threads must be at least 1".into())),
        Some(t) if t > 1024 => return Err(bad(format!("--threads {t} is more than 1024"))),
        Some(t) => t,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| (1u8, format!("cannot start {threads} threads: {e}")))?;
    let sampler = GridSampler::new(domain, n_w, n_b);
    // The result memory is allocated and touched before the clock starts: the time is the
    // evaluation alone.
    let cells = n_w.saturating_mul(n_b);
    let buffer = if cells <= MAX_GRID_CELLS {
        vec![f64::NAN; cells]
    } else {
        Vec::new()
    };
    let start = Instant::now();
    let grid = pool
        .install(|| sampler.sample_into(objective, buffer))
        .map_err(|e| bad(e.to_string()))?;
    let elapsed = start.elapsed();
    let line = format!(
        "{}\n",
        summary_line(&grid, threads, elapsed.as_secs_f64() * 1e3)
    );
    if super::print_all("grid", &line) != std::process::ExitCode::SUCCESS {
        return Err((1, "cannot write the summary".to_owned()));
    }
    if let (Some(path), Some(format)) = (&args.out, format) {
        write_grid(&grid, path, format)
            .map_err(|e| (1u8, format!("cannot write {}: {e}", path.display())))?;
    }
    Ok(())
}

/// The summary line (see the module documentation).
pub fn summary_line(grid: &Grid, threads: usize, time_ms: f64) -> String {
    // Adding 0.0 turns -0 into 0 and leaves every other value as it is.
    let num = |v: f64| v + 0.0;
    let argmin = match grid.argmin {
        Some([w, b]) => format!("{},{}", num(w), num(b)),
        None => "none".to_string(),
    };
    format!(
        "min={} max={} argmin={argmin} undefined={} res={}x{} threads={threads} time_ms={time_ms:.3}",
        num(grid.min),
        num(grid.max),
        grid.undefined_count,
        grid.n_w,
        grid.n_b
    )
}

/// Parses `WMIN,WMAX,BMIN,BMAX` (spaces allowed, negative numbers as typed) into a domain
/// that [`Domain::validate`] accepts; its message says what is wrong otherwise.
pub fn parse_range(text: &str) -> Result<Domain, String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [w_min, w_max, b_min, b_max] = parts[..] else {
        return Err(format!(
            "--range '{text}' needs four numbers: WMIN,WMAX,BMIN,BMAX"
        ));
    };
    let num = |s: &str| match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("--range '{text}': '{s}' is not a finite number")),
    };
    let domain = Domain::new(num(w_min)?, num(w_max)?, num(b_min)?, num(b_max)?);
    domain
        .validate()
        .map_err(|reason| format!("--range '{text}': {reason}"))?;
    Ok(domain)
}

/// Parses `N` or `NxM` (N along w, M along b).
pub fn parse_res(text: &str) -> Result<(usize, usize), String> {
    let lower = text.trim().to_ascii_lowercase();
    let (n, m) = match lower.split_once('x') {
        Some((n, m)) => (n.trim(), m.trim()),
        None => (lower.as_str(), lower.as_str()),
    };
    let count = |s: &str| {
        s.parse::<usize>().map_err(|_| {
            format!("--res '{text}' should be N or NxM with whole numbers, e.g. 256 or 400x300")
        })
    };
    Ok((count(n)?, count(m)?))
}

/// The file formats `--out` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum OutFormat {
    Npy,
    Csv,
}

impl OutFormat {
    fn from_path(path: &std::path::Path) -> Result<OutFormat, String> {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("npy") => Ok(OutFormat::Npy),
            Some("csv") => Ok(OutFormat::Csv),
            _ => Err(format!(
                "--out {}: the file name must end in .npy or .csv",
                path.display()
            )),
        }
    }
}

fn write_grid(grid: &Grid, path: &std::path::Path, format: OutFormat) -> std::io::Result<()> {
    let file = std::fs::File::create(path)?;
    let mut out = std::io::BufWriter::new(file);
    match format {
        OutFormat::Npy => grid.write_npy(&mut out)?,
        OutFormat::Csv => grid.write_csv(&mut out)?,
    }
    std::io::Write::flush(&mut out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_resolutions_parse_as_typed() {
        assert_eq!(
            parse_range("-2,2,-1,3"),
            Ok(Domain::new(-2.0, 2.0, -1.0, 3.0))
        );
        assert_eq!(
            parse_range(" -1.5e0 , 2 ,0,1"),
            Ok(Domain::new(-1.5, 2.0, 0.0, 1.0))
        );
        assert!(parse_range("1,2,3").is_err());
        assert!(parse_range("2,1,0,1").is_err());
        assert!(parse_range("0,1,0,inf").is_err());
        assert!(parse_range("0,1,0,b").is_err());
        assert_eq!(parse_res("64"), Ok((64, 64)));
        assert_eq!(parse_res("400x300"), Ok((400, 300)));
        assert_eq!(parse_res("4X3"), Ok((4, 3)));
        assert!(parse_res("-5").is_err());
        assert!(parse_res("10x").is_err());
        assert!(parse_res("ten").is_err());
    }
}
