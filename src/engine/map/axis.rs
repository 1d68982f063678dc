//! A map's axis: one run setting varied over a range of values, evenly or on a log scale.

use crate::engine::Point;
use crate::engine::optim::OptimizerSettings as O;
use crate::engine::run::{Initialization, RunSettings};

/// The settings a map can vary (named in files as on the command line).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AxisName {
    /// The start's w.
    W0,
    /// The start's b.
    B0,
    /// The learning rate (of both parameters).
    Lr,
    /// w's learning rate, with b in a parameter group of its own.
    LrW,
    /// b's learning rate, in a parameter group of its own.
    LrB,
    /// w's learning rate with b's own rate, if it has one, kept in the same ratio to it
    /// (both rates scale together; without a rate of b's own this is `Lr`).
    LrKeepRatio,
    /// Momentum's (and Nesterov's) factor.
    Momentum,
    /// Adam's (and AdamW's) decay of the gradient average.
    Beta1,
    /// Adam's (and AdamW's) decay of the squared-gradient average.
    Beta2,
    /// RMSProp's smoothing constant.
    Alpha,
    /// The stability constant of AdaGrad, RMSProp, Adam and AdamW.
    Eps,
    /// Weight decay.
    WeightDecay,
    /// The standard deviation of the simulated gradient noise.
    Noise,
    /// Examples per mini-batch (data fits).
    BatchSize,
    /// The run's random seed.
    Seed,
}

impl AxisName {
    /// True when the axis changes the update rule's settings (a hyper-parameter), so cells
    /// along it have rules made from different settings.
    pub fn changes_optimizer(self) -> bool {
        matches!(
            self,
            Self::Momentum
                | Self::Beta1
                | Self::Beta2
                | Self::Alpha
                | Self::Eps
                | Self::WeightDecay
        )
    }

    /// Every axis with its name on the command line.
    pub const ALL: [(Self, &'static str); 15] = [
        (Self::W0, "w0"),
        (Self::B0, "b0"),
        (Self::Lr, "lr"),
        (Self::LrW, "lr_w"),
        (Self::LrB, "lr_b"),
        (Self::LrKeepRatio, "lr_keep_ratio"),
        (Self::Momentum, "momentum"),
        (Self::Beta1, "beta1"),
        (Self::Beta2, "beta2"),
        (Self::Alpha, "alpha"),
        (Self::Eps, "eps"),
        (Self::WeightDecay, "weight_decay"),
        (Self::Noise, "noise"),
        (Self::BatchSize, "batch_size"),
        (Self::Seed, "seed"),
    ];

    /// The name on the command line.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(a, _)| *a == self)
            .map_or("?", |(_, n)| n)
    }

    /// Whole numbers only (the values round to integers).
    pub fn is_integer(self) -> bool {
        matches!(self, Self::BatchSize | Self::Seed)
    }

    /// `start` moved to `value` along this axis, for the `w0` and `b0` axes (None for the
    /// others, which leave the start alone).
    pub fn moved_start(self, start: Point, value: f64) -> Option<Point> {
        match self {
            Self::W0 => Some([value, start[1]]),
            Self::B0 => Some([start[0], value]),
            _ => None,
        }
    }

    /// Sets `value` in `settings`; `start` is the start the other coordinate keeps for the
    /// `w0` and `b0` axes. Fails when the optimizer has no such setting.
    pub fn apply(self, settings: &mut RunSettings, start: Point, value: f64) -> Result<(), String> {
        let kind = settings.optimizer.kind();
        let missing = || format!("axis `{}`: {kind} has no such setting", self.name());
        match (self, &mut settings.optimizer) {
            (Self::W0 | Self::B0, _) => {
                if let Some([w, b]) = self.moved_start(start, value) {
                    settings.init = Initialization::Manual { w, b };
                }
            }
            (Self::Lr, _) => {
                settings.learning_rate = value;
                settings.learning_rate_b = None;
            }
            (Self::LrW, _) => {
                settings.learning_rate_b =
                    Some(settings.learning_rate_b.unwrap_or(settings.learning_rate));
                settings.learning_rate = value;
            }
            (Self::LrB, _) => settings.learning_rate_b = Some(value),
            (Self::LrKeepRatio, _) => {
                if let Some(rate_b) = settings.learning_rate_b {
                    let rate_w = settings.learning_rate;
                    if rate_w <= 0.0 {
                        return Err(format!(
                            "axis `{}`: w's learning rate is {rate_w}, so b's rate has no ratio to it to keep",
                            self.name()
                        ));
                    }
                    settings.learning_rate_b = Some(value * (rate_b / rate_w));
                }
                settings.learning_rate = value;
            }
            (Self::Noise, _) => settings.simulated_noise = value,
            (Self::BatchSize, _) => settings.batch_size = Some(value.round().max(0.0) as usize),
            (Self::Seed, _) => settings.seed = value.round().max(0.0) as u64,
            (
                Self::Momentum,
                O::Sgd { momentum, .. }
                | O::Momentum { momentum, .. }
                | O::Nesterov { momentum, .. }
                | O::Rmsprop { momentum, .. },
            ) => *momentum = value,
            (
                Self::Beta1,
                O::Adam { beta1, .. }
                | O::Adamw { beta1, .. }
                | O::Adamax { beta1, .. }
                | O::Nadam { beta1, .. }
                | O::Radam { beta1, .. },
            ) => *beta1 = value,
            (
                Self::Beta2,
                O::Adam { beta2, .. }
                | O::Adamw { beta2, .. }
                | O::Adamax { beta2, .. }
                | O::Nadam { beta2, .. }
                | O::Radam { beta2, .. },
            ) => *beta2 = value,
            (Self::Alpha, O::Rmsprop { alpha, .. } | O::Asgd { alpha, .. }) => *alpha = value,
            (
                Self::Eps,
                O::Adagrad { eps, .. }
                | O::Rmsprop { eps, .. }
                | O::Adadelta { eps, .. }
                | O::Adam { eps, .. }
                | O::Adamw { eps, .. }
                | O::Adamax { eps, .. }
                | O::Nadam { eps, .. }
                | O::Radam { eps, .. },
            ) => *eps = value,
            (Self::WeightDecay, optimizer) => match optimizer.weight_decay_mut() {
                Some(weight_decay) => *weight_decay = value,
                None => return Err(missing()),
            },
            _ => return Err(missing()),
        }
        Ok(())
    }
}

impl std::str::FromStr for AxisName {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        Self::ALL
            .iter()
            .find(|(_, n)| *n == s)
            .map(|(a, _)| *a)
            .ok_or_else(|| {
                let names: Vec<&str> = Self::ALL.iter().map(|(_, n)| *n).collect();
                format!("unknown axis `{s}`; the axes are: {}", names.join(", "))
            })
    }
}

/// One setting over `count` values from `lo` to `hi`, both ends included.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Axis {
    /// What varies.
    pub name: AxisName,
    /// The first value.
    pub lo: f64,
    /// The last value.
    pub hi: f64,
    /// Log spacing: lo (hi/lo)^(i/(n-1)) instead of lo + i (hi - lo)/(n - 1).
    pub log: bool,
    /// How many values (at least 1).
    pub count: usize,
}

impl Axis {
    /// Reads `NAME:LO:HI` or `NAME:LO:HI:log`, with `count` values.
    pub fn parse(spec: &str, count: usize) -> Result<Self, String> {
        let parts: Vec<&str> = spec.split(':').collect();
        let (name, lo, hi, log) = match parts.as_slice() {
            [name, lo, hi] => (name, lo, hi, false),
            [name, lo, hi, "log"] => (name, lo, hi, true),
            _ => {
                return Err(format!(
                    "axis `{spec}`: write NAME:LO:HI or NAME:LO:HI:log, e.g. lr:0.001:0.1:log"
                ));
            }
        };
        let name: AxisName = name.parse()?;
        let number = |text: &str| {
            text.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("axis `{}`: `{text}` is not a number", name.name()))
        };
        let (lo, hi) = (number(lo)?, number(hi)?);
        if lo >= hi {
            return Err(format!(
                "axis `{}`: the low end {lo} must be below the high end {hi}",
                name.name()
            ));
        }
        if log && lo <= 0.0 {
            return Err(format!(
                "axis `{}`: a log axis needs both ends above 0 (it has {lo})",
                name.name()
            ));
        }
        if count == 0 {
            return Err(format!(
                "axis `{}`: it needs at least one value",
                name.name()
            ));
        }
        Ok(Self {
            name,
            lo,
            hi,
            log,
            count,
        })
    }

    /// The axis's values, both ends included (rounded to whole numbers on integer axes).
    pub fn values(&self) -> Vec<f64> {
        let n = self.count;
        (0..n)
            .map(|i| {
                let t = if n > 1 {
                    i as f64 / (n - 1) as f64
                } else {
                    0.0
                };
                let v = if i + 1 == n && n > 1 {
                    self.hi
                } else if self.log {
                    self.lo * (self.hi / self.lo).powf(t)
                } else {
                    self.lo + i as f64 * (self.hi - self.lo) / (n - 1).max(1) as f64
                };
                if self.name.is_integer() { v.round() } else { v }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Values include both ends, evenly or on a log scale; integer axes round.
    #[test]
    fn values_span_both_ends() {
        let lin = Axis::parse("lr:0:1", 5).expect("a valid axis").values();
        assert_eq!(lin, [0.0, 0.25, 0.5, 0.75, 1.0]);
        let log = Axis::parse("lr:0.001:0.1:log", 3)
            .expect("a valid axis")
            .values();
        assert!((log[1] - 0.01).abs() < 1e-15 && log[2] == 0.1);
        let seeds = Axis::parse("seed:0:10", 4).expect("a valid axis").values();
        assert_eq!(seeds, [0.0, 3.0, 7.0, 10.0]);
    }

    // An axis changes the rule's settings exactly when it says so: the lockstep engine
    // trusts `changes_optimizer` to know when every lane's rule has the base settings.
    #[test]
    fn axes_that_change_the_rule_say_so() {
        use crate::engine::optim::{OptimizerKind, OptimizerSettings};
        for kind in OptimizerKind::ALL {
            let base = RunSettings {
                optimizer: OptimizerSettings::default_for(kind),
                ..RunSettings::default()
            };
            for (axis, name) in AxisName::ALL {
                let mut settings = base.clone();
                if axis.apply(&mut settings, [0.0, 0.0], 0.37).is_ok() {
                    assert_eq!(
                        settings.optimizer != base.optimizer,
                        axis.changes_optimizer(),
                        "{name} on {kind:?}"
                    );
                }
            }
        }
    }

    // The keep-ratio axis scales b's own rate with w's, and is plain `lr` without one.
    #[test]
    fn keep_ratio_scales_both_rates() {
        let mut settings = RunSettings {
            learning_rate: 0.1,
            learning_rate_b: Some(0.3),
            ..RunSettings::default()
        };
        AxisName::LrKeepRatio
            .apply(&mut settings, [0.0; 2], 0.5)
            .expect("a rate");
        assert_eq!(settings.learning_rate, 0.5);
        assert_eq!(settings.learning_rate_b, Some(0.5 * (0.3 / 0.1)));
        let mut one_group = RunSettings::default();
        AxisName::LrKeepRatio
            .apply(&mut one_group, [0.0; 2], 0.5)
            .expect("a rate");
        assert_eq!(
            (one_group.learning_rate, one_group.learning_rate_b),
            (0.5, None)
        );
        let mut no_ratio = RunSettings {
            learning_rate: 0.0,
            ..settings
        };
        assert!(
            AxisName::LrKeepRatio
                .apply(&mut no_ratio, [0.0; 2], 0.5)
                .is_err()
        );
    }

    // A bad axis says which and what is allowed.
    #[test]
    fn bad_axes_say_why() {
        assert!(
            Axis::parse("speed:0:1", 3)
                .expect_err("a bad axis")
                .contains("the axes are: w0")
        );
        assert!(
            Axis::parse("lr:1:0", 3)
                .expect_err("a bad axis")
                .contains("below the high end")
        );
        assert!(
            Axis::parse("lr:0:1:log", 3)
                .expect_err("a bad axis")
                .contains("above 0")
        );
        assert!(
            Axis::parse("lr:0:x", 3)
                .expect_err("a bad axis")
                .contains("not a number")
        );
    }
}
