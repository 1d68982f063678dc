//! AdamW (torch `AdamW`): Adam with decoupled weight decay.
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count (defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weight_decay = 0.01):
//!
//! ```text
//! theta = theta * (1 - lr * weight_decay)      (decay first, not through the gradient)
//! m     = beta1 * m + (1 - beta1) * g
//! v     = beta2 * v + (1 - beta2) * g^2
//! v_max = max(v_max, v)                        (AMSGrad only; then v_max replaces v below)
//! theta = theta - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//! ```

use super::{Adam, Optimizer, OptimizerSettings, OptimizerState};
use crate::engine::{Hessian, Point};

/// AdamW: the decay shrinks the parameters directly instead of being added to g.
#[derive(Clone, Debug, PartialEq)]
pub struct AdamW(Adam);

impl AdamW {
    /// The Adam rule inside (with decoupled weight decay).
    pub(super) fn adam_mut(&mut self) -> &mut Adam {
        &mut self.0
    }

    /// AdamW with the given hyper-parameters.
    pub fn new(beta1: f64, beta2: f64, eps: f64, weight_decay: f64, amsgrad: bool) -> Self {
        Self(Adam::with_decoupling(
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
            true,
        ))
    }
}

impl Optimizer for AdamW {
    fn settings(&self) -> OptimizerSettings {
        self.0.settings()
    }

    #[inline]
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        h: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        self.0.step_groups(params, gradient, h, lr);
    }

    fn reset(&mut self) {
        self.0.reset();
    }

    fn step_count(&self) -> u64 {
        self.0.step_count()
    }

    fn state_width(&self) -> usize {
        self.0.state_width()
    }

    fn save_state(&self, out: &mut [f64]) {
        self.0.save_state(out);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        self.0.describe_state(saved, step_count, lr)
    }
}
