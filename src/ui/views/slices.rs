//! Slices and tangent lines: J along w with b held at the run's current b, and J along b
//! with w held, each with the current point, its tangent line (whose slope is the partial
//! derivative) and the step the optimizer takes along that axis.

use egui::{Color32, RichText};
use egui_plot::{Arrows, Line, LineStyle, Plot, PlotPoint, PlotPoints, Points};

use crate::engine::objective::Objective;
use crate::engine::{Domain, Point};

use super::super::view3d::ticks::format_number;
use super::axes::{self, label_base};

/// Largest |J| drawn (beyond it a plot's bounds could overflow).
const MAX_PLOTTED: f64 = 1e100;
/// Samples along each slice.
const SLICE_SAMPLES: usize = 160;

/// Which parameter a slice varies (the other one is held fixed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SliceAxis {
    /// J(w, b_t) against w.
    W,
    /// J(w_t, b) against b.
    B,
}

impl SliceAxis {
    /// The parameter's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::W => "w",
            Self::B => "b",
        }
    }

    fn index(self) -> usize {
        match self {
            Self::W => 0,
            Self::B => 1,
        }
    }
}

/// The id of the plot of the slice along `axis` (its bounds are in egui_plot's memory).
pub fn plot_id(axis: SliceAxis) -> egui::Id {
    egui::Id::unique(("slice", axis.name()))
}

/// The tangent line of a slice at the current point: `J ≈ value + slope * (x - at)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tangent {
    /// The parameter's value at the point.
    pub at: f64,
    /// J at the point.
    pub value: f64,
    /// The partial derivative of J with respect to the slice's parameter.
    pub slope: f64,
}

impl Tangent {
    /// The tangent line's height at `x`.
    pub fn y(&self, x: f64) -> f64 {
        self.value + self.slope * (x - self.at)
    }
}

/// The tangent of the slice along `axis` through `at`: its slope is the engine's exact
/// partial derivative there.
pub fn tangent(objective: &dyn Objective, at: Point, axis: SliceAxis) -> Tangent {
    let (value, gradient) = objective.value_gradient(at);
    Tangent {
        at: at[axis.index()],
        value,
        slope: gradient[axis.index()],
    }
}

/// The slice header's slope: a number only where J is one (no "NaN", and no slope of a
/// J that is undefined or infinite at the point).
fn slope_text(name: &str, t: Tangent) -> String {
    if t.value.is_nan() {
        format!("dJ/d{name} undefined (J is undefined here)")
    } else if t.value.is_infinite() {
        format!("dJ/d{name} undefined (J is infinite here)")
    } else if t.slope.is_nan() {
        format!("dJ/d{name} undefined")
    } else if t.slope.is_infinite() {
        format!(
            "dJ/d{name} = {} (slope)",
            crate::ui::number::readout(t.slope)
        )
    } else {
        format!("dJ/d{name} = {} (slope)", format_number(t.slope))
    }
}

/// J along the slice: `n` points from `lo` to `hi` of the parameter on `axis`, the other
/// parameter held at its value in `at`. Non-finite values are left out.
pub fn slice_points(
    objective: &dyn Objective,
    at: Point,
    axis: SliceAxis,
    lo: f64,
    hi: f64,
    n: usize,
) -> Vec<PlotPoint> {
    let n = n.max(2);
    let xs: Vec<f64> = (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
        .collect();
    let fixed = vec![at[1 - axis.index()]; n];
    let mut values = vec![0.0; n];
    match axis {
        SliceAxis::W => objective.values(&xs, &fixed, &mut values),
        SliceAxis::B => objective.values(&fixed, &xs, &mut values),
    }
    xs.iter()
        .zip(&values)
        .filter(|(_, v)| v.abs() < MAX_PLOTTED)
        .map(|(&x, &v)| PlotPoint::new(x, v))
        .collect()
}

/// What the slices show this frame.
pub struct SlicesInput<'a> {
    /// The problem (None while there is no valid one).
    pub objective: Option<&'a dyn Objective>,
    /// Changes whenever `objective` does.
    pub objective_version: u64,
    /// The selected run's (w, b) at the current iteration.
    pub at: Option<Point>,
    /// The selected run's next update `[Δw, Δb]` as the optimizer applies it (None at the end).
    pub next_step: Option<[f64; 2]>,
    /// The region shown (each slice spans its parameter's range).
    pub domain: Domain,
    /// The run's color.
    pub color: Color32,
}

#[derive(Clone, Copy, PartialEq)]
struct SliceKey {
    version: u64,
    at: [u64; 2],
    domain: [u64; 4],
}

/// The two slice plots (caches the sampled curves while the point stays put).
#[derive(Default)]
pub struct SlicesView {
    key: Option<SliceKey>,
    curves: [Vec<PlotPoint>; 2],
}

impl SlicesView {
    /// Draws both slices, one above the other, filling the width of `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: SlicesInput<'_>) {
        let (Some(objective), Some(at)) = (input.objective, input.at) else {
            ui.weak("Select a run to see J along w and along b at its current point.");
            return;
        };
        if !(at[0].is_finite() && at[1].is_finite()) {
            ui.weak("The selected run has left the real numbers (diverged).");
            return;
        }
        let d = input.domain;
        let drawable = |span: f64| (1.0 / MAX_PLOTTED..MAX_PLOTTED).contains(&span);
        if !(d.is_valid() && drawable(d.w_span()) && drawable(d.b_span())) {
            ui.weak("The domain is too large or too small to draw slices of it.");
            return;
        }
        // Keep the point in view even when the run has wandered outside the domain.
        // Keep the point in view when it is near the domain; a run far outside (diverging)
        // keeps the domain's range and its point is left out of the plot.
        let near = |v: f64, lo: f64, hi: f64| (v - 0.5 * (lo + hi)).abs() < 10.0 * (hi - lo);
        let widen = |v: f64, lo: f64, hi: f64| {
            if near(v, lo, hi) {
                (lo.min(v), hi.max(v))
            } else {
                (lo, hi)
            }
        };
        let ranges = [
            widen(at[0], d.w_min, d.w_max),
            widen(at[1], d.b_min, d.b_max),
        ];
        let key = SliceKey {
            version: input.objective_version,
            at: at.map(f64::to_bits),
            domain: [ranges[0].0, ranges[0].1, ranges[1].0, ranges[1].1].map(f64::to_bits),
        };
        if self.key != Some(key) {
            for (k, axis) in [SliceAxis::W, SliceAxis::B].into_iter().enumerate() {
                let (lo, hi) = ranges[k];
                self.curves[k] = slice_points(objective, at, axis, lo, hi, SLICE_SAMPLES);
            }
            self.key = Some(key);
        }
        let height = 125.0;
        for (k, axis) in [SliceAxis::W, SliceAxis::B].into_iter().enumerate() {
            let t = tangent(objective, at, axis);
            let step = input.next_step.map(|s| s[k]).filter(|s| s.is_finite());
            slice_ui(
                ui,
                axis,
                at,
                t,
                step,
                &self.curves[k],
                ranges[k],
                input.color,
                height,
            );
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn slice_ui(
    ui: &mut egui::Ui,
    axis: SliceAxis,
    at: Point,
    t: Tangent,
    step: Option<f64>,
    curve: &[PlotPoint],
    (lo, hi): (f64, f64),
    color: Color32,
    height: f32,
) {
    let name = axis.name();
    let other = match axis {
        SliceAxis::W => format!("J(w, b = {})", format_number(at[1])),
        SliceAxis::B => format!("J(w = {}, b)", format_number(at[0])),
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(other).strong());
        ui.label(RichText::new(slope_text(name, t)).monospace());
        if let Some(s) = step {
            ui.label(
                RichText::new(format!("step Δ{name} = {}", signed(s)))
                    .monospace()
                    .color(color),
            );
        }
    });
    // The tangent is drawn over a tenth of the range each side: long enough to read its
    // slope, short enough not to dominate the plot's vertical range.
    let half = 0.1 * (hi - lo);
    let tangent_points = vec![
        [t.at - half, t.y(t.at - half)],
        [t.at + half, t.y(t.at + half)],
    ];
    // Values beyond MAX_PLOTTED would overflow the plot's bounds: leave them out.
    let in_range = |v: f64| v.abs() < MAX_PLOTTED;
    let tangent_ok = in_range(t.value)
        && (lo..=hi).contains(&t.at)
        && tangent_points.iter().all(|p| in_range(p[1]));
    // The plot shows the slice and the point: the tangent and the step are cut at its
    // edges rather than stretching it (a long step would flatten the curve to a line).
    let (y_lo, y_hi) = vertical_range(
        curve
            .iter()
            .map(|p| p.y)
            .chain(tangent_ok.then_some(t.value)),
    );
    // Values that differ only in their 5th digit are labelled from a round base.
    let base = label_base(y_lo, y_hi);
    let y_title = match base {
        Some(b) if b < 0.0 => format!("J + {}", format_number(-b)),
        Some(b) => format!("J - {}", format_number(b)),
        None => "J".to_owned(),
    };
    let base = base.unwrap_or(0.0);
    let plot = Plot::new(("slice", name))
        .id(plot_id(axis))
        .height(height)
        .custom_x_axes(vec![axes::x_axis(name)])
        .custom_y_axes(vec![axes::y_axis(&y_title, base)])
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .y_axis_min_width(44.0)
        .x_grid_spacer(|input| axes::round_marks(input, axes::X_LABEL_GAP))
        .y_grid_spacer(|input| axes::round_marks(input, axes::Y_LABEL_GAP))
        .grid_spacing(axes::GRID_SPACING)
        // A little room each side, so the point at either end shows whole.
        .default_x_bounds(lo - 0.03 * (hi - lo), hi + 0.03 * (hi - lo))
        .default_y_bounds(y_lo, y_hi)
        // Exactly these bounds every frame: egui_plot would otherwise keep the first frame's
        // (the plot cannot be panned or zoomed, so there is no view of the user's to keep).
        .reset();
    let ink = crate::ui::theme::ink(ui, 200);
    plot.show(ui, |plot_ui| {
        plot_ui.line(
            Line::new(format!("J along {name}"), PlotPoints::Borrowed(curve))
                .color(ink)
                .width(1.6)
                .allow_hover(false),
        );
        if tangent_ok {
            plot_ui.line(
                Line::new("tangent", PlotPoints::from(tangent_points))
                    .color(Color32::from_rgb(240, 228, 66))
                    .style(LineStyle::dashed_loose())
                    .width(2.0)
                    .allow_hover(false),
            );
            if let Some(s) = step.filter(|s| *s != 0.0 && in_range(t.y(t.at + *s)) && in_range(*s))
            {
                // The step along the tangent: where a first-order model expects J to go.
                plot_ui.arrows(
                    Arrows::new(
                        "step",
                        PlotPoints::from([t.at, t.value]),
                        PlotPoints::from([t.at + s, t.y(t.at + s)]),
                    )
                    .color(color)
                    .tip_length(9.0)
                    .allow_hover(false),
                );
            }
            plot_ui.points(
                Points::new("point", PlotPoints::from([t.at, t.value]))
                    .radius(5.0)
                    .color(color)
                    .filled(true)
                    .allow_hover(false),
            );
        }
    });
}

/// The vertical range of a slice plot holding `values` (the curve and the point), with a
/// margin; a flat slice gets a range around its value, no values a unit range.
fn vertical_range(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
            (a.min(y), b.max(y))
        });
    if !(lo.is_finite() && hi.is_finite()) {
        return (0.0, 1.0);
    }
    let span = hi - lo;
    let pad = if span <= 1e-9 * (1.0 + hi.abs().max(lo.abs())) {
        0.5 + 1e-3 * hi.abs().max(lo.abs())
    } else {
        0.08 * span
    };
    let (lo, hi) = (lo - pad, hi + pad);
    if lo < hi {
        (lo, hi)
    } else {
        (lo, lo + lo.abs().max(1.0))
    }
}

/// A number with an explicit sign (+0.32, -1.5).
fn signed(v: f64) -> String {
    if v > 0.0 {
        format!("+{}", format_number(v))
    } else {
        format_number(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Derivatives;

    /// J = w^2 b + 3 b^2 - w, with its exact derivatives.
    struct Poly;

    impl Objective for Poly {
        fn value(&self, p: Point) -> f64 {
            p[0] * p[0] * p[1] + 3.0 * p[1] * p[1] - p[0]
        }
        fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
            (
                self.value(p),
                [2.0 * p[0] * p[1] - 1.0, p[0] * p[0] + 6.0 * p[1]],
            )
        }
        fn derivatives(&self, p: Point) -> Derivatives {
            let (value, gradient) = self.value_gradient(p);
            Derivatives {
                value,
                gradient,
                hessian: [[2.0 * p[1], 2.0 * p[0]], [2.0 * p[0], 6.0]],
            }
        }
        fn domain(&self) -> Domain {
            Domain::new(-2.0, 2.0, -2.0, 2.0)
        }
    }

    // The tangent's slope is the engine's partial derivative, and the line touches the slice.
    #[test]
    fn tangent_slope_is_the_partial_derivative() {
        let at = [0.7, -1.3];
        let (j, g) = Poly.value_gradient(at);
        let tw = tangent(&Poly, at, SliceAxis::W);
        let tb = tangent(&Poly, at, SliceAxis::B);
        assert_eq!((tw.slope, tb.slope), (g[0], g[1]));
        assert_eq!((tw.at, tb.at), (0.7, -1.3));
        assert_eq!(tw.y(0.7), j);
        // Close to the point the slice and its tangent agree to second order.
        let h = 1e-4;
        let slice_w = Poly.value([0.7 + h, -1.3]);
        assert!(
            (slice_w - tw.y(0.7 + h)).abs() < 1e-7,
            "{} vs {}",
            slice_w,
            tw.y(0.7 + h)
        );
        let slice_b = Poly.value([0.7, -1.3 - h]);
        assert!((slice_b - tb.y(-1.3 - h)).abs() < 1e-7);
    }

    // The vertical range always has room around the curve.
    #[test]
    fn vertical_range_has_room() {
        let (lo, hi) = vertical_range([3.0, 3.0].into_iter());
        assert!(lo < 3.0 && hi > 3.0);
        assert_eq!(vertical_range([f64::NAN].into_iter()), (0.0, 1.0));
        let (lo, hi) = vertical_range([0.0, 100.0].into_iter());
        assert!(lo < 0.0 && hi > 100.0 && hi - lo < 120.0);
    }

    // Slices hold the other parameter fixed and span the requested range.
    #[test]
    fn slices_hold_the_other_parameter() {
        let at = [0.5, 1.0];
        let w = slice_points(&Poly, at, SliceAxis::W, -1.0, 1.0, 5);
        assert_eq!(w.len(), 5);
        assert_eq!((w[0].x, w[4].x), (-1.0, 1.0));
        assert_eq!(w[2].y, Poly.value([0.0, 1.0]));
        let b = slice_points(&Poly, at, SliceAxis::B, 0.0, 2.0, 3);
        assert_eq!(b[1].y, Poly.value([0.5, 1.0]));
    }
}
