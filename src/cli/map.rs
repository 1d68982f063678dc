//! `losscape map`: many runs of one problem, one or two settings varied over a grid.
//!
//! ```text
//! losscape map [EXPR|PRESET] [every problem and run option of `losscape run`]
//!              --x NAME:LO:HI[:log] [--y NAME:LO:HI[:log]] --res N[,M] [--threads K]
//!              [--out FILE.csv]
//! ```
//!
//! Output: CSV `x,y,status,iterations,w,b,cost,minimum`, one row per cell, x varying
//! fastest (no `y` column for one axis); `minimum` is the 1-based number of the minimum the
//! run ended at, in the order `losscape critical` lists minima, or empty. The last line on
//! stderr sums up: `cells=N converged=A diverged=B limit=C undefined=D steps=S time_ms=T
//! steps_per_s=R threads=K`.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::time::Instant;

use crate::cli::problem::load_problem;
use crate::engine::map::{Axis, CellOutcome, CellStatus, MapJob};
use crate::engine::run::shortest;
use crate::engine::surface::{CriticalKind, CriticalOptions, find_critical_points};

/// Arguments of `losscape map`.
#[derive(clap::Args, Debug)]
#[group(id = "map_args")]
pub struct Args {
    /// The problem and the base run, as for `losscape run` (`--out` names the map's CSV).
    #[command(flatten)]
    pub run: super::run::Args,
    /// The setting varied along x: NAME:LO:HI or NAME:LO:HI:log. Names: w0, b0, lr, lr_w,
    /// lr_b, momentum, beta1, beta2, alpha, eps, weight_decay, noise, batch_size, seed.
    #[arg(long, value_name = "NAME:LO:HI[:log]", allow_hyphen_values = true)]
    pub x: String,
    /// A second setting, varied along y.
    #[arg(long, value_name = "NAME:LO:HI[:log]", allow_hyphen_values = true)]
    pub y: Option<String>,
    /// Values per axis: N, or N,M for x and y.
    #[arg(long, value_name = "N[,M]", default_value = "64")]
    pub res: String,
    /// Threads (default: all cores).
    #[arg(long, value_name = "K")]
    pub threads: Option<usize>,
}

/// Runs `losscape map`.
pub fn execute(args: Args) -> ExitCode {
    match map(&args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("losscape map: {message}");
            ExitCode::from(2)
        }
    }
}

fn map(args: &Args) -> Result<ExitCode, String> {
    let problem = load_problem(&args.run.problem)?;
    let data_fit = problem.objective.example_count() > 0;
    let base = super::run::settings_from(&args.run, data_fit)?;
    let (nx, ny) = resolution(&args.res)?;
    let x = Axis::parse(&args.x, nx)?;
    let y = args.y.as_deref().map(|s| Axis::parse(s, ny)).transpose()?;
    // The minima `losscape critical` lists, in its order.
    let minima: Vec<_> = if data_fit {
        problem
            .objective
            .known_points()
            .iter()
            .filter(|p| p.kind.is_minimum())
            .map(|p| p.at)
            .collect()
    } else {
        find_critical_points(
            problem.objective.as_ref(),
            problem.domain,
            &CriticalOptions::default(),
        )
        .points
        .iter()
        .filter(|p| p.kind == CriticalKind::Minimum)
        .map(|p| p.at)
        .collect()
    };
    let job = MapJob::new(problem.objective, base, x, y, minima, problem.domain)?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if threads == 0 {
        return Err("--threads must be at least 1".to_owned());
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let started = Instant::now();
    let cells = pool.install(|| job.run());
    let elapsed = started.elapsed();
    let text = csv(&cells, args.y.is_some());
    let written = match &args.run.out {
        Some(path) => crate::files::write_atomically(path, text.as_bytes())
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => super::print_all("map", &text),
    };
    eprintln!("{}", summary(&cells, elapsed.as_secs_f64(), threads));
    Ok(written)
}

/// `N` or `N,M` values per axis.
fn resolution(text: &str) -> Result<(usize, usize), String> {
    let number = |t: &str| {
        t.trim()
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=4096).contains(n))
            .ok_or_else(|| format!("--res `{text}`: values per axis are 1 to 4096, as N or N,M"))
    };
    match text.split_once(',') {
        Some((a, b)) => Ok((number(a)?, number(b)?)),
        None => number(text).map(|n| (n, n)),
    }
}

/// The map's CSV.
fn csv(cells: &[CellOutcome], two_axes: bool) -> String {
    let mut out = String::with_capacity(64 * cells.len() + 64);
    out.push_str(if two_axes {
        "x,y,status,iterations,w,b,cost,minimum\n"
    } else {
        "x,status,iterations,w,b,cost,minimum\n"
    });
    for c in cells {
        let _ = write!(out, "{}", shortest(c.x));
        if let Some(y) = c.y {
            let _ = write!(out, ",{}", shortest(y));
        }
        let minimum = c.minimum.map_or_else(String::new, |m| (m + 1).to_string());
        let _ = writeln!(
            out,
            ",{},{},{},{},{},{minimum}",
            c.status.name(),
            c.iterations,
            shortest(c.w),
            shortest(c.b),
            shortest(c.cost)
        );
    }
    out
}

/// The stderr summary line.
fn summary(cells: &[CellOutcome], seconds: f64, threads: usize) -> String {
    let count = |s: CellStatus| cells.iter().filter(|c| c.status == s).count();
    let steps: u64 = cells.iter().map(|c| c.iterations).sum();
    format!(
        "cells={} converged={} diverged={} limit={} undefined={} steps={steps} time_ms={:.0} steps_per_s={:.0} threads={threads}",
        cells.len(),
        count(CellStatus::Converged),
        count(CellStatus::Diverged),
        count(CellStatus::Limit),
        count(CellStatus::Undefined),
        seconds * 1000.0,
        steps as f64 / seconds.max(1e-9),
    )
}
