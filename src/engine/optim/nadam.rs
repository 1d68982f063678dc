//! NAdam (torch `NAdam`; default lr = 2e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8,
//! momentum_decay = 4e-3).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count:
//!
//! ```text
//! g       = g + weight_decay * theta     (L2; decoupled: theta = theta * (1 - lr * weight_decay))
//! mu_t    = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay))      (the momentum schedule)
//! mu_next = beta1 * (1 - 0.5 * 0.96^((t + 1) * momentum_decay))
//! P_t     = mu_1 * ... * mu_t
//! m       = beta1 * m + (1 - beta1) * g
//! v       = beta2 * v + (1 - beta2) * g^2
//! a       = sqrt(v / (1 - beta2^t)) + eps
//! theta   = theta - lr * (1 - mu_t) / (1 - P_t) * g / a
//!                 - lr * mu_next / (1 - P_t * mu_next) * m / a
//! ```
//!
//! Adam with Nesterov momentum: the step mixes the current gradient with the moment the
//! next update will see.

use super::adam::lerp;
use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, decay_weights, pair, put_pair,
};
use crate::engine::{Hessian, Point};

/// NAdam: Adam with Nesterov momentum and a warming-up momentum schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct NAdam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    momentum_decay: f64,
    decoupled_weight_decay: bool,
    m: [f64; 2],
    v: [f64; 2],
    mu_product: [f64; 2],
    steps: u64,
}

impl NAdam {
    /// NAdam with the given hyper-parameters.
    pub fn new(
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        momentum_decay: f64,
        decoupled_weight_decay: bool,
    ) -> Self {
        Self {
            beta1,
            beta2,
            eps,
            weight_decay,
            momentum_decay,
            decoupled_weight_decay,
            m: [0.0; 2],
            v: [0.0; 2],
            mu_product: [1.0; 2],
            steps: 0,
        }
    }

    /// mu_t of update `t` (torch: beta1 * (1.0 - 0.5 * (0.96 ** (step * momentum_decay)))).
    fn mu(&self, t: f64) -> f64 {
        self.beta1 * (1.0 - 0.5 * 0.96f64.powf(t * self.momentum_decay))
    }
}

impl Optimizer for NAdam {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Nadam {
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: self.weight_decay,
            momentum_decay: self.momentum_decay,
            decoupled_weight_decay: self.decoupled_weight_decay,
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
        let step = self.steps as f64;
        let bias_correction2 = 1.0 - self.beta2.powf(step);
        let mu = self.mu(step);
        let mu_next = self.mu(step + 1.0);
        let gradient = decay_weights(
            params,
            gradient,
            lr,
            self.weight_decay,
            self.decoupled_weight_decay,
        );
        for i in 0..2 {
            let g = gradient[i];
            self.mu_product[i] *= mu;
            self.m[i] = lerp(self.m[i], g, 1.0 - self.beta1);
            self.v[i] = self.v[i] * self.beta2 + (1.0 - self.beta2) * g * g;
            // torch: denom = exp_avg_sq.div(bias_correction2).sqrt(); denom.add_(eps)
            let denom = (self.v[i] / bias_correction2).sqrt() + self.eps;
            let mu_product_next = self.mu_product[i] * mu_next;
            // torch: param.addcdiv_(grad, denom, value=(-lr * (1.0 - mu) / (1.0 - mu_product)))
            params[i] += (-lr[i] * (1.0 - mu) / (1.0 - self.mu_product[i])) * (g / denom);
            // torch: param.addcdiv_(exp_avg, denom, value=(-lr * mu_next) / (1.0 - mu_product_next))
            params[i] += ((-lr[i] * mu_next) / (1.0 - mu_product_next)) * (self.m[i] / denom);
        }
    }

    fn reset(&mut self) {
        self.m = [0.0; 2];
        self.v = [0.0; 2];
        self.mu_product = [1.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        5
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.m);
        put_pair(out, 2, self.v);
        if let Some(slot) = out.get_mut(4) {
            *slot = self.mu_product[0];
        }
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, _: f64) -> OptimizerState {
        let t = step_count as f64;
        OptimizerState::NAdam {
            step_count,
            m: pair(saved, 0),
            v: pair(saved, 2),
            mu: if step_count == 0 { 0.0 } else { self.mu(t) },
            mu_next: self.mu(t + 1.0),
            mu_product: saved.get(4).copied().unwrap_or(1.0),
        }
    }
}

impl FromSettings for NAdam {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Nadam {
                beta1,
                beta2,
                eps,
                weight_decay,
                momentum_decay,
                decoupled_weight_decay,
            } => Some(Self::new(
                beta1,
                beta2,
                eps,
                weight_decay,
                momentum_decay,
                decoupled_weight_decay,
            )),
            _ => None,
        }
    }
}
