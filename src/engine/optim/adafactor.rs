//! Adafactor (torch `Adafactor`, as it updates a 0-d parameter such as w or b; default
//! lr = 1e-2, beta2_decay = -0.8, eps = (machine epsilon, 1e-3), d = 1).
//!
//! Rule, per parameter, with g the gradient of the current batch, lr the learning rate and
//! t the 1-based update count:
//!
//! ```text
//! rho_t  = min(lr, 1 / sqrt(t))                   (the relative step size)
//! alpha  = max(eps2, |theta|) * rho_t             (steps scale with the parameter's size)
//! theta  = theta * (1 - lr * weight_decay)        (only when weight_decay != 0)
//! v      = v + t^beta2_decay * (g^2 - v)          (1 - beta2_t = t^beta2_decay)
//! u      = g / sqrt(max(v, eps1^2))
//! theta  = theta - alpha / max(1, |u| / d) * u    (the update's size is clipped at d)
//! ```
//!
//! For a matrix parameter Adafactor factors v into row and column averages; w and b are
//! single numbers, so v is kept whole. Each parameter's step is relative to its own size:
//! a parameter near 0 moves by about eps2 * rho_t at first.

use super::adam::lerp;
use super::{FromSettings, Optimizer, OptimizerSettings, OptimizerState, pair, put_pair};
use crate::engine::{Hessian, Point};

/// Adafactor on two 0-d parameters.
#[derive(Clone, Debug, PartialEq)]
pub struct Adafactor {
    beta2_decay: f64,
    eps1: Option<f64>,
    eps2: f64,
    d: f64,
    weight_decay: f64,
    variance: [f64; 2],
    step_scale: [f64; 2],
    clip: [f64; 2],
    steps: u64,
}

impl Adafactor {
    /// Adafactor with the given hyper-parameters (`eps1` absent: the machine epsilon).
    pub fn new(beta2_decay: f64, eps1: Option<f64>, eps2: f64, d: f64, weight_decay: f64) -> Self {
        Self {
            beta2_decay,
            eps1,
            eps2,
            d,
            weight_decay,
            variance: [0.0; 2],
            step_scale: [0.0; 2],
            clip: [1.0; 2],
            steps: 0,
        }
    }
}

impl Optimizer for Adafactor {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::Adafactor {
            beta2_decay: self.beta2_decay,
            eps1: self.eps1,
            eps2: self.eps2,
            d: self.d,
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
        self.steps += 1;
        let step = self.steps as f64;
        let eps1 = self.eps1.unwrap_or(f64::EPSILON);
        // torch: one_minus_beta2_t = step_float**beta2_decay
        let one_minus_beta2_t = step.powf(self.beta2_decay);
        for i in 0..2 {
            let g = gradient[i];
            // torch: rho_t = min(lr, 1 / (step_float**0.5))
            let rho_t = f64::min(lr[i], 1.0 / step.powf(0.5));
            // torch: max(eps2, param.norm(2).item() / (param.numel() ** 0.5)) * rho_t
            let alpha = f64::max(self.eps2, params[i].abs() / 1.0) * rho_t;
            if self.weight_decay != 0.0 {
                params[i] *= 1.0 - lr[i] * self.weight_decay;
            }
            // torch: variance.lerp_(grad * grad, one_minus_beta2_t)
            self.variance[i] = lerp(self.variance[i], g * g, one_minus_beta2_t);
            // torch: update = var_estimate.clamp_(min=eps1 * eps1).rsqrt_(); update.mul_(grad)
            let floor = eps1 * eps1;
            let v = if self.variance[i].is_nan() {
                self.variance[i]
            } else {
                self.variance[i].max(floor)
            };
            let update = 1.0 / v.sqrt() * g;
            // torch: denom = max(1.0, update.norm(2).item() / ((update.numel() ** 0.5) * d))
            let denom = f64::max(1.0, update.abs() / (1.0 * self.d));
            // torch: param.add_(update, alpha=-alpha / denom), fused: one rounding
            params[i] = (-alpha / denom).mul_add(update, params[i]);
            self.step_scale[i] = alpha;
            self.clip[i] = denom;
        }
    }

    fn reset(&mut self) {
        self.variance = [0.0; 2];
        self.step_scale = [0.0; 2];
        self.clip = [1.0; 2];
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        6
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.variance);
        put_pair(out, 2, self.step_scale);
        put_pair(out, 4, self.clip);
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, _: f64) -> OptimizerState {
        OptimizerState::Adafactor {
            step_count,
            variance: pair(saved, 0),
            step_scale: pair(saved, 2),
            clip: pair(saved, 4),
        }
    }
}

impl FromSettings for Adafactor {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adafactor {
                beta2_decay,
                eps1,
                eps2,
                d,
                weight_decay,
            } => Some(Self::new(beta2_decay, eps1, eps2, d, weight_decay)),
            _ => None,
        }
    }
}
