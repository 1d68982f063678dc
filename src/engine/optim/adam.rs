//! Adam (torch `Adam`, optionally AMSGrad and L2 weight decay).
//!
//! Rule, with g the gradient of the current batch, lr the learning rate and t the 1-based
//! update count (defaults beta1 = 0.9, beta2 = 0.999, eps = 1e-8):
//!
//! ```text
//! g     = g + weight_decay * theta             (only when weight_decay != 0)
//! m     = beta1 * m + (1 - beta1) * g          (moving average of the gradient)
//! v     = beta2 * v + (1 - beta2) * g^2        (moving average of its square)
//! v_max = max(v_max, v)                        (AMSGrad only; then v_max replaces v below)
//! theta = theta - (lr / (1 - beta1^t)) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
//! ```
//!
//! Equivalently theta -= lr * m_hat / (sqrt(v_hat) + eps) with the bias-corrected
//! m_hat = m / (1 - beta1^t) and v_hat = v / (1 - beta2^t). The floating-point operations
//! follow torch's single-tensor implementation (m is updated with `lerp`).

use super::{
    FromSettings, Optimizer, OptimizerSettings, OptimizerState, decay_weights, pair, put_pair,
};
use crate::engine::{Hessian, Point};

/// Adam; with `decoupled_weight_decay` it is AdamW (see [`super::AdamW`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Adam {
    beta1: f64,
    beta2: f64,
    eps: f64,
    weight_decay: f64,
    amsgrad: bool,
    decoupled_weight_decay: bool,
    m: [f64; 2],
    v: [f64; 2],
    v_max: [f64; 2],
    steps: u64,
    /// Set once beta^t <= 2^-54, after which 1 - beta^t rounds to exactly 1.0 (pow is
    /// monotone in t), so the pow calls can be skipped without changing a bit.
    saturated: [bool; 2],
}

/// Below this, `1.0 - x` rounds to exactly 1.0.
const NEGLIGIBLE: f64 = 1.0 / (1u64 << 54) as f64;

/// torch's CPU `lerp`: `start + w * (end - start)` for |w| < 0.5, else
/// `end - (end - start) * (1 - w)`, each a fused multiply-add (one rounding), as torch's
/// kernel computes it.
#[inline]
pub(super) fn lerp(start: f64, end: f64, weight: f64) -> f64 {
    let diff = end - start;
    if weight.abs() < 0.5 {
        weight.mul_add(diff, start)
    } else {
        (-diff).mul_add(1.0 - weight, end)
    }
}

/// `torch.maximum`: NaN if either is NaN.
#[inline(always)]
pub(super) fn maximum(a: f64, b: f64) -> f64 {
    if a.is_nan() || b.is_nan() {
        f64::NAN
    } else {
        a.max(b)
    }
}

impl Adam {
    /// Adam with L2 weight decay (added to the gradient).
    pub fn new(beta1: f64, beta2: f64, eps: f64, weight_decay: f64, amsgrad: bool) -> Self {
        Self::with_decoupling(beta1, beta2, eps, weight_decay, amsgrad, false)
    }

    /// Adam whose weight decay is decoupled (`true`: AdamW) or added to the gradient.
    pub fn with_decoupling(
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
        amsgrad: bool,
        decoupled_weight_decay: bool,
    ) -> Self {
        Self {
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
            decoupled_weight_decay,
            m: [0.0; 2],
            v: [0.0; 2],
            v_max: [0.0; 2],
            steps: 0,
            saturated: [false; 2],
        }
    }

    /// The bias corrections of update `self.steps`: `1 - beta1^t` and `sqrt(1 - beta2^t)`,
    /// as torch computes them.
    #[inline(always)]
    fn corrections(&mut self) -> [f64; 2] {
        let t = self.steps as f64;
        let mut correction = [1.0; 2];
        for (i, beta) in [self.beta1, self.beta2].into_iter().enumerate() {
            if !self.saturated[i] {
                let power = beta.powf(t);
                self.saturated[i] = power <= NEGLIGIBLE;
                correction[i] = 1.0 - power;
            }
        }
        // torch: bias_correction2 ** 0.5 (1.0 ** 0.5 is exactly 1.0)
        [correction[0], correction[1].powf(0.5)]
    }

    /// The update itself, with the bias corrections of [`Adam::corrections`].
    #[inline(always)]
    fn update(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        lr: [f64; 2],
        corrections: [f64; 2],
    ) {
        let g = decay_weights(
            params,
            gradient,
            lr,
            self.weight_decay,
            self.decoupled_weight_decay,
        );
        let [bias_correction1, bias_correction2_sqrt] = corrections;
        let w1 = 1.0 - self.beta1;
        let w2 = 1.0 - self.beta2;
        for i in 0..2 {
            // torch: exp_avg.lerp_(grad, 1 - beta1)
            self.m[i] = lerp(self.m[i], g[i], w1);
            // torch: exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
            self.v[i] = self.v[i] * self.beta2 + w2 * g[i] * g[i];
            let second = if self.amsgrad {
                self.v_max[i] = maximum(self.v_max[i], self.v[i]);
                self.v_max[i]
            } else {
                self.v[i]
            };
            let denom = second.sqrt() / bias_correction2_sqrt + self.eps;
            // torch: param.addcdiv_(exp_avg, denom, value=-step_size)
            let step_size = lr[i] / bias_correction1;
            params[i] += -step_size * (self.m[i] / denom);
        }
    }

    fn bias_corrections(&self, steps: u64) -> (f64, f64) {
        // torch: 1 - beta ** step with step a float (Python's `**` is C's pow).
        let t = steps as f64;
        (1.0 - self.beta1.powf(t), 1.0 - self.beta2.powf(t))
    }
}

impl Optimizer for Adam {
    fn settings(&self) -> OptimizerSettings {
        let (beta1, beta2, eps, weight_decay, amsgrad) = (
            self.beta1,
            self.beta2,
            self.eps,
            self.weight_decay,
            self.amsgrad,
        );
        if self.decoupled_weight_decay {
            OptimizerSettings::Adamw {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            }
        } else {
            OptimizerSettings::Adam {
                beta1,
                beta2,
                eps,
                weight_decay,
                amsgrad,
            }
        }
    }

    #[inline]
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        _: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        self.steps += 1;
        let corrections = self.corrections();
        self.update(params, gradient, lr, corrections);
    }

    fn reset(&mut self) {
        self.m = [0.0; 2];
        self.v = [0.0; 2];
        self.v_max = [0.0; 2];
        self.steps = 0;
        self.saturated = [false; 2];
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        if self.amsgrad { 6 } else { 4 }
    }

    fn save_state(&self, out: &mut [f64]) {
        put_pair(out, 0, self.m);
        put_pair(out, 2, self.v);
        if self.amsgrad {
            put_pair(out, 4, self.v_max);
        }
    }

    fn describe_state(&self, saved: &[f64], step_count: u64, lr: f64) -> OptimizerState {
        let m = pair(saved, 0);
        let v = pair(saved, 2);
        let v_max = self.amsgrad.then(|| pair(saved, 4));
        let second = v_max.unwrap_or(v);
        let (m_hat, v_hat, effective_learning_rate) = if step_count == 0 {
            ([0.0; 2], [0.0; 2], [0.0; 2])
        } else {
            let (bc1, bc2) = self.bias_corrections(step_count);
            let v_hat = [second[0] / bc2, second[1] / bc2];
            (
                [m[0] / bc1, m[1] / bc1],
                v_hat,
                [
                    lr / (v_hat[0].sqrt() + self.eps),
                    lr / (v_hat[1].sqrt() + self.eps),
                ],
            )
        };
        OptimizerState::Adam {
            step_count,
            m,
            v,
            v_max,
            m_hat,
            v_hat,
            effective_learning_rate,
        }
    }
}

/// Runs [`step_lanes`] steps together in its vector part.
const GROUP: usize = 64;

/// One update of many Adam rules (see [`super::FromSettings::step_lanes`]), `adam` giving
/// each rule's Adam. Rules whose betas, update count and saturation equal the previous one's
/// reuse its bias corrections (the same `powf` calls on the same numbers), so a block of runs
/// that share them pays for the `powf` calls once per update rather than once per run. A
/// group of rules that share betas and eps, without weight decay or AMSGrad (the usual map),
/// is updated array by array so the compiler vectorizes the square roots and divisions; the
/// operations are those of [`Adam::update`], so the bits are too.
#[inline(always)]
pub(super) fn step_lanes<R>(
    rules: &mut [R],
    adam: impl Fn(&mut R) -> &mut Adam,
    same_settings: bool,
    w: &mut [f64],
    b: &mut [f64],
    gradient: [&[f64]; 2],
    learning_rate: [&[f64]; 2],
) {
    let n = rules
        .len()
        .min(w.len())
        .min(b.len())
        .min(gradient[0].len().min(gradient[1].len()))
        .min(learning_rate[0].len().min(learning_rate[1].len()));
    let mut start = 0;
    while start < n {
        let end = n.min(start + GROUP);
        let group = &mut rules[start..end];
        let params = [&mut w[start..end], &mut b[start..end]];
        let gradient = gradient.map(|g| &g[start..end]);
        let learning_rate = learning_rate.map(|lr| &lr[start..end]);
        if shared_plain(group, &adam, same_settings) {
            step_plain_group(group, &adam, params, gradient, learning_rate);
        } else {
            step_each(group, &adam, params, gradient, learning_rate);
        }
        start = end;
    }
}

/// The bias corrections of the rule stepped last, with what they depend on (betas, update
/// count, saturation) and the saturation they left.
#[derive(Default)]
struct LastCorrections(Option<(CorrectionKey, [f64; 2], [bool; 2])>);

/// What bias corrections depend on: the betas' bits, the update count, the saturation.
type CorrectionKey = (u64, u64, u64, [bool; 2]);

impl LastCorrections {
    /// `rule`'s bias corrections for its current update count: the last ones again when they
    /// depend on the same numbers (with the same saturation left behind), else computed.
    #[inline(always)]
    fn of(&mut self, rule: &mut Adam) -> [f64; 2] {
        let key = (
            rule.beta1.to_bits(),
            rule.beta2.to_bits(),
            rule.steps,
            rule.saturated,
        );
        match self.0 {
            Some((k, corrections, saturated)) if k == key => {
                rule.saturated = saturated;
                corrections
            }
            _ => {
                let corrections = rule.corrections();
                self.0 = Some((key, corrections, rule.saturated));
                corrections
            }
        }
    }
}

/// True when every rule has the first one's betas and eps and neither weight decay nor
/// AMSGrad (for rules made from the same settings, when the first has neither).
#[inline(always)]
fn shared_plain<R>(
    group: &mut [R],
    adam: &impl Fn(&mut R) -> &mut Adam,
    same_settings: bool,
) -> bool {
    let Some(first) = group.first_mut() else {
        return false;
    };
    let first = adam(first);
    let key = [first.beta1, first.beta2, first.eps].map(f64::to_bits);
    let plain = |rule: &Adam| rule.weight_decay == 0.0 && !rule.amsgrad;
    if same_settings {
        return plain(first);
    }
    group.iter_mut().all(|rule| {
        let rule = adam(rule);
        [rule.beta1, rule.beta2, rule.eps].map(f64::to_bits) == key && plain(rule)
    })
}

/// [`step_lanes`] for rules that may differ in anything: one rule at a time.
#[inline(always)]
fn step_each<R>(
    group: &mut [R],
    adam: &impl Fn(&mut R) -> &mut Adam,
    [w, b]: [&mut [f64]; 2],
    gradient: [&[f64]; 2],
    learning_rate: [&[f64]; 2],
) {
    let mut last = LastCorrections::default();
    for (i, rule) in group.iter_mut().enumerate() {
        let rule = adam(rule);
        rule.steps += 1;
        let corrections = last.of(rule);
        let mut params = [w[i], b[i]];
        let g = [gradient[0][i], gradient[1][i]];
        let lr = [learning_rate[0][i], learning_rate[1][i]];
        rule.update(&mut params, g, lr, corrections);
        [w[i], b[i]] = params;
    }
}

/// [`step_lanes`] for rules with shared betas and eps, no weight decay and no AMSGrad: the
/// bias corrections rule by rule, then [`Adam::update`]'s arithmetic over arrays.
#[inline(always)]
fn step_plain_group<R>(
    group: &mut [R],
    adam: &impl Fn(&mut R) -> &mut Adam,
    params: [&mut [f64]; 2],
    gradient: [&[f64]; 2],
    learning_rate: [&[f64]; 2],
) {
    let len = group.len().min(GROUP);
    let mut correction1 = [1.0; GROUP];
    let mut correction2_sqrt = [1.0; GROUP];
    let mut m = [[0.0; GROUP]; 2];
    let mut v = [[0.0; GROUP]; 2];
    let (mut beta1, mut beta2, mut eps) = (0.0, 0.0, 0.0);
    let mut last = LastCorrections::default();
    for (j, rule) in group[..len].iter_mut().enumerate() {
        let rule = adam(rule);
        (beta1, beta2, eps) = (rule.beta1, rule.beta2, rule.eps);
        rule.steps += 1;
        [correction1[j], correction2_sqrt[j]] = last.of(rule);
        for i in 0..2 {
            m[i][j] = rule.m[i];
            v[i][j] = rule.v[i];
        }
    }
    let corrections = [&correction1[..len], &correction2_sqrt[..len]];
    for (i, theta) in params.into_iter().enumerate() {
        let state = [&mut m[i][..len], &mut v[i][..len]];
        let lanes = [&gradient[i][..len], &learning_rate[i][..len]];
        update_arrays(
            state,
            &mut theta[..len],
            lanes,
            corrections,
            [beta1, beta2, eps],
        );
    }
    for (j, rule) in group[..len].iter_mut().enumerate() {
        let rule = adam(rule);
        for i in 0..2 {
            rule.m[i] = m[i][j];
            rule.v[i] = v[i][j];
        }
    }
}

/// [`Adam::update`]'s arithmetic for one parameter of many runs, array by array (so the
/// compiler vectorizes the square roots and divisions): `state` holds m and v, `lanes` the
/// gradient and the learning rate, `corrections` 1 - beta1^t and sqrt(1 - beta2^t), each
/// run's own.
#[inline(always)]
fn update_arrays(
    [m, v]: [&mut [f64]; 2],
    theta: &mut [f64],
    [g, lr]: [&[f64]; 2],
    [c1, c2]: [&[f64]; 2],
    [beta1, beta2, eps]: [f64; 3],
) {
    let len = m.len();
    let (v, theta, g, lr) = (&mut v[..len], &mut theta[..len], &g[..len], &lr[..len]);
    let (c1, c2) = (&c1[..len], &c2[..len]);
    let (w1, w2) = (1.0 - beta1, 1.0 - beta2);
    for j in 0..len {
        m[j] = lerp(m[j], g[j], w1);
        v[j] = v[j] * beta2 + w2 * g[j] * g[j];
        let denom = v[j].sqrt() / c2[j] + eps;
        let step_size = lr[j] / c1[j];
        theta[j] += -step_size * (m[j] / denom);
    }
}

/// A rule with Adam inside: Adam itself, and AdamW.
pub(super) trait AdamRule: FromSettings + Send {
    /// The Adam inside.
    fn adam(&mut self) -> &mut Adam;
}

impl AdamRule for Adam {
    fn adam(&mut self) -> &mut Adam {
        self
    }
}

impl AdamRule for super::AdamW {
    fn adam(&mut self) -> &mut Adam {
        self.adam_mut()
    }
}

/// The Adam (or AdamW) rules of a map's runs. When every run's rule is made from the same
/// settings without weight decay or AMSGrad (the usual map), the runs' states are kept
/// column by column (m, v, update count, saturation), so an update reads and writes them in
/// place, array by array; otherwise each run keeps its own rule.
pub struct AdamLanes<R> {
    rules: Vec<R>,
    plain: Option<PlainColumns>,
}

/// The states of plain Adam runs that share betas and eps, one array each.
struct PlainColumns {
    /// The shared settings, and the scratch rule bias corrections are computed with.
    shared: Adam,
    m: [Vec<f64>; 2],
    v: [Vec<f64>; 2],
    steps: Vec<u64>,
    saturated: Vec<[bool; 2]>,
}

impl<R: AdamRule> super::RuleLanes<R> for AdamLanes<R> {
    fn new(capacity: usize, same_settings: bool, first: Option<&R>) -> Self {
        let plain = first
            .filter(|_| same_settings)
            .map(|rule| rule.clone().adam().clone())
            .filter(|adam| adam.weight_decay == 0.0 && !adam.amsgrad)
            .map(|shared| PlainColumns {
                shared,
                m: [Vec::with_capacity(capacity), Vec::with_capacity(capacity)],
                v: [Vec::with_capacity(capacity), Vec::with_capacity(capacity)],
                steps: Vec::with_capacity(capacity),
                saturated: Vec::with_capacity(capacity),
            });
        let rules = if plain.is_some() {
            Vec::new()
        } else {
            Vec::with_capacity(capacity)
        };
        Self { rules, plain }
    }

    fn push(&mut self, mut rule: R) {
        let Some(columns) = &mut self.plain else {
            self.rules.push(rule);
            return;
        };
        let adam = rule.adam();
        let settings = |a: &Adam| [a.beta1, a.beta2, a.eps].map(f64::to_bits);
        debug_assert_eq!(
            settings(adam),
            settings(&columns.shared),
            "a plain run's settings"
        );
        for i in 0..2 {
            columns.m[i].push(adam.m[i]);
            columns.v[i].push(adam.v[i]);
        }
        columns.steps.push(adam.steps);
        columns.saturated.push(adam.saturated);
    }

    fn swap_remove(&mut self, i: usize) {
        let Some(columns) = &mut self.plain else {
            self.rules.swap_remove(i);
            return;
        };
        for k in 0..2 {
            columns.m[k].swap_remove(i);
            columns.v[k].swap_remove(i);
        }
        columns.steps.swap_remove(i);
        columns.saturated.swap_remove(i);
    }

    #[inline(always)]
    fn step(&mut self, same_settings: bool, update: super::LaneUpdate<'_>) {
        let super::LaneUpdate {
            w,
            b,
            gradient,
            learning_rate,
        } = update;
        match &mut self.plain {
            Some(columns) => columns.step([w, b], gradient, learning_rate),
            None => R::step_lanes(
                &mut self.rules,
                same_settings,
                w,
                b,
                gradient,
                learning_rate,
            ),
        }
    }
}

impl PlainColumns {
    /// One update of every run: the bias corrections run by run (computed once for runs in
    /// a row that share the update count), then [`update_arrays`] in place.
    #[inline(always)]
    fn step(&mut self, params: [&mut [f64]; 2], gradient: [&[f64]; 2], learning_rate: [&[f64]; 2]) {
        let [w, b] = params;
        let n = self.steps.len().min(w.len()).min(b.len());
        let n = n.min(gradient[0].len().min(gradient[1].len()));
        let n = n.min(learning_rate[0].len().min(learning_rate[1].len()));
        let mut start = 0;
        let (beta1, beta2, eps) = (self.shared.beta1, self.shared.beta2, self.shared.eps);
        let mut last = LastCorrections::default();
        while start < n {
            let end = n.min(start + GROUP);
            let len = end - start;
            let mut correction1 = [1.0; GROUP];
            let mut correction2_sqrt = [1.0; GROUP];
            let steps = &mut self.steps[start..end];
            let saturated = &mut self.saturated[start..end];
            for j in 0..len {
                steps[j] += 1;
                self.shared.steps = steps[j];
                self.shared.saturated = saturated[j];
                [correction1[j], correction2_sqrt[j]] = last.of(&mut self.shared);
                saturated[j] = self.shared.saturated;
            }
            let corrections = [&correction1[..len], &correction2_sqrt[..len]];
            let [m_w, m_b] = &mut self.m;
            let [v_w, v_b] = &mut self.v;
            let parameters = [
                (
                    &mut w[start..end],
                    &mut m_w[start..end],
                    &mut v_w[start..end],
                ),
                (
                    &mut b[start..end],
                    &mut m_b[start..end],
                    &mut v_b[start..end],
                ),
            ];
            for (i, (theta, m, v)) in parameters.into_iter().enumerate() {
                let lanes = [&gradient[i][start..end], &learning_rate[i][start..end]];
                update_arrays([m, v], theta, lanes, corrections, [beta1, beta2, eps]);
            }
            start = end;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Adam, Optimizer};

    /// Skipping pow once beta^t is negligible changes no bit of the trajectory.
    #[test]
    fn saturated_bias_correction_is_bit_exact() {
        let mut fast = Adam::new(0.9, 0.99, 1e-8, 0.0, false);
        let mut slow = fast.clone();
        let (mut p, mut q) = ([1.0, -2.0], [1.0, -2.0]);
        for _ in 0..5000 {
            let g = [p[0] - 0.3, 2.0 * p[1]];
            fast.step(&mut p, g, None, 1e-3);
            slow.saturated = [false; 2];
            let g = [q[0] - 0.3, 2.0 * q[1]];
            slow.step(&mut q, g, None, 1e-3);
            assert_eq!(p.map(f64::to_bits), q.map(f64::to_bits));
        }
        assert_eq!(fast.saturated, [true, true]);
    }
}
