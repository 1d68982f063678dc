//! Adamax (torch `Adamax`; default lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count:
//!
//! ```text
//! g     = g + weight_decay * theta           (only when weight_decay != 0)
//! m     = beta1 * m + (1 - beta1) * g        (moving average of g)
//! u     = max(beta2 * u, |g| + eps)          (a decaying maximum of |g|: the infinity norm)
//! theta = theta - (lr / (1 - beta1^t)) * m / u
//! ```
//!
//! Adam with the root-mean-square replaced by a running maximum, which needs no bias
//! correction.

use super::adam::{lerp, maximum};
use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// Adamax: Adam with an infinity norm.
#[derive(Clone, Debug, PartialEq)]
pub struct Adamax {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    m: [f64; 2],
    u: [f64; 2],
    steps: u64,
}

impl Adamax {
    /// Adamax with the given hyper-parameters.
    pub fn new(beta1: f64, beta2: f64, eps: f64, weight_decay: f64) -> Self {
        Self {
            beta1,
            beta2,
            eps,
            weight_decay,
            m: [0.0; 2],
            u: [0.0; 2],
            steps: 0,
        }
    }

    /// torch: 1 - beta1 ** step.
    fn bias_correction(&self, steps: u64) -> f64 {
        1.0 - self.beta1.powf(steps as f64)
    }
}

impl Optimizer for Adamax {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Adamax {
            beta1: self.beta1,
            beta2: self.beta2,
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
        self.steps += 1;
        let g = with_weight_decay(gradient, params, self.weight_decay);
        let bias_correction = self.bias_correction(self.steps);
        for i in 0..2 {
            // torch: exp_avg.lerp_(grad, 1 - beta1)
            self.m[i] = lerp(self.m[i], g[i], 1.0 - self.beta1);
            // torch: torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps), out=exp_inf)
            self.u[i] = maximum(self.u[i] * self.beta2, g[i].abs() + self.eps);
            // torch: clr = lr / bias_correction; param.addcdiv_(exp_avg, exp_inf, value=-clr)
            let clr = lr[i] / bias_correction;
            params[i] += -clr * (self.m[i] / self.u[i]);
        }
    }

    fn reset(&mut self) {
        self.m = [0.0; 2];
        self.u = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        4
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.m);
        put_pair(out, 2, self.u);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        let (m, u) = (pair(saved, 0), pair(saved, 2));
        let effective_learning_rate = if step_count == 0 {
            [0.0; 2]
        } else {
            let clr = lr / self.bias_correction(step_count);
            [clr / u[0], clr / u[1]]
        };
        OptimizerState::Adamax {
            step_count,
            m,
            u,
            effective_learning_rate,
        }
    }
}

impl FromSettings for Adamax {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adamax {
                beta1,
                beta2,
                eps,
                weight_decay,
            } => Some(Self::new(beta1, beta2, eps, weight_decay)),
            _ => None,
        }
    }
}
