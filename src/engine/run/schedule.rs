//! Learning-rate schedules, stepped once per iteration with torch's formulas.

use std::f64::consts::PI;
use std::fmt;
use std::str::FromStr;

/// How the learning rate changes over iterations (torch `lr_scheduler`, stepped once after
/// every update). `lr_0` is the run's learning rate; `t` counts scheduler steps.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Schedule {
    /// lr stays lr_0.
    Constant {},
    /// torch `StepLR`: lr is multiplied by `gamma` every `step_size` iterations.
    Step {
        /// Iterations between two decays (at least 1).
        step_size: u64,
        /// Factor applied at each decay.
        gamma: f64,
    },
    /// torch `ExponentialLR`: lr is multiplied by `gamma` after every iteration.
    Exponential {
        /// Factor applied each iteration.
        gamma: f64,
    },
    /// torch `CosineAnnealingLR`: lr follows half a cosine from lr_0 down to `eta_min` over
    /// `t_max` iterations (and, as in torch, back up over the next `t_max`).
    Cosine {
        /// Iterations of the half period (at least 1).
        t_max: u64,
        /// The lowest learning rate.
        #[serde(default)]
        eta_min: f64,
    },
    /// torch `CosineAnnealingWarmRestarts`: cosine annealing that jumps back to lr_0 after
    /// `t_0` iterations, then after `t_0 * t_mult`, and so on.
    WarmRestarts {
        /// Iterations until the first restart (at least 1).
        t_0: u64,
        /// Growth factor of the period after each restart (at least 1).
        #[serde(default = "one")]
        t_mult: u64,
        /// The lowest learning rate.
        #[serde(default)]
        eta_min: f64,
    },
}

fn one() -> u64 {
    1
}

impl Schedule {
    /// Every kind of schedule with the values the editor starts it from.
    pub const CHOICES: [Schedule; 5] = [
        Schedule::Constant {},
        Schedule::Step {
            step_size: 100,
            gamma: 0.5,
        },
        Schedule::Exponential { gamma: 0.99 },
        Schedule::Cosine {
            t_max: 1000,
            eta_min: 0.0,
        },
        Schedule::WarmRestarts {
            t_0: 200,
            t_mult: 1,
            eta_min: 0.0,
        },
    ];

    /// Checks the schedule's numbers (torch's ranges: periods at least 1, finite factors).
    pub fn validate(&self) -> Result<(), String> {
        let finite = |name: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("schedule {name} must be finite, got {v}"))
            }
        };
        match *self {
            Self::Constant {} => Ok(()),
            Self::Step { step_size, gamma } => {
                if step_size == 0 {
                    return Err("schedule step size must be at least 1".into());
                }
                finite("gamma", gamma)
            }
            Self::Exponential { gamma } => finite("gamma", gamma),
            Self::Cosine { t_max, eta_min } => {
                if t_max == 0 {
                    return Err("cosine schedule T_max must be at least 1".into());
                }
                finite("eta_min", eta_min)
            }
            Self::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                if t_0 == 0 {
                    return Err("warm restarts T_0 must be at least 1".into());
                }
                if t_mult == 0 {
                    return Err("warm restarts T_mult must be at least 1".into());
                }
                finite("eta_min", eta_min)
            }
        }
    }
}

/// The command-line form: `constant`, `step:K:GAMMA`, `exp:GAMMA`, `cosine:TMAX[:ETAMIN]`,
/// `restarts:T0[:TMULT[:ETAMIN]]`.
impl FromStr for Schedule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parts: Vec<&str> = s.trim().split(':').map(str::trim).collect();
        let count = |p: &str, what: &str| {
            p.parse::<u64>()
                .map_err(|_| format!("schedule {what} must be a whole number, got {p:?}"))
        };
        let number = |p: &str, what: &str| {
            p.parse::<f64>()
                .map_err(|_| format!("schedule {what} must be a number, got {p:?}"))
        };
        let schedule = match parts.as_slice() {
            ["constant"] => Self::Constant {},
            ["step", k, gamma] => Self::Step {
                step_size: count(k, "K")?,
                gamma: number(gamma, "GAMMA")?,
            },
            ["exp", gamma] => Self::Exponential {
                gamma: number(gamma, "GAMMA")?,
            },
            ["cosine", t] => Self::Cosine {
                t_max: count(t, "TMAX")?,
                eta_min: 0.0,
            },
            ["cosine", t, e] => Self::Cosine {
                t_max: count(t, "TMAX")?,
                eta_min: number(e, "ETAMIN")?,
            },
            ["restarts", t] => Self::WarmRestarts {
                t_0: count(t, "T0")?,
                t_mult: 1,
                eta_min: 0.0,
            },
            ["restarts", t, m] => Self::WarmRestarts {
                t_0: count(t, "T0")?,
                t_mult: count(m, "TMULT")?,
                eta_min: 0.0,
            },
            ["restarts", t, m, e] => Self::WarmRestarts {
                t_0: count(t, "T0")?,
                t_mult: count(m, "TMULT")?,
                eta_min: number(e, "ETAMIN")?,
            },
            _ => {
                return Err(format!(
                    "unknown schedule {s:?}; expected constant, step:K:GAMMA, exp:GAMMA, \
                     cosine:TMAX[:ETAMIN] or restarts:T0[:TMULT[:ETAMIN]]"
                ));
            }
        };
        schedule.validate()?;
        Ok(schedule)
    }
}

/// The command-line form (parses back with [`Schedule::from_str`]).
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Constant {} => write!(f, "constant"),
            Self::Step { step_size, gamma } => write!(f, "step:{step_size}:{gamma}"),
            Self::Exponential { gamma } => write!(f, "exp:{gamma}"),
            Self::Cosine { t_max, eta_min } => write!(f, "cosine:{t_max}:{eta_min}"),
            Self::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                write!(f, "restarts:{t_0}:{t_mult}:{eta_min}")
            }
        }
    }
}

/// A running schedule: the learning rate after some number of steps. Follows torch's
/// (recursive, chainable) update formulas operation for operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduler {
    schedule: Schedule,
    base_lr: f64,
    lr: f64,
    last_epoch: u64,
    t_cur: u64,
    t_i: u64,
}

impl Scheduler {
    /// A schedule starting at `base_lr` (torch's state right after construction).
    pub fn new(schedule: Schedule, base_lr: f64) -> Self {
        let t_i = match schedule {
            Schedule::WarmRestarts { t_0, .. } => t_0.max(1),
            _ => 1,
        };
        Self {
            schedule,
            base_lr,
            lr: base_lr,
            last_epoch: 0,
            t_cur: 0,
            t_i,
        }
    }

    /// The learning rate the next update uses (torch's `get_last_lr()`).
    #[inline]
    pub fn learning_rate(&self) -> f64 {
        self.lr
    }

    /// Number of steps taken.
    pub fn steps(&self) -> u64 {
        self.last_epoch
    }

    /// One scheduler step (after an update).
    #[inline]
    pub fn step(&mut self) {
        self.last_epoch += 1;
        let t = self.last_epoch;
        self.lr = match self.schedule {
            Schedule::Constant {} => self.lr,
            Schedule::Step { step_size, gamma } => {
                if !t.is_multiple_of(step_size.max(1)) {
                    self.lr
                } else {
                    self.lr * gamma
                }
            }
            Schedule::Exponential { gamma } => self.lr * gamma,
            Schedule::Cosine { t_max, eta_min } => {
                let t_max = t_max.max(1);
                let tm = t_max as f64;
                let (t_i, t_f) = (t as i128, t as f64);
                if (t_i - 1 - t_max as i128).rem_euclid(2 * t_max as i128) == 0 {
                    self.lr + (self.base_lr - eta_min) * (1.0 - (PI / tm).cos()) / 2.0
                } else {
                    (1.0 + (PI * t_f / tm).cos()) / (1.0 + (PI * (t_f - 1.0) / tm).cos())
                        * (self.lr - eta_min)
                        + eta_min
                }
            }
            Schedule::WarmRestarts {
                t_mult, eta_min, ..
            } => {
                self.t_cur += 1;
                if self.t_cur >= self.t_i {
                    self.t_cur %= self.t_i;
                    self.t_i = self.t_i.saturating_mul(t_mult.max(1));
                }
                // torch: math.cos(math.pi * self.T_cur / self.T_i)
                let angle = PI * self.t_cur as f64 / self.t_i as f64;
                eta_min + (self.base_lr - eta_min) * (1.0 + angle.cos()) / 2.0
            }
        };
    }
}

impl Default for Schedule {
    fn default() -> Self {
        Self::Constant {}
    }
}

impl crate::engine::tagged::Tagged for Schedule {
    const TAG: &'static str = "kind";
    const WHAT: &'static str = "a schedule";
}
