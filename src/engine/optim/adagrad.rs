//! AdaGrad (torch `Adagrad`).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count (defaults lr_decay = 0, initial_accumulator_value = 0, eps = 1e-10):
//!
//! ```text
//! g     = g + weight_decay * theta                (only when weight_decay != 0)
//! clr   = lr / (1 + (t - 1) * lr_decay)
//! s     = s + g^2                                 (s starts at initial_accumulator_value)
//! theta = theta - clr * g / (sqrt(s) + eps)
//! ```
//!
//! Each parameter's step shrinks as its squared gradients add up, so steep directions slow
//! down first; eventually every step becomes small.

use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// AdaGrad: per-parameter learning rates from the sum of squared gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaGrad {
    lr_decay: f64,
    initial_accumulator_value: f64,
    eps: f64,
    weight_decay: f64,
    sum_of_squares: [f64; 2],
    steps: u64,
}

impl AdaGrad {
    /// AdaGrad with stability constant `eps` (no learning-rate decay, accumulator from 0).
    pub fn new(eps: f64, weight_decay: f64) -> Self {
        Self::with_options(0.0, 0.0, eps, weight_decay)
    }

    /// AdaGrad with every torch option.
    pub fn with_options(
        lr_decay: f64,
        initial_accumulator_value: f64,
        eps: f64,
        weight_decay: f64,
    ) -> Self {
        Self {
            lr_decay,
            initial_accumulator_value,
            eps,
            weight_decay,
            sum_of_squares: [initial_accumulator_value; 2],
            steps: 0,
        }
    }

    /// torch: clr = lr / (1 + (step - 1) * lr_decay).
    fn decayed(&self, lr: f64, step: u64) -> f64 {
        lr / (1.0 + (step as f64 - 1.0) * self.lr_decay)
    }
}

impl Optimizer for AdaGrad {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Adagrad {
            lr_decay: self.lr_decay,
            initial_accumulator_value: self.initial_accumulator_value,
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
        self.steps += 1;
        for i in 0..2 {
            let clr = self.decayed(lr[i], self.steps);
            // torch: state_sum.addcmul_(grad, grad, value=1); std = sqrt(sum) + eps
            self.sum_of_squares[i] += g[i] * g[i];
            let std = self.sum_of_squares[i].sqrt() + self.eps;
            // torch: param.addcdiv_(grad, std, value=-clr)
            params[i] += -clr * (g[i] / std);
        }
    }

    fn reset(&mut self) {
        self.sum_of_squares = [self.initial_accumulator_value; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        2
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.sum_of_squares);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        let s = pair(saved, 0);
        let clr = self.decayed(lr, step_count.max(1));
        OptimizerState::AdaGrad {
            sum_of_squares: s,
            effective_learning_rate: [
                clr / (s[0].sqrt() + self.eps),
                clr / (s[1].sqrt() + self.eps),
            ],
        }
    }
}

impl FromSettings for AdaGrad {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adagrad {
                lr_decay,
                initial_accumulator_value,
                eps,
                weight_decay,
            } => Some(Self::with_options(
                lr_decay,
                initial_accumulator_value,
                eps,
                weight_decay,
            )),
            _ => None,
        }
    }
}
