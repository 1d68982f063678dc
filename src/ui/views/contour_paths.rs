//! Runs' paths on the contour plot, drawn in screen space: a halo under every path so any
//! run color reads on any colormap, thin steps with a dot on every iterate for a run that
//! diverged, and an arrow with a label where a path leaves the plot for good. Points far
//! outside the plot (a diverging run reaches 1e17) are clipped here, in f64, before any
//! shape is made of them.

use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2};
use egui_plot::{PlotPoint, PlotTransform};

// One look for a run in every view: the widths, halo color and label size are the 3D view's.
use crate::ui::path_style::{
    CASING_WIDTH, DIVERGED_PATH_WIDTH, HALO_WIDTH, PATH_WIDTH, SELECTED_PATH_WIDTH,
};
pub use crate::ui::path_style::{LABEL_SIZE, halo_color};

/// How far a path's outline reaches on each side of its line: the shared halo and casing
/// widths, painted here as one stroke of the halo's color.
const OUTLINE_WIDTH: f32 = HALO_WIDTH + CASING_WIDTH;
/// Most points drawn as a line per run (longer paths are thinned evenly).
const MAX_PATH_POINTS: usize = 4000;
/// Most step dots per run.
const MAX_DOTS: usize = 120;
/// Most dots of a run drawn with thin steps (one per iterate up to this many).
const MAX_THIN_DOTS: usize = 1000;
/// Least distance between two step dots, in points (times the presenter line scale).
const DOT_SPACING: f32 = 7.0;
/// Plot coordinates to screen points, in f64: a point a billion plot widths away keeps
/// its direction, where `PlotTransform` would round it to f32.
#[derive(Clone, Copy, Debug)]
pub struct ScreenMap {
    /// A plot point and where it is on screen.
    anchor: [f64; 2],
    anchor_screen: [f64; 2],
    /// Screen points per plot unit (negative on y: b grows upwards).
    scale: [f64; 2],
}

impl ScreenMap {
    /// The map of a plot's last transform.
    pub fn new(transform: &PlotTransform) -> Self {
        let b = transform.bounds();
        let anchor = [
            0.5 * (b.min()[0] + b.max()[0]),
            0.5 * (b.min()[1] + b.max()[1]),
        ];
        let at = transform.position_from_point(&PlotPoint::new(anchor[0], anchor[1]));
        Self {
            anchor,
            anchor_screen: [f64::from(at.x), f64::from(at.y)],
            scale: transform.dpos_dvalue(),
        }
    }

    /// A map showing the plot region `min..max` in `rect` (b upwards).
    pub fn from_rect(rect: Rect, min: [f64; 2], max: [f64; 2]) -> Self {
        let width = f64::from(rect.width());
        let height = f64::from(rect.height());
        Self {
            anchor: [min[0], max[1]],
            anchor_screen: [f64::from(rect.min.x), f64::from(rect.min.y)],
            scale: [width / (max[0] - min[0]), -height / (max[1] - min[1])],
        }
    }

    /// Where `p` is on screen (non-finite for a non-finite point).
    pub fn screen(&self, p: PlotPoint) -> [f64; 2] {
        [
            self.anchor_screen[0] + (p.x - self.anchor[0]) * self.scale[0],
            self.anchor_screen[1] + (p.y - self.anchor[1]) * self.scale[1],
        ]
    }

    /// The screen direction (unit length) from `a` to `b`; None when it has none (the
    /// same point, or a non-finite one).
    pub fn direction(&self, a: PlotPoint, b: PlotPoint) -> Option<Vec2> {
        let d = [b.x - a.x, b.y - a.y];
        // Divided by its largest component first, so 1e300 - (-1e300) does not overflow.
        let m = d[0].abs().max(d[1].abs());
        if !(m.is_finite() && m > 0.0) {
            return None;
        }
        let v = [d[0] / m * self.scale[0], d[1] / m * self.scale[1]];
        let length = v[0].hypot(v[1]);
        (length.is_finite() && length > 0.0)
            .then(|| Vec2::new((v[0] / length) as f32, (v[1] / length) as f32))
    }
}

/// True when the screen point `q` lies in `rect` (edges included).
pub fn inside(rect: Rect, q: [f64; 2]) -> bool {
    q[0].is_finite()
        && q[1].is_finite()
        && (f64::from(rect.min.x)..=f64::from(rect.max.x)).contains(&q[0])
        && (f64::from(rect.min.y)..=f64::from(rect.max.y)).contains(&q[1])
}

/// The part of the segment `a`-`b` (screen points) inside `rect`, with whether each end was
/// cut; None when none of it is inside or an end is not finite.
pub fn clip_segment(rect: Rect, a: [f64; 2], b: [f64; 2]) -> Option<Clipped> {
    let d = [b[0] - a[0], b[1] - a[1]];
    if !(a.iter().chain(&b).chain(&d).all(|v| v.is_finite())) {
        return None;
    }
    let lo = [f64::from(rect.min.x), f64::from(rect.min.y)];
    let hi = [f64::from(rect.max.x), f64::from(rect.max.y)];
    // Liang-Barsky: the segment is a + t d for t in [t0, t1]; each edge narrows the range.
    // Each end remembers the edge that cut it, to land on it exactly.
    let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
    let (mut edge0, mut edge1) = (None, None);
    for axis in 0..2 {
        for (p, q, edge) in [
            (-d[axis], a[axis] - lo[axis], lo[axis]),
            (d[axis], hi[axis] - a[axis], hi[axis]),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 && r > t0 {
                    t0 = r;
                    edge0 = Some((axis, edge));
                } else if p > 0.0 && r < t1 {
                    t1 = r;
                    edge1 = Some((axis, edge));
                }
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    // From the nearer end, so a segment between two points 1e17 away stays accurate.
    let at = |t: f64, edge: Option<(usize, f64)>| {
        let mut q = if t <= 0.5 {
            [a[0] + t * d[0], a[1] + t * d[1]]
        } else {
            [b[0] - (1.0 - t) * d[0], b[1] - (1.0 - t) * d[1]]
        };
        if let Some((axis, value)) = edge {
            q[axis] = value;
        }
        Pos2::new(q[0] as f32, q[1] as f32)
    };
    Some(Clipped {
        from: at(t0, edge0),
        to: at(t1, edge1),
        from_cut: t0 > 0.0,
        to_cut: t1 < 1.0,
    })
}

/// A segment cut to a rectangle.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Clipped {
    /// The first end inside.
    pub from: Pos2,
    /// The last end inside.
    pub to: Pos2,
    /// The segment began outside.
    pub from_cut: bool,
    /// The segment ended outside.
    pub to_cut: bool,
}

/// Where a ray from `from` (inside `rect`) along the unit vector `direction` leaves `rect`.
pub fn ray_exit(rect: Rect, from: [f64; 2], direction: Vec2) -> Pos2 {
    let d = [f64::from(direction.x), f64::from(direction.y)];
    let lo = [f64::from(rect.min.x), f64::from(rect.min.y)];
    let hi = [f64::from(rect.max.x), f64::from(rect.max.y)];
    let mut t = f64::INFINITY;
    for axis in 0..2 {
        if d[axis] > 0.0 {
            t = t.min((hi[axis] - from[axis]) / d[axis]);
        } else if d[axis] < 0.0 {
            t = t.min((lo[axis] - from[axis]) / d[axis]);
        }
    }
    let t = if t.is_finite() { t.max(0.0) } else { 0.0 };
    Pos2::new((from[0] + t * d[0]) as f32, (from[1] + t * d[1]) as f32)
}

/// One run's path as [`draw_path`] draws it.
pub struct PathInput<'a> {
    /// The start, then one point per iteration up to the one shown.
    pub points: &'a [PlotPoint],
    /// The run's color.
    pub color: Color32,
    /// The run being edited (a wider line, a larger marker).
    pub selected: bool,
    /// Thin steps with a dot on every iterate (a run that diverged).
    pub thin_steps: bool,
}

/// Where a path leaves the plot for good: its last shown point is outside.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exit {
    /// The point on the plot's edge (the last point inside when the way out is unknown).
    pub at: Pos2,
    /// The direction it leaves in (None when the next point is not finite).
    pub direction: Option<Vec2>,
    /// Index of the first point outside.
    pub index: usize,
}

/// The markers of a drawn path, painted by [`draw_marks`] once every path is down, so no
/// path hides another run's position.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Marks {
    /// The start, when it is inside the plot.
    pub start: Option<Pos2>,
    /// The last shown point, when it is inside the plot.
    pub current: Option<Pos2>,
    /// Where the path leaves the plot, when its last shown point is outside.
    pub exit: Option<Exit>,
}

/// A path laid out on screen: its lines cut to the plot, its step dots and its markers.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PathLayout {
    /// Polylines inside the plot (a path that ends outside runs up to the edge).
    pub lines: Vec<Vec<Pos2>>,
    /// Iterates marked with a dot.
    pub dots: Vec<Pos2>,
    /// Start, current point and exit.
    pub marks: Marks,
}

/// Lays `path` out in `rect` (the plot's frame), `k` scaling sizes. Paint every path's halo
/// ([`paint_halo`]) before any path ([`paint_path`]), so a halo never hides a neighbouring
/// run's line, then the markers ([`draw_marks`]).
pub fn layout_path(map: &ScreenMap, rect: Rect, path: &PathInput<'_>, k: f32) -> PathLayout {
    let points = path.points;
    let n = points.len();
    if n == 0 {
        return PathLayout::default();
    }
    let screen = |i: usize| map.screen(points[i]);
    let pos = |q: [f64; 2]| Pos2::new(q[0] as f32, q[1] as f32);
    let last_inside = (0..n).rev().find(|&i| inside(rect, screen(i)));
    // A path that never enters the plot is drawn where it crosses it, with no exit mark.
    let end = last_inside.unwrap_or(n - 1);

    let mut lines: Vec<Vec<Pos2>> = Vec::new();
    let stride = (end + 1).div_ceil(MAX_PATH_POINTS).max(1);
    let mut previous = 0;
    let mut open = false;
    for i in (stride..=end)
        .step_by(stride)
        .chain((end % stride != 0).then_some(end))
    {
        if let Some(c) = clip_segment(rect, screen(previous), screen(i)) {
            match lines.last_mut() {
                // Points closer than half a point apart (a run creeping along a valley) are
                // merged: the tessellator cannot turn a line around within a pixel.
                Some(line) if open && !c.from_cut => match line.as_mut_slice() {
                    [.., before, last]
                        if last.distance(c.to) < 0.5 && before.distance(c.to) >= 0.5 =>
                    {
                        *last = c.to
                    }
                    [.., last] if last.distance(c.to) < 0.5 => {}
                    _ => line.push(c.to),
                },
                _ if c.from.distance(c.to) < 0.5 => lines.push(vec![c.from]),
                _ => lines.push(vec![c.from, c.to]),
            }
            open = !c.to_cut;
        } else {
            open = false;
        }
        previous = i;
    }
    let exit = last_inside.filter(|&i| i + 1 < n).map(|i| {
        let from = screen(i);
        let direction = map.direction(points[i], points[i + 1]);
        let at = direction.map_or(pos(from), |d| ray_exit(rect, from, d));
        if direction.is_some() {
            lines.push(vec![pos(from), at]);
        }
        Exit {
            at,
            direction,
            index: i + 1,
        }
    });

    // A dot on each iterate: every one for thin steps (that is where the run was), a
    // sample along an ordinary path.
    let most = if path.thin_steps {
        MAX_THIN_DOTS
    } else {
        MAX_DOTS
    };
    let stride = (end + 1).div_ceil(most).max(1);
    let mut dots: Vec<Pos2> = Vec::new();
    for q in (0..=end).step_by(stride).map(screen) {
        // Dots closer than their own size would merge into a band of outlines.
        if inside(rect, q)
            && dots
                .last()
                .is_none_or(|d| d.distance(pos(q)) >= DOT_SPACING * k)
        {
            dots.push(pos(q));
        }
    }
    PathLayout {
        lines,
        dots,
        marks: Marks {
            start: Some(screen(0)).filter(|&q| inside(rect, q)).map(pos),
            current: last_inside.filter(|&i| i + 1 == n).map(|i| pos(screen(i))),
            exit,
        },
    }
}

/// The width of a path's line and of its halo on each side, in points.
fn widths(path: &PathInput<'_>, k: f32) -> (f32, f32) {
    let (width, halo) = if path.thin_steps {
        (DIVERGED_PATH_WIDTH, HALO_WIDTH)
    } else if path.selected {
        (SELECTED_PATH_WIDTH, OUTLINE_WIDTH)
    } else {
        (PATH_WIDTH, OUTLINE_WIDTH)
    };
    (k * width, k * halo)
}

/// Paints the halo under a path's lines.
pub fn paint_halo(painter: &Painter, path: &PathInput<'_>, layout: &PathLayout, k: f32) {
    let (width, halo) = widths(path, k);
    let stroke = Stroke::new(width + 2.0 * halo, halo_color(path.color));
    for line in &layout.lines {
        painter.add(Shape::line(line.clone(), stroke));
    }
}

/// Paints a path's lines and step dots.
pub fn paint_path(painter: &Painter, path: &PathInput<'_>, layout: &PathLayout, k: f32) {
    let (width, _) = widths(path, k);
    for line in &layout.lines {
        painter.add(Shape::line(line.clone(), Stroke::new(width, path.color)));
    }
    let radius = k * if path.thin_steps { 2.2 } else { 2.5 };
    let ring = Stroke::new(k, halo_color(path.color));
    for &dot in &layout.dots {
        painter.circle(dot, radius, path.color, ring);
    }
}

/// Draws a path's markers: a square at the start, a disc at the current point, an
/// arrowhead where it leaves the plot.
pub fn draw_marks(painter: &Painter, path: &PathInput<'_>, marks: &Marks, k: f32) {
    let halo = halo_color(path.color);
    if let Some(start) = marks.start {
        let square = Rect::from_center_size(start, Vec2::splat(11.0 * k));
        for (width, color) in [
            (2.0 * k + 2.0 * OUTLINE_WIDTH * k, halo),
            (2.0 * k, path.color),
        ] {
            painter.rect_stroke(
                square,
                0.0,
                Stroke::new(width, color),
                egui::StrokeKind::Middle,
            );
        }
    }
    if let Some(current) = marks.current {
        let radius = k * if path.selected { 7.5 } else { 6.0 };
        painter.circle(current, radius, path.color, Stroke::new(2.0 * k, halo));
    }
    if let Some(Exit {
        at,
        direction: Some(direction),
        ..
    }) = marks.exit
    {
        arrowhead(painter, at, direction, 12.0 * k, path.color, halo, k);
    }
}

/// An arrow from `from` to `to`: a `width` line of `color` over an `outline` halo, with a
/// head of fixed size (shorter arrows get a smaller one) unless `head` is false (the arrow
/// was cut at the plot's edge).
#[allow(clippy::too_many_arguments)]
pub fn arrow(
    painter: &Painter,
    from: Pos2,
    to: Pos2,
    color: Color32,
    outline: Color32,
    width: f32,
    head: bool,
    k: f32,
) {
    let vec = to - from;
    let length = vec.length();
    if !(length.is_finite() && length >= 1.0) {
        return;
    }
    let direction = vec / length;
    let head_length = if head {
        (12.0 * k).min(0.5 * length)
    } else {
        0.0
    };
    let shaft_end = to - direction * (0.6 * head_length);
    painter.line_segment(
        [from, shaft_end],
        Stroke::new(width + 2.0 * OUTLINE_WIDTH * k, outline),
    );
    painter.line_segment([from, shaft_end], Stroke::new(width, color));
    if head {
        arrowhead(painter, to, direction, head_length, color, outline, k);
    }
}

/// A filled arrowhead with its tip at `tip`, pointing along the unit vector `direction`.
pub fn arrowhead(
    painter: &Painter,
    tip: Pos2,
    direction: Vec2,
    length: f32,
    fill: Color32,
    outline: Color32,
    k: f32,
) {
    let back = tip - direction * length;
    let side = direction.rot90() * (0.45 * length);
    painter.add(Shape::convex_polygon(
        vec![tip, back + side, back - side],
        fill,
        Stroke::new(1.5 * k, outline),
    ));
}

/// Text boxes on the plot (exit labels, the gradient's length, notes): each placed clear of
/// the others and of the spots to avoid (run markers, minima), all painted last, on top.
#[derive(Default)]
pub struct Labels {
    /// Areas a new box keeps clear of: markers, and the boxes placed so far.
    avoid: Vec<Rect>,
    /// Boxes to paint and their text.
    boxes: Vec<(Rect, std::sync::Arc<egui::Galley>)>,
}

impl Labels {
    /// Keeps later boxes off `area`.
    pub fn avoid(&mut self, area: Rect) {
        self.avoid.push(area);
    }

    /// Places `text` in a box inside `rect`, as near `anchor` as fits, pushed `away` from it
    /// (a unit vector, or zero to centre it there) and clear of what is to be avoided.
    /// Returns the box.
    pub fn place(
        &mut self,
        painter: &Painter,
        rect: Rect,
        anchor: Pos2,
        away: Vec2,
        text: &str,
    ) -> Rect {
        let galley = painter.layout(
            text.to_owned(),
            FontId::proportional(LABEL_SIZE),
            Color32::WHITE,
            (rect.width() - 8.0).max(20.0),
        );
        let size = galley.size() + Vec2::new(8.0, 4.0);
        let half = 0.5 * size;
        // The box's center sits beyond the anchor along `away`, by half its extent that way.
        let reach = half.x * away.x.abs() + half.y * away.y.abs() + 4.0;
        let clamp = |c: Pos2| {
            Pos2::new(
                c.x.clamp(
                    rect.min.x + half.x,
                    (rect.max.x - half.x).max(rect.min.x + half.x),
                ),
                c.y.clamp(
                    rect.min.y + half.y,
                    (rect.max.y - half.y).max(rect.min.y + half.y),
                ),
            )
        };
        let mut center = clamp(anchor + away * reach);
        // Step clear of what is in the way: below it while there is room, else above.
        for _ in 0..self.avoid.len() {
            let Some(hit) = self
                .avoid
                .iter()
                .find(|r| r.intersects(Rect::from_center_size(center, size)))
            else {
                break;
            };
            let below = Pos2::new(center.x, hit.max.y + half.y + 2.0);
            let above = Pos2::new(center.x, hit.min.y - half.y - 2.0);
            center = if below.y + half.y <= rect.max.y {
                below
            } else {
                clamp(above)
            };
        }
        let frame = Rect::from_center_size(center, size);
        self.avoid.push(frame);
        self.boxes.push((frame, galley));
        frame
    }

    /// Paints every box placed: white text on a dark box, readable on any colormap.
    pub fn paint(self, painter: &Painter) {
        for (frame, galley) in self.boxes {
            painter.rect_filled(frame, 3.0, Color32::from_black_alpha(190));
            painter.galley(frame.min + Vec2::new(4.0, 2.0), galley, Color32::WHITE);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rect() -> Rect {
        Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(100.0, 50.0))
    }

    // A segment is cut where it crosses the edges; one outside or not finite is dropped.
    #[test]
    fn segments_are_clipped_to_the_rect() {
        let c = clip_segment(rect(), [50.0, 25.0], [150.0, 25.0]).expect("inside");
        assert_eq!(
            (c.from, c.to),
            (Pos2::new(50.0, 25.0), Pos2::new(100.0, 25.0))
        );
        assert!(!c.from_cut && c.to_cut);
        let c = clip_segment(rect(), [-1e17, 25.0], [1e17, 25.0]).expect("crosses");
        assert_eq!((c.from.x, c.to.x), (0.0, 100.0));
        assert!(c.from_cut && c.to_cut);
        assert!(clip_segment(rect(), [0.0, 60.0], [100.0, 70.0]).is_none());
        assert!(clip_segment(rect(), [50.0, 25.0], [f64::INFINITY, 25.0]).is_none());
        assert!(clip_segment(rect(), [50.0, 25.0], [f64::NAN, 0.0]).is_none());
    }

    // A ray leaves through the edge it points at, even towards a point 1e17 away.
    #[test]
    fn rays_leave_through_the_right_edge() {
        let map = ScreenMap::from_rect(rect(), [0.0, 0.0], [100.0, 50.0]);
        let from = PlotPoint::new(50.0, 25.0);
        let far = PlotPoint::new(50.0 + 1e17, 25.0 + 1e17);
        let d = map.direction(from, far).expect("a direction");
        let exit = ray_exit(rect(), map.screen(from), d);
        // b grows upwards: up and to the right leaves through the top edge.
        assert!(
            (exit.y - 0.0).abs() < 1e-4 && (exit.x - 75.0).abs() < 1e-3,
            "{exit:?}"
        );
        assert!(map.direction(from, from).is_none());
        assert!(map.direction(from, PlotPoint::new(f64::NAN, 0.0)).is_none());
    }

    // Light run colors get a dark halo, dark ones a light halo.
    #[test]
    fn halos_contrast_with_the_run_color() {
        let yellow = Color32::from_rgb(240, 228, 66);
        let blue = Color32::from_rgb(0, 114, 178);
        assert!(halo_color(yellow).intensity() < 0.1);
        assert!(halo_color(blue).r() > 200);
    }
}
