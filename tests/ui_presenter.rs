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

/// The app at 1280x800 with bundled lesson `index` open, `Both` views and Details shown.
fn lesson_with_every_panel(index: usize, presenter: bool) -> Harness<'static, LosscapeApp> {
    let mut h = harness();
    h.state_mut().open_lesson(index);
    h.state_mut().set_presenter(presenter);
    let view = &mut h.state_mut().state_mut().scene.view;
    view.mode = losscape::engine::scenario::ViewMode::Both;
    view.details = true;
    for _ in 0..3 {
        h.run();
        h.state_mut().wait_for_background();
    }
    h.run();
    h
}

/// The width, in points, the contour and the 3D view fill together.
fn views_width(h: &Harness<'static, LosscapeApp>) -> f32 {
    let rects = h.state().view_rects();
    let contour = rects.contour.expect("the contour is shown");
    let surface = rects.surface3d.expect("the 3D view is shown");
    contour.union(surface).width()
}

// With the lesson, Both views and Details open, the views keep at least half the window,
// normal and in presenter mode.
#[test]
fn views_keep_half_the_window_with_every_panel_open() {
    for presenter in [false, true] {
        let h = lesson_with_every_panel(6, presenter);
        assert!(h.state().state().scene.view.details, "Details stays open");
        let window = h.ctx.content_rect().width();
        let width = views_width(&h);

        assert!(
            width >= 0.5 * window - 1.0,
            "presenter {presenter}: the views are {width} of {window} points"
        );
    }
}

// Choosing Both does not close the details panel.
#[test]
fn both_keeps_details_open() {
    let mut h = harness();
    h.state_mut().state_mut().scene.view.details = true;
    h.run();
    h.get_by_label("Both").click();
    h.run();
    assert!(h.state().state().scene.view.details);
    assert_eq!(
        h.state().state().scene.view.mode,
        losscape::engine::scenario::ViewMode::Both
    );
}

// In presenter mode no text style is smaller than 16 pixels on a 1280x800 projector.
#[test]
fn presenter_text_is_at_least_16_pixels() {
    let mut h = harness();
    h.key_press(egui::Key::F5);
    h.run();
    h.run();
    let ppp = h.ctx.pixels_per_point();
    for (style, font) in &h.ctx.style_of(h.ctx.theme()).text_styles {
        assert!(
            font.size * ppp >= 16.0,
            "{style:?} is {} px",
            font.size * ppp
        );
    }
}

// In presenter mode the lesson is a card: one page (the introduction, then each step) with
// the rest a click away, so the lesson takes little of the screen.
#[test]
fn presenter_lesson_is_a_card_of_one_page() {
    let mut h = lesson_with_every_panel(6, true);
    let scene = losscape::engine::scenario::Scenario::from_toml(
        losscape::engine::scenario::BUNDLED_LESSONS[6].text,
        None,
    )
    .unwrap();
    let lesson = scene.lesson.unwrap();
    assert!(has_label(&h, &lesson.text), "the introduction is shown");
    assert!(!has_label(&h, &lesson.steps[0].text), "steps wait");
    h.get_by_label("First step").click();
    h.run();
    assert!(
        has_label(&h, &lesson.steps[0].text),
        "the first step is shown"
    );
    assert!(
        !has_label(&h, &lesson.text),
        "the introduction is a click away"
    );
    assert!(has_label(&h, &format!("Step 1 of {}", lesson.steps.len())));
    h.get_by_label("Back").click();
    h.run();
    assert!(has_label(&h, &lesson.text));
    // Out of presenter mode the whole lesson shows.
    h.state_mut().set_presenter(false);
    h.run();
    h.run();
    assert!(has_label(&h, &lesson.text));
    assert!(has_label(&h, &lesson.steps[0].text));
}

// Opening a lesson shows its text from the top, however far the side panel was scrolled.
#[test]
fn opening_a_lesson_scrolls_to_its_text() {
    let mut h = harness();
    h.state_mut().open_lesson(0);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    // Scroll the side panel down to its last rows.
    h.get_by_label("max iterations").scroll_to_me();
    // Let the scroll animation finish.
    for _ in 0..120 {
        h.step();
    }
    let title = |h: &Harness<'static, LosscapeApp>| {
        let t = h.state().state().scene.title.clone().unwrap();
        h.query_by_label(&t).map(|n| n.rect().min.y)
    };
    let scrolled = title(&h);
    assert!(
        scrolled.is_none_or(|y| y < 0.0),
        "the test scrolled the title away: {scrolled:?}"
    );
    h.get_by_label("Lessons").click();
    h.run();
    h.get_by_label(&losscape::engine::scenario::BUNDLED_LESSONS[1].title())
        .click();
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    let y = title(&h).expect("the new lesson's title is there");
    assert!((0.0..200.0).contains(&y), "the title is at y = {y}");
}

/// Labels that must each read on one line in presenter mode at 1280x800: how many nodes
/// carry them, after checking that none is taller than 1.5 text lines.
fn one_line_in_presenter_mode(labels: &[&str]) -> usize {
    let mut h = harness();
    h.key_press(egui::Key::F5);
    h.run();
    h.run();
    let body = h.ctx.style_of(h.ctx.theme()).text_styles[&egui::TextStyle::Body].clone();
    let line = h.ctx.fonts_mut(|f| f.row_height(&body));
    let mut seen = 0;
    for label in labels {
        for node in h.query_all_by_label(label) {
            let height = node.rect().height();
            assert!(
                height < 1.5 * line,
                "'{label}' is {height} points tall, a line is {line}"
            );
            seen += 1;
        }
    }
    seen
}

// A run's status reads as one line in presenter mode at 1280x800: beside the run's name
// when it fits there, else on its own line under it, never broken inside a word
// ("converg / es at / 1918") in a narrow column.
#[test]
fn presenter_run_statuses_read_on_one_line() {
    let seen = one_line_in_presenter_mode(&["reaches the limit (2000)", "converges at 1918"]);
    assert_eq!(seen, 3, "the three runs' statuses");
}

// The learning curve's stopping rule moves to the next row whole in presenter mode at
// 1280x800, instead of breaking after "stop: |ΔJ|".
#[test]
fn presenter_stopping_rule_reads_on_one_line() {
    assert_eq!(one_line_in_presenter_mode(&["stop: |ΔJ| < 1.000e-10"]), 1);
}
