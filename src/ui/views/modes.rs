//! The central area's view modes (contour, 3D, both side by side) and the glue that feeds
//! the app's sampled surface to the 3D view.

use std::sync::Arc;

use egui::Color32;

use crate::engine::KnownPoint;
use crate::engine::Point;
use crate::engine::surface::{Colormap, Grid, ValueScale};

use super::super::export::Exporter;
use super::super::view3d::{
    Surface3dInput, Surface3dResponse, Surface3dView, SurfaceInput, Trajectory3d,
};
use crate::engine::scenario::{ViewMode, ViewSettings};

/// The bar above the views: what fills the center, the basins and details toggles, in
/// prediction mode the toggle that shows the minima, and the export menu (`csv` makes the CSV of all
/// runs when that export is chosen). Without `advanced` (presenter mode) the export menu is
/// left out.
pub fn view_bar(
    ui: &mut egui::Ui,
    view: &mut ViewSettings,
    exporter: &mut Exporter,
    advanced: bool,
    csv: impl FnOnce() -> String,
) {
    ui.horizontal_wrapped(|ui| {
        // Presenter mode's larger text leaves no room for the label: the buttons say it.
        if advanced {
            ui.label("View:");
        }
        ui.selectable_value(&mut view.mode, ViewMode::Contour, "Contour");
        ui.selectable_value(&mut view.mode, ViewMode::Surface3d, "3D");
        ui.selectable_value(&mut view.mode, ViewMode::Both, "Both");
        ui.selectable_value(&mut view.mode, ViewMode::Explore, "Explore")
            .on_hover_text(
                "the contour map beside the learning-rate explorer, maps, seeds and race",
            );
        // The toggles, side by side after one separator.
        ui.separator();
        if view.mode != ViewMode::Surface3d {
            ui.toggle_value(&mut view.explore.basins, "Basins")
                .on_hover_text(
                    "color each start by where the selected run's optimizer ends from it",
                );
        }
        if view.mode != ViewMode::Explore {
            ui.toggle_value(&mut view.details, "Details")
                .on_hover_text("slices and tangent lines, the step inspector, the data view");
        }
        if view.prediction {
            ui.toggle_value(&mut view.reveal_minima, "Show minima")
                .on_hover_text("Prediction mode hides where the minima are until you show them");
        }
        if advanced {
            ui.separator();
            exporter.menu_ui(ui, csv);
        }
    });
}

/// Lays out two views in the space `ui` has: side by side when it is wide, one above the
/// other when it is tall.
pub fn split<R>(
    ui: &mut egui::Ui,
    first: impl FnOnce(&mut egui::Ui) -> R,
    second: impl FnOnce(&mut egui::Ui),
) -> R {
    let rect = ui.available_rect_before_wrap();
    let gap = 8.0;
    let (a, b) = if rect.width() >= 1.2 * rect.height() {
        let w = (rect.width() - gap) / 2.0;
        (
            egui::Rect::from_min_size(rect.min, egui::vec2(w, rect.height())),
            egui::Rect::from_min_size(
                rect.min + egui::vec2(w + gap, 0.0),
                egui::vec2(w, rect.height()),
            ),
        )
    } else {
        let h = (rect.height() - gap) / 2.0;
        (
            egui::Rect::from_min_size(rect.min, egui::vec2(rect.width(), h)),
            egui::Rect::from_min_size(
                rect.min + egui::vec2(0.0, h + gap),
                egui::vec2(rect.width(), h),
            ),
        )
    };
    let mut first_ui = ui.new_child(egui::UiBuilder::new().max_rect(a).id_salt("split first"));
    first_ui.set_clip_rect(a.intersect(ui.clip_rect()));
    let out = first(&mut first_ui);
    let mut second_ui = ui.new_child(egui::UiBuilder::new().max_rect(b).id_salt("split second"));
    second_ui.set_clip_rect(b.intersect(ui.clip_rect()));
    second(&mut second_ui);
    ui.allocate_rect(rect, egui::Sense::hover());
    out
}

/// The 3D view as the app uses it: knows when the app's grid or colors changed.
#[derive(Default)]
pub struct Surface3dPanel {
    view: Surface3dView,
    /// The grid last drawn (held so its address cannot be reused by a newer grid).
    grid: Option<Arc<Grid>>,
    colors: Option<(Colormap, ValueScale)>,
    version: u64,
}

/// What the app gives the 3D panel each frame.
pub struct Surface3dPanelInput<'a> {
    /// Camera and height settings.
    pub settings: &'a mut crate::engine::scenario::Camera3d,
    /// The sampled surface, if any.
    pub grid: Option<&'a Arc<Grid>>,
    /// The heat map's colormap.
    pub colormap: Colormap,
    /// The heat map's color scale.
    pub color_scale: ValueScale,
    /// Visible runs.
    pub trajectories: &'a [Trajectory3d<'a>],
    /// Known stationary points.
    pub known_points: &'a [KnownPoint],
    /// A point hovered in the contour view.
    pub linked_hover: Option<Point>,
    /// While a slow surface computes, what is shown and how far it is ("surface 40%").
    pub status: Option<&'a str>,
}

impl Surface3dPanel {
    /// Draws the 3D view filling `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: Surface3dPanelInput<'_>) -> Surface3dResponse {
        let colors = Some((input.colormap, input.color_scale));
        let same_grid = match (&self.grid, input.grid) {
            (Some(a), Some(b)) => Arc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        };
        if !same_grid || self.colors != colors {
            self.grid = input.grid.cloned();
            self.colors = colors;
            self.version += 1;
        }
        let (colormap, scale) = (input.colormap, input.color_scale);
        let grid = input.grid.map(|g| &**g);
        let (min, max) = grid.map_or((0.0, 1.0), |g| (g.min, g.max));
        let color_of = move |j: f64| {
            let [r, g, b] = colormap.rgb(scale.unit(j, min, max));
            Color32::from_rgb(r, g, b)
        };
        let surface = grid.map(|g| SurfaceInput {
            values: &g.values,
            columns: g.n_w,
            rows: g.n_b,
            domain: g.domain,
            version: self.version,
            color_of: &color_of,
        });
        let response = self.view.ui(
            ui,
            Surface3dInput {
                settings: input.settings,
                surface,
                trajectories: input.trajectories,
                known_points: input.known_points,
                linked_hover: input.linked_hover,
            },
        );
        if let (Some(status), Some(rect)) = (input.status, response.rect) {
            ui.painter().text(
                rect.left_top() + egui::vec2(8.0, 6.0),
                egui::Align2::LEFT_TOP,
                status,
                egui::TextStyle::Body.resolve(ui.style()),
                ui.visuals().strong_text_color(),
            );
        }
        response
    }
}
