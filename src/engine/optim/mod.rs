//! Update rules: how an optimizer turns a gradient into a step (PyTorch `torch.optim`
//! semantics, in f64).
//!
//! An [`Optimizer`] is one update rule with private state (velocity, accumulators, moment
//! estimates). It knows nothing about batches, schedules or termination: the
//! [`Run`](crate::engine::run::Run) hands it a gradient and the current learning rate and it
//! moves the parameters. [`OptimizerSettings`] is the plain, serializable description of an
//! optimizer and its hyper-parameters; [`OptimizerSettings::build`] makes the optimizer.
//!
//! w and b are two separate parameters (0-d tensors, in that order), as in a model with a
//! weight and a bias; this matters only to rules that look at a parameter as a whole
//! (Adafactor's relative step) or at both together (L-BFGS, the line search).

mod adadelta;
mod adafactor;
mod adagrad;
mod adam;
mod adamax;
mod adamw;
mod armijo;
mod asgd;
mod gd;
mod lbfgs;
mod momentum;
mod nadam;
mod newton;
mod radam;
mod rmsprop;
pub mod rprop;
mod settings;
mod state;

pub use adadelta::Adadelta;
pub use adafactor::Adafactor;
pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use adamax::Adamax;
pub use adamw::AdamW;
pub use armijo::Armijo;
pub use asgd::Asgd;
pub use gd::GradientDescent;
pub use lbfgs::Lbfgs;
pub use momentum::Momentum;
pub use nadam::NAdam;
pub use newton::{NEWTON_MIN_CURVATURE_RATIO, Newton, newton_damping};
pub use radam::RAdam;
pub use rmsprop::RmsProp;
pub use rprop::Rprop;
pub use settings::{
    FromSettings, LaneUpdate, LineSearch, OptimizerFamily, OptimizerKind, OptimizerSettings,
    RuleLanes, SettingsError,
};
pub use state::{MAX_STATE_SLOTS, OptimizerState};

/// A point where a rule evaluated J during one update (a line search's trial step, an
/// L-BFGS inner iteration), with the cost it found there.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Trial {
    /// `[w, b]` evaluated.
    pub params: Point,
    /// J there (of the update's mini-batch).
    pub cost: f64,
}

use super::{Hessian, Point};

/// One update rule with private state, like a `torch.optim` optimizer over the two
/// parameters `[w, b]`.
pub trait Optimizer: Send + Sync {
    /// The settings this optimizer was built from.
    fn settings(&self) -> OptimizerSettings;

    /// True when [`Optimizer::step`] needs the Hessian (Newton's method).
    fn needs_hessian(&self) -> bool {
        false
    }

    /// One update: move `params` using `gradient` (of the current batch, at `params`) and
    /// `learning_rate`. `hessian` is the matrix of second derivatives at `params`; only
    /// rules with [`Optimizer::needs_hessian`] read it.
    fn step(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        hessian: Option<&Hessian>,
        learning_rate: f64,
    ) {
        self.step_groups(params, gradient, hessian, [learning_rate; 2]);
    }

    /// One update with w and b in two parameter groups (torch: two entries in
    /// `param_groups`), each with its own learning rate: `learning_rate[0]` moves w and
    /// `learning_rate[1]` moves b. The state of each parameter is its own, so this is the
    /// same as one group when the two rates are equal.
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        hessian: Option<&Hessian>,
        learning_rate: [f64; 2],
    );

    /// True when an update evaluates J at points of its own choosing
    /// ([`Optimizer::step_evaluating`]): L-BFGS and the line search.
    fn evaluates(&self) -> bool {
        false
    }

    /// One update of a rule that evaluates J itself (torch: `optimizer.step(closure)`).
    /// `cost` and `gradient` are J and its gradient at `params` (the closure's first call);
    /// `evaluate` gives them at any other point, and every such evaluation is appended to
    /// `trials`. Returns the step size the update took (the line search's accepted one; the
    /// learning rate for every other rule). Rules that do not evaluate take
    /// [`Optimizer::step_groups`].
    fn step_evaluating(
        &mut self,
        params: &mut Point,
        cost: f64,
        gradient: [f64; 2],
        learning_rate: [f64; 2],
        evaluate: &mut dyn FnMut(Point) -> (f64, [f64; 2]),
        trials: &mut Vec<Trial>,
    ) -> f64 {
        let _ = (cost, evaluate, trials);
        self.step_groups(params, gradient, None, learning_rate);
        learning_rate[0]
    }

    /// Forget all state, as if no step had been taken.
    fn reset(&mut self);

    /// Number of updates taken since creation or the last [`Optimizer::reset`].
    fn step_count(&self) -> u64;

    /// How many numbers [`Optimizer::save_state`] writes (at most [`MAX_STATE_SLOTS`]).
    fn state_width(&self) -> usize;

    /// Write the internal state compactly into `out[..self.state_width()]` (what a run's
    /// history records after every update).
    fn save_state(&self, out: &mut [f64]);

    /// Describe a saved state (from [`Optimizer::save_state`] after `step_count` updates,
    /// the last of which used `learning_rate`) with named quantities for a step inspector.
    fn describe_state(&self, saved: &[f64], step_count: u64, learning_rate: f64) -> OptimizerState;

    /// The current state, named. `learning_rate` is the one the last update used.
    fn state(&self, learning_rate: f64) -> OptimizerState {
        let mut saved = [0.0; MAX_STATE_SLOTS];
        let width = self.state_width().min(MAX_STATE_SLOTS);
        self.save_state(&mut saved[..width]);
        self.describe_state(&saved[..width], self.step_count(), learning_rate)
    }
}

/// Reads `saved[i]` and `saved[i + 1]` as a pair, zero where missing.
pub(crate) fn pair(saved: &[f64], i: usize) -> [f64; 2] {
    [
        saved.get(i).copied().unwrap_or(0.0),
        saved.get(i + 1).copied().unwrap_or(0.0),
    ]
}

/// Writes a pair into `out[i]` and `out[i + 1]` where they exist.
pub(crate) fn put_pair(out: &mut [f64], i: usize, value: [f64; 2]) {
    if let Some(slot) = out.get_mut(i..i + 2) {
        slot.copy_from_slice(&value);
    }
}

/// The weight decay of the Adam family: decoupled, each parameter shrinks by
/// `1 - lr * weight_decay` first (torch `param.mul_(1 - lr * weight_decay)`: AdamW, NAdam and
/// RAdam with `decoupled_weight_decay`); otherwise it is added to the gradient
/// ([`with_weight_decay`]). Returns the gradient the step uses.
#[inline(always)]
pub(crate) fn decay_weights(
    params: &mut Point,
    gradient: [f64; 2],
    lr: [f64; 2],
    weight_decay: f64,
    decoupled: bool,
) -> [f64; 2] {
    if weight_decay == 0.0 {
        gradient
    } else if decoupled {
        params[0] *= 1.0 - lr[0] * weight_decay;
        params[1] *= 1.0 - lr[1] * weight_decay;
        gradient
    } else {
        with_weight_decay(gradient, params, weight_decay)
    }
}

/// `grad + weight_decay * param` as torch's `grad.add(param, alpha=weight_decay)` computes
/// it on the CPU (a fused multiply-add, one rounding), skipped when `weight_decay` is 0 (as
/// torch does).
#[inline(always)]
pub(crate) fn with_weight_decay(gradient: [f64; 2], params: &Point, weight_decay: f64) -> [f64; 2] {
    if weight_decay == 0.0 {
        gradient
    } else {
        [
            weight_decay.mul_add(params[0], gradient[0]),
            weight_decay.mul_add(params[1], gradient[1]),
        ]
    }
}
