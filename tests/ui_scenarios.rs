//! Scenario files and lessons in the app, through egui_kittest: opening a lesson puts its
//! scenario on screen, a step applies its changes, a failed open changes nothing, saving
//! and opening again gives the same runs bit for bit, and dropped files open.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use losscape::engine::scenario::{BUNDLED_LESSONS, Scenario};
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

#[path = "common/malformed.rs"]
mod malformed;

fn harness() -> Harness<'static, LosscapeApp> {
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, State::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    settle(&mut h);
    h
}

fn settle(h: &mut Harness<'static, LosscapeApp>) {
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h.state_mut().wait_for_background();
    h.run();
}

fn run_names(h: &Harness<'static, LosscapeApp>) -> Vec<String> {
    h.state()
        .state()
        .scene
        .runs
        .iter()
        .map(|r| r.name.clone())
        .collect()
}

/// The first bundled lesson as the engine reads it.
fn first_lesson() -> Scenario {
    Scenario::from_toml(BUNDLED_LESSONS[0].text, None).expect("lesson 1 reads")
}

/// Every run's path as bits, by run name.
fn paths(h: &Harness<'static, LosscapeApp>) -> Vec<(String, Vec<[u64; 2]>)> {
    let app = h.state();
    app.state()
        .scene
        .runs
        .iter()
        .map(|r| {
            let run = app.run(r.id).expect("simulated");
            let bits = run
                .history()
                .iter()
                .map(|rec| rec.params.map(f64::to_bits))
                .collect();
            (r.name.clone(), bits)
        })
        .collect()
}

// Choosing a lesson in the Lessons menu puts its runs, view and text on screen.
#[test]
fn opening_a_lesson_applies_its_scenario() {
    let mut h = harness();
    let lesson = first_lesson();
    h.get_by_label("Lessons").click();
    h.run();
    h.get_by_label(&BUNDLED_LESSONS[0].title()).click();
    settle(&mut h);
    let expected: Vec<String> = lesson.runs.iter().map(|r| r.name.clone()).collect();
    assert_eq!(run_names(&h), expected);
    let state = h.state().state();
    let open = state.lesson.as_ref().expect("the lesson panel is open");
    assert_eq!(state.scene.title, lesson.title);
    assert_eq!(open.bundled, Some(0));
    for (entry, run) in state.scene.runs.iter().zip(&lesson.runs) {
        assert_eq!(entry.learning_rate, run.learning_rate);
        assert_eq!(entry.init, run.init);
    }
    // The lesson's text is on screen, with a button per step that changes something.
    let text = &lesson.lesson.as_ref().expect("lesson").text;
    h.get_by_label(text);
    // Objective and runs are simulated for the lesson's problem.
    assert!(h.state().problem_error().is_none());
    assert_eq!(paths(&h).len(), expected.len());
}

// A step's Apply button makes exactly that step's changes.
#[test]
fn a_lesson_step_applies_its_settings() {
    let mut h = harness();
    h.state_mut().open_lesson(0);
    settle(&mut h);
    let lesson = first_lesson();
    let steps = &lesson.lesson.as_ref().expect("lesson").steps;
    let index = steps
        .iter()
        .position(|s| s.apply.is_some())
        .expect("lesson 1 has a step with changes");
    let expected = lesson.with_step(index).expect("step applies");
    h.get_by_label(&format!("Apply step {}", index + 1)).click();
    settle(&mut h);
    let names: Vec<String> = expected.runs.iter().map(|r| r.name.clone()).collect();
    assert_eq!(run_names(&h), names);
    let state = h.state().state();
    for (entry, run) in state.scene.runs.iter().zip(&expected.runs) {
        assert_eq!(entry.learning_rate, run.learning_rate, "{}", run.name);
        assert_eq!(entry.init, run.init, "{}", run.name);
        assert_eq!(entry.optimizer, run.optimizer, "{}", run.name);
    }
    let open = state.lesson.as_ref().expect("lesson still open");
    assert_eq!(open.applied, vec![index]);
    h.get_by_label(&format!("Apply step {} again", index + 1));
}

// Save, then open: the same problem and runs, and the same paths bit for bit.
#[test]
fn save_then_open_reproduces_the_runs() {
    let mut h = harness();
    // Change things away from the defaults first.
    h.state_mut().choose_preset("himmelblau");
    {
        let state = h.state_mut().state_mut();
        state.scene.runs[0].learning_rate = 0.1 + 0.2;
        state.scene.runs[1].learning_rate = 1.0 / 300.0;
        state.scene.runs[2].seed = 7;
        state.scene.playback.iteration = 17;
    }
    settle(&mut h);
    let before = paths(&h);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("demo.toml");
    h.state().current_scenario().save(&path).unwrap();

    let mut other = harness();
    other.state_mut().open_scenario_file(path.clone());
    settle(&mut other);
    assert!(other.state().file_error().is_none());
    assert_eq!(paths(&other), before);
    let (a, b) = (h.state().state(), other.state().state());
    assert_eq!(a.scene.problem.formula, b.scene.problem.formula);
    assert_eq!(a.scene.problem.domain, b.scene.problem.domain);
    assert_eq!(a.scene.playback.iteration, b.scene.playback.iteration);
    assert_eq!(b.scenario_file.as_deref(), Some(path.as_path()));
    assert_eq!(b.recent_files.first(), Some(&path));
    // Saving what was opened writes the same file again.
    assert_eq!(
        other.state().current_scenario(),
        h.state().current_scenario()
    );
}

// Every kind of broken file (the engine's table) shows why and leaves everything on screen
// as it was.
#[test]
fn a_failed_open_changes_nothing() {
    let mut h = harness();
    let dir = tempfile::tempdir().unwrap();
    let before = h.state().state().clone();
    for (i, case) in malformed::malformed().into_iter().enumerate() {
        let path = dir.path().join(format!("broken-{i}.toml"));
        std::fs::write(&path, &case.text).unwrap();
        h.state_mut().open_scenario_file(path);
        settle(&mut h);
        let error = h.state().file_error().expect(case.what).to_owned();
        assert!(error.contains(&format!("broken-{i}.toml")), "{error}");
        if let Some(line) = case.line {
            assert!(
                error.contains(&format!("line {line}")),
                "{}: {error}",
                case.what
            );
        }
        for needle in case.needles {
            assert!(error.contains(needle), "{}: {error}", case.what);
        }
        assert_eq!(
            h.state().state(),
            &before,
            "{} changed the state",
            case.what
        );
        // The dialog names what happened and closes with OK.
        h.get_by_label("Nothing was changed");
        h.get_by_label("OK").click();
        h.run();
        assert!(h.state().file_error().is_none());
    }
}

/// A file dropped on the window, as the windowing layer hands it over.
#[derive(Debug)]
struct Dropped(PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

// A scenario dropped on the window opens.
#[test]
fn a_dropped_scenario_opens() {
    let mut h = harness();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("dropped.toml");
    std::fs::write(&path, BUNDLED_LESSONS[0].text).unwrap();
    h.input_mut()
        .dropped_files
        .push(Arc::new(Dropped(path.clone())));
    settle(&mut h);
    let expected: Vec<String> = first_lesson().runs.iter().map(|r| r.name.clone()).collect();
    assert_eq!(run_names(&h), expected);
    assert_eq!(
        h.state().state().scenario_file.as_deref(),
        Some(path.as_path())
    );
}

// The scenario defaults are the app's: a file that leaves out [view] or [playback] looks
// like a fresh start.
#[test]
fn scenario_defaults_match_the_app() {
    use losscape::engine::scenario::{Playback, ViewSettings};
    let h = harness();
    let s = h.state().current_scenario();
    assert_eq!(s.view, ViewSettings::default());
    let mut playback = s.playback.clone();
    playback.selected_run = None;
    assert_eq!(playback, Playback::default());
}

// A lesson that fits data and gives its own domain keeps that domain, even when the scene
// before it was a function (switching kinds by hand adopts the new problem's domain).
#[test]
fn a_lessons_domain_wins_over_the_problems_own() {
    let mut h = harness();
    let given = first_lesson()
        .problem
        .domain
        .expect("lesson 1 gives a domain");
    h.state_mut().open_lesson(0);
    settle(&mut h);
    assert_eq!(h.state().state().scene.problem.domain, Some(given));
}

// A lesson about the step inspector folds the other details sections away; a click on a
// section's header unfolds it again, and saving keeps what is folded.
#[test]
fn a_lesson_folds_the_details_it_does_not_need() {
    let mut h = harness();
    h.state_mut().open_lesson(1);
    settle(&mut h);
    let sections = h.state().state().scene.view.details_sections;
    assert!(!sections.data && !sections.slices && sections.inspector);
    h.get_by_label("Slices and tangent lines").click();
    h.run();
    assert!(h.state().state().scene.view.details_sections.slices);
    let saved = h.state().current_scenario();
    assert!(saved.view.details_sections.slices && !saved.view.details_sections.data);
}

// A scene copied as a link opens the same runs in another window; an unchanged bundled
// lesson gets the short link; a damaged link changes nothing and says why.
#[test]
fn scene_links_open_the_scene() {
    let mut h = harness();
    h.state_mut().choose_preset("himmelblau");
    h.state_mut().state_mut().scene.runs[0].learning_rate = 0.1 + 0.2;
    settle(&mut h);
    let before = paths(&h);
    let link = h.state().link_to_scene().expect("a link");
    assert!(link.contains("#scene="), "{link}");

    let mut other = harness();
    other.state_mut().open_link(&link);
    settle(&mut other);
    assert!(other.state().file_error().is_none());
    assert_eq!(paths(&other), before);
    assert_eq!(
        other.state().current_scenario(),
        h.state().current_scenario()
    );

    let mut lesson = harness();
    lesson.state_mut().open_lesson(3);
    settle(&mut lesson);
    let short = lesson.state().link_to_scene().expect("a link");
    assert!(short.ends_with("#lesson=04"), "{short}");
    let mut again = harness();
    again.state_mut().open_link(&short);
    settle(&mut again);
    assert_eq!(
        again.state().current_scenario(),
        lesson.state().current_scenario()
    );

    let before = other.state().state().clone();
    other.state_mut().open_link(&link[..link.len() - 30]);
    settle(&mut other);
    let error = other.state().file_error().expect("an error").to_owned();
    assert!(error.contains("The link cannot be opened"), "{error}");
    assert_eq!(other.state().state(), &before);
}
