//! RMSProp (torch `RMSprop`, optionally centered and with momentum).
//!
//! Rule, with g the gradient of the current batch and lr the learning rate (defaults
//! alpha = 0.99, eps = 1e-8, momentum = 0, not centered):
//!
//! ```text
//! g     = g + weight_decay * theta             (only when weight_decay != 0)
//! s     = alpha * s + (1 - alpha) * g^2        (per parameter)
//! a     = sqrt(s) + eps
//! centered: m = m + (1 - alpha) * (g - m)      (moving average of g)
//!           a = sqrt(s - m^2) + eps            (the gradient's estimated spread)
//! momentum > 0: buf = momentum * buf + g / a;  theta = theta - lr * buf
//! otherwise:                                   theta = theta - lr * g / a
//! ```
//!
//! Like AdaGrad, but old squared gradients fade, so the steps do not shrink forever.

use super::adam::lerp;
use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair, with_weight_decay,
};
use crate::engine::{Hessian, Point};

/// RMSProp: per-parameter learning rates from a moving average of squared gradients.
#[derive(Clone, Debug, PartialEq)]
pub struct RmsProp {
    alpha: f64,
    eps: f64,
    momentum: f64,
    centered: bool,
    weight_decay: f64,
    square_average: [f64; 2],
    grad_average: [f64; 2],
    momentum_buffer: [f64; 2],
    steps: u64,
}

impl RmsProp {
    /// Plain RMSProp with smoothing constant `alpha` and stability constant `eps`.
    pub fn new(alpha: f64, eps: f64, weight_decay: f64) -> Self {
        Self::with_options(alpha, eps, 0.0, false, weight_decay)
    }

    /// RMSProp with every torch option.
    pub fn with_options(
        alpha: f64,
        eps: f64,
        momentum: f64,
        centered: bool,
        weight_decay: f64,
    ) -> Self {
        Self {
            alpha,
            eps,
            momentum,
            centered,
            weight_decay,
            square_average: [0.0; 2],
            grad_average: [0.0; 2],
            momentum_buffer: [0.0; 2],
            steps: 0,
        }
    }

    /// The denominator a of a saved state, as the update computed it.
    fn denominator(&self, square_average: f64, grad_average: f64) -> f64 {
        if self.centered {
            // torch: square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_(); addcmul is
            // fused on the CPU: fma(value * t1, t2, self)
            (-grad_average).mul_add(grad_average, square_average).sqrt() + self.eps
        } else {
            square_average.sqrt() + self.eps
        }
    }
}

impl Optimizer for RmsProp {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Rmsprop {
            alpha: self.alpha,
            eps: self.eps,
            momentum: self.momentum,
            centered: self.centered,
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
        let keep = 1.0 - self.alpha;
        for i in 0..2 {
            // torch: square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
            self.square_average[i] = self.square_average[i] * self.alpha + keep * g[i] * g[i];
            if self.centered {
                // torch: grad_avg.lerp_(grad, 1 - alpha)
                self.grad_average[i] = lerp(self.grad_average[i], g[i], keep);
            }
            let avg = self.denominator(self.square_average[i], self.grad_average[i]);
            if self.momentum > 0.0 {
                // torch: buf.mul_(momentum).addcdiv_(grad, avg); param.add_(buf, alpha=-lr)
                self.momentum_buffer[i] = self.momentum_buffer[i] * self.momentum + g[i] / avg;
                params[i] += -lr[i] * self.momentum_buffer[i];
            } else {
                // torch: param.addcdiv_(grad, avg, value=-lr)
                params[i] += -lr[i] * (g[i] / avg);
            }
        }
        self.steps += 1;
    }

    fn reset(&mut self) {
        self.square_average = [0.0; 2];
        self.grad_average = [0.0; 2];
        self.momentum_buffer = [0.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        6
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.square_average);
        put_pair(out, 2, self.grad_average);
        put_pair(out, 4, self.momentum_buffer);
    }

    fn describe_state(&self, saved: &[f64], _: u64, lr: f64) -> OptimizerState {
        let s = pair(saved, 0);
        let m = pair(saved, 2);
        let a = [self.denominator(s[0], m[0]), self.denominator(s[1], m[1])];
        OptimizerState::RmsProp {
            square_average: s,
            grad_average: self.centered.then_some(m),
            momentum_buffer: (self.momentum > 0.0).then(|| pair(saved, 4)),
            effective_learning_rate: [lr / a[0], lr / a[1]],
        }
    }
}

impl FromSettings for RmsProp {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Rmsprop {
                alpha,
                eps,
                momentum,
                centered,
                weight_decay,
            } => Some(Self::with_options(
                alpha,
                eps,
                momentum,
                centered,
                weight_decay,
            )),
            _ => None,
        }
    }
}
