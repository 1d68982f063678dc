//! How parameter space and cost map into the 3D view's world box.
//!
//! w and b fill `[-1, 1]` each; J becomes a height in `[0, top]` where `top` is a base
//! height times the user's exaggeration. The height is linear in J between the lowest and
//! highest finite value on the grid, or logarithmic in `J - J_min` for surfaces that span
//! many decades (the bottom of a narrow valley becomes visible).

use crate::engine::{Domain, Point};

use super::vec3::Vec3;

/// Height of the box at exaggeration 1, relative to its half-width of 1.
pub const BASE_HEIGHT: f32 = 0.9;
/// Decades shown by the log height (values closer than this to the minimum are flat).
const LOG_DECADES: f64 = 4.0;

/// The mapping between (w, b, J) and the 3D view's world coordinates.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SceneScale {
    /// The parameter region shown.
    pub domain: Domain,
    /// The lowest cost shown (height 0).
    pub low: f64,
    /// The highest cost shown (height `top`).
    pub high: f64,
    /// Logarithmic height in `J - low`.
    pub log_height: bool,
    /// Height of the box, in world units.
    pub top: f32,
}

impl SceneScale {
    /// The scale that fits the finite `values` of a grid (automatic vertical scale).
    pub fn fit(domain: Domain, values: &[f64], log_height: bool, exaggeration: f32) -> Self {
        let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
        for &v in values {
            if v.is_finite() {
                low = low.min(v);
                high = high.max(v);
            }
        }
        Self::from_range(domain, low, high, log_height, exaggeration)
    }

    /// The scale for costs between `low` and `high` (repaired if empty or not finite).
    pub fn from_range(
        domain: Domain,
        low: f64,
        high: f64,
        log_height: bool,
        exaggeration: f32,
    ) -> Self {
        let (mut low, mut high) = if low.is_finite() && high.is_finite() && low <= high {
            (low, high)
        } else {
            (0.0, 1.0)
        };
        if high - low <= f64::EPSILON * (1.0 + low.abs()) * 16.0 {
            let pad = (low.abs() * 1e-3).max(0.5);
            low -= pad;
            high += pad;
        }
        let domain = if domain.is_valid() {
            domain
        } else {
            Domain::new(-1.0, 1.0, -1.0, 1.0)
        };
        let exaggeration = if exaggeration.is_finite() {
            exaggeration.clamp(0.05, 20.0)
        } else {
            1.0
        };
        Self {
            domain,
            low,
            high,
            log_height,
            top: BASE_HEIGHT * exaggeration,
        }
    }

    /// Where the cost `j` sits between `low` (0) and `high` (1); may fall outside [0, 1].
    pub fn fraction(&self, j: f64) -> f64 {
        let span = self.high - self.low;
        if self.log_height {
            let delta = span * 10f64.powf(-LOG_DECADES);
            let x = ((j - self.low) / delta).max(-0.999_999);
            x.ln_1p() / (span / delta).ln_1p()
        } else {
            (j - self.low) / span
        }
    }

    /// The cost at fraction `t` of the height (inverse of [`SceneScale::fraction`]).
    pub fn cost_at_fraction(&self, t: f64) -> f64 {
        let span = self.high - self.low;
        if self.log_height {
            let delta = span * 10f64.powf(-LOG_DECADES);
            self.low + delta * (t * (span / delta).ln_1p()).exp_m1()
        } else {
            self.low + t * span
        }
    }

    /// World height of cost `j`, clamped just outside the box; NaN when `j` is not finite.
    pub fn height(&self, j: f64) -> f32 {
        if j.is_nan() {
            return f32::NAN;
        }
        if j == f64::INFINITY {
            return self.top * 1.05;
        }
        if j == f64::NEG_INFINITY {
            return 0.0;
        }
        (self.fraction(j).clamp(-0.02, 1.05) as f32) * self.top
    }

    /// World x of parameter w.
    pub fn x(&self, w: f64) -> f32 {
        ((w - self.domain.w_min) / self.domain.w_span() * 2.0 - 1.0) as f32
    }

    /// World y of parameter b.
    pub fn y(&self, b: f64) -> f32 {
        ((b - self.domain.b_min) / self.domain.b_span() * 2.0 - 1.0) as f32
    }

    /// World position of the point (w, b) at cost `j`.
    pub fn world(&self, w: f64, b: f64, j: f64) -> Vec3 {
        Vec3::new(self.x(w), self.y(b), self.height(j))
    }

    /// The parameters (w, b) under world position `(x, y)`.
    pub fn parameters(&self, x: f32, y: f32) -> Point {
        [
            self.domain.w_min + (f64::from(x) + 1.0) * 0.5 * self.domain.w_span(),
            self.domain.b_min + (f64::from(y) + 1.0) * 0.5 * self.domain.b_span(),
        ]
    }

    /// The point the camera orbits: the middle of the box.
    pub fn center(&self) -> Vec3 {
        Vec3::new(0.0, 0.0, 0.5 * self.top)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain() -> Domain {
        Domain::new(-2.0, 2.0, -1.0, 3.0)
    }

    // Corners of the domain map to the corners of the box; parameters() inverts x() and y().
    #[test]
    fn parameters_round_trip() {
        let s = SceneScale::from_range(domain(), 0.0, 10.0, false, 1.0);
        assert_eq!(s.x(-2.0), -1.0);
        assert_eq!(s.y(3.0), 1.0);
        let p = s.parameters(s.x(0.5), s.y(1.25));
        assert!(
            (p[0] - 0.5).abs() < 1e-6 && (p[1] - 1.25).abs() < 1e-6,
            "{p:?}"
        );
    }

    // Lowest value sits on the floor, highest at the top; exaggeration scales the top.
    #[test]
    fn fit_spans_the_box() {
        let s = SceneScale::fit(
            domain(),
            &[3.0, f64::NAN, 7.0, 5.0, f64::INFINITY],
            false,
            2.0,
        );
        assert_eq!((s.low, s.high), (3.0, 7.0));
        assert_eq!(s.height(3.0), 0.0);
        assert!((s.height(7.0) - 2.0 * BASE_HEIGHT).abs() < 1e-6);
        assert!((s.height(5.0) - BASE_HEIGHT).abs() < 1e-6);
        assert!(s.height(f64::NAN).is_nan());
    }

    // Log height is monotone, spans [0, 1] and its inverse recovers the cost.
    #[test]
    fn log_height_is_monotone_and_invertible() {
        let s = SceneScale::from_range(domain(), 0.0, 2500.0, true, 1.0);
        assert!(s.fraction(0.0).abs() < 1e-12);
        assert!((s.fraction(2500.0) - 1.0).abs() < 1e-12);
        let a = s.fraction(5.0);
        let b = s.fraction(50.0);
        let c = s.fraction(500.0);
        assert!(0.0 < a && a < b && b < c && c < 1.0);
        // Equal ratios of J - low far above delta get nearly equal steps of height.
        assert!(((c - b) - (b - a)).abs() < 0.01, "{a} {b} {c}");
        assert!((s.cost_at_fraction(b) - 50.0).abs() < 1e-9);
    }

    // A flat grid, an empty grid or a broken domain still gives a usable scale.
    #[test]
    fn degenerate_inputs_are_repaired() {
        let flat = SceneScale::fit(domain(), &[2.0; 9], false, 1.0);
        assert!(flat.low < 2.0 && flat.high > 2.0);
        let empty = SceneScale::fit(domain(), &[f64::NAN], true, f32::NAN);
        assert!(empty.low < empty.high && empty.top.is_finite());
        let broken = SceneScale::fit(Domain::new(1.0, -1.0, 0.0, 0.0), &[1.0, 2.0], false, 1.0);
        assert!(broken.domain.is_valid());
    }
}
