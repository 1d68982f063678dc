//! Tick values for the 3D view's axes: round numbers (1, 2 or 5 times a power of ten).

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
}
