//! The serializable description of an optimizer and its hyper-parameters.

use std::fmt;
use std::str::FromStr;

use super::{
    AdaGrad, Adam, AdamW, GradientDescent, Momentum, Nesterov, Newton, Optimizer, RmsProp,
};

/// Which update rule. The lowercase [`OptimizerKind::name`] is what the command line and
/// saved files use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// Gradient descent: theta -= lr * g.
    Gd,
    /// Stochastic gradient descent: the same rule as [`OptimizerKind::Gd`]; "stochastic"
    /// comes from a batch size smaller than the dataset.
    Sgd,
    /// SGD with (heavy-ball) momentum.
    Momentum,
    /// SGD with Nesterov momentum.
    Nesterov,
    /// AdaGrad: per-parameter steps shrinking with the sum of squared gradients.
    Adagrad,
    /// RMSProp: per-parameter steps scaled by a moving average of squared gradients.
    Rmsprop,
    /// Adam: bias-corrected moving averages of the gradient and its square.
    Adam,
    /// AdamW: Adam with decoupled weight decay.
    Adamw,
    /// Damped Newton's method (second order).
    Newton,
}

impl OptimizerKind {
    /// Every rule, in teaching order.
    pub const ALL: [Self; 9] = [
        Self::Gd,
        Self::Sgd,
        Self::Momentum,
        Self::Nesterov,
        Self::Adagrad,
        Self::Rmsprop,
        Self::Adam,
        Self::Adamw,
        Self::Newton,
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
            Self::Adam => "adam",
            Self::Adamw => "adamw",
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
            Self::Adam => "Adam",
            Self::Adamw => "AdamW",
            Self::Newton => "Newton",
        }
    }

    /// PyTorch's default learning rate for this rule; `None` for the SGD family, where the
    /// learner has to choose one (as the command line's `--lr`).
    pub fn default_learning_rate(self) -> Option<f64> {
        match self {
            Self::Gd | Self::Sgd | Self::Momentum | Self::Nesterov => None,
            Self::Adagrad | Self::Rmsprop => Some(0.01),
            Self::Adam | Self::Adamw => Some(0.001),
            Self::Newton => Some(1.0),
        }
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
    /// Stochastic gradient descent (the same rule as `Gd`).
    Sgd {
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with momentum (torch `SGD(momentum=mu)`, dampening 0).
    Momentum {
        /// Momentum factor mu (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// SGD with Nesterov momentum (torch `SGD(momentum=mu, nesterov=True)`).
    Nesterov {
        /// Momentum factor mu (default 0.9).
        #[serde(default = "default_momentum")]
        momentum: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// AdaGrad (torch `Adagrad`, lr_decay 0, initial accumulator 0).
    Adagrad {
        /// Added to the denominator for stability (default 1e-10).
        #[serde(default = "default_adagrad_eps")]
        eps: f64,
        /// L2 penalty added to the gradient (default 0).
        #[serde(default)]
        weight_decay: f64,
    },
    /// RMSProp (torch `RMSprop`, not centered, no momentum).
    Rmsprop {
        /// Smoothing constant of the squared-gradient average (default 0.99).
        #[serde(default = "default_alpha")]
        alpha: f64,
        /// Added to the denominator for stability (default 1e-8).
        #[serde(default = "default_eps")]
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
        match kind {
            OptimizerKind::Gd => Self::Gd { weight_decay: 0.0 },
            OptimizerKind::Sgd => Self::Sgd { weight_decay: 0.0 },
            OptimizerKind::Momentum => Self::Momentum {
                momentum: default_momentum(),
                weight_decay: 0.0,
            },
            OptimizerKind::Nesterov => Self::Nesterov {
                momentum: default_momentum(),
                weight_decay: 0.0,
            },
            OptimizerKind::Adagrad => Self::Adagrad {
                eps: default_adagrad_eps(),
                weight_decay: 0.0,
            },
            OptimizerKind::Rmsprop => Self::Rmsprop {
                alpha: default_alpha(),
                eps: default_eps(),
                weight_decay: 0.0,
            },
            OptimizerKind::Adam => Self::Adam {
                beta1: default_beta1(),
                beta2: default_beta2(),
                eps: default_eps(),
                weight_decay: 0.0,
                amsgrad: false,
            },
            OptimizerKind::Adamw => Self::Adamw {
                beta1: default_beta1(),
                beta2: default_beta2(),
                eps: default_eps(),
                weight_decay: default_adamw_weight_decay(),
                amsgrad: false,
            },
            OptimizerKind::Newton => Self::Newton {},
        }
    }

    /// Which rule these settings describe.
    pub fn kind(&self) -> OptimizerKind {
        match self {
            Self::Gd { .. } => OptimizerKind::Gd,
            Self::Sgd { .. } => OptimizerKind::Sgd,
            Self::Momentum { .. } => OptimizerKind::Momentum,
            Self::Nesterov { .. } => OptimizerKind::Nesterov,
            Self::Adagrad { .. } => OptimizerKind::Adagrad,
            Self::Rmsprop { .. } => OptimizerKind::Rmsprop,
            Self::Adam { .. } => OptimizerKind::Adam,
            Self::Adamw { .. } => OptimizerKind::Adamw,
            Self::Newton {} => OptimizerKind::Newton,
        }
    }

    /// The weight decay, where the rule has one.
    pub fn weight_decay(&self) -> Option<f64> {
        match *self {
            Self::Gd { weight_decay }
            | Self::Sgd { weight_decay }
            | Self::Momentum { weight_decay, .. }
            | Self::Nesterov { weight_decay, .. }
            | Self::Adagrad { weight_decay, .. }
            | Self::Rmsprop { weight_decay, .. }
            | Self::Adam { weight_decay, .. }
            | Self::Adamw { weight_decay, .. } => Some(weight_decay),
            Self::Newton {} => None,
        }
    }

    /// Checks every hyper-parameter against torch's valid ranges.
    pub fn validate(&self) -> Result<(), SettingsError> {
        let check = |name: &str, value: f64, ok: bool| {
            if value.is_finite() && ok {
                Ok(())
            } else {
                Err(SettingsError(format!("invalid {name}: {value}")))
            }
        };
        if let Some(wd) = self.weight_decay() {
            check("weight_decay", wd, wd >= 0.0)?;
        }
        match *self {
            Self::Momentum { momentum, .. } => check("momentum", momentum, momentum >= 0.0),
            Self::Nesterov { momentum, .. } => check("momentum", momentum, momentum > 0.0),
            Self::Adagrad { eps, .. } => check("eps", eps, eps >= 0.0),
            Self::Rmsprop { alpha, eps, .. } => {
                check("alpha", alpha, alpha >= 0.0)?;
                check("eps", eps, eps >= 0.0)
            }
            Self::Adam {
                beta1, beta2, eps, ..
            }
            | Self::Adamw {
                beta1, beta2, eps, ..
            } => {
                check("beta1", beta1, (0.0..1.0).contains(&beta1))?;
                check("beta2", beta2, (0.0..1.0).contains(&beta2))?;
                check("eps", eps, eps >= 0.0)
            }
            Self::Gd { .. } | Self::Sgd { .. } | Self::Newton {} => Ok(()),
        }
    }

    /// Makes a fresh optimizer (no state) from these settings.
    pub fn build(&self) -> Box<dyn Optimizer> {
        match *self {
            Self::Gd { weight_decay } => Box::new(GradientDescent::new(weight_decay, false)),
            Self::Sgd { weight_decay } => Box::new(GradientDescent::new(weight_decay, true)),
            Self::Momentum {
                momentum,
                weight_decay,
            } => Box::new(Momentum::new(momentum, weight_decay)),
            Self::Nesterov {
                momentum,
                weight_decay,
            } => Box::new(Nesterov::new(momentum, weight_decay)),
            Self::Adagrad { eps, weight_decay } => Box::new(AdaGrad::new(eps, weight_decay)),
            Self::Rmsprop {
                alpha,
                eps,
                weight_decay,
            } => Box::new(RmsProp::new(alpha, eps, weight_decay)),
            Self::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            } => Box::new(Adam::new(beta1, beta2, eps, weight_decay, amsgrad)),
            Self::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            } => Box::new(AdamW::new(beta1, beta2, eps, weight_decay, amsgrad)),
            Self::Newton {} => Box::new(Newton::new()),
        }
    }
}

impl crate::engine::tagged::Tagged for OptimizerSettings {
    const TAG: &'static str = "rule";
    const WHAT: &'static str = "an optimizer";
}

/// An update rule built from its settings as its own type, for code that steps many rules
/// of one kind at once without dynamic dispatch (a map job). `None` when the settings are
/// of another kind.
pub trait FromSettings: Optimizer + Sized {
    /// The rule `settings` describes, if it is of this kind.
    fn from_settings(settings: &OptimizerSettings) -> Option<Self>;

    /// One update of each of many runs: run i moves `(w[i], b[i])` with its own rule
    /// `rules[i]`, gradient `(grad_w[i], grad_b[i])` and learning rates
    /// `(lr_w[i], lr_b[i])`, exactly as [`Optimizer::step_groups`] does.
    #[inline]
    fn step_lanes(
        rules: &mut [Self],
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
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

impl FromSettings for GradientDescent {
    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Gd { weight_decay } => Some(Self::new(weight_decay, false)),
            OptimizerSettings::Sgd { weight_decay } => Some(Self::new(weight_decay, true)),
            _ => None,
        }
    }

    fn step_lanes(
        rules: &mut [Self],
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::gd::step_lanes(rules, w, b, gradient, learning_rate);
    }
}

impl FromSettings for Momentum {
    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Momentum {
                momentum,
                weight_decay,
            } => Some(Self::new(momentum, weight_decay)),
            _ => None,
        }
    }
}

impl FromSettings for Nesterov {
    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Nesterov {
                momentum,
                weight_decay,
            } => Some(Self::new(momentum, weight_decay)),
            _ => None,
        }
    }
}

impl FromSettings for AdaGrad {
    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Adagrad { eps, weight_decay } => Some(Self::new(eps, weight_decay)),
            _ => None,
        }
    }
}

impl FromSettings for RmsProp {
    fn from_settings(settings: &OptimizerSettings) -> Option<Self> {
        match *settings {
            OptimizerSettings::Rmsprop {
                alpha,
                eps,
                weight_decay,
            } => Some(Self::new(alpha, eps, weight_decay)),
            _ => None,
        }
    }
}

impl FromSettings for Adam {
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

    fn step_lanes(
        rules: &mut [Self],
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::adam::step_lanes(rules.iter_mut(), w, b, gradient, learning_rate);
    }
}

impl FromSettings for AdamW {
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

    fn step_lanes(
        rules: &mut [Self],
        w: &mut [f64],
        b: &mut [f64],
        gradient: [&[f64]; 2],
        learning_rate: [&[f64]; 2],
    ) {
        super::adam::step_lanes(
            rules.iter_mut().map(AdamW::adam_mut),
            w,
            b,
            gradient,
            learning_rate,
        );
    }
}
