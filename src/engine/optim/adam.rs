//! Adam (torch `Adam`, optionally AMSGrad and L2 weight decay).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count (defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8):
//!
//! ```text
//! g     = g + weight_decay * theta             (only when weight_decay != 0)
//! m     = beta1 * m + (1 - beta1) * g          (moving average of the gradient)
//! v     = beta2 * v + (1 - beta2) * g^2        (moving average of its square)
//! v_max = max(v_max, v)                        (AMSGrad only; then v_max replaces v below)
//! theta = theta - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//! ```
//!
//! Equivalently theta -= lr * m_hat / (sqrt(v_hat) + eps) with the bias-corrected
//! m_hat = m / (1 - beta1^t) and v_hat = v / (1 - beta2^t). The floating-point operations
//! follow torch's single-tensor implementation (m is updated with `lerp`).

use super::{Optimizer, OptimizerSettings, OptimizerState, decay_weights, pair, put_pair};
use crate::engine::{Hessian, Point};

/// Adam; with `decoupled_weight_decay` it is AdamW (see [`super::AdamW`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    amsgrad: bool,
    decoupled_weight_decay: bool,
    m: [f64; 2],
    v: [f64; 2],
    v_max: [f64; 2],
    steps: u64,
    /// Set once beta^t <= 2^-54, after which 1 - beta^t rounds to exactly 1.0 (pow is
    /// monotone in t), so the pow calls can be skipped without changing a bit.
    saturated: [bool; 2],
}

/// Below this, `1.0 - x` rounds to exactly 1.0.
const NEGLIGIBLE: f64 = 1.0 / (1u64 << 54) as f64;

/// torch's CPU `lerp`: `start + w * (end - start)` for |w| < 0.5, else
/// `end - (end - start) * (1 - w)`, each a fused multiply-add (one rounding), as torch's
/// kernel computes it.
#[inline]
pub(super) fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    let diff = end - start;
    if weight.abs() < 0.5 {
        weight.mul_add(diff, start)
    } else {
        (-diff).mul_add(1.0 - weight, end)
    }
}

/// `torch.maximum`: NaN if either is NaN.
#[inline]
pub(super) fn maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

impl Adam {
    /// Adam with L2 weight decay (added to the gradient).
    pub fn new(beta1: f64, beta2: f64, eps: f64, weight_decay: f64, amsgrad: bool) -> Self {
        Self::with_decoupling(beta1, beta2, eps, weight_decay, amsgrad, false)
    }

    /// Adam whose weight decay is decoupled (`true`: AdamW) or added to the gradient.
    pub fn with_decoupling(
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        amsgrad: bool,
        decoupled_weight_decay: bool,
    ) -> Self {
        Self {
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
            decoupled_weight_decay,
            m: [0.0; 2],
            v: [0.0; 2],
            v_max: [0.0; 2],
            steps: 0,
            saturated: [false; 2],
        }
    }

    /// The bias corrections of update `self.steps`: `1 - beta1^t` and `sqrt(1 - beta2^t)`,
    /// as torch computes them.
    #[inline]
    fn corrections(&mut self) -> [f64; 2] {
        let t = self.steps as f64;
        let mut correction = [1.0; 2];
        for (i, beta) in [self.beta1, self.beta2].into_iter().enumerate() {
            if !self.saturated[i] {
                let power = beta.powf(t);
                self.saturated[i] = power <= NEGLIGIBLE;
                correction[i] = 1.0 - power;
            }
        }
        // torch: bias_correction2 ** 0.5 (1.0 ** 0.5 is exactly 1.0)
        [correction[0], correction[1].powf(0.5)]
    }

    /// The update itself, with the bias corrections of [`Adam::corrections`].
    #[inline]
    fn update(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        lr: [f64; 2],
        corrections: [f64; 2],
    ) {
        let g = decay_weights(
            params,
            gradient,
            lr,
            self.weight_decay,
            self.decoupled_weight_decay,
        );
        let [bias_correction1, bias_correction2_sqrt] = corrections;
        let w1 = 1.0 - self.beta1;
        let w2 = 1.0 - self.beta2;
        for i in 0..2 {
            // torch: exp_avg.lerp_(grad, 1 - beta1)
            self.m[i] = lerp(self.m[i], g[i], w1);
            // torch: exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            self.v[i] = self.v[i] * self.beta2 + w2 * g[i] * g[i];
            let second = if self.amsgrad {
                self.v_max[i] = maximum(self.v_max[i], self.v[i]);
                self.v_max[i]
            } else {
                self.v[i]
            };
            let denom = second.sqrt() / bias_correction2_sqrt + self.eps;
            // torch: param.addcdiv_(exp_avg, denom, value=-step_size)
            let step_size = lr[i] / bias_correction1;
            params[i] += -step_size * (self.m[i] / denom);
        }
    }

    fn bias_corrections(&self, steps: u64) -> (f64, f64) {
        // torch: 1 - beta ** step with step a float (Python's `**` is C's pow).
        let t = steps as f64;
        (1.0 - self.beta1.powf(t), 1.0 - self.beta2.powf(t))
    }
}

impl Optimizer for Adam {
    fn settings(&self) -> OptimizerSettings {
        let (beta1, beta2, eps, weight_decay, amsgrad) = (
            self.beta1,
            self.beta2,
            self.eps,
            self.weight_decay,
            self.amsgrad,
        );
        if self.decoupled_weight_decay {
            OptimizerSettings::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            }
        } else {
            OptimizerSettings::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
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
        self.steps += 1;
        let corrections = self.corrections();
        self.update(params, gradient, lr, corrections);
    }

    fn reset(&mut self) {
        self.m = [0.0; 2];
        self.v = [0.0; 2];
        self.v_max = [0.0; 2];
        self.steps = 0;
        self.saturated = [false; 2];
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        if self.amsgrad { 6 } else { 4 }
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.m);
        put_pair(out, 2, self.v);
        if self.amsgrad {
            put_pair(out, 4, self.v_max);
        }
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        let m = pair(saved, 0);
        let v = pair(saved, 2);
        let v_max = self.amsgrad.then(|| pair(saved, 4));
        let second = v_max.unwrap_or(v);
        let (m_hat, v_hat, effective_learning_rate) = if step_count == 0 {
            ([0.0; 2], [0.0; 2], [0.0; 2])
        } else {
            let (bc1, bc2) = self.bias_corrections(step_count);
            let v_hat = [second[0] / bc2, second[1] / bc2];
            (
                [m[0] / bc1, m[1] / bc1],
                v_hat,
                [
                    lr / (v_hat[0].sqrt() + self.eps),
                    lr / (v_hat[1].sqrt() + self.eps),
                ],
            )
        };
        OptimizerState::Adam {
            step_count,
            m,
            v,
            v_max,
            m_hat,
            v_hat,
            effective_learning_rate,
        }
    }
}

/// One update of many Adam rules (see [`super::FromSettings::step_lanes`]): rules whose
/// betas, update count and saturation equal the previous one's reuse its bias corrections
/// (the same `powf` calls on the same numbers), so a block of runs that share them pays for
/// the three `powf` calls once per update rather than once per run.
pub(super) fn step_lanes<'a>(
    rules: impl Iterator<Item = &'a mut Adam>,
    w: &mut [f64],
    b: &mut [f64],
    gradient: [&[f64]; 2],
    learning_rate: [&[f64]; 2],
) {
    type Key = (u64, u64, u64, [bool; 2]);
    let mut last: Option<(Key, [f64; 2], [bool; 2])> = None;
    let lanes = w.iter_mut().zip(b.iter_mut());
    let inputs = gradient[0]
        .iter()
        .zip(gradient[1])
        .zip(learning_rate[0].iter().zip(learning_rate[1]));
    for ((rule, (w, b)), ((&gw, &gb), (&lr_w, &lr_b))) in rules.zip(lanes).zip(inputs) {
        rule.steps += 1;
        let key = (
            rule.beta1.to_bits(),
            rule.beta2.to_bits(),
            rule.steps,
            rule.saturated,
        );
        let corrections = match last {
            Some((k, corrections, saturated)) if k == key => {
                rule.saturated = saturated;
                corrections
            }
            _ => {
                let corrections = rule.corrections();
                last = Some((key, corrections, rule.saturated));
                corrections
            }
        };
        let mut params = [*w, *b];
        rule.update(&mut params, [gw, gb], [lr_w, lr_b], corrections);
        [*w, *b] = params;
    }
}

#[cfg(test)]
mod tests {
    use super::{Adam, Optimizer};

    /// Skipping pow once beta^t is negligible changes no bit of the trajectory.
    #[test]
    fn saturated_bias_correction_is_bit_exact() {
        let mut fast = Adam::new(0.9, 0.99, 1e-8, 0.0, false);
        let mut slow = fast.clone();
        let (mut p, mut q) = ([1.0, -2.0], [1.0, -2.0]);
        for _ in 0..5000 {
            let g = [p[0] - 0.3, 2.0 * p[1]];
            fast.step(&mut p, g, None, 1e-3);
            slow.saturated = [false; 2];
            let g = [q[0] - 0.3, 2.0 * q[1]];
            slow.step(&mut q, g, None, 1e-3);
            assert_eq!(p.map(f64::to_bits), q.map(f64::to_bits));
        }
        assert_eq!(fast.saturated, [true, true]);
    }
}
