//! The app shell: owns the [`State`], the runtime caches, and the frame loop.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use super::Mode;
use super::command::Command;
use super::frame_stats::FrameStats;
use super::state::State;
use super::theme;
use super::toolbar::Toolbar;

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
}

impl LosscapeApp {
    /// The app with `state` (tests and batch modes use [`State::default`]).
    pub fn new(ctx: &egui::Context, state: State) -> Self {
        theme::apply(ctx);
        Self {
            state,
            mode: Mode::Interactive,
            exit: Arc::new(AtomicU8::new(0)),
            frames: 0,
            stats: None,
            screenshot: None,
            commands: Vec::new(),
        }
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
        app
    }

    /// The saved part of the app.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Draws the whole app into `ui` (eframe calls this every frame; tests call it through
    /// egui_kittest) and applies the resulting commands.
    pub fn show(&mut self, ui: &mut egui::Ui) {
        self.handle_keys(ui);
        let dt = ui.input(|i| i.stable_dt) as f64;
        let last = self.last_iteration();
        if self.state.playback.advance(dt, last) {
            ui.ctx().request_repaint();
        }
        if self.mode.is_batch() && !self.state.playback.playing {
            // Measurements keep the scene moving: loop back to the start.
            self.state.playback.restart();
            self.state.playback.toggle(last);
        }
        if self.state.playback.playing {
            ui.ctx().request_repaint();
        }

        egui::Panel::top("toolbar").show(ui, |ui| {
            ui.add_space(4.0);
            Toolbar {
                playback: &mut self.state.playback,
                last,
                badges: &[],
            }
            .ui(ui, &mut self.commands);
            ui.add_space(2.0);
        });
        egui::Panel::left("side")
            .default_size(380.0)
            .resizable(true)
            .show(ui, |ui| {
                ui.heading("Problem");
            });
        egui::Panel::bottom("learning_curve")
            .default_size(210.0)
            .resizable(true)
            .show(ui, |ui| {
                ui.label("learning curve");
            });
        egui::CentralPanel::default().show(ui, |ui| {
            ui.label("contour");
        });

        let commands = std::mem::take(&mut self.commands);
        for command in commands {
            self.apply(command);
        }
    }

    /// The last iteration any visible run has.
    fn last_iteration(&self) -> usize {
        0
    }

    fn handle_keys(&mut self, ui: &egui::Ui) {
        // Keys belong to a focused text field when there is one.
        if ui.ctx().egui_wants_keyboard_input() {
            return;
        }
        ui.input(|i| {
            if i.key_pressed(egui::Key::Space) {
                self.commands.push(Command::TogglePlay);
            }
            if i.key_pressed(egui::Key::ArrowRight) {
                self.commands.push(Command::StepForward);
            }
            if i.key_pressed(egui::Key::ArrowLeft) {
                self.commands.push(Command::StepBack);
            }
            if i.key_pressed(egui::Key::R) && i.modifiers.is_none() {
                self.commands.push(Command::Restart);
            }
        });
    }

    fn apply(&mut self, command: Command) {
        let last = self.last_iteration();
        let playback = &mut self.state.playback;
        match command {
            Command::TogglePlay => playback.toggle(last),
            Command::StepForward => playback.step_forward(last),
            Command::StepBack => playback.step_back(),
            Command::Restart => playback.restart(),
            Command::Seek(iteration) => playback.seek(iteration, last),
            Command::FitDomainToMinima | Command::ResetView | Command::OpenCsvDialog => {}
        }
    }

    /// Batch-mode bookkeeping after a frame: frame statistics and the screenshot.
    fn after_frame(&mut self, ctx: &egui::Context, cpu_usage: Option<f32>, ui_ms: f32) {
        self.frames += 1;
        match self.mode.clone() {
            Mode::Interactive => {}
            Mode::FrameStats { .. } => {
                if self.frames > WARM_UP_FRAMES
                    && let Some(stats) = &mut self.stats
                {
                    stats.record(cpu_usage.map(|s| s * 1000.0), ui_ms);
                    if stats.is_done() {
                        for line in stats.report() {
                            println!("{line}");
                        }
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                ctx.request_repaint();
            }
            Mode::Screenshot { path, frames } => {
                self.screenshot_step(ctx, &path, frames);
                ctx.request_repaint();
            }
        }
    }

    fn screenshot_step(&mut self, ctx: &egui::Context, path: &PathBuf, frames: usize) {
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
        if self.frames >= frames.max(2) {
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

/// Writes an egui image as PNG.
fn save_png(image: &egui::ColorImage, path: &PathBuf) -> Result<(), String> {
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

    fn persist_egui_memory(&self) -> bool {
        !self.mode.is_batch()
    }
}
