//! AdaGrad (torch `Adagrad` with lr_decay 0 and initial accumulator 0).
//!
//! Rule, with g the gradient of the current batch and lr the learning rate:
//!
//! ```text
//! g     = g + weight_decay * theta      (only when weight_decay != 0)
//! s     = s + g^2                       (per parameter)
//! theta = theta - lr * g / (sqrt(s) + eps)
//! ```
//!
//! Each parameter's step shrinks as its squared gradients add up, so steep directions slow
//! down first; eventually every step becomes small (default eps = 1e-10).

use super::{Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay};
use crate::engine::{Hessian, Point};

/// AdaGrad: per-parameter learning rates from the sum of squared gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct AdaGrad {
    eps: f64,
    weight_decay: f64,
    sum_of_squares: [f64; 2],
    steps: u64,
}

impl AdaGrad {
    /// AdaGrad with stability constant `eps`.
    pub fn new(eps: f64, weight_decay: f64) -> Self {
        Self {
            eps,
            weight_decay,
            sum_of_squares: [0.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for AdaGrad {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Adagrad {
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
        // torch: clr = lr / (1 + (step - 1) * lr_decay), which is lr with lr_decay = 0.
        for i in 0..2 {
            let clr = lr[i];
            // torch: state_sum.addcmul_(grad, grad, value=1); std = sqrt(sum) + eps
            self.sum_of_squares[i] += g[i] * g[i];
            let std = self.sum_of_squares[i].sqrt() + self.eps;
            // torch: param.addcdiv_(grad, std, value=-clr)
            params[i] += -clr * (g[i] / std);
        }
    }

    fn reset(&mut self) {
        self.sum_of_squares = [0.0; 2];
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

    fn describe_state(&self, saved: &[f64], _: u64, lr: f64) -> OptimizerState {
        let s = pair(saved, 0);
        OptimizerState::AdaGrad {
            sum_of_squares: s,
            effective_learning_rate: [lr / (s[0].sqrt() + self.eps), lr / (s[1].sqrt() + self.eps)],
        }
    }
}
