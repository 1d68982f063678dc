//! The app shell: owns the [`State`], the runtime caches built from it, and the frame loop.
//!
//! Each frame: keys become commands; the runtime is reconciled with the state (a changed
//! formula recompiles, a changed run re-simulates, a changed surface is requested from the
//! background worker); playback advances; the panels and views draw; then the commands
//! collected while drawing are applied.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU8;
use std::sync::mpsc::Receiver;
use std::time::Duration;
use web_time::Instant;

/// Seconds without a keystroke after which a formula being typed is compiled.
const FORMULA_PAUSE: f64 = 0.5;

use crate::engine::Domain;
use crate::engine::scenario::ProblemSettings;

use super::Mode;
use super::command::Command;
use super::dataset_loader::DataRuntime;
use super::frame_stats::FrameStats;
use super::problem_runtime::ObjectiveRuntime;
use super::session::Session;
use super::simulation::Simulation;
use super::state::State;
use super::surface_cache::SurfaceCache;
use super::theme;
use super::trace::Trace;
use super::views::contour::ContourView;
use super::views::learning_curve::LearningCurve;

mod batch;
mod commands;
mod layout;
mod recording;
mod scenario_io;
mod sync;
mod view_menu;

/// The losscape app: state that is saved, plus everything computed from it.
pub struct LosscapeApp {
    /// What is remembered between sessions.
    state: State,
    /// Where the session is remembered (None: not remembered, as in tests and batch modes).
    session: Option<Session>,
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
    /// One simulation per run, by the run's id.
    sims: std::collections::HashMap<u64, Simulation>,
    /// The problem of the other kind (function or data fit), kept while the user looks at
    /// this one, so switching back restores it.
    parked_problem: Option<ProblemSettings>,
    /// Wakes the UI from background work.
    ctx: egui::Context,
    /// The last valid domain (shown while the typed one is invalid).
    shown_domain: Domain,
    /// Reset the contour plot's zoom on the next frame.
    reset_contour: bool,
    /// Reset the learning curve's zoom on the next frame.
    reset_curve: bool,
    /// Scroll the side panel to its top next frame (a lesson was opened).
    side_panel_to_top: bool,
    /// When a formula field was last typed into, while its compile waits for a pause.
    formula_typed_at: Option<f64>,
    /// True when eframe clears the window to the panel color (panels then skip their fill).
    cleared_to_panel_color: bool,
    /// Playback was running at the end of the last frame.
    was_playing: bool,
    contour_view: ContourView,
    curve_view: LearningCurve,
    /// The 3D view.
    surface3d: super::views::modes::Surface3dPanel,
    /// The (w, b) hovered in the 3D view last frame (marked in the contour view).
    hover_3d: Option<crate::engine::Point>,
    /// The (w, b) hovered in the contour view last frame (marked in the 3D view).
    hover_contour: Option<crate::engine::Point>,
    /// Slices, step inspector and data view.
    details: super::views::details::DetailsPanel,
    /// PNG and CSV exports.
    exporter: super::export::Exporter,
    /// Where the views were drawn this frame (for cropped PNG exports).
    view_rects: super::export::ViewRects,
    /// The animation being recorded (Export > Animation, `--gif`).
    animation: Option<recording::Recording>,
    /// The text of the "Open link" dialog while it is open.
    link_dialog: Option<String>,
    /// Scenario files being opened or saved, and messages about them.
    files: super::documents::ScenarioFiles,
    /// The window title last sent (it names the open file or lesson).
    window_title: String,
    /// Presenter mode and the theme as applied to the context.
    appearance: super::appearance::Appearance,
    /// The basins drawn on the contour map.
    basins: super::explore::basins::Basins,
    /// The explorers of the Explore view.
    explorer: super::explore::Explorer,
    /// The minima the explore views sort runs by.
    explore_minima: super::explore::minima::MinimaSearch,
}

impl LosscapeApp {
    /// The app with `state` (tests use [`State::default`]); nothing is remembered.
    pub fn new(ctx: &egui::Context, mut state: State) -> Self {
        theme::apply(ctx);
        state.number_runs();
        let shown_domain = state
            .scene
            .problem
            .domain
            .filter(Domain::is_valid)
            .unwrap_or(Domain::new(-2.0, 2.0, -1.0, 3.0));
        Self {
            state,
            session: None,
            mode: Mode::Interactive,
            exit: Arc::new(AtomicU8::new(0)),
            frames: 0,
            stats: None,
            screenshot: None,
            commands: Vec::new(),
            data: DataRuntime::new(Some(ctx.clone())),
            objective: ObjectiveRuntime::default(),
            surface: SurfaceCache::new(Some(ctx.clone())),
            sims: Default::default(),
            parked_problem: None,
            ctx: ctx.clone(),
            shown_domain,
            reset_contour: false,
            reset_curve: false,
            side_panel_to_top: false,
            link_dialog: None,
            animation: None,
            formula_typed_at: None,
            cleared_to_panel_color: false,
            was_playing: false,
            contour_view: ContourView::default(),
            curve_view: LearningCurve::default(),
            surface3d: Default::default(),
            hover_3d: None,
            hover_contour: None,
            details: Default::default(),
            exporter: Default::default(),
            view_rects: Default::default(),
            files: super::documents::ScenarioFiles::new(Some(ctx.clone())),
            window_title: String::new(),
            appearance: Default::default(),
            basins: super::explore::basins::Basins::new(Some(ctx.clone())),
            explorer: super::explore::Explorer::new(Some(ctx.clone())),
            explore_minima: super::explore::minima::MinimaSearch::new(Some(ctx.clone())),
        }
    }

    /// The app as eframe starts it: the session remembered in `session` (if readable; a
    /// session that cannot be read is reported and kept aside) or the default scene. Batch
    /// modes always start from the default scene, playing, and remember nothing.
    pub fn with_session(
        ctx: &egui::Context,
        session: Option<PathBuf>,
        mode: Mode,
        exit: Arc<AtomicU8>,
    ) -> Self {
        let session = session.filter(|_| !mode.is_batch()).map(Session::new);
        let (state, problem) = match &session {
            Some(s) => s.load(),
            None => (State::default(), None),
        };
        let mut app = Self::new(ctx, state);
        app.files.error = problem;
        app.session = session;
        if let Mode::FrameStats { frames } = &mode {
            app.stats = Some(FrameStats::new(*frames));
        }
        if mode.is_batch() {
            app.state.scene.playback.playing = true;
        }
        app.mode = mode;
        app.exit = exit;
        app.cleared_to_panel_color = true;
        app
    }

    /// Writes the session now (eframe calls this from time to time and at exit).
    pub fn save_session(&self) {
        if let Some(session) = &self.session
            && let Err(e) = session.save(&self.state)
        {
            eprintln!("losscape: the session could not be remembered: {e}");
        }
    }

    /// The basins drawn on the contour map.
    pub fn basins(&self) -> &super::explore::basins::Basins {
        &self.basins
    }

    /// The explorers of the Explore view.
    pub fn explorer(&self) -> &super::explore::Explorer {
        &self.explorer
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
    pub fn problem_error(&self) -> Option<&crate::engine::scenario::ProblemError> {
        self.objective.error.as_ref()
    }

    /// The grid currently shown, if any.
    pub fn surface_grid(&self) -> Option<&crate::engine::surface::Grid> {
        self.surface.current.as_ref().map(|s| &*s.grid)
    }

    /// The version of the objective the shown surface was sampled from, if one is shown.
    pub fn surface_objective_version(&self) -> Option<u64> {
        self.surface.current.as_ref().map(|s| s.objective_version())
    }

    /// The history of a run as drawn, by id.
    pub fn trace(&self, id: u64) -> Option<&Trace> {
        self.sims.get(&id).map(|r| &r.trace)
    }

    /// The simulated run (engine history) of a run, by id, once simulated.
    pub fn run(&self, id: u64) -> Option<&crate::engine::run::Run> {
        self.sims.get(&id).and_then(|r| r.run.as_ref())
    }

    /// The exports (tests point them at a folder instead of the save dialog).
    pub fn exporter_mut(&mut self) -> &mut super::export::Exporter {
        &mut self.exporter
    }

    /// The last error of the dataset, if any.
    pub fn data_error(&self) -> Option<&str> {
        self.data.error.as_deref()
    }

    /// The stationary points the views mark: prediction mode keeps the minima for the class
    /// to guess until they are shown.
    pub fn shown_known_points(&self) -> Vec<crate::engine::KnownPoint> {
        let view = &self.state.scene.view;
        let hide_minima = view.prediction && !view.reveal_minima;
        self.objective
            .known_points()
            .iter()
            .filter(|p| !(hide_minima && p.kind.is_minimum()))
            .cloned()
            .collect()
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

    /// The contour plot's area on screen in the last frame.
    pub fn contour_plot_rect(&self) -> Option<egui::Rect> {
        self.contour_view.plot_rect()
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
        if let Some(path) = self.data.wait() {
            self.use_csv(path);
        }
        self.formula_typed_at = None;
        self.reconcile(false);
        self.surface.wait();
        for sim in self.sims.values_mut() {
            sim.wait();
        }
        self.explore_minima.wait();
        self.reconcile(false);
        self.basins.view.wait();
        self.explorer.wait();
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
        if let Some(path) = self.data.poll() {
            self.use_csv(path);
        }
        // A formula compiles after a pause in typing, so half-typed text does not flash
        // across the views and re-run every run.
        let now = ui.input(|i| i.time);
        let typing = self
            .formula_typed_at
            .map(|t| FORMULA_PAUSE - (now - t))
            .filter(|&wait| wait > 0.0);
        match typing {
            Some(wait) => ui
                .ctx()
                .request_repaint_after(Duration::from_secs_f64(wait)),
            None => self.formula_typed_at = None,
        }
        self.reconcile(typing.is_some());
        self.surface.poll();
        self.basins.view.poll();

        let last = self.last_iteration();
        // Screenshots advance by a fixed 1/60 s per frame so they are reproducible. Otherwise
        // the real time since the last frame (frames are paced to the playback, so egui's
        // smoothed dt would be wrong), and nothing on the frame that starts playing.
        let dt = if matches!(self.mode, Mode::Screenshot { .. }) {
            1.0 / 60.0
        } else if self.animation.is_some() || matches!(self.mode, Mode::Animation { .. }) {
            // A recording sets the iteration of each frame itself.
            self.state.scene.playback.playing = false;
            0.0
        } else if self.was_playing {
            ui.input(|i| i.unstable_dt) as f64
        } else {
            0.0
        };
        self.state.scene.playback.advance(dt, last);
        self.was_playing = self.state.scene.playback.playing;
        if self.mode.is_batch()
            && !matches!(self.mode, Mode::Animation { .. })
            && !self.state.scene.playback.playing
        {
            // Measurements keep the scene moving: loop back to the start.
            self.state.scene.playback.restart();
            self.state.scene.playback.toggle(last);
        }
        if let Some(wait) = self.state.scene.playback.seconds_to_next() {
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
        if let Some(request) = self.exporter.animation_request.take()
            && let Err(text) = self.start_recording(request)
        {
            self.exporter.message = Some(super::export::ExportMessage {
                text,
                is_error: true,
            });
        }
        if !self.mode.is_batch()
            && let Some(outcome) = self.recording_step(ui.ctx())
        {
            self.exporter.message = Some(match outcome {
                Ok(text) => super::export::ExportMessage {
                    text: format!("Animation {text}"),
                    is_error: false,
                },
                Err(text) => super::export::ExportMessage {
                    text: format!("No animation was saved: {text}"),
                    is_error: true,
                },
            });
        }
        self.recording_ui(ui);
        self.link_dialog_ui(ui);
        self.file_messages_ui(ui);
        self.update_window_title(ui.ctx());
    }

    /// Where the views were drawn last frame (tests check the room they get).
    pub fn view_rects(&self) -> super::export::ViewRects {
        self.view_rects
    }

    /// True while background work (surface, dataset, simulations) is running.
    pub fn is_busy(&self) -> bool {
        self.surface.is_busy()
            || self.data.is_busy()
            || self.files.is_busy()
            || self.sims.values().any(|r| r.progress().is_some())
            || self.basins.view.progress().is_some()
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
}

impl eframe::App for LosscapeApp {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let start = Instant::now();
        self.show(ui);
        let ui_ms = start.elapsed().as_secs_f32() * 1000.0;
        #[cfg(target_arch = "wasm32")]
        super::web::record_frame(frame.info().cpu_usage);
        self.after_frame(ui.ctx(), frame.info().cpu_usage, ui_ms);
    }

    fn raw_input_hook(&mut self, ctx: &egui::Context, raw_input: &mut egui::RawInput) {
        // An animation recorded from the app (Export > Animation) shows no hover readout
        // either: the pointer is gone from the views while it records, and stays free for
        // Cancel and the rest of the window.
        if self.animation.is_some() {
            let rects = [self.view_rects.contour, self.view_rects.surface3d];
            let latest = ctx.input(|i| i.pointer.latest_pos());
            recording::keep_pointer_off(&mut raw_input.events, latest, &rects);
        }
        // An animation records the scene alone: no hover readout where the pointer rests.
        if matches!(self.mode, Mode::Animation { .. }) {
            raw_input.events.retain(|e| {
                !matches!(
                    e,
                    egui::Event::PointerMoved(_)
                        | egui::Event::MouseMoved(_)
                        | egui::Event::PointerButton { .. }
                        | egui::Event::Touch { .. }
                )
            });
        }
    }

    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        self.save_session();
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn persist_egui_memory(&self) -> bool {
        !self.mode.is_batch()
    }
}
