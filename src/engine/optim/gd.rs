//! Gradient descent (torch `SGD` without momentum, where dampening and Nesterov do nothing).
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
    /// `Some(dampening)` for torch's `SGD` (named `sgd`), None for `gd`.
    sgd_dampening: Option<f64>,
    steps: u64,
}

impl GradientDescent {
    /// A gradient descent rule; `stochastic` only chooses the name it reports (`sgd`/`gd`).
    pub fn new(weight_decay: f64, stochastic: bool) -> Self {
        if stochastic {
            Self::sgd(0.0, weight_decay)
        } else {
            Self {
                weight_decay,
                sgd_dampening: None,
                steps: 0,
            }
        }
    }

    /// torch's `SGD` with momentum 0 (`dampening` is kept only to report the settings).
    pub fn sgd(dampening: f64, weight_decay: f64) -> Self {
        Self {
            weight_decay,
            sgd_dampening: Some(dampening),
            steps: 0,
        }
    }
}

impl Optimizer for GradientDescent {
    fn settings(&self) -> OptimizerSettings {
        let weight_decay = self.weight_decay;
        match self.sgd_dampening {
            None => OptimizerSettings::Gd { weight_decay },
            Some(dampening) => OptimizerSettings::Sgd {
                momentum: 0.0,
                dampening,
                nesterov: false,
                weight_decay,
            },
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

/// One update of many gradient descent rules (see [`super::FromSettings::step_lanes`]).
/// Without weight decay the rule is `theta += -lr * g` for every run, written as plain loops
/// over the arrays so the compiler vectorizes them, and the rules' update counts (which the
/// rule itself never reads) are left to the caller; with it, each rule steps on its own.
#[inline(always)]
pub(super) fn step_lanes(
    rules: &mut [GradientDescent],
    same_settings: bool,
    w: &mut [f64],
    b: &mut [f64],
    gradient: [&[f64]; 2],
    learning_rate: [&[f64]; 2],
) {
    let n = rules.len().min(w.len()).min(b.len());
    let [grad_w, grad_b] = gradient.map(|g| &g[..n]);
    let [lr_w, lr_b] = learning_rate.map(|lr| &lr[..n]);
    let rules = &mut rules[..n];
    let no_weight_decay = if same_settings {
        rules.first().is_some_and(|r| r.weight_decay == 0.0)
    } else {
        rules
            .iter()
            .fold(true, |all, r| all & (r.weight_decay == 0.0))
    };
    if no_weight_decay {
        // torch: param.add_(grad, alpha=-lr), as in `step_groups` without weight decay.
        for (theta, (g, lr)) in w[..n].iter_mut().zip(grad_w.iter().zip(lr_w)) {
            *theta += -lr * g;
        }
        for (theta, (g, lr)) in b[..n].iter_mut().zip(grad_b.iter().zip(lr_b)) {
            *theta += -lr * g;
        }
    } else {
        for (i, rule) in rules.iter_mut().enumerate() {
            let mut params = [w[i], b[i]];
            rule.step_groups(
                &mut params,
                [grad_w[i], grad_b[i]],
                None,
                [lr_w[i], lr_b[i]],
            );
            [w[i], b[i]] = params;
        }
    }
}
