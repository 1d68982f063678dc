//! Many runs at once: a map job runs one problem from one base run setting, with one or two
//! settings varied over a grid of values (the axes), every cell to its end under the rules of
//! a single run.
//!
//! The single [`Run`] is the specification: a cell's outcome equals `losscape run` with the
//! same settings bit for bit ([`MapJob::run_cell`] runs it that way). The fast path steps
//! function problems in lockstep, a block of runs at a time through the compiled formula
//! (see `lockstep.rs`); data fits with mini-batches and Newton's method run cell by cell,
//! each a single run. Workers take cells from one queue (all cores of the current rayon
//! pool), report finished cells as they go, in rows or coarse grid first, and stop at the
//! next step when cancelled.

mod axis;
mod lockstep;
mod shades;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

pub use axis::{Axis, AxisName};
pub use lockstep::LANES;
pub use shades::{DIVERGED, LIMIT_GREY, OutcomeShades, Rgb, UNDEFINED_RED};

use crate::engine::objective::Objective;
use crate::engine::optim::{
    AdaGrad, Adadelta, Adafactor, Adam, AdamW, Adamax, Asgd, GradientDescent, Momentum, NAdam,
    OptimizerSettings as O, RAdam, RmsProp, Rprop,
};
use crate::engine::run::{Run, RunSettings, Status};
use crate::engine::{Domain, Point};

/// How a cell's run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellStatus {
    /// A convergence test held.
    Converged,
    /// The cost or a parameter blew up.
    Diverged,
    /// The iteration (or epoch) limit was reached.
    Limit,
    /// J is not defined at the start.
    Undefined,
}

impl CellStatus {
    /// The word printed in the map's CSV.
    pub fn name(self) -> &'static str {
        match self {
            Self::Converged => "converged",
            Self::Diverged => "diverged",
            Self::Limit => "limit",
            Self::Undefined => "undefined",
        }
    }
}

/// One cell of a map: its axis values and how its run ended.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CellOutcome {
    /// The value on the x axis.
    pub x: f64,
    /// The value on the y axis (None for a 1-D sweep).
    pub y: Option<f64>,
    /// How the run ended.
    pub status: CellStatus,
    /// Updates taken.
    pub iterations: u64,
    /// The last parameters.
    pub w: f64,
    /// The last parameters.
    pub b: f64,
    /// J at the last parameters.
    pub cost: f64,
    /// The 0-based index, in the job's list, of the minimum the run ended at, if any.
    pub minimum: Option<usize>,
}

/// One row of a cell's trace: the parameters and J after `iteration` updates (0 = the start).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TracePoint {
    /// Updates taken.
    pub iteration: u64,
    /// w there.
    pub w: f64,
    /// b there.
    pub b: f64,
    /// J there (NaN on the rows of a mini-batch run that skip the full-data cost).
    pub cost: f64,
}

/// Where a running job reports. Called from the worker threads.
pub trait MapSink: Sync {
    /// Cells that finished: their index in [`MapJob::cell_values`] order and outcome.
    fn finished(&self, cells: &[(usize, CellOutcome)]);

    /// A finished cell's iterates, row 0 first (only when the job traces).
    fn trace(&self, cell: usize, rows: &[TracePoint]) {
        let _ = (cell, rows);
    }
}

/// The job was cancelled before every cell finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interrupted;

impl std::fmt::Display for Interrupted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the map was cancelled")
    }
}

/// In which order a job takes its cells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CellOrder {
    /// Row by row, x varying fastest.
    Rows,
    /// Every 16th cell along each axis first, then every 8th, 4th, 2nd and the rest: a coarse
    /// picture of the whole map early, refined as the job goes.
    CoarseFirst,
}

/// The cells still to take, shared by the workers.
pub(crate) struct Queue<'a> {
    order: &'a [usize],
    next: AtomicUsize,
}

impl<'a> Queue<'a> {
    fn new(order: &'a [usize]) -> Self {
        Self {
            order,
            next: AtomicUsize::new(0),
        }
    }

    /// Up to `n` cells no other worker has taken.
    pub(crate) fn take(&self, n: usize) -> &'a [usize] {
        let start = self
            .next
            .fetch_add(n, Ordering::Relaxed)
            .min(self.order.len());
        let end = start.saturating_add(n).min(self.order.len());
        &self.order[start..end]
    }
}

/// A map: one problem, a base run and one or two axes.
pub struct MapJob {
    objective: Arc<dyn Objective>,
    base: RunSettings,
    /// `base` without its name and color: what a lockstep lane needs, with no text to copy.
    unnamed: RunSettings,
    start: Point,
    x: Axis,
    y: Option<Axis>,
    xs: Vec<f64>,
    ys: Vec<f64>,
    minima: Vec<Point>,
    tolerance: f64,
}

impl MapJob {
    /// A job over `x` (and `y`) from `base`. `minima` are the known minima a cell can reach,
    /// within 1% of the larger side of `domain`. Fails, naming the axis, when an axis does not
    /// apply to the base run (a momentum axis for Adam, a batch-size axis on a function) or
    /// one of its values makes an invalid run.
    pub fn new(
        objective: Arc<dyn Objective>,
        base: RunSettings,
        x: Axis,
        y: Option<Axis>,
        minima: Vec<Point>,
        domain: Domain,
    ) -> Result<Self, String> {
        if y.as_ref().is_some_and(|y| y.name == x.name) {
            return Err(format!("--x and --y both vary `{}`", x.name.name()));
        }
        base.validate().map_err(|e| e.to_string())?;
        let (start, _) = crate::engine::run::start(&base, objective.as_ref());
        let examples = objective.example_count();
        let unnamed = RunSettings {
            name: String::new(),
            color: None,
            ..base.clone()
        };
        let job = Self {
            objective,
            base,
            unnamed,
            start,
            xs: x.values(),
            ys: y.map_or_else(Vec::new, |y| y.values()),
            x,
            y,
            minima,
            tolerance: 0.01 * domain.w_span().max(domain.b_span()),
        };
        for axis in std::iter::once(&job.x).chain(job.y.as_ref()) {
            if axis.name == AxisName::BatchSize && examples == 0 {
                return Err("axis `batch_size`: only a data fit has mini-batches".to_owned());
            }
            for value in [axis.lo, axis.hi] {
                let mut settings = job.base.clone();
                axis.name.apply(&mut settings, job.start, value)?;
                settings.check().map_err(|(field, message)| {
                    format!(
                        "axis `{}` at {value}: {message} ({field:?})",
                        axis.name.name()
                    )
                })?;
            }
        }
        Ok(job)
    }

    /// The x axis.
    pub fn x_axis(&self) -> &Axis {
        &self.x
    }

    /// The y axis of a 2-D map.
    pub fn y_axis(&self) -> Option<&Axis> {
        self.y.as_ref()
    }

    /// The base run's settings.
    pub fn base(&self) -> &RunSettings {
        &self.base
    }

    /// The known minima a cell can reach, in the order [`CellOutcome::minimum`] counts.
    pub fn minima(&self) -> &[Point] {
        &self.minima
    }

    /// How many cells the map has.
    pub fn cell_count(&self) -> usize {
        self.xs.len() * self.ys.len().max(1)
    }

    /// The axis values of cell `cell` (x varies fastest: cell = row * x count + column).
    pub fn cell_values(&self, cell: usize) -> (f64, Option<f64>) {
        let n = self.xs.len().max(1);
        let x = self.xs.get(cell % n).copied().unwrap_or(f64::NAN);
        (x, self.ys.get(cell / n).copied())
    }

    /// Every cell's axis values, x varying fastest.
    pub fn cells(&self) -> Vec<(f64, Option<f64>)> {
        (0..self.cell_count())
            .map(|c| self.cell_values(c))
            .collect()
    }

    /// The run settings of the cell at `x` (and `y`).
    pub fn cell_settings(&self, x: f64, y: Option<f64>) -> Result<RunSettings, String> {
        self.settings_from(&self.base, x, y)
    }

    /// [`MapJob::cell_settings`] without the base run's name and color, which no step reads
    /// (and so not valid for [`Run::new`], which wants a name): what a lockstep lane needs,
    /// with no text to copy.
    pub(super) fn lane_settings(&self, x: f64, y: Option<f64>) -> Result<RunSettings, String> {
        self.settings_from(&self.unnamed, x, y)
    }

    fn settings_from(
        &self,
        base: &RunSettings,
        x: f64,
        y: Option<f64>,
    ) -> Result<RunSettings, String> {
        let mut settings = base.clone();
        self.x.name.apply(&mut settings, self.start, x)?;
        if let (Some(axis), Some(y)) = (&self.y, y) {
            // The start may have moved along x already: keep that coordinate.
            let start = match settings.init {
                crate::engine::run::Initialization::Manual { w, b } => [w, b],
                _ => self.start,
            };
            axis.name.apply(&mut settings, start, y)?;
        }
        Ok(settings)
    }

    /// Where cell (x, y) starts when every axis of the job moves only the start (`w0`,
    /// `b0`): the start of [`MapJob::cell_settings`], without making the settings. None when
    /// an axis changes anything else.
    pub(super) fn moved_start(&self, x: f64, y: Option<f64>) -> Option<Point> {
        let start = self.x.name.moved_start(self.start, x)?;
        match (&self.y, y) {
            (Some(axis), Some(y)) => axis.name.moved_start(start, y),
            _ => Some(start),
        }
    }

    /// The minimum a run that ended at (w, b) with `status` reached: the nearest known one
    /// within the tolerance, for a run that did not diverge.
    pub fn minimum_reached(&self, status: CellStatus, w: f64, b: f64) -> Option<usize> {
        if matches!(status, CellStatus::Diverged | CellStatus::Undefined) {
            return None;
        }
        self.minima
            .iter()
            .enumerate()
            .map(|(i, m)| (i, (m[0] - w).hypot(m[1] - b)))
            .filter(|&(_, d)| d <= self.tolerance)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// The outcome of a single run that has stopped (or been stopped).
    fn outcome(&self, run: &Run, status: Status, x: f64, y: Option<f64>) -> CellOutcome {
        let (iterations, [w, b], cost) = run
            .history()
            .last()
            .map_or((0, [f64::NAN; 2], f64::NAN), |r| {
                (r.iteration, r.params, r.cost)
            });
        let status = match status {
            Status::Converged { .. } => CellStatus::Converged,
            Status::Diverged { iteration: 0, .. } => CellStatus::Undefined,
            Status::Diverged { .. } => CellStatus::Diverged,
            Status::ReachedLimit { .. } | Status::Running => CellStatus::Limit,
        };
        CellOutcome {
            x,
            y,
            status,
            iterations,
            w,
            b,
            cost,
            minimum: self.minimum_reached(status, w, b),
        }
    }

    /// Runs the cell at `x` (and `y`) to its end as one single [`Run`]: the specification
    /// every faster path matches.
    pub fn run_cell(&self, x: f64, y: Option<f64>) -> Result<CellOutcome, String> {
        let settings = self.cell_settings(x, y)?;
        let mut run = Run::new(Arc::clone(&self.objective), settings).map_err(|e| e.to_string())?;
        let status = run.run_to_end();
        Ok(self.outcome(&run, status, x, y))
    }

    /// True when the job runs in lockstep blocks: function problems, every rule but those that
    /// need the Hessian or evaluate J themselves (Newton, L-BFGS, the line search).
    pub fn runs_in_lockstep(&self) -> bool {
        self.objective.example_count() == 0
            && !matches!(
                self.base.optimizer,
                O::Newton {} | O::Lbfgs { .. } | O::GdArmijo { .. }
            )
    }

    /// Runs every cell on the current rayon pool; outcomes in [`MapJob::cell_values`] order.
    pub fn run(&self) -> Vec<CellOutcome> {
        let sink = Collect(Mutex::new(vec![None; self.cell_count()]));
        // Without a cancel flag a job cannot be interrupted.
        let _ = self.run_into(CellOrder::Rows, false, None, &sink);
        sink.0
            .into_inner()
            .unwrap_or_else(PoisonError::into_inner)
            .into_iter()
            .flatten()
            .collect()
    }

    /// Runs every cell on all threads of the current rayon pool, reporting to `sink` as cells
    /// finish (with their iterates when `trace`), in `order`. Returns `Interrupted` soon
    /// after `cancel` is set: each worker checks it before every step of its block.
    pub fn run_into(
        &self,
        order: CellOrder,
        trace: bool,
        cancel: Option<&AtomicBool>,
        sink: &dyn MapSink,
    ) -> Result<(), Interrupted> {
        self.run_cells(&self.order(order), trace, cancel, sink)
    }

    /// Like [`MapJob::run_into`] for the cells `cells` only, in that order (a slice of
    /// [`MapJob::order`], for work cut into parts).
    pub fn run_cells(
        &self,
        cells: &[usize],
        trace: bool,
        cancel: Option<&AtomicBool>,
        sink: &dyn MapSink,
    ) -> Result<(), Interrupted> {
        let count = cells.len();
        let queue = Queue::new(cells);
        let outcome = Mutex::new(Ok(()));
        let workers = rayon::current_num_threads().clamp(1, count.max(1));
        rayon::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|_| {
                    if let Err(e) = self.work(&queue, trace, cancel, sink) {
                        *outcome.lock().unwrap_or_else(PoisonError::into_inner) = Err(e);
                    }
                });
            }
        });
        outcome.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    /// Every cell index, in `order`.
    pub fn order(&self, order: CellOrder) -> Vec<usize> {
        let (nx, ny) = (self.xs.len(), self.ys.len().max(1));
        match order {
            CellOrder::Rows => (0..nx * ny).collect(),
            CellOrder::CoarseFirst => {
                let mut taken = vec![false; nx * ny];
                let mut cells = Vec::with_capacity(nx * ny);
                for stride in [16, 8, 4, 2, 1] {
                    for row in (0..ny).step_by(stride) {
                        for column in (0..nx).step_by(stride) {
                            let cell = row * nx + column;
                            if !std::mem::replace(&mut taken[cell], true) {
                                cells.push(cell);
                            }
                        }
                    }
                }
                cells
            }
        }
    }

    /// One worker: cells from `queue` until none are left.
    fn work(
        &self,
        queue: &Queue<'_>,
        trace: bool,
        cancel: Option<&AtomicBool>,
        sink: &dyn MapSink,
    ) -> Result<(), Interrupted> {
        use lockstep::run_blocks;
        if !self.runs_in_lockstep() {
            return self.work_cell_by_cell(queue, trace, cancel, sink);
        }
        match self.base.optimizer {
            O::Gd { .. } | O::Sgd { momentum: 0.0, .. } => {
                run_blocks::<GradientDescent>(self, queue, trace, cancel, sink)
            }
            O::Sgd { .. } | O::Momentum { .. } | O::Nesterov { .. } => {
                run_blocks::<Momentum>(self, queue, trace, cancel, sink)
            }
            O::Adagrad { .. } => run_blocks::<AdaGrad>(self, queue, trace, cancel, sink),
            O::Rmsprop { .. } => run_blocks::<RmsProp>(self, queue, trace, cancel, sink),
            O::Adadelta { .. } => run_blocks::<Adadelta>(self, queue, trace, cancel, sink),
            O::Adam { .. } => run_blocks::<Adam>(self, queue, trace, cancel, sink),
            O::Adamw { .. } => run_blocks::<AdamW>(self, queue, trace, cancel, sink),
            O::Adamax { .. } => run_blocks::<Adamax>(self, queue, trace, cancel, sink),
            O::Nadam { .. } => run_blocks::<NAdam>(self, queue, trace, cancel, sink),
            O::Radam { .. } => run_blocks::<RAdam>(self, queue, trace, cancel, sink),
            O::Adafactor { .. } => run_blocks::<Adafactor>(self, queue, trace, cancel, sink),
            O::Rprop { .. } => run_blocks::<Rprop>(self, queue, trace, cancel, sink),
            O::Asgd { .. } => run_blocks::<Asgd>(self, queue, trace, cancel, sink),
            O::GdArmijo { .. } | O::Lbfgs { .. } | O::Newton {} => {
                self.work_cell_by_cell(queue, trace, cancel, sink)
            }
        }
    }

    /// One worker of the slow path: each cell a single run (its own seeded shuffles).
    fn work_cell_by_cell(
        &self,
        queue: &Queue<'_>,
        trace: bool,
        cancel: Option<&AtomicBool>,
        sink: &dyn MapSink,
    ) -> Result<(), Interrupted> {
        let cancelled = || cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        let mut rows = Vec::new();
        loop {
            let cells = queue.take(4);
            if cells.is_empty() {
                return Ok(());
            }
            let mut finished = Vec::with_capacity(cells.len());
            for &cell in cells {
                let (x, y) = self.cell_values(cell);
                let settings = self.cell_settings(x, y).map_err(|_| Interrupted)?;
                let mut run =
                    Run::new(Arc::clone(&self.objective), settings).map_err(|_| Interrupted)?;
                while run.step() {
                    if cancelled() {
                        return Err(Interrupted);
                    }
                }
                if cancelled() {
                    return Err(Interrupted);
                }
                finished.push((cell, self.outcome(&run, run.status(), x, y)));
                if trace {
                    let history = run.history();
                    rows.clear();
                    rows.extend(
                        history
                            .params()
                            .iter()
                            .zip(history.costs())
                            .enumerate()
                            .map(|(t, (p, &cost))| TracePoint {
                                iteration: t as u64,
                                w: p[0],
                                b: p[1],
                                cost,
                            }),
                    );
                    sink.trace(cell, &rows);
                }
            }
            sink.finished(&finished);
        }
    }
}

/// Gathers a job's outcomes in cell order.
struct Collect(Mutex<Vec<Option<CellOutcome>>>);

impl MapSink for Collect {
    fn finished(&self, cells: &[(usize, CellOutcome)]) {
        let mut all = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        for &(cell, outcome) in cells {
            if let Some(slot) = all.get_mut(cell) {
                *slot = Some(outcome);
            }
        }
    }
}
