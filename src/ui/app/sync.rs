//! Keeping the runtime (dataset, objective, surface, simulations) in line with the state.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::Domain;
use crate::engine::run::RunSettings;
use crate::engine::scenario::{ConstantSetting, DataFitSettings, DataSource};

use super::LosscapeApp;
use crate::ui::simulation::Simulation;
use crate::ui::surface_cache::SurfaceRequest;

impl LosscapeApp {
    /// Brings the runtime in line with the state: dataset, objective, surface, runs. While
    /// `typing`, the problem keeps its last build.
    pub(super) fn reconcile(&mut self, typing: bool) {
        let problem = &self.state.scene.problem;
        if let Some(data) = &problem.data {
            self.data.reconcile(&data.dataset);
        }
        let dataset = problem.data.as_ref().and(self.data.dataset.as_ref());
        let rebuilt = !typing
            && self
                .objective
                .reconcile(problem, dataset, self.data.version);
        if rebuilt {
            // The learning curve forgets the old problem's bounds (costs of another scale).
            self.reset_curve = true;
        }
        let problem = &mut self.state.scene.problem;
        if rebuilt
            && problem.domain.is_none()
            && let Some(domain) = self.objective.default_domain().filter(Domain::is_valid)
        {
            // A problem that gives no domain (a data fit, a file without one) shows its own.
            problem.domain = Some(domain);
        }
        // Every free constant gets a slider; values persist by name.
        for name in &self.objective.constants {
            if !problem.constants.iter().any(|c| &c.name == name) {
                let mut constant = ConstantSetting::new(name, 1.0);
                let (min, max) = constant.range();
                (constant.min, constant.max) = (Some(min), Some(max));
                problem.constants.push(constant);
            }
        }
        if let Some(domain) = problem.domain.filter(Domain::is_valid)
            && domain != self.shown_domain
        {
            // A new domain (typed, fitted, a preset's): the view frames it.
            self.shown_domain = domain;
            self.reset_contour = true;
        }
        let view = &self.state.scene.view;
        if let Some(objective) = &self.objective.objective {
            self.surface.request(SurfaceRequest {
                objective: Arc::clone(objective),
                objective_version: self.objective.version,
                domain: self.shown_domain,
                levels: view.levels,
                spacing: view.level_spacing,
            });
        }
        // One simulation per run, by id.
        let runs = &self.state.scene.runs;
        self.sims.retain(|id, _| runs.iter().any(|r| r.id == *id));
        for run in runs {
            let sim = self
                .sims
                .entry(run.id)
                .or_insert_with(|| Simulation::new(run.id));
            if let Some(objective) = &self.objective.objective {
                sim.poll();
                sim.reconcile(run, objective, self.objective.version, &self.ctx);
            }
        }
        self.reconcile_basins();
    }

    /// The minima map runs can end at, hidden or not: the known ones, or for a formula
    /// without any, those found by a search of the shown region (once it has finished).
    pub(super) fn minima(&mut self) -> Vec<crate::engine::Point> {
        self.explore_minima.minima(
            self.objective.objective.as_ref(),
            self.objective.version,
            self.objective.known_points(),
            self.shown_domain,
        )
    }

    /// Basins follow the selected run's settings and the shown region while they are on and
    /// the contour map is in sight.
    fn reconcile_basins(&mut self) {
        let minima = self.minima();
        let view = &self.state.scene.view;
        let shown =
            view.explore.basins && view.mode != crate::engine::scenario::ViewMode::Surface3d;
        let run = self
            .state
            .scene
            .runs
            .iter()
            .find(|r| Some(r.id) == self.state.selected_run);
        match (&self.objective.objective, run) {
            (Some(objective), Some(run)) if shown => {
                let request = crate::ui::explore::basins::BasinsRequest {
                    objective,
                    objective_version: self.objective.version,
                    run,
                    minima,
                    domain: self.shown_domain,
                    resolution: view.explore.basin_resolution,
                    iterations: view.explore.basin_iterations,
                };
                self.basins.request(request);
            }
            _ => self.basins.clear(),
        }
    }

    /// The last iteration any visible run has.
    pub fn last_iteration(&self) -> usize {
        with_sims(&self.state.scene.runs, &self.sims)
            .filter(|(run, _)| run.visible)
            .map(|(_, sim)| sim.trace.last_index())
            .max()
            .unwrap_or(0)
    }

    /// A CSV file has loaded: the problem becomes a fit to it (the model and loss stay when
    /// it already was a data fit).
    pub(super) fn use_csv(&mut self, path: PathBuf) {
        let problem = &mut self.state.scene.problem;
        if problem.data.is_none() {
            self.parked_problem = Some(problem.clone());
            problem.formula = None;
            problem.domain = None;
            problem.data = Some(DataFitSettings::default());
        }
        if let Some(data) = &mut problem.data {
            data.dataset = DataSource::Csv { path };
        }
        problem.preset = None;
        problem.domain = None;
    }

    pub(super) fn status_text(sim: &Simulation, iteration: usize, prediction: bool) -> String {
        use crate::ui::trace::Outcome;
        if let Some(err) = &sim.error {
            return format!("cannot run: {err}");
        }
        if let Some(p) = sim.progress() {
            return format!("simulating {:.0}%", p * 100.0);
        }
        let trace = &sim.trace;
        // What happens later reads in the future tense: the playhead has not got there.
        let ahead = trace.outcome.stopped_at().is_some_and(|t| iteration < t);
        match trace.outcome {
            Outcome::Pending => "waiting for a valid problem".to_owned(),
            // Prediction mode keeps the outcome for the class to guess.
            _ if ahead && prediction => "running".to_owned(),
            Outcome::Diverged(0) if trace.cost.first().is_some_and(|j| !j.is_finite()) => {
                let at = trace.path.first().map_or_else(String::new, |p| {
                    format!(
                        " (w = {}, b = {})",
                        crate::ui::view3d::ticks::format_number(p.x),
                        crate::ui::view3d::ticks::format_number(p.y)
                    )
                });
                format!("J is undefined at the start{at}")
            }
            Outcome::Converged(t) if ahead => format!("converges at {t}"),
            Outcome::Converged(t) => format!("converged at {t}"),
            Outcome::Diverged(t) if ahead => format!("diverges at {t}"),
            Outcome::Diverged(t) => format!("diverged at {t}"),
            Outcome::ReachedLimit(t) if ahead => format!("reaches the limit ({t})"),
            Outcome::ReachedLimit(t) => format!("reached the limit ({t})"),
        }
    }
}

/// The runs in list order with their simulations.
pub(super) fn with_sims<'a>(
    runs: &'a [RunSettings],
    sims: &'a HashMap<u64, Simulation>,
) -> impl Iterator<Item = (&'a RunSettings, &'a Simulation)> {
    runs.iter()
        .filter_map(|run| Some((run, sims.get(&run.id)?)))
}

/// The visible runs that have a path to draw, with their simulations.
pub(super) fn drawn<'a>(
    runs: &'a [RunSettings],
    sims: &'a HashMap<u64, Simulation>,
) -> impl Iterator<Item = (&'a RunSettings, &'a Simulation)> {
    with_sims(runs, sims).filter(|(run, sim)| run.visible && !sim.trace.path.is_empty())
}
