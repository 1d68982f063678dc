//! The 3D view on its own in a kittest harness: a sampled surface, one run's path and the
//! view's state, drawn at the right of a panel `offset` points in (the split view).
#![allow(dead_code)]

use egui::{Color32, Rect, Vec2};
use egui_kittest::Harness;
use egui_plot::PlotPoint;
use losscape::engine::scenario::Camera3d;
use losscape::engine::surface::{Colormap, ValueScale};
use losscape::engine::{Domain, KnownPoint, Point};
use losscape::ui::view3d::{Surface3dInput, Surface3dView, SurfaceInput, Trajectory3d};

/// The run's color (Okabe-Ito orange).
pub const RUN: Color32 = Color32::from_rgb(230, 159, 0);

/// What the harness draws and what the view keeps between frames.
pub struct Scene {
    /// J on an `n x n` grid over `domain`.
    pub values: Vec<f64>,
    pub n: usize,
    pub domain: Domain,
    /// The run's path and its cost at each point.
    pub path: Vec<PlotPoint>,
    pub cost: Vec<f64>,
    /// The iteration the run diverged at, if it did.
    pub diverged_at: Option<usize>,
    pub known: Vec<KnownPoint>,
    pub linked_hover: Option<Point>,
    pub view: Surface3dView,
    pub settings: Camera3d,
    /// Room left of the 3D view (the contour's half in the split view).
    pub offset: f32,
    /// Where the view was drawn last.
    pub rect: Option<Rect>,
}

impl Scene {
    /// `cost` sampled on an `n x n` grid over `domain`, and a path with its costs.
    pub fn new(cost: fn(f64, f64) -> f64, n: usize, domain: Domain, path: Vec<PlotPoint>) -> Self {
        let mut values = Vec::with_capacity(n * n);
        for j in 0..n {
            for i in 0..n {
                let w = domain.w_min + domain.w_span() * i as f64 / (n - 1) as f64;
                let b = domain.b_min + domain.b_span() * j as f64 / (n - 1) as f64;
                values.push(cost(w, b));
            }
        }
        let costs = path.iter().map(|p| cost(p.x, p.y)).collect();
        Self {
            values,
            n,
            domain,
            path,
            cost: costs,
            diverged_at: None,
            known: Vec::new(),
            linked_hover: None,
            view: Surface3dView::default(),
            settings: Camera3d::default(),
            offset: 0.0,
            rect: None,
        }
    }
}

/// A harness of `size` drawing `scene` in viridis.
pub fn harness(scene: Scene, size: Vec2) -> Harness<'static, Scene> {
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
                color: RUN,
                selected: true,
                diverged_at: s.diverged_at,
            }];
            egui::CentralPanel::default().show(ui, |ui| {
                let full = ui.max_rect();
                let rect = Rect::from_min_max(full.min + Vec2::new(s.offset, 0.0), full.max);
                let response = ui
                    .scope_builder(egui::UiBuilder::new().max_rect(rect), |ui| {
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
                                known_points: &s.known,
                                linked_hover: s.linked_hover,
                            },
                        )
                    })
                    .inner;
                s.rect = response.rect;
            });
        },
        scene,
    )
}
