//! How a run's path is drawn over a colored surface (the contour's heat map, the 3D
//! surface), shared by the views so a run looks the same in each:
//!
//! - every stroke lies on a halo that contrasts with the run's own color (dark under light
//!   colors, light under dark ones), edged by a thin casing of the opposite shade, so any
//!   run color reads on any colormap: one of the three layers always stands out from the
//!   surface under it (black or white contrasts at least 4.5 to 1 with any color);
//! - a path's core is [`PATH_WIDTH`] points wide ([`SELECTED_PATH_WIDTH`] for the selected
//!   run), times the presenter's line scale ([`stroke_path`], [`dot`]);
//! - a diverged run is drawn as thin steps ([`DIVERGED_PATH_WIDTH`]) with a dot per
//!   iterate, so its long jumps do not smear over the rest of the plot;
//! - where a path leaves the plotted region it is clipped at the edge ([`clip_segment`])
//!   and ends in an arrowhead ([`arrowhead`]), with a short label ([`exit_label`]) in a
//!   box ([`draw_label_box`]) placed beside the arrow, inside the plot ([`place_beside`]).
//!
//! Widths and radii are in points at line scale 1; callers multiply them by
//! `theme::line_scale` (larger in presenter mode).

use egui::epaint::{PathShape, PathStroke};
use egui::{Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, Vec2};

/// Width of a run's path (its core, without the halo).
pub const PATH_WIDTH: f32 = 3.0;
/// Width of the selected run's path.
pub const SELECTED_PATH_WIDTH: f32 = 3.5;
/// Width of the steps of a diverged run: thin, so its long jumps stay out of the way.
pub const DIVERGED_PATH_WIDTH: f32 = 1.5;
/// How far the halo reaches beyond the core on each side.
pub const HALO_WIDTH: f32 = 1.0;
/// How far the casing reaches beyond the halo on each side.
pub const CASING_WIDTH: f32 = 0.6;
/// Radius of the dot drawn at each iterate (short paths and diverged runs).
pub const STEP_DOT_RADIUS: f32 = 2.5;
/// Length of the arrowhead where a path leaves the plot.
pub const ARROW_LENGTH: f32 = 11.0;
/// Size of the text of exit labels (never below 13 points: 16 pixels in presenter mode).
pub const LABEL_SIZE: f32 = 13.0;

/// Relative luminance of a color (sRGB, 0 for black to 1 for white).
pub fn luminance(color: Color32) -> f32 {
    let c = egui::Rgba::from(color);
    0.2126 * c.r() + 0.7152 * c.g() + 0.0722 * c.b()
}

/// The WCAG contrast ratio of two colors (1 for equal, 21 for black on white).
pub fn contrast(a: Color32, b: Color32) -> f32 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The dark shade of halos and casings.
const DARK: Color32 = Color32::from_rgba_premultiplied(14, 14, 18, 230);
/// The light shade of halos and casings.
const LIGHT: Color32 = Color32::from_rgba_premultiplied(230, 230, 230, 230);

/// True when black contrasts more than white with `color`.
fn is_light(color: Color32) -> bool {
    // Where black and white contrast equally: (L + 0.05) / 0.05 = 1.05 / (L + 0.05).
    luminance(color) > 0.179
}

/// The halo right under a path of `color`: dark under light colors (yellow, orange, sky
/// blue), light under dark ones (blue).
pub fn halo_color(color: Color32) -> Color32 {
    if is_light(color) { DARK } else { LIGHT }
}

/// The thin casing around the halo: the other shade, for where the surface has the halo's.
pub fn casing_color(color: Color32) -> Color32 {
    if is_light(color) { LIGHT } else { DARK }
}

/// Draws the polyline `points` as a path of `color`, `width` points wide, on its halo and
/// casing.
pub fn stroke_path(painter: &Painter, points: Vec<Pos2>, width: f32, color: Color32) {
    if points.len() < 2 {
        return;
    }
    let layers = [
        (
            width + 2.0 * (HALO_WIDTH + CASING_WIDTH),
            casing_color(color),
        ),
        (width + 2.0 * HALO_WIDTH, halo_color(color)),
    ];
    for (w, c) in layers {
        painter.add(Shape::Path(PathShape::line(
            points.clone(),
            PathStroke::from(Stroke::new(w, c)),
        )));
    }
    painter.add(Shape::Path(PathShape::line(
        points,
        PathStroke::from(Stroke::new(width, color)),
    )));
}

/// Draws a dot of `radius` at `at` on its halo and casing.
pub fn dot(painter: &Painter, at: Pos2, radius: f32, color: Color32) {
    painter.circle_filled(at, radius + HALO_WIDTH + CASING_WIDTH, casing_color(color));
    painter.circle_filled(at, radius + HALO_WIDTH, halo_color(color));
    painter.circle_filled(at, radius, color);
}

/// Draws an arrowhead whose tip is at `tip`, pointing along `direction` (screen space),
/// `length` points long, on its halo. Nothing is drawn for a zero direction.
pub fn arrowhead(painter: &Painter, tip: Pos2, direction: Vec2, length: f32, color: Color32) {
    let d = direction.normalized();
    if !(d.x.is_finite() && d.y.is_finite()) || d == Vec2::ZERO {
        return;
    }
    let side = d.rot90() * (0.55 * length);
    let back = tip - d * length;
    let corners = vec![tip, back + side, back - side];
    painter.add(Shape::convex_polygon(
        corners.clone(),
        Color32::TRANSPARENT,
        Stroke::new(2.0 * (HALO_WIDTH + CASING_WIDTH), casing_color(color)),
    ));
    painter.add(Shape::convex_polygon(
        corners,
        color,
        Stroke::new(2.0 * HALO_WIDTH, halo_color(color)),
    ));
}

/// The part of the segment from `a` to `b` inside the box `min..=max` (any units: plot
/// coordinates, parameters), as the fractions `(t0, t1)` of the way from `a` to `b`, or
/// `None` when it misses the box or a coordinate is not finite.
pub fn clip_segment(a: [f64; 2], b: [f64; 2], min: [f64; 2], max: [f64; 2]) -> Option<(f64, f64)> {
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for axis in 0..2 {
        let (p, d) = (a[axis], b[axis] - a[axis]);
        if !(p.is_finite() && d.is_finite()) {
            return None;
        }
        if d == 0.0 {
            if p < min[axis] || p > max[axis] {
                return None;
            }
            continue;
        }
        let (u, v) = ((min[axis] - p) / d, (max[axis] - p) / d);
        t0 = t0.max(u.min(v));
        t1 = t1.min(u.max(v));
    }
    (t0 <= t1).then_some((t0, t1))
}

/// The text of the label at a path's exit: "diverged at 72" once the run has diverged,
/// else "left the plot at 12" (the iteration of the first point outside).
pub fn exit_label(left_at: usize, diverged_at: Option<usize>) -> String {
    match diverged_at {
        Some(t) => format!("diverged at {t}"),
        None => format!("left the plot at {left_at}"),
    }
}

/// Draws `text` in the box `rect` (placed with [`place_beside`] for a text measured at
/// [`LABEL_SIZE`] plus [`LABEL_PADDING`] on each side).
pub fn draw_label_box(painter: &Painter, rect: Rect, text: &str, colors: LabelColors) {
    let font = FontId::proportional(LABEL_SIZE);
    let galley = painter.layout_no_wrap(text.to_owned(), font, colors.text);
    painter.rect(
        rect,
        3.0,
        colors.fill,
        Stroke::new(1.5, colors.border),
        egui::StrokeKind::Inside,
    );
    painter.galley(rect.min + LABEL_PADDING, galley, colors.text);
}

/// Room between a label box's border and its text.
pub const LABEL_PADDING: Vec2 = Vec2::new(4.0, 2.0);

/// The colors of a label box.
#[derive(Clone, Copy, Debug)]
pub struct LabelColors {
    /// The text.
    pub text: Color32,
    /// Behind the text (the panel's color, mostly opaque).
    pub fill: Color32,
    /// The border (the run's color).
    pub border: Color32,
}

/// A rectangle of `size` beside `anchor`, `gap` away from it in `direction` (its nearest
/// edge toward the anchor), moved inside `bounds` when it would stick out.
pub fn place_beside(anchor: Pos2, direction: Vec2, size: Vec2, bounds: Rect, gap: f32) -> Rect {
    let d = direction.normalized();
    let d = if d.x.is_finite() && d.y.is_finite() {
        d
    } else {
        Vec2::ZERO
    };
    // How far the center must go along `d` for the box's edge to clear the anchor.
    let reach = 0.5 * (d.x.abs() * size.x + d.y.abs() * size.y) + gap;
    let rect = Rect::from_center_size(anchor + d * reach, size);
    keep_inside(rect, bounds)
}

/// `rect` moved (not resized) to lie inside `bounds`, as far as it fits (a box larger
/// than the bounds keeps its top left corner inside).
pub fn keep_inside(rect: Rect, bounds: Rect) -> Rect {
    // How far to move the span `lo..hi` to lie within `min..max`.
    let shift = |lo: f32, hi: f32, min: f32, max: f32| {
        if hi - lo > max - min || lo < min {
            min - lo
        } else if hi > max {
            max - hi
        } else {
            0.0
        }
    };
    rect.translate(Vec2::new(
        shift(rect.min.x, rect.max.x, bounds.min.x, bounds.max.x),
        shift(rect.min.y, rect.max.y, bounds.min.y, bounds.max.y),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::surface::Colormap;
    use crate::ui::palette::RUN_COLORS;

    /// `top` (premultiplied, maybe translucent) over the opaque `under`.
    fn over(top: Color32, under: Color32) -> Color32 {
        let a = f32::from(top.a()) / 255.0;
        let mix = |t: u8, u: u8| (f32::from(t) + (1.0 - a) * f32::from(u)).round() as u8;
        Color32::from_rgb(
            mix(top.r(), under.r()),
            mix(top.g(), under.g()),
            mix(top.b(), under.b()),
        )
    }

    // Every run color contrasts with its own halo, and the casing with the halo.
    #[test]
    fn halo_contrasts_with_every_run_color() {
        for &c in &RUN_COLORS {
            let halo = over(halo_color(c), c);
            assert!(contrast(c, halo) >= 4.0, "{c:?} on {halo:?}");
            let casing = over(casing_color(c), halo);
            assert!(contrast(casing, halo) >= 7.0, "{c:?}: {casing:?} {halo:?}");
        }
        // Yellow gets a dark halo, blue a light one.
        assert!(luminance(halo_color(RUN_COLORS[4]).to_opaque()) < 0.05);
        assert!(luminance(halo_color(RUN_COLORS[5]).to_opaque()) > 0.7);
    }

    // On every colormap, at every level (also darkened by the 3D shading), a run's core, its
    // halo or its casing stands out from the surface under it (3 to 1: WCAG's minimum for
    // graphics).
    #[test]
    fn every_run_reads_on_every_colormap() {
        for map in Colormap::ALL {
            for i in 0..=50 {
                let [r, g, b] = map.rgb(f64::from(i) / 50.0);
                for shade in [1.0f32, 0.6] {
                    let dim = |v: u8| (f32::from(v) * shade) as u8;
                    let bg = Color32::from_rgb(dim(r), dim(g), dim(b));
                    for &c in &RUN_COLORS {
                        let halo = over(halo_color(c), bg);
                        let casing = over(casing_color(c), bg);
                        let best = contrast(c, bg)
                            .max(contrast(halo, bg))
                            .max(contrast(casing, bg));
                        assert!(best >= 3.0, "{map:?} {i} {c:?}: {best}");
                    }
                }
            }
        }
    }

    // Clipping keeps the inside part of a segment and rejects one that misses the box.
    #[test]
    fn clip_segment_keeps_the_inside_part() {
        let (min, max) = ([-1.0, -1.0], [1.0, 1.0]);
        assert_eq!(
            clip_segment([0.0, 0.0], [0.5, 0.5], min, max),
            Some((0.0, 1.0))
        );
        // Leaves through x = 1 halfway.
        assert_eq!(
            clip_segment([0.0, 0.0], [2.0, 0.0], min, max),
            Some((0.0, 0.5))
        );
        // Enters and leaves.
        let (t0, t1) = clip_segment([-3.0, 0.0], [3.0, 0.0], min, max).expect("crosses");
        assert!((t0 - 1.0 / 3.0).abs() < 1e-12 && (t1 - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(clip_segment([2.0, 2.0], [3.0, 0.0], min, max), None);
        assert_eq!(
            clip_segment([0.0, 0.0], [f64::INFINITY, 0.0], min, max),
            None
        );
        assert_eq!(clip_segment([0.0, 0.0], [f64::NAN, 0.0], min, max), None);
    }

    // A box placed beside a point clears it and stays inside its bounds.
    #[test]
    fn place_beside_clears_the_anchor_and_stays_inside() {
        let bounds = Rect::from_min_size(Pos2::ZERO, Vec2::new(200.0, 100.0));
        let size = Vec2::new(60.0, 16.0);
        let right = place_beside(Pos2::new(50.0, 50.0), Vec2::X, size, bounds, 4.0);
        assert!((right.min.x - 54.0).abs() < 1e-4, "{right:?}");
        let up = place_beside(Pos2::new(50.0, 50.0), -Vec2::Y, size, bounds, 4.0);
        assert!((up.max.y - 46.0).abs() < 1e-4, "{up:?}");
        // Near the right edge: pushed back inside.
        let edge = place_beside(Pos2::new(190.0, 50.0), Vec2::X, size, bounds, 4.0);
        assert!(bounds.contains_rect(edge), "{edge:?}");
        // Larger than the bounds: its top left corner stays visible.
        let big = keep_inside(
            Rect::from_min_size(Pos2::new(-5.0, 3.0), Vec2::new(300.0, 20.0)),
            bounds,
        );
        assert_eq!(big.min, Pos2::new(0.0, 3.0));
    }

    // The exit label names the divergence once it happened.
    #[test]
    fn exit_labels() {
        assert_eq!(exit_label(12, None), "left the plot at 12");
        assert_eq!(exit_label(12, Some(72)), "diverged at 72");
    }
}
