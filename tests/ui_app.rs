//! Interaction tests of the app through egui_kittest (no GPU): widgets are found by their
//! accessible role and label, as a screen reader would.
#![allow(clippy::unwrap_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use losscape::ui::LosscapeApp;
use losscape::ui::state::State;

/// The app at 1280x800 with `state`.
fn harness_with(state: State) -> Harness<'static, LosscapeApp> {
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, state);
    Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app)
}

/// The app at 1280x800 with the default scene, background work finished.
fn harness() -> Harness<'static, LosscapeApp> {
    let mut h = harness_with(State::default());
    settle(&mut h);
    h
}

/// Lets background work finish and the frames catch up.
fn settle(h: &mut Harness<'static, LosscapeApp>) {
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

// The playback controls exist with their labels.
#[test]
fn toolbar_has_labelled_controls() {
    let h = harness();
    h.get_by_role_and_label(Role::Slider, "speed");
    h.get_by_role_and_label(Role::Slider, "iteration");
    h.get_by_label("Play");
}

// Add, duplicate and remove act on the run list (and on the selected run).
#[test]
fn add_duplicate_remove_runs() {
    let mut h = harness();
    assert_eq!(run_names(&h), ["GD", "Momentum", "Adam"]);
    h.get_by_label("Momentum").click();
    h.run();
    h.get_by_label("Duplicate").click();
    h.run();
    assert_eq!(run_names(&h), ["GD", "Momentum", "Momentum copy", "Adam"]);
    // Duplicating the same run again gives a name of its own, so the scene still saves.
    h.get_by_label("Momentum").click();
    h.run();
    h.get_by_label("Duplicate").click();
    h.run();
    assert_eq!(
        run_names(&h),
        ["GD", "Momentum", "Momentum copy 2", "Momentum copy", "Adam"]
    );
    let dir = tempfile::tempdir().unwrap();
    h.state()
        .current_scenario()
        .save(&dir.path().join("copies.toml"))
        .expect("a scene with copies saves");
    h.get_by_label("Remove").click();
    h.run();
    h.get_by_label("Add run").click();
    h.run();
    assert_eq!(run_names(&h).len(), 5);
    let colors: Vec<usize> = h
        .state()
        .state()
        .scene
        .runs
        .iter()
        .map(|r| r.color.unwrap().index())
        .collect();
    let mut distinct = colors.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        colors.len(),
        "every run has its own color: {colors:?}"
    );
    h.get_by_label("GD").click();
    h.run();
    h.get_by_label("Remove").click();
    h.run();
    assert!(!run_names(&h).contains(&"GD".to_owned()));
    assert_eq!(run_names(&h).len(), 4);
}

// Hiding a run is a checkbox named after it.
#[test]
fn visibility_toggle() {
    let mut h = harness();
    h.get_by_role_and_label(Role::CheckBox, "show Adam").click();
    h.run();
    let adam = h
        .state()
        .state()
        .scene
        .runs
        .iter()
        .find(|r| r.name == "Adam")
        .unwrap()
        .clone();
    assert!(!adam.visible);
}

// A domain with min > max is reported and the last valid one stays in use (no panic).
#[test]
fn reversed_domain_is_reported() {
    let mut state = State::default();
    state.scene.problem.domain.as_mut().unwrap().w_min = 5.0; // larger than w_max = 2
    let mut h = harness_with(state);
    settle(&mut h);
    h.get_by_label_contains("w_min (5) must be smaller than w_max (2)");
}

fn data_fit_state() -> State {
    let mut state = State::default();
    state.scene.problem = losscape::engine::scenario::ProblemSettings {
        data: Some(losscape::engine::scenario::DataFitSettings {
            dataset: losscape::engine::scenario::DataSource::Linear {
                examples: 30,
                noise: 0.5,
                seed: 1,
                slope: 2.0,
                intercept: 1.0,
            },
            ..Default::default()
        }),
        ..Default::default()
    };
    state
}

// A malformed CSV shows its line-numbered error and keeps the current dataset.
#[test]
fn bad_csv_keeps_current_dataset() {
    let mut h = harness_with(data_fit_state());
    settle(&mut h);
    assert_eq!(h.state().dataset_len(), 30);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "x,y\n1,2\n3,oops\n").unwrap();
    h.state_mut().open_csv(bad);
    settle(&mut h);
    let error = h.state().data_error().unwrap_or_default().to_owned();
    assert!(error.contains("line 3"), "error names the line: {error}");
    assert_eq!(h.state().dataset_len(), 30);
    assert!(matches!(
        dataset_source(&h),
        losscape::engine::scenario::DataSource::Linear { .. }
    ));
    h.get_by_label_contains("line 3");

    // A header-only file (0 rows) is refused the same way.
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "x,y\n").unwrap();
    h.state_mut().open_csv(empty);
    settle(&mut h);
    assert!(h.state().data_error().is_some());
    assert_eq!(h.state().dataset_len(), 30);

    // A good file replaces the dataset and becomes the source.
    let good = dir.path().join("good.csv");
    std::fs::write(&good, "x,y\n1,2\n2,4\n3,6\n").unwrap();
    h.state_mut().open_csv(good.clone());
    settle(&mut h);
    assert_eq!(h.state().data_error(), None);
    assert_eq!(h.state().dataset_len(), 3);
    assert_eq!(
        dataset_source(&h),
        losscape::engine::scenario::DataSource::Csv { path: good }
    );
}

/// Where the data fit on screen takes its examples from.
fn dataset_source(h: &Harness<'static, LosscapeApp>) -> losscape::engine::scenario::DataSource {
    let problem = &h.state().state().scene.problem;
    problem.data.as_ref().expect("a data fit").dataset.clone()
}

/// Replaces the text of the field labelled `label` by `text` (select all, then type).
fn retype(h: &mut Harness<'static, LosscapeApp>, label: &str, text: &str) {
    let field = h.get_by_role_and_label(Role::MultilineTextInput, label);
    field.set_text_value_accesskit(text);
    h.run();
    // Leave the field so keyboard shortcuts go to the app again.
    h.state_mut().wait_for_background();
    h.run();
}

fn grid_min(h: &Harness<'static, LosscapeApp>) -> f64 {
    h.state().surface_grid().expect("a surface is shown").min
}

// Typing a new formula recompiles it and the surface follows.
#[test]
fn typing_a_formula_updates_the_surface() {
    let mut h = harness();
    let version = h.state().objective_version();
    assert_eq!(grid_min(&h), h.state().surface_grid().unwrap().min);
    retype(&mut h, "J(w, b) =", "w^2 + b^2 + 5");
    assert!(h.state().objective_version() > version);
    assert_eq!(
        h.state().state().scene.problem.formula.as_deref(),
        Some("w^2 + b^2 + 5")
    );
    let min = grid_min(&h);
    assert!(
        (min - 5.0).abs() < 0.1,
        "the new bowl's minimum is 5, the grid shows {min}"
    );
}

// An invalid formula shows its message; the last valid surface stays on screen.
#[test]
fn invalid_formula_keeps_last_surface() {
    let mut h = harness();
    retype(&mut h, "J(w, b) =", "w^2 + b^2 + 5");
    let version = h.state().objective_version();
    retype(&mut h, "J(w, b) =", "w^2 + (b");
    let error = h
        .state()
        .problem_error()
        .expect("an error is shown")
        .clone();
    assert_eq!(
        h.state().objective_version(),
        version,
        "the objective was kept"
    );
    assert!((grid_min(&h) - 5.0).abs() < 0.1, "the surface was kept");
    let shown = error
        .compile
        .as_ref()
        .map_or(&error.message, |c| &c.message);
    h.get_by_label_contains(shown);
    // An empty formula is an error too, not a crash.
    retype(&mut h, "J(w, b) =", "");
    assert!(h.state().problem_error().is_some());
    assert_eq!(h.state().objective_version(), version);
}

// A free constant gets a labelled slider, and moving it changes the surface.
#[test]
fn constant_slider_appears_and_acts() {
    let mut h = harness();
    retype(&mut h, "J(w, b) =", "w^2 + b^2 + c");
    let slider = h.get_by_role_and_label(Role::Slider, "c");
    let version = h.state().objective_version();
    slider.set_value_accesskit(3.0);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    assert!(h.state().objective_version() > version);
    assert!(
        (grid_min(&h) - 3.0).abs() < 0.1,
        "min is c = 3, got {}",
        grid_min(&h)
    );
}

fn iteration(h: &Harness<'static, LosscapeApp>) -> usize {
    h.state().state().scene.playback.iteration
}

fn selected_settings(h: &Harness<'static, LosscapeApp>) -> losscape::engine::run::RunSettings {
    h.state()
        .state()
        .selected()
        .expect("a run is selected")
        .clone()
}

// Play advances the shared clock; the arrow keys step by exactly one.
#[test]
fn play_and_step() {
    let mut h = harness();
    assert_eq!(iteration(&h), 0);
    h.get_by_label("Play").click();
    h.run_steps(4);
    let played = iteration(&h);
    assert!(played > 0, "playing advanced the iteration");
    h.get_by_label("Pause").click();
    h.run_steps(2);
    let paused = iteration(&h);
    h.run_steps(3);
    assert_eq!(iteration(&h), paused, "paused stays put");
    h.key_press(egui::Key::ArrowRight);
    h.run();
    assert_eq!(iteration(&h), paused + 1);
    h.key_press(egui::Key::ArrowLeft);
    h.key_press(egui::Key::ArrowLeft);
    h.run();
    assert_eq!(iteration(&h), paused - 1);
    h.get_by_label("Step").click();
    h.run();
    assert_eq!(iteration(&h), paused);
    h.key_press(egui::Key::R);
    h.run();
    assert_eq!(iteration(&h), 0);
    h.key_press(egui::Key::Space);
    h.run_steps(3);
    assert!(h.state().state().scene.playback.playing || iteration(&h) > 0);
}

fn click_plot(h: &mut Harness<'static, LosscapeApp>, at: [f64; 2], modifiers: egui::Modifiers) {
    let pos = h
        .state()
        .contour_screen_position(at)
        .expect("the plot was drawn");
    h.event_modifiers(egui::Event::PointerMoved(pos), modifiers);
    h.run();
    let press = |pressed| egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers,
    };
    h.event_modifiers(press(true), modifiers);
    h.step();
    h.event_modifiers(press(false), modifiers);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
}

fn start_of(settings: &losscape::engine::run::RunSettings) -> [f64; 2] {
    match settings.init {
        losscape::engine::run::Initialization::Manual { w, b } => [w, b],
        other => panic!("expected a manual start, got {other:?}"),
    }
}

// A click on the contour plot moves the selected run's start; Shift+click moves all.
#[test]
fn click_sets_start_point() {
    let mut h = harness();
    click_plot(&mut h, [0.5, 2.0], egui::Modifiers::NONE);
    let start = start_of(&selected_settings(&h));
    assert!(
        (start[0] - 0.5).abs() < 0.05 && (start[1] - 2.0).abs() < 0.05,
        "start {start:?}"
    );
    let selected = h.state().state().selected_run.unwrap();
    let trace = h.state().trace(selected).unwrap();
    assert!(
        (trace.path[0].x - start[0]).abs() < 1e-12,
        "the run was re-simulated from there"
    );
    let others: Vec<[f64; 2]> = h
        .state()
        .state()
        .scene
        .runs
        .iter()
        .filter(|r| r.id != selected)
        .map(start_of)
        .collect();
    assert!(
        others.iter().all(|s| (s[0] - 0.5).abs() > 0.1),
        "other runs kept their start"
    );

    click_plot(&mut h, [-1.0, 0.0], egui::Modifiers::SHIFT);
    for run in &h.state().state().scene.runs {
        let s = start_of(run);
        assert!(
            (s[0] + 1.0).abs() < 0.05 && s[1].abs() < 0.05,
            "{} starts at {s:?}",
            run.name
        );
    }
}

// Changing the learning rate re-simulates that run at once, keeping the playback position.
#[test]
fn learning_rate_change_resimulates() {
    let mut h = harness();
    h.state_mut().state_mut().scene.playback.iteration = 30;
    h.run();
    let id = h.state().state().selected_run.unwrap();
    let before = h.state().trace(id).unwrap().path.clone();
    h.get_by_role_and_label(Role::Slider, "learning rate")
        .set_value_accesskit(0.0003);
    h.run();
    assert!((selected_settings(&h).learning_rate - 0.0003).abs() < 1e-9);
    let after = &h.state().trace(id).unwrap().path;
    assert_eq!(after[0], before[0], "same start");
    assert_ne!(after[5], before[5], "a different path");
    assert_eq!(iteration(&h), 30, "the playback position is kept");
}

// A learning rate far too large makes the run diverge, and the app says so.
#[test]
fn diverging_run_is_marked() {
    let mut h = harness();
    h.get_by_role_and_label(Role::Slider, "learning rate")
        .set_value_accesskit(10.0);
    h.run();
    let id = h.state().state().selected_run.unwrap();
    let outcome = h.state().trace(id).unwrap().outcome;
    assert!(
        matches!(outcome, losscape::ui::trace::Outcome::Diverged(_)),
        "{outcome:?}"
    );
    h.get_all_by_label_contains("diverged at")
        .next()
        .expect("the status says diverged");
    // Far beyond the slider: the exact field takes it, nothing panics.
    h.state_mut().state_mut().scene.runs[0].learning_rate = 1e6;
    h.run();
}

// Hostile input never panics: a formula undefined everywhere, a constant-only formula,
// huge numbers, a reversed domain while runs are drawn.
#[test]
fn hostile_inputs_do_not_panic() {
    let mut h = harness();
    retype(&mut h, "J(w, b) =", "ln(-1 - w^2 - b^2)");
    assert!(
        h.state().problem_error().is_none(),
        "it compiles; it is just undefined"
    );
    let grid = h.state().surface_grid().expect("a surface");
    assert_eq!(
        grid.undefined_count,
        grid.n_w * grid.n_b,
        "undefined everywhere"
    );
    h.get_by_label("Play").click();
    h.run_steps(3);
    retype(&mut h, "J(w, b) =", "7");
    retype(&mut h, "J(w, b) =", "1e308 * w^9 * exp(b^4)");
    h.state_mut()
        .state_mut()
        .scene
        .problem
        .domain
        .as_mut()
        .unwrap()
        .b_min = 1e300;
    h.run_steps(3);
    h.state_mut().state_mut().scene.problem.domain =
        Some(losscape::engine::Domain::new(f64::NAN, 1.0, 0.0, 1.0));
    h.run_steps(3);
    h.get_by_label_contains("must be a finite number");
    // Valid but absurd: a span that overflows, and one far below a pixel.
    h.state_mut().state_mut().scene.problem.domain =
        Some(losscape::engine::Domain::new(-1e308, 1e308, -1.0, 1.0));
    h.run_steps(3);
    h.state_mut().wait_for_background();
    h.run_steps(3);
    h.state_mut().state_mut().scene.problem.domain =
        Some(losscape::engine::Domain::new(0.0, 1e-300, 0.0, 1e-300));
    h.run_steps(3);
    h.state_mut().wait_for_background();
    h.run_steps(3);
}

// Space after clicking Play pauses once: the focused button does not also take the key.
#[test]
fn space_after_clicking_play_pauses() {
    let mut h = harness();
    h.get_by_label("Play").click();
    h.run_steps(2);
    assert!(h.state().state().scene.playback.playing);
    h.key_press(egui::Key::Space);
    h.run_steps(2);
    assert!(!h.state().state().scene.playback.playing);
}

// Heavy runs (many examples) are simulated in the background and then shown.
#[test]
fn large_dataset_runs_in_background() {
    let mut state = data_fit_state();
    state.scene.problem.data.as_mut().unwrap().dataset =
        losscape::engine::scenario::DataSource::Linear {
            slope: 2.0,
            intercept: 1.0,
            examples: 5000,
            noise: 0.5,
            seed: 3,
        };
    for run in &mut state.scene.runs {
        run.batch_size = Some(8);
        run.max_iterations = 3000;
    }
    let mut h = harness_with(state);
    settle(&mut h);
    assert!(!h.state().is_busy());
    for run in &h.state().state().scene.runs {
        let trace = h.state().trace(run.id).unwrap();
        assert!(
            trace.outcome.stopped_at().is_some(),
            "{} finished",
            run.name
        );
        assert!(trace.path.len() > 1);
        assert!(
            trace.epoch[trace.epoch.len() - 1] > 1.0,
            "several epochs of 625 mini-batches"
        );
    }
}

// Choosing a preset fills the formula and its domain; editing the text makes it custom.
#[test]
fn choosing_a_preset() {
    let mut h = harness();
    h.get_by_role_and_label(Role::ComboBox, "preset").click();
    h.run();
    h.get_by_label("Himmelblau").click();
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    let problem = &h.state().state().scene.problem;
    let himmelblau = losscape::engine::objective::preset("himmelblau").unwrap();
    assert_eq!(problem.formula.as_deref(), Some(himmelblau.formula));
    assert_eq!(problem.domain, himmelblau.domain);
    h.get_by_label_contains(himmelblau.description);
    retype(&mut h, "J(w, b) =", "w^2 + b^2");
    assert!(
        h.query_by_label_contains(himmelblau.description).is_none(),
        "edited: custom"
    );
}

// The learning curve's x axis counts epochs or examples seen for data problems only.
#[test]
fn curve_axis_choices() {
    use losscape::engine::scenario::CurveAxis;
    let mut h = harness();
    h.get_by_label("epochs").click();
    h.run();
    assert_eq!(
        h.state().state().scene.view.curve_axis,
        CurveAxis::Iterations,
        "no epochs without data"
    );
    let mut h = harness_with(data_fit_state());
    settle(&mut h);
    h.get_by_label("examples seen").click();
    h.run();
    assert_eq!(
        h.state().state().scene.view.curve_axis,
        CurveAxis::ExamplesSeen
    );
    h.get_by_label("log scale").click();
    h.run();
    assert!(!h.state().state().scene.view.log_cost);
}

// Files the session remembers are absolute, so started from another folder the app finds
// the same ones (and Ctrl+S cannot hit an unrelated file with the same relative name); a
// remembered dataset that is gone is reported and stays the source, never replaced quietly.
#[test]
fn remembered_paths_are_absolute_and_a_missing_file_is_reported() {
    let root = tempfile::Builder::new()
        .prefix(".ui-paths")
        .tempdir_in(".")
        .unwrap();
    let relative = std::path::Path::new(root.path().file_name().unwrap()).to_path_buf();
    std::fs::write(
        relative.join("s.toml"),
        "version = 1\n[problem]\npreset = \"bowl\"\n[[runs]]\nname = \"A\"\nlearning_rate = 0.1\n",
    )
    .unwrap();
    std::fs::write(relative.join("pts.csv"), "x,y\n1,2\n2,4\n3,6\n").unwrap();
    let mut h = harness();
    h.state_mut().open_scenario_file(relative.join("s.toml"));
    settle(&mut h);
    let absolute = std::path::absolute(relative.join("s.toml")).unwrap();
    assert_eq!(
        h.state().state().scenario_file.as_deref(),
        Some(absolute.as_path())
    );
    assert_eq!(h.state().state().recent_files.first(), Some(&absolute));
    h.state_mut().open_csv(relative.join("pts.csv"));
    settle(&mut h);
    let source = &h
        .state()
        .state()
        .scene
        .problem
        .data
        .as_ref()
        .unwrap()
        .dataset;
    assert_eq!(
        source,
        &losscape::engine::scenario::DataSource::Csv {
            path: std::path::absolute(relative.join("pts.csv")).unwrap()
        }
    );

    let mut state = data_fit_state();
    let gone = root.path().join("gone.csv");
    state.scene.problem.data.as_mut().unwrap().dataset =
        losscape::engine::scenario::DataSource::Csv { path: gone.clone() };
    let mut h = harness_with(state);
    settle(&mut h);
    let error = h.state().data_error().unwrap_or_default().to_owned();
    assert!(
        error.contains("gone.csv") && error.contains("does not exist"),
        "{error}"
    );
    assert_eq!(
        dataset_source(&h),
        losscape::engine::scenario::DataSource::Csv { path: gone }
    );
    h.get_by_label_contains("does not exist");
}

// Typing at a normal pace at the end of a preset's formula keeps every keystroke: the
// preset turning "custom" (its description gone, the layout above moving) must not take
// the keyboard away from the field.
#[test]
fn typing_after_a_preset_keeps_every_keystroke() {
    let mut h = harness();
    caret_at_the_end_of_the_formula(&mut h);
    for c in " + w^2".chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.run();
    }
    h.state_mut().wait_for_background();
    h.run();
    assert_eq!(
        h.state().state().scene.problem.formula.as_deref(),
        Some("(1 - w)^2 + 100*(b - w^2)^2 + w^2")
    );
}

/// Clicks into the formula field and puts the caret after its last character.
fn caret_at_the_end_of_the_formula(h: &mut Harness<'static, LosscapeApp>) {
    h.get_by_role_and_label(Role::MultilineTextInput, "J(w, b) =")
        .click();
    h.run();
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::End);
    h.run();
}

// A domain field shows its value rounded and keeps the exact value: clicking into it and
// leaving it untouched changes nothing.
#[test]
fn domain_fields_round_what_they_show_and_keep_the_value() {
    let mut h = harness();
    let exact = -2.008_047_5;
    if let Some(domain) = &mut h.state_mut().state_mut().scene.problem.domain {
        domain.w_min = exact;
    }
    h.run();
    let shown = |h: &Harness<'static, LosscapeApp>| {
        let node = h.get_by_label("w from");
        node.accesskit_node()
            .value()
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    assert_eq!(shown(&h), "-2.01");
    // Into the field (it shows every digit while typing) and out again.
    h.get_by_label("w from").click();
    h.run();
    assert_eq!(shown(&h), exact.to_string());
    h.key_press(egui::Key::Enter);
    h.run();
    let domain = h.state().state().scene.problem.domain.unwrap();
    assert_eq!(domain.w_min, exact);
    assert_eq!(shown(&h), "-2.01");
}

// A formula compiles after a pause in typing, not on every keystroke (half-typed text such
// as "... + w^" never reaches the views), and at once on Enter, which keeps the line whole.
#[test]
fn formula_compiles_after_a_pause_or_on_enter() {
    let mut h = harness();
    let version = h.state().objective_version();
    caret_at_the_end_of_the_formula(&mut h);
    // Typing at a human pace: a keystroke every quarter second (one harness step).
    for c in " + w^2".chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.step();
        assert_eq!(
            h.state().objective_version(),
            version,
            "no compile while typing ('{c}')"
        );
    }
    // A pause compiles the whole formula once.
    for _ in 0..4 {
        h.step();
    }
    assert_eq!(h.state().objective_version(), version + 1);
    assert!(h.state().problem_error().is_none());
    // Enter compiles at once and adds no line break.
    for c in " + b".chars() {
        h.event(egui::Event::Text(c.to_string()));
        h.step();
    }
    h.key_press(egui::Key::Enter);
    h.step();
    h.step();
    assert_eq!(h.state().objective_version(), version + 2);
    assert_eq!(
        h.state().state().scene.problem.formula.as_deref(),
        Some("(1 - w)^2 + 100*(b - w^2)^2 + w^2 + b")
    );
}

// Switching to a costly data fit never shows the previous problem's surface or runs: in the
// very frame the problem changes the Rosenbrock surface and every run's path are gone; then
// a coarse preview of the new surface comes, labelled, with the progress in words.
#[test]
fn a_new_problem_never_shows_the_old_surface_or_paths() {
    use losscape::engine::scenario::{DataFitSettings, DataSource, ProblemSettings};
    let mut h = harness();
    let old = h.state().objective_version();
    assert_eq!(h.state().surface_objective_version(), Some(old));
    let ids: Vec<u64> = h.state().state().scene.runs.iter().map(|r| r.id).collect();
    assert!(
        ids.iter()
            .all(|&id| !h.state().trace(id).unwrap().path.is_empty())
    );
    h.state_mut().state_mut().scene.problem = ProblemSettings {
        data: Some(DataFitSettings {
            model: "sigmoid(w*x + b)".into(),
            loss: "logloss".into(),
            regularization: None,
            dataset: DataSource::Classes {
                examples: 5_000,
                noise: 0.8,
                seed: 3,
            },
        }),
        ..Default::default()
    };
    h.step();
    let new = h.state().objective_version();
    assert_ne!(new, old, "the data fit was built");
    let shown = h.state().surface_objective_version();
    assert!(
        shown.is_none_or(|v| v == new),
        "the surface shown belongs to problem {shown:?}, not to the new problem {new}"
    );
    for &id in &ids {
        let path = &h.state().trace(id).unwrap().path;
        assert!(
            path.is_empty(),
            "run {id} still shows {} points of the old problem",
            path.len()
        );
    }
    // The preview arrives (without waiting for the fine surface), labelled as such.
    let start = std::time::Instant::now();
    while h.state().surface_grid().is_none() && start.elapsed().as_secs() < 120 {
        std::thread::sleep(std::time::Duration::from_millis(20));
        h.step();
    }
    let grid = h
        .state()
        .surface_grid()
        .expect("a preview within two minutes");
    assert_eq!((grid.n_w, grid.n_b), (32, 32), "the preview is coarse");
    assert_eq!(h.state().surface_objective_version(), Some(new));
    h.step();
    h.get_by_label_contains("preview 32x32, surface ");
}

// b's own learning rate (a map's lr_b axis or a file sets it) is shown and edited in the run
// editor: the checkbox gives b the current rate, unchecking it goes back to one group.
#[test]
fn b_has_its_own_learning_rate() {
    // A tall window, so the run editor is in sight without scrolling the side panel.
    let ctx = egui::Context::default();
    let app = LosscapeApp::new(&ctx, State::default());
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 2000.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    settle(&mut h);
    // The default scene edits its first run, GD.
    assert_eq!(
        h.state().state().selected_run,
        Some(h.state().state().scene.runs[0].id)
    );
    assert_eq!(h.state().state().scene.runs[0].learning_rate_b, None);
    h.get_by_label("b has its own learning rate").click();
    h.run();
    let run = &h.state().state().scene.runs[0];
    assert_eq!(run.learning_rate_b, Some(run.learning_rate));
    h.get_by_label("learning rate of b");
    h.get_by_label("b has its own learning rate").click();
    h.run();
    assert_eq!(h.state().state().scene.runs[0].learning_rate_b, None);
}
