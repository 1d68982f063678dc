//! SGD with Nesterov momentum (torch `SGD(momentum=mu, nesterov=True)`, dampening 0).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate, t the update count:
//!
//! ```text
//! g     = g + weight_decay * theta      (only when weight_decay != 0)
//! v     = g                             at t = 1
//! v     = mu * v + g                    afterwards
//! theta = theta - lr * (g + mu * v)
//! ```
//!
//! The step looks ahead along the velocity: it uses where momentum is about to carry the
//! parameters, not only where they are.

use super::momentum::update_velocity;
use super::{Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay};
use crate::engine::{Hessian, Point};

/// Nesterov's accelerated momentum, in torch's formulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Nesterov {
    momentum: f64,
    weight_decay: f64,
    velocity: [f64; 2],
    steps: u64,
}

impl Nesterov {
    /// Nesterov momentum with factor `momentum` (mu).
    pub fn new(momentum: f64, weight_decay: f64) -> Self {
        Self {
            momentum,
            weight_decay,
            velocity: [0.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for Nesterov {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Nesterov {
            momentum: self.momentum,
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
        update_velocity(&mut self.velocity, g, self.momentum, self.steps == 0);
        // torch: grad = grad.add(buf, alpha=momentum); param.add_(grad, alpha=-lr)
        let d = [
            g[0] + self.momentum * self.velocity[0],
            g[1] + self.momentum * self.velocity[1],
        ];
        params[0] += -lr[0] * d[0];
        params[1] += -lr[1] * d[1];
        self.steps += 1;
    }

    fn reset(&mut self) {
        self.velocity = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        2
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.velocity);
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Momentum {
            velocity: pair(saved, 0),
        }
    }
}
