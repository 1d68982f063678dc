//! The serializable description of an optimizer and its hyper-parameters.

use std::fmt;
use std::str::FromStr;

use super::{
    AdaGrad, Adadelta, Adafactor, Adam, AdamW, Adamax, Armijo, Asgd, GradientDescent, Lbfgs,
    Momentum, NAdam, Newton, Optimizer, RAdam, RmsProp, Rprop,
};
use crate::engine::limits::{LBFGS_HISTORY_RANGE, LBFGS_ITERATIONS_RANGE};

/// Which update rule. The lowercase [`OptimizerKind::name`] is what the command line and
/// saved files use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OptimizerKind {
    /// Gradient descent: theta -= lr * g.
    Gd,
    /// torch's `SGD`: gradient descent with optional momentum, dampening and Nesterov;
    /// "stochastic" comes from a batch size smaller than the dataset.
    Sgd,
    /// SGD with (heavy-ball) momentum.
    Momentum,
    /// SGD with Nesterov momentum.
    Nesterov,
    /// AdaGrad: per-parameter steps shrinking with the sum of squared gradients.
    Adagrad,
    /// RMSProp: per-parameter steps scaled by a moving average of squared gradients.
    Rmsprop,
    /// Adadelta: steps in the units of the parameters, from two moving averages.
    Adadelta,
    /// Adam: bias-corrected moving averages of the gradient and its square.
    Adam,
    /// AdamW: Adam with decoupled weight decay.
    Adamw,
    /// Adamax: Adam with an infinity norm in place of the squared average.
    Adamax,
    /// NAdam: Adam with Nesterov momentum.
    Nadam,
    /// RAdam: Adam whose adaptive step is switched on (rectified) once its variance is
    /// trustworthy.
    Radam,
    /// Adafactor: relative steps scaled by each parameter's size.
    Adafactor,
    /// Rprop: steps from the gradient's sign only, each growing or shrinking on its own.
    Rprop,
    /// ASGD: SGD that also keeps a running average of the parameters.
    Asgd,
    /// Gradient descent with a backtracking (Armijo) line search.
    GdArmijo,
    /// L-BFGS: a quasi-Newton method built from recent gradient differences.
    Lbfgs,
    /// Damped Newton's method (second order).
    Newton,
}

/// How the picker groups the rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerFamily {
    /// Gradient descent and SGD.
    Plain,
    /// Momentum, Nesterov, ASGD.
    Momentum,
    /// Per-parameter step sizes from past gradients.
    Adaptive,
    /// Curvature: Newton, L-BFGS.
    SecondOrder,
    /// A step size chosen by trying points along the gradient.
    LineSearch,
}

impl OptimizerFamily {
    /// Every family, in the picker's order.
    pub const ALL: [Self; 5] = [
        Self::Plain,
        Self::Momentum,
        Self::Adaptive,
        Self::SecondOrder,
        Self::LineSearch,
    ];

    /// The heading shown above the family's rules.
    pub fn label(self) -> &'static str {
        match self {
            Self::Plain => "Plain",
            Self::Momentum => "Momentum",
            Self::Adaptive => "Adaptive",
            Self::SecondOrder => "Second order",
            Self::LineSearch => "Line search",
        }
    }
}

impl OptimizerKind {
    /// Every rule, in teaching order.
    pub const ALL: [Self; 18] = [
        Self::Gd,
        Self::Sgd,
        Self::Momentum,
        Self::Nesterov,
        Self::Asgd,
        Self::Adagrad,
        Self::Rmsprop,
        Self::Adadelta,
        Self::Adam,
        Self::Adamw,
        Self::Adamax,
        Self::Nadam,
        Self::Radam,
        Self::Adafactor,
        Self::Rprop,
        Self::Newton,
        Self::Lbfgs,
        Self::GdArmijo,
    ];

    /// The lowercase name used on the command line and in saved files (`"adam"`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Gd => "gd",
            Self::Sgd => "sgd",
            Self::Momentum => "momentum",
            Self::Nesterov => "nesterov",
            Self::Adagrad => "adagrad",
            Self::Rmsprop => "rmsprop",
            Self::Adadelta => "adadelta",
            Self::Adam => "adam",
            Self::Adamw => "adamw",
            Self::Adamax => "adamax",
            Self::Nadam => "nadam",
            Self::Radam => "radam",
            Self::Adafactor => "adafactor",
            Self::Rprop => "rprop",
            Self::Asgd => "asgd",
            Self::GdArmijo => "gd-armijo",
            Self::Lbfgs => "lbfgs",
            Self::Newton => "newton",
        }
    }

    /// The name shown to a learner (`"AdaGrad"`).
    pub fn label(self) -> &'static str {
        match self {
            Self::Gd => "Gradient descent",
            Self::Sgd => "SGD",
            Self::Momentum => "Momentum",
            Self::Nesterov => "Nesterov",
            Self::Adagrad => "AdaGrad",
            Self::Rmsprop => "RMSProp",
            Self::Adadelta => "Adadelta",
            Self::Adam => "Adam",
            Self::Adamw => "AdamW",
            Self::Adamax => "Adamax",
            Self::Nadam => "NAdam",
            Self::Radam => "RAdam",
            Self::Adafactor => "Adafactor",
            Self::Rprop => "Rprop",
            Self::Asgd => "ASGD",
            Self::GdArmijo => "GD + Armijo line search",
            Self::Lbfgs => "L-BFGS",
            Self::Newton => "Newton",
        }
    }

    /// The picker's group.
    pub fn family(self) -> OptimizerFamily {
        match self {
            Self::Gd | Self::Sgd => OptimizerFamily::Plain,
            Self::Momentum | Self::Nesterov | Self::Asgd => OptimizerFamily::Momentum,
            Self::Adagrad
            | Self::Rmsprop
            | Self::Adadelta
            | Self::Adam
            | Self::Adamw
            | Self::Adamax
            | Self::Nadam
            | Self::Radam
            | Self::Adafactor
            | Self::Rprop => OptimizerFamily::Adaptive,
            Self::Newton | Self::Lbfgs => OptimizerFamily::SecondOrder,
            Self::GdArmijo => OptimizerFamily::LineSearch,
        }
    }

    /// PyTorch's default learning rate for this rule; `None` for the SGD family and the
    /// line search (whose first trial step is the learning rate), where the learner has to
    /// choose one (as the command line's `--lr`).
    pub fn default_learning_rate(self) -> Option<f64> {
        match self {
            Self::Gd | Self::Sgd | Self::Momentum | Self::Nesterov | Self::GdArmijo => None,
            Self::Adagrad | Self::Rmsprop | Self::Rprop | Self::Asgd | Self::Adafactor => {
                Some(0.01)
            }
            Self::Adam | Self::Adamw | Self::Radam => Some(0.001),
            Self::Adamax | Self::Nadam => Some(0.002),
            Self::Adadelta | Self::Lbfgs | Self::Newton => Some(1.0),
        }
    }

    /// False for the rules that step w and b together (L-BFGS, as torch's, takes one
    /// parameter group; the line search picks one step size for both), so b cannot have a
    /// learning rate of its own.
    pub fn supports_parameter_groups(self) -> bool {
        !matches!(self, Self::Lbfgs | Self::GdArmijo)
    }
}

impl fmt::Display for OptimizerKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for OptimizerKind {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase();
        Self::ALL
            .into_iter()
            .find(|k| k.name() == wanted)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|k| k.name()).collect();
                format!(
                    "unknown optimizer {s:?}; expected one of {}",
                    names.join(", ")
                )
            })
    }
}

/// L-BFGS's line search (torch's `line_search_fn`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LineSearch {
    /// A fixed step of the learning rate along the quasi-Newton direction.
    #[default]
    None,
    /// A step satisfying the strong Wolfe conditions (c1 = 1e-4, c2 = 0.9).
    StrongWolfe,
}

impl LineSearch {
    /// The command-line name (`none`, `strong_wolfe`).
    pub fn name(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::StrongWolfe => "strong_wolfe",
        }
    }
}

impl FromStr for LineSearch {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "none" => Ok(Self::None),
            "strong_wolfe" | "strong-wolfe" => Ok(Self::StrongWolfe),
            _ => Err(format!(
                "unknown line search {s:?}; expected none or strong_wolfe"
            )),
        }
    }
}

/// An optimizer and its hyper-parameters, with PyTorch's defaults (the learning rate lives
/// in the run's settings, since a schedule changes it).
///
/// Saved as a table tagged by `rule`, e.g. `{ rule = "adam", beta1 = 0.9, ... }`; a missing
/// field takes its default.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum OptimizerSettings {
    /// Gradient descent.
    Gd {
        /// L2 penalty added to the gradient: g += weight_decay * theta (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// torch's `SGD`: gradient descent, with momentum when `momentum` > 0.
    Sgd {
        /// Momentum factor mu (default 0: none).
        #[serde(default)]
        momentum: f64,
        /// Share of each new gradient damped out of the velocity (default 0).
        #[serde(default)]
        dampening: f64,
        /// Nesterov momentum (default false; needs momentum > 0 and dampening 0).
        #[serde(default)]
        nesterov: bool,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with momentum (torch `SGD(momentum=mu)`).
    Momentum {
        /// Momentum factor mu (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// Share of each new gradient damped out of the velocity (default 0).
        #[serde(default)]
        dampening: f64,
        /// Nesterov momentum (default false; needs dampening 0).
        #[serde(default)]
        nesterov: bool,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with Nesterov momentum, as older files write it: the same rule as `Momentum`
    /// with `nesterov = true`.
    Nesterov {
        /// Momentum factor mu (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// AdaGrad (torch `Adagrad`).
    Adagrad {
        /// Decay of the learning rate: lr / (1 + (t - 1) lr_decay) (default 0).
        #[serde(default)]
        lr_decay: f64,
        /// Starting value of the sum of squares (default 0).
        #[serde(default)]
        initial_accumulator_value: f64,
        /// Added to the denominator for stability (default 1e-10).
        #[serde(default = "default_adagrad_eps")]
        eps: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// RMSProp (torch `RMSprop`).
    Rmsprop {
        /// Smoothing constant of the squared-gradient average (default 0.99).
        #[serde(default = "default_alpha")]
        alpha: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// Momentum factor of the step (default 0: none).
        #[serde(default)]
        momentum: f64,
        /// Divide by the gradient's estimated variance instead of its mean square (default
        /// false).
        #[serde(default)]
        centered: bool,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// Adadelta (torch `Adadelta`; its default learning rate is 1).
    Adadelta {
        /// Decay of both moving averages (default 0.9).
        #[serde(default = "default_rho")]
        rho: f64,
        /// Added inside both square roots (default 1e-6).
        #[serde(default = "default_adadelta_eps")]
        eps: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// Adam (torch `Adam`).
    Adam {
        /// Decay of the gradient average m (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// Decay of the squared-gradient average v (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
        /// Use the running maximum of v (AMSGrad; default false).
        #[serde(default)]
        amsgrad: bool,
    },
    /// AdamW (torch `AdamW`): Adam with decoupled weight decay.
    Adamw {
        /// Decay of the gradient average m (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// Decay of the squared-gradient average v (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// Decoupled decay: theta *= 1 - lr * weight_decay before the step (default 0.01).
        #[serde(default = "default_adamw_weight_decay")]
        weight_decay: f64,
        /// Use the running maximum of v (AMSGrad; default false).
        #[serde(default)]
        amsgrad: bool,
    },
    /// Adamax (torch `Adamax`).
    Adamax {
        /// Decay of the gradient average m (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// Decay of the infinity norm u (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// Added to |g| before the maximum (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// NAdam (torch `NAdam`).
    Nadam {
        /// Decay of the gradient average m (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// Decay of the squared-gradient average v (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// Weight decay (default 0), L2 or decoupled.
        #[serde(default)]
        weight_decay: f64,
        /// How fast the momentum schedule mu_t rises to beta1 (default 0.004).
        #[serde(default = "default_momentum_decay")]
        momentum_decay: f64,
        /// Decay theta directly as AdamW does, not through the gradient (default false).
        #[serde(default)]
        decoupled_weight_decay: bool,
    },
    /// RAdam (torch `RAdam`).
    Radam {
        /// Decay of the gradient average m (default 0.9).
        #[serde(default = "default_beta1")]
        beta1: f64,
        /// Decay of the squared-gradient average v (default 0.999).
        #[serde(default = "default_beta2")]
        beta2: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
        eps: f64,
        /// Weight decay (default 0), L2 or decoupled.
        #[serde(default)]
        weight_decay: f64,
        /// Decay theta directly as AdamW does, not through the gradient (default false).
        #[serde(default)]
        decoupled_weight_decay: bool,
    },
    /// Adafactor (torch `Adafactor`, for the two 0-d parameters w and b).
    Adafactor {
        /// Exponent of the second-moment decay: 1 - beta2_t = t^beta2_decay (default -0.8).
        #[serde(default = "default_beta2_decay")]
        beta2_decay: f64,
        /// Floor of the squared-gradient estimate, squared before use (absent: the machine
        /// epsilon, torch's `None`).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        eps1: Option<f64>,
        /// Floor of the parameter's size in the relative step (default 1e-3).
        #[serde(default = "default_eps2")]
        eps2: f64,
        /// Clipping threshold of the update's RMS (default 1).
        #[serde(default = "default_d")]
        d: f64,
        /// Decoupled decay: theta *= 1 - lr * weight_decay (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// Rprop (torch `Rprop`); the learning rate is each step size's start.
    Rprop {
        /// Factor a step size shrinks by when the gradient changes sign (default 0.5).
        #[serde(default = "default_eta_minus")]
        eta_minus: f64,
        /// Factor a step size grows by when the sign stays (default 1.2).
        #[serde(default = "default_eta_plus")]
        eta_plus: f64,
        /// Smallest step size (default 1e-6).
        #[serde(default = "default_step_size_min")]
        step_size_min: f64,
        /// Largest step size (default 50).
        #[serde(default = "default_step_size_max")]
        step_size_max: f64,
    },
    /// ASGD (torch `ASGD`): averaged stochastic gradient descent.
    Asgd {
        /// Decay term lambda (default 1e-4).
        #[serde(default = "default_lambd")]
        lambd: f64,
        /// Power of the step-size decay eta_t (default 0.75).
        #[serde(default = "default_asgd_alpha")]
        alpha: f64,
        /// Step at which averaging starts (default 1e6).
        #[serde(default = "default_t0")]
        t0: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// Gradient descent with a backtracking (Armijo) line search; the learning rate is the
    /// first step size tried.
    #[serde(rename = "gd-armijo")]
    GdArmijo {
        /// Factor the step size shrinks by after a failed trial (default 0.5).
        #[serde(default = "default_shrink")]
        shrink: f64,
        /// Sufficient decrease: J must drop by at least c1 * t * |g|^2 (default 1e-4).
        #[serde(default = "default_c1")]
        c1: f64,
    },
    /// L-BFGS (torch `LBFGS`).
    Lbfgs {
        /// Most inner iterations per step (default 20).
        #[serde(default = "default_max_iter")]
        max_iter: u32,
        /// Most evaluations of J per step (absent: max_iter * 5 / 4, torch's default).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_eval: Option<u32>,
        /// A step ends when every |gradient component| <= this (default 1e-7).
        #[serde(default = "default_tolerance_grad")]
        tolerance_grad: f64,
        /// A step ends when the change of J or of theta is below this (default 1e-9).
        #[serde(default = "default_tolerance_change")]
        tolerance_change: f64,
        /// Curvature pairs kept (default 100).
        #[serde(default = "default_history_size")]
        history_size: u32,
        /// The line search (default none: a fixed step of the learning rate).
        #[serde(default)]
        line_search_fn: LineSearch,
    },
    /// Damped Newton's method.
    Newton {},
}

fn default_momentum() -> f64 {
    0.9
}
fn default_adagrad_eps() -> f64 {
    1e-10
}
fn default_alpha() -> f64 {
    0.99
}
fn default_eps() -> f64 {
    1e-8
}
fn default_beta1() -> f64 {
    0.9
}
fn default_beta2() -> f64 {
    0.999
}
fn default_adamw_weight_decay() -> f64 {
    0.01
}
fn default_rho() -> f64 {
    0.9
}
fn default_adadelta_eps() -> f64 {
    1e-6
}
fn default_momentum_decay() -> f64 {
    4e-3
}
fn default_beta2_decay() -> f64 {
    -0.8
}
fn default_eps2() -> f64 {
    1e-3
}
fn default_d() -> f64 {
    1.0
}
fn default_eta_minus() -> f64 {
    0.5
}
fn default_eta_plus() -> f64 {
    1.2
}
fn default_step_size_min() -> f64 {
    1e-6
}
fn default_step_size_max() -> f64 {
    50.0
}
fn default_lambd() -> f64 {
    1e-4
}
fn default_asgd_alpha() -> f64 {
    0.75
}
fn default_t0() -> f64 {
    1e6
}
fn default_shrink() -> f64 {
    0.5
}
fn default_c1() -> f64 {
    1e-4
}
fn default_max_iter() -> u32 {
    20
}
fn default_tolerance_grad() -> f64 {
    1e-7
}
fn default_tolerance_change() -> f64 {
    1e-9
}
fn default_history_size() -> u32 {
    100
}

impl Default for OptimizerSettings {
    fn default() -> Self {
        Self::default_for(OptimizerKind::Gd)
    }
}

/// A hyper-parameter out of its valid range (torch raises the same errors).
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsError(pub String);

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SettingsError {}

impl OptimizerSettings {
    /// The rule with PyTorch's default hyper-parameters (momentum 0.9 for the momentum
    /// rules, where torch's SGD default of 0 would mean no momentum at all).
    pub fn default_for(kind: OptimizerKind) -> Self {
        let (beta1, beta2, eps) = (default_beta1(), default_beta2(), default_eps());
        match kind {
            OptimizerKind::Gd => Self::Gd { weight_decay: 0.0 },
            OptimizerKind::Sgd => Self::Sgd {
                momentum: 0.0,
                dampening: 0.0,
                nesterov: false,
                weight_decay: 0.0,
            },
            OptimizerKind::Momentum | OptimizerKind::Nesterov => Self::Momentum {
                momentum: default_momentum(),
                dampening: 0.0,
                nesterov: kind == OptimizerKind::Nesterov,
                weight_decay: 0.0,
            },
            OptimizerKind::Adagrad => Self::Adagrad {
                lr_decay: 0.0,
                initial_accumulator_value: 0.0,
                eps: default_adagrad_eps(),
                weight_decay: 0.0,
            },
            OptimizerKind::Rmsprop => Self::Rmsprop {
                alpha: default_alpha(),
                eps,
                momentum: 0.0,
                centered: false,
                weight_decay: 0.0,
            },
            OptimizerKind::Adadelta => Self::Adadelta {
                rho: default_rho(),
                eps: default_adadelta_eps(),
                weight_decay: 0.0,
            },
            OptimizerKind::Adam => Self::Adam {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
                amsgrad: false,
            },
            OptimizerKind::Adamw => Self::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay: default_adamw_weight_decay(),
                amsgrad: false,
            },
            OptimizerKind::Adamax => Self::Adamax {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
            },
            OptimizerKind::Nadam => Self::Nadam {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
                momentum_decay: default_momentum_decay(),
                decoupled_weight_decay: false,
            },
            OptimizerKind::Radam => Self::Radam {
                beta1,
                beta2,
                eps,
                weight_decay: 0.0,
                decoupled_weight_decay: false,
            },
            OptimizerKind::Adafactor => Self::Adafactor {
                beta2_decay: default_beta2_decay(),
                eps1: None,
                eps2: default_eps2(),
                d: default_d(),
                weight_decay: 0.0,
            },
            OptimizerKind::Rprop => Self::Rprop {
                eta_minus: default_eta_minus(),
                eta_plus: default_eta_plus(),
                step_size_min: default_step_size_min(),
                step_size_max: default_step_size_max(),
            },
            OptimizerKind::Asgd => Self::Asgd {
                lambd: default_lambd(),
                alpha: default_asgd_alpha(),
                t0: default_t0(),
                weight_decay: 0.0,
            },
            OptimizerKind::GdArmijo => Self::GdArmijo {
                shrink: default_shrink(),
                c1: default_c1(),
            },
            OptimizerKind::Lbfgs => Self::Lbfgs {
                max_iter: default_max_iter(),
                max_eval: None,
                tolerance_grad: default_tolerance_grad(),
                tolerance_change: default_tolerance_change(),
                history_size: default_history_size(),
                line_search_fn: LineSearch::None,
            },
            OptimizerKind::Newton => Self::Newton {},
        }
    }

    /// Which rule these settings describe (momentum with `nesterov` is Nesterov).
    pub fn kind(&self) -> OptimizerKind {
        match *self {
            Self::Gd { .. } => OptimizerKind::Gd,
            Self::Sgd { .. } => OptimizerKind::Sgd,
            Self::Momentum { nesterov, .. } => {
                if nesterov {
                    OptimizerKind::Nesterov
                } else {
                    OptimizerKind::Momentum
                }
            }
            Self::Nesterov { .. } => OptimizerKind::Nesterov,
            Self::Adagrad { .. } => OptimizerKind::Adagrad,
            Self::Rmsprop { .. } => OptimizerKind::Rmsprop,
            Self::Adadelta { .. } => OptimizerKind::Adadelta,
            Self::Adam { .. } => OptimizerKind::Adam,
            Self::Adamw { .. } => OptimizerKind::Adamw,
            Self::Adamax { .. } => OptimizerKind::Adamax,
            Self::Nadam { .. } => OptimizerKind::Nadam,
            Self::Radam { .. } => OptimizerKind::Radam,
            Self::Adafactor { .. } => OptimizerKind::Adafactor,
            Self::Rprop { .. } => OptimizerKind::Rprop,
            Self::Asgd { .. } => OptimizerKind::Asgd,
            Self::GdArmijo { .. } => OptimizerKind::GdArmijo,
            Self::Lbfgs { .. } => OptimizerKind::Lbfgs,
            Self::Newton {} => OptimizerKind::Newton,
        }
    }

    /// The weight decay, where the rule has one.
    pub fn weight_decay(&self) -> Option<f64> {
        let mut copy = *self;
        copy.weight_decay_mut().map(|wd| *wd)
    }

    /// The weight decay to edit, where the rule has one.
    pub fn weight_decay_mut(&mut self) -> Option<&mut f64> {
        match self {
            Self::Gd { weight_decay }
            | Self::Sgd { weight_decay, .. }
            | Self::Momentum { weight_decay, .. }
            | Self::Nesterov { weight_decay, .. }
            | Self::Adagrad { weight_decay, .. }
            | Self::Rmsprop { weight_decay, .. }
            | Self::Adadelta { weight_decay, .. }
            | Self::Adam { weight_decay, .. }
            | Self::Adamw { weight_decay, .. }
            | Self::Adamax { weight_decay, .. }
            | Self::Nadam { weight_decay, .. }
            | Self::Radam { weight_decay, .. }
            | Self::Adafactor { weight_decay, .. }
            | Self::Asgd { weight_decay, .. } => Some(weight_decay),
            Self::Rprop { .. } | Self::GdArmijo { .. } | Self::Lbfgs { .. } | Self::Newton {} => {
                None
            }
        }
    }

    /// The momentum factor of SGD's momentum rules, if these settings have one.
    pub fn sgd_momentum(&self) -> Option<f64> {
        match *self {
            Self::Sgd { momentum, .. }
            | Self::Momentum { momentum, .. }
            | Self::Nesterov { momentum, .. } => Some(momentum),
            _ => None,
        }
    }

    /// Checks every hyper-parameter against torch's valid ranges.
    pub fn validate(&self) -> Result<(), SettingsError> {
        fn check(name: &str, value: f64, ok: bool, range: &str) -> Result<(), SettingsError> {
            if value.is_finite() && ok {
                Ok(())
            } else {
                Err(SettingsError(format!(
                    "invalid {name}: {value} (it must be {range})"
                )))
            }
        }
        let unit = |name: &str, v: f64| check(name, v, (0.0..1.0).contains(&v), "in [0, 1)");
        let at_least_zero = |name: &str, v: f64| check(name, v, v >= 0.0, "at least 0");
        if let Some(wd) = self.weight_decay() {
            at_least_zero("weight_decay", wd)?;
        }
        let nesterov_needs = |momentum: f64, dampening: f64| {
            if momentum <= 0.0 || dampening != 0.0 {
                Err(SettingsError(
                    "Nesterov momentum needs momentum > 0 and dampening 0".into(),
                ))
            } else {
                Ok(())
            }
        };
        match *self {
            Self::Sgd {
                momentum,
                dampening,
                nesterov,
                ..
            }
            | Self::Momentum {
                momentum,
                dampening,
                nesterov,
                ..
            } => {
                at_least_zero("momentum", momentum)?;
                check("dampening", dampening, dampening.is_finite(), "a number")?;
                if nesterov {
                    nesterov_needs(momentum, dampening)?;
                }
                Ok(())
            }
            Self::Nesterov { momentum, .. } => nesterov_needs(momentum, 0.0),
            Self::Adagrad {
                lr_decay,
                initial_accumulator_value,
                eps,
                ..
            } => {
                at_least_zero("lr_decay", lr_decay)?;
                at_least_zero("initial_accumulator_value", initial_accumulator_value)?;
                at_least_zero("eps", eps)
            }
            Self::Rmsprop {
                alpha,
                eps,
                momentum,
                ..
            } => {
                at_least_zero("alpha", alpha)?;
                at_least_zero("eps", eps)?;
                at_least_zero("momentum", momentum)
            }
            Self::Adadelta { rho, eps, .. } => {
                check("rho", rho, (0.0..=1.0).contains(&rho), "in [0, 1]")?;
                at_least_zero("eps", eps)
            }
            Self::Adam {
                beta1, beta2, eps, ..
            }
            | Self::Adamw {
                beta1, beta2, eps, ..
            }
            | Self::Adamax {
                beta1, beta2, eps, ..
            }
            | Self::Radam {
                beta1, beta2, eps, ..
            } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                at_least_zero("eps", eps)
            }
            Self::Nadam {
                beta1,
                beta2,
                eps,
                momentum_decay,
                ..
            } => {
                unit("beta1", beta1)?;
                unit("beta2", beta2)?;
                at_least_zero("eps", eps)?;
                at_least_zero("momentum_decay", momentum_decay)
            }
            Self::Adafactor {
                beta2_decay,
                eps1,
                eps2,
                d,
                ..
            } => {
                check("beta2_decay", beta2_decay, beta2_decay <= 0.0, "at most 0")?;
                if let Some(eps1) = eps1 {
                    at_least_zero("eps1", eps1)?;
                }
                at_least_zero("eps2", eps2)?;
                check("d", d, d >= 1.0, "at least 1")
            }
            Self::Rprop {
                eta_minus,
                eta_plus,
                step_size_min,
                step_size_max,
            } => {
                check(
                    "eta_minus",
                    eta_minus,
                    0.0 < eta_minus && eta_minus < 1.0,
                    "between 0 and 1",
                )?;
                check("eta_plus", eta_plus, eta_plus > 1.0, "greater than 1")?;
                at_least_zero("step_size_min", step_size_min)?;
                check(
                    "step_size_max",
                    step_size_max,
                    step_size_max >= step_size_min,
                    "at least step_size_min",
                )
            }
            Self::Asgd {
                lambd, alpha, t0, ..
            } => {
                at_least_zero("lambd", lambd)?;
                check("alpha", alpha, alpha.is_finite(), "a number")?;
                at_least_zero("t0", t0)
            }
            Self::GdArmijo { shrink, c1 } => {
                check(
                    "shrink",
                    shrink,
                    0.0 < shrink && shrink < 1.0,
                    "between 0 and 1",
                )?;
                check("c1", c1, 0.0 < c1 && c1 < 1.0, "between 0 and 1")
            }
            Self::Lbfgs {
                max_iter,
                max_eval,
                tolerance_grad,
                tolerance_change,
                history_size,
                ..
            } => {
                let (lo, hi) = (LBFGS_ITERATIONS_RANGE.start(), LBFGS_ITERATIONS_RANGE.end());
                for (name, value) in [("max_iter", Some(max_iter)), ("max_eval", max_eval)] {
                    if let Some(v) = value
                        && !LBFGS_ITERATIONS_RANGE.contains(&v)
                    {
                        return Err(SettingsError(format!(
                            "invalid {name}: {v} (it must be from {lo} to {hi})"
                        )));
                    }
                }
                if !LBFGS_HISTORY_RANGE.contains(&history_size) {
                    return Err(SettingsError(format!(
                        "invalid history_size: {history_size} (it must be from {} to {})",
                        LBFGS_HISTORY_RANGE.start(),
                        LBFGS_HISTORY_RANGE.end()
                    )));
                }
                at_least_zero("tolerance_grad", tolerance_grad)?;
                at_least_zero("tolerance_change", tolerance_change)
            }
            Self::Gd { .. } | Self::Newton {} => Ok(()),
        }
    }

    /// Makes a fresh optimizer (no state) from these settings.
    pub fn build(&self) -> Box<dyn Optimizer> {
        match *self {
            Self::Gd { weight_decay } => Box::new(GradientDescent::new(weight_decay, false)),
            Self::Sgd { momentum: 0.0, .. } => match GradientDescent::from_settings(self) {
                Some(rule) => Box::new(rule),
                None => Box::new(GradientDescent::new(0.0, true)),
            },
            Self::Sgd { .. } | Self::Momentum { .. } | Self::Nesterov { .. } => {
                match Momentum::from_settings(self) {
                    Some(rule) => Box::new(rule),
                    None => Box::new(GradientDescent::new(0.0, true)),
                }
            }
            Self::Adagrad { .. } => boxed::<AdaGrad>(self),
            Self::Rmsprop { .. } => boxed::<RmsProp>(self),
            Self::Adadelta { .. } => boxed::<Adadelta>(self),
            Self::Adam { .. } => boxed::<Adam>(self),
            Self::Adamw { .. } => boxed::<AdamW>(self),
            Self::Adamax { .. } => boxed::<Adamax>(self),
            Self::Nadam { .. } => boxed::<NAdam>(self),
            Self::Radam { .. } => boxed::<RAdam>(self),
            Self::Adafactor { .. } => boxed::<Adafactor>(self),
            Self::Rprop { .. } => boxed::<Rprop>(self),
            Self::Asgd { .. } => boxed::<Asgd>(self),
            Self::GdArmijo { shrink, c1 } => Box::new(Armijo::new(shrink, c1)),
            Self::Lbfgs { .. } => Box::new(Lbfgs::new(*self)),
            Self::Newton {} => Box::new(Newton::new()),
        }
    }
}

/// The rule of `settings`, boxed (settings of another kind cannot reach here: `build`
/// matches on the kind first).
fn boxed<O: FromSettings + 'static>(settings: &OptimizerSettings) -> Box<dyn Optimizer> {
    match O::from_settings(settings) {
        Some(rule) => Box::new(rule),
        None => Box::new(GradientDescent::new(0.0, false)),
    }
}

impl crate::engine::tagged::Tagged for OptimizerSettings {
    const TAG: &'static str = "rule";
    const WHAT: &'static str = "an optimizer";
}

/// An update rule built from its settings as its own type, for code that steps many rules
/// of one kind at once without dynamic dispatch (a map job). `None` when the settings are
/// of another kind.
pub trait FromSettings: Optimizer + Clone + Sized {
    /// How a map keeps the rules of its runs: one rule each by default ([`Vec`]).
    type Lanes: RuleLanes<Self>;

    /// The rule `settings` describes, if it is of this kind.
    fn from_settings(settings: &OptimizerSettings) -> Option<Self>;

    /// One update of each of many runs: run i moves `(w[i], b[i])` with its own rule
    /// `rules[i]`, gradient `(grad_w[i], grad_b[i])` and learning rates
    /// `(lr_w[i], lr_b[i])`, exactly as [`Optimizer::step_groups`] does. `same_settings` says
    /// every rule was made from the same settings (their states may differ), so what the
    /// first one's settings allow holds for all. A rule whose update never reads its own
    /// count of updates may leave that count alone: the caller (a map's lanes) counts
    /// iterations itself.
    #[inline]
    fn step_lanes(
        rules: &mut [Self],
        same_settings: bool,
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        let _ = same_settings;
        let [grad_w, grad_b] = gradient;
        let [lr_w, lr_b] = learning_rate;
        let n = rules.len().min(w.len()).min(b.len());
        let (w, b, grad_w, grad_b) = (&mut w[..n], &mut b[..n], &grad_w[..n], &grad_b[..n]);
        let (lr_w, lr_b) = (&lr_w[..n], &lr_b[..n]);
        for (i, rule) in rules[..n].iter_mut().enumerate() {
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

/// The rules of a map's runs, one per run (a lane), stepped together.
pub trait RuleLanes<O>: Send {
    /// Room for `capacity` rules. `same_settings`: every rule pushed is made from the same
    /// settings as `first` (only their states differ).
    fn new(capacity: usize, same_settings: bool, first: Option<&O>) -> Self;

    /// Adds a run's rule as the last lane.
    fn push(&mut self, rule: O);

    /// Removes lane `i`, moving the last lane into its place.
    fn swap_remove(&mut self, i: usize);

    /// One update of every lane, as [`FromSettings::step_lanes`].
    fn step(&mut self, same_settings: bool, update: LaneUpdate<'_>);
}

/// What one update of many runs reads and moves, one entry per lane in each array.
pub struct LaneUpdate<'a> {
    /// Each run's w, moved in place.
    pub w: &'a mut [f64],
    /// Each run's b, moved in place.
    pub b: &'a mut [f64],
    /// d/dw and d/db.
    pub gradient: [&'a [f64]; 2],
    /// The learning rates of w's and b's groups.
    pub learning_rate: [&'a [f64]; 2],
}

impl<O: FromSettings + Send> RuleLanes<O> for Vec<O> {
    fn new(capacity: usize, _: bool, _: Option<&O>) -> Self {
        Vec::with_capacity(capacity)
    }

    fn push(&mut self, rule: O) {
        Vec::push(self, rule);
    }

    fn swap_remove(&mut self, i: usize) {
        Vec::swap_remove(self, i);
    }

    #[inline(always)]
    fn step(&mut self, same_settings: bool, update: LaneUpdate<'_>) {
        let LaneUpdate {
            w,
            b,
            gradient,
            learning_rate,
        } = update;
        O::step_lanes(self, same_settings, w, b, gradient, learning_rate);
    }
}

impl FromSettings for GradientDescent {
    type Lanes = Vec<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Gd { weight_decay } => Some(Self::new(weight_decay, false)),
            OptimizerSettings::Sgd {
                momentum: 0.0,
                dampening,
                nesterov: false,
                weight_decay,
            } => Some(Self::sgd(dampening, weight_decay)),
            _ => None,
        }
    }

    #[inline(always)]
    fn step_lanes(
        rules: &mut [Self],
        same_settings: bool,
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::gd::step_lanes(rules, same_settings, w, b, gradient, learning_rate);
    }
}

impl FromSettings for Adam {
    type Lanes = super::adam::AdamLanes<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            } => Some(Self::new(beta1, beta2, eps, weight_decay, amsgrad)),
            _ => None,
        }
    }

    #[inline(always)]
    fn step_lanes(
        rules: &mut [Self],
        same_settings: bool,
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::adam::step_lanes(
            rules,
            |rule| rule,
            same_settings,
            w,
            b,
            gradient,
            learning_rate,
        );
    }
}

impl FromSettings for AdamW {
    type Lanes = super::adam::AdamLanes<Self>;

    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            } => Some(Self::new(beta1, beta2, eps, weight_decay, amsgrad)),
            _ => None,
        }
    }

    #[inline(always)]
    fn step_lanes(
        rules: &mut [Self],
        same_settings: bool,
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::adam::step_lanes(
            rules,
            AdamW::adam_mut,
            same_settings,
            w,
            b,
            gradient,
            learning_rate,
        );
    }
}
