//! Axes of the 2D plots (the contour map, the slices): round ticks (1, 2 or 5 times a power
//! of ten) spaced so their labels fit, and labels short enough to read from the back of a
//! room (never 18 digits).

use egui::Rangef;
use egui_plot::{AxisHints, GridInput, GridMark};

use super::super::view3d::ticks::{format_number, nice_ticks};

/// The plots' grid spacing (egui_plot's `grid_spacing`): [`round_marks`] reads the screen
/// size of its range from it.
pub const GRID_SPACING: Rangef = Rangef {
    min: 8.0,
    max: 300.0,
};
/// Fewest points between labelled ticks on a horizontal axis (labels are wide).
pub const X_LABEL_GAP: f32 = 64.0;
/// Fewest points between labelled ticks on a vertical axis.
pub const Y_LABEL_GAP: f32 = 32.0;

/// Round ticks over `input`'s range, as dense as keeps them at least `gap` points apart, for
/// a plot whose grid spacing is [`GRID_SPACING`] (powers of ten alone often leave one label
/// or none).
pub fn round_marks(input: GridInput, gap: f32) -> Vec<GridMark> {
    let (lo, hi) = input.bounds;
    let per_point = input.base_step_size / f64::from(GRID_SPACING.min);
    let points = (hi - lo) / per_point;
    if !(points.is_finite() && points > 0.0) {
        return Vec::new();
    }
    // The step of `target` ticks is rounded up to 1, 2 or 5 times a power of ten: try a few
    // more ticks and keep the densest that still leaves `gap`.
    let fewest = (points / f64::from(gap)).floor().clamp(1.0, 50.0) as usize;
    let mut best: Option<(Vec<f64>, f64)> = None;
    for target in fewest..fewest + 3 {
        let ticks = nice_ticks(lo, hi, target);
        let step = match ticks.as_slice() {
            [a, b, ..] => b - a,
            _ => hi - lo,
        };
        if best.is_none() || step / per_point >= f64::from(gap) {
            best = Some((ticks, step));
        }
    }
    let (ticks, step) = best.unwrap_or_default();
    ticks
        .into_iter()
        .map(|value| GridMark {
            value,
            step_size: step,
        })
        .collect()
}

/// A horizontal axis named `name` with [`tick_label`]s, drawn in full from [`X_LABEL_GAP`]
/// points apart.
pub fn x_axis<'a>(name: &str) -> AxisHints<'a> {
    AxisHints::new_x()
        .label(name)
        .formatter(|mark, _| tick_label(mark.value, mark.step_size))
        .label_spacing(Rangef::new(0.75 * X_LABEL_GAP, X_LABEL_GAP))
}

/// A vertical axis named `name` whose [`tick_label`]s read from `base` (0: the values
/// themselves; see [`label_base`]).
pub fn y_axis<'a>(name: &str, base: f64) -> AxisHints<'a> {
    AxisHints::new_y()
        .label(name)
        .formatter(move |mark, _| tick_label(mark.value - base, mark.step_size))
        .label_spacing(Rangef::new(0.75 * Y_LABEL_GAP, Y_LABEL_GAP))
}

/// A round value (3 significant digits) to label the ticks of `lo..hi` from, when the range
/// is so narrow for its size that the ticks themselves would need more than 5 digits.
pub fn label_base(lo: f64, hi: f64) -> Option<f64> {
    let magnitude = lo.abs().max(hi.abs());
    let span = hi - lo;
    if !(magnitude.is_finite() && span > 0.0 && span < 1e-3 * magnitude) {
        return None;
    }
    let mid = 0.5 * (lo + hi);
    let unit = 10f64.powi(mid.abs().log10().floor() as i32 - 2);
    let base = (mid / unit).round() * unit;
    base.is_finite().then_some(base)
}

/// An axis tick's label for a tick at `value` among ticks `step` apart: the short label
/// ([`format_number`]: up to 4 significant digits, scientific beyond 1e5, so a diverging
/// run's J reads "1.20e17", not 18 digits) when it shows `value` exactly, else as many
/// digits as the step needs (1.5305e7 next to 1.5300e7 must not both read "1.53e7").
pub fn tick_label(value: f64, step: f64) -> String {
    let short = format_number(value);
    let step = step.abs();
    let exact = short
        .parse::<f64>()
        .is_ok_and(|v| (v - value).abs() <= 1e-3 * step);
    if exact || !(value.is_finite() && step.is_finite() && step > 0.0) {
        return short;
    }
    // Decimal places the step needs: 0.25 needs 2, 5e3 needs -3.
    let step_decimals = (-20..=12)
        .find(|&d| {
            let scaled = step * 10f64.powi(d);
            scaled >= 0.999 && (scaled - scaled.round()).abs() < 1e-6 * scaled
        })
        .unwrap_or(12);
    let magnitude = value.abs();
    if (1e-3..1e5).contains(&magnitude) {
        let decimals = step_decimals.clamp(0, 12) as usize;
        format!("{value:.decimals$}")
    } else {
        let exponent = magnitude.log10().floor() as i32;
        let decimals = (exponent + step_decimals).clamp(0, 12) as usize;
        format!("{value:.decimals$e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Tick labels stay short however large the value, and neighbouring ticks never read
    // the same.
    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(tick_label(1.2e17, 1e16), "1.20e17");
        assert_eq!(tick_label(1.198e17, 1e14), "1.198e17");
        assert_eq!(tick_label(1.5305e7, 5e3), "1.5305e7");
        assert_eq!(tick_label(1.53e7, 5e3), "1.53e7");
        assert_eq!(tick_label(-2.5e6, 1e5), "-2.50e6");
        assert_eq!(tick_label(1000.5, 0.5), "1000.5");
        assert_eq!(tick_label(1000.0, 100.0), "1000");
        assert_eq!(tick_label(0.5, 0.1), "0.5");
        assert_eq!(tick_label(0.0, 1e16), "0");
        for v in [1.198e17, 119_800_000_000_000_000.0] {
            assert!(tick_label(v, 1e16).len() <= 8, "{}", tick_label(v, 1e16));
        }
    }

    // A range that is narrow for its size is labelled from a round base; an ordinary one
    // is not.
    #[test]
    fn narrow_ranges_are_labelled_from_a_base() {
        let base = label_base(5.630_17e13, 5.630_18e13).expect("a base");
        assert_eq!(format_number(base), "5.63e13");
        assert!((base - 5.63e13).abs() < 1.0);
        assert_eq!(tick_label(5.630_172e13 - base, 1e7), "1.72e9");
        assert_eq!(label_base(0.0, 300.0), None);
        assert_eq!(label_base(-1e6, 1e6), None);
        assert!(label_base(-2.000_001e9, -2.0e9).is_some_and(|b| b < 0.0));
    }

    // Ticks are round, spaced for their labels, and carry their spacing.
    #[test]
    fn marks_are_round_and_spaced_for_labels() {
        // 400 points showing 0..10: ticks 2 apart are 80 points apart, 1 apart too close.
        let per_point = 10.0 / 400.0;
        let input = GridInput {
            bounds: (0.0, 10.0),
            base_step_size: per_point * f64::from(GRID_SPACING.min),
        };
        let marks = round_marks(input, X_LABEL_GAP);
        let values: Vec<f64> = marks.iter().map(|m| m.value).collect();
        assert_eq!(values, vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert!(marks.iter().all(|m| m.step_size == 2.0));
        let spacing = 2.0 / per_point;
        assert!(spacing >= f64::from(X_LABEL_GAP), "{spacing}");
        let none = GridInput {
            bounds: (0.0, f64::NAN),
            base_step_size: 1.0,
        };
        assert!(round_marks(none, X_LABEL_GAP).is_empty());
    }
}
