//! The contour view: J(w, b) as a heat map with contour lines, every run's trajectory, the
//! known minima, and the gradient. Clicking sets where runs start.

use egui::{Color32, Pos2, Shape, Stroke, TextureId, Vec2};
use egui_plot::{Arrows, Line, MarkerShape, Plot, PlotImage, PlotPoint, PlotPoints, Points};

use crate::engine::objective::Objective;
use crate::engine::surface::{Colormap, ValueScale};
use crate::engine::{Domain, KnownPoint, Point, PointKind};

use super::super::surface_cache::SurfaceResult;
use crate::engine::scenario::ViewSettings;
use crate::ui::number::readout;

/// Most trajectory points drawn as a line per run (longer paths are thinned evenly).
const MAX_PATH_POINTS: usize = 4000;
/// Most step dots per run.
const MAX_DOTS: usize = 120;

/// One run as the contour view draws it.
pub struct TraceView<'a> {
    /// Run color.
    pub color: Color32,
    /// Every point of the run so far: the start, then one per iteration up to the current one.
    pub path: &'a [PlotPoint],
    /// True for the run being edited.
    pub selected: bool,
}

/// What the contour view shows this frame.
pub struct ContourInput<'a> {
    /// Heat map, levels and arrows settings.
    pub settings: &'a ViewSettings,
    /// The region sampled.
    pub domain: Domain,
    /// The sampled surface, if one has arrived.
    pub surface: Option<&'a SurfaceResult>,
    /// While a slow surface computes, what is shown and how far it is ("surface 40%").
    pub surface_status: Option<&'a str>,
    /// The heat-map texture for `surface`.
    pub texture: Option<TextureId>,
    /// Gradient-field arrows (origins, tips), drawn when enabled.
    pub field: (&'a [PlotPoint], &'a [PlotPoint]),
    /// Every visible run.
    pub traces: &'a [TraceView<'a>],
    /// Known stationary points (minima drawn as stars).
    pub known_points: &'a [KnownPoint],
    /// The selected run's current point and the gradient there.
    pub gradient_at: Option<(Point, [f64; 2], Color32)>,
    /// The selected run's current point and the point its next update goes to.
    pub step: Option<(Point, Point)>,
    /// Evaluates J under the cursor.
    pub objective: Option<&'a dyn Objective>,
    /// Set the view back to the domain.
    pub reset_view: bool,
}

/// What the user did in the contour view.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ContourResponse {
    /// A click: where, and whether Shift was held (set every run's start).
    pub clicked: Option<(Point, bool)>,
    /// The (w, b) under the mouse (linked hover with the 3D view).
    pub hovered: Option<Point>,
}

/// The contour view's own memory between frames.
#[derive(Default)]
pub struct ContourView {
    /// (w, b, J) under the cursor on the previous frame.
    hover: Option<(Point, f64)>,
    /// A point hovered in another view (the 3D view), marked with a ring.
    pub linked_hover: Option<Point>,
    /// The plot's transform on the last frame (screen <-> plot coordinates).
    transform: Option<egui_plot::PlotTransform>,
}

impl ContourView {
    /// Where a point of parameter space was on screen in the last frame.
    pub fn screen_position(&self, p: Point) -> Option<Pos2> {
        self.transform
            .as_ref()
            .map(|t| t.position_from_point(&PlotPoint::new(p[0], p[1])))
    }
}

impl ContourView {
    /// Draws the view filling `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: ContourInput<'_>) -> ContourResponse {
        // Thicker lines and larger markers in presenter mode.
        let k = crate::ui::theme::line_scale(ui.ctx());
        let ContourInput {
            settings,
            domain,
            surface,
            surface_status,
            texture,
            field,
            traces,
            known_points,
            gradient_at,
            step,
            objective,
            reset_view,
        } = input;

        // The readout and the hint are cut to the row: a wider row would widen the plot
        // beyond its half of a split view.
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new("Cost J(w, b)").strong());
            if let Some(status) = surface_status {
                ui.label(egui::RichText::new(status).italics());
            }
            let text = match self.hover {
                Some((p, j)) => egui::RichText::new(format!(
                    "w = {}   b = {}   J = {}",
                    readout(p[0]),
                    readout(p[1]),
                    readout(j)
                ))
                .monospace(),
                None => {
                    egui::RichText::new("click: start of the selected run, Shift+click: all runs")
                        .weak()
                }
            };
            ui.add(egui::Label::new(text).truncate());
        });

        let mut plot = Plot::new("contour")
            .x_axis_label("w")
            .y_axis_label("b")
            .default_x_bounds(domain.w_min, domain.w_max)
            .default_y_bounds(domain.b_min, domain.b_max)
            .set_margin_fraction(Vec2::ZERO)
            .show_x(false)
            .show_y(false)
            .allow_boxed_zoom(false)
            // The heat map covers the plot: its background would only be painted over.
            .show_background(!(settings.heat_map && texture.is_some()))
            .grid_fade(0.6);
        if reset_view {
            plot = plot.reset();
        }

        let response = plot.show(ui, |plot_ui| {
            if let (Some(surface), true, Some(texture)) = (surface, settings.heat_map, texture) {
                {
                    let grid = &surface.grid;
                    let (dw, db) = (grid.w_step(), grid.b_step());
                    let center = PlotPoint::new(
                        (grid.domain.w_min + grid.domain.w_max) / 2.0,
                        (grid.domain.b_min + grid.domain.b_max) / 2.0,
                    );
                    let size = Vec2::new(
                        (grid.domain.w_span() + dw) as f32,
                        (grid.domain.b_span() + db) as f32,
                    );
                    plot_ui.image(
                        PlotImage::new("heat map", texture, center, size).allow_hover(false),
                    );
                }
            }
            if let Some(surface) = surface {
                let count = surface.levels.len().max(1);
                for (level, points) in &surface.contours {
                    let color = if settings.heat_map {
                        Color32::from_white_alpha(110)
                    } else {
                        level_color(settings.colormap, settings.color_scale, *level, count)
                    };
                    plot_ui.line(
                        Line::new("", PlotPoints::Borrowed(points))
                            .color(color)
                            .width(k * if settings.heat_map { 1.0 } else { 1.6 })
                            .allow_hover(false),
                    );
                }
            }
            if settings.gradient_field && !field.0.is_empty() {
                plot_ui.arrows(
                    Arrows::new(
                        "",
                        PlotPoints::Borrowed(field.0),
                        PlotPoints::Borrowed(field.1),
                    )
                    .color(Color32::from_white_alpha(150))
                    .tip_length(6.0)
                    .allow_hover(false),
                );
            }
            for trace in traces {
                draw_trace(plot_ui, trace, k);
            }
        });

        let transform = response.transform;
        self.transform = Some(transform);
        let painter = ui.painter_at(*transform.frame());
        let to_screen = |p: Point| transform.position_from_point(&PlotPoint::new(p[0], p[1]));

        // Current positions on top of all paths.
        for trace in traces {
            if let Some(last) = trace.path.last() {
                let at = transform.position_from_point(last);
                let radius = k * if trace.selected { 7.5 } else { 6.0 };
                painter.circle(
                    at,
                    radius,
                    trace.color,
                    Stroke::new(2.0 * k, Color32::BLACK),
                );
            }
        }
        for point in known_points {
            if point.kind == PointKind::GlobalMinimum || point.kind == PointKind::LocalMinimum {
                star(&painter, to_screen(point.at), 9.0 * k);
            }
        }
        if settings.gradient_arrow
            && let Some((at, gradient, color)) = gradient_at
        {
            // Direction of -gradient on screen (the b axis points up).
            let sx = transform.dpos_dvalue_x();
            let sy = transform.dpos_dvalue_y();
            let d = Vec2::new((-gradient[0] * sx) as f32, (-gradient[1] * sy) as f32);
            let length = d.length();
            // At a stationary point the direction is rounding noise: draw no arrow.
            let stationary = gradient[0].hypot(gradient[1]) < 1e-9;
            if length.is_finite() && length > 0.0 && !stationary {
                let origin = to_screen(at);
                let vec = d / length * 70.0;
                painter.arrow(origin, vec, Stroke::new(4.5 * k, Color32::BLACK));
                painter.arrow(origin, vec, Stroke::new(2.5 * k, color));
            }
        }

        if settings.step_arrow
            && let Some((from, to)) = step
        {
            // The update actually taken, to scale: unlike the gradient arrow (a direction),
            // its length is the step's length, so momentum or Adam visibly part from -gradient.
            let origin = to_screen(from);
            let vec = to_screen(to) - origin;
            if vec.length().is_finite() && vec.length() > 1.0 && vec.length() < 1e5 {
                painter.arrow(origin, vec, Stroke::new(4.0 * k, Color32::BLACK));
                painter.arrow(origin, vec, Stroke::new(2.0 * k, Color32::WHITE));
            }
        }

        self.hover = response.response.hover_pos().and_then(|pos| {
            let p = transform.value_from_position(pos);
            let at = [p.x, p.y];
            objective.map(|o| (at, o.value(at)))
        });

        if let Some(p) = self.linked_hover {
            let at = to_screen(p);
            painter.circle_stroke(at, 7.0, Stroke::new(2.5, Color32::BLACK));
            painter.circle_stroke(at, 7.0, Stroke::new(1.2, Color32::WHITE));
        }
        let mut out = ContourResponse {
            hovered: self.hover.map(|(p, _)| p),
            ..ContourResponse::default()
        };
        if response.response.clicked()
            && let Some(pos) = response.response.interact_pointer_pos()
        {
            let p = transform.value_from_position(pos);
            let shift = ui.input(|i| i.modifiers.shift);
            if p.x.is_finite() && p.y.is_finite() {
                out.clicked = Some(([p.x, p.y], shift));
            }
        }
        out
    }
}

/// One run's path, its step dots and its start marker; `k` scales widths and sizes.
fn draw_trace<'a>(plot_ui: &mut egui_plot::PlotUi<'a>, trace: &TraceView<'a>, k: f32) {
    let path = trace.path;
    let Some(first) = path.first() else {
        return;
    };
    let width = k * if trace.selected { 3.0 } else { 2.2 };
    if path.len() > MAX_PATH_POINTS {
        let stride = path.len().div_ceil(MAX_PATH_POINTS);
        let mut thinned: Vec<PlotPoint> = path.iter().step_by(stride).copied().collect();
        if let Some(last) = path.last() {
            thinned.push(*last);
        }
        plot_ui.line(
            Line::new("", PlotPoints::Owned(thinned))
                .color(trace.color)
                .width(width)
                .allow_hover(false),
        );
    } else if path.len() > 1 {
        plot_ui.line(
            Line::new("", PlotPoints::Borrowed(path))
                .color(trace.color)
                .width(width)
                .allow_hover(false),
        );
    }
    let stride = path.len().div_ceil(MAX_DOTS).max(1);
    let dots: Vec<[f64; 2]> = path.iter().step_by(stride).map(|p| [p.x, p.y]).collect();
    plot_ui.points(
        Points::new("", dots)
            .color(trace.color)
            .radius(2.5 * k)
            .allow_hover(false),
    );
    plot_ui.points(
        Points::new("", [first.x, first.y])
            .shape(MarkerShape::Square)
            .filled(false)
            .radius(6.0 * k)
            .color(trace.color)
            .allow_hover(false),
    );
}

/// A five-pointed star: white with a black outline.
fn star(painter: &egui::Painter, center: Pos2, radius: f32) {
    let mut points = Vec::with_capacity(10);
    for k in 0..10 {
        let r = if k % 2 == 0 { radius } else { radius * 0.45 };
        let angle = std::f32::consts::PI * (k as f32 / 5.0) - std::f32::consts::FRAC_PI_2;
        points.push(center + Vec2::new(angle.cos(), angle.sin()) * r);
    }
    // A star is not convex: fill the inner pentagon, then each spike as a triangle.
    let inner: Vec<Pos2> = points.iter().skip(1).step_by(2).copied().collect();
    painter.add(Shape::convex_polygon(inner, Color32::WHITE, Stroke::NONE));
    for k in (0..10).step_by(2) {
        let spike = vec![points[k], points[(k + 1) % 10], points[(k + 9) % 10]];
        painter.add(Shape::convex_polygon(spike, Color32::WHITE, Stroke::NONE));
    }
    points.push(points[0]);
    painter.add(Shape::line(points, Stroke::new(1.5, Color32::BLACK)));
}

/// The color of level `index` of `count` when the heat map is off.
fn level_color(colormap: Colormap, _scale: ValueScale, index: usize, count: usize) -> Color32 {
    let t = (index as f64 + 0.5) / count as f64;
    let [r, g, b] = colormap.rgb(t);
    Color32::from_rgb(r, g, b)
}
