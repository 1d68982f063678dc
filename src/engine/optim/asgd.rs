//! ASGD (torch `ASGD`; default lr = 1e-2, lambd = 1e-4, alpha = 0.75, t0 = 1e6).
//!
//! Rule, per parameter, with g the gradient of the current batch and t the 1-based update
//! count; eta starts at the learning rate and mu at 1:
//!
//! ```text
//! g     = g + weight_decay * theta                   (only when weight_decay != 0)
//! theta = theta * (1 - lambd * eta)                  (a decay term)
//! theta = theta - eta * g
//! ax    = ax + mu * (theta - ax)      (the average; ax = theta while mu is 1)
//! eta   = lr / (1 + lambd * lr * t)^alpha             (for the next update)
//! mu    = 1 / max(1, t - t0)
//! ```
//!
//! The parameters move as in SGD with a slowly shrinking step; from update t0 on, ax
//! averages the iterates, which settles down where the iterates keep jittering around a
//! minimum. The run's path is theta; ax is the second marker.

use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// ASGD: stochastic gradient descent with a running average of the iterates.
#[derive(Clone, Debug, PartialEq)]
pub struct Asgd {
    lambd: f64,
    alpha: f64,
    t0: f64,
    weight_decay: f64,
    eta: [f64; 2],
    mu: [f64; 2],
    average: [f64; 2],
    steps: u64,
}

impl Asgd {
    /// ASGD with the given hyper-parameters.
    pub fn new(lambd: f64, alpha: f64, t0: f64, weight_decay: f64) -> Self {
        Self {
            lambd,
            alpha,
            t0,
            weight_decay,
            eta: [0.0; 2],
            mu: [1.0; 2],
            average: [0.0; 2],
            steps: 0,
        }
    }

    /// The averaged parameters of a saved state.
    pub fn average_of(saved: &[f64]) -> [f64; 2] {
        pair(saved, 4)
    }
}

impl Optimizer for Asgd {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Asgd {
            lambd: self.lambd,
            alpha: self.alpha,
            t0: self.t0,
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
        if self.steps == 0 {
            // torch: state["eta"] = torch.as_tensor(lr) at the first step
            self.eta = lr;
        }
        self.steps += 1;
        let step = self.steps as f64;
        let g = with_weight_decay(gradient, params, self.weight_decay);
        for i in 0..2 {
            let eta = self.eta[i];
            // torch: param.mul_(1 - lambd * eta); param.add_(grad, alpha=-eta)
            params[i] *= 1.0 - self.lambd * eta;
            params[i] += -eta * g[i];
            // torch: ax.add_(param.sub(ax).mul_(mu)) unless mu is 1, then ax.copy_(param)
            if self.mu[i] != 1.0 {
                self.average[i] += (params[i] - self.average[i]) * self.mu[i];
            } else {
                self.average[i] = params[i];
            }
            // torch: lr / ((1 + lambd * lr * step) ** alpha); 1 / max(1, step - t0)
            self.eta[i] = lr[i] / (1.0 + self.lambd * lr[i] * step).powf(self.alpha);
            self.mu[i] = 1.0 / f64::max(1.0, step - self.t0);
        }
    }

    fn reset(&mut self) {
        self.eta = [0.0; 2];
        self.mu = [1.0; 2];
        self.average = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        6
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.eta);
        put_pair(out, 2, self.mu);
        put_pair(out, 4, self.average);
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Asgd {
            eta: pair(saved, 0),
            mu: pair(saved, 2),
            average: Self::average_of(saved),
        }
    }
}

impl FromSettings for Asgd {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Asgd {
                lambd,
                alpha,
                t0,
                weight_decay,
            } => Some(Self::new(lambd, alpha, t0, weight_decay)),
            _ => None,
        }
    }
}
