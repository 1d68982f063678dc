//! The step inspector: one update of the selected run written out with its numbers, e.g.
//! `w <- 0.520 - 0.100 x 1.300 = 0.390`, with the optimizer's internal state (velocity,
//! accumulators, Adam's moments) and the effective learning rate of each parameter.

use egui::RichText;

use crate::engine::optim::{OptimizerSettings, OptimizerState, Trial};
use crate::engine::run::StepDetail;

/// One parameter's update: `to = from - rate x direction` (AdamW decays `from` first).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParamUpdate {
    /// `"w"` or `"b"`.
    pub name: &'static str,
    /// The value before the update (after AdamW's decoupled decay, when there is one).
    pub from: f64,
    /// The learning rate this parameter effectively had.
    pub rate: f64,
    /// What the rate multiplies: the gradient, the velocity, Adam's m_hat, ...
    pub direction: f64,
    /// The value after the update, as recorded by the run.
    pub to: f64,
}

impl ParamUpdate {
    /// `from - rate x direction`, recomputed from the shown quantities.
    pub fn recomputed(&self) -> f64 {
        self.from - self.rate * self.direction
    }
}

/// An update written out for a learner.
#[derive(Clone, Debug, PartialEq)]
pub struct StepExplanation {
    /// "Update 12 · Adam · learning rate 0.001".
    pub title: String,
    /// The quantities leading to the step, one per line.
    pub lines: Vec<String>,
    /// The update of w and of b.
    pub updates: [ParamUpdate; 2],
    /// The cost J (over all the data) before and after the update, when known.
    pub cost: Option<[f64; 2]>,
}

impl StepExplanation {
    /// The update line of one parameter: `w <- 0.520 - 0.100 x 1.300 = 0.390`.
    pub fn update_line(u: &ParamUpdate) -> String {
        format!(
            "{} <- {} - {} x {} = {}",
            u.name,
            num(u.from),
            num(u.rate),
            num(u.direction),
            num(u.to)
        )
    }

    /// The change of the cost: `J: 7.240 -> 11.900`.
    pub fn cost_line(&self) -> Option<String> {
        self.cost
            .map(|[before, after]| format!("J: {} -> {}", num(before), num(after)))
    }

    /// Everything as plain text (what "Copy" puts on the clipboard).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push('\n');
        for line in &self.lines {
            out.push_str(line);
            out.push('\n');
        }
        for u in &self.updates {
            out.push_str(&Self::update_line(u));
            out.push('\n');
        }
        if let Some(line) = self.cost_line() {
            out.push_str(&line);
            out.push('\n');
        }
        out
    }
}

/// A number for the inspector: 3 decimals in the everyday range, scientific notation for
/// very small or very large magnitudes.
pub fn num(v: f64) -> String {
    let a = v.abs();
    if v == 0.0 || (0.01..1e5).contains(&a) {
        format!("{v:.3}")
    } else if (1e-4..0.01).contains(&a) {
        format!("{v:.5}")
    } else if v.is_finite() {
        format!("{v:.3e}")
    } else {
        format!("{v}")
    }
}

/// The step divided by `rate`, per parameter: the direction of a rule whose step is
/// more than a rate times one recorded quantity.
fn step_over_rate(from: [f64; 2], to: [f64; 2], rate: f64) -> [f64; 2] {
    if rate == 0.0 {
        return [0.0; 2];
    }
    [(from[0] - to[0]) / rate, (from[1] - to[1]) / rate]
}

fn pair_text(name: &str, v: [f64; 2]) -> String {
    format!("{name}_w = {}, {name}_b = {}", num(v[0]), num(v[1]))
}

/// Writes out update `detail` of a run whose optimizer has `settings`. `previous` is the
/// optimizer's state before the update (for momentum's old velocity); `batch_size` is the
/// number of examples behind the gradient (0 for a function problem).
pub fn explain_step(
    detail: &StepDetail,
    settings: &OptimizerSettings,
    previous: Option<&OptimizerState>,
    batch_size: usize,
) -> StepExplanation {
    let kind = settings.kind();
    let lr = detail.learning_rate;
    let g = detail.batch_gradient;
    let from = detail.from;
    let title = format!(
        "Update {} · {} · learning rate lr = {}",
        detail.iteration,
        kind.label(),
        num(lr)
    );
    let mut lines = Vec::new();
    let source = if batch_size > 0 {
        format!("gradient of a mini-batch of {batch_size} examples")
    } else {
        "gradient".to_owned()
    };
    lines.push(format!(
        "{source}: dJ/dw = {}, dJ/db = {}",
        num(g[0]),
        num(g[1])
    ));

    // L2 weight decay goes through the gradient; AdamW, Adafactor and the decoupled
    // NAdam/RAdam shrink the parameter instead.
    let weight_decay = settings.weight_decay().unwrap_or(0.0);
    let decoupled = match *settings {
        OptimizerSettings::Adamw { .. } | OptimizerSettings::Adafactor { .. } => true,
        OptimizerSettings::Nadam {
            decoupled_weight_decay,
            ..
        }
        | OptimizerSettings::Radam {
            decoupled_weight_decay,
            ..
        } => decoupled_weight_decay,
        _ => false,
    };
    let g = if weight_decay != 0.0 && !decoupled {
        let g2 = [g[0] + weight_decay * from[0], g[1] + weight_decay * from[1]];
        lines.push(format!(
            "with weight decay {}: g = dJ/dparam + {} x param: g_w = {}, g_b = {}",
            num(weight_decay),
            num(weight_decay),
            num(g2[0]),
            num(g2[1])
        ));
        g2
    } else {
        g
    };
    let mut start = from;
    if decoupled && weight_decay != 0.0 {
        start = [
            from[0] * (1.0 - lr * weight_decay),
            from[1] * (1.0 - lr * weight_decay),
        ];
        lines.push(format!(
            "decoupled weight decay first: w x (1 - lr x {wd}) = {}, b x (1 - lr x {wd}) = {}",
            num(start[0]),
            num(start[1]),
            wd = num(weight_decay)
        ));
    }

    // Each rule: the per-parameter rate and the direction it multiplies.
    let (rate, direction): ([f64; 2], [f64; 2]) = match (detail.state, *settings) {
        (OptimizerState::Momentum { velocity }, _) => {
            let momentum = settings.sgd_momentum().unwrap_or(0.0);
            let (dampening, nesterov) = match *settings {
                OptimizerSettings::Sgd {
                    dampening,
                    nesterov,
                    ..
                }
                | OptimizerSettings::Momentum {
                    dampening,
                    nesterov,
                    ..
                } => (dampening, nesterov),
                _ => (0.0, true),
            };
            let old = match previous {
                Some(OptimizerState::Momentum { velocity }) if detail.iteration > 1 => {
                    Some(*velocity)
                }
                _ => None,
            };
            for (k, name) in ["w", "b"].iter().enumerate() {
                lines.push(match old {
                    Some(old) if dampening != 0.0 => format!(
                        "velocity v_{name} = {} x {} + (1 - {}) x {} = {}",
                        num(momentum),
                        num(old[k]),
                        num(dampening),
                        num(g[k]),
                        num(velocity[k])
                    ),
                    Some(old) => format!(
                        "velocity v_{name} = {} x {} + {} = {}",
                        num(momentum),
                        num(old[k]),
                        num(g[k]),
                        num(velocity[k])
                    ),
                    None => format!(
                        "velocity v_{name} = g_{name} = {} (first update)",
                        num(velocity[k])
                    ),
                });
            }
            if nesterov {
                let look = [g[0] + momentum * velocity[0], g[1] + momentum * velocity[1]];
                lines.push(format!(
                    "Nesterov looks ahead: g + {} x v: w: {}, b: {}",
                    num(momentum),
                    num(look[0]),
                    num(look[1])
                ));
                ([lr; 2], look)
            } else {
                ([lr; 2], velocity)
            }
        }
        (
            OptimizerState::AdaGrad {
                sum_of_squares,
                effective_learning_rate,
            },
            _,
        ) => {
            lines.push(format!(
                "sum of squared gradients s = s + g^2: {}",
                pair_text("s", sum_of_squares)
            ));
            lines.push(format!(
                "effective learning rate lr / (sqrt(s) + eps): w: {}, b: {}",
                num(effective_learning_rate[0]),
                num(effective_learning_rate[1])
            ));
            (effective_learning_rate, g)
        }
        (
            OptimizerState::RmsProp {
                square_average,
                grad_average,
                momentum_buffer,
                effective_learning_rate,
            },
            _,
        ) => {
            lines.push(format!(
                "moving average of squared gradients s = alpha s + (1 - alpha) g^2: {}",
                pair_text("s", square_average)
            ));
            if let Some(m) = grad_average {
                lines.push(format!(
                    "centered: moving average of gradients m = alpha m + (1 - alpha) g: {}",
                    pair_text("m", m)
                ));
            }
            let denominator = if grad_average.is_some() {
                "sqrt(s - m^2) + eps"
            } else {
                "sqrt(s) + eps"
            };
            lines.push(format!(
                "effective learning rate lr / ({denominator}): w: {}, b: {}",
                num(effective_learning_rate[0]),
                num(effective_learning_rate[1])
            ));
            match momentum_buffer {
                Some(buffer) => {
                    lines.push(format!(
                        "momentum buffer buf = momentum buf + g / ({denominator}): {}",
                        pair_text("buf", buffer)
                    ));
                    ([lr; 2], buffer)
                }
                None => (effective_learning_rate, g),
            }
        }
        (
            OptimizerState::Adadelta {
                square_average,
                delta_average,
            },
            _,
        ) => {
            lines.push(format!(
                "moving average of squared gradients s = rho s + (1 - rho) g^2: {}",
                pair_text("s", square_average)
            ));
            let delta = step_over_rate(start, detail.to, lr);
            lines.push(format!(
                "step delta = sqrt(u + eps) / sqrt(s + eps) x g (u: the steps' average before): {}",
                pair_text("delta", delta)
            ));
            lines.push(format!(
                "moving average of squared steps u = rho u + (1 - rho) delta^2: {}",
                pair_text("u", delta_average)
            ));
            ([lr; 2], delta)
        }
        (
            OptimizerState::Adamax {
                step_count,
                m,
                u,
                effective_learning_rate,
            },
            _,
        ) => {
            lines.push(format!(
                "first moment m = beta1 m + (1 - beta1) g: {}",
                pair_text("m", m)
            ));
            lines.push(format!(
                "infinity norm u = max(beta2 u, |g| + eps): {}",
                pair_text("u", u)
            ));
            lines.push(format!(
                "effective learning rate lr / ((1 - beta1^{step_count}) u): w: {}, b: {}",
                num(effective_learning_rate[0]),
                num(effective_learning_rate[1])
            ));
            (effective_learning_rate, m)
        }
        (
            OptimizerState::NAdam {
                step_count,
                m,
                v,
                mu,
                mu_next,
                mu_product,
            },
            _,
        ) => {
            lines.push(format!(
                "momentum schedule mu_t = beta1 (1 - 0.5 x 0.96^(t x momentum_decay)): mu_{step_count} = {}, mu_{} = {}, product = {}",
                num(mu),
                step_count + 1,
                num(mu_next),
                num(mu_product)
            ));
            lines.push(format!(
                "first moment m = beta1 m + (1 - beta1) g: {}",
                pair_text("m", m)
            ));
            lines.push(format!(
                "second moment v = beta2 v + (1 - beta2) g^2: {}",
                pair_text("v", v)
            ));
            let d = step_over_rate(start, detail.to, lr);
            lines.push(format!(
                "Nesterov-style direction ((1 - mu_t) g / (1 - product) + mu_t+1 m / (1 - product x mu_t+1)) / (sqrt(v_hat) + eps): {}",
                pair_text("d", d)
            ));
            ([lr; 2], d)
        }
        (
            OptimizerState::RAdam {
                step_count,
                m,
                v,
                rho_t,
                rectification,
            },
            _,
        ) => {
            lines.push(format!(
                "first moment m = beta1 m + (1 - beta1) g: {}",
                pair_text("m", m)
            ));
            lines.push(format!(
                "second moment v = beta2 v + (1 - beta2) g^2: {}",
                pair_text("v", v)
            ));
            lines.push(match rectification {
                Some(r) => format!(
                    "rho_{step_count} = {} > 5: rectification on, r = {}: step = lr x r x m_hat / (sqrt(v_hat) + eps)",
                    num(rho_t),
                    num(r)
                ),
                None => format!(
                    "rho_{step_count} = {} <= 5: rectification off, a plain momentum step lr x m_hat",
                    num(rho_t)
                ),
            });
            let d = step_over_rate(start, detail.to, lr);
            ([lr; 2], d)
        }
        (
            OptimizerState::Adafactor {
                step_count,
                variance,
                step_scale,
                clip,
            },
            _,
        ) => {
            lines.push(format!(
                "second moment v = v + {step_count}^beta2_decay x (g^2 - v): {}",
                pair_text("v", variance)
            ));
            lines.push(format!(
                "relative step alpha = max(eps2, |param|) x min(lr, 1/sqrt({step_count})): {}",
                pair_text("alpha", step_scale)
            ));
            lines.push(format!(
                "update u = g / sqrt(v), clipped by max(1, |u| / d): {}",
                pair_text("clip", clip)
            ));
            lines.push(
                "each parameter moves by about alpha: its step scales with its own size".into(),
            );
            let rate = [step_scale[0] / clip[0], step_scale[1] / clip[1]];
            let u = [
                step_over_rate(start, detail.to, rate[0])[0],
                step_over_rate(start, detail.to, rate[1])[1],
            ];
            (rate, u)
        }
        (
            OptimizerState::Rprop {
                previous_gradient,
                step_size,
            },
            _,
        ) => {
            lines.push(format!(
                "Rprop uses only the gradient's sign: step sizes grow x eta_plus while the sign holds, shrink x eta_minus when it flips: {}",
                pair_text("step", step_size)
            ));
            let sign = previous_gradient.map(crate::engine::optim::rprop::sign);
            lines.push(format!(
                "direction sign(g) (0 right after a flip): {}",
                pair_text("sign", sign)
            ));
            (step_size, sign)
        }
        (OptimizerState::Asgd { eta, mu, average }, _) => {
            lines.push(format!(
                "step size next eta = lr / (1 + lambd lr t)^alpha: {}",
                pair_text("eta", eta)
            ));
            lines.push(format!(
                "averaging weight mu = 1 / max(1, t - t0): {}",
                pair_text("mu", mu)
            ));
            lines.push(format!(
                "averaged parameters (the second marker) ax = ax + mu (param - ax): {}",
                pair_text("ax", average)
            ));
            let d = step_over_rate(start, detail.to, lr);
            ([lr; 2], d)
        }
        (OptimizerState::Armijo { step_size, trials }, _) => {
            lines.push(format!(
                "backtracking from lr: {trials} step size(s) tried, accepted t = {} where J(param - t g) <= J - c1 t |g|^2",
                num(step_size)
            ));
            ([step_size; 2], g)
        }
        (
            OptimizerState::Lbfgs {
                direction,
                step_size,
                h_diag,
                pairs,
                evaluations,
                inner_iterations,
            },
            _,
        ) => {
            lines.push(format!(
                "one L-BFGS step: {inner_iterations} inner iteration(s), {evaluations} evaluation(s) of J, {pairs} curvature pair(s) kept, H_diag = {}",
                num(h_diag)
            ));
            lines.push(format!(
                "last direction d = -H g: {}, step t = {}",
                pair_text("d", direction),
                num(step_size)
            ));
            let d = step_over_rate(start, detail.to, lr);
            ([lr; 2], d)
        }
        (
            OptimizerState::Adam {
                step_count,
                m,
                v,
                v_max,
                m_hat,
                v_hat,
                effective_learning_rate,
            },
            _,
        ) => {
            lines.push(format!(
                "first moment m = beta1 m + (1 - beta1) g: {}",
                pair_text("m", m)
            ));
            lines.push(format!(
                "second moment v = beta2 v + (1 - beta2) g^2: {}",
                pair_text("v", v)
            ));
            if let Some(v_max) = v_max {
                lines.push(format!(
                    "AMSGrad keeps the largest v: {}",
                    pair_text("v_max", v_max)
                ));
            }
            lines.push(format!(
                "bias-corrected m_hat = m / (1 - beta1^{step_count}): {}",
                pair_text("m_hat", m_hat)
            ));
            lines.push(format!(
                "bias-corrected v_hat = v / (1 - beta2^{step_count}): {}",
                pair_text("v_hat", v_hat)
            ));
            lines.push(format!(
                "effective learning rate lr / (sqrt(v_hat) + eps), one per parameter: w: {}, b: {}",
                num(effective_learning_rate[0]),
                num(effective_learning_rate[1])
            ));
            (effective_learning_rate, m_hat)
        }
        (OptimizerState::Newton { damping }, _) => {
            // The Newton direction d = (H + lambda I)^-1 g, read back from the step itself.
            let d = if lr != 0.0 {
                [
                    (start[0] - detail.to[0]) / lr,
                    (start[1] - detail.to[1]) / lr,
                ]
            } else {
                [0.0, 0.0]
            };
            lines.push(format!(
                "damping lambda = {} (0 where J curves up in every direction)",
                num(damping)
            ));
            lines.push(format!(
                "Newton direction d = (H + lambda I)^-1 g: d_w = {}, d_b = {}",
                num(d[0]),
                num(d[1])
            ));
            ([lr; 2], d)
        }
        _ => ([lr; 2], g),
    };
    let updates = [
        ParamUpdate {
            name: "w",
            from: start[0],
            rate: rate[0],
            direction: direction[0],
            to: detail.to[0],
        },
        ParamUpdate {
            name: "b",
            from: start[1],
            rate: rate[1],
            direction: direction[1],
            to: detail.to[1],
        },
    ];
    StepExplanation {
        title,
        lines,
        updates,
        cost: None,
    }
}

/// How many of an update's evaluations the inspector lists one by one.
const LISTED_TRIALS: usize = 8;

/// Adds the points where the update evaluated J on the way (a line search's trial steps,
/// L-BFGS's inner iterations) to `e`, one line each, the first [`LISTED_TRIALS`] of them.
pub fn add_trials(e: &mut StepExplanation, trials: &[Trial]) {
    if trials.is_empty() {
        return;
    }
    e.lines.push(format!(
        "J evaluated at {} more point(s) in this update (faint dots on the contour):",
        trials.len()
    ));
    for (i, trial) in trials.iter().take(LISTED_TRIALS).enumerate() {
        e.lines.push(format!(
            "  {}. (w, b) = ({}, {}): J = {}",
            i + 1,
            num(trial.params[0]),
            num(trial.params[1]),
            num(trial.cost)
        ));
    }
    if trials.len() > LISTED_TRIALS {
        e.lines
            .push(format!("  ... and {} more", trials.len() - LISTED_TRIALS));
    }
}

/// What the inspector shows this frame.
pub struct InspectorInput<'a> {
    /// The update to explain (None before the first update or without a selected run).
    pub explanation: Option<&'a StepExplanation>,
}

/// Draws the explanation with a "Copy" button.
pub fn inspector_ui(ui: &mut egui::Ui, input: InspectorInput<'_>) {
    let Some(e) = input.explanation else {
        ui.weak("Step forward to see an update written out with its numbers.");
        return;
    };
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new(&e.title).strong());
        if ui
            .button("Copy")
            .on_hover_text("Copy the update as text")
            .clicked()
        {
            ui.ctx().copy_text(e.to_text());
        }
    });
    for line in &e.lines {
        ui.label(RichText::new(line).monospace().small());
    }
    for u in &e.updates {
        ui.label(
            RichText::new(StepExplanation::update_line(u))
                .monospace()
                .strong(),
        );
    }
    if let Some(line) = e.cost_line() {
        ui.label(RichText::new(line).monospace().strong());
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::objective::Objective;
    use crate::engine::optim::OptimizerKind;
    use crate::engine::run::{Initialization, Run, RunSettings};
    use crate::engine::{Derivatives, Domain, Point};

    /// A skewed bowl with a saddle-free twist: J = (w - 1)^2 + 10 (b + w/2)^2 + w b^2 / 4.
    struct Bowl;

    impl Objective for Bowl {
        fn value(&self, p: Point) -> f64 {
            let [w, b] = p;
            (w - 1.0).powi(2) + 10.0 * (b + w / 2.0).powi(2) + w * b * b / 4.0
        }
        fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
            let [w, b] = p;
            let gw = 2.0 * (w - 1.0) + 10.0 * (b + w / 2.0) + b * b / 4.0;
            let gb = 20.0 * (b + w / 2.0) + w * b / 2.0;
            (self.value(p), [gw, gb])
        }
        fn derivatives(&self, p: Point) -> Derivatives {
            let [w, b] = p;
            let (value, gradient) = self.value_gradient(p);
            let hww = 2.0 + 5.0;
            let hwb = 10.0 + b / 2.0;
            let hbb = 20.0 + w / 2.0;
            Derivatives {
                value,
                gradient,
                hessian: [[hww, hwb], [hwb, hbb]],
            }
        }
        fn domain(&self) -> Domain {
            Domain::new(-2.0, 2.0, -2.0, 2.0)
        }
    }

    fn run(kind: OptimizerKind, weight_decay: f64) -> Run {
        let mut optimizer = OptimizerSettings::default_for(kind);
        if let Some(wd) = optimizer.weight_decay_mut() {
            *wd = weight_decay;
        }
        let settings = RunSettings {
            optimizer,
            learning_rate: if kind == OptimizerKind::Newton {
                0.5
            } else {
                0.02
            },
            init: Initialization::Manual { w: -1.5, b: 1.2 },
            max_iterations: 30,
            ..RunSettings::default()
        };
        let mut run = Run::new(Arc::new(Bowl), settings).expect("valid settings");
        run.run_to_end();
        run
    }

    // For every rule, the written-out update reproduces the optimizer's actual step:
    // from - rate x direction equals the recorded new value.
    #[test]
    fn written_update_reproduces_the_step() {
        for kind in OptimizerKind::ALL {
            for weight_decay in [0.0, 0.05] {
                let run = run(kind, weight_decay);
                for t in [1u64, 2, 7, 20] {
                    let detail = run.step_detail(t).expect("recorded");
                    let previous = run.state_at(t - 1);
                    let e = explain_step(&detail, &run.settings().optimizer, previous.as_ref(), 0);
                    for u in &e.updates {
                        let scale = u.to.abs().max(1e-3);
                        assert!(
                            (u.recomputed() - u.to).abs() <= 1e-12 * scale,
                            "{kind:?} wd {weight_decay} t {t} {}: {} vs {}",
                            u.name,
                            u.recomputed(),
                            u.to
                        );
                    }
                }
            }
        }
    }

    // Momentum's velocity line shows the old velocity, the gradient and the new velocity,
    // and they add up.
    #[test]
    fn momentum_velocity_line_adds_up() {
        let run = run(OptimizerKind::Momentum, 0.0);
        let detail = run.step_detail(5).expect("recorded");
        let previous = run.state_at(4).expect("recorded");
        let (OptimizerState::Momentum { velocity: old }, OptimizerState::Momentum { velocity }) =
            (previous, detail.state)
        else {
            panic!("momentum state expected");
        };
        let g = detail.batch_gradient;
        assert!((0.9 * old[0] + g[0] - velocity[0]).abs() < 1e-12);
        let e = explain_step(&detail, &run.settings().optimizer, Some(&previous), 0);
        let line = format!(
            "velocity v_w = 0.900 x {} + {} = {}",
            num(old[0]),
            num(g[0]),
            num(velocity[0])
        );
        assert!(e.lines.contains(&line), "{:#?}", e.lines);
    }

    // An Adam step's text names m, v, m_hat, v_hat and the per-parameter rates, and its
    // update lines have the documented shape.
    #[test]
    fn adam_text() {
        let run = run(OptimizerKind::Adam, 0.0);
        let detail = run.step_detail(3).expect("recorded");
        let e = explain_step(
            &detail,
            &run.settings().optimizer,
            run.state_at(2).as_ref(),
            16,
        );
        let text = e.to_text();
        for needle in [
            "Update 3 · Adam",
            "mini-batch of 16",
            "m_w =",
            "v_b =",
            "m_hat_w =",
            "v_hat_b =",
            "effective learning rate",
        ] {
            assert!(text.contains(needle), "missing {needle:?} in\n{text}");
        }
        let w_line = StepExplanation::update_line(&e.updates[0]);
        assert!(
            w_line.starts_with("w <- ") && w_line.contains(" x ") && w_line.contains(" = "),
            "{w_line}"
        );
        assert_eq!(w_line.matches(" - ").count(), 1);
    }

    // A line search's update lists the points it tried, with J at each.
    #[test]
    fn armijo_lists_its_trials() {
        let run = run(OptimizerKind::GdArmijo, 0.0);
        let detail = run.step_detail(1).expect("recorded");
        let mut e = explain_step(
            &detail,
            &run.settings().optimizer,
            run.state_at(0).as_ref(),
            0,
        );
        let trials = run.trials(1);
        assert!(!trials.is_empty());
        add_trials(&mut e, trials);
        let text = e.to_text();
        assert!(text.contains("more point(s) in this update"), "{text}");
        assert!(
            text.contains(&format!("J = {}", num(trials[0].cost))),
            "{text}"
        );
    }

    // Numbers: three decimals in the everyday range, scientific notation outside it.
    #[test]
    fn number_format() {
        assert_eq!(num(0.52), "0.520");
        assert_eq!(num(-1.3), "-1.300");
        assert_eq!(num(0.0), "0.000");
        assert_eq!(num(0.001), "0.00100");
        assert_eq!(num(1.5e-5), "1.500e-5");
        assert_eq!(num(2.5e6), "2.500e6");
        assert_eq!(num(f64::NAN), "NaN");
    }
}
