//! RAdam (torch `RAdam`; default lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count:
//!
//! ```text
//! g       = g + weight_decay * theta     (L2; decoupled: theta = theta * (1 - lr * weight_decay))
//! m       = beta1 * m + (1 - beta1) * g
//! v       = beta2 * v + (1 - beta2) * g^2
//! m_hat   = m / (1 - beta1^t)
//! rho_inf = 2 / (1 - beta2) - 1
//! rho_t   = rho_inf - 2 t beta2^t / (1 - beta2^t)
//! rho_t > 5:  r     = sqrt((rho_t - 4)(rho_t - 2) rho_inf / ((rho_inf - 4)(rho_inf - 2) rho_t))
//!             theta = theta - m_hat * lr * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r
//! otherwise:  theta = theta - m_hat * lr                  (plain momentum, no adaptive scale)
//! ```
//!
//! Early on, v rests on too few gradients to trust; RAdam takes momentum steps until rho_t
//! passes 5 (step 6 with beta2 = 0.999), then switches the adaptive step on, scaled by the
//! rectification r (which rises towards 1).

use super::adam::lerp;
use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, decay_weights, pair, put_pair,
};
use crate::engine::{Hessian, Point};

/// rho_t above which the adaptive step is on.
const RECTIFICATION_THRESHOLD: f64 = 5.0;

/// RAdam: Adam with a variance rectification.
#[derive(Clone, Debug, PartialEq)]
pub struct RAdam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    decoupled_weight_decay: bool,
    m: [f64; 2],
    v: [f64; 2],
    steps: u64,
}

impl RAdam {
    /// RAdam with the given hyper-parameters.
    pub fn new(
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        decoupled_weight_decay: bool,
    ) -> Self {
        Self {
            beta1,
            beta2,
            eps,
            weight_decay,
            decoupled_weight_decay,
            m: [0.0; 2],
            v: [0.0; 2],
            steps: 0,
        }
    }

    /// rho_inf, rho_t and the rectification (when on) of update `step`, as torch computes
    /// them.
    fn rectification(&self, step: f64) -> (f64, f64, Option<f64>) {
        let bias_correction2 = 1.0 - self.beta2.powf(step);
        let rho_inf = 2.0 / (1.0 - self.beta2) - 1.0;
        let rho_t = rho_inf - 2.0 * step * self.beta2.powf(step) / bias_correction2;
        let rect = (rho_t > RECTIFICATION_THRESHOLD).then(|| {
            ((rho_t - 4.0) * (rho_t - 2.0) * rho_inf / ((rho_inf - 4.0) * (rho_inf - 2.0) * rho_t))
                .powf(0.5)
        });
        (bias_correction2, rho_t, rect)
    }
}

impl Optimizer for RAdam {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Radam {
            beta1: self.beta1,
            beta2: self.beta2,
            eps: self.eps,
            weight_decay: self.weight_decay,
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
        let bias_correction1 = 1.0 - self.beta1.powf(step);
        let (bias_correction2, _, rect) = self.rectification(step);
        let gradient = decay_weights(
            params,
            gradient,
            lr,
            self.weight_decay,
            self.decoupled_weight_decay,
        );
        for i in 0..2 {
            let g = gradient[i];
            self.m[i] = lerp(self.m[i], g, 1.0 - self.beta1);
            self.v[i] = self.v[i] * self.beta2 + (1.0 - self.beta2) * g * g;
            let m_hat = self.m[i] / bias_correction1;
            match rect {
                Some(rect) => {
                    // torch: (bias_correction2 ** 0.5) / exp_avg_sq.sqrt().add_(eps)
                    let adaptive = bias_correction2.powf(0.5) / (self.v[i].sqrt() + self.eps);
                    // torch: param.add_(m_hat * lr * adaptive_lr * rect, alpha=-1.0)
                    params[i] += -(m_hat * lr[i] * adaptive * rect);
                }
                // torch: param.add_(m_hat * lr, alpha=-1.0)
                None => params[i] += -(m_hat * lr[i]),
            }
        }
    }

    fn reset(&mut self) {
        self.m = [0.0; 2];
        self.v = [0.0; 2];
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
        put_pair(out, 2, self.v);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, _: f64) -> OptimizerState {
        let (rho_t, rectification) = if step_count == 0 {
            (0.0, None)
        } else {
            let (_, rho_t, rect) = self.rectification(step_count as f64);
            (rho_t, rect)
        };
        OptimizerState::RAdam {
            step_count,
            m: pair(saved, 0),
            v: pair(saved, 2),
            rho_t,
            rectification,
        }
    }
}

impl FromSettings for RAdam {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Radam {
                beta1,
                beta2,
                eps,
                weight_decay,
                decoupled_weight_decay,
            } => Some(Self::new(
                beta1,
                beta2,
                eps,
                weight_decay,
                decoupled_weight_decay,
            )),
            _ => None,
        }
    }
}
