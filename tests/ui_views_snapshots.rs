//! Pixel snapshots of the 3D surface view on its own (feature `snapshots`; they need a wgpu
//! adapter, e.g. Mesa's lavapipe). Regenerate after an intended change with
//! `UPDATE_SNAPSHOTS=1`.
#![cfg(feature = "snapshots")]
#![allow(clippy::unwrap_used)]

use egui::Color32;
use egui_kittest::Harness;
use egui_plot::PlotPoint;
use losscape::engine::surface::{Colormap, ValueScale};
use losscape::engine::{Domain, KnownPoint, PointKind};
use losscape::ui::view3d::{Surface3dInput, Surface3dView, SurfaceInput, Trajectory3d};

/// Two hills and a pit: a surface where a path can pass behind a hill.
fn peaks(w: f64, b: f64) -> f64 {
    3.0 * (-(w - 0.8).powi(2) - (b - 0.5).powi(2)).exp()
        + 2.0 * (-(w + 1.2).powi(2) * 2.0 - (b + 0.6).powi(2)).exp()
        - 2.5 * (-(w + 0.3).powi(2) * 1.5 - (b - 1.4).powi(2) * 1.5).exp()
        + 0.05 * (w * w + b * b)
}

struct Scene {
    values: Vec<f64>,
    n: usize,
    domain: Domain,
    path: Vec<PlotPoint>,
    cost: Vec<f64>,
    view: Surface3dView,
    settings: losscape::engine::scenario::Camera3d,
}

fn scene() -> Scene {
    let n = 200;
    let domain = Domain::new(-3.0, 3.0, -3.0, 3.0);
    let mut values = Vec::with_capacity(n * n);
    for j in 0..n {
        for i in 0..n {
            let w = domain.w_min + domain.w_span() * i as f64 / (n - 1) as f64;
            let b = domain.b_min + domain.b_span() * j as f64 / (n - 1) as f64;
            values.push(peaks(w, b));
        }
    }
    // A path that circles around, passing behind the big hill from the default camera.
    let path: Vec<PlotPoint> = (0..120)
        .map(|k| {
            let a = k as f64 / 119.0 * 5.5;
            PlotPoint::new(0.8 + 2.0 * a.cos(), 0.5 + 2.0 * a.sin() * 0.9)
        })
        .collect();
    let cost = path.iter().map(|p| peaks(p.x, p.y)).collect();
    Scene {
        values,
        n,
        domain,
        path,
        cost,
        view: Surface3dView::default(),
        settings: losscape::engine::scenario::Camera3d::default(),
    }
}

fn harness(log_height: bool, wireframe: bool) -> Harness<'static, Scene> {
    let mut s = scene();
    s.settings.log_height = log_height;
    s.settings.wireframe = wireframe;
    Harness::builder()
        .with_size(egui::vec2(900.0, 640.0))
        .build_ui_state(
            |ui, s: &mut Scene| {
                let (min, max) = s
                    .values
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    });
                let color_of = |j: f64| {
                    let [r, g, b] = Colormap::Viridis.rgb(ValueScale::Linear.unit(j, min, max));
                    Color32::from_rgb(r, g, b)
                };
                let trajectories = [Trajectory3d {
                    path: &s.path,
                    cost: &s.cost,
                    color: Color32::from_rgb(230, 159, 0),
                    selected: true,
                }];
                let known = [KnownPoint {
                    at: [-0.3, 1.4],
                    value: peaks(-0.3, 1.4),
                    kind: PointKind::GlobalMinimum,
                }];
                egui::CentralPanel::default().show(ui, |ui| {
                    s.view.ui(
                        ui,
                        Surface3dInput {
                            settings: &mut s.settings,
                            surface: Some(SurfaceInput {
                                values: &s.values,
                                columns: s.n,
                                rows: s.n,
                                domain: s.domain,
                                version: 1,
                                color_of: &color_of,
                            }),
                            trajectories: &trajectories,
                            known_points: &known,
                            linked_hover: Some([1.5, -1.5]),
                        },
                    );
                });
            },
            s,
        )
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
