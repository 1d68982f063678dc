//! Gradient descent with a backtracking line search (the Armijo rule; Nocedal & Wright,
//! *Numerical Optimization*, 2nd ed., Algorithm 3.1). Not a torch optimizer.
//!
//! Each update, with g the gradient at theta, J the cost there and lr the learning rate
//! (the schedule's; default shrink = 0.5, c1 = 1e-4):
//!
//! ```text
//! t = lr
//! while J(theta - t g) > J(theta) - c1 * t * |g|^2:    (not enough decrease yet)
//!     t = shrink * t
//! theta = theta - t g
//! ```
//!
//! At most [`ARMIJO_MAX_TRIALS`] step sizes are tried; if none gives enough decrease
//! (at a point where J is not finite, say), the last, smallest one is taken. The accepted
//! t is the update's learning rate, and every tried point is recorded as a trial.

use super::{Optimizer, OptimizerSettings, OptimizerState, Trial};
use crate::engine::limits::ARMIJO_MAX_TRIALS;
use crate::engine::{Hessian, Point};

/// Gradient descent whose step size is found by backtracking.
#[derive(Clone, Debug, PartialEq)]
pub struct Armijo {
    shrink: f64,
    c1: f64,
    step_size: f64,
    trials: u32,
    steps: u64,
}

impl Armijo {
    /// The line search with factor `shrink` and sufficient-decrease constant `c1`.
    pub fn new(shrink: f64, c1: f64) -> Self {
        Self {
            shrink,
            c1,
            step_size: 0.0,
            trials: 0,
            steps: 0,
        }
    }
}

impl Optimizer for Armijo {
    fn settings(&self) -> OptimizerSettings {
        OptimizerSettings::GdArmijo {
            shrink: self.shrink,
            c1: self.c1,
        }
    }

    fn evaluates(&self) -> bool {
        true
    }

    /// Without J to evaluate, a plain gradient step of the learning rate (a run always
    /// takes [`Optimizer::step_evaluating`]).
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        _: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        params[0] += -lr[0] * gradient[0];
        params[1] += -lr[1] * gradient[1];
        self.step_size = lr[0];
        self.trials = 0;
        self.steps += 1;
    }

    fn step_evaluating(
        &mut self,
        params: &mut Point,
        cost: f64,
        gradient: [f64; 2],
        learning_rate: [f64; 2],
        evaluate: &mut dyn FnMut(Point) -> (f64, [f64; 2]),
        trials: &mut Vec<Trial>,
    ) -> f64 {
        let [g0, g1] = gradient;
        let squared_norm = g0 * g0 + g1 * g1;
        let mut t = learning_rate[0];
        let mut trial = *params;
        for k in 1..=ARMIJO_MAX_TRIALS {
            trial = [params[0] - t * g0, params[1] - t * g1];
            let (trial_cost, _) = evaluate(trial);
            trials.push(Trial {
                params: trial,
                cost: trial_cost,
            });
            self.trials = k as u32;
            if trial_cost <= cost - self.c1 * t * squared_norm || k == ARMIJO_MAX_TRIALS {
                break;
            }
            t *= self.shrink;
        }
        *params = trial;
        self.step_size = t;
        self.steps += 1;
        t
    }

    fn reset(&mut self) {
        self.step_size = 0.0;
        self.trials = 0;
        self.steps = 0;
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        2
    }

    fn save_state(&self, out: &mut [f64]) {
        if let Some(slot) = out.get_mut(..2) {
            slot.copy_from_slice(&[self.step_size, f64::from(self.trials)]);
        }
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        OptimizerState::Armijo {
            step_size: saved.first().copied().unwrap_or(0.0),
            trials: saved.get(1).copied().unwrap_or(0.0) as u32,
        }
    }
}
