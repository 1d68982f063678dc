//! The mathematics of losscape. Nothing in here imports egui or eframe.
//!
//! Data flows one way: text -> [`expr`] (compiled tape) -> [`objective`] (the problem J(w,b))
//! -> [`run`] (an [`optim`] update rule stepping from an initialization) -> recorded history.
//! [`surface`] samples J on grids for the views, and [`data`] holds the datasets of data-fit
//! problems.

pub mod data;
/// Questions that take many runs: learning-rate scans, stability limits, tuning, seed luck.
pub mod explore;
pub mod expr;
pub mod limits;
pub mod map;
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

    /// The narrowest range accepted, relative to the larger size of its two ends: a range must
    /// be at least this many times `max(|min|, |max|)` wide. About 4.5 million floating-point
    /// numbers then lie across it, so the samples of the finest grid (4096 per axis) and the
    /// small steps and probes of the critical-point search stay distinct numbers.
    pub const MIN_RELATIVE_SPAN: f64 = 1e-9;

    /// The one rule for a usable domain, with a message saying what is wrong: in each
    /// direction both ends are finite, min < max, the width `max - min` is finite (it
    /// overflows for `[-1e308, 1e308]`), at least the smallest normal number
    /// (`f64::MIN_POSITIVE`, about 2.2e-308) and at least [`Domain::MIN_RELATIVE_SPAN`] times
    /// the larger `|end|` (`[1, 1 + 1e-12]` holds only a few thousand numbers).
    pub fn validate(&self) -> Result<(), String> {
        check_range("w", self.w_min, self.w_max)?;
        check_range("b", self.b_min, self.b_max)
    }

    /// True when [`Domain::validate`] accepts the domain.
    pub fn is_valid(&self) -> bool {
        self.validate().is_ok()
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

/// [`Domain::validate`] for one direction.
fn check_range(name: &str, min: f64, max: f64) -> Result<(), String> {
    let n = run::shortest;
    for (end, v) in [("min", min), ("max", max)] {
        if !v.is_finite() {
            return Err(format!(
                "{name}_{end} must be a finite number, not {}",
                n(v)
            ));
        }
    }
    if min >= max {
        return Err(format!(
            "{name}_min ({}) must be smaller than {name}_max ({})",
            n(min),
            n(max)
        ));
    }
    let span = max - min;
    if !span.is_finite() {
        return Err(format!(
            "the {name} range [{}, {}] is too wide: its width overflows the largest number \
             (about 1.8e+308)",
            n(min),
            n(max)
        ));
    }
    let size = min.abs().max(max.abs());
    let needed = (Domain::MIN_RELATIVE_SPAN * size).max(f64::MIN_POSITIVE);
    if span < needed {
        return Err(format!(
            "the {name} range [{}, {}] is too narrow for numbers of its size: it must be at \
             least {} wide ({} times its larger end, and at least {}), or neighbouring grid \
             points would be the same number",
            n(min),
            n(max),
            n(needed),
            n(Domain::MIN_RELATIVE_SPAN),
            n(f64::MIN_POSITIVE)
        ));
    }
    Ok(())
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

impl PointKind {
    /// A global or local minimum.
    pub fn is_minimum(self) -> bool {
        matches!(self, Self::GlobalMinimum | Self::LocalMinimum)
    }
}
