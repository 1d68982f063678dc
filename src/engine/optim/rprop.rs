//! Rprop (torch `Rprop`; default lr = 1e-2, etas = (0.5, 1.2), step_sizes = (1e-6, 50)).
//!
//! Rule, per parameter, with g the gradient of the current batch and g_prev the gradient
//! the previous update kept (0 at first); each step size starts at the learning rate:
//!
//! ```text
//! g * g_prev > 0:  step_size = min(step_size * eta_plus, step_size_max)    (same sign: grow)
//! g * g_prev < 0:  step_size = max(step_size * eta_minus, step_size_min)   (sign flipped: shrink)
//!                  g = 0                                   (and skip this parameter's move)
//! otherwise:       step_size unchanged
//! theta  = theta - sign(g) * step_size
//! g_prev = g
//! ```
//!
//! Only the gradient's sign matters: a gradient a million times larger moves the parameter
//! exactly as far. The learning rate only sets the first step size (a schedule does not
//! change it afterwards, as in torch).

use super::{FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair};
use crate::engine::{Hessian, Point};

/// Rprop: resilient backpropagation, steps from signs.
#[derive(Clone, Debug, PartialEq)]
pub struct Rprop {
    eta_minus: f64,
    eta_plus: f64,
    step_size_min: f64,
    step_size_max: f64,
    previous: [f64; 2],
    step_size: [f64; 2],
    steps: u64,
}

/// torch's `sign`: -1, 0 or 1, NaN for NaN (the direction of an Rprop step).
pub fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x
    }
}

impl Rprop {
    /// Rprop with the given factors and step-size bounds.
    pub fn new(eta_minus: f64, eta_plus: f64, step_size_min: f64, step_size_max: f64) -> Self {
        Self {
            eta_minus,
            eta_plus,
            step_size_min,
            step_size_max,
            previous: [0.0; 2],
            step_size: [0.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for Rprop {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Rprop {
            eta_minus: self.eta_minus,
            eta_plus: self.eta_plus,
            step_size_min: self.step_size_min,
            step_size_max: self.step_size_max,
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
            // torch: state["step_size"] = torch.full_like(grad, lr) at the first step
            self.step_size = lr;
        }
        self.steps += 1;
        for (i, &g) in gradient.iter().enumerate() {
            // torch: sign = grad.mul(prev).sign(), then mapped to etaplus / etaminus / 1
            let s = sign(g * self.previous[i]);
            let factor = if s > 0.0 {
                self.eta_plus
            } else if s < 0.0 {
                self.eta_minus
            } else if s == 0.0 {
                1.0
            } else {
                s
            };
            // torch: step_size.mul_(sign).clamp_(step_size_min, step_size_max)
            let size = self.step_size[i] * factor;
            self.step_size[i] = clamp(size, self.step_size_min, self.step_size_max);
            // torch: grad[sign.eq(etaminus)] = 0
            let g = if factor == self.eta_minus { 0.0 } else { g };
            // torch: param.addcmul_(grad.sign(), step_size, value=-1)
            params[i] += -sign(g) * self.step_size[i];
            self.previous[i] = g;
        }
    }

    fn reset(&mut self) {
        self.previous = [0.0; 2];
        self.step_size = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        4
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.previous);
        put_pair(out, 2, self.step_size);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        OptimizerState::Rprop {
            previous_gradient: pair(saved, 0),
            step_size: if step_count == 0 {
                [lr; 2]
            } else {
                pair(saved, 2)
            },
        }
    }
}

/// torch's `clamp_(min, max)`: NaN stays NaN.
fn clamp(x: f64, min: f64, max: f64) -> f64 {
    if x.is_nan() { x } else { x.max(min).min(max) }
}

impl FromSettings for Rprop {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Rprop {
                eta_minus,
                eta_plus,
                step_size_min,
                step_size_max,
            } => Some(Self::new(eta_minus, eta_plus, step_size_min, step_size_max)),
            _ => None,
        }
    }
}
