//! The fast path of a map job: many runs of one function problem stepped together.
//!
//! A block holds up to [`LANES`] runs (lanes), one number per lane in each array. One pass
//! updates every lane with its own optimizer, then evaluates J and its gradient at all new
//! points through the compiled formula at once ([`Objective::value_gradient_batch`]), then
//! checks every lane with the single run's rules. A lane whose run ended leaves the block
//! and, when half the block is free, new cells take the free lanes. Each lane does exactly
//! the arithmetic of [`Run::step`](crate::engine::run::Run::step) for a full-batch run (the
//! same optimizer code, schedule, noise draws, clipping and tests), so a cell's outcome is
//! the single run's bit for bit; no step allocates. Each pass is compiled for the widest
//! vectors the processor has and chosen at run time ([`pulp`]); vector width changes how many
//! lanes one instruction serves, never an operation or its rounding.

use std::sync::atomic::{AtomicBool, Ordering};

use rand_distr::{Distribution, StandardNormal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{AxisName, CellOutcome, CellStatus, Interrupted, MapJob, MapSink, Queue, TracePoint};
use crate::engine::Point;
use crate::engine::expr::GradientScratch;
use crate::engine::optim::{FromSettings, LaneUpdate, RuleLanes};
use crate::engine::run::{
    DIVERGENCE_LIMIT, RunSettings, Schedule, Scheduler, iteration_limit, start,
};

/// Runs per block: one chunk of the batched formula evaluation.
pub const LANES: usize = crate::engine::expr::CHUNK;

/// How many trace rows a block may hold at once (the rows of its unfinished runs).
const TRACE_ROWS_PER_BLOCK: u64 = 1 << 22;

/// Cells reported to the sink at once.
const REPORT_EVERY: usize = 64;

/// The runs of one block, one entry per lane in every array.
struct Lanes<O: FromSettings> {
    cell: Vec<usize>,
    /// The block's pass count when the lane's run started (its iteration is the passes
    /// since: one counter for the block instead of one per lane).
    joined: Vec<u64>,
    /// Passes the block has made.
    passes: u64,
    limit: Vec<u64>,
    w: Vec<f64>,
    b: Vec<f64>,
    cost: Vec<f64>,
    /// J at the row before (read by the epsilon test).
    previous: Vec<f64>,
    grad_w: Vec<f64>,
    grad_b: Vec<f64>,
    /// The learning rates the next update uses (w's group, b's group).
    lr_w: Vec<f64>,
    lr_b: Vec<f64>,
    noise: Vec<f64>,
    optimizer: O::Lanes,
    /// The learning-rate schedules of w's and b's groups (none with a constant schedule).
    scheduler: Vec<Scheduler>,
    scheduler_b: Vec<Option<Scheduler>>,
    rng: Vec<Xoshiro256PlusPlus>,
    trace: Vec<Vec<TracePoint>>,
}

impl<O: FromSettings> Lanes<O> {
    /// Room for `n` lanes, whose rules are kept in `optimizer`.
    fn with_capacity(n: usize, optimizer: O::Lanes) -> Self {
        Self {
            cell: Vec::with_capacity(n),
            joined: Vec::with_capacity(n),
            passes: 0,
            limit: Vec::with_capacity(n),
            w: Vec::with_capacity(n),
            b: Vec::with_capacity(n),
            cost: Vec::with_capacity(n),
            previous: Vec::with_capacity(n),
            lr_w: Vec::with_capacity(n),
            lr_b: Vec::with_capacity(n),
            grad_w: Vec::with_capacity(n),
            grad_b: Vec::with_capacity(n),
            noise: Vec::with_capacity(n),
            optimizer,
            scheduler: Vec::with_capacity(n),
            scheduler_b: Vec::with_capacity(n),
            rng: Vec::with_capacity(n),
            trace: Vec::with_capacity(n),
        }
    }

    fn len(&self) -> usize {
        self.cell.len()
    }

    /// The iteration lane `i`'s run is at.
    #[inline(always)]
    fn iteration(&self, i: usize) -> u64 {
        self.passes - self.joined[i]
    }

    /// Updates until the first lane from `from` on reaches its iteration limit.
    fn until_limit(&self, from: usize) -> u64 {
        let limits = self.limit.iter().zip(&self.joined).skip(from);
        limits
            .map(|(l, joined)| l.saturating_sub(self.passes - joined))
            .min()
            .unwrap_or(u64::MAX)
    }

    /// Removes lane `i`, moving the last lane into its place; returns its trace.
    fn swap_remove(&mut self, i: usize) -> Option<Vec<TracePoint>> {
        self.cell.swap_remove(i);
        self.joined.swap_remove(i);
        self.limit.swap_remove(i);
        self.w.swap_remove(i);
        self.b.swap_remove(i);
        self.cost.swap_remove(i);
        self.previous.swap_remove(i);
        self.lr_w.swap_remove(i);
        self.lr_b.swap_remove(i);
        self.grad_w.swap_remove(i);
        self.grad_b.swap_remove(i);
        self.noise.swap_remove(i);
        self.optimizer.swap_remove(i);
        if i < self.scheduler.len() {
            self.scheduler.swap_remove(i);
            self.scheduler_b.swap_remove(i);
        }
        self.rng.swap_remove(i);
        (i < self.trace.len()).then(|| self.trace.swap_remove(i))
    }
}

/// New schedulers of w's and b's groups for a run with `settings`.
fn schedulers(settings: &RunSettings) -> (Scheduler, Option<Scheduler>) {
    let b = settings
        .learning_rate_b
        .map(|rate| Scheduler::new(settings.schedule.clone(), rate));
    (
        Scheduler::new(settings.schedule.clone(), settings.learning_rate),
        b,
    )
}

/// What the base settings fix for every lane (no axis changes them).
struct Rules {
    clip_norm: Option<f64>,
    epsilon: Option<f64>,
    grad_tol: Option<f64>,
    /// The learning rates never change (a constant schedule).
    constant_rates: bool,
    /// Some cell adds simulated noise.
    noise: bool,
    /// Every lane's rule is made from the base settings (no axis changes a hyper-parameter).
    same_optimizer: bool,
}

impl Rules {
    fn of(job: &MapJob) -> Self {
        let settings = &job.base;
        let axes = std::iter::once(job.x.name).chain(job.y.map(|y| y.name));
        Self {
            clip_norm: settings.clip_norm,
            epsilon: settings.epsilon,
            grad_tol: settings.grad_tol,
            constant_rates: matches!(settings.schedule, Schedule::Constant {}),
            noise: settings.simulated_noise > 0.0 || axes.clone().any(|a| a == AxisName::Noise),
            same_optimizer: !axes.into_iter().any(AxisName::changes_optimizer),
        }
    }

    /// True when some lane's run may have ended by its cost, parameters or gradient: tests
    /// of every lane without branches (the conditions of [`Rules::verdict`] after an
    /// update, which then says which). The iteration limit is watched by the block.
    #[inline(always)]
    fn any_ended(&self, lanes: &Lanes<impl FromSettings>) -> bool {
        let n = lanes.len();
        let (w, b, cost) = (&lanes.w[..n], &lanes.b[..n], &lanes.cost[..n]);
        let mut any = false;
        for i in 0..n {
            // "Not finite or too large": NaN is the one value above no limit.
            let (w, b) = (w[i], b[i]);
            any |= !cost[i].is_finite()
                | w.is_nan()
                | (w.abs() > DIVERGENCE_LIMIT)
                | b.is_nan()
                | (b.abs() > DIVERGENCE_LIMIT);
        }
        if let Some(epsilon) = self.epsilon {
            let previous = &lanes.previous[..n];
            for i in 0..n {
                any |= (cost[i] - previous[i]).abs() < epsilon;
            }
        }
        if let Some(tolerance) = self.grad_tol {
            let (grad_w, grad_b) = (&lanes.grad_w[..n], &lanes.grad_b[..n]);
            for i in 0..n {
                any |= (grad_w[i] * grad_w[i] + grad_b[i] * grad_b[i]).sqrt() < tolerance;
            }
        }
        any
    }

    /// [`Run::check`](crate::engine::run::Run)'s verdict on a row: None while running.
    #[inline]
    fn verdict(
        &self,
        iteration: u64,
        limit: u64,
        params: [f64; 2],
        cost: f64,
        previous: Option<f64>,
        gradient: [f64; 2],
    ) -> Option<CellStatus> {
        let diverged = |p: f64| !p.is_finite() || p.abs() > DIVERGENCE_LIMIT;
        if !cost.is_finite() || diverged(params[0]) || diverged(params[1]) {
            return Some(if iteration == 0 {
                CellStatus::Undefined
            } else {
                CellStatus::Diverged
            });
        }
        if let (Some(epsilon), Some(previous)) = (self.epsilon, previous)
            && (cost - previous).abs() < epsilon
        {
            return Some(CellStatus::Converged);
        }
        if let Some(tolerance) = self.grad_tol {
            let [gw, gb] = gradient;
            if (gw * gw + gb * gb).sqrt() < tolerance {
                return Some(CellStatus::Converged);
            }
        }
        (iteration >= limit).then_some(CellStatus::Limit)
    }
}

/// One worker's share of a job: takes cells from `queue` in blocks until none are left, with
/// the update rule `O`.
pub(super) fn run_blocks<O: FromSettings>(
    job: &MapJob,
    queue: &Queue<'_>,
    trace: bool,
    cancel: Option<&AtomicBool>,
    sink: &dyn MapSink,
) -> Result<(), Interrupted> {
    let capacity = if trace {
        let rows = iteration_limit(&job.base, 1).saturating_add(1);
        usize::try_from(TRACE_ROWS_PER_BLOCK / rows)
            .unwrap_or(LANES)
            .clamp(1, LANES)
    } else {
        LANES
    };
    let rules = Rules::of(job);
    let first = O::from_settings(&job.base.optimizer);
    let optimizer = O::Lanes::new(capacity, rules.same_optimizer, first.as_ref());
    let mut block = Block {
        job,
        template: Lane::template(job, &rules),
        rules,
        lanes: Lanes::<O>::with_capacity(capacity, optimizer),
        scratch: GradientScratch::default(),
        finished: Vec::with_capacity(LANES + REPORT_EVERY),
        spare_traces: Vec::new(),
        until_limit: u64::MAX,
        trace,
        sink,
    };
    loop {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return Err(Interrupted);
        }
        // Free lanes take new cells when half the block is free.
        if block.lanes.len() <= capacity / 2 {
            let first = block.lanes.len();
            for &cell in queue.take(capacity - first) {
                block.add_lane(cell)?;
            }
            if block.lanes.len() == 0 {
                break;
            }
            if block.lanes.len() > first {
                block.evaluate(first);
                block.settle(first, true);
                continue;
            }
        }
        pulp::Arch::new().dispatch(Pass(&mut block));
        if block.finished.len() >= REPORT_EVERY {
            sink.finished(&block.finished);
            block.finished.clear();
        }
    }
    if !block.finished.is_empty() {
        sink.finished(&block.finished);
    }
    Ok(())
}

/// One pass over a block (update, evaluate, settle), compiled once per instruction set and
/// run with the widest vectors the processor has: the same operations, so the same bits.
struct Pass<'a, 'b, O: FromSettings>(&'a mut Block<'b, O>);

impl<O: FromSettings> pulp::WithSimd for Pass<'_, '_, O> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        let block = self.0;
        block.update();
        block.evaluate(0);
        block.settle(0, false);
    }
}

/// A worker's block of lanes and what it keeps between passes.
struct Block<'a, O: FromSettings> {
    job: &'a MapJob,
    rules: Rules,
    /// What new lanes copy when the axes move only the start (the start aside).
    template: Option<Lane<O>>,
    lanes: Lanes<O>,
    scratch: GradientScratch,
    /// Cells that ended and are not reported yet.
    finished: Vec<(usize, CellOutcome)>,
    /// Trace buffers of lanes that left, to reuse.
    spare_traces: Vec<Vec<TracePoint>>,
    /// Updates until the first lane reaches its iteration limit (a lower bound).
    until_limit: u64,
    trace: bool,
    sink: &'a dyn MapSink,
}

impl<O: FromSettings> Block<'_, O> {
    /// Steps 1-4 of [`Run::step`](crate::engine::run::Run::step) for a full batch, for every
    /// lane: simulated noise, clipping, the learning rates, the update.
    #[inline(always)]
    fn update(&mut self) {
        let (lanes, rules) = (&mut self.lanes, &self.rules);
        let n = lanes.len();
        if rules.noise {
            for i in 0..n {
                let sigma = lanes.noise[i];
                if sigma > 0.0 {
                    let rng = &mut lanes.rng[i];
                    let nw: f64 = StandardNormal.sample(rng);
                    let nb: f64 = StandardNormal.sample(rng);
                    lanes.grad_w[i] += sigma * nw;
                    lanes.grad_b[i] += sigma * nb;
                }
            }
        }
        if let Some(max_norm) = rules.clip_norm {
            for (gw, gb) in lanes.grad_w[..n].iter_mut().zip(&mut lanes.grad_b[..n]) {
                let total_norm = (*gw * *gw + *gb * *gb).sqrt();
                let coef = (max_norm / (total_norm + 1e-6)).min(1.0);
                (*gw, *gb) = (*gw * coef, *gb * coef);
            }
        }
        if !rules.constant_rates {
            for i in 0..n {
                lanes.lr_w[i] = lanes.scheduler[i].learning_rate();
                lanes.lr_b[i] = lanes.scheduler_b[i]
                    .as_ref()
                    .map_or(lanes.lr_w[i], Scheduler::learning_rate);
                // The cost at the point the update starts from (a plateau schedule reads it).
                let cost = lanes.cost[i];
                lanes.scheduler[i].step(cost);
                if let Some(scheduler) = &mut lanes.scheduler_b[i] {
                    scheduler.step(cost);
                }
            }
        }
        lanes.optimizer.step(
            rules.same_optimizer,
            LaneUpdate {
                w: &mut lanes.w,
                b: &mut lanes.b,
                gradient: [&lanes.grad_w, &lanes.grad_b],
                learning_rate: [&lanes.lr_w, &lanes.lr_b],
            },
        );
        lanes.passes += 1;
        self.until_limit = self.until_limit.saturating_sub(1);
    }

    /// J and its gradient at the points of lanes `from..`, all at once; the J before goes
    /// to `previous` (lanes that just started have none).
    #[inline(always)]
    fn evaluate(&mut self, from: usize) {
        let lanes = &mut self.lanes;
        let n = lanes.len();
        // Only the epsilon test reads the J before; the evaluation overwrites every lane's
        // cost from `from` on, so for the whole block the two arrays just trade places.
        if self.rules.epsilon.is_some() {
            if from == 0 {
                std::mem::swap(&mut lanes.previous, &mut lanes.cost);
            } else {
                lanes.previous[from..n].copy_from_slice(&lanes.cost[from..n]);
            }
        }
        self.job.objective.value_gradient_batch(
            &lanes.w[from..n],
            &lanes.b[from..n],
            &mut lanes.cost[from..n],
            &mut lanes.grad_w[from..n],
            &mut lanes.grad_b[from..n],
            &mut self.scratch,
        );
    }

    /// Records the rows of lanes `from..` just evaluated and takes out the lanes whose run
    /// ended there: the checks of their start when `start`, else step 5 of a single run's
    /// step.
    #[inline(always)]
    fn settle(&mut self, from: usize, start: bool) {
        let lanes = &mut self.lanes;
        let (passes, joined) = (lanes.passes, &lanes.joined);
        for (i, rows) in lanes.trace.iter_mut().enumerate().skip(from) {
            rows.push(TracePoint {
                iteration: passes - joined[i],
                w: lanes.w[i],
                b: lanes.b[i],
                cost: lanes.cost[i],
            });
        }
        let rules = &self.rules;
        let lanes = &self.lanes;
        let verdict = |i: usize| {
            let (t, limit) = (lanes.iteration(i), lanes.limit[i]);
            let point = [lanes.w[i], lanes.b[i]];
            let gradient = [lanes.grad_w[i], lanes.grad_b[i]];
            // A start has no J before it.
            let previous = (t > 0).then_some(lanes.previous[i]);
            rules.verdict(t, limit, point, lanes.cost[i], previous, gradient)
        };
        let ended = if start {
            self.until_limit = self.until_limit.min(lanes.until_limit(from));
            judge(lanes, from, verdict)
        } else if self.until_limit == 0 || rules.any_ended(lanes) {
            judge(lanes, 0, verdict)
        } else {
            None
        };
        let Some(ended) = ended else { return };
        self.retire(&ended);
        self.until_limit = self.lanes.until_limit(0);
    }

    /// Starts cell `cell` in a new lane: its settings, start, rule and schedule.
    fn add_lane(&mut self, cell: usize) -> Result<(), Interrupted> {
        let job = self.job;
        let (x, y) = job.cell_values(cell);
        let lane = match (&self.template, job.moved_start(x, y)) {
            (Some(template), Some(params)) => Lane {
                params,
                ..template.clone()
            },
            _ => {
                // The job checked every axis's ends when it was made; a cell cannot fail here.
                let settings = job.lane_settings(x, y).map_err(|_| Interrupted)?;
                Lane::new(&settings, job, &self.rules).ok_or(Interrupted)?
            }
        };
        self.push(cell, lane);
        Ok(())
    }

    /// Puts a new lane for `cell` at the end of the block.
    fn push(&mut self, cell: usize, lane: Lane<O>) {
        let lanes = &mut self.lanes;
        lanes.cell.push(cell);
        lanes.joined.push(lanes.passes);
        lanes.limit.push(lane.limit);
        lanes.w.push(lane.params[0]);
        lanes.b.push(lane.params[1]);
        lanes.cost.push(f64::NAN);
        lanes.previous.push(f64::NAN);
        lanes.lr_w.push(lane.learning_rate[0]);
        lanes.lr_b.push(lane.learning_rate[1]);
        lanes.grad_w.push(f64::NAN);
        lanes.grad_b.push(f64::NAN);
        lanes.noise.push(lane.noise);
        lanes.optimizer.push(lane.optimizer);
        if let Some((scheduler, scheduler_b)) = lane.schedulers {
            lanes.scheduler.push(scheduler);
            lanes.scheduler_b.push(scheduler_b);
        }
        lanes.rng.push(lane.rng);
        if self.trace {
            let mut rows = self.spare_traces.pop().unwrap_or_default();
            rows.clear();
            lanes.trace.push(rows);
        }
    }

    /// Takes every lane whose run has ended out of the block, reporting it. Removal goes from
    /// the top down, so a lane moved into a freed place has been judged already.
    fn retire(&mut self, ended: &[Option<CellStatus>; LANES]) {
        let (job, lanes) = (self.job, &mut self.lanes);
        for i in (0..lanes.len()).rev() {
            let Some(status) = ended[i] else { continue };
            let cell = lanes.cell[i];
            let (w, b, cost) = (lanes.w[i], lanes.b[i], lanes.cost[i]);
            let (x, y) = job.cell_values(cell);
            self.finished.push((
                cell,
                CellOutcome {
                    x,
                    y,
                    status,
                    iterations: lanes.iteration(i),
                    w,
                    b,
                    cost,
                    minimum: job.minimum_reached(status, w, b),
                },
            ));
            if let Some(rows) = lanes.swap_remove(i) {
                self.sink.trace(cell, &rows);
                self.spare_traces.push(rows);
            }
        }
    }
}

/// A new lane's run at its start.
#[derive(Clone)]
struct Lane<O> {
    limit: u64,
    params: Point,
    learning_rate: [f64; 2],
    noise: f64,
    optimizer: O,
    /// The schedulers of w's and b's groups (none with a constant schedule, which never
    /// changes a rate).
    schedulers: Option<(Scheduler, Option<Scheduler>)>,
    rng: Xoshiro256PlusPlus,
}

impl<O: FromSettings> Lane<O> {
    /// The run of `settings` at its start; None when the settings are of another rule.
    fn new(settings: &RunSettings, job: &MapJob, rules: &Rules) -> Option<Self> {
        let (params, rng) = start(settings, job.objective.as_ref());
        Some(Self {
            limit: iteration_limit(settings, 1),
            params,
            learning_rate: [
                settings.learning_rate,
                settings.learning_rate_b.unwrap_or(settings.learning_rate),
            ],
            noise: settings.simulated_noise,
            optimizer: O::from_settings(&settings.optimizer)?,
            schedulers: (!rules.constant_rates).then(|| schedulers(settings)),
            rng,
        })
    }

    /// What every lane of `job` shares when its axes move only the start (`w0`, `b0`): made
    /// once and copied into each new lane with its own start, instead of making each cell's
    /// settings, rule and seeded generator anew. A start the axes set draws nothing, so the
    /// generator is as seeded.
    fn template(job: &MapJob, rules: &Rules) -> Option<Self> {
        let (x, y) = job.cell_values(0);
        job.moved_start(x, y)?;
        Self::new(&job.lane_settings(x, y).ok()?, job, rules)
    }
}

/// Every lane's verdict from lane `from` on; None when every run goes on.
#[inline]
fn judge<O: FromSettings>(
    lanes: &Lanes<O>,
    from: usize,
    verdict: impl Fn(usize) -> Option<CellStatus>,
) -> Option<[Option<CellStatus>; LANES]> {
    let mut ended = [None; LANES];
    let mut any = false;
    for (i, slot) in ended.iter_mut().enumerate().take(lanes.len()).skip(from) {
        *slot = verdict(i);
        any |= slot.is_some();
    }
    any.then_some(ended)
}
