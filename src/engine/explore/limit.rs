//! The stability limit: the largest learning rate at which a run still settles into a
//! minimum, read from the curvature there.
//!
//! Near a minimum m, J is close to the quadratic `J(m) + 1/2 d^T H d` (d = theta - m, H the
//! Hessian at m), and along each eigenvector of H with curvature lambda a gradient step
//! multiplies d by `1 - lr * lambda`. The run settles when every factor has size below 1:
//! `lr < 2 / lambda_max`. Momentum changes the recurrence (see [`stability_limit`]).

use super::nearest_minimum;
use crate::engine::Point;
use crate::engine::objective::Objective;
use crate::engine::optim::OptimizerSettings as O;
use crate::engine::run::RunSettings;

/// What the curvature at a minimum says about the learning rate.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum StabilityLimit {
    /// Runs settle into `minimum` below `rate` and are thrown out of it above.
    Rate {
        /// The limit on the learning rate (w's, when b has its own in the same ratio).
        rate: f64,
        /// The largest curvature the step sees there: the Hessian's largest eigenvalue (plus
        /// the weight decay; with a learning rate of b's own, of the Hessian scaled by it).
        lambda_max: f64,
        /// The minimum.
        minimum: Point,
    },
    /// The rule adapts its step to the gradients it has seen (the adaptive rules, Rprop,
    /// ASGD): no fixed learning rate marks the edge.
    DependsOnState,
    /// No limit to show: Newton's method, L-BFGS, a line search, no known minimum, a flat or non-finite curvature,
    /// or a momentum of 1 or more (which never settles).
    None,
}

/// The stability limit at the known minimum nearest to `near`, for the update rule of
/// `settings`:
///
/// - gradient descent (and SGD): `2 / lambda_max`;
/// - heavy-ball momentum (torch form, dampening 0): the error follows
///   `d' = d - lr lambda d + mu (d - d_prev)`, whose roots stay inside the unit circle while
///   `lr < 2 (1 + mu) / lambda_max`;
/// - Nesterov (torch form): the error follows `d' = (1 + mu)(1 - a) d - mu (1 - a) d_prev`
///   with `a = lr lambda`; its roots stay inside the unit circle while
///   `a < 2 (1 + mu) / (1 + 2 mu)`, so the limit is `2 (1 + mu) / ((1 + 2 mu) lambda_max)`,
///   lower than heavy ball's (1.36 / lambda_max at mu = 0.9, against 3.8 / lambda_max);
/// - dampening `d` scales heavy ball's velocity by `1 - d`, which raises its limit by
///   `1 / (1 - d)`.
///
/// Weight decay adds its factor to every curvature. With a learning rate of b's own (ratio
/// r to w's), the step sees `D^1/2 H D^1/2` with `D = diag(1, r)`, and the limit is on w's
/// rate with b's kept at r times it.
pub fn stability_limit(
    objective: &dyn Objective,
    settings: &RunSettings,
    minima: &[Point],
    near: Point,
) -> StabilityLimit {
    let (weight_decay, factor) = match settings.optimizer {
        O::Gd { weight_decay } => (weight_decay, 2.0),
        O::Sgd {
            momentum,
            dampening,
            nesterov,
            weight_decay,
        }
        | O::Momentum {
            momentum,
            dampening,
            nesterov,
            weight_decay,
        } => {
            if !(0.0..1.0).contains(&momentum) || dampening.is_nan() || dampening >= 1.0 {
                return StabilityLimit::None;
            }
            if nesterov {
                (
                    weight_decay,
                    2.0 * (1.0 + momentum) / (1.0 + 2.0 * momentum),
                )
            } else {
                (weight_decay, 2.0 * (1.0 + momentum) / (1.0 - dampening))
            }
        }
        O::Nesterov {
            momentum,
            weight_decay,
        } => {
            if !(0.0..1.0).contains(&momentum) {
                return StabilityLimit::None;
            }
            (
                weight_decay,
                2.0 * (1.0 + momentum) / (1.0 + 2.0 * momentum),
            )
        }
        O::Newton {} | O::Lbfgs { .. } | O::GdArmijo { .. } => return StabilityLimit::None,
        _ => return StabilityLimit::DependsOnState,
    };
    let ratio = match settings.learning_rate_b {
        Some(rate_b) => rate_b / settings.learning_rate,
        None => 1.0,
    };
    if !(ratio.is_finite() && ratio >= 0.0) {
        return StabilityLimit::None;
    }
    let Some((index, _)) = nearest_minimum(minima, near) else {
        return StabilityLimit::None;
    };
    let minimum = minima[index];
    let h = objective.derivatives(minimum).hessian;
    // The curvature the step sees: D^1/2 (H + weight_decay I) D^1/2, symmetrized.
    let s = ratio.sqrt();
    let a = h[0][0] + weight_decay;
    let c = ratio * (h[1][1] + weight_decay);
    let b = s * 0.5 * (h[0][1] + h[1][0]);
    let lambda_max = 0.5 * (a + c) + (0.5 * (a - c)).hypot(b);
    let rate = factor / lambda_max;
    if !(lambda_max.is_finite() && lambda_max > 0.0 && rate.is_finite()) {
        return StabilityLimit::None;
    }
    StabilityLimit::Rate {
        rate,
        lambda_max,
        minimum,
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::objective::FunctionObjective;
    use crate::engine::optim::OptimizerKind;
    use crate::engine::run::{Initialization, Run, Status};

    /// How the real run at `rate` (w's) ends.
    fn ends(objective: &Arc<dyn Objective>, settings: &RunSettings, rate: f64) -> Status {
        let settings = super::super::with_learning_rate(settings, rate);
        let mut run = Run::new(Arc::clone(objective), settings).expect("a valid run");
        run.run_to_end()
    }

    /// The limit's rate, or a panic naming what came instead.
    fn limit_rate(objective: &Arc<dyn Objective>, settings: &RunSettings) -> f64 {
        match stability_limit(objective.as_ref(), settings, &[[0.0, 0.0]], [1.0, 1.0]) {
            StabilityLimit::Rate { rate, .. } => rate,
            other => panic!("no rate: {other:?}"),
        }
    }

    // On quadratics, a run at 0.99 times the limit converges and one at 1.01 times diverges:
    // gradient descent, heavy ball, Nesterov, weight decay, two parameter groups and a
    // Hessian with a cross term.
    #[test]
    fn the_limit_separates_settling_from_blowing_up() {
        let settings = |optimizer, learning_rate_b| RunSettings {
            optimizer,
            learning_rate: 0.01,
            learning_rate_b,
            init: Initialization::Manual { w: 1.0, b: 1.0 },
            grad_tol: Some(1e-9),
            max_iterations: 50_000,
            ..RunSettings::default()
        };
        let gd = O::default_for(OptimizerKind::Gd);
        let damped = |mu, dampening| O::Momentum {
            momentum: mu,
            dampening,
            nesterov: false,
            weight_decay: 0.0,
        };
        let momentum = |mu| damped(mu, 0.0);
        let nesterov = |mu| O::Nesterov {
            momentum: mu,
            weight_decay: 0.0,
        };
        let cases = [
            ("3*w^2 + 0.5*b^2", settings(gd, None), 1.0 / 3.0),
            ("3*w^2 + 0.5*b^2", settings(momentum(0.5), None), 0.5),
            ("3*w^2 + 0.5*b^2", settings(momentum(0.9), None), 3.8 / 6.0),
            ("3*w^2 + 0.5*b^2", settings(damped(0.5, 0.5), None), 1.0),
            ("3*w^2 + 0.5*b^2", settings(nesterov(0.5), None), 0.25),
            (
                "3*w^2 + 0.5*b^2",
                settings(nesterov(0.9), None),
                3.8 / (2.8 * 6.0),
            ),
            (
                "3*w^2 + 0.5*b^2",
                settings(O::Gd { weight_decay: 2.0 }, None),
                0.25,
            ),
            // b's rate 10 times w's: the b direction (curvature 1, seen as 10) is the edge.
            ("3*w^2 + 0.5*b^2", settings(gd, Some(0.1)), 0.2),
            ("w^2 + b^2 + w*b", settings(gd, None), 2.0 / 3.0),
        ];
        for (formula, settings, expected) in cases {
            let objective: Arc<dyn Objective> =
                Arc::new(FunctionObjective::new(formula).expect("a formula"));
            let rate = limit_rate(&objective, &settings);
            assert!(
                (rate - expected).abs() < 1e-12 * expected,
                "{formula} {:?}: {rate} instead of {expected}",
                settings.optimizer
            );
            let below = ends(&objective, &settings, 0.99 * rate);
            assert!(
                matches!(below, Status::Converged { .. }),
                "{formula} {:?} at 0.99 x limit: {below}",
                settings.optimizer
            );
            let above = ends(&objective, &settings, 1.01 * rate);
            assert!(
                matches!(above, Status::Diverged { .. }),
                "{formula} {:?} at 1.01 x limit: {above}",
                settings.optimizer
            );
        }
    }

    // Adaptive rules have no fixed limit; Newton and a problem without minima have none.
    #[test]
    fn other_rules_have_no_rate() {
        let objective = FunctionObjective::new("w^2 + b^2").expect("a formula");
        let with = |kind| RunSettings {
            optimizer: O::default_for(kind),
            ..RunSettings::default()
        };
        for kind in [
            OptimizerKind::Adagrad,
            OptimizerKind::Rmsprop,
            OptimizerKind::Adam,
            OptimizerKind::Adamw,
        ] {
            let limit = stability_limit(&objective, &with(kind), &[[0.0; 2]], [0.0; 2]);
            assert_eq!(limit, StabilityLimit::DependsOnState);
        }
        let newton = stability_limit(
            &objective,
            &with(OptimizerKind::Newton),
            &[[0.0; 2]],
            [0.0; 2],
        );
        assert_eq!(newton, StabilityLimit::None);
        let none = stability_limit(&objective, &with(OptimizerKind::Gd), &[], [0.0; 2]);
        assert_eq!(none, StabilityLimit::None);
        let flat = FunctionObjective::new("w + b").expect("a formula");
        let limit = stability_limit(&flat, &with(OptimizerKind::Gd), &[[0.0; 2]], [0.0; 2]);
        assert_eq!(limit, StabilityLimit::None);
    }

    // The nearest known minimum's curvature decides.
    #[test]
    fn the_nearest_minimum_is_used() {
        // Minima at w = -1 (curvature 8 along w) and w = 1 (the same), b's curvature 2.
        let objective = FunctionObjective::new("(w^2 - 1)^2 + b^2").expect("a formula");
        let settings = RunSettings::default();
        let limit = stability_limit(
            &objective,
            &settings,
            &[[-1.0, 0.0], [1.0, 0.0]],
            [0.8, 0.3],
        );
        let StabilityLimit::Rate {
            rate,
            lambda_max,
            minimum,
        } = limit
        else {
            panic!("no rate: {limit:?}");
        };
        assert_eq!(minimum, [1.0, 0.0]);
        assert!((lambda_max - 8.0).abs() < 1e-12 && (rate - 0.25).abs() < 1e-12);
    }
}
