//! The desktop app (egui). Reads engine types; owns no mathematics.
//!
//! Layout: the playback toolbar on top, the problem and runs panels on the left, the
//! learning curve at the bottom and the views (contour plot) in the center.

pub mod animation;
pub mod app;
pub mod appearance;
pub mod command;
pub mod dataset_loader;
pub mod documents;
pub mod explore;
pub mod export;
pub mod frame_stats;
pub mod number;
pub mod palette;
pub mod panels;
pub mod path_style;
pub mod problem_runtime;
pub mod session;
pub mod simulation;
pub mod state;
pub mod surface_cache;
pub mod theme;
pub mod toolbar;
pub mod trace;
pub mod views;
#[cfg(target_arch = "wasm32")]
pub mod web;
pub mod worker;

use std::path::PathBuf;
#[cfg(not(target_arch = "wasm32"))]
use std::process::ExitCode;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::Arc;
#[cfg(not(target_arch = "wasm32"))]
use std::sync::atomic::{AtomicU8, Ordering};

pub use app::LosscapeApp;

/// Default window size (and the size `--frame-stats` and `--screenshot` use).
pub const WINDOW_SIZE: [f32; 2] = [1280.0, 800.0];

/// How the app was asked to run.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Mode {
    /// A person uses it; the session is remembered.
    #[default]
    Interactive,
    /// Play the default scene for `frames` frames, print timing percentiles, exit.
    FrameStats {
        /// Frames to measure.
        frames: usize,
    },
    /// Render the default scene, save a screenshot after `frames` frames, exit.
    Screenshot {
        /// Where the PNG goes.
        path: PathBuf,
        /// Frames to run before the shot.
        frames: usize,
    },
    /// Play iterations `from..=to` (to the runs' end when `to` is None) of a view, save them
    /// as an animated GIF at `fps` frames per second, exit.
    Animation {
        /// Where the GIF goes.
        path: PathBuf,
        /// The first iteration shown.
        from: usize,
        /// The last iteration shown.
        to: Option<usize>,
        /// Frames per second.
        fps: u32,
        /// The view recorded: contour, 3D or both side by side; None for the whole window.
        view: Option<crate::engine::scenario::ViewMode>,
        /// Turn the 3D view a quarter turn over the animation.
        turn: bool,
    },
}

impl Mode {
    /// True for the modes that measure or capture and then exit (they ignore and never
    /// overwrite the remembered session).
    pub fn is_batch(&self) -> bool {
        !matches!(self, Self::Interactive)
    }
}

/// What to show when the window opens (command-line options).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StartOptions {
    /// The central view (`--view`), else the remembered one.
    pub view: Option<crate::engine::scenario::ViewMode>,
    /// Start in presenter mode (`--presenter`).
    pub presenter: bool,
    /// Use and remember this theme (`--theme`).
    pub theme: Option<appearance::ThemeChoice>,
    /// A scenario file to open once the window is up.
    pub scenario: Option<PathBuf>,
    /// A scene or lesson link to open once the window is up (instead of a file).
    pub link: Option<String>,
}

/// Opens the main window and runs until it is closed (or the batch mode finishes).
#[cfg(not(target_arch = "wasm32"))]
pub fn launch(mode: Mode) -> ExitCode {
    launch_with(mode, StartOptions::default())
}

/// Like [`launch`], with the command line's start options.
#[cfg(not(target_arch = "wasm32"))]
pub fn launch_with(mode: Mode, start: StartOptions) -> ExitCode {
    let exit = Arc::new(AtomicU8::new(0));
    let batch = mode.is_batch();
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("losscape")
            .with_app_id("losscape")
            .with_inner_size(WINDOW_SIZE)
            .with_min_inner_size([800.0, 560.0]),
        persist_window: !batch,
        ..Default::default()
    };
    let app_exit = Arc::clone(&exit);
    let result = eframe::run_native(
        "losscape",
        options,
        Box::new(move |cc| {
            let session = session::Session::default_path();
            let mut app = LosscapeApp::with_session(&cc.egui_ctx, session, mode, app_exit);
            let StartOptions {
                view,
                presenter,
                theme,
                scenario,
                link,
            } = start;
            if let Some(path) = scenario {
                app.open_scenario_file(path);
            }
            if let Some(link) = link {
                app.open_link(&link);
            }
            if let Some(view) = view {
                let settings = &mut app.state_mut().scene.view;
                settings.mode = view;
                // `--view explore` shows the explorers with the basins on the contour map.
                if view == crate::engine::scenario::ViewMode::Explore {
                    settings.explore.basins = true;
                }
            }
            if let Some(theme) = theme {
                app.state_mut().theme = theme;
            }
            app.set_presenter(presenter);
            Ok(Box::new(app))
        }),
    );
    if let Err(err) = result {
        eprintln!("error: could not open the window: {err}");
        return ExitCode::FAILURE;
    }
    ExitCode::from(exit.load(Ordering::Relaxed))
}
pub mod view3d;
