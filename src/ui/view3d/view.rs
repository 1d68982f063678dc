//! The 3D surface widget: draws a [`SurfaceMesh`] back to front into an `egui::Mesh`, the
//! runs' trajectories on it (dimmed where a hill hides them), the known stationary points,
//! axes with ticks, and handles the orbit camera's mouse controls.

use std::sync::Arc;

use egui::epaint::{Mesh, PathShape, PathStroke};
use egui::{Align2, Color32, FontId, Pos2, Rect, Sense, Shape, Stroke, Vec2};
use egui_plot::PlotPoint;

use crate::engine::{Domain, KnownPoint, Point, PointKind};

use super::camera::{CameraView, Orbit};
use super::height_field::HeightField;
use super::scale::SceneScale;
use super::surface_mesh::SurfaceMesh;
use super::ticks::{format_number, nice_ticks};
use super::vec3::Vec3;
use crate::engine::limits::EXAGGERATION_RANGE;
use crate::engine::scenario::Camera3d;
use crate::ui::number::readout;

/// Most vertices per axis of the drawn mesh (finer grids are resampled).
pub const MAX_MESH_RESOLUTION: usize = 200;
/// Most vertices per axis while the camera is being dragged.
pub const DRAG_MESH_RESOLUTION: usize = 100;
/// Most points of one trajectory tested and drawn (longer paths are thinned evenly).
const MAX_PATH_POINTS: usize = 600;
/// Room left around the fitted scene (points; the J tick labels need some on the left).
const FIT_MARGIN: f32 = 30.0;
/// Most occlusion tests per trajectory while the camera moves.
const MOVING_OCCLUSION_TESTS: usize = 120;
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
    /// J at each point of `path` (at least as long as `path`).
    pub cost: &'a [f64],
    /// The run's color.
    pub color: Color32,
    /// The selected run is drawn a little thicker.
    pub selected: bool,
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

/// Visibility of one trajectory's points for one camera.
#[derive(Default)]
struct PathCache {
    key: Option<([u32; 3], usize, usize)>,
    points: Vec<Option<(Pos2, bool)>>,
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
        if !response.hovered() && rect.width() > 420.0 {
            painter.text(
                rect.right_bottom() + Vec2::new(-8.0, -8.0),
                Align2::RIGHT_BOTTOM,
                "drag: rotate · scroll: zoom · double-click: reset",
                FontId::proportional(12.0),
                ui.visuals().weak_text_color(),
            );
        }
        let Some(surface) = input.surface else {
            painter.text(
                rect.center(),
                Align2::CENTER_CENTER,
                "waiting for the surface…",
                FontId::proportional(16.0),
                ui.visuals().weak_text_color(),
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
        // The box and the room its axis labels need.
        let bounds = [
            Vec3::new(-1.22, -1.22, 0.0),
            Vec3::new(1.22, -1.22, 0.0),
            Vec3::new(1.22, 1.22, 0.0),
            Vec3::new(-1.22, 1.22, 0.0),
            Vec3::new(-1.0, -1.0, scale.top * 1.06),
            Vec3::new(1.0, -1.0, scale.top * 1.06),
            Vec3::new(1.0, 1.0, scale.top * 1.06),
            Vec3::new(-1.0, 1.0, scale.top * 1.06),
        ];
        let view = settings.fitted_view(
            scale.center(),
            [rect.min.x, rect.min.y],
            [rect.width(), rect.height()],
            &bounds,
            FIT_MARGIN,
        );
        let text_color = ui.visuals().text_color();
        let faint = ui.visuals().weak_text_color();

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
        // In front: axes, paths, markers.
        axes_ui(&painter, &view, &scale, text_color, faint);
        self.paths
            .resize_with(input.trajectories.len(), PathCache::default);
        for (trajectory, cache) in input.trajectories.iter().zip(&mut self.paths) {
            cache.update(trajectory, &scale, field, &view, resolution, moving);
            draw_path(&painter, trajectory, cache, k);
        }
        for point in input.known_points {
            draw_known_point(&painter, point, &scale, field, &view);
        }
        if let Some(p) = input.linked_hover {
            let (x, y) = (scale.x(p[0]), scale.y(p[1]));
            if let Some(z) = field.height_at(x, y)
                && let Some(s) = view.project(Vec3::new(x, y, z))
            {
                let at = Pos2::new(s.x, s.y);
                painter.circle_stroke(at, 7.0, Stroke::new(2.5, Color32::BLACK));
                painter.circle_stroke(at, 7.0, Stroke::new(1.2, Color32::WHITE));
            }
        }
        if !dragging
            && let Some(pointer) = response.hover_pos()
            && let Some(hit) = field.pick(view.eye, view.ray_direction(pointer.x, pointer.y))
        {
            let p = scale.parameters(hit.x, hit.y);
            out.hovered = Some(p);
            let j = scale.cost_at_fraction(f64::from(hit.z / scale.top));
            let text = format!(
                "w = {}, b = {}, J ≈ {}",
                readout(p[0]),
                readout(p[1]),
                readout(j)
            );
            painter.circle_filled(pointer, 3.0, Color32::WHITE);
            let pos = rect.left_bottom() + Vec2::new(8.0, -8.0);
            painter.text(
                pos,
                Align2::LEFT_BOTTOM,
                text,
                FontId::proportional(14.0),
                text_color,
            );
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

impl PathCache {
    /// Recomputes the projected points and their visibility when the camera, the mesh or
    /// the path changed; when only new points were added, only those are tested.
    fn update(
        &mut self,
        trajectory: &Trajectory3d<'_>,
        scale: &SceneScale,
        field: &HeightField,
        view: &CameraView,
        resolution: usize,
        moving: bool,
    ) {
        let len = trajectory.path.len().min(trajectory.cost.len());
        let stride = len.div_ceil(MAX_PATH_POINTS).max(1);
        let eye = bits3(view.eye);
        let keep_from = match self.key {
            Some((e, r, s)) if e == eye && r == resolution && s == stride => {
                // Same camera: keep the points already tested, except the last (which
                // may have been the current point of a shorter path, not on the stride).
                self.points.len().saturating_sub(1).min(len / stride)
            }
            _ => 0,
        };
        self.points.truncate(keep_from);
        self.key = Some((eye, resolution, stride));
        let lift = 0.012 * scale.top;
        // While moving, test every `every`-th point and let the others share the last test.
        let every = if moving {
            (len / stride).div_ceil(MOVING_OCCLUSION_TESTS).max(1)
        } else {
            1
        };
        let mut k = keep_from * stride;
        let mut n = keep_from;
        let mut last_visible = true;
        let mut push = |points: &mut Vec<Option<(Pos2, bool)>>, k: usize, test: bool| {
            let p = project_point(
                trajectory,
                k,
                scale,
                field,
                view,
                lift,
                (!test).then_some(last_visible),
            );
            if let Some((_, visible)) = p {
                last_visible = visible;
            }
            points.push(p);
        };
        while k < len {
            push(&mut self.points, k, n % every == 0 || k + stride >= len);
            k += stride;
            n += 1;
        }
        // Always end at the current point.
        if len > 0 && !(len - 1).is_multiple_of(stride) {
            push(&mut self.points, len - 1, true);
        }
    }
}

fn project_point(
    trajectory: &Trajectory3d<'_>,
    k: usize,
    scale: &SceneScale,
    field: &HeightField,
    view: &CameraView,
    lift: f32,
    test: Option<bool>,
) -> Option<(Pos2, bool)> {
    let p = trajectory.path[k];
    let j = trajectory.cost[k];
    if !scale.domain.contains([p.x, p.y]) || !j.is_finite() {
        return None;
    }
    let world = on_surface(scale.world(p.x, p.y, j), field, lift);
    let s = view.project(world)?;
    // `test` is Some(previous) to skip the occlusion test and reuse the previous result.
    let visible = match test {
        Some(previous) => previous,
        None => field.is_visible(world, view.eye),
    };
    Some((Pos2::new(s.x, s.y), visible))
}

fn draw_path(painter: &egui::Painter, trajectory: &Trajectory3d<'_>, cache: &PathCache, k: f32) {
    let color = trajectory.color;
    let width = k * if trajectory.selected { 3.0 } else { 2.2 };
    let dim = color.gamma_multiply(0.3);
    // Runs of consecutive drawable points with one visibility; a segment is hidden when
    // either end is.
    let mut run: Vec<Pos2> = Vec::new();
    let mut run_visible = true;
    let flush = |run: &mut Vec<Pos2>, visible: bool| {
        if run.len() >= 2 {
            let stroke = if visible {
                Stroke::new(width, color)
            } else {
                Stroke::new(1.4 * k, dim)
            };
            painter.add(Shape::Path(PathShape::line(
                std::mem::take(run),
                PathStroke::from(stroke),
            )));
        }
        run.clear();
    };
    let mut previous: Option<(Pos2, bool)> = None;
    for point in &cache.points {
        match (*point, previous) {
            (Some((pos, vis)), Some((prev_pos, prev_vis))) => {
                let segment_visible = vis && prev_vis;
                if run.is_empty() {
                    run.push(prev_pos);
                    run_visible = segment_visible;
                } else if segment_visible != run_visible {
                    let last = *run.last().unwrap_or(&prev_pos);
                    flush(&mut run, run_visible);
                    run.push(last);
                    run_visible = segment_visible;
                }
                run.push(pos);
            }
            (None, _) => flush(&mut run, run_visible),
            (Some(_), None) => {}
        }
        previous = *point;
    }
    flush(&mut run, run_visible);
    // Step dots when there are few steps.
    if cache.points.len() <= 150 {
        for &(pos, vis) in cache.points.iter().flatten() {
            painter.circle_filled(
                pos,
                k * if vis { 2.2 } else { 1.5 },
                if vis { color } else { dim },
            );
        }
    }
    // Start: a ring; current position: a ball.
    if let Some(&(start, vis)) = cache.points.first().and_then(Option::as_ref) {
        painter.circle_stroke(
            start,
            4.5 * k,
            Stroke::new(1.8 * k, if vis { color } else { dim }),
        );
    }
    if let Some(&(now, vis)) = cache.points.last().and_then(Option::as_ref) {
        let alpha = if vis { 1.0 } else { 0.4 };
        painter.circle_filled(now, 7.0 * k, Color32::BLACK.gamma_multiply(0.6 * alpha));
        painter.circle_filled(now, 6.0 * k, color.gamma_multiply(alpha));
        painter.circle_filled(
            now + Vec2::new(-2.0, -2.0),
            2.2,
            Color32::WHITE.gamma_multiply(0.7 * alpha),
        );
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

/// Axes with ticks: w and b along the floor edges nearest the camera, J up the corner that
/// is leftmost on screen.
fn axes_ui(
    painter: &egui::Painter,
    view: &CameraView,
    scale: &SceneScale,
    text: Color32,
    line: Color32,
) {
    let font = FontId::proportional(13.0);
    let title_font = FontId::proportional(16.0);
    let stroke = Stroke::new(1.2, line);
    let at = |p: Vec3| view.project(p).map(|s| Pos2::new(s.x, s.y));
    let y_edge = if view.eye.y >= 0.0 { 1.0 } else { -1.0 };
    let x_edge = if view.eye.x >= 0.0 { 1.0 } else { -1.0 };
    let d = scale.domain;
    // One horizontal axis: from `a` to `b` (world), ticks pushed outward by `out`.
    let axis = |from: Vec3, to: Vec3, out: Vec3, lo: f64, hi: f64, title: &str| {
        let (Some(p0), Some(p1)) = (at(from), at(to)) else {
            return;
        };
        painter.line_segment([p0, p1], stroke);
        for v in nice_ticks(lo, hi, 4) {
            let t = ((v - lo) / (hi - lo)) as f32;
            let base = from + (to - from) * t;
            let (Some(a), Some(b), Some(c)) =
                (at(base), at(base + out * 0.05), at(base + out * 0.16))
            else {
                continue;
            };
            painter.line_segment([a, b], stroke);
            painter.text(
                c,
                Align2::CENTER_CENTER,
                format_number(v),
                font.clone(),
                text,
            );
        }
        let middle = from + (to - from) * 0.5 + out * 0.34;
        if let Some(m) = at(middle) {
            painter.text(m, Align2::CENTER_CENTER, title, title_font.clone(), text);
        }
    };
    axis(
        Vec3::new(-1.0, y_edge, 0.0),
        Vec3::new(1.0, y_edge, 0.0),
        Vec3::new(0.0, y_edge, 0.0),
        d.w_min,
        d.w_max,
        "w",
    );
    axis(
        Vec3::new(x_edge, -1.0, 0.0),
        Vec3::new(x_edge, 1.0, 0.0),
        Vec3::new(x_edge, 0.0, 0.0),
        d.b_min,
        d.b_max,
        "b",
    );
    // The J axis stands at the corner that is leftmost on screen.
    let corners = [(-1.0f32, -1.0f32), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)];
    let Some((cx, cy)) = corners
        .iter()
        .copied()
        .filter_map(|(x, y)| at(Vec3::new(x, y, 0.0)).map(|p| ((x, y), p.x)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
    else {
        return;
    };
    let bottom = Vec3::new(cx, cy, 0.0);
    let top = Vec3::new(cx, cy, scale.top);
    let (Some(p0), Some(p1)) = (at(bottom), at(top)) else {
        return;
    };
    painter.line_segment([p0, p1], stroke);
    let ticks: Vec<(f64, f32)> = if scale.log_height {
        // Decades above the minimum: J = low + 10^k.
        let span = scale.high - scale.low;
        let top_decade = span.log10().floor() as i32;
        (top_decade - 3..=top_decade)
            .map(|k| scale.low + 10f64.powi(k))
            .map(|j| (j, scale.fraction(j) as f32))
            .filter(|&(_, t)| (0.08..=1.0).contains(&t))
            .collect()
    } else {
        nice_ticks(scale.low, scale.high, 4)
            .into_iter()
            .map(|j| (j, scale.fraction(j) as f32))
            // Leave the corner to the w and b labels.
            .filter(|&(_, t)| t >= 0.08)
            .collect()
    };
    // On a short axis (a small view) labels closer than a line of text are skipped.
    let min_gap = font.size * 1.1;
    let mut last_label: Option<Pos2> = None;
    for (j, t) in ticks {
        let p = Vec3::new(cx, cy, t * scale.top);
        if let Some(a) = at(p) {
            if last_label.is_some_and(|l| (l.y - a.y).abs() < min_gap) {
                continue;
            }
            last_label = Some(a);
            painter.line_segment([a, a + Vec2::new(-5.0, 0.0)], stroke);
            painter.text(
                a + Vec2::new(-8.0, 0.0),
                Align2::RIGHT_CENTER,
                format_number(j),
                font.clone(),
                text,
            );
        }
    }
    painter.text(
        p1 + Vec2::new(0.0, -12.0),
        Align2::CENTER_BOTTOM,
        "J",
        title_font,
        text,
    );
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
