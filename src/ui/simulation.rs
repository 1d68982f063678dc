//! Runs at runtime: each run of the scene is simulated from its start to its end whenever its settings or the problem change, synchronously when that is cheap
//! and in the background when it is not (large datasets, very long runs). The playback
//! then only reveals the recorded history.

use std::sync::Arc;

use egui_plot::PlotPoint;

use crate::engine::objective::Objective;
use crate::engine::optim::OptimizerState;
use crate::engine::run::{Run, RunSettings, Status};

use super::trace::{Outcome, Trace};
use super::worker::Worker;

/// Runs costing more than this many example evaluations are simulated in the background.
const SYNC_BUDGET: u64 = 400_000;
/// Example evaluations between two progress reports of a background simulation.
const PROGRESS_SLICE: u64 = 2_000_000;

/// What a simulation was made from.
#[derive(Clone, Debug, PartialEq)]
struct SimKey {
    settings: RunSettings,
    objective_version: u64,
}

/// One run's simulation.
pub struct Simulation {
    /// The run's id.
    pub id: u64,
    /// The recorded history, shaped for the views.
    pub trace: Trace,
    /// The finished run (for step details), when simulated.
    pub run: Option<Run>,
    /// Why the settings cannot make a run, if they cannot.
    pub error: Option<String>,
    built_from: Option<SimKey>,
    worker: Option<Worker<(SimKey, Trace, Run)>>,
}

impl Simulation {
    /// Not simulated yet.
    pub fn new(id: u64) -> Self {
        Self {
            id,
            trace: Trace::default(),
            run: None,
            error: None,
            built_from: None,
            worker: None,
        }
    }

    /// Re-simulates when the settings or the objective changed since the last time.
    /// `repaint` wakes the UI when a background simulation finishes.
    pub fn reconcile(
        &mut self,
        settings: &RunSettings,
        objective: &Arc<dyn Objective>,
        objective_version: u64,
        repaint: &egui::Context,
    ) {
        // Called every frame: compare without building a key.
        if self.built_from.as_ref().is_some_and(|k| {
            k.objective_version == objective_version && k.settings.same_path(settings)
        }) {
            return;
        }
        let key = SimKey {
            settings: settings.path_key(),
            objective_version,
        };
        if self
            .built_from
            .as_ref()
            .is_some_and(|k| k.objective_version != objective_version)
        {
            // The path and curve of another problem: gone at once, not shown until the new
            // simulation arrives.
            self.trace = Trace::default();
            self.run = None;
        }
        self.built_from = Some(key.clone());
        let run = match Run::new(Arc::clone(objective), settings.clone()) {
            Ok(run) => run,
            Err(err) => {
                self.error = Some(err.to_string());
                return;
            }
        };
        self.error = None;
        let examples = objective.example_count() as u64;
        let per_iteration = 1 + examples.saturating_mul(2);
        let cost = run.iteration_limit().saturating_mul(per_iteration);
        // Iterations per slice of a background simulation: a progress report every
        // PROGRESS_SLICE example evaluations or 2,000 iterations, whichever comes first.
        let slice = (PROGRESS_SLICE / per_iteration).clamp(1, 2_000);
        if cost <= SYNC_BUDGET {
            let (trace, run) = simulate(run);
            self.trace = trace;
            self.run = Some(run);
            self.worker = None;
        } else {
            let worker = self
                .worker
                .get_or_insert_with(|| Worker::new(Some(repaint.clone())));
            worker.submit(move |job| {
                let mut run = run;
                let limit = run.iteration_limit().max(1);
                // Step in slices so a superseded simulation stops early.
                while !run.is_finished() {
                    if job.is_stale() {
                        return;
                    }
                    run.advance(slice);
                    job.set_progress(run.iteration() as f32 / limit as f32);
                }
                let (trace, run) = simulate(run);
                job.emit((key, trace, run));
            });
        }
    }

    /// Takes a finished background simulation; true when the trace changed.
    pub fn poll(&mut self) -> bool {
        let Some(worker) = &mut self.worker else {
            return false;
        };
        match worker.poll() {
            Some((key, trace, run)) if self.built_from.as_ref() == Some(&key) => {
                self.trace = trace;
                self.run = Some(run);
                true
            }
            _ => false,
        }
    }

    /// Blocks until a background simulation has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        if let Some(worker) = &mut self.worker
            && let Some((key, trace, run)) = worker.wait()
            && self.built_from.as_ref() == Some(&key)
        {
            self.trace = trace;
            self.run = Some(run);
        }
    }

    /// Progress of a background simulation, `None` when idle.
    pub fn progress(&self) -> Option<f32> {
        self.worker.as_ref().and_then(Worker::progress)
    }
}

/// Runs to the end and shapes the history for drawing. The path stops before the first
/// non-finite point (a diverged run's last values can overflow).
fn simulate(mut run: Run) -> (Trace, Run) {
    let status = run.run_to_end();
    let history = run.history();
    let params = history.params();
    let finite = params
        .iter()
        .take_while(|p| p[0].is_finite() && p[1].is_finite())
        .count();
    let per_epoch = history.iterations_per_epoch().max(1) as f64;
    let batch = run.batch_size().max(1) as f64;
    let outcome = match status {
        Status::Converged { iteration, .. } => Outcome::Converged(iteration as usize),
        Status::Diverged { iteration, .. } => Outcome::Diverged(iteration as usize),
        Status::ReachedLimit { iteration } => Outcome::ReachedLimit(iteration as usize),
        Status::Running => Outcome::ReachedLimit(history.len().saturating_sub(1)),
    };
    let mut trace = Trace::new(
        params[..finite]
            .iter()
            .map(|p| PlotPoint::new(p[0], p[1]))
            .collect(),
        history.costs()[..finite].to_vec(),
        history.gradients()[..finite].to_vec(),
        (0..finite).map(|t| t as f64 / per_epoch).collect(),
        (0..finite).map(|t| t as f64 * batch).collect(),
        outcome,
    );
    if (1..finite).any(|t| !run.trials(t as u64).is_empty()) {
        for t in 0..finite {
            let trials = run.trials(t as u64);
            trace.trials.extend(
                trials
                    .iter()
                    .filter(|trial| trial.params.iter().all(|v| v.is_finite()))
                    .map(|trial| PlotPoint::new(trial.params[0], trial.params[1])),
            );
            trace.trial_ends.push(trace.trials.len());
        }
    }
    if matches!(run.state_at(0), Some(OptimizerState::Asgd { .. })) {
        // Before the first update there is no average yet: it starts at the start.
        trace.average = (0..finite)
            .map(|t| match run.state_at(t as u64) {
                Some(OptimizerState::Asgd { average, .. }) if t > 0 => {
                    PlotPoint::new(average[0], average[1])
                }
                _ => trace.path[t],
            })
            .collect();
    }
    (trace, run)
}
