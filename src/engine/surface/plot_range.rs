//! The range a plot of some values shows, shared by the app's explore plots and the command
//! line's pictures, so both draw the same numbers on the same scale.

/// True when `values` call for a log scale: all above 0 and spread over more than 50 times.
pub fn wants_log(values: &[f64]) -> bool {
    let (lo, hi) = finite_bounds(values.iter().copied());
    !values.is_empty() && values.iter().all(|&v| v > 0.0) && hi > 50.0 * lo
}

/// The smallest and largest finite value (infinite when there is none).
pub fn finite_bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        })
}

/// The range a plot of `values` shows: their span with 5% to spare on each side (of the log
/// span on a log scale), or a unit around a single value (values within 1e-9 of each other,
/// relative to their size and at least 1, count as one: rounding dust such as b = 1e-69 near
/// b = 0 would otherwise fill the panel); (0, 1) without values.
pub fn plot_range(values: impl Iterator<Item = f64>, log: bool) -> (f64, f64) {
    let values = values.filter(|&v| !log || v > 0.0);
    let (lo, hi) = finite_bounds(values);
    if lo > hi {
        return if log { (0.1, 10.0) } else { (0.0, 1.0) };
    }
    if log {
        let (a, b) = (lo.log10(), hi.log10());
        let pad = if b - a < 1e-9 { 0.5 } else { 0.05 * (b - a) };
        (10f64.powf(a - pad), 10f64.powf(b + pad))
    } else {
        let span = hi - lo;
        let pad = if span <= 1e-9 * lo.abs().max(hi.abs()).max(1.0) {
            0.5 * lo.abs().max(1.0)
        } else {
            0.05 * span
        };
        (lo - pad, hi + pad)
    }
}

#[cfg(test)]
mod tests {
    use super::plot_range;

    // Rounding dust next to zero (b = 1e-69 beside b = 0) is one value, not a panel's height.
    #[test]
    fn dust_is_one_value() {
        let (lo, hi) = plot_range([0.0, 1e-69].into_iter(), false);
        assert!(hi - lo >= 1.0, "({lo}, {hi})");
        let (lo, hi) = plot_range([0.0, 1e-3].into_iter(), false);
        assert!(
            hi - lo < 2e-3,
            "a real small span keeps its scale: ({lo}, {hi})"
        );
    }
}
