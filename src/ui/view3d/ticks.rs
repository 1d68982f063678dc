//! Tick values for the 3D view's axes: round numbers (1, 2 or 5 times a power of ten) on
//! linear axes, decades (0.01, 0.1, 1, 10) on the logarithmic height.

/// Round values inside `[min, max]`, about `target` of them (at least 2 when the range is
/// valid). An empty or non-finite range gives no ticks.
pub fn nice_ticks(min: f64, max: f64, target: usize) -> Vec<f64> {
    if !(min.is_finite() && max.is_finite()) || max <= min || target == 0 {
        return Vec::new();
    }
    let raw = (max - min) / target.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let multiple = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|&m| m * magnitude >= raw)
        .unwrap_or(10.0);
    let step = multiple * magnitude;
    let first = (min / step).ceil() as i64;
    let last = (max / step).floor() as i64;
    if last - first > 1000 {
        return Vec::new();
    }
    // k * 0.1 is 0.30000000000000004 for k = 3, but 3 / 10 is 0.3: divide by the
    // (integer) inverse of small magnitudes to land on the nearest float of the round value.
    let inverse = (1.0 / magnitude).round();
    (first..=last)
        .map(|k| {
            let m = k as f64 * multiple;
            if magnitude < 1.0 {
                m / inverse
            } else {
                m * magnitude
            }
        })
        .collect()
}

/// Decades for a logarithmic axis of costs between `low` and `high`: the powers of ten
/// above `low` up to `high` (0.01, 0.1, 1, 10). When `low` is negative, powers of ten mean
/// little; the ticks are then `low + 10^k` rounded to a multiple of `10^k` (each still a
/// round number, one per decade of `J - low`). Ascending; empty for an invalid range.
pub fn decade_ticks(low: f64, high: f64) -> Vec<f64> {
    if !(low.is_finite() && high.is_finite()) || high <= low {
        return Vec::new();
    }
    let span = high - low;
    let top = high.abs().max(span).log10().ceil() as i32;
    // The log height shows about 4 decades of J - low; one more below does no harm. Below
    // zero, decades finer than a tenth of |low| would need long labels (-2.04, -2.03).
    let mut bottom = (span.log10().floor() as i32 - 5).max(top - 12);
    if low < 0.0 {
        bottom = bottom.max((-low).log10().floor() as i32 - 1);
    }
    let mut ticks: Vec<f64> = Vec::new();
    for k in bottom..=top {
        let decade = power_of_ten(k);
        let v = if low >= 0.0 {
            decade
        } else {
            // A multiple of the decade, divided rather than multiplied by a small decade so
            // that it lands on the nearest float of the round value (-2.4, not -2.4000000000000004).
            let m = ((low + decade) / decade).round();
            if k < 0 {
                m / 10f64.powi(-k)
            } else {
                m * decade
            }
        };
        if v > low && v <= high && ticks.last().is_none_or(|&last| v > last) {
            ticks.push(v);
        }
    }
    ticks
}

/// 10^k as the nearest float to the decimal value (0.1, not 0.1000000000000000055...).
fn power_of_ten(k: i32) -> f64 {
    if k < 0 {
        1.0 / 10f64.powi(-k)
    } else {
        10f64.powi(k)
    }
}

/// A tick label: [`format_number`] without trailing zeros in the mantissa ("1e-4", "2.5e7").
pub fn format_tick(v: f64) -> String {
    let s = format_number(v);
    match s.split_once('e') {
        Some((mantissa, exponent)) if mantissa.contains('.') => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exponent}")
        }
        _ => s,
    }
}

/// A short label for a tick or a readout: up to 4 significant digits, scientific notation
/// for very large or small magnitudes.
pub fn format_number(v: f64) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        return format!("{v:.2e}");
    }
    let digits = if a >= 100.0 {
        0
    } else if a >= 10.0 {
        1
    } else if a >= 1.0 {
        2
    } else {
        3
    };
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        let trimmed = s.trim_end_matches('0').trim_end_matches('.');
        if trimmed == "-0" {
            "0".to_owned()
        } else {
            trimmed.to_owned()
        }
    } else {
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Ticks are round, inside the range and evenly spaced.
    #[test]
    fn ticks_are_round_and_inside() {
        assert_eq!(nice_ticks(-2.0, 2.0, 4), vec![-2.0, -1.0, 0.0, 1.0, 2.0]);
        assert_eq!(
            nice_ticks(0.0, 2500.0, 5),
            vec![0.0, 500.0, 1000.0, 1500.0, 2000.0, 2500.0]
        );
        let t = nice_ticks(-0.13, 0.41, 6);
        assert_eq!(t, vec![-0.1, 0.0, 0.1, 0.2, 0.3, 0.4]);
        assert!(nice_ticks(1.0, 1.0, 5).is_empty());
        assert!(nice_ticks(f64::NAN, 1.0, 5).is_empty());
    }

    // Labels drop trailing zeros and switch to scientific notation at the extremes.
    #[test]
    fn labels_are_short() {
        assert_eq!(format_number(2.0), "2");
        assert_eq!(format_number(0.25), "0.25");
        assert_eq!(format_number(-1.5), "-1.5");
        assert_eq!(format_number(1234.0), "1234");
        assert_eq!(format_number(2.5e7), "2.50e7");
        assert_eq!(format_number(-0.0001), "-1.00e-4");
        assert_eq!(format_number(0.0), "0");
    }

    // Log-height ticks are decades labelled compactly, not "low + 10^k" ("0.101, 0.011").
    #[test]
    fn log_ticks_are_decades() {
        let labels = |low, high| -> Vec<String> {
            decade_ticks(low, high)
                .into_iter()
                .map(format_tick)
                .collect()
        };
        assert_eq!(
            labels(0.001, 50.0),
            ["0.01", "0.1", "1", "10"].map(String::from)
        );
        assert_eq!(labels(0.0, 2500.0).last().map(String::as_str), Some("1000"));
        assert!(labels(0.0, 2500.0).contains(&"0.01".to_owned()));
        assert_eq!(
            labels(3.0, 2.0e6)[..],
            ["10", "100", "1000", "10000", "1e5", "1e6"].map(String::from)
        );
        // Below zero: one round value per decade of J - low, still ascending and inside.
        let negative = decade_ticks(-2.5, 40.0);
        assert_eq!(negative, [-2.4, -2.0, 10.0]);
        let negative = decade_ticks(-2.0447, 3.1);
        assert_eq!(
            labels(-2.0447, 3.1),
            ["-1.9", "-1"].map(String::from),
            "{negative:?}"
        );
        assert!(decade_ticks(1.0, 1.0).is_empty());
        assert!(decade_ticks(f64::NAN, 1.0).is_empty());
    }

    // Tick labels drop the zeros of a scientific mantissa.
    #[test]
    fn tick_labels_are_compact() {
        assert_eq!(format_tick(1e-4), "1e-4");
        assert_eq!(format_tick(2.5e7), "2.5e7");
        assert_eq!(format_tick(1.25e-5), "1.25e-5");
        assert_eq!(format_tick(0.01), "0.01");
        assert_eq!(format_tick(-3.0), "-3");
    }
}
