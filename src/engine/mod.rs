//! The mathematics of losscape. Nothing in here imports egui or eframe.
//!
//! Data flows one way: text -> [`expr`] (compiled tape) -> [`objective`] (the problem J(w,b))
//! -> [`run`] (an [`optim`] update rule stepping from an initialization) -> recorded history.
//! [`surface`] samples J on grids for the views, and [`data`] holds the datasets of data-fit
//! problems.

pub mod data;
pub mod expr;
pub mod limits;
pub mod objective;
pub mod optim;
pub mod run;
pub mod scenario;
pub mod surface;
mod tagged;

/// A point in parameter space: `[w, b]`.
pub type Point = [f64; 2];

/// A 2x2 symmetric matrix of second derivatives: `[[J_ww, J_wb], [J_bw, J_bb]]`.
pub type Hessian = [[f64; 2]; 2];

/// A rectangle of parameter space, `w` in `[w_min, w_max]` and `b` in `[b_min, b_max]`.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    /// Smallest w shown.
    pub w_min: f64,
    /// Largest w shown.
    pub w_max: f64,
    /// Smallest b shown.
    pub b_min: f64,
    /// Largest b shown.
    pub b_max: f64,
}

impl Domain {
    /// A domain from its two ranges.
    pub const fn new(w_min: f64, w_max: f64, b_min: f64, b_max: f64) -> Self {
        Self {
            w_min,
            w_max,
            b_min,
            b_max,
        }
    }

    /// True when [`Domain::validate`] finds nothing wrong.
    pub fn is_valid(&self) -> bool {
        self.validate().is_ok()
    }

    /// Checks that both ranges are finite and non-empty (min < max); the message says which
    /// range is wrong and how.
    pub fn validate(&self) -> Result<(), String> {
        for (name, lo, hi) in [("w", self.w_min, self.w_max), ("b", self.b_min, self.b_max)] {
            if !(lo.is_finite() && hi.is_finite()) {
                return Err(format!("{name}: the range needs finite numbers"));
            }
            if lo >= hi {
                return Err(format!(
                    "{name}: the first number ({lo}) must be smaller than the second ({hi})"
                ));
            }
        }
        Ok(())
    }

    /// Width of the w range.
    pub fn w_span(&self) -> f64 {
        self.w_max - self.w_min
    }

    /// Height of the b range.
    pub fn b_span(&self) -> f64 {
        self.b_max - self.b_min
    }

    /// True when the point lies inside (edges included).
    pub fn contains(&self, p: Point) -> bool {
        p[0] >= self.w_min && p[0] <= self.w_max && p[1] >= self.b_min && p[1] <= self.b_max
    }
}

/// Value, gradient and Hessian of J at one point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Derivatives {
    /// J(w, b).
    pub value: f64,
    /// `[dJ/dw, dJ/db]`.
    pub gradient: [f64; 2],
    /// Second derivatives.
    pub hessian: Hessian,
}

/// A stationary point known in closed form (a preset's minimum, say).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct KnownPoint {
    /// Where it is.
    pub at: Point,
    /// J there.
    pub value: f64,
    /// What kind of point it is.
    pub kind: PointKind,
}

/// The kind of a stationary point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum PointKind {
    /// The lowest point of the function (one of them, if several tie).
    GlobalMinimum,
    /// A minimum that is not the lowest.
    LocalMinimum,
    /// A local maximum.
    Maximum,
    /// A saddle point: a minimum along one direction, a maximum along another.
    Saddle,
}
