//! The problem being minimized: J(w, b), as a function or as a model fitted to data.

use super::expr::GradientScratch;
use super::{Derivatives, Domain, KnownPoint, Point};

/// A cost function J(w, b) with exact derivatives.
///
/// It knows nothing of optimizers. It cannot fail: every error is caught when its text is
/// compiled, and a non-finite result (ln of a negative, say) is a value the caller handles.
pub trait Objective: Send + Sync {
    /// J at `p`.
    fn value(&self, p: Point) -> f64;

    /// J and its gradient `[dJ/dw, dJ/db]` at `p`.
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]);

    /// J, its gradient and its Hessian at `p`.
    fn derivatives(&self, p: Point) -> Derivatives;

    /// The number of training examples m; 0 for a function problem (no dataset).
    fn example_count(&self) -> usize {
        0
    }

    /// The work of one full-data evaluation ([`Objective::value_gradient`]), counted in
    /// examples gone through: [`Objective::example_count`] by default, 0 when it does not grow
    /// with the data (function problems, and data fits whose full-data cost comes from
    /// statistics computed once). A run compares it with its batch size to decide how often
    /// it records the full-data cost (see `History::full_cost_stride`).
    fn full_evaluation_examples(&self) -> usize {
        self.example_count()
    }

    /// Mean cost and mean gradient over the listed examples (a mini-batch).
    /// Function problems have no examples and return [`Objective::value_gradient`].
    fn batch_value_gradient(&self, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        let _ = examples;
        self.value_gradient(p)
    }

    /// J at many points at once: `out[i] = J(w[i], b[i])`. The three slices have one length.
    /// Implementations evaluate in tight loops over the slices (grids call this).
    fn values(&self, w: &[f64], b: &[f64], out: &mut [f64]) {
        for ((o, &wi), &bi) in out.iter_mut().zip(w).zip(b) {
            *o = self.value([wi, bi]);
        }
    }

    /// J and its gradient at many points at once: `cost[i]` and `(grad_w[i], grad_b[i])`
    /// are bit for bit [`Objective::value_gradient`] at `(w[i], b[i])` (the slices have one
    /// length). Function problems run their compiled formula over blocks of points;
    /// `scratch` is reused between calls.
    fn value_gradient_batch(
        &self,
        w: &[f64],
        b: &[f64],
        cost: &mut [f64],
        grad_w: &mut [f64],
        grad_b: &mut [f64],
        scratch: &mut GradientScratch,
    ) {
        let _ = scratch;
        let points = w.iter().zip(b);
        let outputs = cost
            .iter_mut()
            .zip(grad_w.iter_mut())
            .zip(grad_b.iter_mut());
        for ((&wi, &bi), ((c, gw), gb)) in points.zip(outputs) {
            let (value, gradient) = self.value_gradient([wi, bi]);
            (*c, *gw, *gb) = (value, gradient[0], gradient[1]);
        }
    }

    /// The region shown by default.
    fn domain(&self) -> Domain;

    /// Stationary points known in closed form (may be empty).
    fn known_points(&self) -> &[KnownPoint] {
        &[]
    }
}

mod constants;
mod datafit;
mod function;
mod logistic;
mod loss;
mod presets;

pub use datafit::DataFitObjective;
pub use function::{DEFAULT_DOMAIN, FunctionObjective};
pub use loss::NamedLoss;
pub use presets::{Preset, PresetGroup, PresetKind, preset, presets};
