//! Gradient descent (torch `SGD` without momentum).
//!
//! Rule, with g the gradient of the current batch and lr the learning rate:
//!
//! ```text
//! g     = g + weight_decay * theta      (only when weight_decay != 0)
//! theta = theta - lr * g
//! ```
//!
//! "Stochastic" gradient descent is the same rule: the noise comes from a batch size
//! smaller than the dataset, not from the rule.

use super::{Optimizer, OptimizerSettings, OptimizerState, with_weight_decay};
use crate::engine::{Hessian, Point};

/// Plain (stochastic) gradient descent.
#[derive(Clone, Debug, PartialEq)]
pub struct GradientDescent {
    weight_decay: f64,
    stochastic: bool,
    steps: u64,
}

impl GradientDescent {
    /// A gradient descent rule; `stochastic` only chooses the name it reports (`sgd`/`gd`).
    pub fn new(weight_decay: f64, stochastic: bool) -> Self {
        Self {
            weight_decay,
            stochastic,
            steps: 0,
        }
    }
}

impl Optimizer for GradientDescent {
    fn settings(&self) -> OptimizerSettings {
        if self.stochastic {
            OptimizerSettings::Sgd {
                weight_decay: self.weight_decay,
            }
        } else {
            OptimizerSettings::Gd {
                weight_decay: self.weight_decay,
            }
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
        // torch: param.add_(grad, alpha=-lr)
        params[0] += -lr[0] * g[0];
        params[1] += -lr[1] * g[1];
        self.steps += 1;
    }

    fn reset(&mut self) {
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        0
    }

    fn save_state(&self, _out: &mut [f64]) {}

    fn describe_state(&self, _: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Stateless
    }
}
