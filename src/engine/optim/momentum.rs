//! SGD with momentum (torch `SGD(momentum=mu)`, dampening 0).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate, t the update count:
//!
//! ```text
//! g     = g + weight_decay * theta      (only when weight_decay != 0)
//! v     = g                             at t = 1
//! v     = mu * v + g                    afterwards
//! theta = theta - lr * v
//! ```

use super::{Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay};
use crate::engine::{Hessian, Point};

/// Heavy-ball momentum: the step follows a velocity that accumulates past gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    momentum: f64,
    weight_decay: f64,
    velocity: [f64; 2],
    steps: u64,
}

impl Momentum {
    /// Momentum with factor `momentum` (mu).
    pub fn new(momentum: f64, weight_decay: f64) -> Self {
        Self {
            momentum,
            weight_decay,
            velocity: [0.0; 2],
            steps: 0,
        }
    }
}

/// torch's momentum buffer update: a clone of g at the first step, then `buf*mu + 1*g`.
#[inline]
pub(crate) fn update_velocity(velocity: &mut [f64; 2], g: [f64; 2], momentum: f64, first: bool) {
    if first {
        *velocity = g;
    } else {
        // torch: buf.mul_(momentum).add_(grad, alpha=1 - dampening) with dampening 0
        velocity[0] = velocity[0] * momentum + g[0];
        velocity[1] = velocity[1] * momentum + g[1];
    }
}

impl Optimizer for Momentum {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Momentum {
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
        params[0] += -lr[0] * self.velocity[0];
        params[1] += -lr[1] * self.velocity[1];
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
