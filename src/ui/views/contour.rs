//! The contour view: J(w, b) as a heat map with contour lines, every run's trajectory, the
//! known minima, and the gradient. Clicking sets where runs start.
//!
//! By default one unit of w is as long on screen as one unit of b, so a round bowl looks
//! round and the gradient crosses the contour lines at right angles; "Stretch to fill"
//! (and a domain far wider than tall) gives each axis its own scale, and the plot says so.

use egui::{Color32, Pos2, Rect, Shape, Stroke, TextureId, Vec2};
use egui_plot::{Arrows, Line, Plot, PlotBounds, PlotImage, PlotPoint, PlotPoints};

use crate::engine::objective::Objective;
use crate::engine::surface::{Colormap, ValueScale};
use crate::engine::{Domain, KnownPoint, Point, PointKind};

use super::super::surface_cache::SurfaceResult;
use super::axes;
use super::contour_paths::{self, PathInput, ScreenMap};
use crate::engine::scenario::ViewSettings;
use crate::ui::number::readout;

/// Longest gradient arrow, in points (times the presenter line scale).
pub const GRADIENT_ARROW_LENGTH: f32 = 80.0;
/// A gradient this short or shorter draws no arrow: the point is stationary for the eye.
pub const GRADIENT_FLOOR: f64 = 1e-3;
/// Decades of |gradient| above [`GRADIENT_FLOOR`] over which the arrow grows to full length
/// (|gradient| = 1e3 and beyond draw [`GRADIENT_ARROW_LENGTH`]).
pub const GRADIENT_DECADES: f64 = 6.0;
/// A domain more than this many times wider than tall (or taller than wide) is stretched to
/// fill the plot: with equal scales it would be a sliver.
pub const MAX_EQUAL_SCALE_RATIO: f64 = 10.0;

/// The gradient arrow's length as a fraction of [`GRADIENT_ARROW_LENGTH`] for a gradient of
/// length `norm`: log10(norm / floor) / decades, clamped to [0, 1]. Grows with `norm`, is 0
/// at and below [`GRADIENT_FLOOR`] (a minimum or a saddle), 1 at 1e3 and beyond.
pub fn gradient_arrow_fraction(norm: f64) -> f64 {
    if norm.is_nan() || norm <= GRADIENT_FLOOR {
        return 0.0;
    }
    ((norm / GRADIENT_FLOOR).log10() / GRADIENT_DECADES).clamp(0.0, 1.0)
}

/// True when `domain` can be shown with equal scales on w and b without becoming a sliver
/// (see [`MAX_EQUAL_SCALE_RATIO`]).
pub fn equal_scales_fit(domain: Domain) -> bool {
    let ratio = domain.w_span() / domain.b_span();
    ratio.is_finite() && (1.0 / MAX_EQUAL_SCALE_RATIO..=MAX_EQUAL_SCALE_RATIO).contains(&ratio)
}

/// The plot region `(min, max)` that shows `domain` whole and centred in a plot area of
/// `size` points: with `equal` scales, the axis the domain fills gets the domain's range and
/// the other one room on both sides; otherwise the domain itself. None for an empty area or
/// a domain that cannot be drawn.
pub fn framed_bounds(domain: Domain, size: Vec2, equal: bool) -> Option<([f64; 2], [f64; 2])> {
    let (w, h) = (f64::from(size.x), f64::from(size.y));
    if !(domain.is_valid() && w >= 1.0 && h >= 1.0) {
        return None;
    }
    let mut min = [domain.w_min, domain.b_min];
    let mut max = [domain.w_max, domain.b_max];
    if equal {
        // Plot units per screen point: the larger need of the two axes, for both.
        let unit = (domain.w_span() / w).max(domain.b_span() / h);
        let center = [
            0.5 * (domain.w_min + domain.w_max),
            0.5 * (domain.b_min + domain.b_max),
        ];
        let half = [0.5 * unit * w, 0.5 * unit * h];
        min = [center[0] - half[0], center[1] - half[1]];
        max = [center[0] + half[0], center[1] + half[1]];
    }
    let ok = min.iter().chain(&max).all(|v| v.is_finite()) && min[0] < max[0] && min[1] < max[1];
    ok.then_some((min, max))
}

/// One run as the contour view draws it.
pub struct TraceView<'a> {
    /// Run name (labels where the run leaves the plot).
    pub name: &'a str,
    /// Run color.
    pub color: Color32,
    /// Every point of the run so far: the start, then one per iteration up to the current one.
    pub path: &'a [PlotPoint],
    /// True for the run being edited.
    pub selected: bool,
    /// The iteration the run diverged at, if it did: its steps are drawn thin, with a dot
    /// on every iterate.
    pub diverged_at: Option<usize>,
    /// Where a line search or L-BFGS evaluated J on the way, up to the shown point, and
    /// how many of them (at the end) the last shown update tried.
    pub trials: (&'a [PlotPoint], usize),
    /// ASGD's averaged parameters at the shown point (a second marker).
    pub average: Option<PlotPoint>,
}

/// Many seeds of one run, drawn faintly.
pub struct EnsembleView<'a> {
    /// Each seed's iterates.
    pub paths: &'a [Vec<Point>],
    /// The run's color.
    pub color: Color32,
    /// The playback position.
    pub iteration: usize,
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
    /// The basins picture and the region its pixels cover, drawn instead of the heat map.
    pub basins: Option<(TextureId, Domain)>,
    /// A seed ensemble of the selected run: every seed's path, faint, with the points at
    /// the playback position as a cloud.
    pub ensemble: Option<EnsembleView<'a>>,
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
    /// (w, b, J) under the cursor.
    hover: Option<(Point, f64)>,
    /// A point hovered in another view (the 3D view), marked with a ring.
    pub linked_hover: Option<Point>,
    /// The plot's transform on the last frame (screen <-> plot coordinates).
    transform: Option<egui_plot::PlotTransform>,
    /// The user panned or zoomed since the view last framed the domain; until then the
    /// view keeps the domain framed as the panel changes size.
    user_framed: bool,
    /// Whether the last frame had equal scales (a change frames the domain again).
    equal_scales: Option<bool>,
}

impl ContourView {
    /// Where a point of parameter space was on screen in the last frame.
    pub fn screen_position(&self, p: Point) -> Option<Pos2> {
        self.transform
            .as_ref()
            .map(|t| t.position_from_point(&PlotPoint::new(p[0], p[1])))
    }

    /// The plot's area on screen in the last frame.
    pub fn plot_rect(&self) -> Option<Rect> {
        self.transform.as_ref().map(|t| *t.frame())
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
            basins,
            ensemble,
            field,
            traces,
            known_points,
            gradient_at,
            step,
            objective,
            reset_view,
        } = input;

        // The hint is cut to the row: a wider row would widen the plot beyond its half of a
        // split view. The hover readout is drawn inside the plot, whole.
        ui.horizontal(|ui| {
            ui.label(egui::RichText::new("Cost J(w, b)").strong());
            if let Some(status) = surface_status {
                ui.label(egui::RichText::new(status).italics());
            }
            let hint =
                egui::RichText::new("click: start of the selected run, Shift+click: all runs")
                    .weak();
            ui.add(egui::Label::new(hint).truncate());
        });

        let fits = equal_scales_fit(domain);
        let equal = !settings.stretch_to_fill && fits;
        if reset_view || self.equal_scales != Some(equal) {
            self.user_framed = false;
        }
        self.equal_scales = Some(equal);
        let mut plot = Plot::new("contour")
            .custom_x_axes(vec![axes::x_axis("w")])
            .custom_y_axes(vec![axes::y_axis("b", 0.0)])
            .x_grid_spacer(|input| axes::round_marks(input, axes::X_LABEL_GAP))
            .y_grid_spacer(|input| axes::round_marks(input, axes::Y_LABEL_GAP))
            .grid_spacing(axes::GRID_SPACING)
            .set_margin_fraction(Vec2::ZERO)
            .show_x(false)
            .show_y(false)
            .allow_boxed_zoom(false)
            // Double-click frames the domain again, as this view does (not egui_plot's reset).
            .allow_double_click_reset(false)
            .grid_fade(0.6);
        if domain.is_valid() {
            plot = plot
                .default_x_bounds(domain.w_min, domain.w_max)
                .default_y_bounds(domain.b_min, domain.b_max);
        }
        if equal {
            // Keeps one unit of w as long as one of b while the user pans and zooms.
            plot = plot.data_aspect(1.0);
        }
        let follow = !self.user_framed;

        let response = plot.show(ui, |plot_ui| {
            let follow = follow || plot_ui.response().double_clicked();
            let framed = framed_bounds(domain, plot_ui.response().rect.size(), equal);
            if follow && let Some((min, max)) = framed {
                plot_ui.set_plot_bounds(PlotBounds::from_min_max(min, max));
            }
            if let Some((texture, d)) = basins {
                let center = PlotPoint::new((d.w_min + d.w_max) / 2.0, (d.b_min + d.b_max) / 2.0);
                let size = Vec2::new(d.w_span() as f32, d.b_span() as f32);
                plot_ui.image(PlotImage::new("basins", texture, center, size).allow_hover(false));
            } else if let (Some(surface), true, Some(texture)) =
                (surface, settings.heat_map, texture)
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
                plot_ui.image(PlotImage::new("heat map", texture, center, size).allow_hover(false));
            }
            if let Some(surface) = surface {
                let count = surface.levels.len().max(1);
                for (level, points) in &surface.contours {
                    let color = if basins.is_some() {
                        Color32::from_black_alpha(90)
                    } else if settings.heat_map {
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
            (follow, framed)
        });

        let transform = response.transform;
        self.transform = Some(transform);
        // Framing stays with the view until the user pans or zooms away from it (a domain
        // that cannot be framed keeps it waiting for one that can).
        self.user_framed = match response.inner {
            (true, Some((min, max))) => !same_bounds(transform.bounds(), min, max),
            (follow, None) => !follow,
            (false, Some(_)) => true,
        };
        let rect = *transform.frame();
        let painter = ui.painter_at(rect);
        let map = ScreenMap::new(&transform);
        let to_screen = |p: Point| transform.position_from_point(&PlotPoint::new(p[0], p[1]));
        let mut labels = contour_paths::Labels::default();
        if let Some(e) = ensemble {
            let faint = e.color.gamma_multiply(0.55);
            for path in e.paths {
                let end = path.len().min(e.iteration + 1);
                let points: Vec<Pos2> = path[..end]
                    .iter()
                    .filter(|p| p.iter().all(|v| v.is_finite()))
                    .map(|&p| to_screen(p))
                    .collect();
                painter.add(egui::Shape::line(points, egui::Stroke::new(k, faint)));
            }
            for path in e.paths {
                if let Some(&p) = path.get(e.iteration.min(path.len().saturating_sub(1)))
                    && p.iter().all(|v| v.is_finite())
                {
                    painter.circle(
                        to_screen(p),
                        3.0 * k,
                        e.color.gamma_multiply(0.8),
                        egui::Stroke::new(1.0, Color32::from_black_alpha(160)),
                    );
                }
            }
        }

        if !equal {
            let note = if fits {
                "stretched to fill: w and b at different scales, angles are not true"
            } else {
                "stretched: w and b ranges differ over tenfold, angles are not true"
            };
            labels.place(&painter, rect, rect.right_bottom(), Vec2::ZERO, note);
        }

        // Diverged runs' thin steps first, the selected run last: the one being edited is on
        // top and a run that blew up never hides the others. Markers go over all paths.
        let mut order: Vec<&TraceView<'_>> = traces.iter().collect();
        order.sort_by_key(|t| (t.diverged_at.is_none(), t.selected));
        let paths: Vec<PathInput<'_>> = order
            .iter()
            .map(|trace| PathInput {
                points: trace.path,
                color: trace.color,
                selected: trace.selected,
                thin_steps: trace.diverged_at.is_some(),
            })
            .collect();
        // Trial points under the paths: faint for earlier updates, ringed for the last.
        for trace in &order {
            let (trials, last) = trace.trials;
            let earlier = trials.len() - last;
            let faint = trace.color.gamma_multiply(0.35);
            for (i, p) in trials.iter().enumerate() {
                let at = map.screen(*p);
                let at = Pos2::new(at[0] as f32, at[1] as f32);
                if !rect.contains(at) {
                    continue;
                }
                if i < earlier {
                    painter.circle_filled(at, 1.8 * k, faint);
                } else {
                    painter.circle_stroke(at, 3.5 * k, Stroke::new(1.2 * k, trace.color));
                }
            }
        }
        let layouts: Vec<contour_paths::PathLayout> = paths
            .iter()
            .map(|path| contour_paths::layout_path(&map, rect, path, k))
            .collect();
        for (path, layout) in paths.iter().zip(&layouts) {
            contour_paths::paint_halo(&painter, path, layout, k);
        }
        for (path, layout) in paths.iter().zip(&layouts) {
            contour_paths::paint_path(&painter, path, layout, k);
        }
        for (path, layout) in paths.iter().zip(&layouts) {
            let marks = &layout.marks;
            contour_paths::draw_marks(&painter, path, marks, k);
            // Labels keep clear of where the runs are.
            for spot in [marks.start, marks.current].into_iter().flatten() {
                labels.avoid(Rect::from_center_size(spot, Vec2::splat(16.0 * k)));
            }
        }
        // ASGD's average: a hollow diamond in the run's color, where it parts from the path.
        for trace in &order {
            let (Some(average), Some(&last)) = (trace.average, trace.path.last()) else {
                continue;
            };
            let at = map.screen(average);
            let at = Pos2::new(at[0] as f32, at[1] as f32);
            let current = map.screen(last);
            if !rect.contains(at)
                || at.distance(Pos2::new(current[0] as f32, current[1] as f32)) < 2.0 * k
            {
                continue;
            }
            let r = 6.5 * k;
            let diamond = vec![
                at + Vec2::new(0.0, -r),
                at + Vec2::new(r, 0.0),
                at + Vec2::new(0.0, r),
                at + Vec2::new(-r, 0.0),
            ];
            painter.add(egui::Shape::closed_line(
                diamond.clone(),
                Stroke::new(4.0 * k, Color32::from_black_alpha(170)),
            ));
            painter.add(egui::Shape::closed_line(
                diamond,
                Stroke::new(2.0 * k, trace.color),
            ));
            labels.avoid(Rect::from_center_size(at, Vec2::splat(16.0 * k)));
        }
        for point in known_points {
            if point.kind == PointKind::GlobalMinimum || point.kind == PointKind::LocalMinimum {
                let at = to_screen(point.at);
                star(&painter, at, 9.0 * k);
                labels.avoid(Rect::from_center_size(at, Vec2::splat(18.0 * k)));
            }
        }
        if settings.step_arrow
            && let Some((from, to)) = step
        {
            // The update actually taken, to scale: unlike the gradient arrow (whose length
            // is a log scale of |gradient|), its length is the step's length, so momentum
            // or Adam visibly part from -gradient.
            let a = map.screen(PlotPoint::new(from[0], from[1]));
            let b = map.screen(PlotPoint::new(to[0], to[1]));
            if contour_paths::inside(rect, a)
                && let Some(c) = contour_paths::clip_segment(rect, a, b)
            {
                let (white, black) = (Color32::WHITE, Color32::BLACK);
                contour_paths::arrow(&painter, c.from, c.to, white, black, 2.0 * k, !c.to_cut, k);
            }
        }

        if settings.gradient_arrow
            && let Some((at, gradient, color)) = gradient_at
        {
            gradient_arrow(&painter, &map, rect, at, gradient, color, k, &mut labels);
        }

        for (trace, layout) in order.iter().zip(&layouts) {
            let Some(exit) = layout.marks.exit else {
                continue;
            };
            let shown_last = trace.path.len().saturating_sub(1);
            let what = match trace.diverged_at {
                Some(t) if t <= shown_last => format!("diverged at {t}"),
                _ => format!("off the plot at {}", exit.index),
            };
            let text = if traces.len() > 1 {
                format!("{}: {what}", trace.name)
            } else {
                what
            };
            let away = exit.direction.map_or(Vec2::ZERO, |d| -d);
            labels.place(&painter, rect, exit.at, away, &text);
        }
        labels.paint(&painter);
        let hover_pos = response.response.hover_pos();
        self.hover = hover_pos.and_then(|pos| {
            let p = transform.value_from_position(pos);
            let at = [p.x, p.y];
            objective.map(|o| (at, o.value(at)))
        });
        if let (Some((p, j)), Some(pointer)) = (self.hover, hover_pos) {
            hover_readout(ui, &painter, rect, pointer, p, j);
        }

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

/// True when `bounds` are (to rounding) the region `min..max`.
fn same_bounds(bounds: &PlotBounds, min: [f64; 2], max: [f64; 2]) -> bool {
    (0..2).all(|axis| {
        let tolerance = 1e-9 * (max[axis] - min[axis]);
        (bounds.min()[axis] - min[axis]).abs() <= tolerance
            && (bounds.max()[axis] - max[axis]).abs() <= tolerance
    })
}

/// The selected run's negative gradient at `at`: its direction on screen, its length a log
/// scale of |gradient| ([`gradient_arrow_fraction`]), and |gradient| printed at its tip.
#[allow(clippy::too_many_arguments)]
fn gradient_arrow(
    painter: &egui::Painter,
    map: &ScreenMap,
    rect: Rect,
    at: Point,
    gradient: [f64; 2],
    color: Color32,
    k: f32,
    labels: &mut contour_paths::Labels,
) {
    let from = PlotPoint::new(at[0], at[1]);
    let origin = map.screen(from);
    let norm = gradient[0].hypot(gradient[1]);
    if !(contour_paths::inside(rect, origin) && norm.is_finite()) {
        return;
    }
    let origin = Pos2::new(origin[0] as f32, origin[1] as f32);
    let length = GRADIENT_ARROW_LENGTH * k * gradient_arrow_fraction(norm) as f32;
    let toward = PlotPoint::new(at[0] - gradient[0], at[1] - gradient[1]);
    let direction = map.direction(from, toward).filter(|_| length >= 1.0);
    let text = format!("|gradient| = {}", readout(norm));
    match direction {
        Some(d) => {
            let tip = origin + d * length;
            let halo = contour_paths::halo_color(color);
            contour_paths::arrow(painter, origin, tip, color, halo, 2.5 * k, true, k);
            // Beside the tip, not beyond it: the way the arrow points stays clear.
            let side = if d.rot90().x >= 0.0 {
                d.rot90()
            } else {
                -d.rot90()
            };
            labels.place(painter, rect, tip, side, &text);
        }
        // Too short to draw: the point is (nearly) stationary; the number says how nearly.
        None => {
            let away = Vec2::new(1.0, -1.0).normalized();
            labels.place(painter, rect, origin + away * 8.0 * k, away, &text);
        }
    }
}

/// The readout of (w, b, J) under the pointer, in a box inside the plot: on one line when
/// it fits, else one line each; in the top corner away from the pointer.
fn hover_readout(
    ui: &egui::Ui,
    painter: &egui::Painter,
    rect: Rect,
    pointer: Pos2,
    p: Point,
    j: f64,
) {
    let parts = [
        format!("w = {}", readout(p[0])),
        format!("b = {}", readout(p[1])),
        format!("J = {}", readout(j)),
    ];
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let pad = Vec2::new(6.0, 3.0);
    let layout = |text: String| painter.layout_no_wrap(text, font.clone(), Color32::WHITE);
    let mut galley = layout(parts.join("   "));
    if galley.size().x + 2.0 * pad.x + 8.0 > rect.width() {
        galley = layout(parts.join("\n"));
    }
    let size = galley.size() + 2.0 * pad;
    let margin = 4.0;
    let left = Rect::from_min_size(rect.min + Vec2::splat(margin), size);
    let right = Rect::from_min_size(
        Pos2::new(rect.max.x - margin - size.x, rect.min.y + margin),
        size,
    );
    let frame = if left.expand(8.0).contains(pointer) {
        right
    } else {
        left
    };
    painter.rect_filled(frame, 3.0, Color32::from_black_alpha(200));
    painter.galley(frame.min + pad, galley, Color32::WHITE);
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

#[cfg(test)]
mod tests {
    use super::*;

    // The arrow grows with |gradient|, vanishes at a stationary point and never exceeds its
    // full length.
    #[test]
    fn gradient_arrow_length_is_a_log_scale() {
        let norms = [0.0, 1e-9, 1e-3, 2e-3, 0.01, 0.5, 1.0, 7.4, 100.0, 1e3, 1e9];
        let fractions: Vec<f64> = norms.iter().map(|&n| gradient_arrow_fraction(n)).collect();
        assert!(fractions.windows(2).all(|f| f[0] <= f[1]), "{fractions:?}");
        assert_eq!(fractions[0], 0.0);
        assert_eq!(gradient_arrow_fraction(GRADIENT_FLOOR), 0.0);
        assert!(gradient_arrow_fraction(2e-3) > 0.0);
        assert!((gradient_arrow_fraction(1.0) - 0.5).abs() < 1e-12);
        assert_eq!(gradient_arrow_fraction(1e3), 1.0);
        assert!(fractions.iter().all(|f| (0.0..=1.0).contains(f)));
        assert_eq!(gradient_arrow_fraction(f64::NAN), 0.0);
        assert_eq!(gradient_arrow_fraction(f64::INFINITY), 1.0);
    }

    // Equal scales keep the whole domain in view, centred, with one plot unit as long on
    // both axes; stretched, the plot shows the domain exactly.
    #[test]
    fn domain_is_framed_whole_and_centred() {
        let domain = Domain::new(-3.0, 3.0, -1.5, 1.5);
        for size in [Vec2::new(800.0, 300.0), Vec2::new(300.0, 500.0)] {
            let (min, max) = framed_bounds(domain, size, true).expect("a frame");
            let per_w = f64::from(size.x) / (max[0] - min[0]);
            let per_b = f64::from(size.y) / (max[1] - min[1]);
            assert!((per_w - per_b).abs() < 1e-9 * per_w, "{size:?}");
            assert!(min[0] <= -3.0 && max[0] >= 3.0 && min[1] <= -1.5 && max[1] >= 1.5);
            assert!((min[0] + max[0]).abs() < 1e-12 && (min[1] + max[1]).abs() < 1e-12);
            // The domain fills one axis.
            assert!(
                max[0] - min[0] == 6.0 || max[1] - min[1] == 3.0,
                "{min:?} {max:?}"
            );
        }
        let stretched = framed_bounds(domain, Vec2::new(800.0, 300.0), false);
        assert_eq!(stretched, Some(([-3.0, -1.5], [3.0, 1.5])));
        assert!(framed_bounds(domain, Vec2::ZERO, true).is_none());
        assert!(
            framed_bounds(
                Domain::new(-1e308, 1e308, 0.0, 1.0),
                Vec2::splat(100.0),
                true
            )
            .is_none()
        );
    }

    // Equal scales are used unless the domain's sides differ more than tenfold.
    #[test]
    fn extreme_domains_are_stretched() {
        assert!(equal_scales_fit(Domain::new(-3.0, 3.0, -1.5, 1.5)));
        assert!(equal_scales_fit(Domain::new(0.0, 1.0, 0.0, 10.0)));
        assert!(!equal_scales_fit(Domain::new(0.0, 500.0, 0.0, 2.0)));
        assert!(!equal_scales_fit(Domain::new(0.0, 1.0, 0.0, 1e4)));
    }
}
