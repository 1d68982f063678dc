//! The 3D view on its own through egui_kittest (no GPU: the painted shapes are read back):
//! paths follow the current frame's projection, labels never overlap or leave the panel,
//! readouts are never cut off, diverged and strided runs stay on the surface.
#![allow(clippy::unwrap_used)]

use egui::epaint::{ColorMode, Shape};
use egui::{Pos2, Rect, Vec2};
use egui_kittest::Harness;
use egui_plot::PlotPoint;
use losscape::engine::Domain;

#[path = "common/surface3d.rs"]
mod surface3d;
use surface3d::{RUN, Scene, harness};

fn bowl(w: f64, b: f64) -> f64 {
    w * w + 3.0 * b * b
}

/// J = w² + 3 b² on [-2, 2]² and a path spiralling into the minimum.
fn scene() -> Scene {
    let path: Vec<PlotPoint> = (0..80)
        .map(|k| {
            let r = 1.8 * 0.96f64.powi(k);
            let a = f64::from(k) * 0.3;
            PlotPoint::new(r * a.cos(), 0.6 * r * a.sin())
        })
        .collect();
    Scene::new(bowl, 60, Domain::new(-2.0, 2.0, -2.0, 2.0), path)
}

/// Every text drawn: its string, its box on screen and its size in points.
fn texts(h: &Harness<'static, Scene>) -> Vec<(String, Rect, f32)> {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            Shape::Text(t) => {
                let size = t
                    .galley
                    .job
                    .sections
                    .iter()
                    .map(|s| s.format.font_id.size)
                    .fold(f32::INFINITY, f32::min);
                let rect = t.galley.rect.translate(t.pos.to_vec2());
                Some((t.galley.text().to_owned(), rect, size))
            }
            _ => None,
        })
        .collect()
}

/// Every point of the paths drawn in the run's color.
fn path_points(h: &Harness<'static, Scene>) -> Vec<Pos2> {
    h.output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            Shape::Path(p) if p.stroke.color == ColorMode::Solid(RUN) => Some(p.points.clone()),
            _ => None,
        })
        .flatten()
        .collect()
}

// Switching from the 3D view alone to the split view (same camera, a narrower panel further
// right) draws the paths with the new frame's projection: every point lies in the new panel,
// none is left where the wide panel had it (the paths used to run in from the left edge).
#[test]
fn paths_follow_the_panel_when_it_moves() {
    let mut h = harness(scene(), Vec2::new(1000.0, 600.0));
    h.run();
    let wide = path_points(&h);
    assert!(wide.len() > 20, "the path is drawn");
    h.state_mut().offset = 500.0;
    h.run();
    let rect = h.state().rect.unwrap();
    assert!(rect.min.x >= 500.0);
    let narrow = path_points(&h);
    assert!(narrow.len() > 20, "the path is drawn");
    for p in &narrow {
        assert!(rect.contains(*p), "{p:?} outside {rect:?}");
    }
    // And back: the wide panel's points again.
    h.state_mut().offset = 0.0;
    h.run();
    let again = path_points(&h);
    assert_eq!(again.len(), wide.len());
    for (a, b) in again.iter().zip(&wide) {
        assert!((*a - *b).length() < 1e-3, "{a:?} vs {b:?}");
    }
}

// Axis names and tick labels never overlap each other or leave the panel, down to the
// small panel of presenter mode's split view, at any angle ("w0", "0b" before).
#[test]
fn labels_do_not_collide_in_small_panels() {
    for size in [
        Vec2::new(190.0, 160.0),
        Vec2::new(260.0, 200.0),
        Vec2::new(700.0, 500.0),
    ] {
        let mut s = scene();
        s.settings.log_height = false;
        let mut h = harness(s, size);
        for yaw in [-0.95f32, 0.0, 0.8, 1.6, 2.4, 3.2, 4.0, 4.8, 5.6] {
            for pitch in [0.1f32, 0.55, 1.2] {
                h.state_mut().settings.yaw = yaw;
                h.state_mut().settings.pitch = pitch;
                h.run();
                let rect = h.state().rect.unwrap();
                let labels: Vec<(String, Rect, f32)> = texts(&h)
                    .into_iter()
                    .filter(|(_, r, _)| r.intersects(rect))
                    .collect();
                for name in ["w", "b", "J"] {
                    assert!(
                        labels.iter().any(|(t, _, _)| t == name),
                        "no {name} at {size:?}, yaw {yaw}, pitch {pitch}"
                    );
                }
                for (i, (ta, a, _)) in labels.iter().enumerate() {
                    assert!(
                        rect.expand(0.5).contains_rect(*a),
                        "{ta:?} {a:?} leaves {rect:?} ({size:?}, yaw {yaw}, pitch {pitch})"
                    );
                    for (tb, b, _) in &labels[i + 1..] {
                        assert!(
                            !a.intersects(*b),
                            "{ta:?} overlaps {tb:?} ({size:?}, yaw {yaw}, pitch {pitch})"
                        );
                    }
                }
            }
        }
    }
}

// The hover readout is never cut off: in a narrow panel it takes one line per value, all
// inside the panel ("b = ..." ran out of the panel before).
#[test]
fn hover_readout_fits_a_narrow_panel() {
    let mut h = harness(scene(), Vec2::new(220.0, 240.0));
    h.run();
    let rect = h.state().rect.unwrap();
    h.hover_at(rect.center());
    h.run();
    let readout: Vec<(String, Rect, f32)> = texts(&h)
        .into_iter()
        .filter(|(t, _, _)| t.contains("w = "))
        .collect();
    assert_eq!(readout.len(), 1, "{readout:?}");
    let (text, at, _) = &readout[0];
    assert!(text.contains("b = ") && text.contains("J ≈ "), "{text}");
    assert!(rect.contains_rect(*at), "{text:?} {at:?} leaves {rect:?}");
}

// Text in the 3D view is never smaller than 13 points: 16 pixels or more at any presenter
// zoom.
#[test]
fn text_is_large_enough_for_presenter_mode() {
    let min = losscape::ui::appearance::MIN_PRESENTER_ZOOM;
    let mut h = harness(scene(), Vec2::new(900.0, 600.0));
    h.run();
    let mut all = texts(&h);
    // The mouse hint shows until the mouse is over the view; then the readout.
    assert!(all.iter().any(|(t, _, _)| t.starts_with("drag: rotate")));
    let rect = h.state().rect.unwrap();
    h.hover_at(rect.center());
    h.run();
    all.extend(texts(&h));
    assert!(all.iter().any(|(t, _, _)| t.starts_with("w = ")));
    for (text, _, size) in all {
        assert!(size * min >= 16.0, "{text:?} is {size} points");
    }
}

/// The path of a run whose b oscillates with a growing amplitude (learning rate too
/// large on the steep direction): it leaves the box at iteration 5 and diverges at 12.
fn diverging_scene() -> Scene {
    let mut s = scene();
    s.path = (0..13)
        .map(|k| PlotPoint::new(1.5 * 0.7f64.powi(k), 0.3 * (-1.5f64).powi(k)))
        .collect();
    s.cost = s.path.iter().map(|p| bowl(p.x, p.y)).collect();
    s.diverged_at = Some(12);
    s
}

// A diverged run is drawn up to where it leaves the box, ends in an arrow there and is
// labelled; it no longer vanishes.
#[test]
fn diverged_runs_end_in_an_arrow_and_a_label() {
    let mut h = harness(diverging_scene(), Vec2::new(900.0, 600.0));
    h.run();
    let points = path_points(&h);
    assert!(points.len() >= 6, "the steps inside the box: {points:?}");
    let label: Vec<(String, Rect, f32)> = texts(&h)
        .into_iter()
        .filter(|(t, _, _)| t == "diverged at 12")
        .collect();
    assert_eq!(label.len(), 1, "one label");
    let rect = h.state().rect.unwrap();
    assert!(rect.contains_rect(label[0].1));
    // The arrowhead: a filled triangle in the run's color.
    let arrows = h
        .output()
        .shapes
        .iter()
        .filter(|c| matches!(&c.shape, Shape::Path(p) if p.closed && p.fill == RUN && p.points.len() == 3))
        .count();
    assert!(arrows >= 1);
}

// A data fit that records its full cost only every 5 iterations (NaN between) is drawn as
// one unbroken path over the surface, not as dots with gaps.
#[test]
fn strided_costs_draw_an_unbroken_path() {
    let mut s = scene();
    for (k, j) in s.cost.iter_mut().enumerate() {
        if k % 5 != 0 {
            *j = f64::NAN;
        }
    }
    // From above, nothing hides the path.
    s.settings.pitch = 1.5;
    let len = s.path.len();
    let mut h = harness(s, Vec2::new(900.0, 600.0));
    h.run();
    let cores: Vec<usize> = h
        .output()
        .shapes
        .iter()
        .filter_map(|c| match &c.shape {
            Shape::Path(p) if p.stroke.color == ColorMode::Solid(RUN) && !p.closed => {
                Some(p.points.len())
            }
            _ => None,
        })
        .collect();
    assert_eq!(cores, [len], "one line through every iterate");
}
