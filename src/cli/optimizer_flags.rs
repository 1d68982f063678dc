//! The optimizer's hyper-parameter flags, shared by `run`, `map`, `race` and `range-test`.
//! Flag names are torch's parameter names in kebab-case.

use crate::engine::optim::{LineSearch, OptimizerKind, OptimizerSettings};

/// Hyper-parameters of the update rules (each flag applies to the rules that have it).
#[derive(clap::Args, Debug, Default)]
pub struct OptimizerFlags {
    /// Momentum factor: sgd (0), momentum and nesterov (0.9), rmsprop (0).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub momentum: Option<f64>,
    /// Dampening of the momentum buffer: sgd and momentum (default 0).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub dampening: Option<f64>,
    /// Nesterov momentum: sgd (with --momentum) and momentum.
    #[arg(long)]
    pub nesterov: bool,
    /// Decay of the gradient average: adam, adamw, adamax, nadam, radam (default 0.9).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub beta1: Option<f64>,
    /// Decay of the squared-gradient average: adam, adamw, adamax, nadam, radam (0.999).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub beta2: Option<f64>,
    /// Stability constant: adagrad (1e-10), adadelta (1e-6), adafactor's first eps (its
    /// default follows the float type), the others 1e-8.
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub eps: Option<f64>,
    /// rmsprop's smoothing constant (0.99); asgd's power of the step-size decay (0.75).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub alpha: Option<f64>,
    /// Weight decay (L2 added to the gradient; decoupled for adamw, default 0.01 there).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub weight_decay: Option<f64>,
    /// AMSGrad variant of adam/adamw.
    #[arg(long)]
    pub amsgrad: bool,
    /// adagrad's learning-rate decay (default 0).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub lr_decay: Option<f64>,
    /// adagrad's starting sum of squares (default 0).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub initial_accumulator_value: Option<f64>,
    /// Centered rmsprop (divides by the gradient's estimated variance).
    #[arg(long)]
    pub centered: bool,
    /// adadelta's decay of its running averages (default 0.9).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub rho: Option<f64>,
    /// nadam's momentum decay (default 0.004).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub momentum_decay: Option<f64>,
    /// Decoupled (AdamW-style) weight decay for nadam and radam.
    #[arg(long)]
    pub decoupled_weight_decay: bool,
    /// rprop's step-size factors after a sign change and after the same sign (0.5,1.2).
    #[arg(long, value_name = "MINUS,PLUS", allow_hyphen_values = true)]
    pub etas: Option<String>,
    /// rprop's smallest and largest step sizes (1e-6,50).
    #[arg(long, value_name = "MIN,MAX", allow_hyphen_values = true)]
    pub step_sizes: Option<String>,
    /// asgd's decay term (default 1e-4).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub lambd: Option<f64>,
    /// asgd's iteration at which averaging starts (default 1e6).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub t0: Option<f64>,
    /// adafactor's decay rate of its second moment (default -0.8).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub beta2_decay: Option<f64>,
    /// adafactor's second eps, the smallest relative step (default 1e-3).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub eps2: Option<f64>,
    /// adafactor's clipping threshold (default 1).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub d: Option<f64>,
    /// lbfgs's number of stored curvature pairs (default 100).
    #[arg(long, value_name = "N")]
    pub history_size: Option<u32>,
    /// lbfgs's inner iterations per step (default 20).
    #[arg(long, value_name = "N")]
    pub max_iter: Option<u32>,
    /// lbfgs's limit on function evaluations per step (default max-iter * 5 / 4).
    #[arg(long, value_name = "N")]
    pub max_eval: Option<u32>,
    /// lbfgs stops a step when the largest gradient entry is at most this (default 1e-7).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub tolerance_grad: Option<f64>,
    /// lbfgs stops a step when the change is at most this (default 1e-9).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub tolerance_change: Option<f64>,
    /// lbfgs's line search: none (default) or strong_wolfe.
    #[arg(long, value_name = "none|strong_wolfe")]
    pub line_search: Option<String>,
    /// gd-armijo's factor applied to a rejected step (default 0.5).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub shrink: Option<f64>,
    /// gd-armijo's sufficient-decrease constant (default 1e-4).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub c1: Option<f64>,
}

/// A pair written `A,B`.
fn pair(flag: &str, text: &str) -> Result<(f64, f64), String> {
    let parsed = text
        .split_once(',')
        .and_then(|(a, b)| Some((a.trim().parse::<f64>().ok()?, b.trim().parse::<f64>().ok()?)));
    parsed.ok_or_else(|| format!("{flag} takes two numbers as A,B, got {text:?}"))
}

impl OptimizerFlags {
    /// The rule `kind` with PyTorch's defaults changed by the flags. A flag the rule does not
    /// have is an error, or is skipped when `skip_others` is set.
    pub fn settings(
        &self,
        kind: OptimizerKind,
        skip_others: bool,
    ) -> Result<OptimizerSettings, String> {
        use OptimizerSettings as O;
        let mut optimizer = OptimizerSettings::default_for(kind);
        let not_for = |flag: &str| format!("{flag} does not apply to {kind}");
        // Sets one number through `field`, which finds it in the rules that have it.
        let mut number = |flag: &str,
                          value: Option<f64>,
                          field: fn(&mut O) -> Option<&mut f64>|
         -> Result<(), String> {
            let Some(v) = value else { return Ok(()) };
            match field(&mut optimizer) {
                Some(slot) => *slot = v,
                None if skip_others => {}
                None => return Err(not_for(flag)),
            }
            Ok(())
        };
        number("--momentum", self.momentum, |o| match o {
            O::Sgd { momentum, .. }
            | O::Momentum { momentum, .. }
            | O::Nesterov { momentum, .. }
            | O::Rmsprop { momentum, .. } => Some(momentum),
            _ => None,
        })?;
        number("--dampening", self.dampening, |o| match o {
            O::Sgd { dampening, .. } | O::Momentum { dampening, .. } => Some(dampening),
            _ => None,
        })?;
        number("--beta1", self.beta1, |o| match o {
            O::Adam { beta1, .. }
            | O::Adamw { beta1, .. }
            | O::Adamax { beta1, .. }
            | O::Nadam { beta1, .. }
            | O::Radam { beta1, .. } => Some(beta1),
            _ => None,
        })?;
        number("--beta2", self.beta2, |o| match o {
            O::Adam { beta2, .. }
            | O::Adamw { beta2, .. }
            | O::Adamax { beta2, .. }
            | O::Nadam { beta2, .. }
            | O::Radam { beta2, .. } => Some(beta2),
            _ => None,
        })?;
        number("--eps", self.eps, |o| match o {
            O::Adagrad { eps, .. }
            | O::Rmsprop { eps, .. }
            | O::Adadelta { eps, .. }
            | O::Adam { eps, .. }
            | O::Adamw { eps, .. }
            | O::Adamax { eps, .. }
            | O::Nadam { eps, .. }
            | O::Radam { eps, .. } => Some(eps),
            O::Adafactor { eps1, .. } => Some(eps1.get_or_insert(f64::EPSILON)),
            _ => None,
        })?;
        number("--alpha", self.alpha, |o| match o {
            O::Rmsprop { alpha, .. } | O::Asgd { alpha, .. } => Some(alpha),
            _ => None,
        })?;
        number("--weight-decay", self.weight_decay, O::weight_decay_mut)?;
        number("--lr-decay", self.lr_decay, |o| match o {
            O::Adagrad { lr_decay, .. } => Some(lr_decay),
            _ => None,
        })?;
        number(
            "--initial-accumulator-value",
            self.initial_accumulator_value,
            |o| match o {
                O::Adagrad {
                    initial_accumulator_value,
                    ..
                } => Some(initial_accumulator_value),
                _ => None,
            },
        )?;
        number("--rho", self.rho, |o| match o {
            O::Adadelta { rho, .. } => Some(rho),
            _ => None,
        })?;
        number("--momentum-decay", self.momentum_decay, |o| match o {
            O::Nadam { momentum_decay, .. } => Some(momentum_decay),
            _ => None,
        })?;
        number("--lambd", self.lambd, |o| match o {
            O::Asgd { lambd, .. } => Some(lambd),
            _ => None,
        })?;
        number("--t0", self.t0, |o| match o {
            O::Asgd { t0, .. } => Some(t0),
            _ => None,
        })?;
        number("--beta2-decay", self.beta2_decay, |o| match o {
            O::Adafactor { beta2_decay, .. } => Some(beta2_decay),
            _ => None,
        })?;
        number("--eps2", self.eps2, |o| match o {
            O::Adafactor { eps2, .. } => Some(eps2),
            _ => None,
        })?;
        number("--d", self.d, |o| match o {
            O::Adafactor { d, .. } => Some(d),
            _ => None,
        })?;
        number("--tolerance-grad", self.tolerance_grad, |o| match o {
            O::Lbfgs { tolerance_grad, .. } => Some(tolerance_grad),
            _ => None,
        })?;
        number("--tolerance-change", self.tolerance_change, |o| match o {
            O::Lbfgs {
                tolerance_change, ..
            } => Some(tolerance_change),
            _ => None,
        })?;
        number("--shrink", self.shrink, |o| match o {
            O::GdArmijo { shrink, .. } => Some(shrink),
            _ => None,
        })?;
        number("--c1", self.c1, |o| match o {
            O::GdArmijo { c1, .. } => Some(c1),
            _ => None,
        })?;
        if let Some(text) = &self.etas {
            let (minus, plus) = pair("--etas", text)?;
            number("--etas", Some(minus), |o| match o {
                O::Rprop { eta_minus, .. } => Some(eta_minus),
                _ => None,
            })?;
            number("--etas", Some(plus), |o| match o {
                O::Rprop { eta_plus, .. } => Some(eta_plus),
                _ => None,
            })?;
        }
        if let Some(text) = &self.step_sizes {
            let (min, max) = pair("--step-sizes", text)?;
            number("--step-sizes", Some(min), |o| match o {
                O::Rprop { step_size_min, .. } => Some(step_size_min),
                _ => None,
            })?;
            number("--step-sizes", Some(max), |o| match o {
                O::Rprop { step_size_max, .. } => Some(step_size_max),
                _ => None,
            })?;
        }
        let mut flag = |flag: &str, on: bool, field: fn(&mut O) -> Option<&mut bool>| {
            if !on {
                return Ok(());
            }
            match field(&mut optimizer) {
                Some(slot) => *slot = true,
                None if skip_others => {}
                None => return Err(not_for(flag)),
            }
            Ok(())
        };
        flag("--nesterov", self.nesterov, |o| match o {
            O::Sgd { nesterov, .. } | O::Momentum { nesterov, .. } => Some(nesterov),
            _ => None,
        })?;
        flag("--amsgrad", self.amsgrad, |o| match o {
            O::Adam { amsgrad, .. } | O::Adamw { amsgrad, .. } => Some(amsgrad),
            _ => None,
        })?;
        flag("--centered", self.centered, |o| match o {
            O::Rmsprop { centered, .. } => Some(centered),
            _ => None,
        })?;
        flag(
            "--decoupled-weight-decay",
            self.decoupled_weight_decay,
            |o| match o {
                O::Nadam {
                    decoupled_weight_decay,
                    ..
                }
                | O::Radam {
                    decoupled_weight_decay,
                    ..
                } => Some(decoupled_weight_decay),
                _ => None,
            },
        )?;
        let lbfgs_flags = [
            ("--history-size", self.history_size),
            ("--max-iter", self.max_iter),
            ("--max-eval", self.max_eval),
        ];
        for (flag, value) in lbfgs_flags {
            let Some(v) = value else { continue };
            match &mut optimizer {
                O::Lbfgs {
                    history_size,
                    max_iter,
                    max_eval,
                    ..
                } => match flag {
                    "--history-size" => *history_size = v,
                    "--max-iter" => *max_iter = v,
                    _ => *max_eval = Some(v),
                },
                _ if skip_others => {}
                _ => return Err(not_for(flag)),
            }
        }
        if let Some(text) = &self.line_search {
            let search: LineSearch = text.parse()?;
            match &mut optimizer {
                O::Lbfgs { line_search_fn, .. } => *line_search_fn = search,
                _ if skip_others => {}
                _ => return Err(not_for("--line-search")),
            }
        }
        optimizer.validate().map_err(|e| e.to_string())?;
        Ok(optimizer)
    }
}
