//! Learning-rate schedules: torch's `lr_scheduler`s, stepped once per iteration.
//!
//! [`Schedule`] is the setting (saved in files, typed on the command line, see `text.rs`);
//! [`Scheduler`] is a schedule running, with torch's arithmetic operation for operation.

mod cyclic;
mod one_cycle;
mod plateau;
mod scheduler;
mod text;

pub use cyclic::CyclicMode;
pub use one_cycle::Anneal;
pub use scheduler::Scheduler;

/// How many iterations [`Schedule::preview`] follows at most.
pub const PREVIEW_ITERATIONS: u64 = 200_000;

/// How the learning rate changes over iterations (torch `lr_scheduler`, stepped once after
/// every update). `lr_0` is the run's learning rate; `t` counts scheduler steps.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// torch `MultiStepLR`: lr is multiplied by `gamma` at each milestone iteration.
    MultiStep {
        /// The iterations at which lr decays, in increasing order.
        milestones: Vec<u64>,
        /// Factor applied at each milestone.
        #[serde(default = "tenth")]
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
    /// torch `ConstantLR`: lr is lr_0 * `factor` for the first `total_iters` iterations,
    /// then lr_0.
    ConstantLr {
        /// The factor while it lasts (above 0, at most 1).
        #[serde(default = "third")]
        factor: f64,
        /// Iterations it lasts (at least 1).
        #[serde(default = "five")]
        total_iters: u64,
    },
    /// torch `LinearLR`: the factor on lr_0 moves in a straight line from `start_factor` to
    /// `end_factor` over `total_iters` iterations, then stays.
    Linear {
        /// The first factor (above 0, at most 1).
        #[serde(default = "third")]
        start_factor: f64,
        /// The last factor (0 to 1).
        #[serde(default = "one_f64")]
        end_factor: f64,
        /// Iterations of the change (at least 1).
        #[serde(default = "five")]
        total_iters: u64,
    },
    /// torch `PolynomialLR`: lr falls to 0 as lr_0 (1 - t / total_iters)^power, reaching it
    /// at `total_iters`.
    Polynomial {
        /// Iterations to reach 0 (at least 1).
        #[serde(default = "five")]
        total_iters: u64,
        /// The power of the fall (at least 0; 1 is a straight line).
        #[serde(default = "one_f64")]
        power: f64,
    },
    /// torch `CyclicLR` (without momentum cycling): lr climbs from `base_lr` to `max_lr` in
    /// `step_size_up` iterations and back in `step_size_down`, over and over. The run's own
    /// learning rate is not used: torch sets it to `base_lr`.
    Cyclic {
        /// The lowest rate of a cycle (and the first).
        base_lr: f64,
        /// The highest rate of a cycle (before `mode` shrinks it).
        max_lr: f64,
        /// Iterations of the climb (at least 1).
        #[serde(default = "two_thousand")]
        step_size_up: u64,
        /// Iterations of the descent; absent: as many as the climb.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_size_down: Option<u64>,
        /// How the height of the cycles changes.
        #[serde(default)]
        mode: CyclicMode,
        /// Per-iteration shrink of the height in `exp_range` mode.
        #[serde(default = "one_f64")]
        gamma: f64,
    },
    /// torch `OneCycleLR` (without momentum cycling): lr warms up from
    /// `max_lr / div_factor` to `max_lr` over the first `pct_start` of `total_steps`, then
    /// anneals to `max_lr / div_factor / final_div_factor`. The run's own learning rate is
    /// not used. torch stops with an error after `total_steps` steps; here lr then stays at
    /// that final rate.
    OneCycle {
        /// The highest rate.
        max_lr: f64,
        /// Iterations of the whole cycle (at least 1).
        total_steps: u64,
        /// Share of the cycle spent climbing (0 to 1).
        #[serde(default = "pct_start")]
        pct_start: f64,
        /// The shape of each phase.
        #[serde(default)]
        anneal_strategy: Anneal,
        /// max_lr / div_factor is the first rate.
        #[serde(default = "twenty_five")]
        div_factor: f64,
        /// The first rate / final_div_factor is the last rate.
        #[serde(default = "ten_thousand")]
        final_div_factor: f64,
        /// Three phases (up, down to the first rate, then down to the last) instead of two.
        #[serde(default)]
        three_phase: bool,
    },
    /// torch `SequentialLR` of a linear warm-up and another schedule: lr climbs as
    /// `LinearLR(start_factor = 1/iters, end_factor = 1, total_iters = iters)`, and from
    /// iteration `iters` on `then` runs (its iterations counted from there).
    Warmup {
        /// Iterations of the warm-up (at least 1).
        iters: u64,
        /// The schedule after it (not a cyclic, one-cycle, plateau or warm-up schedule).
        #[serde(deserialize_with = "boxed_name_or_table")]
        then: Box<Schedule>,
    },
    /// torch `ReduceLROnPlateau` (mode min, relative threshold, eps 1e-8), fed the full-data
    /// cost at the point each update started from: when the cost has not improved on its
    /// best by more than the `threshold` share for more than `patience` iterations, lr is
    /// multiplied by `factor` (not below `min_lr`), then `cooldown` iterations pass before
    /// counting again.
    Plateau {
        /// Factor applied at each reduction (0 or more, below 1).
        #[serde(default = "tenth")]
        factor: f64,
        /// Iterations without improvement allowed before a reduction.
        #[serde(default = "ten")]
        patience: u64,
        /// The share by which the cost must beat its best to count as better.
        #[serde(default = "threshold")]
        threshold: f64,
        /// Iterations after a reduction during which none are counted.
        #[serde(default)]
        cooldown: u64,
        /// The lowest learning rate.
        #[serde(default)]
        min_lr: f64,
    },
}

fn one() -> u64 {
    1
}
fn five() -> u64 {
    5
}
fn ten() -> u64 {
    10
}
fn two_thousand() -> u64 {
    2000
}
fn one_f64() -> f64 {
    1.0
}
fn third() -> f64 {
    1.0 / 3.0
}
fn tenth() -> f64 {
    0.1
}
fn pct_start() -> f64 {
    0.3
}
fn twenty_five() -> f64 {
    25.0
}
fn ten_thousand() -> f64 {
    1e4
}
fn threshold() -> f64 {
    1e-4
}

fn boxed_name_or_table<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Box<Schedule>, D::Error> {
    crate::engine::tagged::name_or_table(d).map(Box::new)
}

/// torch's `eps` of `ReduceLROnPlateau`: a reduction smaller than this is skipped.
pub const PLATEAU_EPS: f64 = 1e-8;

impl Schedule {
    /// Every kind of schedule with the values the editor starts it from.
    pub fn choices() -> Vec<Schedule> {
        vec![
            Schedule::Constant {},
            Schedule::Step {
                step_size: 100,
                gamma: 0.5,
            },
            Schedule::MultiStep {
                milestones: vec![100, 300],
                gamma: 0.1,
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
            Schedule::ConstantLr {
                factor: third(),
                total_iters: 100,
            },
            Schedule::Linear {
                start_factor: third(),
                end_factor: 1.0,
                total_iters: 100,
            },
            Schedule::Polynomial {
                total_iters: 1000,
                power: 1.0,
            },
            Schedule::Cyclic {
                base_lr: 0.001,
                max_lr: 0.1,
                step_size_up: 100,
                step_size_down: None,
                mode: CyclicMode::Triangular,
                gamma: 1.0,
            },
            Schedule::OneCycle {
                max_lr: 0.1,
                total_steps: 1000,
                pct_start: pct_start(),
                anneal_strategy: Anneal::Cos,
                div_factor: 25.0,
                final_div_factor: 1e4,
                three_phase: false,
            },
            Schedule::Warmup {
                iters: 50,
                then: Box::new(Schedule::Cosine {
                    t_max: 950,
                    eta_min: 0.0,
                }),
            },
            Schedule::Plateau {
                factor: 0.1,
                patience: 10,
                threshold: 1e-4,
                cooldown: 0,
                min_lr: 0.0,
            },
        ]
    }

    /// The schedule's name in the learner's words (the editor's list).
    pub fn label(&self) -> &'static str {
        match self {
            Self::Constant {} => "constant",
            Self::Step { .. } => "step decay",
            Self::MultiStep { .. } => "decay at milestones",
            Self::Exponential { .. } => "exponential",
            Self::Cosine { .. } => "cosine",
            Self::WarmRestarts { .. } => "warm restarts",
            Self::ConstantLr { .. } => "reduced at first",
            Self::Linear { .. } => "linear change",
            Self::Polynomial { .. } => "polynomial decay",
            Self::Cyclic { .. } => "cyclic",
            Self::OneCycle { .. } => "one cycle",
            Self::Warmup { .. } => "warm-up, then",
            Self::Plateau { .. } => "reduce on plateau",
        }
    }

    /// True when the schedule reads the cost ([`Scheduler::step`]'s argument): a run then
    /// computes the full-data cost after every update.
    pub fn needs_cost(&self) -> bool {
        matches!(self, Self::Plateau { .. })
    }

    /// True when the schedule replaces the run's learning rate with one of its own (torch's
    /// `CyclicLR` and `OneCycleLR` do).
    pub fn sets_own_rate(&self) -> bool {
        matches!(self, Self::Cyclic { .. } | Self::OneCycle { .. })
    }

    /// True when it may follow a warm-up (`then` of [`Schedule::Warmup`]): torch's
    /// `SequentialLR` refuses a plateau schedule, and the ones that set their own rate or
    /// nest do not fit the restricted form.
    pub fn can_follow_warmup(&self) -> bool {
        !matches!(
            self,
            Self::Cyclic { .. }
                | Self::OneCycle { .. }
                | Self::Warmup { .. }
                | Self::Plateau { .. }
        )
    }

    /// The learning rates of the first `iterations` updates and the one after them
    /// (`iterations + 1` values, at most [`PREVIEW_ITERATIONS`] + 1), from `base_lr`. A
    /// plateau schedule depends on the costs, unknown before the run: its preview stays at
    /// `base_lr`.
    pub fn preview(&self, base_lr: f64, iterations: u64) -> Vec<f64> {
        let n = iterations.min(PREVIEW_ITERATIONS);
        let mut scheduler = Scheduler::new(self.clone(), base_lr);
        let mut rates = Vec::with_capacity(usize::try_from(n).unwrap_or(0).saturating_add(1));
        rates.push(scheduler.learning_rate());
        for _ in 0..n {
            if !self.needs_cost() {
                scheduler.step(f64::NAN);
            }
            rates.push(scheduler.learning_rate());
        }
        rates
    }

    /// Checks the schedule's numbers (torch's ranges, and a few more where torch would
    /// divide by zero or stop with an error later).
    pub fn validate(&self) -> Result<(), String> {
        let finite = |what: &str, v: f64| {
            if v.is_finite() {
                Ok(())
            } else {
                Err(format!("{what} must be a finite number, not {v}"))
            }
        };
        let at_least_one = |what: &str, v: u64| {
            if v >= 1 {
                Ok(())
            } else {
                Err(format!("{what} must be at least 1"))
            }
        };
        let rate = |what: &str, v: f64| {
            let range = crate::engine::limits::LEARNING_RATE_RANGE;
            if v.is_finite() && range.contains(&v) {
                Ok(())
            } else {
                Err(format!(
                    "{what} must be a learning rate from {} to {}, not {v}",
                    range.start(),
                    range.end()
                ))
            }
        };
        match self {
            Self::Constant {} => Ok(()),
            Self::Step { step_size, gamma } => {
                if *step_size == 0 {
                    return Err("schedule step size must be at least 1".into());
                }
                finite("step schedule gamma", *gamma)
            }
            Self::MultiStep { milestones, gamma } => {
                if milestones.is_empty() {
                    return Err("a multistep schedule needs at least one milestone".into());
                }
                if let Some(pair) = milestones.windows(2).find(|p| p[1] <= p[0]) {
                    return Err(format!(
                        "multistep milestones must increase, but {} follows {}",
                        pair[1], pair[0]
                    ));
                }
                finite("multistep gamma", *gamma)
            }
            Self::Exponential { gamma } => finite("exponential schedule gamma", *gamma),
            Self::Cosine { t_max, eta_min } => {
                if *t_max == 0 {
                    return Err("cosine schedule T_max must be at least 1".into());
                }
                finite("cosine schedule eta_min", *eta_min)
            }
            Self::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
            } => {
                if *t_0 == 0 {
                    return Err("warm restarts T_0 must be at least 1".into());
                }
                if *t_mult == 0 {
                    return Err("warm restarts T_mult must be at least 1".into());
                }
                finite("warm restarts eta_min", *eta_min)
            }
            Self::ConstantLr {
                factor,
                total_iters,
            } => {
                if !(*factor > 0.0 && *factor <= 1.0) {
                    return Err(format!(
                        "constantlr factor must be above 0 and at most 1 (torch divides by \
                         it when the reduction ends), not {factor}"
                    ));
                }
                at_least_one("constantlr total_iters", *total_iters)
            }
            Self::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                if !(*start_factor > 0.0 && *start_factor <= 1.0) {
                    return Err(format!(
                        "linear start_factor must be above 0 and at most 1, not {start_factor}"
                    ));
                }
                if !(*end_factor >= 0.0 && *end_factor <= 1.0) {
                    return Err(format!(
                        "linear end_factor must be from 0 to 1, not {end_factor}"
                    ));
                }
                at_least_one("linear total_iters", *total_iters)
            }
            Self::Polynomial { total_iters, power } => {
                at_least_one("poly total_iters", *total_iters)?;
                if !(power.is_finite() && *power >= 0.0) {
                    return Err(format!(
                        "poly power must be a number of at least 0 (torch divides by 0 at \
                         the end otherwise), not {power}"
                    ));
                }
                Ok(())
            }
            Self::Cyclic {
                base_lr,
                max_lr,
                step_size_up,
                step_size_down: _,
                mode: _,
                gamma,
            } => {
                rate("cyclic base_lr", *base_lr)?;
                rate("cyclic max_lr", *max_lr)?;
                at_least_one("cyclic step_size_up", *step_size_up)?;
                if !(gamma.is_finite() && *gamma > 0.0) {
                    return Err(format!("cyclic gamma must be above 0, not {gamma}"));
                }
                Ok(())
            }
            Self::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal_strategy: _,
                div_factor,
                final_div_factor,
                three_phase,
            } => {
                rate("onecycle max_lr", *max_lr)?;
                at_least_one("onecycle total_steps", *total_steps)?;
                if !(*pct_start >= 0.0 && *pct_start <= 1.0) {
                    return Err(format!(
                        "onecycle pct_start must be from 0 to 1, not {pct_start}"
                    ));
                }
                for (what, v) in [
                    ("onecycle div_factor", *div_factor),
                    ("onecycle final_div_factor", *final_div_factor),
                ] {
                    if !(v.is_finite() && v > 0.0) {
                        return Err(format!("{what} must be above 0, not {v}"));
                    }
                }
                if one_cycle::has_empty_phase(*total_steps, *pct_start, *three_phase) {
                    return Err(format!(
                        "onecycle pct_start {pct_start} with total_steps {total_steps} leaves \
                         a phase of no length (torch divides by zero there)"
                    ));
                }
                Ok(())
            }
            Self::Warmup { iters, then } => {
                at_least_one("warmup ITERS", *iters)?;
                if !then.can_follow_warmup() {
                    return Err(format!(
                        "a warm-up cannot be followed by a {} schedule (only by constant, \
                         step, multistep, exp, cosine, restarts, constantlr, linear or poly)",
                        then.label()
                    ));
                }
                then.validate()
            }
            Self::Plateau {
                factor,
                patience: _,
                threshold,
                cooldown: _,
                min_lr,
            } => {
                if !(*factor >= 0.0 && *factor < 1.0) {
                    return Err(format!(
                        "plateau factor must be at least 0 and below 1, not {factor}"
                    ));
                }
                if !(threshold.is_finite() && *threshold >= 0.0) {
                    return Err(format!(
                        "plateau threshold must be a number of at least 0, not {threshold}"
                    ));
                }
                rate("plateau min_lr", *min_lr)
            }
        }
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
