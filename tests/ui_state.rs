//! The remembered session: what is saved loads back the same, and a corrupt or outdated
//! saved state falls back to defaults instead of failing.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use losscape::ui::appearance::ThemeChoice;
use losscape::ui::state::State;
use losscape::ui::{LosscapeApp, Mode};

#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

fn load(storage: &MemoryStorage) -> State {
    let ctx = egui::Context::default();
    let app = LosscapeApp::from_storage(
        &ctx,
        Some(storage),
        Mode::Interactive,
        Arc::new(AtomicU8::new(0)),
    );
    app.state().clone()
}

// A saved session comes back exactly.
#[test]
fn saved_state_round_trips() {
    let mut state = State::default();
    state.playback.speed = 123.0;
    state.problem.formula = "w^2 + a*b^2".to_owned();
    state.contour.levels = 7;
    state.runs.truncate(2);
    let mut storage = MemoryStorage::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &state);
    assert_eq!(load(&storage), state);
}

// An open lesson (text, steps and their changes), the scenario file and the recent list are
// remembered too.
#[test]
fn open_lesson_and_recent_files_round_trip() {
    let ctx = egui::Context::default();
    let mut app = LosscapeApp::new(&ctx, State::default());
    app.open_lesson(0);
    let mut state = app.state().clone();
    assert!(state.lesson.is_some());
    state.recent_files = vec!["/tmp/a.toml".into(), "/tmp/b.toml".into()];
    state.scenario_file = Some("/tmp/a.toml".into());
    let mut storage = MemoryStorage::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &state);
    assert_eq!(load(&storage), state);
}

// Garbage in the store gives the default scene, not a crash.
#[test]
fn corrupt_state_gives_defaults() {
    let mut storage = MemoryStorage::default();
    storage.set_string_for_test("this is {not ron");
    assert_eq!(load(&storage), State::default());
}

// A state saved by an older version (fields missing) keeps what it has.
#[test]
fn outdated_state_keeps_known_fields() {
    let mut storage = MemoryStorage::default();
    storage.set_string_for_test("(playback: (speed: 50.0), unknown_field: 3)");
    let state = load(&storage);
    assert_eq!(state.playback.speed, 50.0);
    assert_eq!(state.problem, State::default().problem);
}

trait SetForTest {
    fn set_string_for_test(&mut self, value: &str);
}

impl SetForTest for MemoryStorage {
    fn set_string_for_test(&mut self, value: &str) {
        eframe::Storage::set_string(self, eframe::APP_KEY, value.to_owned());
    }
}

// The default scene is the one a teacher shows first: Rosenbrock with gradient descent,
// momentum and Adam from one start, each in its own color.
#[test]
fn default_scene_is_rosenbrock_with_three_runs() {
    use losscape::engine::optim::OptimizerKind;
    let state = State::default();
    assert_eq!(state.problem.preset.as_deref(), Some("rosenbrock"));
    let kinds: Vec<OptimizerKind> = state
        .runs
        .iter()
        .map(|r| r.settings.optimizer.kind())
        .collect();
    assert_eq!(
        kinds,
        [
            OptimizerKind::Gd,
            OptimizerKind::Momentum,
            OptimizerKind::Adam
        ]
    );
    let starts: Vec<_> = state.runs.iter().map(|r| r.settings.init).collect();
    assert!(
        starts.windows(2).all(|w| w[0] == w[1]),
        "one start: {starts:?}"
    );
    let mut colors: Vec<usize> = state.runs.iter().map(|r| r.color).collect();
    colors.dedup();
    assert_eq!(colors.len(), 3);
    assert!(state.problem.domain.is_valid());
}

// The theme survives the saved session, in kebab-case, and an app started from it uses it.
#[test]
fn theme_is_remembered() {
    let state = State {
        theme: ThemeChoice::Light,
        ..State::default()
    };
    let mut storage = MemoryStorage::default();
    eframe::set_value(&mut storage, eframe::APP_KEY, &state);
    let saved = eframe::Storage::get_string(&storage, eframe::APP_KEY).unwrap();
    assert!(saved.contains("theme:light"), "{saved}");
    let ctx = egui::Context::default();
    let app = LosscapeApp::from_storage(
        &ctx,
        Some(&storage),
        Mode::Interactive,
        Arc::new(AtomicU8::new(0)),
    );
    assert_eq!(app.state().theme, ThemeChoice::Light);
    let mut h = egui_kittest::Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    assert_eq!(h.ctx.theme(), egui::Theme::Light);
}
