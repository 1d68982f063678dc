//! A grid as an RGBA image for a heat map.

use super::{Colormap, Grid};

/// How grid values are mapped to [0, 1] before coloring.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ValueScale {
    /// `t = (J - min) / (max - min)`.
    #[default]
    #[serde(alias = "Linear")]
    Linear,
    /// `t = ln(1 + (J - min) / eps) / ln(1 + (max - min) / eps)` with `eps = (max - min) * 1e-4`:
    /// shows detail near the minimum of surfaces spanning decades (Rosenbrock).
    #[serde(alias = "Log")]
    Log,
}

impl ValueScale {
    /// The position in [0, 1] of `value` between `min` and `max`; NaN for undefined values.
    pub fn unit(self, value: f64, min: f64, max: f64) -> f64 {
        if !value.is_finite() || !min.is_finite() || !max.is_finite() {
            return f64::NAN;
        }
        let span = max - min;
        if span <= 0.0 {
            return 0.5;
        }
        let t = match self {
            Self::Linear => (value - min) / span,
            Self::Log => {
                let eps = span * 1e-4;
                ((value - min) / eps).ln_1p() / (span / eps).ln_1p()
            }
        };
        t.clamp(0.0, 1.0)
    }
}

/// The grid as RGBA pixels (4 bytes each, opaque), `n_w` wide and `n_b` high, in image order:
/// the first pixel row is the top edge of the domain (`b = b_max`). Undefined cells get
/// [`super::UNDEFINED_RGB`].
pub fn heat_map_rgba(grid: &Grid, colormap: Colormap, scale: ValueScale) -> Vec<u8> {
    let mut pixels = Vec::with_capacity(grid.values.len() * 4);
    for row in grid.values.chunks(grid.n_w.max(1)).rev() {
        for &v in row {
            let [r, g, b] = colormap.rgb(scale.unit(v, grid.min, grid.max));
            pixels.extend_from_slice(&[r, g, b, 255]);
        }
    }
    pixels
}
