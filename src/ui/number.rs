//! The one number formatter for hover readouts (the contour plot, the 3D surface, the
//! learning curve): the same value reads the same in every view. Axis ticks and the compact
//! slice headers use the shorter tick labels (`view3d::ticks::format_number`).

/// A number for a readout: 4 decimals, or 4 significant digits in scientific notation when
/// very large or small; "undefined" for NaN.
pub fn readout(v: f64) -> String {
    if !v.is_finite() {
        return if v.is_nan() {
            "undefined".to_owned()
        } else if v > 0.0 {
            "+inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    let a = v.abs();
    if a != 0.0 && !(1e-3..1e5).contains(&a) {
        format!("{v:.3e}")
    } else {
        format!("{v:.4}")
    }
}

#[cfg(test)]
mod tests {
    use super::readout;

    // Ordinary, tiny, huge and undefined values each read in one way.
    #[test]
    fn readouts() {
        assert_eq!(readout(1.5), "1.5000");
        assert_eq!(readout(-0.25), "-0.2500");
        assert_eq!(readout(1234567.0), "1.235e6");
        assert_eq!(readout(2e-7), "2.000e-7");
        assert_eq!(readout(f64::NAN), "undefined");
        assert_eq!(readout(f64::NEG_INFINITY), "-inf");
    }
}
