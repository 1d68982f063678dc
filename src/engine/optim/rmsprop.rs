//! RMSProp (torch `RMSprop`: not centered, no momentum).
//!
//! Rule, with g the gradient of the current batch and lr the learning rate:
//!
//! ```text
//! g     = g + weight_decay * theta      (only when weight_decay != 0)
//! s     = alpha * s + (1 - alpha) * g^2 (per parameter)
//! theta = theta - lr * g / (sqrt(s) + eps)
//! ```
//!
//! Like AdaGrad, but old squared gradients fade (defaults alpha = 0.99, eps = 1e-8), so the
//! steps do not shrink forever.

use super::{Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay};
use crate::engine::{Hessian, Point};

/// RMSProp: per-parameter learning rates from a moving average of squared gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    alpha: f64,
    eps: f64,
    weight_decay: f64,
    square_average: [f64; 2],
    steps: u64,
}

impl RmsProp {
    /// RMSProp with smoothing constant `alpha` and stability constant `eps`.
    pub fn new(alpha: f64, eps: f64, weight_decay: f64) -> Self {
        Self {
            alpha,
            eps,
            weight_decay,
            square_average: [0.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for RmsProp {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Rmsprop {
            alpha: self.alpha,
            eps: self.eps,
            weight_decay: self.weight_decay,
        }
    }

    #[inline]
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        _: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        let g = with_weight_decay(gradient, params, self.weight_decay);
        let keep = 1.0 - self.alpha;
        for i in 0..2 {
            // torch: square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            self.square_average[i] = self.square_average[i] * self.alpha + keep * g[i] * g[i];
            let avg = self.square_average[i].sqrt() + self.eps;
            // torch: param.addcdiv_(grad, avg, value=-lr)
            params[i] += -lr[i] * (g[i] / avg);
        }
        self.steps += 1;
    }

    fn reset(&mut self) {
        self.square_average = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        2
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.square_average);
    }

    fn describe_state(&self, saved: &[f64], _: u64, lr: f64) -> OptimizerState {
        let s = pair(saved, 0);
        OptimizerState::RmsProp {
            square_average: s,
            effective_learning_rate: [lr / (s[0].sqrt() + self.eps), lr / (s[1].sqrt() + self.eps)],
        }
    }
}
