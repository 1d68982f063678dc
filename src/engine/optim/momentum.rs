//! SGD with momentum, optionally damped or Nesterov (torch `SGD(momentum=mu, dampening,
//! nesterov)`): the one rule behind the `sgd` (with momentum > 0), `momentum` and
//! `nesterov` settings.
//!
//! Rule, with g the gradient of the current batch, lr the learning rate, t the update count:
//!
//! ```text
//! g     = g + weight_decay * theta           (only when weight_decay != 0)
//! v     = g                                  at t = 1
//! v     = mu * v + (1 - dampening) * g       afterwards
//! d     = g + mu * v                         (Nesterov: look ahead along the velocity)
//! d     = v                                  (otherwise)
//! theta = theta - lr * d
//! ```

use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// Heavy-ball or Nesterov momentum: the step follows a velocity that accumulates past
/// gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct Momentum {
    momentum: f64,
    dampening: f64,
    nesterov: bool,
    weight_decay: f64,
    settings: OptimizerSettings,
    velocity: [f64; 2],
    steps: u64,
}

impl Momentum {
    /// Heavy-ball momentum with factor `momentum` (mu), no dampening.
    pub fn new(momentum: f64, weight_decay: f64) -> Self {
        Self::sgd(momentum, 0.0, false, weight_decay)
    }

    /// Nesterov momentum with factor `momentum` (mu).
    pub fn nesterov(momentum: f64, weight_decay: f64) -> Self {
        Self::sgd(momentum, 0.0, true, weight_decay)
    }

    /// torch's `SGD` with every option that changes the arithmetic.
    pub fn sgd(momentum: f64, dampening: f64, nesterov: bool, weight_decay: f64) -> Self {
        Self {
            momentum,
            dampening,
            nesterov,
            weight_decay,
            settings: OptimizerSettings::Momentum {
                momentum,
                dampening,
                nesterov,
                weight_decay,
            },
            velocity: [0.0; 2],
            steps: 0,
        }
    }

    fn with_settings(settings: OptimizerSettings) -> Option<Self> {
        let (momentum, dampening, nesterov, weight_decay) = match settings {
            OptimizerSettings::Sgd {
                momentum,
                dampening,
                nesterov,
                weight_decay,
            }
            | OptimizerSettings::Momentum {
                momentum,
                dampening,
                nesterov,
                weight_decay,
            } => (momentum, dampening, nesterov, weight_decay),
            OptimizerSettings::Nesterov {
                momentum,
                weight_decay,
            } => (momentum, 0.0, true, weight_decay),
            _ => return None,
        };
        Some(Self {
            settings,
            ..Self::sgd(momentum, dampening, nesterov, weight_decay)
        })
    }
}

impl Optimizer for Momentum {
    fn settings(&self) -> OptimizerSettings {
        self.settings
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
        for i in 0..2 {
            self.velocity[i] = if self.steps == 0 {
                // torch: buf = torch.clone(grad)
                g[i]
            } else {
                // torch: buf.mul_(momentum).add_(grad, alpha=1 - dampening)
                self.velocity[i] * self.momentum + (1.0 - self.dampening) * g[i]
            };
            let d = if self.nesterov {
                // torch: grad = grad.add(buf, alpha=momentum)
                g[i] + self.momentum * self.velocity[i]
            } else {
                self.velocity[i]
            };
            // torch: param.add_(grad, alpha=-lr)
            params[i] += -lr[i] * d;
        }
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

impl FromSettings for Momentum {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        Self::with_settings(*settings)
    }
}
