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
    diverged_at: Option<usize>,
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
        diverged_at: None,
    }
}

fn harness(log_height: bool, wireframe: bool) -> Harness<'static, Scene> {
    let mut s = scene();
    s.settings.log_height = log_height;
    s.settings.wireframe = wireframe;
    harness_with(s, egui::vec2(900.0, 640.0))
}

fn harness_with(s: Scene, size: egui::Vec2) -> Harness<'static, Scene> {
    Harness::builder().with_size(size).build_ui_state(
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
                diverged_at: s.diverged_at,
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
    let mut h = harness_with(s, egui::vec2(900.0, 640.0));
    h.run();
    h.snapshot("surface_3d_diverged_run");
}

// A small 3D panel (the split view on a projector) keeps its axis names and the tick
// labels that have room, none overlapping another.
#[test]
fn surface_3d_small_panel() {
    let mut s = scene();
    s.settings.log_height = true;
    let mut h = harness_with(s, egui::vec2(260.0, 230.0));
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
