//! Where the 3D view's axes, ticks and labels go for one camera and panel: w and b along
//! the floor edges nearest the camera, J up the corner leftmost on screen.
//!
//! Labels never overlap each other, whatever the angle or the panel's size: the axis names
//! are placed first, beyond their tick labels along the axis's outward direction on screen;
//! each axis takes as many ticks as its labels have room for; then tick labels are placed
//! one by one and a label that would touch one already placed, or leave the panel, is
//! skipped (its tick mark stays). Pure geometry: text is measured by the caller.

use egui::{Pos2, Rect, Vec2};

use super::camera::CameraView;
use super::scale::SceneScale;
use super::ticks::{decade_ticks, format_tick, nice_ticks};
use super::vec3::Vec3;
use crate::ui::path_style::{keep_inside, place_beside};

/// Text size of tick labels, in points (16 pixels or more at any presenter zoom).
pub const TICK_SIZE: f32 = 13.0;
/// Text size of the axis names.
pub const TITLE_SIZE: f32 = 16.0;
/// Least room between two labels.
const GAP: f32 = 3.0;
/// World length of a tick mark on the floor.
const TICK_LENGTH: f32 = 0.05;
/// Screen length of a tick mark on the J axis.
const J_TICK_LENGTH: f32 = 5.0;

/// One text to draw.
#[derive(Clone, Debug, PartialEq)]
pub struct PlacedLabel {
    /// The text.
    pub text: String,
    /// Where its measured box goes.
    pub rect: Rect,
    /// Text size, in points.
    pub size: f32,
}

/// The axes of one frame: lines (axes and tick marks) and labels.
#[derive(Clone, Debug, Default)]
pub struct AxisLayout {
    /// Axis lines and tick marks, in screen points.
    pub lines: Vec<[Pos2; 2]>,
    /// The axis names (w, b, J) and the tick labels that have room.
    pub labels: Vec<PlacedLabel>,
}

/// A tick label not yet placed.
struct Candidate {
    text: String,
    rect: Rect,
}

/// Lays out the axes of `scale` seen through `view` in `panel`, keeping labels off the
/// `reserved` rectangles. `measure` gives the size of a text at a text size.
pub fn layout_axes(
    view: &CameraView,
    scale: &SceneScale,
    panel: Rect,
    reserved: &[Rect],
    measure: &mut dyn FnMut(&str, f32) -> Vec2,
) -> AxisLayout {
    let at = |p: Vec3| {
        view.project(p)
            .map(|s| Pos2::new(s.x, s.y))
            .filter(|p| p.x.is_finite() && p.y.is_finite())
    };
    let mut out = AxisLayout::default();
    let mut titles: Vec<(String, Vec<Rect>)> = Vec::new();
    let mut ticks: Vec<Candidate> = Vec::new();

    // The floor axes, on the edges nearest the camera.
    let y_edge = if view.eye.y >= 0.0 { 1.0 } else { -1.0 };
    let x_edge = if view.eye.x >= 0.0 { 1.0 } else { -1.0 };
    let d = scale.domain;
    let floor_axes = [
        (
            Vec3::new(-1.0, y_edge, 0.0),
            Vec3::new(1.0, y_edge, 0.0),
            Vec3::new(0.0, y_edge, 0.0),
            (d.w_min, d.w_max),
            "w",
        ),
        (
            Vec3::new(x_edge, -1.0, 0.0),
            Vec3::new(x_edge, 1.0, 0.0),
            Vec3::new(x_edge, 0.0, 0.0),
            (d.b_min, d.b_max),
            "b",
        ),
    ];
    for (from, to, out_dir, (lo, hi), title) in floor_axes {
        let (Some(p0), Some(p1)) = (at(from), at(to)) else {
            continue;
        };
        out.lines.push([p0, p1]);
        let middle = from + (to - from) * 0.5;
        let direction = outward(at(middle), at(middle + out_dir * 0.3), at(Vec3::default()));
        // Tick marks and their labels, as many as have room side by side.
        let mut chosen: Vec<Candidate> = Vec::new();
        let mut marks: Vec<[Pos2; 2]> = Vec::new();
        for target in [4, 3, 2] {
            chosen.clear();
            marks.clear();
            for v in nice_ticks(lo, hi, target) {
                let base = from + (to - from) * ((v - lo) / (hi - lo)) as f32;
                let (Some(a), Some(b)) = (at(base), at(base + out_dir * TICK_LENGTH)) else {
                    continue;
                };
                marks.push([a, b]);
                let text = format_tick(v);
                let size = measure(&text, TICK_SIZE);
                chosen.push(Candidate {
                    rect: place_beside(b, direction, size, Rect::EVERYTHING, GAP),
                    text,
                });
            }
            if !any_overlap(chosen.iter().map(|c| c.rect)) {
                break;
            }
        }
        // The name goes beyond the tick labels, along the axis where there is room.
        let reach = chosen
            .iter()
            .map(|c| direction.x.abs() * c.rect.width() + direction.y.abs() * c.rect.height())
            .fold(0.0f32, f32::max);
        let size = measure(title, TITLE_SIZE);
        let spots = [0.5f32, 0.35, 0.65, 0.2, 0.8, 0.05, 0.95]
            .into_iter()
            .flat_map(|t| [0.0f32, 10.0, 20.0].map(move |extra| (t, extra)))
            .filter_map(|(t, extra)| {
                let tick_end = at(from + (to - from) * t + out_dir * TICK_LENGTH)?;
                let gap = if reach > 0.0 { reach + 2.0 * GAP } else { GAP };
                Some(place_beside(
                    tick_end,
                    direction,
                    size,
                    Rect::EVERYTHING,
                    gap + extra,
                ))
            })
            .collect();
        titles.push((title.to_owned(), spots));
        // Ends first: they tell the range.
        order_ends_first(&mut chosen);
        ticks.extend(chosen);
        out.lines.extend(marks);
    }

    // The J axis stands at the corner that is leftmost on screen.
    let corners = [(-1.0f32, -1.0f32), (1.0, -1.0), (1.0, 1.0), (-1.0, 1.0)];
    let corner = corners
        .iter()
        .filter_map(|&(x, y)| at(Vec3::new(x, y, 0.0)).map(|p| ((x, y), p.x)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c);
    if let Some((cx, cy)) = corner
        && let (Some(p0), Some(p1)) = (at(Vec3::new(cx, cy, 0.0)), at(Vec3::new(cx, cy, scale.top)))
    {
        out.lines.push([p0, p1]);
        let values: Vec<(f64, f32)> = if scale.log_height {
            decade_ticks(scale.low, scale.high)
        } else {
            nice_ticks(scale.low, scale.high, 4)
        }
        .into_iter()
        .map(|j| (j, scale.fraction(j) as f32))
        // The floor's corner belongs to the w and b labels.
        .filter(|&(_, t)| (0.08..=1.0).contains(&t))
        .collect();
        let mut chosen = Vec::new();
        for (j, t) in values {
            let Some(a) = at(Vec3::new(cx, cy, t * scale.top)) else {
                continue;
            };
            out.lines.push([a, a - Vec2::new(J_TICK_LENGTH, 0.0)]);
            let text = format_tick(j);
            let size = measure(&text, TICK_SIZE);
            chosen.push(Candidate {
                rect: place_beside(
                    a - Vec2::new(J_TICK_LENGTH, 0.0),
                    -Vec2::X,
                    size,
                    Rect::EVERYTHING,
                    GAP,
                ),
                text,
            });
        }
        order_ends_first(&mut chosen);
        ticks.extend(chosen);
        let size = measure("J", TITLE_SIZE);
        let spots = [0.0f32, 8.0, 16.0]
            .into_iter()
            .flat_map(|dx| [dx, -dx])
            .map(|dx| {
                place_beside(
                    p1 + Vec2::new(dx, 0.0),
                    -Vec2::Y,
                    size,
                    Rect::EVERYTHING,
                    8.0,
                )
            })
            .collect();
        titles.push(("J".to_owned(), spots));
    }

    // Names first, each at its first spot clear of everything (or at least of the other
    // names), then the tick labels that still have room.
    let mut taken: Vec<Rect> = reserved.to_vec();
    let tick_rects: Vec<Rect> = ticks.iter().map(|c| c.rect).collect();
    for (text, spots) in titles {
        let inside: Vec<Rect> = spots.iter().map(|&r| keep_inside(r, panel)).collect();
        let clear_of = |r: &Rect, others: &[Rect]| !others.iter().any(|o| touches(r, o));
        let rect = inside
            .iter()
            .find(|r| clear_of(r, &taken) && clear_of(r, &tick_rects))
            .or_else(|| inside.iter().find(|r| clear_of(r, &taken)))
            .or_else(|| inside.first())
            .copied();
        if let Some(rect) = rect {
            taken.push(rect);
            out.labels.push(PlacedLabel {
                text,
                rect,
                size: TITLE_SIZE,
            });
        }
    }
    for c in ticks {
        if panel.contains_rect(c.rect) && !taken.iter().any(|o| touches(&c.rect, o)) {
            taken.push(c.rect);
            out.labels.push(PlacedLabel {
                text: c.text,
                rect: c.rect,
                size: TICK_SIZE,
            });
        }
    }
    out
}

/// The screen direction pointing away from the box at an axis: from the axis's middle
/// toward a point beyond it, else away from the floor's center, else down.
fn outward(middle: Option<Pos2>, beyond: Option<Pos2>, center: Option<Pos2>) -> Vec2 {
    let usable = |v: Vec2| (v.length() > 0.5).then(|| v.normalized());
    middle
        .and_then(|m| beyond.and_then(|b| usable(b - m)))
        .or_else(|| middle.and_then(|m| center.and_then(|c| usable(m - c))))
        .unwrap_or(Vec2::Y)
}

/// True when the two boxes are closer than [`GAP`].
fn touches(a: &Rect, b: &Rect) -> bool {
    a.expand(0.5 * GAP).intersects(b.expand(0.5 * GAP))
}

/// True when any two of the boxes touch.
fn any_overlap(rects: impl Iterator<Item = Rect> + Clone) -> bool {
    let all: Vec<Rect> = rects.collect();
    all.iter()
        .enumerate()
        .any(|(i, a)| all[i + 1..].iter().any(|b| touches(a, b)))
}

/// Reorders ticks as first, last, then the rest from the outside in.
fn order_ends_first(ticks: &mut Vec<Candidate>) {
    let n = ticks.len();
    let mut order: Vec<usize> = Vec::with_capacity(n);
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        order.push(lo);
        lo += 1;
        if lo < hi {
            hi -= 1;
            order.push(hi);
        }
    }
    let mut taken: Vec<Option<Candidate>> = ticks.drain(..).map(Some).collect();
    ticks.extend(order.into_iter().filter_map(|i| taken[i].take()));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Domain;
    use crate::engine::limits::PITCH_RANGE;
    use crate::engine::scenario::Camera3d;
    use crate::ui::view3d::camera::Orbit;

    /// About the size egui's proportional font gives (digits are ~0.55 em wide).
    fn measure(text: &str, size: f32) -> Vec2 {
        Vec2::new(0.58 * size * text.chars().count() as f32 + 2.0, 1.25 * size)
    }

    /// The layout for a camera, a panel size and a scale, fitted as the view fits it.
    fn layout(yaw: f32, pitch: f32, panel: Vec2, scale: &SceneScale) -> (AxisLayout, Rect) {
        let camera = Camera3d {
            yaw,
            pitch,
            ..Camera3d::default()
        };
        let rect = Rect::from_min_size(Pos2::new(40.0, 30.0), panel);
        let bounds = crate::ui::view3d::view::scene_bounds(scale);
        let view = camera.fitted_view(
            scale.center(),
            [rect.min.x, rect.min.y],
            [rect.width(), rect.height()],
            &bounds,
            crate::ui::view3d::view::fit_margin(panel),
        );
        (layout_axes(&view, scale, rect, &[], &mut measure), rect)
    }

    fn scales() -> Vec<SceneScale> {
        vec![
            SceneScale::from_range(Domain::new(-3.0, 3.0, -3.0, 3.0), 0.001, 50.0, true, 1.0),
            SceneScale::from_range(Domain::new(-3.0, 3.0, -1.5, 1.5), 0.0, 120.0, false, 1.0),
            SceneScale::from_range(
                Domain::new(-1000.0, 2500.0, -0.002, 0.004),
                -2.5,
                1.0e6,
                true,
                2.0,
            ),
            SceneScale::from_range(Domain::new(0.0, 1.0, 0.0, 1.0), 12.0, 12.5, false, 0.3),
        ]
    }

    // At every angle and panel size (down to 190 x 130 points), no two labels overlap, none
    // leaves the panel, and the three axis names are always there.
    #[test]
    fn labels_never_overlap() {
        let (p0, p1) = (*PITCH_RANGE.start(), *PITCH_RANGE.end());
        for scale in scales() {
            for panel in [
                (190.0, 130.0),
                (240.0, 170.0),
                (420.0, 300.0),
                (900.0, 600.0),
            ] {
                for i in 0..24 {
                    for k in 0..6 {
                        let yaw = i as f32 * std::f32::consts::TAU / 24.0;
                        let pitch = p0 + (p1 - p0) * k as f32 / 5.0;
                        let (axes, rect) = layout(yaw, pitch, Vec2::new(panel.0, panel.1), &scale);
                        let labels = &axes.labels;
                        for (i, a) in labels.iter().enumerate() {
                            assert!(
                                rect.contains_rect(a.rect),
                                "{:?} leaves {rect:?} (yaw {yaw}, pitch {pitch})",
                                a
                            );
                            for b in &labels[i + 1..] {
                                assert!(
                                    !a.rect.intersects(b.rect),
                                    "{a:?} overlaps {b:?} (yaw {yaw}, pitch {pitch}, {panel:?})"
                                );
                            }
                        }
                        for name in ["w", "b", "J"] {
                            assert!(
                                labels.iter().any(|l| l.text == name),
                                "no {name} (yaw {yaw}, pitch {pitch}, {panel:?})"
                            );
                        }
                    }
                }
            }
        }
    }

    // In a roomy panel at the default camera every axis keeps at least two tick labels, and
    // the names sit beyond their axis's tick labels (farther from the box).
    #[test]
    fn roomy_panels_keep_ticks() {
        for scale in scales() {
            let (axes, _) = layout(
                Camera3d::default().yaw,
                Camera3d::default().pitch,
                Vec2::new(900.0, 600.0),
                &scale,
            );
            let ticks = axes.labels.iter().filter(|l| l.size == TICK_SIZE).count();
            assert!(ticks >= 6, "{:?}", axes.labels);
        }
    }

    // The decades of a log height are the J tick labels ("0.01, 0.1, 1, 10").
    #[test]
    fn log_height_ticks_are_decades() {
        let scale =
            SceneScale::from_range(Domain::new(-3.0, 3.0, -3.0, 3.0), 0.001, 50.0, true, 1.0);
        let (axes, _) = layout(-0.95, 0.55, Vec2::new(900.0, 600.0), &scale);
        let texts: Vec<&str> = axes.labels.iter().map(|l| l.text.as_str()).collect();
        for decade in ["0.1", "1", "10"] {
            assert!(texts.contains(&decade), "{texts:?}");
        }
        assert!(!texts.iter().any(|t| t.starts_with("0.10") || *t == "0.011"));
    }

    #[test]
    fn ends_first() {
        let mut c: Vec<Candidate> = (0..5)
            .map(|i| Candidate {
                text: i.to_string(),
                rect: Rect::NOTHING,
            })
            .collect();
        order_ends_first(&mut c);
        let order: Vec<&str> = c.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(order, ["0", "4", "1", "3", "2"]);
    }
}
