//! The app shell: owns the [`State`], the runtime caches built from it, and the frame loop.
//!
//! Each frame: keys become commands; the runtime is reconciled with the state (a changed
//! formula recompiles, a changed run re-simulates, a changed surface is requested from the
//! background worker); playback advances; the panels and views draw; then the commands
//! collected while drawing are applied.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use crate::engine::Domain;

use super::Mode;
use super::command::Command;
use super::data::DataRuntime;
use super::frame_stats::FrameStats;
use super::objective::ObjectiveRuntime;
use super::palette;
use super::panels::problem;
use super::panels::runs::RunsPanel;
use super::simulation::Simulation;
use super::state::ViewMode;
use super::state::{ProblemKind, RunEntry, State};
use super::surface::{SurfaceCache, SurfaceRequest};
use super::theme;
use super::toolbar::{RunBadge, Toolbar};
use super::trace::Trace;
use super::view3d::Trajectory3d;
use super::views::contour::{ContourInput, ContourView, TraceView};
use super::views::learning_curve::{CurveEnd, CurveInput, CurveTrace, LearningCurve};
use super::views::modes;

mod scenario_io;
mod view_menu;

/// Frames drawn before `--frame-stats` starts measuring (first surface, texture upload).
const WARM_UP_FRAMES: usize = 10;

/// The losscape app: state that is saved, plus everything computed from it.
pub struct LosscapeApp {
    /// What is remembered between sessions.
    state: State,
    /// How the app was started.
    mode: Mode,
    /// Exit code reported by [`super::launch`] (batch modes).
    exit: Arc<AtomicU8>,
    /// Frames drawn so far.
    frames: usize,
    /// Timings, in `--frame-stats` mode.
    stats: Option<FrameStats>,
    /// A requested screenshot on its way back from the renderer.
    screenshot: Option<Receiver<Arc<egui::ColorImage>>>,
    /// Actions collected while drawing, applied after.
    commands: Vec<Command>,
    /// The dataset of a data-fit problem.
    data: DataRuntime,
    /// The compiled problem.
    objective: ObjectiveRuntime,
    /// The sampled surface.
    surface: SurfaceCache,
    /// One simulation per run, same order as `state.runs`.
    runs: Vec<Simulation>,
    /// Wakes the UI from background work.
    ctx: egui::Context,
    /// The last valid domain (shown while the typed one is invalid).
    shown_domain: Domain,
    /// Reset the contour plot's zoom on the next frame.
    reset_contour: bool,
    /// Reset the learning curve's zoom on the next frame.
    reset_curve: bool,
    /// True when eframe clears the window to the panel color (panels then skip their fill).
    cleared_to_panel_color: bool,
    /// Playback was running at the end of the last frame.
    was_playing: bool,
    /// Take the next built objective's own domain (after a data preset or kind switch).
    adopt_domain: bool,
    /// Problem kind of the last reconcile (a switch adopts the new problem's domain).
    last_kind: ProblemKind,
    contour_view: ContourView,
    curve_view: LearningCurve,
    /// The 3D view (part 2).
    surface3d: super::views::modes::Surface3dPanel,
    /// The (w, b) hovered in the 3D view last frame (marked in the contour view).
    hover_3d: Option<crate::engine::Point>,
    /// The (w, b) hovered in the contour view last frame (marked in the 3D view).
    hover_contour: Option<crate::engine::Point>,
    /// Slices, step inspector and data view (part 2).
    details: super::views::details::DetailsPanel,
    /// The details panel is open (None until the first frame decides: closed when the
    /// app starts with two views side by side).
    show_details: Option<bool>,
    /// PNG and CSV exports.
    exporter: super::export::Exporter,
    /// Where the views were drawn this frame (for cropped PNG exports).
    view_rects: super::export::ViewRects,
    /// Scenario files being opened or saved, and messages about them.
    files: super::documents::ScenarioFiles,
    /// The window title last sent (it names the open file or lesson).
    window_title: String,
    /// Presenter mode and the theme as applied to the context.
    appearance: super::appearance::Appearance,
}

impl LosscapeApp {
    /// The app with `state` (tests and batch modes use [`State::default`]).
    pub fn new(ctx: &egui::Context, state: State) -> Self {
        theme::apply(ctx);
        let shown_domain = if state.problem.domain.is_valid() {
            state.problem.domain
        } else {
            super::state::ProblemSettings::default().domain
        };
        Self {
            state,
            mode: Mode::Interactive,
            exit: Arc::new(AtomicU8::new(0)),
            frames: 0,
            stats: None,
            screenshot: None,
            commands: Vec::new(),
            data: DataRuntime::new(Some(ctx.clone())),
            objective: ObjectiveRuntime::default(),
            surface: SurfaceCache::new(Some(ctx.clone())),
            runs: Vec::new(),
            ctx: ctx.clone(),
            shown_domain,
            reset_contour: false,
            reset_curve: false,
            cleared_to_panel_color: false,
            was_playing: false,
            adopt_domain: false,
            last_kind: ProblemKind::Function,
            contour_view: ContourView::default(),
            curve_view: LearningCurve,
            surface3d: Default::default(),
            hover_3d: None,
            hover_contour: None,
            details: Default::default(),
            show_details: None,
            exporter: Default::default(),
            view_rects: Default::default(),
            files: super::documents::ScenarioFiles::new(Some(ctx.clone())),
            window_title: String::new(),
            appearance: Default::default(),
        }
        .with_kind_known()
    }

    fn with_kind_known(mut self) -> Self {
        self.last_kind = self.state.problem.kind;
        self
    }

    /// The app as eframe starts it: the remembered session (if readable) or the default
    /// scene. Batch modes always start from the default scene, playing.
    pub fn from_storage(
        ctx: &egui::Context,
        storage: Option<&dyn eframe::Storage>,
        mode: Mode,
        exit: Arc<AtomicU8>,
    ) -> Self {
        let state = storage
            .and_then(|s| eframe::get_value::<State>(s, eframe::APP_KEY))
            .unwrap_or_default();
        let mut app = Self::new(ctx, state);
        if let Mode::FrameStats { frames } = &mode {
            app.stats = Some(FrameStats::new(*frames));
        }
        if mode.is_batch() {
            app.state.playback.playing = true;
        }
        app.mode = mode;
        app.exit = exit;
        app.cleared_to_panel_color = true;
        app
    }

    /// Presenter mode is on.
    pub fn presenter(&self) -> bool {
        self.appearance.presenter
    }

    /// Turns presenter mode on or off (`--presenter`, tests); applied on the next frame.
    pub fn set_presenter(&mut self, on: bool) {
        self.appearance.presenter = on;
    }

    /// The saved part of the app.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The saved part of the app, for changes made outside the panels (tests, scenarios).
    pub fn state_mut(&mut self) -> &mut State {
        &mut self.state
    }

    /// Number of the current objective (increases whenever it is rebuilt).
    pub fn objective_version(&self) -> u64 {
        self.objective.version
    }

    /// The error shown for the problem as typed, if any.
    pub fn problem_error(&self) -> Option<&super::objective::ProblemError> {
        self.objective.error.as_ref()
    }

    /// The grid currently shown, if any.
    pub fn surface_grid(&self) -> Option<&crate::engine::surface::Grid> {
        self.surface.current.as_ref().map(|s| &*s.grid)
    }

    /// The history of a run as drawn, by id.
    pub fn trace(&self, id: u64) -> Option<&Trace> {
        self.runs.iter().find(|r| r.id == id).map(|r| &r.trace)
    }

    /// The simulated run (engine history) of a run, by id, once simulated.
    pub fn run(&self, id: u64) -> Option<&crate::engine::run::Run> {
        self.runs
            .iter()
            .find(|r| r.id == id)
            .and_then(|r| r.run.as_ref())
    }

    /// The exports (tests point them at a folder instead of the save dialog).
    pub fn exporter_mut(&mut self) -> &mut super::export::Exporter {
        &mut self.exporter
    }

    /// The last error of the dataset, if any.
    pub fn data_error(&self) -> Option<&str> {
        self.data.error.as_deref()
    }

    /// Total points of the contour polylines shown (for tests and tuning).
    pub fn contour_point_count(&self) -> usize {
        self.surface
            .current
            .as_ref()
            .map_or(0, |s| s.contours.iter().map(|(_, p)| p.len()).sum())
    }

    /// Where a point (w, b) was drawn on the contour plot in the last frame.
    pub fn contour_screen_position(&self, at: crate::engine::Point) -> Option<egui::Pos2> {
        self.contour_view.screen_position(at)
    }

    /// Loads a CSV file as the dataset (in the background, as "Open CSV..." does after the
    /// dialog): on success the problem's data source becomes that file; on failure the error
    /// is shown and the current dataset stays.
    pub fn open_csv(&mut self, path: std::path::PathBuf) {
        self.data.open_path(path);
    }

    /// The number of examples in the current dataset (0 without one).
    pub fn dataset_len(&self) -> usize {
        self.data.dataset.as_ref().map_or(0, |d| d.len())
    }

    /// Blocks until background work (surface, dataset) has finished and applies it. For
    /// tests and `--screenshot`; the interactive app never waits.
    pub fn wait_for_background(&mut self) {
        if let Some(event) = self.files.wait() {
            self.file_event(event);
        }
        self.data.wait(&mut self.state.problem.data.source);
        self.reconcile();
        self.surface.wait();
        for sim in &mut self.runs {
            sim.wait();
        }
    }

    /// Draws the whole app into `ui` (eframe calls this every frame; tests call it through
    /// egui_kittest) and applies the resulting commands.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        if !theme::is_applied(ui.style()) {
            // A context the app was not created with (tests): style it, draw next frame.
            theme::apply(ui.ctx());
            ui.ctx().request_repaint();
        }
        self.appearance.sync(ui.ctx(), self.state.theme);
        self.handle_keys(ui);
        self.handle_dropped_files(ui);
        if let Some(event) = self.files.poll() {
            self.file_event(event);
        }
        self.data.poll(&mut self.state.problem.data.source);
        self.reconcile();
        self.surface.poll();

        let last = self.last_iteration();
        // Screenshots advance by a fixed 1/60 s per frame so they are reproducible. Otherwise
        // the real time since the last frame (frames are paced to the playback, so egui's
        // smoothed dt would be wrong), and nothing on the frame that starts playing.
        let dt = if matches!(self.mode, Mode::Screenshot { .. }) {
            1.0 / 60.0
        } else if self.was_playing {
            ui.input(|i| i.unstable_dt) as f64
        } else {
            0.0
        };
        self.state.playback.advance(dt, last);
        self.was_playing = self.state.playback.playing;
        if self.mode.is_batch() && !self.state.playback.playing {
            // Measurements keep the scene moving: loop back to the start.
            self.state.playback.restart();
            self.state.playback.toggle(last);
        }
        if let Some(wait) = self.state.playback.seconds_to_next() {
            // Paint when the next iteration is due, not faster: nothing moves in between.
            if wait < 1.0 / 120.0 {
                ui.ctx().request_repaint();
            } else {
                ui.ctx()
                    .request_repaint_after(Duration::from_secs_f64(wait));
            }
        } else if self.is_busy() {
            // Show progress without spinning the (test) event loop.
            ui.ctx().request_repaint_after(Duration::from_millis(50));
        }

        self.menu_ui(ui);
        self.toolbar_ui(ui, last);
        self.side_panel_ui(ui);
        self.curve_panel_ui(ui);
        self.details_panel_ui(ui);
        self.central_ui(ui);

        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply(ui.ctx(), command);
        }
        self.exporter.poll(ui.ctx(), &self.view_rects);
        self.file_messages_ui(ui);
        self.update_window_title(ui.ctx());
    }

    /// True while background work (surface, dataset, simulations) is running.
    pub fn is_busy(&self) -> bool {
        self.surface.is_busy()
            || self.data.is_busy()
            || self.files.is_busy()
            || self.runs.iter().any(|r| r.progress().is_some())
    }

    /// A panel's frame. Under eframe the window is cleared to the panel color, so panels
    /// need no fill of their own: with a software renderer every filled pixel costs, and this
    /// saves shading the whole window once per frame.
    fn panel_frame(&self, ui: &egui::Ui, central: bool) -> egui::Frame {
        let frame = if central {
            egui::Frame::central_panel(ui.style())
        } else {
            egui::Frame::side_top_panel(ui.style())
        };
        if self.cleared_to_panel_color {
            frame.fill(egui::Color32::TRANSPARENT)
        } else {
            frame
        }
    }

    /// Brings the runtime in line with the state: dataset, objective, surface, runs.
    fn reconcile(&mut self) {
        let problem = &self.state.problem;
        if problem.kind == ProblemKind::DataFit {
            self.data.reconcile(&problem.data.source);
        }
        let dataset = (problem.kind == ProblemKind::DataFit)
            .then_some(self.data.dataset.as_ref())
            .flatten();
        if problem.kind != self.last_kind {
            self.last_kind = problem.kind;
            self.adopt_domain = true;
        }
        let rebuilt = self
            .objective
            .reconcile(problem, dataset, self.data.version);
        if rebuilt
            && std::mem::take(&mut self.adopt_domain)
            && let Some(domain) = self.objective.default_domain().filter(Domain::is_valid)
        {
            self.state.problem.domain = domain;
            self.reset_contour = true;
        }
        // Every free constant gets a slider; values persist by name.
        for name in &self.objective.constants {
            if !self.state.problem.constants.iter().any(|c| &c.name == name) {
                self.state
                    .problem
                    .constants
                    .push(super::state::ConstantSetting {
                        name: name.clone(),
                        ..Default::default()
                    });
            }
        }
        let problem = &self.state.problem;
        if problem.domain.is_valid() && problem.domain != self.shown_domain {
            // A new domain (typed, fitted, a preset's): the view frames it.
            self.shown_domain = problem.domain;
            self.reset_contour = true;
        }
        if let Some(objective) = &self.objective.objective {
            self.surface.request(SurfaceRequest {
                objective: Arc::clone(objective),
                objective_version: self.objective.version,
                domain: self.shown_domain,
                levels: self.state.contour.levels,
                spacing: self.state.contour.level_spacing,
            });
        }
        // Keep one simulation per run, in the same order.
        if self.runs.len() != self.state.runs.len()
            || self
                .runs
                .iter()
                .zip(&self.state.runs)
                .any(|(r, e)| r.id != e.id)
        {
            let mut old = std::mem::take(&mut self.runs);
            self.runs = self
                .state
                .runs
                .iter()
                .map(|entry| match old.iter().position(|r| r.id == entry.id) {
                    Some(i) => old.swap_remove(i),
                    None => Simulation::new(entry.id),
                })
                .collect();
        }
        if let Some(objective) = &self.objective.objective {
            for (entry, sim) in self.state.runs.iter().zip(&mut self.runs) {
                sim.poll();
                sim.reconcile(
                    &entry.settings,
                    objective,
                    self.objective.version,
                    &self.ctx,
                );
            }
        }
    }

    /// The last iteration any visible run has.
    fn last_iteration(&self) -> usize {
        self.state
            .runs
            .iter()
            .zip(&self.runs)
            .filter(|(entry, _)| entry.visible)
            .map(|(_, run)| run.trace.last_index())
            .max()
            .unwrap_or(0)
    }

    fn status_text(sim: &Simulation) -> String {
        use super::trace::Outcome;
        if let Some(err) = &sim.error {
            return format!("cannot run: {err}");
        }
        if let Some(p) = sim.progress() {
            return format!("simulating {:.0}%", p * 100.0);
        }
        match sim.trace.outcome {
            Outcome::Pending => "waiting for a valid problem".to_owned(),
            Outcome::Converged(t) => format!("converged at {t}"),
            Outcome::Diverged(t) => format!("diverged at {t}"),
            Outcome::ReachedLimit(t) => format!("reached the limit ({t})"),
        }
    }

    fn toolbar_ui(&mut self, ui: &mut egui::Ui, last: usize) {
        let iteration = self.state.playback.iteration;
        let badges: Vec<RunBadge<'_>> = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .filter(|(entry, _)| entry.visible)
            .map(|(entry, run)| RunBadge {
                color: palette::run_color(entry.color),
                name: &entry.name,
                status: match run.trace.outcome.stopped_at() {
                    Some(t) if iteration < t => "running".to_owned(),
                    _ => Self::status_text(run),
                },
            })
            .collect();
        egui::Panel::top("toolbar")
            .frame(self.panel_frame(ui, false))
            .show(ui, |ui| {
                ui.add_space(4.0);
                Toolbar {
                    playback: &mut self.state.playback,
                    last,
                    badges: &badges,
                }
                .ui(ui, &mut self.commands);
                ui.add_space(2.0);
            });
    }

    fn side_panel_ui(&mut self, ui: &mut egui::Ui) {
        let frame = self.panel_frame(ui, false);
        // Presenter mode has fewer points of room: its own, narrower panel.
        let presenter = self.appearance.presenter;
        let (id, width) = if presenter {
            ("side_presenter", 270.0)
        } else {
            ("side", 370.0)
        };
        egui::Panel::left(id)
            .frame(frame)
            .default_size(width)
            .min_size(220.0)
            .max_size((ui.available_width() * 0.45).max(220.0))
            .resizable(true)
            .show(ui, |ui| {
                if presenter {
                    // Shorter sliders, so the narrower panel holds its rows.
                    ui.spacing_mut().slider_width = 90.0;
                    ui.spacing_mut().combo_width = 110.0;
                }
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| self.side_contents(ui));
            });
    }

    fn side_contents(&mut self, ui: &mut egui::Ui) {
        let heading = |text: &str| egui::RichText::new(text).heading();
        if let Some(lesson) = &self.state.lesson {
            // A header does not wrap: the title goes inside, where a long one can.
            egui::CollapsingHeader::new(heading("Lesson"))
                .id_salt("lesson")
                .default_open(true)
                .show(ui, |ui| {
                    super::panels::lesson::LessonPanel { lesson }.ui(ui, &mut self.commands);
                });
        }
        egui::CollapsingHeader::new(heading("Problem"))
            .default_open(true)
            .show(ui, |ui| self.problem_ui(ui));
        if !self.appearance.presenter {
            egui::CollapsingHeader::new(heading("Display"))
                .default_open(false)
                .show(ui, |ui| problem::display_ui(ui, &mut self.state.contour));
        }
        egui::CollapsingHeader::new(heading("Runs"))
            .default_open(true)
            .show(ui, |ui| {
                let statuses: Vec<String> = self.runs.iter().map(Self::status_text).collect();
                RunsPanel {
                    runs: &mut self.state.runs,
                    selected: self.state.selected_run,
                    statuses: &statuses,
                }
                .ui(ui, &mut self.commands);
            });
        let selected = self.state.selected_run;
        let advanced = !self.appearance.presenter;
        let examples = self
            .objective
            .objective
            .as_ref()
            .map_or(0, |o| o.example_count());
        if let Some(run) = self.state.runs.iter_mut().find(|r| Some(r.id) == selected) {
            egui::CollapsingHeader::new(heading(&format!("Run: {}", run.name)))
                .id_salt("run_editor")
                .default_open(true)
                .show(ui, |ui| {
                    super::panels::run_editor::identity_ui(ui, run);
                    let facts = super::panels::run_settings::ProblemFacts { examples, advanced };
                    super::panels::run_settings::settings_ui(ui, &mut run.settings, facts);
                });
        }
    }

    fn problem_ui(&mut self, ui: &mut egui::Ui) {
        use super::objective::Field;
        use super::panels::formula::formula_ui;
        let problem = &mut self.state.problem;
        let error = self.objective.error.as_ref();
        let error_in = |field: Field| error.filter(|e| e.field == field);
        ui.horizontal(|ui| {
            ui.selectable_value(&mut problem.kind, ProblemKind::Function, "Function");
            ui.selectable_value(&mut problem.kind, ProblemKind::DataFit, "Fit to data");
        });
        // The preset counts only while its text is unchanged.
        let shown_preset = problem.preset.as_deref().filter(|name| {
            crate::engine::objective::preset(name).is_some_and(|p| match problem.kind {
                ProblemKind::Function => super::objective::same_text(p.formula, &problem.formula),
                ProblemKind::DataFit => super::objective::same_text(p.formula, &problem.data.model),
            })
        });
        problem::preset_ui(ui, shown_preset, &mut self.commands);
        match problem.kind {
            ProblemKind::Function => {
                formula_ui(
                    ui,
                    "J(w, b) =",
                    &mut problem.formula,
                    error_in(Field::Formula),
                    "a cost of w and b, e.g. w^2 + 3*b^2",
                );
            }
            ProblemKind::DataFit => {
                problem::data_source_ui(ui, &mut problem.data.source, &mut self.commands);
                if self.data.is_busy() {
                    // A static note: a spinner would repaint every frame.
                    ui.weak("choosing or loading a file...");
                }
                if let Some(err) = &self.data.error {
                    super::panels::widgets::error_text(ui, err);
                }
                if let Some(err) = error_in(Field::Data) {
                    super::panels::widgets::error_text(ui, &err.message);
                }
                problem::model_picker_ui(ui, &mut problem.data.model, &mut problem.data.loss);
                formula_ui(
                    ui,
                    "model: prediction =",
                    &mut problem.data.model,
                    error_in(Field::Model),
                    "e.g. w*x + b",
                );
                formula_ui(
                    ui,
                    "loss of one example =",
                    &mut problem.data.loss,
                    error_in(Field::Loss),
                    "e.g. (yhat - y)^2 / 2, or mse, mae, huber, logloss",
                );
            }
        }
        constants_ui(ui, &self.objective.constants, &mut problem.constants);
        ui.add_space(4.0);
        ui.label(egui::RichText::new("Domain").strong());
        let has_minima = self.objective.known_points().iter().any(|p| {
            matches!(
                p.kind,
                crate::engine::PointKind::GlobalMinimum | crate::engine::PointKind::LocalMinimum
            )
        });
        problem::domain_ui(ui, &mut problem.domain, has_minima, &mut self.commands);
    }

    fn curve_panel_ui(&mut self, ui: &mut egui::Ui) {
        let settings = self.state.curve.clone();
        let iteration = self.state.playback.iteration;
        // The playback line: the iteration itself, or where the selected run (else the
        // first visible one) is on the epochs / examples axis.
        let mut position = None;
        for (entry, run) in self.state.runs.iter().zip(&mut self.runs) {
            if entry.visible && !run.trace.path.is_empty() {
                let _ = run.trace.curve(settings.axis, settings.log_cost);
                let x = run.trace.x_at(run.trace.index_at(iteration), settings.axis);
                if position.is_none() || Some(entry.id) == self.state.selected_run {
                    position = Some(x);
                }
            }
        }
        if settings.axis == super::state::CurveAxis::Iterations {
            position = Some(iteration as f64);
        }
        let traces: Vec<CurveTrace<'_>> = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .filter(|(entry, run)| entry.visible && !run.trace.path.is_empty())
            .map(|(entry, run)| CurveTrace {
                name: &entry.name,
                color: palette::run_color_on(entry.color, ui),
                points: run.trace.cached_curve(),
                end: curve_end(&run.trace, settings.axis, settings.log_cost),
            })
            .collect();
        let has_data = self.state.problem.kind == ProblemKind::DataFit;
        let epsilon = self.state.selected().and_then(|r| r.settings.epsilon);
        let reset = std::mem::take(&mut self.reset_curve);
        let frame = self.panel_frame(ui, false);
        let (id, height) = if self.appearance.presenter {
            ("learning_curve_presenter", 170.0)
        } else {
            ("learning_curve", 220.0)
        };
        let panel = egui::Panel::bottom(id)
            .frame(frame)
            .default_size(height)
            .min_size(140.0)
            .max_size((ui.available_height() * 0.5).max(140.0))
            .resizable(true)
            .show(ui, |ui| {
                let changed = self.curve_view.ui(
                    ui,
                    CurveInput {
                        settings: &mut self.state.curve,
                        has_data,
                        traces: &traces,
                        position,
                        epsilon,
                        reset_view: reset,
                    },
                );
                if changed {
                    self.reset_curve = true;
                }
            });
        self.view_rects.learning_curve = Some(panel.response.rect);
    }

    /// The details panel (slices, step inspector, data view) on the right.
    fn details_panel_ui(&mut self, ui: &mut egui::Ui) {
        let split = self.state.view_mode == ViewMode::Split;
        if !*self.show_details.get_or_insert(!split) {
            return;
        }
        let selected = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .find(|(entry, _)| Some(entry.id) == self.state.selected_run);
        let (run, run_name, color) = match selected {
            Some((entry, sim)) => (
                sim.run.as_ref(),
                entry.name.as_str(),
                palette::run_color_on(entry.color, ui),
            ),
            None => (None, "none", egui::Color32::GRAY),
        };
        let objective = self.objective.objective.clone();
        let problem = &self.state.problem;
        let constant = |name: &str| {
            problem
                .constants
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.value)
        };
        let data = match (&problem.kind, &self.data.dataset) {
            (ProblemKind::DataFit, Some(dataset)) => Some(super::views::details::DataFitInput {
                dataset,
                model: &problem.data.model,
                constant: &constant,
                pick: self.hover_contour,
            }),
            _ => None,
        };
        // Presenter mode has fewer points of room: its own, narrower panel.
        let (id, width) = if self.appearance.presenter {
            ("details_presenter", 270.0)
        } else {
            ("details", 330.0)
        };
        egui::Panel::right(id)
            .default_size(width)
            .min_size(220.0)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        self.details.ui(
                            ui,
                            super::views::details::DetailsInput {
                                sections: &mut self.state.details_sections,
                                objective: objective.as_deref(),
                                objective_version: self.objective.version,
                                run,
                                run_name,
                                color,
                                iteration: self.state.playback.iteration,
                                domain: self.shown_domain,
                                data,
                            },
                        );
                    });
            });
    }

    fn central_ui(&mut self, ui: &mut egui::Ui) {
        let iteration = self.state.playback.iteration;
        let settings = &self.state.contour;
        let texture = self
            .surface
            .texture(ui.ctx(), settings.colormap, settings.color_scale)
            .map(|t| t.id());
        let traces: Vec<TraceView<'_>> = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .filter(|(entry, run)| entry.visible && !run.trace.path.is_empty())
            .map(|(entry, run)| TraceView {
                color: palette::run_color(entry.color),
                path: run.trace.path_until(iteration),
                selected: Some(entry.id) == self.state.selected_run,
            })
            .collect();
        // The selected run at the playback position: its point, the gradient there and
        // where its next update goes.
        let selected = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .find(|(entry, _)| Some(entry.id) == self.state.selected_run && entry.visible)
            .and_then(|(entry, run)| {
                let i = run.trace.index_at(iteration);
                let p = run.trace.path.get(i)?;
                let g = *run.trace.gradient.get(i)?;
                let next = run.trace.path.get(i + 1).map(|n| [n.x, n.y]);
                Some(([p.x, p.y], g, palette::run_color(entry.color), next))
            });
        let gradient_at = selected.map(|(at, g, color, _)| (at, g, color));
        let step = selected.and_then(|(at, _, _, next)| Some((at, next?)));
        let reset = std::mem::take(&mut self.reset_contour);
        let progress = self.surface.progress();
        let objective = self.objective.objective.clone();
        let known_points = self.objective.known_points().to_vec();
        let trajectories: Vec<Trajectory3d<'_>> = self
            .state
            .runs
            .iter()
            .zip(&self.runs)
            .filter(|(entry, run)| entry.visible && !run.trace.path.is_empty())
            .map(|(entry, run)| Trajectory3d {
                path: run.trace.path_until(iteration),
                cost: &run.trace.cost,
                color: palette::run_color(entry.color),
                selected: Some(entry.id) == self.state.selected_run,
            })
            .collect();
        let grid = self.surface.current.as_ref().map(|s| &s.grid);
        let mut response = None;
        let frame = self.panel_frame(ui, true);
        egui::CentralPanel::default().frame(frame).show(ui, |ui| {
            let histories: Vec<(&str, &crate::engine::run::History)> = self
                .state
                .runs
                .iter()
                .zip(&self.runs)
                .filter_map(|(e, sim)| sim.run.as_ref().map(|r| (e.name.as_str(), r.history())))
                .collect();
            modes::view_bar(
                ui,
                &mut self.state.view_mode,
                self.show_details.get_or_insert(true),
                &mut self.exporter,
                !self.appearance.presenter,
                || super::export::histories_csv(&histories),
            );
            if let Some(p) = progress {
                ui.add(egui::ProgressBar::new(p).desired_height(4.0));
            }
            let contour_input = ContourInput {
                settings,
                domain: self.shown_domain,
                surface: self.surface.current.as_ref(),
                texture,
                field: (&self.surface.field_origins, &self.surface.field_tips),
                traces: &traces,
                known_points: &known_points,
                gradient_at,
                step,
                objective: objective.as_deref(),
                reset_view: reset,
            };
            let split = self.state.view_mode == ViewMode::Split;
            let contour_hover = self.hover_contour.filter(|_| split);
            self.contour_view.linked_hover = self.hover_3d.filter(|_| split);
            let mut surface_ui = |ui: &mut egui::Ui| {
                self.surface3d.ui(
                    ui,
                    modes::Surface3dPanelInput {
                        settings: &mut self.state.surface3d,
                        grid,
                        colormap: settings.colormap,
                        color_scale: settings.color_scale,
                        trajectories: &trajectories,
                        known_points: &known_points,
                        linked_hover: contour_hover,
                    },
                )
            };
            match self.state.view_mode {
                ViewMode::Contour => {
                    self.view_rects.contour = Some(ui.available_rect_before_wrap());
                    response = Some(self.contour_view.ui(ui, contour_input));
                    self.hover_3d = None;
                    self.view_rects.surface3d = None;
                }
                ViewMode::Surface3d => {
                    let r = surface_ui(ui);
                    self.hover_3d = r.hovered;
                    self.view_rects.surface3d = r.rect;
                    self.view_rects.contour = None;
                }
                ViewMode::Split => {
                    let contour_view = &mut self.contour_view;
                    let rects = &mut self.view_rects;
                    let hover_3d = &mut self.hover_3d;
                    response = Some(modes::split(
                        ui,
                        |ui| {
                            rects.contour = Some(ui.available_rect_before_wrap());
                            contour_view.ui(ui, contour_input)
                        },
                        |ui| {
                            let r = surface_ui(ui);
                            *hover_3d = r.hovered;
                            rects.surface3d = r.rect;
                        },
                    ));
                }
            }
        });
        // Linked hover: each view marks, next frame, what the mouse points at in the other.
        self.hover_contour = response.and_then(|r| r.hovered);
        if let Some(Some((at, shift))) = response.map(|r| r.clicked) {
            self.commands.push(Command::SetStart { at, all: shift });
        }
    }

    fn handle_keys(&mut self, ui: &egui::Ui) {
        // F5 and F11 work everywhere: no text field uses them.
        ui.ctx().input_mut(|i| {
            if i.consume_key(egui::Modifiers::NONE, egui::Key::F5) {
                self.commands.push(Command::TogglePresenter);
            }
            if i.consume_key(egui::Modifiers::NONE, egui::Key::F11) {
                self.commands.push(Command::ToggleFullscreen);
            }
        });
        // Keys belong to a focused text field when there is one.
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        // Esc leaves presenter mode unless a menu, popup or dialog is there to close.
        let esc_is_free = !ui.ctx().any_popup_open()
            && ui.ctx().memory(|m| m.top_modal_layer().is_none())
            && self.files.error.is_none();
        if self.appearance.presenter
            && esc_is_free
            && ui
                .ctx()
                .input_mut(|i| i.consume_key(egui::Modifiers::NONE, egui::Key::Escape))
        {
            self.commands.push(Command::LeavePresenter);
        }
        // The shortcuts are consumed so a focused button or slider does not also act on
        // them (Space would otherwise press the focused Play button a second time).
        let shortcuts = [
            (egui::Key::Space, Command::TogglePlay),
            (egui::Key::ArrowRight, Command::StepForward),
            (egui::Key::ArrowLeft, Command::StepBack),
            (egui::Key::R, Command::Restart),
        ];
        let file_shortcuts = [
            (
                egui::Modifiers::COMMAND,
                egui::Key::O,
                Command::OpenScenarioDialog,
            ),
            (
                egui::Modifiers::COMMAND,
                egui::Key::S,
                Command::SaveScenario,
            ),
            (
                egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
                egui::Key::S,
                Command::SaveScenarioAs,
            ),
        ];
        ui.ctx().input_mut(|i| {
            for (key, command) in shortcuts {
                if i.consume_key(egui::Modifiers::NONE, key) {
                    self.commands.push(command);
                }
            }
            for (modifiers, key, command) in file_shortcuts {
                if i.consume_key(modifiers, key) {
                    self.commands.push(command);
                }
            }
        });
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let last = self.last_iteration();
        match command {
            Command::TogglePlay => self.state.playback.toggle(last),
            Command::StepForward => self.state.playback.step_forward(last),
            Command::StepBack => self.state.playback.step_back(),
            Command::Restart => self.state.playback.restart(),
            Command::Seek(iteration) => self.state.playback.seek(iteration, last),
            Command::FitDomainToMinima => {
                if let Some(domain) =
                    fit_to_points(self.objective.known_points().iter().map(|p| p.at))
                {
                    self.state.problem.domain = domain;
                    self.reset_contour = true;
                }
            }
            Command::ResetView => {
                if let Some(domain) = self.objective.default_domain().filter(Domain::is_valid) {
                    self.state.problem.domain = domain;
                }
                self.reset_contour = true;
            }
            Command::OpenCsvDialog => self.data.open_dialog(),
            Command::ChoosePreset(name) => self.choose_preset(&name),
            Command::SelectRun(id) => self.state.selected_run = Some(id),
            Command::AddRun => {
                let id = self.state.next_run_id();
                let color = palette::next_free_color(self.state.runs.iter().map(|r| r.color));
                // A fresh gradient-descent run starting where the selected one starts.
                let mut settings = super::state::default_run_settings();
                if let Some(selected) = self.state.selected() {
                    settings.init = selected.settings.init;
                }
                self.state.runs.push(RunEntry {
                    id,
                    name: format!("Run {id}"),
                    color,
                    visible: true,
                    settings,
                });
                self.state.selected_run = Some(id);
            }
            Command::DuplicateRun(id) => {
                if let Some(i) = self.state.runs.iter().position(|r| r.id == id) {
                    let new_id = self.state.next_run_id();
                    let color = palette::next_free_color(self.state.runs.iter().map(|r| r.color));
                    let mut copy = self.state.runs[i].clone();
                    copy.id = new_id;
                    copy.color = color;
                    copy.name = format!("{} copy", copy.name);
                    self.state.runs.insert(i + 1, copy);
                    self.state.selected_run = Some(new_id);
                }
            }
            Command::RemoveRun(id) => {
                if let Some(i) = self.state.runs.iter().position(|r| r.id == id) {
                    self.state.runs.remove(i);
                    let next = self.state.runs.get(i).or_else(|| self.state.runs.last());
                    self.state.selected_run = next.map(|r| r.id);
                }
            }
            Command::OpenScenarioDialog => {
                let folder = self
                    .state
                    .scenario_file
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf);
                self.files.open_dialog(folder);
            }
            Command::OpenScenarioFile(path) => self.files.open_path(path),
            Command::ReopenScenario => {
                if let Some(path) = self.state.scenario_file.clone() {
                    self.files.open_path(path);
                }
            }
            Command::OpenLesson(index) => self.open_lesson(index),
            Command::ApplyLessonStep(index) => self.apply_lesson_step(index),
            Command::CloseLesson => self.state.lesson = None,
            Command::SaveScenario => self.save_scenario(self.state.scenario_file.clone()),
            Command::SaveScenarioAs => self.save_scenario(None),
            Command::ClearRecentFiles => self.state.recent_files.clear(),
            Command::TogglePresenter => self.appearance.presenter = !self.appearance.presenter,
            Command::LeavePresenter => self.appearance.presenter = false,
            Command::ToggleFullscreen => {
                let now = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!now));
            }
            Command::SetTheme(theme) => self.state.theme = theme,
            Command::SetStart { at, all } => {
                let start = crate::engine::run::Initialization::Manual { w: at[0], b: at[1] };
                let selected = self.state.selected_run;
                for run in &mut self.state.runs {
                    if all || Some(run.id) == selected {
                        run.settings.init = start;
                    }
                }
            }
        }
    }

    /// Loads a preset: its formula (or model, loss and dataset) and, once built, its domain.
    pub fn choose_preset(&mut self, name: &str) {
        use super::state::DataSource;
        use crate::engine::objective::{PresetKind, preset};
        let Some(p) = preset(name) else {
            return;
        };
        let problem = &mut self.state.problem;
        problem.preset = Some(p.name.to_owned());
        match p.kind {
            PresetKind::Function => {
                problem.kind = ProblemKind::Function;
                problem.formula = p.formula.to_owned();
            }
            PresetKind::DataFit => {
                problem.kind = ProblemKind::DataFit;
                problem.data.model = p.formula.to_owned();
                problem.data.loss = p.loss.unwrap_or("mse").to_owned();
                problem.data.source = match p.dataset {
                    Some("house-prices") => DataSource::HousePrices,
                    Some("classes") => DataSource::Classes {
                        examples: 100,
                        noise: 0.8,
                        seed: 42,
                    },
                    _ => DataSource::default(),
                };
            }
        }
        if let Some(domain) = p.domain {
            problem.domain = domain;
            self.reset_contour = true;
        } else {
            // Data fits: the domain follows the data, known after the build.
            self.adopt_domain = true;
        }
    }

    /// Batch-mode bookkeeping after a frame: frame statistics and the screenshot.
    fn after_frame(&mut self, ctx: &egui::Context, cpu_usage: Option<f32>, ui_ms: f32) {
        self.frames += 1;
        match self.mode.clone() {
            Mode::Interactive => {}
            Mode::FrameStats { .. } => {
                if self.state.view_mode != super::state::ViewMode::Contour {
                    // Measure the 3D view while it turns (the worst case: a new projection
                    // and draw order every frame).
                    self.state.surface3d.camera.rotate_by_drag(2.0, 0.0);
                }
                if self.frames > WARM_UP_FRAMES
                    && !self.is_busy()
                    && let Some(stats) = &mut self.stats
                {
                    stats.record(cpu_usage.map(|s| s * 1000.0), ui_ms);
                    if stats.is_done() {
                        for line in stats.report() {
                            println!("{line}");
                        }
                        self.stats = None;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                // Playing paints at the playback's pace; keep going while it is not.
                if !self.state.playback.playing {
                    ctx.request_repaint();
                }
            }
            Mode::Screenshot { path, frames } => {
                self.screenshot_step(ctx, &path, frames);
                ctx.request_repaint();
            }
        }
    }

    fn screenshot_step(&mut self, ctx: &egui::Context, path: &Path, frames: usize) {
        if let Some(receiver) = &self.screenshot {
            if let Ok(image) = receiver.try_recv() {
                let code = match save_png(&image, path) {
                    Ok(()) => {
                        println!(
                            "saved {} ({}x{})",
                            path.display(),
                            image.size[0],
                            image.size[1]
                        );
                        0
                    }
                    Err(err) => {
                        eprintln!("error: could not save {}: {err}", path.display());
                        1
                    }
                };
                self.exit.store(code, Ordering::Relaxed);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        // Shoot once the requested frames have passed and the surface is final.
        if self.frames >= frames.max(2) && !self.is_busy() {
            let (sender, receiver) = channel();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let _ = sender.send(image);
                repaint.request_repaint();
            });
            self.screenshot = Some(receiver);
        }
    }
}

/// One slider per free constant of the formula, with an editable range.
fn constants_ui(
    ui: &mut egui::Ui,
    names: &[String],
    constants: &mut [super::state::ConstantSetting],
) {
    for name in names {
        let Some(constant) = constants.iter_mut().find(|c| &c.name == name) else {
            continue;
        };
        ui.horizontal(|ui| {
            let (lo, hi) = ordered_range(constant.min, constant.max);
            ui.add(
                egui::Slider::new(&mut constant.value, lo..=hi)
                    .text(name.as_str())
                    .clamping(egui::SliderClamping::Never),
            );
            ui.menu_button("range", |ui| {
                super::panels::widgets::number(ui, &format!("{name} from"), &mut constant.min, 0.1);
                super::panels::widgets::number(ui, &format!("{name} to"), &mut constant.max, 0.1);
            });
        });
    }
}

/// A usable slider range from what was typed (swapped when reversed, widened when empty).
fn ordered_range(a: f64, b: f64) -> (f64, f64) {
    let (a, b) = (
        if a.is_finite() { a } else { -5.0 },
        if b.is_finite() { b } else { 5.0 },
    );
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

/// Where a learning curve ends, in plot coordinates.
fn curve_end(trace: &Trace, axis: super::state::CurveAxis, log_cost: bool) -> CurveEnd {
    use super::trace::{Outcome, curve_y};
    let at = |t: usize| {
        let i = trace.index_at(t);
        let y = trace.cost.get(i).and_then(|&j| curve_y(j, log_cost))?;
        Some(egui_plot::PlotPoint::new(trace.x_at(i, axis), y))
    };
    match trace.outcome {
        Outcome::Converged(t) => at(t).map_or(CurveEnd::Open, CurveEnd::Converged),
        Outcome::Diverged(t) => {
            // The diverging point itself may not be finite: mark the last drawable one.
            let last = (0..=t.min(trace.last_index())).rev().find_map(at);
            last.map_or(CurveEnd::Open, CurveEnd::Diverged)
        }
        Outcome::Pending | Outcome::ReachedLimit(_) => CurveEnd::Open,
    }
}

/// A domain framing `points` with a margin (None without points).
fn fit_to_points(points: impl Iterator<Item = crate::engine::Point>) -> Option<Domain> {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for p in points.filter(|p| p[0].is_finite() && p[1].is_finite()) {
        for k in 0..2 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    if !lo[0].is_finite() {
        return None;
    }
    // At least a unit-wide window, plus 30% margin on each side.
    let span = [(hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0)];
    let pad = [
        span[0] * 0.3 + (span[0] - (hi[0] - lo[0])) / 2.0,
        span[1] * 0.3 + (span[1] - (hi[1] - lo[1])) / 2.0,
    ];
    let domain = Domain::new(
        lo[0] - pad[0],
        hi[0] + pad[0],
        lo[1] - pad[1],
        hi[1] + pad[1],
    );
    domain.is_valid().then_some(domain)
}

/// Writes an egui image as PNG.
fn save_png(image: &egui::ColorImage, path: &Path) -> Result<(), String> {
    let [width, height] = image.size;
    let bytes: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, bytes)
        .ok_or_else(|| "the screenshot has an unexpected size".to_owned())?;
    buffer
        .save_with_format(path, image::ImageFormat::Png)
        .map_err(|e| e.to_string())
}

impl eframe::App for LosscapeApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let start = Instant::now();
        self.show(ui);
        let ui_ms = start.elapsed().as_secs_f32() * 1000.0;
        self.after_frame(ui.ctx(), frame.info().cpu_usage, ui_ms);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if !self.mode.is_batch() {
            eframe::set_value(storage, eframe::APP_KEY, &self.state);
        }
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn persist_egui_memory(&self) -> bool {
        !self.mode.is_batch()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Fitting to minima frames every point with a margin; nothing to fit gives nothing.
    #[test]
    fn fit_to_points_frames_all() {
        let d = fit_to_points([[1.0, 1.0], [-2.0, 3.0]].into_iter()).expect("two points");
        assert!(d.is_valid());
        assert!(d.contains([1.0, 1.0]) && d.contains([-2.0, 3.0]));
        let single = fit_to_points([[0.0, 0.0]].into_iter()).expect("one point");
        assert!(single.w_span() >= 1.0 && single.contains([0.0, 0.0]));
        assert_eq!(fit_to_points(std::iter::empty()), None);
        assert_eq!(fit_to_points([[f64::NAN, 0.0]].into_iter()), None);
    }
}
