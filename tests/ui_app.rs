//! Interaction tests of the app through egui_kittest (no GPU): widgets are found by their
//! accessible role and label, as a screen reader would.
#![allow(clippy::unwrap_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

/// The app at 1280x800 with the default scene.
fn harness() -> Harness<'static, LosscapeApp> {
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, State::default());
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app)
}

// The playback controls exist with their labels.
#[test]
fn toolbar_has_labelled_controls() {
    let mut h = harness();
    h.run();
    h.get_by_role_and_label(Role::Slider, "speed");
    h.get_by_role_and_label(Role::Slider, "iteration");
    h.get_by_label("Play");
}
