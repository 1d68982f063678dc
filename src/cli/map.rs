//! `losscape map`: many runs of one problem, one or two settings varied over a grid.
//!
//! ```text
//! losscape map [EXPR|PRESET] [every problem and run option of `losscape run`]
//!              --x NAME:LO:HI[:log] [--y NAME:LO:HI[:log]] --res N[,M] [--threads K]
//!              [--out FILE.csv] [--trace FILE.csv] [--png FILE.png]
//!              [--picture basins|stability|bifurcation|sweep]
//! ```
//!
//! Output: CSV `x,y,status,iterations,w,b,cost,minimum`, one row per cell, x varying
//! fastest (no `y` column for one axis); `minimum` is the 1-based number of the minimum the
//! run ended at, in the order `losscape critical` lists minima, or empty. The last line on
//! stderr sums up: `cells=N converged=A diverged=B limit=C undefined=D steps=S time_ms=T
//! steps_per_s=R threads=K`.
//!
//! `--trace` streams every cell's iterates to a CSV `x,y,iteration,w,b,cost` (row 0 = the
//! start; cells in row order, each cell's rows together). `--png` draws the map; `--picture`
//! says which picture (by default `basins` for two axes or one axis without `--trace`,
//! `stability` for one axis with it):
//! - `basins`: hue = the minimum reached, lightness = iterations taken (a strip for one axis);
//! - `stability` (one axis): x = the axis, y = iteration, color = log10 J;
//! - `bifurcation` (one axis): the last 64 iterates of each run, w above and b below, over
//!   the axis (with `--x lr:LO:HI:log`: where descent settles, oscillates or blows up);
//! - `sweep` (one axis): the final cost of each run over the axis.
//!
//! The stability and bifurcation pictures follow every run's iterates (no `--trace` file
//! needed).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, BufWriter, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::Instant;

use crate::cli::map_picture::{bifurcation_png, map_png, stability_png, sweep_png};
use crate::cli::problem::load_problem;
use crate::cli::run::Leniency;
use crate::engine::limits::LEARNING_RATE_RANGE;
use crate::engine::map::{
    Axis, AxisName, CellOrder, CellOutcome, CellStatus, MapJob, MapSink, TracePoint,
};
use crate::engine::run::{RunSettings, iteration_limit, push_shortest, shortest};
use crate::engine::surface::{CriticalKind, CriticalOptions, find_critical_points};

/// The most values a stability picture holds (cells x iterations), 256 MB of them.
const MAX_STABILITY_VALUES: u64 = 1 << 26;

/// How many last iterates of each run a bifurcation picture shows.
const BIFURCATION_LATE: usize = 64;

/// Which picture `--png` draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Picture {
    /// Hue = the minimum reached, lightness = iterations taken.
    Basins,
    /// Cost over the iterations of every run (one axis).
    Stability,
    /// The last iterates of every run over the axis (one axis).
    Bifurcation,
    /// The final cost of every run over the axis (one axis).
    Sweep,
}

impl Picture {
    fn name(self) -> &'static str {
        match self {
            Self::Basins => "basins",
            Self::Stability => "stability",
            Self::Bifurcation => "bifurcation",
            Self::Sweep => "sweep",
        }
    }
}

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
    /// Every cell's iterates, streamed to this CSV: x,y,iteration,w,b,cost.
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    /// A picture of the map (with one axis and --trace: the stability map).
    #[arg(long, value_name = "FILE.png")]
    pub png: Option<PathBuf>,
    /// Which picture --png draws (default: basins, or stability for one axis with --trace).
    #[arg(long, value_enum)]
    pub picture: Option<Picture>,
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

/// The base run's settings. When the axes set every learning rate (`lr`, or `lr_w` with
/// `lr_b`), no cell reads the base rate, so `--lr` may be left out: the base then takes the
/// first value of the `lr` (or `lr_w`) axis, brought into the allowed range.
fn base_settings(
    args: &Args,
    data_fit: bool,
    x: &Axis,
    y: Option<&Axis>,
) -> Result<RunSettings, String> {
    let axis = |name| std::iter::once(x).chain(y).find(|a| a.name == name);
    let rate_axis = axis(AxisName::Lr).or(axis(AxisName::LrB).and(axis(AxisName::LrW)));
    let leniency = Leniency {
        // Within the allowed range, so that an axis beyond it is refused as the axis.
        learning_rate: rate_axis.map(|a| {
            a.lo.clamp(*LEARNING_RATE_RANGE.start(), *LEARNING_RATE_RANGE.end())
        }),
        ..Leniency::default()
    };
    let kind = super::run::optimizer_kind(&args.run)?;
    super::run::settings_for(&args.run, data_fit, kind, leniency)
}

fn map(args: &Args) -> Result<ExitCode, String> {
    let problem = load_problem(&args.run.problem)?;
    let data_fit = problem.objective.example_count() > 0;
    let (nx, ny) = resolution(&args.res)?;
    let x = Axis::parse(&args.x, nx)?;
    let y = args.y.as_deref().map(|s| Axis::parse(s, ny)).transpose()?;
    let base = base_settings(args, data_fit, &x, y.as_ref())?;
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
    let picture = match (&args.png, args.picture) {
        (None, Some(p)) => {
            return Err(format!(
                "--picture {} needs --png FILE.png to draw to",
                p.name()
            ));
        }
        (None, None) => None,
        (Some(_), Some(p)) => Some(p),
        (Some(_), None) if job.y_axis().is_none() && args.trace.is_some() => {
            Some(Picture::Stability)
        }
        (Some(_), None) => Some(Picture::Basins),
    };
    if let Some(p) = picture
        && p != Picture::Basins
        && job.y_axis().is_some()
    {
        return Err(format!(
            "--picture {} draws one axis: leave out --y (or use --picture basins)",
            p.name()
        ));
    }
    // A stability picture: one axis, with the trace to draw from.
    let rows = iteration_limit(job.base(), 1).saturating_add(1);
    let stability = picture == Some(Picture::Stability);
    if stability && (job.cell_count() as u64).saturating_mul(rows) > MAX_STABILITY_VALUES {
        return Err(format!(
            "--png: a stability picture of {} cells x {rows} iterations is too large (at most {MAX_STABILITY_VALUES} values); use fewer --steps or a lower --res",
            job.cell_count()
        ));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|e| e.to_string())?;
    let keep = Keep {
        costs: stability.then_some(rows as usize),
        late: (picture == Some(Picture::Bifurcation)).then_some(BIFURCATION_LATE),
    };
    let started = Instant::now();
    let Collected {
        cells,
        log_costs,
        late,
    } = match &args.trace {
        Some(path) => {
            let mut result = None;
            crate::files::write_atomically_with(path, |file| {
                let mut out = BufWriter::with_capacity(1 << 16, file);
                result = Some(run_job(&job, &pool, Some(&mut out), keep)?);
                out.flush()
            })
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            result.ok_or("the trace was not written")?
        }
        None => run_job(&job, &pool, None, keep).map_err(|e| e.to_string())?,
    };
    let elapsed = started.elapsed();
    let text = csv(&cells, job.y_axis().is_some());
    let written = match &args.run.out {
        Some(path) => crate::files::write_atomically(path, text.as_bytes())
            .map(|()| ExitCode::SUCCESS)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => super::print_all("map", &text),
    };
    if let (Some(path), Some(picture)) = (&args.png, picture) {
        let diverged: Vec<bool> = cells
            .iter()
            .map(|c| matches!(c.status, CellStatus::Diverged | CellStatus::Undefined))
            .collect();
        let picture = match (picture, log_costs, late) {
            (Picture::Bifurcation, _, Some(late)) => bifurcation_png(
                job.x_axis(),
                &late,
                &diverged,
                job.minima(),
                BIFURCATION_LATE,
            )?,
            (Picture::Sweep, _, _) => sweep_png(job.x_axis(), &cells)?,
            (Picture::Stability, Some(log_cost), _) => {
                let ended: Vec<u64> = cells.iter().map(|c| c.iterations).collect();
                let count = cells.len();
                stability_png(
                    job.x_axis(),
                    &log_cost,
                    count,
                    rows as usize,
                    &ended,
                    &diverged,
                )?
            }
            _ => map_png(
                &cells,
                job.x_axis(),
                job.y_axis(),
                job.minima(),
                job.base().max_iterations,
            )?,
        };
        crate::files::write_atomically(path, &picture)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    eprintln!("{}", summary(&cells, elapsed.as_secs_f64(), threads));
    Ok(written)
}

/// What a job keeps of its runs' iterates for a picture.
#[derive(Clone, Copy, Debug, Default)]
struct Keep {
    /// The stability picture's costs: this many rows per run.
    costs: Option<usize>,
    /// The bifurcation picture's last iterates: this many per run.
    late: Option<usize>,
}

/// What a job gives back.
struct Collected {
    /// Every cell's outcome, in cell order.
    cells: Vec<CellOutcome>,
    /// log10 J per (iteration, cell), for the stability picture.
    log_costs: Option<Vec<f32>>,
    /// Each cell's last iterates, for the bifurcation picture.
    late: Option<LateIterates>,
}

/// Runs the job on `pool`: every cell's outcome in cell order, the trace streamed to `out`
/// when given, and what `keep` asks for.
fn run_job(
    job: &MapJob,
    pool: &rayon::ThreadPool,
    mut out: Option<&mut (dyn io::Write + Send)>,
    keep: Keep,
) -> io::Result<Collected> {
    let rows = keep.costs;
    if let Some(out) = out.as_deref_mut() {
        let header: &[u8] = if job.y_axis().is_some() {
            b"x,y,iteration,w,b,cost\n"
        } else {
            b"x,iteration,w,b,cost\n"
        };
        out.write_all(header)?;
    }
    let tracing = out.is_some();
    let count = job.cell_count();
    let sink = Gather {
        job,
        outcomes: Mutex::new(vec![None; count]),
        trace: out.map(|out| {
            Mutex::new(Trace {
                out,
                line: String::with_capacity(128),
                next: 0,
                pending: BTreeMap::new(),
                error: None,
            })
        }),
        costs: rows.map(|rows| Mutex::new(vec![f32::NAN; rows.saturating_mul(count)])),
        late: keep.late.map(|n| (n, Mutex::new(vec![Vec::new(); count]))),
        stop: AtomicBool::new(false),
    };
    let run = pool.install(|| {
        job.run_into(
            CellOrder::Rows,
            tracing || rows.is_some() || keep.late.is_some(),
            Some(&sink.stop),
            &sink,
        )
    });
    if let Some(trace) = sink.trace {
        let trace = trace.into_inner().unwrap_or_else(PoisonError::into_inner);
        if let Some(e) = trace.error {
            return Err(e);
        }
    }
    run.map_err(|e| io::Error::other(e.to_string()))?;
    let outcomes: Vec<CellOutcome> = sink
        .outcomes
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect();
    if outcomes.len() != count {
        return Err(io::Error::other("a cell of the map did not finish"));
    }
    let log_costs = sink.costs.map(|c| {
        let mut costs = c.into_inner().unwrap_or_else(PoisonError::into_inner);
        log10_costs(&mut costs);
        costs
    });
    let late = sink
        .late
        .map(|(_, late)| late.into_inner().unwrap_or_else(PoisonError::into_inner));
    Ok(Collected {
        cells: outcomes,
        log_costs,
        late,
    })
}

/// log10 of every cost, in place; a cost at or below 0 takes the lowest positive cost's
/// value (a log scale has no place for it), NaN stays NaN (no value there).
fn log10_costs(costs: &mut [f32]) {
    let lowest = costs
        .iter()
        .copied()
        .filter(|c| *c > 0.0 && c.is_finite())
        .fold(f32::INFINITY, f32::min);
    for c in costs {
        *c = if c.is_nan() || c.is_infinite() {
            f32::NAN
        } else if *c > 0.0 {
            c.log10()
        } else if lowest.is_finite() {
            lowest.log10()
        } else {
            f32::NAN
        };
    }
}

/// Each cell's last iterates `[w, b]`.
type LateIterates = Vec<Vec<[f64; 2]>>;

/// Where the job reports: every outcome, the trace file and the stability picture's costs.
struct Gather<'a> {
    job: &'a MapJob,
    outcomes: Mutex<Vec<Option<CellOutcome>>>,
    trace: Option<Mutex<Trace<'a>>>,
    /// J per iteration and cell (row-major), for the stability picture.
    costs: Option<Mutex<Vec<f32>>>,
    /// How many last iterates to keep, and each cell's, for the bifurcation picture.
    late: Option<(usize, Mutex<LateIterates>)>,
    /// Set when the trace cannot be written: the job stops.
    stop: AtomicBool,
}

/// The trace file being streamed, in cell order: a cell that finishes before the ones ahead
/// of it waits in `pending`.
struct Trace<'a> {
    out: &'a mut (dyn io::Write + Send),
    line: String,
    next: usize,
    pending: BTreeMap<usize, Vec<TracePoint>>,
    error: Option<io::Error>,
}

impl Trace<'_> {
    fn write_cell(&mut self, job: &MapJob, cell: usize, rows: &[TracePoint]) -> io::Result<()> {
        let (x, y) = job.cell_values(cell);
        let mut prefix = String::new();
        push_shortest(&mut prefix, x);
        if let Some(y) = y {
            prefix.push(',');
            push_shortest(&mut prefix, y);
        }
        for row in rows {
            let line = &mut self.line;
            line.clear();
            line.push_str(&prefix);
            let _ = write!(line, ",{},", row.iteration);
            push_shortest(line, row.w);
            line.push(',');
            push_shortest(line, row.b);
            line.push(',');
            if !row.cost.is_nan() {
                push_shortest(line, row.cost);
            }
            line.push('\n');
            self.out.write_all(line.as_bytes())?;
        }
        Ok(())
    }
}

impl MapSink for Gather<'_> {
    fn finished(&self, cells: &[(usize, CellOutcome)]) {
        let mut all = self.outcomes.lock().unwrap_or_else(PoisonError::into_inner);
        for &(cell, outcome) in cells {
            if let Some(slot) = all.get_mut(cell) {
                *slot = Some(outcome);
            }
        }
    }

    fn trace(&self, cell: usize, rows: &[TracePoint]) {
        if let Some((keep, late)) = &self.late {
            let last = &rows[rows.len().saturating_sub(*keep)..];
            let points = last.iter().map(|r| [r.w, r.b]).collect();
            let mut late = late.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(slot) = late.get_mut(cell) {
                *slot = points;
            }
        }
        if let Some(costs) = &self.costs {
            let mut costs = costs.lock().unwrap_or_else(PoisonError::into_inner);
            let count = self.job.cell_count();
            for row in rows {
                let at = (row.iteration as usize)
                    .saturating_mul(count)
                    .saturating_add(cell);
                if let Some(c) = costs.get_mut(at) {
                    *c = row.cost as f32;
                }
            }
        }
        let Some(trace) = &self.trace else { return };
        let mut trace = trace.lock().unwrap_or_else(PoisonError::into_inner);
        if trace.error.is_some() {
            return;
        }
        let written = if cell == trace.next {
            let mut written = trace.write_cell(self.job, cell, rows);
            trace.next += 1;
            while written.is_ok() {
                let next = trace.next;
                let Some(waiting) = trace.pending.remove(&next) else {
                    break;
                };
                written = trace.write_cell(self.job, next, &waiting);
                trace.next += 1;
            }
            written
        } else {
            trace.pending.insert(cell, rows.to_vec());
            Ok(())
        };
        if let Err(e) = written {
            trace.error = Some(e);
            self.stop.store(true, Ordering::Relaxed);
        }
    }
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
