//! Many runs at once: a map job runs one problem from one base run setting, with one or two
//! settings varied over a grid of values (the axes), every cell to its end under the rules of
//! a single run. Each cell is the single [`Run`] with its setting changed, so a cell's
//! outcome equals `losscape run` with the same settings bit for bit; cells run in parallel.

mod axis;

use std::sync::Arc;

use rayon::prelude::*;

pub use axis::{Axis, AxisName};

use crate::engine::objective::Objective;
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

/// A map: one problem, a base run and one or two axes.
pub struct MapJob {
    objective: Arc<dyn Objective>,
    base: RunSettings,
    start: Point,
    x: Axis,
    y: Option<Axis>,
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
        let start = Run::new(Arc::clone(&objective), base.clone())
            .map_err(|e| e.to_string())?
            .history()
            .params()
            .first()
            .copied()
            .unwrap_or([0.0, 0.0]);
        let examples = objective.example_count();
        let job = Self {
            objective,
            base,
            start,
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

    /// The cells' axis values, x varying fastest.
    pub fn cells(&self) -> Vec<(f64, Option<f64>)> {
        let xs = self.x.values();
        match &self.y {
            None => xs.into_iter().map(|x| (x, None)).collect(),
            Some(y) => y
                .values()
                .into_iter()
                .flat_map(|y| xs.iter().map(move |&x| (x, Some(y))))
                .collect(),
        }
    }

    /// The run settings of the cell at `x` (and `y`).
    pub fn cell_settings(&self, x: f64, y: Option<f64>) -> Result<RunSettings, String> {
        let mut settings = self.base.clone();
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

    /// Runs the cell at `x` (and `y`) to its end.
    pub fn run_cell(&self, x: f64, y: Option<f64>) -> Result<CellOutcome, String> {
        let settings = self.cell_settings(x, y)?;
        let mut run = Run::new(Arc::clone(&self.objective), settings).map_err(|e| e.to_string())?;
        let status = run.run_to_end();
        let last = run.history().last().ok_or("a run without a start")?;
        let [w, b] = last.params;
        // A strided run's last row always has its full-data cost.
        let cost = last.cost;
        let status = match status {
            Status::Converged { .. } => CellStatus::Converged,
            Status::Diverged { iteration: 0, .. } => CellStatus::Undefined,
            Status::Diverged { .. } => CellStatus::Diverged,
            Status::ReachedLimit { .. } | Status::Running => CellStatus::Limit,
        };
        let minimum = (status != CellStatus::Diverged && status != CellStatus::Undefined)
            .then(|| {
                self.minima
                    .iter()
                    .enumerate()
                    .map(|(i, m)| (i, (m[0] - w).hypot(m[1] - b)))
                    .filter(|&(_, d)| d <= self.tolerance)
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|(i, _)| i)
            })
            .flatten();
        Ok(CellOutcome {
            x,
            y,
            status,
            iterations: last.iteration,
            w,
            b,
            cost,
            minimum,
        })
    }

    /// Runs every cell, in parallel on the current rayon pool, in [`MapJob::cells`] order.
    pub fn run(&self) -> Result<Vec<CellOutcome>, String> {
        self.cells()
            .into_par_iter()
            .map(|(x, y)| self.run_cell(x, y))
            .collect()
    }
}
