//! Losses of one example, selectable by name; each is a formula in `yhat` and `y`.

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
