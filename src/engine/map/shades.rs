//! The colors of a map's outcomes, shared by the app's pictures and `losscape map --png`:
//! a hue per minimum reached, lighter the faster the run converged, diverged runs black.

use super::{CellOutcome, CellStatus};

/// An sRGB color.
pub type Rgb = [u8; 3];

/// Diverged runs.
pub const DIVERGED: Rgb = [0, 0, 0];
/// Runs stopped by the iteration limit.
pub const LIMIT_GREY: Rgb = [138, 138, 138];
/// Starts where J is not defined.
pub const UNDEFINED_RED: Rgb = [120, 14, 36];

/// Lightness steps of a ramp (computed once, looked up per cell).
const LEVELS: usize = 256;

/// How the cells of one map are colored: the lightness range follows the fastest and slowest
/// converged runs of that map.
#[derive(Clone, Debug)]
pub struct OutcomeShades {
    fastest: u64,
    slowest: u64,
    minima: usize,
    /// Each hue's colors from fastest to slowest, then the ramp of "no known minimum".
    ramps: Vec<Vec<Rgb>>,
}

impl OutcomeShades {
    /// The shading of `cells` (any order, missing ones skipped), with `minima` known minima.
    pub fn new<'a>(cells: impl IntoIterator<Item = &'a CellOutcome>, minima: usize) -> Self {
        let (mut fastest, mut slowest) = (u64::MAX, 0);
        for c in cells {
            if c.status == CellStatus::Converged {
                fastest = fastest.min(c.iterations);
                slowest = slowest.max(c.iterations);
            }
        }
        let mut shades = Self {
            fastest: fastest.min(slowest),
            slowest,
            minima,
            ramps: Vec::new(),
        };
        let level = |i: usize| i as f64 / (LEVELS - 1) as f64;
        shades.ramps = (0..minima.clamp(1, 8))
            .map(Some)
            .chain([None])
            .map(|m| (0..LEVELS).map(|i| shades.converged(m, level(i))).collect())
            .collect();
        shades
    }

    /// Iterations of the fastest and slowest converged runs.
    pub fn iteration_range(&self) -> (u64, u64) {
        (self.fastest, self.slowest)
    }

    /// The hue (degrees) of minimum `i`: up to 8 hues spread around the circle.
    fn hue(&self, i: usize) -> f64 {
        let n = self.minima.clamp(1, 8);
        255.0 + 360.0 * (i % n) as f64 / n as f64
    }

    /// 0 for the fastest converged run, 1 for the slowest, on a log scale.
    fn slowness(&self, iterations: u64) -> f64 {
        let ln = |n: u64| (n as f64).ln_1p();
        let span = ln(self.slowest) - ln(self.fastest);
        if span > 0.0 {
            ((ln(iterations) - ln(self.fastest)) / span).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }

    /// A converged run's color: the minimum's hue (`None`: no known minimum, a pale sand),
    /// lighter the faster it converged (`slowness` 0 fastest .. 1 slowest).
    pub fn converged(&self, minimum: Option<usize>, slowness: f64) -> Rgb {
        match minimum {
            Some(i) => oklch(0.90 - 0.38 * slowness, 0.17, self.hue(i)),
            None => oklch(0.97 - 0.20 * slowness, 0.035, 85.0),
        }
    }

    /// The color of a cell.
    pub fn color(&self, cell: &CellOutcome) -> Rgb {
        match cell.status {
            CellStatus::Converged => {
                let hues = self.ramps.len() - 1;
                let ramp = cell.minimum.map_or(hues, |i| i % hues);
                let level = (self.slowness(cell.iterations) * (LEVELS - 1) as f64).round();
                self.ramps
                    .get(ramp)
                    .and_then(|r| r.get(level as usize))
                    .copied()
                    .unwrap_or([255; 3])
            }
            CellStatus::Diverged => DIVERGED,
            CellStatus::Limit => LIMIT_GREY,
            CellStatus::Undefined => UNDEFINED_RED,
        }
    }
}

/// sRGB of an OKLab color, clamped into range.
fn oklab(l: f64, a: f64, b: f64) -> Rgb {
    let [r, g, b] = oklab_linear(l, a, b);
    [encode(r), encode(g), encode(b)]
}

/// Linear sRGB of an OKLab color (may be out of gamut).
fn oklab_linear(l: f64, a: f64, b: f64) -> [f64; 3] {
    let l_ = l + 0.396_337_777_4 * a + 0.215_803_757_3 * b;
    let m_ = l - 0.105_561_345_8 * a - 0.063_854_172_8 * b;
    let s_ = l - 0.089_484_177_5 * a - 1.291_485_548_0 * b;
    let (l3, m3, s3) = (l_.powi(3), m_.powi(3), s_.powi(3));
    [
        4.076_741_662_1 * l3 - 3.307_711_591_3 * m3 + 0.230_969_929_2 * s3,
        -1.268_438_004_6 * l3 + 2.609_757_401_1 * m3 - 0.341_319_396_5 * s3,
        -0.004_196_086_3 * l3 - 0.703_418_614_7 * m3 + 1.707_614_701_0 * s3,
    ]
}

/// One sRGB channel, gamma encoded, from a linear value.
fn encode(v: f64) -> u8 {
    let v = v.clamp(0.0, 1.0);
    let e = if v <= 0.003_130_8 {
        12.92 * v
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (e * 255.0).round().clamp(0.0, 255.0) as u8
}

/// The color of lightness `l`, chroma up to `c` and hue `h` (degrees) in OKLCh, with the
/// chroma lowered as far as needed to stay displayable (the hue and lightness kept).
fn oklch(l: f64, c: f64, h: f64) -> Rgb {
    let (sin, cos) = h.to_radians().sin_cos();
    let inside = |c: f64| {
        oklab_linear(l, c * cos, c * sin)
            .iter()
            .all(|v| (-1e-4..=1.0001).contains(v))
    };
    let (mut good, mut bad) = (0.0, c);
    if inside(c) {
        good = c;
    } else {
        for _ in 0..20 {
            let mid = 0.5 * (good + bad);
            if inside(mid) { good = mid } else { bad = mid }
        }
    }
    oklab(l, good * cos, good * sin)
}
