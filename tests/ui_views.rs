//! Interaction tests of the part-2 views through egui_kittest (no GPU): view modes, the
//! slices following the scrubber, the data view, the step inspector and the CSV export.
#![allow(clippy::unwrap_used)]

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use egui_plot::PlotPoint;
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::scenario::{DataFitSettings, ProblemSettings, Scenario, ViewMode};
use losscape::ui::LosscapeApp;
use losscape::ui::export::PathChooser;
use losscape::ui::number::readout as readout_of;
use losscape::ui::state::State;
use losscape::ui::views::inspector::{StepExplanation, explain_step};
use losscape::ui::views::learning_curve;
use losscape::ui::views::slices::{self, SliceAxis};

fn harness_with(state: State) -> Harness<'static, LosscapeApp> {
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

/// Every label's text, for searching.
fn labels(h: &Harness<'static, LosscapeApp>) -> Vec<String> {
    h.query_all_by_role(Role::Label)
        .filter_map(|n| {
            n.accesskit_node()
                .label()
                .or_else(|| n.accesskit_node().value())
        })
        .collect()
}

fn label_starting(h: &Harness<'static, LosscapeApp>, prefix: &str) -> Option<String> {
    labels(h).into_iter().find(|l| l.starts_with(prefix))
}

// The view buttons switch the center between contour, 3D and both; the details panel stays
// as it was.
#[test]
fn switching_views() {
    let mut h = harness_with(State::default());
    assert_eq!(h.state().state().scene.view.mode, ViewMode::Contour);
    assert!(
        label_starting(&h, "Selected run").is_some(),
        "details panel open"
    );
    h.get_by_label("3D").click();
    h.run();
    assert_eq!(h.state().state().scene.view.mode, ViewMode::Surface3d);
    h.get_by_role_and_label(Role::CheckBox, "log height");
    h.get_by_label("Both").click();
    h.run();
    assert_eq!(h.state().state().scene.view.mode, ViewMode::Both);
    assert!(
        label_starting(&h, "Selected run").is_some(),
        "details stay open with two views"
    );
    // Both views are drawn: the contour's title and the 3D view's controls (in a menu
    // when the view is narrow).
    h.get_by_label("Cost J(w, b)");
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "wireframe")
            .is_some()
            || h.query_by_label("3D options").is_some()
    );
    h.get_by_label("Contour").click();
    h.run();
    assert_eq!(h.state().state().scene.view.mode, ViewMode::Contour);
    assert!(
        h.query_by_role_and_label(Role::CheckBox, "wireframe")
            .is_none()
    );
}

// The slice readouts follow the playback position: at each iteration they show the
// engine's partial derivatives at the selected run's point.
#[test]
fn slices_follow_the_scrubber() {
    let mut h = harness_with(State::default());
    let id = h.state().state().selected_run.unwrap();
    let mut seen = Vec::new();
    for iteration in [0usize, 40, 400] {
        h.state_mut().state_mut().scene.playback.iteration = iteration;
        h.run();
        let run = h.state().run(id).expect("simulated");
        let index = iteration.min(run.history().len() - 1);
        let g = run
            .objective()
            .value_gradient(run.history().params()[index])
            .1;
        let w_label = label_starting(&h, "dJ/dw = ").expect("w slice readout");
        let b_label = label_starting(&h, "dJ/db = ").expect("b slice readout");
        let expected_w = format!(
            "dJ/dw = {} (slope)",
            losscape::ui::view3d::ticks::format_number(g[0])
        );
        let expected_b = format!(
            "dJ/db = {} (slope)",
            losscape::ui::view3d::ticks::format_number(g[1])
        );
        assert_eq!(w_label, expected_w, "iteration {iteration}");
        assert_eq!(b_label, expected_b, "iteration {iteration}");
        seen.push(w_label);
    }
    seen.dedup();
    assert_eq!(
        seen.len(),
        3,
        "the readout changed with the scrubber: {seen:?}"
    );
}

// The slices' vertical range follows the problem: after the formula changes from
// Rosenbrock (J up to about 2500 on its domain) to a shallow bowl (J below 1.3), the plots
// are scaled to the bowl instead of keeping the first problem's range, where the new
// curve would lie flat along the bottom.
#[test]
fn slices_rescale_when_the_formula_changes() {
    let mut h = harness_with(State::default());
    let y_range = |h: &Harness<'static, LosscapeApp>, axis: SliceAxis| {
        let memory = egui_plot::PlotMemory::load(&h.ctx, slices::plot_id(axis)).unwrap();
        let bounds = memory.bounds();
        (bounds.min()[1], bounds.max()[1])
    };
    let (_, rosenbrock_top) = y_range(&h, SliceAxis::W);
    assert!(
        rosenbrock_top > 100.0,
        "Rosenbrock's slice reaches {rosenbrock_top}"
    );
    h.state_mut().state_mut().scene.problem.preset = None;
    h.state_mut().state_mut().scene.problem.formula = Some("0.1*(w^2 + b^2)".to_owned());
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    for axis in [SliceAxis::W, SliceAxis::B] {
        let (bottom, top) = y_range(&h, axis);
        assert!(
            top < 2.0 && bottom > -1.0,
            "the {} slice shows J from {bottom} to {top}",
            axis.name()
        );
    }
}

// Where J is undefined its slopes are too: the slice headers say so in words, not "NaN",
// and never a number (sqrt(w - 5) left of w = 5 has no slope along b either, though its
// forward-mode b part is a finite 6).
#[test]
fn slices_say_undefined_where_j_is() {
    let mut state = State::default();
    state.scene.problem.preset = None;
    state.scene.problem.formula = Some("w^2 + 3*b^2 + sqrt(w - 5)".to_owned());
    let h = harness_with(state);
    assert_eq!(
        label_starting(&h, "dJ/dw").as_deref(),
        Some("dJ/dw undefined (J is undefined here)")
    );
    assert_eq!(
        label_starting(&h, "dJ/db").as_deref(),
        Some("dJ/db undefined (J is undefined here)")
    );
}

// A data-fit problem shows the data view with its examples and the model.
#[test]
fn data_view_shows_the_data() {
    let mut state = State::default();
    state.scene.problem = ProblemSettings {
        data: Some(DataFitSettings::default()),
        ..ProblemSettings::default()
    };
    let mut h = harness_with(state);
    h.run();
    h.get_by_label("Data and model");
    h.get_by_role_and_label(Role::CheckBox, "residuals").click();
    h.run();
    assert!(
        labels(&h).iter().any(|l| l.ends_with(" examples")),
        "{:?}",
        labels(&h)
    );
}

// With mini-batches the data view names the batch of the update leaving the current point,
// and that batch is the one the engine used.
#[test]
fn data_view_shows_the_batch() {
    let mut state = State::default();
    state.scene.problem = ProblemSettings {
        data: Some(DataFitSettings::default()),
        ..ProblemSettings::default()
    };
    for run in &mut state.scene.runs {
        run.batch_size = Some(8);
    }
    let selected = state.scene.runs.first().map(|r| r.id).expect("a run");
    state.selected_run = Some(selected);
    state.scene.playback.iteration = 3;
    let mut h = harness_with(state);
    h.run();
    let run = h.state().run(selected).expect("simulated");
    let m = run.example_count();
    assert!(
        m > 8,
        "the data-fit scene has more than one batch of examples"
    );
    let batch = run.batch_examples(4).expect("update 4 is recorded");
    assert_eq!(batch.len(), 8);
    let shown = labels(&h);
    let expected = format!("mini-batch: 8 of {m} examples");
    assert!(shown.contains(&expected), "{shown:?}");
}

// The inspector writes out an Adam update whose numbers are the engine's.
#[test]
fn inspector_shows_an_adam_step() {
    let mut h = harness_with(State::default());
    let adam = h
        .state()
        .state()
        .scene
        .runs
        .iter()
        .find(|r| r.optimizer.kind() == OptimizerKind::Adam)
        .map(|r| r.id)
        .expect("the default scene has an Adam run");
    h.state_mut().state_mut().selected_run = Some(adam);
    h.state_mut().state_mut().scene.playback.iteration = 5;
    h.run();
    let run = h.state().run(adam).expect("simulated");
    assert!(matches!(
        run.settings().optimizer,
        OptimizerSettings::Adam { .. }
    ));
    let detail = run.step_detail(6).expect("update 6");
    let e = explain_step(
        &detail,
        &run.settings().optimizer,
        run.state_at(5).as_ref(),
        0,
    );
    let shown = labels(&h);
    for line in [
        StepExplanation::update_line(&e.updates[0]),
        StepExplanation::update_line(&e.updates[1]),
    ] {
        assert!(shown.contains(&line), "missing {line:?} in {shown:#?}");
    }
    // The change of J the update makes, from the run's recorded costs.
    let costs = run.history().costs();
    let cost_line = format!(
        "J: {} -> {}",
        losscape::ui::views::inspector::num(costs[5]),
        losscape::ui::views::inspector::num(costs[6])
    );
    assert!(shown.contains(&cost_line), "missing {cost_line:?}");
    assert!(shown.iter().any(|l| l.starts_with("Update 6 · Adam")));
    assert!(shown.iter().any(|l| l.starts_with("bias-corrected m_hat")));
    assert!(
        shown
            .iter()
            .any(|l| l.starts_with("effective learning rate"))
    );
    h.get_by_label("Copy").click();
    h.run();
}

// "Export > CSV of all runs" writes a CSV with a header and every run's rows.
#[test]
fn export_writes_a_valid_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = harness_with(State::default());
    h.state_mut().exporter_mut().chooser = PathChooser::Folder(dir.path().to_path_buf());
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("CSV of all runs…").click();
    h.run();
    let path = dir.path().join("losscape-runs.csv");
    let text = std::fs::read_to_string(&path).expect("the CSV was written");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "run",
            "iteration",
            "epoch",
            "w",
            "b",
            "cost",
            "grad_w",
            "grad_b",
            "lr"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let app = h.state();
    let expected: usize = app
        .state()
        .scene
        .runs
        .iter()
        .map(|r| app.run(r.id).unwrap().history().len())
        .sum();
    assert_eq!(rows.len(), expected);
    for name in ["GD", "Momentum", "Adam"] {
        assert!(rows.iter().any(|r| &r[0] == name), "rows of {name}");
    }
    assert!(
        labels(&h).iter().any(|l| l.starts_with("Saved ")),
        "success is reported"
    );
}

fn retype(h: &mut Harness<'static, LosscapeApp>, label: &str, text: &str) {
    h.get_by_role_and_label(Role::MultilineTextInput, label)
        .set_text_value_accesskit(text);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
}

// Hostile problems never panic the 3D view, the slices, the inspector or the data view:
// undefined everywhere, constant, exploding values, absurd domains, in both view modes.
#[test]
fn hostile_inputs_do_not_panic_the_views() {
    for mode in [ViewMode::Surface3d, ViewMode::Both] {
        let mut state = State::default();
        state.scene.view.mode = mode;
        let mut h = harness_with(state);
        // Keep the details panel open in the split view too.
        if mode == ViewMode::Both {
            h.get_by_label("Details").click();
            h.run();
        }
        for formula in [
            "ln(-1 - w^2 - b^2)",
            "7",
            "1e308 * w^9 * exp(b^4)",
            "w^2 + b^2",
        ] {
            retype(&mut h, "J(w, b) =", formula);
            h.run_steps(2);
        }
        for domain in [
            losscape::engine::Domain::new(-1e308, 1e308, -1.0, 1.0),
            losscape::engine::Domain::new(0.0, 1e-300, 0.0, 1e-300),
            losscape::engine::Domain::new(1.0, -1.0, 0.0, 1.0),
        ] {
            h.state_mut().state_mut().scene.problem.domain = Some(domain);
            h.run_steps(2);
            h.state_mut().wait_for_background();
            h.run_steps(2);
        }
        // A run that diverges: a huge learning rate on a steep bowl.
        h.state_mut().state_mut().scene.problem.domain =
            Some(losscape::engine::Domain::new(-2.0, 2.0, -2.0, 2.0));
        retype(&mut h, "J(w, b) =", "50*w^2 + b^4");
        for run in &mut h.state_mut().state_mut().scene.runs {
            run.learning_rate = 10.0;
        }
        h.state_mut().state_mut().scene.playback.iteration = 50;
        h.run_steps(3);
        h.state_mut().wait_for_background();
        h.run_steps(3);
    }
    // The data view with an empty-ish model and huge predictions.
    let mut state = State::default();
    state.scene.problem = ProblemSettings {
        data: Some(DataFitSettings::default()),
        ..ProblemSettings::default()
    };
    state.scene.problem.data.as_mut().unwrap().model = "exp(1000*w*x) + b".to_owned();
    let mut h = harness_with(state);
    h.get_by_role_and_label(Role::CheckBox, "residuals").click();
    h.run_steps(3);
}

// The runs panel lists each run's J, |grad J|, w and b at the playback position, and a
// status that has not happened yet reads in the future tense.
#[test]
fn run_list_shows_numbers_at_the_playhead() {
    let mut h = harness_with(State::default());
    h.state_mut().state_mut().scene.playback.iteration = 3;
    h.run();
    let shown = labels(&h);
    assert!(shown.contains(&"At iteration 3".to_owned()), "{shown:#?}");
    let first = h.state().state().scene.runs[0].clone();
    let trace = h.state().trace(first.id).expect("simulated");
    let short = losscape::ui::view3d::ticks::format_number;
    let g = trace.gradient[3];
    for value in [
        trace.cost[3],
        g[0].hypot(g[1]),
        trace.path[3].x,
        trace.path[3].y,
    ] {
        assert!(shown.contains(&short(value)), "missing {}", short(value));
    }
    let stop = trace.outcome.stopped_at().expect("the run stops");
    assert!(stop > 3);
    assert!(
        shown
            .iter()
            .any(|l| l.ends_with(&format!("es at {stop}")) || l.starts_with("reaches the limit")),
        "future tense before the end: {shown:#?}"
    );
    h.state_mut().state_mut().scene.playback.iteration = stop;
    h.run();
    let shown = labels(&h);
    assert!(
        shown
            .iter()
            .any(|l| l.ends_with(&format!("ed at {stop}")) || l.starts_with("reached the limit")),
        "past tense at the end: {shown:#?}"
    );
}

// A start where J is undefined says so, with the start, instead of "diverged at 0".
#[test]
fn an_undefined_start_says_so() {
    use losscape::engine::run::Initialization;
    let mut h = harness_with(State::default());
    {
        let scene = &mut h.state_mut().state_mut().scene;
        scene.problem = ProblemSettings {
            preset: None,
            formula: Some("ln(w) + b^2".to_owned()),
            ..ProblemSettings::default()
        };
        scene.runs.truncate(1);
        scene.runs[0].init = Initialization::Manual { w: -1.0, b: 0.0 };
    }
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    let shown = labels(&h);
    assert!(
        shown.contains(&"J is undefined at the start (w = -1, b = 0)".to_owned()),
        "{shown:#?}"
    );
    assert!(!shown.iter().any(|l| l.contains("diverged at 0")));
}

// Prediction mode keeps the future for the class to guess: before the playhead reaches a
// run's end its status is "running", and the minima are hidden until "Show minima".
#[test]
fn prediction_mode_hides_what_has_not_happened() {
    let mut h = harness_with(State::default());
    h.state_mut().state_mut().scene.view.prediction = true;
    h.run();
    let first = h.state().state().scene.runs[0].id;
    let stop = h
        .state()
        .trace(first)
        .and_then(|t| t.outcome.stopped_at())
        .expect("the run stops");
    let shown = labels(&h);
    assert!(
        !shown
            .iter()
            .any(|l| l.contains(&format!(" at {stop}")) || l.contains("limit (")),
        "no outcome before the playhead: {shown:#?}"
    );
    assert!(shown.iter().any(|l| l == "running"));
    let minima = |h: &Harness<'static, LosscapeApp>| {
        h.state()
            .shown_known_points()
            .iter()
            .filter(|p| p.kind.is_minimum())
            .count()
    };
    assert_eq!(minima(&h), 0, "the minimum is hidden");
    h.get_by_label("Show minima").click();
    h.run();
    assert!(h.state().state().scene.view.reveal_minima);
    assert_eq!(minima(&h), 1, "Rosenbrock's minimum is shown");
    h.state_mut().state_mut().scene.playback.iteration = stop;
    h.run();
    let shown = labels(&h);
    assert!(
        shown
            .iter()
            .any(|l| l.ends_with(&format!("ed at {stop}")) || l.starts_with("reached the limit")),
        "the outcome shows once the playhead is there: {shown:#?}"
    );
}

/// The learning curve's plot state (bounds, screen transform) from egui_plot's memory.
fn curve_plot(h: &Harness<'static, LosscapeApp>) -> egui_plot::PlotTransform {
    egui_plot::PlotMemory::load(&h.ctx, learning_curve::plot_id())
        .expect("the learning curve was drawn")
        .transform()
}

/// The full-data costs a run recorded, by run name.
fn costs(h: &Harness<'static, LosscapeApp>, name: &str) -> Vec<f64> {
    let state = h.state().state();
    let id = state.scene.runs.iter().find(|r| r.name == name).unwrap().id;
    h.state()
        .run(id)
        .expect("simulated")
        .history()
        .costs()
        .to_vec()
}

/// Lesson 4 on screen, simulated: "Too small", "About right" and "Too large" (diverges).
fn lesson_4() -> Harness<'static, LosscapeApp> {
    let mut h = harness_with(State::default());
    h.state_mut().open_lesson(3);
    h.run();
    h.state_mut().wait_for_background();
    // Played to the end: the lesson opens in prediction mode, which draws only what the
    // playhead has passed.
    let last = h.state().last_iteration();
    h.state_mut().state_mut().scene.playback.iteration = last;
    h.run_steps(3);
    h
}

/// Hovers `off` points away from `p` (plot coordinates), and returns the curve's readout.
fn hover_curve(
    h: &mut Harness<'static, LosscapeApp>,
    p: PlotPoint,
    off: egui::Vec2,
) -> Option<String> {
    let at = curve_plot(h).position_from_point(&p) + off;
    h.hover_at(at);
    h.run_steps(2);
    labels(h).into_iter().find(|l| l.contains("\niteration "))
}

// The curve's y range is set by the runs that did not diverge (lesson 4's "Too large"
// reaches J = 4e16): on both scales it stays within a small factor of their costs, and the
// diverged run says where it blew up.
#[test]
fn a_diverged_run_does_not_flatten_the_others() {
    let mut h = lesson_4();
    let settled = [costs(&h, "Too small"), costs(&h, "About right")].concat();
    let highest = settled.iter().copied().fold(f64::MIN, f64::max);
    let lowest = settled.iter().copied().fold(f64::MAX, f64::min);
    assert!(
        costs(&h, "Too large").iter().any(|&j| j > 1e15),
        "the lesson's run blows up"
    );
    // The lesson's log scale shows J - J_min (the known minimum). The settled runs' range,
    // from their lowest to their highest distance to J_min, fills at least half the height.
    assert!(h.state().state().scene.view.log_cost);
    let id = h.state().state().selected_run.unwrap();
    let j_min = h
        .state()
        .run(id)
        .unwrap()
        .objective()
        .known_points()
        .iter()
        .find(|p| p.kind == losscape::engine::PointKind::GlobalMinimum)
        .expect("a linear fit knows its minimum")
        .value;
    let gaps = settled.iter().map(|j| j - j_min).filter(|&g| g > 1e-12);
    let lowest_gap = gaps.clone().fold(f64::MAX, f64::min).log10();
    let highest_gap = gaps.fold(f64::MIN, f64::max).log10();
    let bounds = *curve_plot(&h).bounds();
    let (bottom, top) = (bounds.min()[1], bounds.max()[1]);
    assert!(bottom <= lowest_gap && top >= highest_gap, "{bounds:?}");
    assert!(
        (highest_gap - lowest_gap) / (top - bottom) >= 0.5,
        "log10(J - J_min) of the settled runs from {lowest_gap} to {highest_gap} in {bounds:?}"
    );
    // J_min is named (in the header, or in the plot when the header is full).
    assert!(label_starting(&h, "J_min = 0.0563").is_some());
    let diverged = label_starting(&h, "diverged at iteration 72, J = ");
    assert!(diverged.is_some(), "labels: {:?}", labels(&h));

    // Linear: the settled runs fill at least half the height too.
    h.state_mut().state_mut().scene.view.log_cost = false;
    h.run_steps(3);
    let bounds = *curve_plot(&h).bounds();
    let (bottom, top) = (bounds.min()[1], bounds.max()[1]);
    assert!(bottom <= lowest && top >= highest, "{bounds:?}");
    assert!(
        (highest - lowest) / (top - bottom) >= 0.5,
        "J of the settled runs from {lowest} to {highest} in {bounds:?}"
    );
    assert!(label_starting(&h, "diverged at iteration 72, J = ").is_some());
}

// Hovering the curve snaps to the nearest run's point and reads that point: run, iteration
// and J, never the cursor's raw position.
#[test]
fn hovering_the_curve_reads_the_nearest_point() {
    let mut h = lesson_4();
    h.state_mut().state_mut().scene.view.log_cost = false;
    h.run_steps(3);
    let j = costs(&h, "Too small")[43];
    let readout = hover_curve(&mut h, PlotPoint::new(43.0, j), egui::vec2(3.0, -2.0));
    assert_eq!(
        readout.as_deref(),
        Some(format!("Too small\niteration 43\nJ = {}", readout_of(j)).as_str())
    );
}

// A problem whose cost goes below zero (sin(w)cos(b) + 0.1(w² + b²), minimum about -0.79)
// on the log scale: the curve shows J - J_min with J_min the lowest J seen and draws
// every run; hovering one reads its J.
#[test]
fn negative_costs_are_drawn_on_the_log_scale() {
    let text = include_str!("fixtures/below_zero.toml");
    let mut state = State {
        scene: Scenario::from_toml(text, None).unwrap(),
        ..State::default()
    };
    state.number_runs();
    let mut h = harness_with(state);
    h.run_steps(3);
    let slow = costs(&h, "Slow");
    let j_min = [slow.clone(), costs(&h, "Fast")]
        .concat()
        .into_iter()
        .fold(f64::MAX, f64::min);
    assert!(j_min < -0.7, "the runs go below zero: {j_min}");
    let header = label_starting(&h, "J_min = ").expect("J_min is named");
    // Not asked for, but there is no other way to draw J <= 0 on a log scale.
    assert!(!h.state().state().scene.view.log_minus_min);
    assert!(
        h.get_by_role_and_label(Role::CheckBox, "J − J_min")
            .accesskit_node()
            .is_disabled()
    );
    assert!(
        header.starts_with(&format!("J_min = {}", readout_of(j_min))),
        "{header}"
    );
    // "Slow" at iteration 20 is below zero, and drawn at log10(J - J_min).
    let j = slow[20];
    assert!(j < 0.0);
    // Points are 4 apart on screen here: hover 1 point to the right of this one.
    let at = PlotPoint::new(20.0, (j - j_min).log10());
    let readout = hover_curve(&mut h, at, egui::vec2(1.0, 0.0));
    assert_eq!(
        readout.as_deref(),
        Some(
            format!(
                "Slow\niteration 20\nJ = {}\nJ − J_min = {}",
                readout_of(j),
                readout_of(j - j_min)
            )
            .as_str()
        )
    );
}

// The "J − J_min" box turns the log scale's distance to the minimum on and off (lesson 5
// reads plain J: stopping is judged without knowing the minimum).
#[test]
fn the_j_min_box_switches_the_log_scale() {
    let mut h = harness_with(State::default());
    h.state_mut().open_lesson(4);
    h.run();
    h.state_mut().wait_for_background();
    h.run_steps(3);
    assert!(h.state().state().scene.view.log_cost);
    assert!(!h.state().state().scene.view.log_minus_min);
    assert!(label_starting(&h, "J_min = ").is_none(), "plain J");
    h.get_by_role_and_label(Role::CheckBox, "J − J_min").click();
    h.run_steps(3);
    assert!(h.state().state().scene.view.log_minus_min);
    assert!(label_starting(&h, "J_min = 0.0563").is_some());
    // Off the log scale the box has nothing to do.
    h.get_by_label("log scale").click();
    h.run_steps(2);
    assert!(
        h.get_by_role_and_label(Role::CheckBox, "J − J_min")
            .accesskit_node()
            .is_disabled()
    );
    assert!(label_starting(&h, "J_min = ").is_none());
}

/// The app showing the scene of a scenario file's text, background work done.
fn scene_harness(toml: &str, presenter: bool) -> Harness<'static, LosscapeApp> {
    let mut state = State {
        scene: losscape::engine::scenario::Scenario::from_toml(toml, None).unwrap(),
        ..State::default()
    };
    state.number_runs();
    let ctx = egui::Context::default();
    let mut app = LosscapeApp::new(&ctx, state);
    app.set_presenter(presenter);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h
}

/// Lesson 4 ("Too large" diverges at 72) at `iteration`, contour only.
fn lesson_4_harness(
    iteration: usize,
    mode: ViewMode,
    presenter: bool,
) -> Harness<'static, LosscapeApp> {
    let mut h = scene_harness(
        losscape::engine::scenario::BUNDLED_LESSONS[3].text,
        presenter,
    );
    let scene = &mut h.state_mut().state_mut().scene;
    scene.view.mode = mode;
    scene.view.details = false;
    scene.playback.iteration = iteration;
    h.run();
    h
}

/// A text painted in the last frame: what it shows, where, and its largest font size in
/// points.
struct Painted {
    text: String,
    rect: egui::Rect,
    size: f32,
}

fn painted_texts(h: &Harness<'static, LosscapeApp>) -> Vec<Painted> {
    fn walk(shape: &egui::Shape, clip: egui::Rect, out: &mut Vec<Painted>) {
        match shape {
            egui::Shape::Vec(shapes) => shapes.iter().for_each(|s| walk(s, clip, out)),
            egui::Shape::Text(t) => {
                let text: String = t
                    .galley
                    .rows
                    .iter()
                    .map(|r| r.text())
                    .collect::<Vec<_>>()
                    .join("\n");
                let size = t
                    .galley
                    .job
                    .sections
                    .iter()
                    .map(|s| s.format.font_id.size)
                    .fold(0.0, f32::max);
                // Texts the clip rect hides entirely are not seen; `rect` is the whole text,
                // so a text cut by its clip rect sticks out of it.
                let rect = t.visual_bounding_rect();
                if rect.intersect(clip).is_positive() && !text.trim().is_empty() {
                    out.push(Painted { text, rect, size });
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    for clipped in &h.output().shapes {
        walk(&clipped.shape, clipped.clip_rect, &mut out);
    }
    out
}

/// Screen points per unit of w and per unit of b on the contour plot.
fn contour_scales(h: &Harness<'static, LosscapeApp>) -> (f32, f32) {
    let at = |p| h.state().contour_screen_position(p).unwrap();
    let (o, w, b) = (at([0.0, 0.0]), at([1.0, 0.0]), at([0.0, 1.0]));
    (w.x - o.x, o.y - b.y)
}

// J = a w^2 + b^2 at a = 1 is round: one unit of w is as long as one of b on screen, the
// domain whole and centred in a wide panel; "Stretch to fill" fills the panel instead, and
// panning, zooming and Reset view keep the scales equal.
#[test]
fn contour_has_equal_scales_unless_stretched() {
    let toml = r#"
version = 1
[problem]
formula = "a*w^2 + b^2"
constants = [{ name = "a", value = 1.0 }]
domain = { w_min = -2.0, w_max = 2.0, b_min = -2.0, b_max = 2.0 }
[view]
mode = "contour"
details = false
"#;
    let mut h = scene_harness(toml, false);
    let rect = h.state().contour_plot_rect().unwrap();
    assert!(rect.width() > 1.5 * rect.height(), "a wide panel: {rect:?}");
    let (sw, sb) = contour_scales(&h);
    assert!(
        (sw - sb).abs() < 1e-3 * sw,
        "equal scales: {sw} vs {sb} points per unit"
    );
    let at = |h: &Harness<'static, LosscapeApp>, p| h.state().contour_screen_position(p).unwrap();
    // The domain fills the height, whole, and is centred.
    let (lo, hi) = (at(&h, [-2.0, -2.0]), at(&h, [2.0, 2.0]));
    assert!((lo.y - rect.max.y).abs() < 0.5 && (hi.y - rect.min.y).abs() < 0.5);
    assert!(lo.x >= rect.min.x && hi.x <= rect.max.x);
    assert!((at(&h, [0.0, 0.0]) - rect.center()).length() < 0.5);

    h.get_by_label("View").click();
    h.run();
    h.get_by_label("Stretch to fill").click();
    h.run();
    assert!(h.state().state().scene.view.stretch_to_fill);
    let rect = h.state().contour_plot_rect().unwrap();
    let (lo, hi) = (at(&h, [-2.0, -2.0]), at(&h, [2.0, 2.0]));
    assert!(
        (lo - rect.left_bottom()).length() < 0.5,
        "{lo:?} vs {rect:?}"
    );
    assert!((hi - rect.right_top()).length() < 0.5, "{hi:?} vs {rect:?}");
    let (sw, sb) = contour_scales(&h);
    assert!(sw > 1.5 * sb, "stretched: {sw} vs {sb}");
    assert!(
        painted_texts(&h)
            .iter()
            .any(|t| t.text.starts_with("stretched to fill") && rect.contains_rect(t.rect)),
        "the plot says it is stretched"
    );

    // Equal scales again; a scroll zoom and a drag keep them equal; Reset view frames the
    // domain again.
    h.state_mut().state_mut().scene.view.stretch_to_fill = false;
    h.run();
    let center = rect.center();
    h.hover_at(center);
    h.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Unknown,
        modifiers: egui::Modifiers::CTRL,
    });
    h.run();
    h.drag_at(center);
    h.run();
    h.hover_at(center + egui::vec2(60.0, 30.0));
    h.run();
    h.drop_at(center + egui::vec2(60.0, 30.0));
    h.run();
    let (sw, sb) = contour_scales(&h);
    assert!((sw - sb).abs() < 1e-3 * sw, "still equal: {sw} vs {sb}");
    let moved = at(&h, [0.0, 0.0]);
    assert!(
        (moved - rect.center()).length() > 10.0,
        "the view moved: {moved:?}"
    );
    h.get_by_label("Reset view").click();
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    let d = h.state().state().scene.problem.domain.unwrap();
    let rect = h.state().contour_plot_rect().unwrap();
    let (lo, hi) = (at(&h, [d.w_min, d.b_min]), at(&h, [d.w_max, d.b_max]));
    let center = at(&h, [0.5 * (d.w_min + d.w_max), 0.5 * (d.b_min + d.b_max)]);
    assert!((center - rect.center()).length() < 0.5, "centred again");
    let fills_height = (lo.y - rect.max.y).abs() < 0.5 && (hi.y - rect.min.y).abs() < 0.5;
    let fills_width = (lo.x - rect.min.x).abs() < 0.5 && (hi.x - rect.max.x).abs() < 0.5;
    assert!(fills_height || fills_width, "{lo:?} {hi:?} in {rect:?}");
    let (sw, sb) = contour_scales(&h);
    assert!(
        (sw - sb).abs() < 1e-3 * sw,
        "equal after the reset: {sw} vs {sb}"
    );
}

// A domain 125 times wider than tall would be a sliver with equal scales: it fills the
// plot, and the plot says its scales differ.
#[test]
fn extreme_domain_is_stretched_and_says_so() {
    let toml = r#"
version = 1
[problem]
formula = "(w - 250)^2/10000 + b^2"
domain = { w_min = 0.0, w_max = 500.0, b_min = -2.0, b_max = 2.0 }
[view]
mode = "contour"
details = false
"#;
    let h = scene_harness(toml, false);
    assert!(!h.state().state().scene.view.stretch_to_fill);
    let rect = h.state().contour_plot_rect().unwrap();
    let at = |p| h.state().contour_screen_position(p).unwrap();
    assert!((at([0.0, -2.0]) - rect.left_bottom()).length() < 0.5);
    assert!((at([500.0, 2.0]) - rect.right_top()).length() < 0.5);
    assert!(
        painted_texts(&h)
            .iter()
            .any(|t| t.text.starts_with("stretched: w and b ranges differ")),
        "the plot says why it is stretched"
    );
}

// A run that diverged is drawn up to the plot's edge and labelled there with its name and
// the iteration it diverged at.
#[test]
fn diverged_run_is_labelled_at_the_edge() {
    let h = lesson_4_harness(80, ViewMode::Contour, false);
    let rect = h.state().contour_plot_rect().unwrap();
    let texts = painted_texts(&h);
    assert!(
        texts
            .iter()
            .any(|t| t.text == "Too large: diverged at 72" && rect.contains_rect(t.rect)),
        "no exit label on the plot among {:?}",
        texts.iter().map(|t| &t.text).collect::<Vec<_>>()
    );
    // Before it diverged, the run is off the plot from its third iterate on.
    let h = lesson_4_harness(30, ViewMode::Contour, false);
    assert!(
        painted_texts(&h)
            .iter()
            .any(|t| t.text.starts_with("Too large: off the plot at ")),
        "the exit is labelled before the run diverges"
    );
}

// The hover readout is whole and inside the plot, even near its bottom-right corner in the
// narrow half of a split view in presenter mode.
#[test]
fn hover_readout_is_never_cut() {
    let mut h = lesson_4_harness(30, ViewMode::Both, true);
    let rect = h.state().contour_plot_rect().unwrap();
    h.hover_at(rect.right_bottom() - egui::vec2(4.0, 4.0));
    h.run();
    let texts = painted_texts(&h);
    let readout = texts
        .iter()
        .find(|t| t.text.starts_with("w = "))
        .expect("a readout while hovering");
    for part in ["w = ", "b = ", "J = "] {
        assert!(readout.text.contains(part), "{part} in {:?}", readout.text);
    }
    assert!(!readout.text.contains('…'), "{:?}", readout.text);
    assert!(
        rect.contains_rect(readout.rect),
        "{:?} in {rect:?}",
        readout.rect
    );
}

// In presenter mode every text on the contour plot (ticks, readout, labels) is at least
// 16 pixels high.
#[test]
fn presenter_text_on_the_contour_is_large() {
    // At iteration 1 "Too large" is still on the plot, its gradient arrow drawn.
    let mut h = lesson_4_harness(1, ViewMode::Contour, true);
    let rect = h.state().contour_plot_rect().unwrap();
    h.hover_at(rect.center());
    h.run();
    let pixels_per_point = h.ctx.pixels_per_point();
    let area = rect.expand(60.0);
    let texts: Vec<Painted> = painted_texts(&h)
        .into_iter()
        .filter(|t| area.contains_rect(t.rect))
        .collect();
    assert!(
        texts.iter().any(|t| t.text.starts_with("w = ")),
        "the readout is drawn"
    );
    assert!(
        texts.iter().any(|t| t.text.starts_with("|gradient| = ")),
        "the gradient's length is printed"
    );
    for t in &texts {
        assert!(
            t.size * pixels_per_point >= 16.0,
            "{:?} is {} px",
            t.text,
            t.size * pixels_per_point
        );
    }
}

// Export > Animation (GIF): the choices and Record start a recording of every iteration
// (one frame each, at most 600), shown with a progress bar; Cancel stops it, saves nothing
// and puts playback and the camera (turned if asked) back where they were.
#[test]
fn export_animation_records_and_cancels() {
    let dir = tempfile::tempdir().unwrap();
    let mut state = State::default();
    state.scene.playback.iteration = 7;
    let mut h = harness_with(state);
    h.state_mut().exporter_mut().chooser = PathChooser::Folder(dir.path().to_path_buf());
    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("Animation (GIF)").hover();
    h.run();
    h.get_by_label("Whole window").click();
    h.run();
    assert_eq!(h.state_mut().exporter_mut().gif.view, None);
    if h.query_by_label("Record…").is_none() {
        // Choosing closed the menu: open it again.
        h.get_by_label("Export").click();
        h.run();
        h.get_by_label("Animation (GIF)").hover();
        h.run();
    }
    h.state_mut().exporter_mut().gif.turn = true;
    let camera = h.state().state().scene.view.camera;
    h.get_by_label("Record…").click();
    // The path is chosen on a worker thread.
    for _ in 0..200 {
        h.step();
        if h.state().recording_progress().is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    let last = h.state().last_iteration();
    let (done, total) = h.state().recording_progress().expect("recording");
    assert_eq!(total, (last + 1).min(600));
    assert!(done < total);
    h.step();
    // Move the camera as the turn would, then cancel: it goes back.
    h.state_mut().state_mut().scene.view.camera.yaw += 0.3;
    h.get_by_label("Cancel").click();
    h.step();
    h.step();
    assert!(h.state().recording_progress().is_none());
    assert_eq!(h.state().state().scene.playback.iteration, 7);
    assert_eq!(h.state().state().scene.view.camera, camera);
    assert!(!dir.path().join("losscape.gif").exists());
}

// The contour plot stays inside its panel: no lesson's details panel (slices, data view)
// holds a row wider than the panel, which would widen it over the views. Lesson 6's data fit
// used to push the panel 100 points right and the plot under it.
#[test]
fn contour_plot_stays_left_of_the_details_panel() {
    for lesson in 0..losscape::engine::scenario::BUNDLED_LESSONS.len() {
        let mut h = harness_with(State::default());
        h.state_mut().open_lesson(lesson);
        h.run();
        h.state_mut().wait_for_background();
        h.run();
        let Some(plot) = h.state().contour_plot_rect() else {
            continue;
        };
        let Some(details) = h.query_by_label("Selected run:") else {
            continue;
        };
        let details = details.rect();
        assert!(
            plot.right() < details.left(),
            "lesson {}: the plot {plot:?} reaches under the details panel at {details:?}",
            lesson + 1
        );
    }
}
