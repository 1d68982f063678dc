//! Damped Newton's method (second order; no torch counterpart).
//!
//! Rule, with g the gradient of the current batch, H the Hessian at theta and lr the
//! learning rate (default 1):
//!
//! ```text
//! lambda = smallest damping >= 0 that makes H + lambda * I positive definite
//! theta  = theta - lr * (H + lambda * I)^-1 * g
//! ```
//!
//! "Positive definite" here means every eigenvalue at least
//! `delta = 1e-6 * max(1, largest |eigenvalue of H|)`, so lambda = 0 when the smallest
//! eigenvalue of H is at least delta, and `lambda = delta - smallest eigenvalue` otherwise.
//! Where J curves upward in every direction this is the pure Newton step, which jumps to the
//! minimum of a quadratic bowl in one update; at a saddle or a maximum the damping turns the
//! step downhill, and the flat direction gets a very long step. With w and b in two
//! parameter groups, each coordinate of the step is scaled by its own group's rate.
//!
//! The damped system is solved with nalgebra's inverse of the 2x2 matrix (its adjugate over
//! its determinant): for 2x2 systems that is as exact as Cramer's rule and about twice as
//! exact as a Cholesky or LU solve (measured against exact rational solutions, at condition
//! numbers from 1 to 1e8), which matters here because the damping allows condition numbers up
//! to 1e6. A Hessian that is not finite gives a NaN step, which the run reports as divergence.

use nalgebra::{Matrix2, Vector2};

use super::{Optimizer, OptimizerSettings, OptimizerState};
use crate::engine::{Hessian, Point};

/// Newton's method with the smallest damping that keeps the step a descent direction.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Newton {
    damping: f64,
    steps: u64,
}

impl Newton {
    /// A fresh Newton optimizer.
    pub fn new() -> Self {
        Self::default()
    }
}

/// The smallest eigenvalue a damped Hessian may have, relative to its largest |eigenvalue|
/// (at least 1).
pub const NEWTON_MIN_CURVATURE_RATIO: f64 = 1e-6;

/// The damping lambda for Hessian `h` (see the module docs); NaN when `h` is not finite.
pub fn newton_damping(h: &Hessian) -> f64 {
    let (a, d) = (h[0][0], h[1][1]);
    let c = 0.5 * (h[0][1] + h[1][0]);
    let mean = 0.5 * (a + d);
    let radius = (0.5 * (a - d)).hypot(c);
    let (smallest, largest) = (mean - radius, mean + radius);
    let delta = NEWTON_MIN_CURVATURE_RATIO * 1f64.max(smallest.abs()).max(largest.abs());
    if smallest.is_nan() || largest.is_nan() {
        f64::NAN
    } else if smallest >= delta {
        0.0
    } else {
        delta - smallest
    }
}

impl Optimizer for Newton {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Newton {}
    }

    fn needs_hessian(&self) -> bool {
        true
    }

    /// Without a Hessian the step falls back to a gradient step (H = I).
    #[inline]
    fn step_groups(
        &mut self,
        params: &mut Point,
        g: [f64; 2],
        hessian: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        let h = hessian.copied().unwrap_or([[1.0, 0.0], [0.0, 1.0]]);
        let lambda = newton_damping(&h);
        let c = 0.5 * (h[0][1] + h[1][0]);
        let damped = Matrix2::new(h[0][0] + lambda, c, c, h[1][1] + lambda);
        let direction = damped.try_inverse().map_or([f64::NAN; 2], |inverse| {
            let d = inverse * Vector2::new(g[0], g[1]);
            [d.x, d.y]
        });
        params[0] -= lr[0] * direction[0];
        params[1] -= lr[1] * direction[1];
        self.damping = lambda;
        self.steps += 1;
    }

    fn reset(&mut self) {
        *self = Self::default();
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        1
    }

    fn save_state(&self, out: &mut [f64]) {
        if let Some(slot) = out.first_mut() {
            *slot = self.damping;
        }
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Newton {
            damping: saved.first().copied().unwrap_or(0.0),
        }
    }
}
