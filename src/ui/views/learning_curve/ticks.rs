//! Tick marks and labels of the learning curve's axes: round values far enough apart for
//! their labels, written compactly (0.05, 1500, 2e16, 1e-3); decades on the log scale.

use egui_plot::{GridInput, GridMark};

use crate::ui::view3d::ticks::nice_ticks;

/// Points of screen per `GridInput::base_step_size` (egui_plot's smallest grid spacing).
const GRID_POINTS: f64 = 8.0;

/// Fewest points between two labelled ticks of the x axis (labels are up to ~7 characters).
pub const X_GAP: f64 = 80.0;

/// Fewest points between two labelled ticks of the y axis (labels are one line high; egui_plot
/// shows them at full strength from 30 points apart).
pub const Y_GAP: f64 = 30.0;

/// Plot units per point of screen.
fn per_point(input: &GridInput) -> f64 {
    input.base_step_size / GRID_POINTS
}

/// The bounds when they make a usable range.
fn range(input: &GridInput) -> Option<(f64, f64)> {
    let (lo, hi) = input.bounds;
    (lo.is_finite() && hi.is_finite() && hi > lo && per_point(input) > 0.0).then_some((lo, hi))
}

/// Marks at `values`, each labelled (`step_size` is the smallest distance between them, so
/// egui_plot keeps every label).
fn marks(values: Vec<f64>, fallback_step: f64) -> Vec<GridMark> {
    let step = values
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .min_by(f64::total_cmp)
        .unwrap_or(fallback_step);
    values
        .into_iter()
        .map(|value| GridMark {
            value,
            step_size: step,
        })
        .collect()
}

/// Marks of a linear axis: round values (1, 2 or 5 times a power of ten) at least `gap`
/// points apart; whole numbers only when `whole` (iterations, examples).
pub fn linear_marks(input: GridInput, gap: f64, whole: bool) -> Vec<GridMark> {
    let Some((lo, hi)) = range(&input) else {
        return Vec::new();
    };
    let mut target = ((hi - lo) / (gap * per_point(&input))).floor().max(1.0);
    if whole {
        // A step of at least one (span / target <= 1 rounds up to exactly 1).
        target = target.min((hi - lo).ceil());
    }
    let mut values = nice_ticks(lo, hi, target as usize);
    if whole {
        values.retain(|v| v.fract() == 0.0);
    }
    marks(values, hi - lo)
}

/// Marks of the log-scale cost axis (plot y is log10 of the cost): every k-th decade over a
/// wide range, 1-2-5 or 1-3 times the decades over one to a few decades, round values of the
/// cost itself within a decade. Never a lone label where two fit.
pub fn log_marks(input: GridInput) -> Vec<GridMark> {
    let Some((lo, hi)) = range(&input) else {
        return Vec::new();
    };
    let span = hi - lo;
    let gap = Y_GAP * per_point(&input);
    if span < 1.0 {
        // Within a decade: round costs. Log spacing is tightest at the top, where a cost step
        // dv is dv / (v ln 10) decades.
        let (a, b) = (10f64.powf(lo), 10f64.powf(hi));
        let min_step = gap * b * std::f64::consts::LN_10;
        let target = ((b - a) / min_step).floor().max(1.0) as usize;
        let values = nice_ticks(a, b, target)
            .into_iter()
            .map(f64::log10)
            .collect();
        return marks(values, span);
    }
    // Labels are centered on their line: leave out lines hugging an edge.
    let margin = span * 0.04;
    let inside = |v: &f64| *v >= lo + margin && *v <= hi - margin;
    if span <= 4.0 {
        for (mantissas, spacing) in [
            (&[1.0, 2.0, 5.0][..], 2f64.log10()),
            (&[1.0, 3.0][..], 3f64.log10()),
        ] {
            if spacing < gap {
                continue;
            }
            let values: Vec<f64> = (lo.floor() as i32..=hi.ceil() as i32)
                .flat_map(|d| mantissas.iter().map(move |&m| f64::from(d) + f64::log10(m)))
                .filter(inside)
                .collect();
            if values.len() >= 2 {
                return marks(values, spacing);
            }
        }
    }
    // Whole decades per line: at most about eight lines, far enough apart for their labels.
    // Where that leaves a lone line, closer ones (egui_plot still labels lines 20 points
    // apart, two thirds of the gap).
    let widest = (span / 8.0).max(gap).ceil().max(1.0);
    let closest = (gap * 2.0 / 3.0).ceil().clamp(1.0, widest);
    let decades = |step: f64| -> Vec<f64> {
        ((lo / step).floor() as i64..=(hi / step).ceil() as i64)
            .map(|k| k as f64 * step)
            .filter(inside)
            .take(64)
            .collect()
    };
    let mut step = widest;
    let mut values = decades(step);
    while values.len() < 2 && step > closest {
        step -= 1.0;
        values = decades(step);
    }
    marks(values, step)
}

/// A tick label of the log-scale cost axis at height `exponent` (log10 of the cost), for a
/// visible range `range` of heights: a compact power of ten (or 2x, 3x, 5x one) over a
/// decade or more, a round cost within one.
pub fn log_label(exponent: f64, range: (f64, f64)) -> String {
    let value = 10f64.powf(exponent);
    if range.1 - range.0 < 1.0 {
        return tick_label(value, (10f64.powf(range.0), 10f64.powf(range.1)));
    }
    if !(1e-3..1e4).contains(&value) {
        format!("{value:.0e}")
    } else if value >= 1.0 {
        format!("{}", (value * 100.0).round() / 100.0)
    } else {
        format!("{}", (value * 1e4).round() / 1e4)
    }
}

/// A tick label of a linear axis showing `range`: as many decimals as ticks a hundredth of the
/// range apart need, trailing zeros dropped; scientific notation (2e16, 1.5e-4) for the whole
/// axis when its values are very large or small.
pub fn tick_label(value: f64, range: (f64, f64)) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let span = (range.1 - range.0).abs();
    let resolution = if span > 0.0 && span.is_finite() {
        (span / 100.0).log10().floor()
    } else {
        value.abs().log10().floor() - 3.0
    };
    let magnitude = range.0.abs().max(range.1.abs());
    let scientific = magnitude >= 1e5 || (magnitude < 1e-3 && magnitude > 0.0);
    if value == 0.0 || value.abs() < 10f64.powf(resolution) / 2.0 {
        return "0".to_owned();
    }
    if scientific {
        let exponent = value.abs().log10().floor();
        let decimals = (exponent - resolution).clamp(0.0, 6.0) as usize;
        let text = format!("{value:.decimals$e}");
        match text.split_once('e') {
            Some((mantissa, exp)) => format!("{}e{exp}", trim_zeros(mantissa)),
            None => text,
        }
    } else {
        let decimals = (-resolution).clamp(0.0, 12.0) as usize;
        trim_zeros(&format!("{value:.decimals$}")).to_owned()
    }
}

/// "1.50" -> "1.5", "2.00" -> "2", "10" -> "10".
fn trim_zeros(s: &str) -> &str {
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grid input for `bounds` drawn over `points` of screen.
    fn input(bounds: (f64, f64), points: f64) -> GridInput {
        GridInput {
            bounds,
            base_step_size: (bounds.1 - bounds.0) / points * GRID_POINTS,
        }
    }

    fn values(marks: &[GridMark]) -> Vec<f64> {
        marks
            .iter()
            .map(|m| (m.value * 1e9).round() / 1e9)
            .collect()
    }

    /// How far apart the marks are on screen, in points.
    fn spacing_points(marks: &[GridMark], bounds: (f64, f64), points: f64) -> f64 {
        marks[0].step_size / (bounds.1 - bounds.0) * points
    }

    // Linear ticks are round, inside the range, and far enough apart for their labels;
    // iterations get whole numbers only.
    #[test]
    fn linear_ticks() {
        let m = linear_marks(input((-0.3, 6.4), 150.0), Y_GAP, false);
        assert_eq!(values(&m), [0.0, 2.0, 4.0, 6.0]);
        assert!(spacing_points(&m, (-0.3, 6.4), 150.0) >= Y_GAP);
        // A tiny range (lesson 4's two ends, 0.0563 to 0.0597) still gets several labels.
        let m = linear_marks(input((0.0562, 0.0598), 150.0), Y_GAP, false);
        assert_eq!(values(&m), [0.057, 0.058, 0.059]);
        let labels: Vec<String> = m
            .iter()
            .map(|m| tick_label(m.value, (0.0562, 0.0598)))
            .collect();
        assert_eq!(labels, ["0.057", "0.058", "0.059"]);
        // Three iterations on a wide plot: 0, 1, 2, 3, never 0.5.
        let m = linear_marks(input((-0.1, 3.1), 1000.0), X_GAP, true);
        assert_eq!(values(&m), [0.0, 1.0, 2.0, 3.0]);
        assert!(linear_marks(input((1.0, 1.0), 100.0), X_GAP, false).is_empty());
    }

    // Labels are as short as the ticks allow: no lone "0" for a small range, scientific
    // notation for huge and tiny axes.
    #[test]
    fn compact_labels() {
        assert_eq!(tick_label(0.05, (0.0, 0.2)), "0.05");
        assert_eq!(tick_label(1500.0, (0.0, 5000.0)), "1500");
        assert_eq!(tick_label(2e16, (0.0, 2.5e16)), "2e16");
        assert_eq!(tick_label(1.5e16, (0.0, 2.5e16)), "1.5e16");
        assert_eq!(tick_label(0.0, (-1e16, 2.5e16)), "0");
        assert_eq!(tick_label(1e-3, (0.0, 4e-3)), "0.001");
        assert_eq!(tick_label(2e-4, (0.0, 5e-4)), "2e-4");
        assert_eq!(tick_label(0.0575, (0.0562, 0.0598)), "0.0575");
        assert_eq!(tick_label(150000.0, (0.0, 200000.0)), "1.5e5");
        // Rounding noise of a tick computed as k * step prints as the round value.
        assert_eq!(tick_label(0.30000000000000004, (0.0, 1.0)), "0.3");
    }

    /// The labelled heights of the log axis, as costs.
    fn log_costs(bounds: (f64, f64), points: f64) -> Vec<String> {
        log_marks(input(bounds, points))
            .iter()
            .map(|m| log_label(m.value, bounds))
            .collect()
    }

    // The log axis: decades over a wide range, thinned on a short plot; 1-2-5 over a few
    // decades; round costs within a decade; at least two labels wherever two fit.
    #[test]
    fn log_ticks() {
        // A tall plot over 18 decades: one line every 3 decades (at most about eight).
        assert_eq!(
            log_costs((-1.3, 17.0), 400.0),
            ["1", "1000", "1e6", "1e9", "1e12", "1e15"]
        );
        // A short plot (60 points): lines at least 30 points apart, every 10th decade.
        assert_eq!(log_costs((-1.3, 17.0), 60.0), ["1", "1e10"]);
        // Presenter mode's 74 points over 12.8 decades: every 6th leaves a lone line at
        // 1 (the others hug the edges), every 5th gives two.
        assert_eq!(log_costs((-6.29, 6.48), 74.0), ["1e-5", "1", "1e5"]);
        // Two and a half decades on a tall plot: 1, 2 and 5 times each decade.
        assert_eq!(
            log_costs((-2.2, 0.3), 300.0),
            ["0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1"]
        );
        // The same on a shorter plot: 1 and 3 times each decade.
        assert_eq!(
            log_costs((-2.2, 0.3), 160.0),
            ["0.01", "0.03", "0.1", "0.3", "1"]
        );
        // Within a decade (J from 0.0563 to 0.0597): the costs themselves.
        let (lo, hi) = (0.0562f64.log10(), 0.0598f64.log10());
        assert_eq!(log_costs((lo, hi), 150.0), ["0.057", "0.058", "0.059"]);
        // Just over a decade on a small plot, where a lone decade line would be all there is.
        let labels = log_costs((-1.05, 0.1), 80.0);
        assert!(labels.len() >= 2, "{labels:?}");
    }
}
