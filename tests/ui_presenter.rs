//! Presenter mode and the theme: F5 and the View menu enlarge the app (1.6x on a wide
//! enough screen), thicken lines and hide advanced controls; Esc restores everything; the
//! View menu sets the theme (that it is remembered is tested with the session, ui_state.rs).
#![allow(clippy::unwrap_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::ui::appearance::{PRESENTER_ZOOM, ThemeChoice};
use losscape::ui::state::State;
use losscape::ui::{LosscapeApp, theme};

/// The app at 1280x800 with the default scene, background work finished.
fn harness() -> Harness<'static, LosscapeApp> {
    harness_sized(1280.0, 800.0)
}

/// The app in a window of this size, default scene, background work finished.
fn harness_sized(width: f32, height: f32) -> Harness<'static, LosscapeApp> {
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, State::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(width, height))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h
}

fn zoom(h: &Harness<'static, LosscapeApp>) -> f32 {
    h.ctx.zoom_factor()
}

/// True when some node has this label.
fn has_label(h: &Harness<'static, LosscapeApp>, label: &str) -> bool {
    h.query_all_by_label(label).next().is_some()
}

// On a full-HD projector F5 scales the app by PRESENTER_ZOOM; Esc brings the normal scale
// back.
#[test]
fn f5_scales_up_and_esc_restores() {
    let mut h = harness_sized(1920.0, 1080.0);
    let normal_zoom = zoom(&h);
    let normal_ppp = h.ctx.pixels_per_point();
    assert!(!h.state().presenter());
    h.key_press(egui::Key::F5);
    h.run();
    assert!(h.state().presenter());
    assert!((zoom(&h) - normal_zoom * PRESENTER_ZOOM).abs() < 1e-4);
    assert!((h.ctx.pixels_per_point() - normal_ppp * PRESENTER_ZOOM).abs() < 1e-4);
    h.key_press(egui::Key::Escape);
    h.run();
    assert!(!h.state().presenter());
    assert!((zoom(&h) - normal_zoom).abs() < 1e-4);
    assert!((h.ctx.pixels_per_point() - normal_ppp).abs() < 1e-4);
}

// On a 1280x800 projector the enlargement is smaller (1.28), so the lesson, the views and
// the details panel still fit side by side.
#[test]
fn presenter_zoom_fits_a_small_projector() {
    let mut h = harness();
    h.key_press(egui::Key::F5);
    h.run();
    assert!((zoom(&h) - 1.28).abs() < 1e-4, "{}", zoom(&h));
    assert!(h.ctx.content_rect().width() >= 999.0);
}

// F5 toggles: a second press leaves presenter mode.
#[test]
fn f5_twice_leaves_presenter_mode() {
    let mut h = harness();
    h.key_press(egui::Key::F5);
    h.run();
    h.key_press(egui::Key::F5);
    h.run();
    assert!(!h.state().presenter());
    assert!((zoom(&h) - 1.0).abs() < 1e-4);
}

// The View menu's item does what F5 does.
#[test]
fn view_menu_turns_presenter_mode_on() {
    let mut h = harness_sized(1920.0, 1080.0);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label_contains("Presenter mode").click();
    h.run();
    assert!(h.state().presenter());
    assert!((zoom(&h) - PRESENTER_ZOOM).abs() < 1e-4);
}

// Advanced controls disappear in presenter mode and come back after; what a lesson needs
// (learning rate, play, step, the details panel with slices and the step inspector) stays.
#[test]
fn presenter_hides_advanced_controls() {
    let mut h = harness();
    let advanced = [
        "gradient noise",
        "Export",
        "Display",
        "schedule",
        "max iterations",
    ];
    for label in advanced {
        assert!(has_label(&h, label), "{label} is shown normally");
    }
    h.key_press(egui::Key::F5);
    h.run();
    for label in advanced {
        assert!(!has_label(&h, label), "{label} is hidden in presenter mode");
    }
    h.get_by_role_and_label(Role::Slider, "learning rate");
    h.get_by_label("Play");
    h.get_by_label("Step");
    h.get_by_label("Details");
    h.key_press(egui::Key::Escape);
    h.run();
    for label in ["gradient noise", "Export", "schedule"] {
        assert!(has_label(&h, label), "{label} is back after presenter mode");
    }
}

// Lines and markers are thicker in presenter mode.
#[test]
fn presenter_thickens_lines() {
    let mut h = harness();
    assert_eq!(theme::line_scale(&h.ctx), 1.0);
    h.key_press(egui::Key::F5);
    h.run();
    assert!(theme::line_scale(&h.ctx) > 1.2);
}

// Presenter mode switches to a high-contrast style; leaving it restores the normal one.
#[test]
fn presenter_uses_stronger_contrast() {
    let mut h = harness();
    let normal = h.ctx.style_of(h.ctx.theme()).visuals.clone();
    assert!(normal.override_text_color.is_none());
    h.key_press(egui::Key::F5);
    h.run();
    assert_eq!(
        h.ctx.style_of(h.ctx.theme()).visuals.override_text_color,
        Some(egui::Color32::WHITE)
    );
    h.key_press(egui::Key::Escape);
    h.run();
    assert_eq!(h.ctx.style_of(h.ctx.theme()).visuals, normal);
}

// Choosing Light in the View menu switches egui's theme and is saved in the state.
#[test]
fn view_menu_sets_the_theme() {
    let mut h = harness();
    assert_eq!(h.ctx.theme(), egui::Theme::Dark);
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Light").click();
    h.run();
    assert_eq!(h.state().state().theme, ThemeChoice::Light);
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
    assert!(!h.ctx.style_of(h.ctx.theme()).visuals.dark_mode);
}
