//! Losses of one example, selectable by name; each is a formula in `yhat` and `y`.

use crate::engine::expr::{CompileError, Part, excerpt};

/// A loss known by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NamedLoss {
    /// Half the squared error, `(yhat - y)^2 / 2`: averaged over m examples this is the
    /// 1/(2m) mean squared error cost of linear regression.
    Mse,
    /// Absolute error `|yhat - y|`.
    Mae,
    /// Huber loss with threshold `delta` (a free constant, 1.0 unless set): quadratic for
    /// errors up to delta, linear beyond (PyTorch's HuberLoss).
    Huber,
    /// Binary cross-entropy (log-loss) of a probability `yhat` against a label `y` in [0, 1],
    /// with each logarithm clamped at -100 as PyTorch's BCELoss does. When the model ends in
    /// `sigmoid(z)` the data-fit problem evaluates it from the logit z in the stable form
    /// `softplus(z) - y*z` instead (PyTorch's BCEWithLogitsLoss).
    Logloss,
}

impl NamedLoss {
    /// Every named loss.
    pub const ALL: [NamedLoss; 4] = [
        NamedLoss::Mse,
        NamedLoss::Mae,
        NamedLoss::Huber,
        NamedLoss::Logloss,
    ];

    /// The name typed to select it.
    pub fn name(self) -> &'static str {
        match self {
            NamedLoss::Mse => "mse",
            NamedLoss::Mae => "mae",
            NamedLoss::Huber => "huber",
            NamedLoss::Logloss => "logloss",
        }
    }

    /// Its formula in `yhat` and `y`.
    pub fn formula(self) -> &'static str {
        match self {
            NamedLoss::Mse => "(yhat - y)^2 / 2",
            NamedLoss::Mae => "abs(yhat - y)",
            NamedLoss::Huber => {
                "0.5*min(abs(yhat - y), delta)^2 + delta*(abs(yhat - y) - min(abs(yhat - y), delta))"
            }
            NamedLoss::Logloss => "-(y*max(ln(yhat), -100) + (1 - y)*max(ln(1 - yhat), -100))",
        }
    }

    /// One line saying what it is.
    pub fn description(self) -> &'static str {
        match self {
            NamedLoss::Mse => "half squared error; the mean is the 1/(2m) MSE cost",
            NamedLoss::Mae => "absolute error",
            NamedLoss::Huber => "squared near zero, absolute beyond delta (constant, default 1)",
            NamedLoss::Logloss => "binary cross-entropy for probabilities (stable from logits)",
        }
    }

    /// The loss with this name (case-insensitive; `bce`, `cross-entropy`, `l1`, `l2` also work).
    pub fn from_name(name: &str) -> Option<NamedLoss> {
        match name.trim().to_ascii_lowercase().as_str() {
            "mse" | "l2" | "squared" => Some(NamedLoss::Mse),
            "mae" | "l1" => Some(NamedLoss::Mae),
            "huber" => Some(NamedLoss::Huber),
            "logloss" | "log-loss" | "bce" | "cross-entropy" | "crossentropy" => {
                Some(NamedLoss::Logloss)
            }
            _ => None,
        }
    }
}

/// When the loss text is a single bare name that is neither a loss name nor `yhat`/`y`
/// (nor `x`, `w`, `b`, which the compiler explains), the error saying so: compiled, such a
/// name would be a free constant and the cost a constant. The error lists the loss names.
pub(super) fn unknown_name(text: &str) -> Option<CompileError> {
    let name = text.trim();
    let mut chars = name.chars();
    let first = chars.next()?;
    let bare = (first.is_ascii_alphabetic() || first == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !bare || NamedLoss::from_name(name).is_some() {
        return None;
    }
    if matches!(name, "yhat" | "y" | "x" | "w" | "b") {
        return None;
    }
    let position = text.chars().take_while(|c| c.is_whitespace()).count();
    let names: Vec<&str> = NamedLoss::ALL.iter().map(|n| n.name()).collect();
    // `log_loss`, `Cross_Entropy`: a known name spelt with other separators or case.
    let plain: String = name.chars().filter(|&c| c != '_').collect();
    let close = NamedLoss::from_name(&plain).map(|n| format!("did you mean `{}`? ", n.name()));
    Some(
        CompileError::new(
            Part::Loss,
            position,
            name.chars().count(),
            format!("unknown loss `{}`", excerpt(name)),
        )
        .with_hint(format!(
            "{}the loss names are {}; or type a formula in yhat and y, e.g. (yhat - y)^2 / 2",
            close.unwrap_or_default(),
            names.join(", ")
        )),
    )
}
