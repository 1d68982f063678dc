//! The 3D surface widget: draws a [`SurfaceMesh`] back to front into an `egui::Mesh`, the
//! runs' trajectories on it (dimmed where a hill hides them), the known stationary points,
//! axes with ticks, and handles the orbit camera's mouse controls.

use std::sync::Arc;

use egui::epaint::Mesh;
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2};
use egui_plot::PlotPoint;

use crate::engine::{Domain, KnownPoint, Point, PointKind};

use super::axes::layout_axes;
use super::camera::{CameraView, Orbit};
use super::height_field::HeightField;
use super::path::{PathCache, PathContext};
use super::scale::SceneScale;
use super::surface_mesh::SurfaceMesh;
use super::vec3::Vec3;
use crate::engine::limits::EXAGGERATION_RANGE;
use crate::engine::scenario::Camera3d;
use crate::ui::number::readout;
use crate::ui::path_style::{self, LabelColors};

/// Most vertices per axis of the drawn mesh (finer grids are resampled).
pub const MAX_MESH_RESOLUTION: usize = 200;
/// Most vertices per axis while the camera is being dragged.
pub const DRAG_MESH_RESOLUTION: usize = 100;
/// Room left around the fitted scene in a large panel (points; the J tick labels need
/// some on the left); a small panel leaves less (see [`fit_margin`]).
pub const FIT_MARGIN: f32 = 30.0;
/// Size of the hover readout and the mouse hint, in points (with the tick labels, the
/// smallest text of the view: 16 pixels or more at any presenter zoom).
pub const READOUT_SIZE: f32 = 14.0;
/// Size of the mouse hint.
const HINT_SIZE: f32 = 13.0;
/// Every how many mesh vertices a wireframe line is drawn.
const WIRE_SPACING: usize = 10;

/// The sampled surface to draw.
#[derive(Clone, Copy)]
pub struct SurfaceInput<'a> {
    /// J on a `columns x rows` grid, row-major with w fastest, spanning `domain` edge to edge.
    pub values: &'a [f64],
    /// Samples along w.
    pub columns: usize,
    /// Samples along b.
    pub rows: usize,
    /// The region sampled.
    pub domain: Domain,
    /// Changes whenever `values` or the colors change (the mesh is rebuilt then).
    pub version: u64,
    /// The heat map's color of a cost (the same function the contour view uses).
    pub color_of: &'a dyn Fn(f64) -> Color32,
}

/// One run's path to lay on the surface.
#[derive(Clone, Copy)]
pub struct Trajectory3d<'a> {
    /// (w, b) from the start up to the current iteration (the last point is the current one).
    pub path: &'a [PlotPoint],
    /// J at each point of `path`; NaN on rows without a recorded cost (a data fit that
    /// records its full cost every k iterations), where the path takes the surface's height.
    pub cost: &'a [f64],
    /// The run's color.
    pub color: Color32,
    /// The selected run is drawn a little thicker.
    pub selected: bool,
    /// The iteration at which the run diverged, if it did: its steps are drawn thin with a
    /// dot at each, and a label says so once the path gets there.
    pub diverged_at: Option<usize>,
}

/// Everything the 3D view shows in one frame.
pub struct Surface3dInput<'a> {
    /// Camera and height settings (changed by the mouse and the view's own controls).
    pub settings: &'a mut Camera3d,
    /// The surface, once one has been sampled.
    pub surface: Option<SurfaceInput<'a>>,
    /// Visible runs.
    pub trajectories: &'a [Trajectory3d<'a>],
    /// Known stationary points of the problem.
    pub known_points: &'a [KnownPoint],
    /// A point hovered in another view, marked on the surface.
    pub linked_hover: Option<Point>,
}

/// What the 3D view reports back.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Surface3dResponse {
    /// The (w, b) under the mouse, when it is over the surface.
    pub hovered: Option<Point>,
    /// Where the view was drawn (for cropped screenshots).
    pub rect: Option<Rect>,
}

#[derive(Clone, Copy, PartialEq)]
struct GeometryKey {
    version: u64,
    columns: usize,
    rows: usize,
    domain: Domain,
    log_height: bool,
    exaggeration: u32,
    wireframe: bool,
    resolution: usize,
}

/// A mesh ready to draw for one camera.
struct ProjectedMesh {
    key: Option<(GeometryKey, [u32; 3], [u32; 4])>,
    indices_eye: Option<(GeometryKey, [u32; 3])>,
    mesh: Arc<Mesh>,
}

impl Default for ProjectedMesh {
    fn default() -> Self {
        Self {
            key: None,
            indices_eye: None,
            mesh: Arc::new(Mesh::default()),
        }
    }
}

/// The 3D surface view (runtime caches only; the settings live in the saved state).
#[derive(Default)]
pub struct Surface3dView {
    scale: Option<SceneScale>,
    fine: Option<(GeometryKey, SurfaceMesh)>,
    coarse: Option<(GeometryKey, SurfaceMesh)>,
    fine_projected: ProjectedMesh,
    coarse_projected: ProjectedMesh,
    paths: Vec<PathCache>,
    scratch_values: Vec<f64>,
    last_camera: Option<Camera3d>,
}

impl Surface3dView {
    /// Draws the view's controls and the 3D scene filling the rest of `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: Surface3dInput<'_>) -> Surface3dResponse {
        // Thicker paths and larger markers in presenter mode.
        let k = crate::ui::theme::line_scale(ui.ctx());
        let settings = input.settings;
        controls_ui(ui, settings);
        let available = ui.available_rect_before_wrap();
        let size = available.size().max(Vec2::splat(40.0));
        let rect = Rect::from_min_size(available.min, size);
        let response = ui.allocate_rect(rect, Sense::click_and_drag());
        let mut out = Surface3dResponse {
            hovered: None,
            rect: Some(rect),
        };

        // Mouse: drag rotates, scroll zooms, double-click resets.
        if response.dragged() {
            let d = response.drag_delta();
            settings.rotate_by_drag(d.x, d.y);
        }
        if response.hovered() {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0 {
                settings.zoom_by_scroll(scroll);
            }
        }
        if response.double_clicked() {
            settings.reset_orbit();
        }
        let dragging = response.dragged() || response.is_pointer_button_down_on();
        // While the camera moves (dragged, scrolled or turned by code) a coarser mesh and
        // fewer occlusion tests keep each frame cheap; the full detail returns on the first
        // frame the camera stands still.
        let moving = dragging || self.last_camera.is_some_and(|c| c != *settings);
        self.last_camera = Some(*settings);

        let painter = ui.painter_at(rect);
        let text_color = ui.visuals().text_color();
        let faint = ui.visuals().weak_text_color();
        let Some(surface) = input.surface else {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                "waiting for the surface…",
                FontId::proportional(16.0),
                faint,
            );
            return out;
        };
        let resolution = if moving {
            DRAG_MESH_RESOLUTION
        } else {
            MAX_MESH_RESOLUTION
        };
        let Some(scale) = self.prepare(&surface, settings, resolution) else {
            return out;
        };
        let view = settings.fitted_view(
            scale.center(),
            [rect.min.x, rect.min.y],
            [rect.width(), rect.height()],
            &scene_bounds(&scale),
            fit_margin(rect.size()),
        );
        let project = |p: Vec3| view.project(p).map(|s| Pos2::new(s.x, s.y));

        // Behind the surface: the floor outline.
        floor_ui(&painter, &view, faint);
        // The surface, back to front.
        if let Some(mesh) = self.projected(&view, rect, resolution) {
            painter.add(Shape::Mesh(mesh));
        }
        let slot = if resolution == MAX_MESH_RESOLUTION {
            &self.fine
        } else {
            &self.coarse
        };
        let Some(field) = slot
            .as_ref()
            .map(|(_, m)| m.field())
            .filter(|f| !f.is_empty())
        else {
            return out;
        };

        // The paths in world space (cached per eye), projected with this frame's view.
        self.paths
            .resize_with(input.trajectories.len(), PathCache::default);
        let context = PathContext {
            scale: &scale,
            field,
            eye: view.eye,
            resolution,
            moving,
        };
        let center = project(Vec3::new(0.0, 0.0, 0.5 * scale.top)).unwrap_or(rect.center());
        let mut run_labels = Vec::new();
        for (trajectory, cache) in input.trajectories.iter().zip(&mut self.paths) {
            cache.update(trajectory, &context);
            cache.project(project);
            if let Some((anchor, text)) = cache.label(trajectory) {
                let size = painter
                    .layout_no_wrap(
                        text.clone(),
                        FontId::proportional(path_style::LABEL_SIZE),
                        text_color,
                    )
                    .size()
                    + 2.0 * path_style::LABEL_PADDING;
                let at = path_style::place_beside(anchor, center - anchor, size, rect, 6.0);
                run_labels.push((at, text, trajectory.color));
            }
        }
        // Axes and their labels, clear of the runs' labels and the mouse hint.
        let mut reserved: Vec<Rect> = run_labels.iter().map(|(r, _, _)| *r).collect();
        let hint = (!response.hovered() && rect.width() > 420.0).then(|| {
            let galley = painter.layout_no_wrap(
                "drag: rotate · scroll: zoom · double-click: reset".to_owned(),
                FontId::proportional(HINT_SIZE),
                faint,
            );
            let at = Align2::RIGHT_BOTTOM
                .anchor_size(rect.right_bottom() + Vec2::new(-8.0, -8.0), galley.size());
            (at, galley)
        });
        let mut measure = |text: &str, size: f32| {
            painter
                .layout_no_wrap(text.to_owned(), FontId::proportional(size), text_color)
                .size()
        };
        let mut axes = layout_axes(&view, &scale, rect, &reserved, &mut measure);
        // The hint only where it does not cover a label.
        if let Some((at, galley)) = hint
            && !axes.labels.iter().any(|l| l.rect.intersects(at))
        {
            painter.galley(at.min, galley, faint);
            reserved.push(at);
        }
        let stroke = Stroke::new(1.2, faint);
        for line in axes.lines.drain(..) {
            painter.line_segment(line, stroke);
        }
        for label in axes.labels {
            let galley =
                painter.layout_no_wrap(label.text, FontId::proportional(label.size), text_color);
            painter.galley(label.rect.min, galley, text_color);
        }

        // In front: paths, markers, labels.
        // The selected run on top of the others; every run's position on top of every path.
        let mut order: Vec<(&Trajectory3d<'_>, &PathCache)> =
            input.trajectories.iter().zip(&self.paths).collect();
        order.sort_by_key(|(t, _)| t.selected);
        for (trajectory, cache) in &order {
            cache.draw_path(&painter, trajectory, k);
        }
        for (trajectory, cache) in &order {
            cache.draw_markers(&painter, trajectory, k);
        }
        for point in input.known_points {
            draw_known_point(&painter, point, &scale, field, &view);
        }
        if let Some(p) = input.linked_hover {
            let (x, y) = (scale.x(p[0]), scale.y(p[1]));
            if let Some(z) = field.height_at(x, y)
                && let Some(at) = project(Vec3::new(x, y, z))
            {
                painter.circle_stroke(at, 7.0, Stroke::new(2.5, Color32::BLACK));
                painter.circle_stroke(at, 7.0, Stroke::new(1.2, Color32::WHITE));
            }
        }
        let fill = ui.visuals().extreme_bg_color.gamma_multiply(0.9);
        for (at, text, color) in run_labels {
            let colors = LabelColors {
                text: text_color,
                fill,
                border: color,
            };
            path_style::draw_label_box(&painter, at, &text, colors);
        }
        if !dragging
            && let Some(pointer) = response.hover_pos()
            && let Some(hit) = field.pick(view.eye, view.ray_direction(pointer.x, pointer.y))
        {
            let p = scale.parameters(hit.x, hit.y);
            out.hovered = Some(p);
            let j = scale.cost_at_fraction(f64::from(hit.z / scale.top));
            painter.circle_filled(pointer, 3.0, Color32::WHITE);
            let parts = [
                format!("w = {}", readout(p[0])),
                format!("b = {}", readout(p[1])),
                format!("J ≈ {}", readout(j)),
            ];
            readout_ui(&painter, rect, &parts, text_color, fill);
        }
        out
    }

    /// The scale and mesh for this surface and these settings, rebuilt only when they change.
    fn prepare(
        &mut self,
        surface: &SurfaceInput<'_>,
        settings: &Camera3d,
        resolution: usize,
    ) -> Option<SceneScale> {
        let key = GeometryKey {
            version: surface.version,
            columns: surface.columns,
            rows: surface.rows,
            domain: surface.domain,
            log_height: settings.log_height,
            exaggeration: settings.exaggeration.to_bits(),
            wireframe: settings.wireframe,
            resolution,
        };
        let slot = if resolution == MAX_MESH_RESOLUTION {
            &mut self.fine
        } else {
            &mut self.coarse
        };
        if slot.as_ref().is_none_or(|(k, _)| *k != key) {
            let scale = SceneScale::fit(
                surface.domain,
                surface.values,
                settings.log_height,
                settings.exaggeration,
            );
            let (columns, rows) = resample(
                surface.values,
                surface.columns,
                surface.rows,
                resolution,
                &mut self.scratch_values,
            );
            let values: &[f64] = if columns == surface.columns && rows == surface.rows {
                surface.values
            } else {
                &self.scratch_values
            };
            let wire = settings.wireframe;
            let color_of = |j: f64| (surface.color_of)(j);
            let mut mesh = SurfaceMesh::build(values, columns, rows, &scale, &color_of);
            if wire {
                mesh.darken_lines(WIRE_SPACING, 0.55);
            }
            *slot = Some((key, mesh));
            self.scale = Some(scale);
            // A new geometry invalidates every projection and visibility.
            self.paths.clear();
        }
        self.scale
    }

    /// The mesh projected for `view`, reprojected only when the camera or the rect moved.
    fn projected(&mut self, view: &CameraView, rect: Rect, resolution: usize) -> Option<Arc<Mesh>> {
        let (slot, projected) = if resolution == MAX_MESH_RESOLUTION {
            (&self.fine, &mut self.fine_projected)
        } else {
            (&self.coarse, &mut self.coarse_projected)
        };
        let (geometry_key, surface) = slot.as_ref()?;
        if surface.is_empty() {
            return None;
        }
        let eye = bits3(view.eye);
        let rect_bits = [rect.min.x, rect.min.y, rect.max.x, rect.max.y].map(f32::to_bits);
        let key = (*geometry_key, eye, rect_bits);
        if projected.key != Some(key) {
            let mesh = Arc::make_mut(&mut projected.mesh);
            surface.write_vertices(view, &mut mesh.vertices);
            if projected.indices_eye != Some((*geometry_key, eye)) {
                surface.write_indices(view.eye, &mut mesh.indices);
                projected.indices_eye = Some((*geometry_key, eye));
            }
            projected.key = Some(key);
        }
        Some(Arc::clone(&projected.mesh))
    }
}

fn draw_known_point(
    painter: &egui::Painter,
    point: &KnownPoint,
    scale: &SceneScale,
    field: &HeightField,
    view: &CameraView,
) {
    if !scale.domain.contains(point.at) || !point.value.is_finite() {
        return;
    }
    let world = on_surface(
        scale.world(point.at[0], point.at[1], point.value),
        field,
        0.012 * scale.top,
    );
    let Some(s) = view.project(world) else {
        return;
    };
    let visible = field.is_visible(world, view.eye);
    let alpha = if visible { 1.0 } else { 0.35 };
    let center = Pos2::new(s.x, s.y);
    let (fill, r) = match point.kind {
        PointKind::GlobalMinimum | PointKind::LocalMinimum => (Color32::WHITE, 7.0),
        PointKind::Saddle | PointKind::Maximum => (Color32::from_rgb(255, 170, 60), 5.5),
    };
    // A six-pointed star: two triangles.
    for turn in [0.0f32, std::f32::consts::PI] {
        let corners: Vec<Pos2> = (0..3)
            .map(|k| {
                let a = turn + std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::TAU / 3.0;
                center + Vec2::new(a.cos(), -a.sin()) * r
            })
            .collect();
        painter.add(Shape::convex_polygon(
            corners,
            fill.gamma_multiply(alpha),
            Stroke::new(1.0, Color32::BLACK.gamma_multiply(alpha)),
        ));
    }
}

/// The points the camera fits into the panel: the box and the room its axis labels need.
pub fn scene_bounds(scale: &SceneScale) -> [Vec3; 8] {
    let top = scale.top * 1.06;
    [
        Vec3::new(-1.22, -1.22, 0.0),
        Vec3::new(1.22, -1.22, 0.0),
        Vec3::new(1.22, 1.22, 0.0),
        Vec3::new(-1.22, 1.22, 0.0),
        Vec3::new(-1.0, -1.0, top),
        Vec3::new(1.0, -1.0, top),
        Vec3::new(1.0, 1.0, top),
        Vec3::new(-1.0, 1.0, top),
    ]
}

/// Room left around the fitted scene in a panel of `size`: [`FIT_MARGIN`] in a large panel,
/// less in a small one, whose surface would otherwise shrink to a stamp.
pub fn fit_margin(size: Vec2) -> f32 {
    (0.08 * size.min_elem()).clamp(10.0, FIT_MARGIN)
}

/// Room between the readout box's border and its text.
const READOUT_PADDING: Vec2 = Vec2::new(5.0, 3.0);

/// The hover readout (`parts`: w, b and J) in a box at the panel's bottom left: on one
/// line when it fits the panel's width, else one line per value; the box stays inside
/// the panel. Returns the box.
fn readout_ui(
    painter: &egui::Painter,
    rect: Rect,
    parts: &[String],
    text: Color32,
    fill: Color32,
) -> Rect {
    let font = FontId::proportional(READOUT_SIZE);
    let room = rect.width() - 16.0 - 2.0 * READOUT_PADDING.x;
    let mut galley = painter.layout_no_wrap(parts.join(", "), font.clone(), text);
    if galley.size().x > room {
        galley = painter.layout_no_wrap(parts.join("\n"), font, text);
    }
    let size = galley.size() + 2.0 * READOUT_PADDING;
    let at = path_style::keep_inside(
        Align2::LEFT_BOTTOM.anchor_size(rect.left_bottom() + Vec2::new(8.0, -8.0), size),
        rect,
    );
    painter.rect_filled(at, 3.0, fill);
    painter.galley(at.min + READOUT_PADDING, galley, text);
    at
}

/// The floor's outline (drawn before the surface, so the surface covers it).
fn floor_ui(painter: &egui::Painter, view: &CameraView, color: Color32) {
    let corners = [
        (-1.0, -1.0),
        (1.0, -1.0),
        (1.0, 1.0),
        (-1.0, 1.0),
        (-1.0, -1.0),
    ];
    let points: Vec<Pos2> = corners
        .iter()
        .filter_map(|&(x, y)| view.project(Vec3::new(x, y, 0.0)))
        .map(|s| Pos2::new(s.x, s.y))
        .collect();
    if points.len() == corners.len() {
        painter.add(Shape::line(points, Stroke::new(1.0, color)));
    }
}

/// The view's own controls, above the scene; in a narrow view they fold into one menu so
/// the scene keeps its height.
fn controls_ui(ui: &mut egui::Ui, settings: &mut Camera3d) {
    if ui.available_width() < 360.0 {
        ui.menu_button("3D options", |ui| controls_row(ui, settings))
            .response
            .on_hover_text("drag to rotate, scroll to zoom, double-click to reset");
    } else {
        ui.horizontal_wrapped(|ui| controls_row(ui, settings));
    }
}

/// Exaggeration, log height, wireframe and camera reset.
fn controls_row(ui: &mut egui::Ui, settings: &mut Camera3d) {
    ui.add(
        egui::Slider::new(&mut settings.exaggeration, EXAGGERATION_RANGE)
            .logarithmic(true)
            .max_decimals(2)
            .text("height"),
    )
    .on_hover_text("vertical exaggeration of the surface");
    ui.checkbox(&mut settings.log_height, "log height")
        .on_hover_text("height grows with log(J - J_min): shows the bottom of deep valleys");
    ui.checkbox(&mut settings.wireframe, "wireframe");
    if ui
        .button("reset camera")
        .on_hover_text("drag to rotate, scroll to zoom, double-click to reset")
        .clicked()
    {
        settings.reset_orbit();
    }
}

/// `p` raised to the drawn surface where the mesh (straight between samples) passes above
/// it, then lifted by `lift`: a point at a sharp minimum between grid samples would
/// otherwise sit under the mesh and read as hidden.
fn on_surface(mut p: Vec3, field: &HeightField, lift: f32) -> Vec3 {
    if let Some(h) = field.height_at(p.x, p.y) {
        p.z = p.z.max(h);
    }
    p.z += lift;
    p
}

fn bits3(v: Vec3) -> [u32; 3] {
    [v.x.to_bits(), v.y.to_bits(), v.z.to_bits()]
}

/// Resamples a grid to at most `max` vertices per axis (bilinear; NaN where any neighbor
/// is undefined). Returns the new size; the values go to `out` (untouched when the grid
/// is already small enough).
pub fn resample(
    values: &[f64],
    columns: usize,
    rows: usize,
    max: usize,
    out: &mut Vec<f64>,
) -> (usize, usize) {
    let max = max.max(2);
    if (columns <= max && rows <= max) || values.len() != columns * rows || columns < 2 || rows < 2
    {
        return (columns, rows);
    }
    let (nc, nr) = (columns.min(max), rows.min(max));
    out.clear();
    out.reserve(nc * nr);
    for j in 0..nr {
        let gy = j as f64 * (rows - 1) as f64 / (nr - 1) as f64;
        let j0 = (gy.floor() as usize).min(rows - 2);
        let fy = gy - j0 as f64;
        for i in 0..nc {
            let gx = i as f64 * (columns - 1) as f64 / (nc - 1) as f64;
            let i0 = (gx.floor() as usize).min(columns - 2);
            let fx = gx - i0 as f64;
            let v = |di: usize, dj: usize| values[(j0 + dj) * columns + i0 + di];
            let bottom = v(0, 0) + fx * (v(1, 0) - v(0, 0));
            let top = v(0, 1) + fx * (v(1, 1) - v(0, 1));
            out.push(bottom + fy * (top - bottom));
        }
    }
    (nc, nr)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Resampling keeps the corners and the shape of a linear function exactly.
    #[test]
    fn resample_keeps_linear_functions() {
        let (c, r) = (7, 5);
        let values: Vec<f64> = (0..r)
            .flat_map(|j| (0..c).map(move |i| 2.0 * i as f64 + 3.0 * j as f64))
            .collect();
        let mut out = Vec::new();
        assert_eq!(resample(&values, c, r, 10, &mut out), (7, 5));
        assert!(out.is_empty());
        assert_eq!(resample(&values, c, r, 4, &mut out), (4, 4));
        assert_eq!(out[0], 0.0);
        assert_eq!(out[15], 2.0 * 6.0 + 3.0 * 4.0);
        // Vertex (i, j) of the 4x4 grid sits at column 2i, row 4j/3 of the original.
        assert!((out[4 + 1] - (2.0 * 2.0 + 3.0 * 4.0 / 3.0)).abs() < 1e-12);
    }
}
