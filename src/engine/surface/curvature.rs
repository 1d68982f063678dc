//! The curvature of J at a point, from its Hessian: eigenvalues, condition number and the
//! largest stable gradient-descent learning rate.

use crate::engine::objective::Objective;
use crate::engine::{Hessian, Point};

/// The Hessian of J at a point, taken apart.
///
/// Near a minimum J is close to the quadratic `J(p*) + 1/2 d^T H d`; along the eigenvector of
/// eigenvalue `lambda` gradient descent with learning rate `alpha` multiplies the distance to
/// the minimum by `1 - alpha * lambda` per step, so it converges only when
/// `alpha < 2 / lambda_max`, and the condition number `lambda_max / lambda_min` says how much
/// slower the flattest direction is than the steepest.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Curvature {
    /// The eigenvalues of the (symmetrized) Hessian, smallest first.
    pub eigenvalues: [f64; 2],
    /// Unit eigenvectors `[w, b]`, in the order of `eigenvalues`.
    pub eigenvectors: [[f64; 2]; 2],
    /// `|lambda|_max / |lambda|_min`: 1 for round bowls, large for long narrow valleys,
    /// infinite when an eigenvalue is 0, NaN when the Hessian is not finite.
    pub condition_number: f64,
    /// `2 / lambda_max` when the largest eigenvalue is positive: above this learning rate plain
    /// gradient descent diverges along the steepest direction of a quadratic. `None` otherwise.
    pub max_stable_learning_rate: Option<f64>,
}

impl Curvature {
    /// The curvature of J at `p`.
    pub fn at(objective: &dyn Objective, p: Point) -> Curvature {
        Curvature::from_hessian(objective.derivatives(p).hessian)
    }

    /// Takes a Hessian apart (its off-diagonal entries are averaged first).
    pub fn from_hessian(h: Hessian) -> Curvature {
        let (eigenvalues, eigenvectors) = symmetric_eigen(h);
        let [lo, hi] = eigenvalues;
        let (small, large) = if lo.abs() <= hi.abs() {
            (lo.abs(), hi.abs())
        } else {
            (hi.abs(), lo.abs())
        };
        let condition_number = if !(small.is_finite() && large.is_finite()) {
            f64::NAN
        } else if large == 0.0 {
            1.0
        } else if small == 0.0 {
            f64::INFINITY
        } else {
            large / small
        };
        let max_stable_learning_rate = (hi.is_finite() && hi > 0.0).then(|| 2.0 / hi);
        Curvature {
            eigenvalues,
            eigenvectors,
            condition_number,
            max_stable_learning_rate,
        }
    }
}

/// Eigenvalues (ascending) and unit eigenvectors of a symmetric 2x2 matrix, in closed form.
///
/// Not nalgebra's `SymmetricEigen`: for 2x2 matrices it takes both eigenvalues as half the
/// trace plus or minus a root, so an eigenvalue much smaller than the other loses its relative
/// accuracy (for `[[1, 1e-9], [1e-9, 1e-12]]` it gives 1.0000334e-12 for 9.99999e-13), and
/// with it the condition number and the classification of nearly flat stationary points. Here
/// the larger eigenvalue comes from the mean and radius and the smaller from the determinant.
///
/// The matrix is divided by its largest entry first (a power of two, so exactly) and the
/// eigenvalues multiplied back, so entries near 1e200 or 1e-200, whose products over- or
/// underflow, are handled like entries near 1.
pub fn symmetric_eigen(h: Hessian) -> ([f64; 2], [[f64; 2]; 2]) {
    let b = 0.5 * h[0][1] + 0.5 * h[1][0];
    let (a, c) = (h[0][0], h[1][1]);
    if ![a, b, c].iter().all(|v| v.is_finite()) {
        return ([f64::NAN; 2], [[f64::NAN; 2]; 2]);
    }
    let largest = a.abs().max(b.abs()).max(c.abs());
    let unit = if largest > 0.0 {
        power_of_two_at_most(largest)
    } else {
        1.0
    };
    let ([lo, hi], vectors) = unit_eigen(a / unit, b / unit, c / unit);
    ([lo * unit, hi * unit], vectors)
}

/// The largest power of two at most `x` (finite, positive).
fn power_of_two_at_most(x: f64) -> f64 {
    // The exponent bits alone; for subnormal x, the smallest normal power of two (dividing by
    // it is still exact, and the scaled entries stay below 2^52).
    let bits = x.to_bits() & 0x7ff0_0000_0000_0000;
    if bits == 0 {
        f64::MIN_POSITIVE
    } else {
        f64::from_bits(bits)
    }
}

/// [`symmetric_eigen`] of `[[a, b], [b, c]]`, entries at most 2 in size.
fn unit_eigen(a: f64, b: f64, c: f64) -> ([f64; 2], [[f64; 2]; 2]) {
    let mean = 0.5 * (a + c);
    let radius = (0.5 * (a - c)).hypot(b);
    // The eigenvalue of larger magnitude first, then the other from the determinant, which
    // avoids cancellation when both are of one sign.
    let det = a * c - b * b;
    let (lo, hi) = if mean >= 0.0 {
        let hi = mean + radius;
        let lo = if hi != 0.0 { det / hi } else { mean - radius };
        (lo.min(hi), hi)
    } else {
        let lo = mean - radius;
        let hi = if lo != 0.0 { det / lo } else { mean + radius };
        (lo, hi.max(lo))
    };
    let vectors = if b == 0.0 {
        if a <= c {
            [[1.0, 0.0], [0.0, 1.0]]
        } else {
            [[0.0, 1.0], [1.0, 0.0]]
        }
    } else {
        [eigenvector(a, b, c, lo), eigenvector(a, b, c, hi)]
    };
    ([lo, hi], vectors)
}

/// A unit vector v with (H - lambda I) v = 0, from whichever row of H - lambda I is larger.
fn eigenvector(a: f64, b: f64, c: f64, lambda: f64) -> [f64; 2] {
    let r1 = [b, lambda - a];
    let r2 = [lambda - c, b];
    let n1 = r1[0].hypot(r1[1]);
    let n2 = r2[0].hypot(r2[1]);
    let (v, n) = if n1 >= n2 { (r1, n1) } else { (r2, n2) };
    if n == 0.0 {
        [1.0, 0.0]
    } else {
        [v[0] / n, v[1] / n]
    }
}
