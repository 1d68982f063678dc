//! Adadelta (torch `Adadelta`; default lr = 1, rho = 0.9, eps = 1e-6).
//!
//! Rule, with g the gradient of the current batch and lr the learning rate:
//!
//! ```text
//! g     = g + weight_decay * theta               (only when weight_decay != 0)
//! s     = rho * s + (1 - rho) * g^2              (moving average of g^2)
//! delta = sqrt(u + eps) / sqrt(s + eps) * g      (u: moving average of past delta^2)
//! u     = rho * u + (1 - rho) * delta^2
//! theta = theta - lr * delta
//! ```
//!
//! The ratio of the two root-mean-squares gives the step the units of the parameters, so
//! the learning rate is only a scale factor (1 by default).

use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// Adadelta: per-parameter steps from the ratio of two moving averages.
#[derive(Clone, Debug, PartialEq)]
pub struct Adadelta {
    rho: f64,
    eps: f64,
    weight_decay: f64,
    square_average: [f64; 2],
    delta_average: [f64; 2],
    steps: u64,
}

impl Adadelta {
    /// Adadelta with decay `rho` and stability constant `eps`.
    pub fn new(rho: f64, eps: f64, weight_decay: f64) -> Self {
        Self {
            rho,
            eps,
            weight_decay,
            square_average: [0.0; 2],
            delta_average: [0.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for Adadelta {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Adadelta {
            rho: self.rho,
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
        let keep = 1.0 - self.rho;
        for i in 0..2 {
            // torch: square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho); addcmul_ is
            // fused on the CPU: fma(value * t1, t2, self)
            self.square_average[i] = (keep * g[i]).mul_add(g[i], self.square_average[i] * self.rho);
            // torch: std = square_avg.add(eps).sqrt_(); delta = acc_delta.add(eps).sqrt_()
            let std = (self.square_average[i] + self.eps).sqrt();
            // torch: delta.div_(std).mul_(grad)
            let delta = (self.delta_average[i] + self.eps).sqrt() / std * g[i];
            // torch: acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
            self.delta_average[i] = (keep * delta).mul_add(delta, self.delta_average[i] * self.rho);
            // torch: param.add_(delta, alpha=-lr), fused: fma(-lr, delta, param)
            params[i] = (-lr[i]).mul_add(delta, params[i]);
        }
        self.steps += 1;
    }

    fn reset(&mut self) {
        self.square_average = [0.0; 2];
        self.delta_average = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        4
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.square_average);
        put_pair(out, 2, self.delta_average);
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Adadelta {
            square_average: pair(saved, 0),
            delta_average: pair(saved, 2),
        }
    }
}

impl FromSettings for Adadelta {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adadelta {
                rho,
                eps,
                weight_decay,
            } => Some(Self::new(rho, eps, weight_decay)),
            _ => None,
        }
    }
}
