//! Pixel snapshots of the app (feature `snapshots`; they need a wgpu adapter, e.g. Mesa's
//! lavapipe). Regenerate after an intended visual change with `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use losscape::engine::scenario::{DataFitSettings, DataSource, ProblemSettings};
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

fn harness(state: State) -> Harness<'static, LosscapeApp> {
    harness_sized(state, egui::vec2(1280.0, 800.0), false)
}

/// The app in a window of `size` points, in presenter mode or not, background work done.
fn harness_sized(state: State, size: egui::Vec2, presenter: bool) -> Harness<'static, LosscapeApp> {
    let ctx = egui::Context::default();
    let mut app = LosscapeApp::new(&ctx, state);
    app.set_presenter(presenter);
    let mut h = Harness::builder()
        .with_size(size)
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h
}

// The default scene: Rosenbrock with GD, Momentum and Adam part-way along.
#[test]
fn default_scene() {
    let mut state = State::default();
    state.scene.playback.iteration = 150;
    let mut h = harness(state);
    h.snapshot("default_scene");
}

// A data-fit scene: linear regression on the synthetic line.
#[test]
fn data_fit_scene() {
    let mut state = State::default();
    state.scene.problem = ProblemSettings {
        data: Some(DataFitSettings {
            dataset: DataSource::Linear {
                examples: 60,
                noise: 0.5,
                seed: 7,
                slope: 2.0,
                intercept: 1.0,
            },
            ..DataFitSettings::default()
        }),
        domain: Some(losscape::engine::Domain::new(-2.0, 6.0, -3.0, 5.0)),
        ..ProblemSettings::default()
    };
    state.scene.playback.iteration = 40;
    let mut h = harness(state);
    h.snapshot("data_fit_scene");
}

/// The app in presenter mode in a small window, 800x500 points: the tightest layout
/// presenter mode has to fit (the zoom stays at its minimum, 1.25x, here).
fn presenter_harness(state: State) -> Harness<'static, LosscapeApp> {
    harness_sized(state, egui::vec2(800.0, 500.0), true)
}

// Presenter mode: larger, thicker, high contrast, advanced controls hidden.
#[test]
fn presenter_scene() {
    let mut state = State::default();
    state.scene.playback.iteration = 150;
    let mut h = presenter_harness(state);
    h.snapshot("presenter_scene");
}

// The light theme in presenter mode.
#[test]
fn presenter_light_scene() {
    let mut state = State::default();
    state.scene.playback.iteration = 150;
    state.theme = losscape::ui::appearance::ThemeChoice::Light;
    let mut h = presenter_harness(state);
    h.snapshot("presenter_light_scene");
}
