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

/// Bundled lesson `index` played to its end at 1280x800, in the four looks a class sees:
/// normal and presenter mode, dark and light.
fn lesson_played_to_the_end(index: usize, name: &str) {
    use losscape::ui::appearance::ThemeChoice;
    // Four harnesses, one verdict: every image is written before the test fails.
    let mut results = egui_kittest::SnapshotResults::new();
    for presenter in [false, true] {
        for theme in [ThemeChoice::Dark, ThemeChoice::Light] {
            let mut h = harness_sized(State::default(), egui::vec2(1280.0, 800.0), presenter);
            h.state_mut().state_mut().theme = theme;
            h.state_mut().open_lesson(index);
            h.run();
            h.state_mut().wait_for_background();
            let last = h.state().last_iteration();
            h.state_mut().state_mut().scene.playback.iteration = last;
            h.run();
            h.state_mut().wait_for_background();
            h.run();
            let look = match (presenter, theme) {
                (false, ThemeChoice::Dark) => "dark",
                (false, ThemeChoice::Light) => "light",
                (true, ThemeChoice::Dark) => "presenter_dark",
                (true, ThemeChoice::Light) => "presenter_light",
            };
            h.snapshot(format!("lesson_{name}_{look}"));
            results.extend_harness(&mut h);
        }
    }
    results.unwrap();
}

// Lesson 1: the loss surface of linear regression, a data fit.
#[test]
fn lesson_01() {
    lesson_played_to_the_end(0, "01");
}

// Lesson 4: four learning rates, one of them diverging.
#[test]
fn lesson_04() {
    lesson_played_to_the_end(3, "04");
}

// Lesson 7: momentum in a narrow valley, both views and the details panel.
#[test]
fn lesson_07() {
    lesson_played_to_the_end(6, "07");
}

// Lesson 8: Adam against gradient descent on Rosenbrock.
#[test]
fn lesson_08() {
    lesson_played_to_the_end(7, "08");
}

// Lesson 11: the largest stable learning rate, on the edge of diverging.
#[test]
fn lesson_11() {
    lesson_played_to_the_end(10, "11");
}

// Lesson 12: the learning-rate explorer on a quadratic bowl, with the 2/lambda_max limit.
#[test]
fn lesson_12() {
    lesson_played_to_the_end(11, "12");
}

// Lesson 13: basins of Himmelblau's four minima and the two-setting map.
#[test]
fn lesson_13() {
    lesson_played_to_the_end(12, "13");
}

/// Himmelblau in the Explore view with the basins on and the explorer on `tab`.
fn explore_state(tab: losscape::engine::scenario::ExploreTab) -> State {
    use losscape::engine::scenario::ViewMode;
    let mut state = State::default();
    state.scene.problem = ProblemSettings::from_preset("himmelblau").unwrap();
    state.scene.problem.domain = None;
    state.scene.view.mode = ViewMode::Explore;
    state.scene.view.explore.basins = true;
    state.scene.view.explore.tab = tab;
    state.scene.playback.iteration = 40;
    state
}

/// A harness whose explorer's first request has been computed and drawn.
fn explore_harness(state: State) -> Harness<'static, LosscapeApp> {
    let mut h = harness_sized(state, egui::vec2(1280.0, 800.0), false);
    h.state_mut().wait_for_background();
    h.run();
    h
}

// The Explore view: basins on the contour map, the stability map and sweep beside it.
#[test]
fn explore_learning_rate() {
    use losscape::engine::scenario::ExploreTab;
    let mut h = explore_harness(explore_state(ExploreTab::LearningRate));
    h.snapshot("explore_learning_rate");
}
