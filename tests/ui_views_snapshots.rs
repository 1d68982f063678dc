//! Pixel snapshots of the 3D surface view and the learning curve on their own (feature
//! `snapshots`; they need a wgpu adapter, e.g. Mesa's lavapipe). Regenerate after an
//! intended change with `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used)]

use egui_kittest::Harness;
use egui_plot::PlotPoint;
use losscape::engine::{Domain, KnownPoint, PointKind};

#[path = "common/surface3d.rs"]
mod surface3d;
use egui::Color32;
use losscape::ui::trace::{CostScale, lowest_cost};
use losscape::ui::views::learning_curve::{self, CurveEnd, CurveInput, CurveTrace, LearningCurve};
use surface3d::Scene;

/// Two hills and a pit: a surface where a path can pass behind a hill.
fn peaks(w: f64, b: f64) -> f64 {
    3.0 * (-(w - 0.8).powi(2) - (b - 0.5).powi(2)).exp()
        + 2.0 * (-(w + 1.2).powi(2) * 2.0 - (b + 0.6).powi(2)).exp()
        - 2.5 * (-(w + 0.3).powi(2) * 1.5 - (b - 1.4).powi(2) * 1.5).exp()
        + 0.05 * (w * w + b * b)
}

/// The peaks, a path that circles around (passing behind the big hill from the default
/// camera), the minimum and a point hovered in the contour.
fn scene() -> Scene {
    let path: Vec<PlotPoint> = (0..120)
        .map(|k| {
            let a = k as f64 / 119.0 * 5.5;
            PlotPoint::new(0.8 + 2.0 * a.cos(), 0.5 + 2.0 * a.sin() * 0.9)
        })
        .collect();
    let mut s = Scene::new(peaks, 200, Domain::new(-3.0, 3.0, -3.0, 3.0), path);
    s.known = vec![KnownPoint {
        at: [-0.3, 1.4],
        value: peaks(-0.3, 1.4),
        kind: PointKind::GlobalMinimum,
    }];
    s.linked_hover = Some([1.5, -1.5]);
    s
}

fn harness(log_height: bool, wireframe: bool) -> Harness<'static, Scene> {
    let mut s = scene();
    s.settings.log_height = log_height;
    s.settings.wireframe = wireframe;
    surface3d::harness(s, egui::vec2(900.0, 640.0))
}

// The 3D view: shaded surface, axes, a path dimmed where the big hill hides it, a minimum.
#[test]
fn surface_3d_view() {
    let mut h = harness(false, false);
    h.run();
    h.snapshot("surface_3d_view");
}

// The same with the wireframe, seen from the other side.
#[test]
fn surface_3d_wireframe() {
    let mut h = harness(false, true);
    h.state_mut().settings.yaw = 2.2;
    h.run();
    h.snapshot("surface_3d_wireframe");
}

// A run that diverges: its steps are thin with a dot at each, it is drawn up to the box's
// edge, ends in an arrow there and says when it diverged.
#[test]
fn surface_3d_diverged_run() {
    let mut s = scene();
    // Steps that overshoot the pit more and more, leaving the box after a few iterations.
    s.path = (0..14)
        .map(|k| {
            let r = 0.35 * 1.45f64.powi(k);
            let sign = if k % 2 == 0 { 1.0 } else { -1.0 };
            PlotPoint::new(-0.3 + sign * r, 1.4 - 0.6 * sign * r)
        })
        .collect();
    s.cost = s.path.iter().map(|p| peaks(p.x, p.y)).collect();
    s.diverged_at = Some(13);
    let mut h = surface3d::harness(s, egui::vec2(900.0, 640.0));
    h.run();
    h.snapshot("surface_3d_diverged_run");
}

// A small 3D panel (the split view on a projector) keeps its axis names and the tick
// labels that have room, none overlapping another.
#[test]
fn surface_3d_small_panel() {
    let mut s = scene();
    s.settings.log_height = true;
    let mut h = surface3d::harness(s, egui::vec2(260.0, 230.0));
    h.run();
    h.snapshot("surface_3d_small_panel");
}

/// The whole app with `state`, background work finished.
fn app_harness(state: losscape::ui::state::State) -> Harness<'static, losscape::ui::LosscapeApp> {
    let ctx = egui::Context::default();
    let app = losscape::ui::LosscapeApp::new(&ctx, state);
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 800.0))
        .with_max_steps(12)
        .build_ui_state(|ui, app: &mut losscape::ui::LosscapeApp| app.show(ui), app);
    h.run();
    h.state_mut().wait_for_background();
    h.run();
    h
}

// The default scene with contour and 3D side by side, part-way along.
#[test]
fn split_view() {
    let mut state = losscape::ui::state::State::default();
    state.scene.view.mode = losscape::engine::scenario::ViewMode::Both;
    state.scene.view.details = false;
    state.scene.playback.iteration = 300;
    let mut h = app_harness(state);
    h.snapshot("split_view");
}

// The default scene in the 3D view with the details panel (slices, step inspector).
#[test]
fn app_3d_view_with_details() {
    let mut state = losscape::ui::state::State::default();
    state.scene.view.mode = losscape::engine::scenario::ViewMode::Surface3d;
    state.scene.playback.iteration = 300;
    let mut h = app_harness(state);
    h.snapshot("app_3d_view_with_details");
}

/// One run for the learning curve on its own: as the app simulated it.
struct CurveRun {
    name: String,
    color: Color32,
    trace: losscape::ui::trace::Trace,
}

/// The learning curve view with the runs of a scene, drawn without the rest of the app.
struct CurveScene {
    runs: Vec<CurveRun>,
    known_min: Option<f64>,
    settings: losscape::engine::scenario::ViewSettings,
    view: LearningCurve,
}

/// The runs of `state`, simulated by the app, in a 900 x 260 curve panel.
fn curve_harness(state: losscape::ui::state::State) -> Harness<'static, CurveScene> {
    let app = app_harness(state);
    let app = app.state();
    let scene = &app.state().scene;
    let runs: Vec<CurveRun> = scene
        .runs
        .iter()
        .enumerate()
        .map(|(i, r)| CurveRun {
            name: r.name.clone(),
            color: losscape::ui::palette::run_color(losscape::ui::palette::slot(r.color, i)),
            trace: app.trace(r.id).expect("simulated").clone(),
        })
        .collect();
    let known_min = app
        .run(scene.runs[0].id)
        .expect("simulated")
        .objective()
        .known_points()
        .iter()
        .find(|p| p.kind == PointKind::GlobalMinimum)
        .map(|p| p.value);
    let s = CurveScene {
        runs,
        known_min,
        settings: scene.view.clone(),
        view: LearningCurve::default(),
    };
    let mut h = Harness::builder()
        .with_size(egui::vec2(900.0, 260.0))
        .build_ui_state(
            |ui, s: &mut CurveScene| {
                let axis = s.settings.curve_axis;
                let lowest = lowest_cost(s.runs.iter().map(|r| &r.trace));
                let view = &s.settings;
                let scale =
                    CostScale::choose(view.log_cost, view.log_minus_min, s.known_min, lowest);
                for r in &mut s.runs {
                    let _ = r.trace.curve(axis, scale);
                }
                let traces: Vec<CurveTrace<'_>> = s
                    .runs
                    .iter()
                    .map(|r| CurveTrace {
                        name: &r.name,
                        color: r.color,
                        points: r.trace.cached_curve(),
                        end: CurveEnd::of(&r.trace, axis, scale),
                    })
                    .collect();
                egui::CentralPanel::default().show(ui, |ui| {
                    s.view.ui(
                        ui,
                        CurveInput {
                            settings: &mut s.settings,
                            has_data: false,
                            traces: &traces,
                            scale,
                            position: None,
                            epsilon: None,
                            reset_view: false,
                        },
                    );
                });
            },
            s,
        );
    h.run();
    h
}

/// Lesson 4: "Too small", "About right" and "Too large", which diverges at iteration 72.
fn lesson_4() -> losscape::ui::state::State {
    let text = losscape::engine::scenario::BUNDLED_LESSONS[3].text;
    let mut state = losscape::ui::state::State {
        scene: losscape::engine::scenario::Scenario::from_toml(text, None).unwrap(),
        ..Default::default()
    };
    state.number_runs();
    state
}

// Lesson 4 on the log scale: J - J_min of the two settled runs fills the plot, decades on
// the axis, the diverged run leaves through the top with an arrow and its label.
#[test]
fn curve_with_a_diverged_run() {
    let mut h = curve_harness(lesson_4());
    h.snapshot("curve_with_a_diverged_run");
}

// The same on the linear scale, hovering "Too small" near iteration 43: the readout names
// the run, the iteration and J of that point.
#[test]
fn curve_hover_readout() {
    let mut state = lesson_4();
    state.scene.view.log_cost = false;
    let mut h = curve_harness(state);
    let j = h.state().runs[0].trace.cost[43];
    let transform = egui_plot::PlotMemory::load(&h.ctx, learning_curve::plot_id())
        .unwrap()
        .transform();
    h.hover_at(transform.position_from_point(&PlotPoint::new(43.0, j)) + egui::vec2(3.0, -2.0));
    h.run();
    h.snapshot("curve_hover_readout");
}

// A cost that goes below zero on the log scale: J - J_min with J_min the lowest J seen, the
// run that reaches it on the dashed floor.
#[test]
fn curve_below_zero_on_the_log_scale() {
    let text = include_str!("fixtures/below_zero.toml");
    let mut state = losscape::ui::state::State {
        scene: losscape::engine::scenario::Scenario::from_toml(text, None).unwrap(),
        ..Default::default()
    };
    state.number_runs();
    let mut h = curve_harness(state);
    h.snapshot("curve_below_zero_on_the_log_scale");
}

/// The app showing the scene of a scenario file's text at `iteration`, contour only.
fn scene_harness(
    toml: &str,
    iteration: usize,
    theme: losscape::ui::appearance::ThemeChoice,
) -> Harness<'static, losscape::ui::LosscapeApp> {
    let mut state = losscape::ui::state::State {
        scene: losscape::engine::scenario::Scenario::from_toml(toml, None).unwrap(),
        theme,
        ..Default::default()
    };
    state.scene.playback.iteration = iteration;
    state.number_runs();
    app_harness(state)
}

// Lesson 4 after "Too large" diverged at 72: its steps thin with a dot per iterate, cut at the
// plot's edge with an arrow and a label; the minimum and the other runs stay in sight.
#[test]
fn contour_diverged_run() {
    let lesson = losscape::engine::scenario::BUNDLED_LESSONS[3].text;
    let mut state = losscape::ui::state::State {
        scene: losscape::engine::scenario::Scenario::from_toml(lesson, None).unwrap(),
        ..Default::default()
    };
    state.scene.lesson = None;
    state.scene.view.details = false;
    state.scene.playback.iteration = 80;
    state.number_runs();
    let mut h = app_harness(state);
    h.snapshot("contour_diverged_run");
}

// J = 4.7 w^2 + b^2 with equal scales: the ellipse is 2.17 times taller than wide, and the
// gradient arrows cross the contour lines at right angles; the selected run's arrow is as
// long as the log of |gradient| and says its value.
#[test]
fn contour_equal_scales_ill_conditioned() {
    let toml = r#"
version = 1
[problem]
formula = "a*w^2 + b^2"
constants = [{ name = "a", value = 4.7 }]
domain = { w_min = -2.0, w_max = 2.0, b_min = -2.0, b_max = 2.0 }
[[runs]]
name = "GD"
color = "orange"
learning_rate = 0.05
init = { kind = "manual", w = -1.5, b = 1.6 }
max_iterations = 60
[view]
mode = "contour"
details = false
gradient_field = true
[playback]
selected_run = "GD"
"#;
    let mut h = scene_harness(toml, 6, losscape::ui::appearance::ThemeChoice::Dark);
    h.snapshot("contour_equal_scales_ill_conditioned");
}

// A yellow run over the yellow end of viridis, and a blue one over its dark end, in the light
// theme: each path has a halo that sets it off from any colormap.
#[test]
fn contour_yellow_run_on_viridis() {
    let toml = r#"
version = 1
[problem]
preset = "rosenbrock"
[[runs]]
name = "Yellow"
color = "yellow"
learning_rate = 0.0002
init = { kind = "manual", w = -1.9, b = -0.8 }
max_iterations = 400
[[runs]]
name = "Blue"
color = "blue"
learning_rate = 0.0002
init = { kind = "manual", w = 1.9, b = -0.8 }
max_iterations = 400
[view]
mode = "contour"
details = false
[playback]
selected_run = "Yellow"
"#;
    let mut h = scene_harness(toml, 400, losscape::ui::appearance::ThemeChoice::Light);
    h.snapshot("contour_yellow_run_on_viridis");
}

// Lesson 4's "Too large" at iteration 60, far from the minimum where J ~ 1e13 barely changes
// across the domain: the slices' ticks are short and read from a round base ("J - 5.63e13").
#[test]
fn slices_far_from_the_minimum() {
    let lesson = losscape::engine::scenario::BUNDLED_LESSONS[3].text;
    let mut state = losscape::ui::state::State {
        scene: losscape::engine::scenario::Scenario::from_toml(lesson, None).unwrap(),
        ..Default::default()
    };
    state.scene.lesson = None;
    state.scene.view.details_sections.slices = true;
    state.scene.view.details_sections.inspector = false;
    state.scene.playback.iteration = 60;
    state.number_runs();
    let mut h = app_harness(state);
    h.snapshot("slices_far_from_the_minimum");
}
