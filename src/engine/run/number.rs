//! Printing numbers so that they read back exactly.

/// The shortest text that parses back to exactly `x`, in Python's `repr` style: plain
/// digits for 1e-4 <= |x| < 1e16 (`0.001`, `412`), otherwise scientific with a signed,
/// two-digit exponent (`1e-06`, `2.5e+20`); `inf`, `-inf` and `NaN` for the rest.
/// Rust's `str::parse::<f64>` and Python's `float` read every form back.
pub fn shortest(x: f64) -> String {
    let mut text = String::new();
    push_shortest(&mut text, x);
    text
}

/// Appends [`shortest`]`(x)` to `out` (without allocating for the plain-digit form).
pub fn push_shortest(out: &mut String, x: f64) {
    use std::fmt::Write as _;
    let magnitude = x.abs();
    if x == 0.0 || (1e-4..1e16).contains(&magnitude) {
        let _ = write!(out, "{x}");
    } else {
        out.push_str(&unusual(x));
    }
}

/// [`shortest`] of a number outside the plain-digit range.
fn unusual(x: f64) -> String {
    if x.is_nan() {
        return "NaN".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "inf".to_owned()
        } else {
            "-inf".to_owned()
        };
    }
    // `{:e}` is also the shortest round-trip form, e.g. "1e-6" or "-2.5e20".
    let scientific = format!("{x:e}");
    match scientific.split_once('e') {
        Some((mantissa, exponent)) => {
            let (sign, digits) = match exponent.strip_prefix('-') {
                Some(d) => ('-', d),
                None => ('+', exponent),
            };
            format!("{mantissa}e{sign}{digits:0>2}")
        }
        None => scientific,
    }
}

#[cfg(test)]
mod tests {
    use super::shortest;

    /// Every form reads back to the same bits.
    #[test]
    fn round_trips_and_looks_like_python() {
        for (x, text) in [
            (1e-6, "1e-06"),
            (0.001, "0.001"),
            (412.0, "412"),
            (-1.5, "-1.5"),
            (2.5e20, "2.5e+20"),
            (1e-10, "1e-10"),
            (0.0, "0"),
            (f64::INFINITY, "inf"),
        ] {
            assert_eq!(shortest(x), text);
        }
        for x in [
            0.1,
            1.0 / 3.0,
            -7.25e-300,
            1e16,
            123456789.123,
            f64::MIN_POSITIVE,
            f64::MAX,
        ] {
            let back: f64 = shortest(x).parse().expect("parses");
            assert_eq!(back.to_bits(), x.to_bits(), "{x}");
        }
    }
}
