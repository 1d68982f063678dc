//! A run: an optimizer stepping across J(w, b) from an initialization, one iteration at a
//! time, with mini-batches and epochs, a learning-rate schedule, termination rules and the
//! recorded history.
//!
//! Like argmin's executor, the run owns the loop (counting, batching, schedule,
//! termination, recording) while the [`Optimizer`](crate::engine::optim::Optimizer) only
//! computes one update and the [`Objective`] only evaluates J. The UI pulls one step at a
//! time ([`Run::step`]) to animate, or many at once ([`Run::advance`], [`Run::run_to_end`]).
//!
//! One iteration:
//! 1. the gradient of the next mini-batch at theta_t (the full data for batch gradient
//!    descent and for function problems, whose examples do not exist),
//! 2. plus simulated Gaussian noise (function problems only, when asked),
//! 3. clipped to a maximum norm (when asked, as torch's `clip_grad_norm_`),
//! 4. one optimizer update with the current learning rate (one per parameter group when b
//!    has a rate of its own), then one scheduler step (a plateau schedule reads the
//!    full-data cost at theta_t),
//! 5. the full-data cost and gradient at theta_{t+1} are recorded (on the rows that get
//!    them, see below) and the termination rules checked.
//!
//! The full-data cost: where one evaluation of J over all m examples costs more than
//! [`FULL_COST_WORK_RATIO`] mini-batches (`m > 4 B` for a data fit without an O(1) fast
//! path), recording it after every update would make an epoch cost m/B full passes instead of
//! one: hours for batch size 1 on 100,000 examples. Such a run records it every
//! `k = ceil(m / (4 B))` iterations, at the end of every epoch, at the row it stops at, and
//! after an update whose mini-batch cost or gradient was not finite; recording then adds at
//! most about 5 times the epoch's own mini-batch work. Function problems, fast-path data fits,
//! full-batch runs, Newton's method (which needs the full Hessian at every update) and runs
//! whose schedule reads the cost (reduce on plateau) record it on every row ([`History::full_cost_stride`] is 1), exactly as before. The termination
//! rules that read the full-data cost run on the rows that have it: the epsilon rule compares
//! J with the previous such row (`|J(t) - J(s)| < epsilon`, s = t - 1 on every-row runs), the
//! gradient rule reads the full gradient there, and a cost that is not finite is found there;
//! the parameter limits of divergence are checked on every row, and a row where they fail
//! gets its full cost too, so a divergence is reported at the same iteration as before.
//!
//! Determinism: every random number (initialization, each epoch's shuffle, the simulated
//! noise) comes from one xoshiro256++ generator seeded with the run's seed, drawn in a fixed
//! order, so the same settings and problem give a bit-identical history.

mod color;
mod history;
mod number;
mod schedule;
mod settings;
mod status;

pub use color::RunColor;
pub use history::{CSV_COLUMNS, History, Record};
pub use number::{push_shortest, shortest};
pub use schedule::{Anneal, CyclicMode, PREVIEW_ITERATIONS, Schedule, Scheduler};
pub use settings::{Initialization, RunError, RunField, RunSettings};
pub use status::{ConvergenceRule, DIVERGENCE_LIMIT, DivergenceReason, Status};

use std::fmt;
use std::sync::Arc;

use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::objective::Objective;
use super::optim::{MAX_STATE_SLOTS, Optimizer, OptimizerState, Trial};
use super::{Hessian, Point};

/// No run takes more updates than this, whatever its settings say (about 1 GB of history).
pub use crate::engine::limits::MAX_ITERATIONS;

/// How many mini-batches' worth of work one recorded full-data cost may take: a run records
/// the full-data cost every `ceil(E / (FULL_COST_WORK_RATIO * B))` iterations, where E is the
/// examples one full evaluation goes through
/// ([`Objective::full_evaluation_examples`]) and B the batch size, so an epoch spends at most
/// about this many times its mini-batch work on it (plus one evaluation at its end).
pub const FULL_COST_WORK_RATIO: u64 = 4;

/// What one update did, for a step inspector.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepDetail {
    /// The update's number t (it produced row t of the history).
    pub iteration: u64,
    /// Parameters before the update.
    pub from: Point,
    /// Parameters after the update.
    pub to: Point,
    /// `to - from`: the effective per-parameter step.
    pub step: [f64; 2],
    /// Cost of the mini-batch the update used.
    pub batch_cost: f64,
    /// Gradient the update used (after simulated noise and clipping).
    pub batch_gradient: [f64; 2],
    /// Learning rate the update used.
    pub learning_rate: f64,
    /// The optimizer's state after the update.
    pub state: OptimizerState,
}

/// How many example indices of past epochs' shuffles a run keeps for
/// [`Run::batch_examples`] (4 Mi entries, 16 MiB).
pub const BATCH_MEMORY: usize = 1 << 22;

/// An optimizer run on one problem (see the module docs).
pub struct Run {
    objective: Arc<dyn Objective>,
    settings: RunSettings,
    optimizer: Box<dyn Optimizer>,
    needs_hessian: bool,
    scheduler: Scheduler,
    /// b's own schedule when b is in a parameter group of its own.
    scheduler_b: Option<Scheduler>,
    rng: Xoshiro256PlusPlus,
    examples: usize,
    batch_size: usize,
    full_batch: bool,
    iterations_per_epoch: u64,
    order: Vec<usize>,
    /// Each epoch's shuffled example order, one after another, kept while it fits in
    /// [`BATCH_MEMORY`] entries (so a view can show which examples a past update used).
    epoch_orders: Vec<u32>,
    batch_in_epoch: u64,
    params: Point,
    /// The latest full-data cost, gradient and Hessian computed (at `params` on rows that
    /// have a full cost, at an earlier row otherwise).
    cost: f64,
    gradient: [f64; 2],
    hessian: Hessian,
    full_cost_stride: u64,
    limit: u64,
    history: History,
    status: Status,
    /// The examples of the current mini-batch (`None` for the full batch).
    batch_range: Option<std::ops::Range<usize>>,
    /// The points the last update evaluated J at (rules that evaluate it themselves).
    trials: Vec<Trial>,
}

impl fmt::Debug for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Run")
            .field("settings", &self.settings)
            .field("iteration", &self.iteration())
            .field("params", &self.params)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Uniform in [0, 1) from the top 53 bits.
fn uniform01(rng: &mut Xoshiro256PlusPlus) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Uniform in 0..n (n >= 1) without bias (Lemire's multiply-and-reject).
fn below(rng: &mut Xoshiro256PlusPlus, n: u64) -> u64 {
    let mut product = u128::from(rng.next_u64()) * u128::from(n);
    if (product as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (product as u64) < threshold {
            product = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (product >> 64) as u64
}

/// The iteration a run stops at, at the latest.
pub(crate) fn iteration_limit(settings: &RunSettings, iterations_per_epoch: u64) -> u64 {
    let limit = settings.max_iterations.min(MAX_ITERATIONS);
    match settings.max_epochs {
        Some(epochs) => limit.min(epochs.saturating_mul(iterations_per_epoch)),
        None => limit,
    }
}

/// A run's start and its random generator after drawing it (what the shuffles and the
/// simulated noise then draw from).
pub(crate) fn start(
    settings: &RunSettings,
    objective: &dyn Objective,
) -> (Point, Xoshiro256PlusPlus) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(settings.seed);
    let params = Run::initial_point(&settings.init, objective, &mut rng);
    (params, rng)
}

impl Run {
    /// Starts a run: draws the initialization, evaluates J there and records row 0. The run
    /// may already be stopped (a start where the cost is not finite, say).
    pub fn new(objective: Arc<dyn Objective>, settings: RunSettings) -> Result<Self, RunError> {
        settings.validate()?;
        let examples = objective.example_count();
        let full_batch = settings.batch_size.is_none_or(|b| b >= examples) || examples == 0;
        let batch_size = match settings.batch_size {
            Some(b) if !full_batch => b,
            _ => examples,
        };
        let iterations_per_epoch = if full_batch {
            1
        } else {
            examples.div_ceil(batch_size) as u64
        };
        let limit = iteration_limit(&settings, iterations_per_epoch);
        let (params, rng) = start(&settings, objective.as_ref());
        let optimizer = settings.optimizer.build();
        let capacity = usize::try_from(limit.saturating_add(1).min(1 << 20)).unwrap_or(1 << 20);
        let full_cost_stride =
            if full_batch || optimizer.needs_hessian() || settings.schedule.needs_cost() {
                1
            } else {
                let full = objective.full_evaluation_examples() as u64;
                full.div_ceil(FULL_COST_WORK_RATIO.saturating_mul(batch_size as u64))
                    .max(1)
            };
        let history = History::new(
            iterations_per_epoch,
            full_cost_stride,
            optimizer.state_width(),
            capacity,
        );
        let order = if full_batch {
            Vec::new()
        } else {
            (0..examples).collect()
        };
        let mut run = Self {
            objective,
            scheduler: Scheduler::new(settings.schedule.clone(), settings.learning_rate),
            scheduler_b: settings
                .learning_rate_b
                .map(|rate| Scheduler::new(settings.schedule.clone(), rate)),
            settings,
            needs_hessian: optimizer.needs_hessian(),
            optimizer,
            rng,
            examples,
            batch_size,
            full_batch,
            iterations_per_epoch,
            order,
            epoch_orders: Vec::new(),
            batch_in_epoch: 0,
            params,
            cost: f64::NAN,
            gradient: [f64::NAN; 2],
            hessian: [[f64::NAN; 2]; 2],
            full_cost_stride,
            limit,
            history,
            status: Status::Running,
            batch_range: None,
            trials: Vec::new(),
        };
        run.evaluate();
        run.record(true, f64::NAN, [f64::NAN; 2]);
        run.status = run.check(None);
        Ok(run)
    }

    /// Drops the history and re-simulates from the start with new settings (same problem).
    pub fn restart(&mut self, settings: RunSettings) -> Result<(), RunError> {
        *self = Self::new(self.objective.clone(), settings)?;
        Ok(())
    }

    fn initial_point(
        init: &Initialization,
        objective: &dyn Objective,
        rng: &mut Xoshiro256PlusPlus,
    ) -> Point {
        match *init {
            Initialization::Zero {} => [0.0, 0.0],
            Initialization::Manual { w, b } => [w, b],
            Initialization::Uniform {} => {
                let d = objective.domain();
                let (u, v) = (uniform01(rng), uniform01(rng));
                if d.is_valid() {
                    [d.w_min + u * d.w_span(), d.b_min + v * d.b_span()]
                } else {
                    [0.0, 0.0]
                }
            }
            Initialization::Xavier { fan_in } => {
                let std = (1.0 / f64::from(fan_in.max(1))).sqrt();
                let w: f64 = StandardNormal.sample(rng);
                let b: f64 = StandardNormal.sample(rng);
                [w * std, b * std]
            }
        }
    }

    /// Full-data cost, gradient (and Hessian when the optimizer needs it) at `params`.
    #[inline]
    fn evaluate(&mut self) {
        if self.needs_hessian {
            let d = self.objective.derivatives(self.params);
            self.cost = d.value;
            self.gradient = d.gradient;
            self.hessian = d.hessian;
        } else {
            (self.cost, self.gradient) = self.objective.value_gradient(self.params);
        }
    }

    /// Appends the row for the current parameters, with the full-data cost when `full`.
    #[inline]
    fn record(&mut self, full: bool, batch_cost: f64, batch_gradient: [f64; 2]) {
        let mut state = [0.0; MAX_STATE_SLOTS];
        let width = self.history.state_width();
        self.optimizer.save_state(&mut state[..width]);
        self.history.push(
            self.params,
            full.then_some((self.cost, self.gradient)),
            batch_cost,
            batch_gradient,
            self.scheduler.learning_rate(),
            &state[..width],
        );
        if self.optimizer.evaluates() {
            self.history.push_trials(&self.trials);
        }
    }

    /// The status after the row just recorded, which holds the full-data cost
    /// (`previous_cost` is J of the previous row that does).
    fn check(&self, previous_cost: Option<f64>) -> Status {
        let iteration = self.iteration();
        let diverged = |reason| Status::Diverged { iteration, reason };
        if !self.cost.is_finite() {
            return diverged(DivergenceReason::CostNotFinite { cost: self.cost });
        }
        if let Some(reason) = self.parameter_divergence() {
            return diverged(reason);
        }
        if let (Some(epsilon), Some(previous)) = (self.settings.epsilon, previous_cost)
            && (self.cost - previous).abs() < epsilon
        {
            let rule = ConvergenceRule::CostChange { epsilon };
            return Status::Converged { iteration, rule };
        }
        if let Some(tolerance) = self.settings.grad_tol {
            let [gw, gb] = self.gradient;
            if (gw * gw + gb * gb).sqrt() < tolerance {
                let rule = ConvergenceRule::GradientNorm { tolerance };
                return Status::Converged { iteration, rule };
            }
        }
        if iteration >= self.limit {
            return Status::ReachedLimit { iteration };
        }
        Status::Running
    }

    /// Why the current parameters count as diverged, if they do.
    fn parameter_divergence(&self) -> Option<DivergenceReason> {
        for (parameter, value) in [("w", self.params[0]), ("b", self.params[1])] {
            if !value.is_finite() {
                return Some(DivergenceReason::ParameterNotFinite { parameter, value });
            }
            if value.abs() > DIVERGENCE_LIMIT {
                return Some(DivergenceReason::ParameterTooLarge { parameter, value });
            }
        }
        None
    }

    /// True when row `t` (about to be recorded) gets the full-data cost for a reason other
    /// than being the row the run stops at by its iteration limit: on the stride, at an
    /// epoch's end, after an update from a mini-batch whose cost or gradient is not finite,
    /// or where the parameters have diverged.
    fn full_cost_due(&self, t: u64, batch_cost: f64, batch_gradient: [f64; 2]) -> bool {
        self.full_cost_stride == 1
            || t.is_multiple_of(self.full_cost_stride)
            || t.is_multiple_of(self.iterations_per_epoch)
            || !(batch_cost.is_finite() && batch_gradient.iter().all(|g| g.is_finite()))
            || self.parameter_divergence().is_some()
    }

    /// Takes one iteration (one update on one mini-batch). Returns false, doing nothing,
    /// when the run has stopped.
    pub fn step(&mut self) -> bool {
        self.step_at(None)
    }

    /// One iteration whose update uses `rates` (w's, b's) instead of the schedule's rates;
    /// the schedule still steps. The learning-rate range test sweeps the rate this way, with
    /// everything else (batches, noise, clipping, the optimizer's state, the stopping rules)
    /// exactly as in [`Run::step`]. The history's learning-rate column keeps the schedule's.
    pub(crate) fn step_with_learning_rates(&mut self, rates: [f64; 2]) -> bool {
        self.step_at(Some(rates))
    }

    #[inline]
    fn step_at(&mut self, rates: Option<[f64; 2]>) -> bool {
        if !self.status.is_running() {
            return false;
        }
        // 1. The batch's cost and mean gradient at theta_t.
        let (batch_cost, mut g) = if self.full_batch {
            (self.cost, self.gradient)
        } else {
            if self.batch_in_epoch == 0 {
                // Fisher-Yates shuffle of the example indices with the run's generator.
                for i in (1..self.order.len()).rev() {
                    let j = below(&mut self.rng, i as u64 + 1) as usize;
                    self.order.swap(i, j);
                }
                if self.epoch_orders.len().saturating_add(self.examples) <= BATCH_MEMORY {
                    let order = self
                        .order
                        .iter()
                        .map(|&i| u32::try_from(i).unwrap_or(u32::MAX));
                    self.epoch_orders.extend(order);
                }
            }
            let start = (self.batch_in_epoch as usize).saturating_mul(self.batch_size);
            let end = start.saturating_add(self.batch_size).min(self.examples);
            self.batch_range = Some(start..end);
            let batch = self.order.get(start..end).unwrap_or(&[]);
            self.objective.batch_value_gradient(self.params, batch)
        };
        // 2. Simulated noise (function problems only).
        let sigma = self.settings.simulated_noise;
        if self.examples == 0 && sigma > 0.0 {
            let nw: f64 = StandardNormal.sample(&mut self.rng);
            let nb: f64 = StandardNormal.sample(&mut self.rng);
            g = [g[0] + sigma * nw, g[1] + sigma * nb];
        }
        // 3. Clipping by norm (torch: clip_coef = max_norm / (total_norm + 1e-6), at most 1).
        if let Some(max_norm) = self.settings.clip_norm {
            let total_norm = (g[0] * g[0] + g[1] * g[1]).sqrt();
            let coef = (max_norm / (total_norm + 1e-6)).min(1.0);
            g = [g[0] * coef, g[1] * coef];
        }
        // 4. The update, then the schedule (fed the full-data cost at theta_t, which a
        // schedule that reads it has on every row).
        let cost_before = self.cost;
        let [lr, lr_b] = rates.unwrap_or_else(|| {
            let lr = self.scheduler.learning_rate();
            let lr_b = self
                .scheduler_b
                .as_ref()
                .map_or(lr, Scheduler::learning_rate);
            [lr, lr_b]
        });
        if self.optimizer.evaluates() {
            // torch's `optimizer.step(closure)`: the closure evaluates the same mini-batch
            // (without simulated noise or clipping) wherever the rule asks.
            let objective = &self.objective;
            let batch = self.batch_range.clone().and_then(|r| self.order.get(r));
            let mut evaluate = |p: Point| match batch {
                Some(batch) => objective.batch_value_gradient(p, batch),
                None => objective.value_gradient(p),
            };
            self.trials.clear();
            let taken = self.optimizer.step_evaluating(
                &mut self.params,
                batch_cost,
                g,
                [lr, lr_b],
                &mut evaluate,
                &mut self.trials,
            );
            self.history.set_last_learning_rate(taken);
        } else {
            let hessian = self.needs_hessian.then_some(&self.hessian);
            self.optimizer
                .step_groups(&mut self.params, g, hessian, [lr, lr_b]);
        }
        self.scheduler.step(cost_before);
        if let Some(scheduler) = &mut self.scheduler_b {
            scheduler.step(cost_before);
        }
        self.batch_in_epoch += 1;
        if self.batch_in_epoch >= self.iterations_per_epoch {
            self.batch_in_epoch = 0;
        }
        // 5. Record and check (see the module docs for the rows without a full cost).
        let t = self.iteration() + 1;
        if self.full_cost_due(t, batch_cost, g) || t >= self.limit {
            let previous_cost = self.cost;
            self.evaluate();
            self.record(true, batch_cost, g);
            self.status = self.check(Some(previous_cost));
        } else {
            self.record(false, batch_cost, g);
        }
        true
    }

    /// Takes up to `n` iterations; returns how many were taken.
    pub fn advance(&mut self, n: u64) -> u64 {
        let mut taken = 0;
        while taken < n && self.step() {
            taken += 1;
        }
        taken
    }

    /// Steps until the run stops; returns the final status.
    pub fn run_to_end(&mut self) -> Status {
        while self.step() {}
        self.status
    }

    /// Allows `more` iterations beyond the current one (within [`MAX_ITERATIONS`]) without
    /// recomputing the past: the iteration limit becomes `iteration + more` (the settings
    /// change to match, so re-simulating them reproduces this history) and a run that had
    /// reached its limit continues. Converged or diverged runs stay stopped.
    pub fn extend(&mut self, more: u64) {
        let limit = self.iteration().saturating_add(more).min(MAX_ITERATIONS);
        self.settings.max_iterations = limit;
        self.settings.max_epochs = None;
        self.limit = limit;
        if matches!(self.status, Status::ReachedLimit { .. }) && self.iteration() < limit {
            self.status = Status::Running;
            self.forget_limit_full_cost();
        }
    }

    /// A run with a larger limit would not have computed the full-data cost at the row this
    /// one stopped at by its limit unless another rule asked for it: drop it there (so the
    /// history stays the one its settings give) and take up the previous full cost again.
    fn forget_limit_full_cost(&mut self) {
        let t = self.iteration();
        let Some(row) = self.history.get(t as usize) else {
            return;
        };
        if t == 0
            || self.full_cost_due(t, row.batch_cost, row.batch_gradient)
            || !self.history.forget_last_full_cost()
        {
            return;
        }
        if let Some(previous) = self
            .history
            .last_full_cost_row()
            .and_then(|t| self.history.get(t))
        {
            self.cost = previous.cost;
            self.gradient = previous.gradient;
        }
    }

    /// The settings that reproduce this run.
    pub fn settings(&self) -> &RunSettings {
        &self.settings
    }

    /// The problem.
    pub fn objective(&self) -> &Arc<dyn Objective> {
        &self.objective
    }

    /// Running, converged, diverged or at its limit.
    pub fn status(&self) -> Status {
        self.status
    }

    /// True once the run has stopped.
    pub fn is_finished(&self) -> bool {
        !self.status.is_running()
    }

    /// The recorded history (row t = after t updates).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Updates taken so far.
    pub fn iteration(&self) -> u64 {
        self.history.len().saturating_sub(1) as u64
    }

    /// Epochs completed so far.
    pub fn epoch(&self) -> u64 {
        self.history.epoch_of(self.iteration())
    }

    /// Updates per epoch: ceil(m / batch size), 1 for full-batch runs and function problems.
    pub fn iterations_per_epoch(&self) -> u64 {
        self.iterations_per_epoch
    }

    /// The number of training examples m (0 for a function problem).
    pub fn example_count(&self) -> usize {
        self.examples
    }

    /// The examples of the mini-batch that update `iteration` (1-based: the update from row
    /// `iteration - 1` to row `iteration`) used. `None` for function problems, full-batch
    /// runs (every example), updates not taken yet, and epochs beyond the
    /// [`BATCH_MEMORY`] examples kept.
    pub fn batch_examples(&self, iteration: u64) -> Option<Vec<usize>> {
        if self.full_batch || self.examples == 0 || iteration == 0 || iteration > self.iteration() {
            return None;
        }
        let epoch = usize::try_from((iteration - 1) / self.iterations_per_epoch).ok()?;
        let batch = usize::try_from((iteration - 1) % self.iterations_per_epoch).ok()?;
        let order_start = epoch.checked_mul(self.examples)?;
        let order = self
            .epoch_orders
            .get(order_start..order_start.checked_add(self.examples)?)?;
        let start = batch.checked_mul(self.batch_size)?;
        let end = start.saturating_add(self.batch_size).min(self.examples);
        Some(order.get(start..end)?.iter().map(|&i| i as usize).collect())
    }

    /// The batch size actually used (m for full-batch runs, 0 for function problems).
    pub fn batch_size(&self) -> usize {
        self.batch_size
    }

    /// The iteration at which the run will stop at the latest.
    pub fn iteration_limit(&self) -> u64 {
        self.limit
    }

    /// The current `[w, b]`.
    pub fn params(&self) -> Point {
        self.params
    }

    /// The full-data cost at the current parameters; NaN when the current row does not hold
    /// it (see [`History::full_cost_stride`]; a stopped run's last row always does).
    pub fn cost(&self) -> f64 {
        self.history.last().map_or(f64::NAN, |r| r.cost)
    }

    /// The learning rate the next update will use.
    pub fn learning_rate(&self) -> f64 {
        self.scheduler.learning_rate()
    }

    /// The optimizer's current state, named.
    pub fn optimizer_state(&self) -> OptimizerState {
        self.state_at(self.iteration())
            .unwrap_or(OptimizerState::Stateless)
    }

    /// The optimizer's state after `iteration` updates, named.
    pub fn state_at(&self, iteration: u64) -> Option<OptimizerState> {
        let t = usize::try_from(iteration).ok()?;
        let saved = self.history.saved_state(t)?;
        let lr_used = match t.checked_sub(1) {
            Some(previous) => *self.history.learning_rates().get(previous)?,
            None => self.settings.learning_rate,
        };
        Some(self.optimizer.describe_state(saved, iteration, lr_used))
    }

    /// The points update number `iteration` evaluated J at besides its start (a line
    /// search's trial steps, L-BFGS's inner iterates), in order; empty for other rules.
    pub fn trials(&self, iteration: u64) -> &[Trial] {
        usize::try_from(iteration).map_or(&[], |t| self.history.trials(t))
    }

    /// What update number `iteration` (1-based: it produced row `iteration`) did.
    pub fn step_detail(&self, iteration: u64) -> Option<StepDetail> {
        let t = usize::try_from(iteration).ok()?;
        let previous = t.checked_sub(1)?;
        let h = &self.history;
        let from = *h.params().get(previous)?;
        let to = *h.params().get(t)?;
        Some(StepDetail {
            iteration,
            from,
            to,
            step: [to[0] - from[0], to[1] - from[1]],
            batch_cost: *h.batch_costs().get(t)?,
            batch_gradient: *h.batch_gradients().get(t)?,
            learning_rate: *h.learning_rates().get(previous)?,
            state: self.state_at(iteration)?,
        })
    }
}
