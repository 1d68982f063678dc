//! The run editor's schedule: every kind shows its numbers and a preview of its rates, and
//! typed milestones that do not increase change nothing and say why.
#![allow(clippy::unwrap_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::engine::run::Schedule;
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

/// The app at 1280x800 with the default scene, the first run on `schedule`.
fn harness(schedule: Schedule) -> Harness<'static, LosscapeApp> {
    let mut state = State::default();
    state.scene.runs[0].schedule = schedule;
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, state);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h
}

fn schedule(h: &Harness<'static, LosscapeApp>) -> Schedule {
    h.state().state().scene.runs[0].schedule.clone()
}

// Each kind's editor shows its own fields (one field per kind checked here).
#[test]
fn every_kind_shows_its_fields() {
    for (choice, field) in Schedule::choices().into_iter().zip([
        None,
        Some("every (iterations)"),
        Some("at iterations"),
        Some("gamma per iteration"),
        Some("period T_max"),
        Some("first period T_0"),
        Some("factor at first"),
        Some("first factor"),
        Some("down to 0 in (iterations)"),
        Some("climb (iterations)"),
        Some("cycle (iterations)"),
        Some("warm-up (iterations)"),
        Some("patience (iterations)"),
    ]) {
        let h = harness(choice.clone());
        if let Some(field) = field {
            assert!(
                h.query_all_by_label(field).next().is_some(),
                "{}: {field}",
                choice.label()
            );
        }
        if choice.needs_cost() {
            h.get_by_label_contains("the run decides when");
        }
        if choice.sets_own_rate() {
            h.get_by_label_contains("is not used");
        }
    }
}

// Milestones typed out of order are not applied, and the editor says which and why; typed
// in order they are (each when the field is left with Enter).
#[test]
fn milestones_out_of_order_change_nothing() {
    let start = Schedule::MultiStep {
        milestones: vec![100, 300],
        gamma: 0.1,
    };
    let mut h = harness(start.clone());
    let type_milestones = |h: &mut Harness<'static, LosscapeApp>, text: &str| {
        h.get_by_role_and_label(Role::TextInput, "at iterations")
            .scroll_to_me();
        h.run();
        h.get_by_role_and_label(Role::TextInput, "at iterations")
            .click();
        h.run();
        h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
        h.run();
        for c in text.chars() {
            h.event(egui::Event::Text(c.to_string()));
            h.run();
        }
        h.key_press(egui::Key::Enter);
        h.run();
        h.run();
    };
    type_milestones(&mut h, "50, 20");
    assert_eq!(schedule(&h), start);
    h.get_by_label_contains("20 follows 50");
    type_milestones(&mut h, "50, 200");
    assert_eq!(
        schedule(&h),
        Schedule::MultiStep {
            milestones: vec![50, 200],
            gamma: 0.1,
        }
    );
    assert!(h.query_by_label_contains("follows").is_none());
}
