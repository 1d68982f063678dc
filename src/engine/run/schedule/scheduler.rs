//! A schedule running: torch's recursive (chainable) `get_lr` forms, operation for
//! operation, so the rates round as torch's do.

use std::f64::consts::PI;

use super::Schedule;
use super::cyclic::Cycle;
use super::one_cycle::OneCycle;
use super::plateau::{Plateau, Rules};

/// A running schedule: the learning rate after some number of steps (torch's scheduler
/// state, one parameter group).
#[derive(Clone, Debug, PartialEq)]
pub struct Scheduler {
    schedule: Schedule,
    /// torch's `base_lrs` entry (the group's `initial_lr`).
    base_lr: f64,
    /// torch's group `lr`: the rate the next update uses.
    lr: f64,
    /// torch's `last_epoch`.
    last_epoch: u64,
    /// Warm restarts: iterations since the last restart and the current period.
    t_cur: u64,
    t_i: u64,
    /// Multistep: the index of the next milestone.
    next_milestone: usize,
    plateau: Plateau,
    /// Warm-up: the schedule that follows it.
    then: Option<Box<Scheduler>>,
}

impl Scheduler {
    /// A schedule starting at `base_lr`: torch's state right after construction (some
    /// schedules change the rate there already: `ConstantLR`, `LinearLR`, a warm-up,
    /// `CyclicLR` and `OneCycleLR`, a milestone at 0).
    pub fn new(schedule: Schedule, base_lr: f64) -> Self {
        let t_i = match schedule {
            Schedule::WarmRestarts { t_0, .. } => t_0.max(1),
            _ => 1,
        };
        let then = match &schedule {
            Schedule::Warmup { then, .. } => {
                Some(Box::new(Scheduler::new(then.as_ref().clone(), base_lr)))
            }
            _ => None,
        };
        let mut scheduler = Self {
            schedule,
            base_lr,
            lr: base_lr,
            last_epoch: 0,
            t_cur: 0,
            t_i,
            next_milestone: 0,
            plateau: Plateau::default(),
            then,
        };
        scheduler.lr = scheduler.initial_rate();
        scheduler
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

    /// torch's initial step (`last_epoch = 0`) from the group's rate `base_lr`.
    fn initial_rate(&mut self) -> f64 {
        let lr = self.base_lr;
        match &self.schedule {
            Schedule::MultiStep { milestones, gamma } => {
                if milestones.first() == Some(&0) {
                    self.next_milestone = 1;
                    lr * gamma
                } else {
                    lr
                }
            }
            Schedule::WarmRestarts { eta_min, .. } => cosine_rate(*eta_min, self.base_lr, 0, 1),
            Schedule::ConstantLr { factor, .. } => lr * factor,
            Schedule::Linear { start_factor, .. } => lr * start_factor,
            Schedule::Cyclic { .. } => self.cycle().map_or(lr, |c| c.rate(0)),
            Schedule::OneCycle { .. } => self.one_cycle().map_or(lr, |c| c.rate(0)),
            // SequentialLR resets the rate to `initial_lr`, then LinearLR's initial step.
            Schedule::Warmup { iters, .. } => lr * (1.0 / (*iters).max(1) as f64),
            Schedule::Constant {}
            | Schedule::Step { .. }
            | Schedule::Exponential { .. }
            | Schedule::Cosine { .. }
            | Schedule::Polynomial { .. }
            | Schedule::Plateau { .. } => lr,
        }
    }

    fn cycle(&self) -> Option<Cycle> {
        match self.schedule {
            Schedule::Cyclic {
                base_lr,
                max_lr,
                step_size_up,
                step_size_down,
                mode,
                gamma,
            } => Some(Cycle {
                base_lr,
                max_lr,
                step_size_up,
                step_size_down,
                mode,
                gamma,
            }),
            _ => None,
        }
    }

    fn one_cycle(&self) -> Option<OneCycle> {
        match self.schedule {
            Schedule::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal_strategy,
                div_factor,
                final_div_factor,
                three_phase,
            } => Some(OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal: anneal_strategy,
                div_factor,
                final_div_factor,
                three_phase,
            }),
            _ => None,
        }
    }

    /// One scheduler step, after an update; `cost` is the full-data cost at the point that
    /// update started from (only a plateau schedule reads it: torch's `step(loss)`).
    #[inline]
    pub fn step(&mut self, cost: f64) {
        self.last_epoch += 1;
        let t = self.last_epoch;
        let lr = self.lr;
        self.lr = match &self.schedule {
            Schedule::Constant {} => lr,
            Schedule::Step { step_size, gamma } => {
                if t.is_multiple_of((*step_size).max(1)) {
                    lr * gamma
                } else {
                    lr
                }
            }
            Schedule::MultiStep { milestones, gamma } => {
                if milestones.get(self.next_milestone) == Some(&t) {
                    self.next_milestone += 1;
                    lr * gamma
                } else {
                    lr
                }
            }
            Schedule::Exponential { gamma } => lr * gamma,
            Schedule::Cosine { t_max, eta_min } => {
                let t_max = (*t_max).max(1);
                let tm = t_max as f64;
                let (t_i, t_f) = (t as i128, t as f64);
                if (t_i - 1 - t_max as i128).rem_euclid(2 * t_max as i128) == 0 {
                    lr + (self.base_lr - eta_min) * (1.0 - (PI / tm).cos()) / 2.0
                } else {
                    (1.0 + (PI * t_f / tm).cos()) / (1.0 + (PI * (t_f - 1.0) / tm).cos())
                        * (lr - eta_min)
                        + eta_min
                }
            }
            Schedule::WarmRestarts {
                t_mult, eta_min, ..
            } => {
                self.t_cur += 1;
                if self.t_cur >= self.t_i {
                    self.t_cur %= self.t_i;
                    self.t_i = self.t_i.saturating_mul((*t_mult).max(1));
                }
                cosine_rate(*eta_min, self.base_lr, self.t_cur, self.t_i)
            }
            Schedule::ConstantLr {
                factor,
                total_iters,
            } => {
                if t == *total_iters {
                    lr * (1.0 / factor)
                } else {
                    lr
                }
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => linear_step(lr, *start_factor, *end_factor, *total_iters, t),
            Schedule::Polynomial { total_iters, power } => {
                if t > *total_iters {
                    lr
                } else {
                    let total = *total_iters as f64;
                    let decay_factor =
                        ((1.0 - t as f64 / total) / (1.0 - (t - 1) as f64 / total)).powf(*power);
                    lr * decay_factor
                }
            }
            Schedule::Cyclic { .. } => self.cycle().map_or(lr, |c| c.rate(t)),
            Schedule::OneCycle { .. } => self.one_cycle().map_or(lr, |c| c.rate(t)),
            Schedule::Warmup { iters, .. } => {
                let iters = *iters;
                match &mut self.then {
                    Some(then) if t >= iters => {
                        if t == iters {
                            then.restart();
                        } else {
                            then.step(cost);
                        }
                        then.lr
                    }
                    _ => linear_step(lr, 1.0 / iters.max(1) as f64, 1.0, iters, t),
                }
            }
            Schedule::Plateau {
                factor,
                patience,
                threshold,
                cooldown,
                min_lr,
            } => {
                let rules = Rules {
                    factor: *factor,
                    patience: *patience,
                    threshold: *threshold,
                    cooldown: *cooldown,
                    min_lr: *min_lr,
                };
                self.plateau.step(&rules, cost, lr)
            }
        };
    }

    /// What `SequentialLR` does to the schedule after a warm-up at its milestone (torch's
    /// `_update_lr(0)`): `last_epoch` back to 0 and the rate from its closed form there
    /// (from `get_lr` for warm restarts, which has none).
    fn restart(&mut self) {
        self.last_epoch = 0;
        let base = self.base_lr;
        self.lr = match &self.schedule {
            Schedule::Step { gamma, .. } | Schedule::Exponential { gamma } => {
                base * gamma.powf(0.0)
            }
            Schedule::MultiStep { milestones, gamma } => {
                let passed = milestones.iter().take_while(|&&m| m == 0).count();
                self.next_milestone = passed;
                base * gamma.powf(passed as f64)
            }
            Schedule::Cosine { t_max, eta_min } => {
                eta_min + (base - eta_min) * (1.0 + (PI * 0.0 / *t_max as f64).cos()) / 2.0
            }
            Schedule::WarmRestarts { eta_min, .. } => {
                cosine_rate(*eta_min, base, self.t_cur, self.t_i)
            }
            Schedule::ConstantLr {
                factor,
                total_iters,
            } => {
                let ended = if *total_iters == 0 { 1.0 - factor } else { 0.0 };
                base * (factor + ended)
            }
            Schedule::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => {
                let total = *total_iters as f64;
                base * (start_factor + (end_factor - start_factor) * 0.0 / total)
            }
            Schedule::Polynomial { total_iters, power } => {
                base * (1.0 - 0.0 / *total_iters as f64).powf(*power)
            }
            Schedule::Constant {}
            | Schedule::Cyclic { .. }
            | Schedule::OneCycle { .. }
            | Schedule::Warmup { .. }
            | Schedule::Plateau { .. } => base,
        };
    }
}

/// torch `LinearLR`'s chainable step `t` from `lr`.
fn linear_step(lr: f64, start: f64, end: f64, total_iters: u64, t: u64) -> f64 {
    if t > total_iters {
        return lr;
    }
    let change = end - start;
    lr * (1.0 + change / (total_iters as f64 * start + (t - 1) as f64 * change))
}

/// `eta_min + (base - eta_min) (1 + cos(pi t_cur / t_i)) / 2`, as torch's warm restarts.
fn cosine_rate(eta_min: f64, base_lr: f64, t_cur: u64, t_i: u64) -> f64 {
    let angle = PI * t_cur as f64 / t_i as f64;
    eta_min + (base_lr - eta_min) * (1.0 + angle.cos()) / 2.0
}
