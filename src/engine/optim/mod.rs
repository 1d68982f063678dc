//! Update rules: how an optimizer turns a gradient into a step (PyTorch `torch.optim`
//! semantics, in f64).
//!
//! An [`Optimizer`] is one update rule with private state (velocity, accumulators, moment
//! estimates). It knows nothing about batches, schedules or termination: the
//! [`Run`](crate::engine::run::Run) hands it a gradient and the current learning rate and it
//! moves the parameters. [`OptimizerSettings`] is the plain, serializable description of an
//! optimizer and its hyper-parameters; [`OptimizerSettings::build`] makes the optimizer.

mod adagrad;
mod adam;
mod adamw;
mod gd;
mod momentum;
mod nesterov;
mod newton;
mod rmsprop;
mod settings;
mod state;

pub use adagrad::AdaGrad;
pub use adam::Adam;
pub use adamw::AdamW;
pub use gd::GradientDescent;
pub use momentum::Momentum;
pub use nesterov::Nesterov;
pub use newton::{NEWTON_MIN_CURVATURE_RATIO, Newton, newton_damping};
pub use rmsprop::RmsProp;
pub use settings::{FromSettings, OptimizerKind, OptimizerSettings, SettingsError};
pub use state::{MAX_STATE_SLOTS, OptimizerState};

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

/// `grad + weight_decay * param` as torch's `grad.add(param, alpha=weight_decay)`, skipped
/// when `weight_decay` is 0 (as torch does).
#[inline]
pub(crate) fn with_weight_decay(gradient: [f64; 2], params: &Point, weight_decay: f64) -> [f64; 2] {
    if weight_decay == 0.0 {
        gradient
    } else {
        [
            gradient[0] + weight_decay * params[0],
            gradient[1] + weight_decay * params[1],
        ]
    }
}
