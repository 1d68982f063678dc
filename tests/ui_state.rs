//! The remembered session: what is saved loads back the same, it is written atomically, a
//! session that cannot be read is reported and kept aside, and the files it names are
//! absolute so the app finds the same ones from any folder.
#![allow(clippy::unwrap_used)]

use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use losscape::ui::appearance::ThemeChoice;
use losscape::ui::session::Session;
use losscape::ui::state::State;
use losscape::ui::{LosscapeApp, Mode};

/// The app started from the session file at `path`.
fn app_from(path: &std::path::Path) -> LosscapeApp {
    let ctx = egui::Context::default();
    LosscapeApp::with_session(
        &ctx,
        Some(path.to_path_buf()),
        Mode::Interactive,
        Arc::new(AtomicU8::new(0)),
    )
}

// A saved session comes back exactly.
#[test]
fn saved_state_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path().join("session.toml"));
    let mut state = State::default();
    state.scene.playback.speed = 123.0;
    state.scene.problem.formula = Some("w^2 + a*b^2".to_owned());
    state.scene.problem.preset = None;
    state.scene.view.levels = 7;
    state.scene.runs.truncate(2);
    state.recent_files = vec!["/tmp/a.toml".into(), "/tmp/b.toml".into()];
    state.scenario_file = Some("/tmp/a.toml".into());
    session.save(&state).unwrap();
    let (back, problem) = session.load();
    assert_eq!(problem, None);
    assert_eq!(back, state);
    assert_eq!(app_from(session.path()).state(), &state);
}

// An open lesson (text, steps and their changes) is remembered too.
#[test]
fn open_lesson_round_trips() {
    let ctx = egui::Context::default();
    let mut app = LosscapeApp::new(&ctx, State::default());
    app.open_lesson(0);
    let state = app.state().clone();
    assert!(state.lesson.is_some() && state.scene.lesson.is_some());
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path().join("session.toml"));
    session.save(&state).unwrap();
    assert_eq!(session.load().0, state);
}

// Saving replaces the session file whole (a new file renamed over the old): a crash while
// writing can never leave half a session. A hard link to the old file keeps the old text,
// which a write in place (truncate, then write) would have changed.
#[test]
fn the_session_is_replaced_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.toml");
    let session = Session::new(path.clone());
    session.save(&State::default()).unwrap();
    let old = std::fs::read_to_string(&path).unwrap();
    let link = dir.path().join("old-session.toml");
    std::fs::hard_link(&path, &link).unwrap();
    let mut changed = State::default();
    changed.scene.playback.speed = 77.0;
    session.save(&changed).unwrap();
    assert_eq!(std::fs::read_to_string(&link).unwrap(), old);
    assert_eq!(session.load().0.scene.playback.speed, 77.0);
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

// Garbage in the session file gives the default scene and a message, and the file is kept
// aside (never silently overwritten at the next save).
#[test]
fn an_unreadable_session_is_reported_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("session.toml");
    std::fs::write(&path, "this is {not toml").unwrap();
    let app = app_from(&path);
    assert_eq!(app.state(), &State::default());
    let message = app.file_error().unwrap_or_default().to_owned();
    assert!(message.contains("could not be read"), "{message}");
    let aside = dir.path().join("session.toml.unreadable");
    assert_eq!(std::fs::read_to_string(aside).unwrap(), "this is {not toml");
}

// The default scene is the one a teacher shows first: Rosenbrock with gradient descent,
// momentum and Adam from one start, each in its own color.
#[test]
fn default_scene_is_rosenbrock_with_three_runs() {
    use losscape::engine::optim::OptimizerKind;
    let state = State::default();
    assert_eq!(state.scene.problem.preset.as_deref(), Some("rosenbrock"));
    let kinds: Vec<OptimizerKind> = state
        .scene
        .runs
        .iter()
        .map(|r| r.optimizer.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            OptimizerKind::Gd,
            OptimizerKind::Momentum,
            OptimizerKind::Adam
        ]
    );
    let starts: Vec<_> = state.scene.runs.iter().map(|r| r.init).collect();
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "one start: {starts:?}"
    );
    let mut colors: Vec<_> = state.scene.runs.iter().map(|r| r.color).collect();
    colors.dedup();
    assert_eq!(colors.len(), 3);
    assert!(state.scene.problem.domain.is_some_and(|d| d.is_valid()));
    state.scene.validate().expect("the default scene saves");
}

// The theme survives the saved session, in kebab-case, and an app started from it uses it.
#[test]
fn theme_is_remembered() {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::new(dir.path().join("session.toml"));
    let state = State {
        theme: ThemeChoice::Light,
        ..State::default()
    };
    session.save(&state).unwrap();
    let saved = std::fs::read_to_string(session.path()).unwrap();
    assert!(saved.contains("theme = \"light\""), "{saved}");
    let app = app_from(session.path());
    assert_eq!(app.state().theme, ThemeChoice::Light);
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
}
