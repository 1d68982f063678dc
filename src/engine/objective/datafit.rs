//! A data-fit problem: a model with parameters (w, b) fitted to a dataset by a loss.
//!
//! J(w, b) = (1/m) * sum_i loss(yhat_i, y_i) + reg(w, b), with yhat_i = model(x_i; w, b).
//!
//! Derivatives are exact, chained through the prediction:
//! dJ = (1/m) sum L'(yhat) dM + dR, and
//! d2J = (1/m) sum [L''(yhat) dM dM^T + L'(yhat) d2M] + d2R,
//! where L' and L'' come from forward mode over the loss tape in `yhat` and dM, d2M from
//! forward mode over the model tape in (w, b).
//!
//! Fast path: when the model is affine in (w, b) (found by degree analysis of its tape) and
//! the loss is `mse`, J is a quadratic in (w, b). Per-example coefficients and centered
//! statistics are computed once, after which the full-data value, gradient and Hessian cost
//! O(1) per call and a mini-batch costs a few flops per listed example.
//!
//! Logistic path: when the loss is the named logloss and the model is `sigmoid(z)` with z
//! affine in (w, b) (`sigmoid(w*x + b)`), each example's cost and derivative are fused into
//! `softplus(z) - y z` and `sigmoid(z) - y` and evaluated by the vectorized kernels of
//! [`super::logistic`], block by block over the examples (in parallel for large datasets;
//! the sum is the same on any number of threads).

use std::sync::Arc;

use rayon::prelude::*;

use super::Objective;
use super::logistic::{self, Logits};
use super::loss::NamedLoss;
use crate::engine::data::Dataset;
use crate::engine::expr::ops::{UnaryOp, sigmoid, softplus};
use crate::engine::expr::{
    CompileError, Dual, Dual2, Input, Num, Part, Role, SLOT_B, SLOT_W, SLOT_X, SLOT_Y, SLOT_YHAT,
    Tape, compile_with_constants, degree_in_parameters,
};
use crate::engine::{Derivatives, Domain, KnownPoint, Point, PointKind};

/// Rows per block in batched full-data evaluation.
const BLOCK: usize = 2048;
/// Above this many examples, full-data sums run on all cores.
const PARALLEL_FROM: usize = 32_768;

/// The quadratic form of an affine model with the mse loss.
#[derive(Clone, Debug)]
struct Quadratic {
    /// Per example: yhat_i = p[i]*w + q[i]*b + r[i], and e[i] = r[i] - y[i].
    p: Vec<f64>,
    q: Vec<f64>,
    e: Vec<f64>,
    /// Mean of [p^2, p q, q^2] (the Hessian of the data term).
    a: [f64; 3],
    /// The expansion point (the least-squares solution when it is unique, else (0, 0)),
    /// with the data term's value and gradient there, summed directly (no cancellation).
    at: Point,
    j0: f64,
    g0: [f64; 2],
    /// True when `at` is the unique least-squares solution.
    unique: bool,
}

impl Quadratic {
    fn data_value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let d = [p[0] - self.at[0], p[1] - self.at[1]];
        let ad = [
            self.a[0] * d[0] + self.a[1] * d[1],
            self.a[1] * d[0] + self.a[2] * d[1],
        ];
        let v =
            self.j0 + self.g0[0] * d[0] + self.g0[1] * d[1] + 0.5 * (d[0] * ad[0] + d[1] * ad[1]);
        (v, [self.g0[0] + ad[0], self.g0[1] + ad[1]])
    }
}

/// A model fitted to a dataset by a loss, with an optional regularization term.
#[derive(Clone, Debug)]
pub struct DataFitObjective {
    data: Arc<Dataset>,
    model_text: String,
    loss_text: String,
    loss_name: Option<NamedLoss>,
    regularization_text: Option<String>,
    model: Tape,
    loss: Tape,
    regularization: Option<Tape>,
    /// The model without its final sigmoid (the logit), when the loss is the named logloss.
    logits: Option<Tape>,
    /// The logit per example when it is affine in (w, b): the fused logistic path.
    affine_logits: Option<Logits>,
    /// The largest |x| of the examples.
    max_abs_x: f64,
    constant_names: Vec<String>,
    slots: Vec<f64>,
    quadratic: Option<Quadratic>,
    domain: Option<Domain>,
    known: Vec<KnownPoint>,
}

impl DataFitObjective {
    /// Compiles a data-fit problem. `loss` is a loss name (mse, mae, huber, logloss) or a
    /// formula in `yhat` and `y`; `regularization` is an optional formula in `w` and `b`.
    /// Besides compile errors, a problem that cannot fit anything is refused (see
    /// [`check_fit`]), as is a bare name that is not a loss name (`log_loss`).
    pub fn new(
        data: Arc<Dataset>,
        model: &str,
        loss: &str,
        regularization: Option<&str>,
    ) -> Result<Self, CompileError> {
        let mut names = Vec::new();
        let model_tape = compile_with_constants(model, Role::Model, &mut names)?;
        let loss_name = NamedLoss::from_name(loss);
        let loss_text: &str = match loss_name {
            Some(n) => n.formula(),
            None => loss,
        };
        if loss_name.is_none()
            && let Some(e) = super::loss::unknown_name(loss)
        {
            return Err(e);
        }
        let loss_tape = compile_with_constants(loss_text, Role::Loss, &mut names)?;
        let reg_tape = match regularization {
            Some(r) if !r.trim().is_empty() => {
                Some(compile_with_constants(r, Role::Regularization, &mut names)?)
            }
            _ => None,
        };
        check_fit(model, &model_tape, loss, &loss_tape, loss_name)?;
        let logits = match (loss_name, model_tape.final_unary()) {
            (Some(NamedLoss::Logloss), Some((idx, UnaryOp::Sigmoid, a))) => {
                Some(model_tape.truncated(idx, a))
            }
            _ => None,
        };
        let slots = super::constants::slots_for(names.len());
        let mut me = Self {
            data,
            model_text: model.to_string(),
            loss_text: loss_text.to_string(),
            loss_name,
            regularization_text: regularization
                .filter(|r| !r.trim().is_empty())
                .map(str::to_string),
            model: model_tape,
            loss: loss_tape,
            regularization: reg_tape,
            logits,
            affine_logits: None,
            max_abs_x: 0.0,
            constant_names: names,
            slots,
            quadratic: None,
            domain: None,
            known: Vec::new(),
        };
        me.prepare();
        Ok(me)
    }

    /// The same problem shown over another domain.
    pub fn with_domain(mut self, domain: Domain) -> Self {
        self.domain = Some(domain);
        self
    }

    /// The dataset.
    pub fn dataset(&self) -> &Arc<Dataset> {
        &self.data
    }

    /// The model as typed.
    pub fn model_text(&self) -> &str {
        &self.model_text
    }

    /// The loss formula (a named loss's formula when it was chosen by name).
    pub fn loss_text(&self) -> &str {
        &self.loss_text
    }

    /// The named loss, when the loss was chosen by name.
    pub fn loss_name(&self) -> Option<NamedLoss> {
        self.loss_name
    }

    /// The regularization term as typed, if any.
    pub fn regularization_text(&self) -> Option<&str> {
        self.regularization_text.as_deref()
    }

    /// Names of the free constants of the model, loss and regularization.
    pub fn constant_names(&self) -> &[String] {
        &self.constant_names
    }

    /// The free constants with their current values.
    pub fn constants(&self) -> Vec<(String, f64)> {
        super::constants::values(&self.constant_names, &self.slots)
    }

    /// Sets a free constant (no recompiling; the fast path's statistics are recomputed).
    /// Returns false when there is no such constant.
    pub fn set_constant(&mut self, name: &str, value: f64) -> bool {
        let found = super::constants::set(&self.constant_names, &mut self.slots, name, value);
        if found {
            self.prepare();
        }
        found
    }

    /// True when the O(1) quadratic fast path is used (affine model, mse loss).
    pub fn uses_sufficient_statistics(&self) -> bool {
        self.quadratic.is_some()
    }

    /// True when the fused, vectorized logistic path is used (logloss of `sigmoid(z)` with
    /// z affine in w and b).
    pub fn uses_fused_logistic(&self) -> bool {
        self.affine_logits.is_some()
    }

    /// Evaluates the data term directly over every example, never using the fast path
    /// (tests compare the two).
    pub fn direct_data_derivatives(&self, p: Point) -> Derivatives {
        self.sum_hessian(p, 0..self.data.len())
    }

    /// Builds the quadratic fast path or the logistic path when one applies, and the known
    /// minimum.
    fn prepare(&mut self) {
        self.quadratic = None;
        self.affine_logits = None;
        self.max_abs_x = self.data.x.iter().fold(0.0, |a, v| a.max(v.abs()));
        self.known.clear();
        self.prepare_logistic();
        let affine = degree_in_parameters(&self.model).is_some_and(|d| d <= 1);
        if !(affine && self.loss_name == Some(NamedLoss::Mse)) {
            return;
        }
        let (p, q, mut e) = self.affine_coefficients(&self.model);
        for (ei, &y) in e.iter_mut().zip(&self.data.y) {
            *ei -= y;
        }
        let m = e.len();
        let mf = m.max(1) as f64;
        let mut a = [0.0; 3];
        for (&pi, &qi) in p.iter().zip(&q) {
            a[0] += pi * pi;
            a[1] += pi * qi;
            a[2] += qi * qi;
        }
        for v in &mut a {
            *v /= mf;
        }
        // Least squares: A theta = -mean(e [p, q]).
        let mut c = [0.0; 2];
        for ((&pi, &qi), &ei) in p.iter().zip(&q).zip(&e) {
            c[0] += pi * ei;
            c[1] += qi * ei;
        }
        let c = [c[0] / mf, c[1] / mf];
        let det = a[0] * a[2] - a[1] * a[1];
        let scale = (a[0] + a[2]) * (a[0] + a[2]);
        let unique = m > 0 && det.is_finite() && det > 1e-12 * scale && scale > 0.0;
        let at = if unique {
            [
                (-c[0] * a[2] + c[1] * a[1]) / det,
                (-c[1] * a[0] + c[0] * a[1]) / det,
            ]
        } else {
            [0.0, 0.0]
        };
        let (mut j0, mut g0) = (0.0, [0.0, 0.0]);
        for ((&pi, &qi), &ei) in p.iter().zip(&q).zip(&e) {
            let r = pi * at[0] + qi * at[1] + ei;
            j0 += 0.5 * r * r;
            g0[0] += r * pi;
            g0[1] += r * qi;
        }
        let quad = Quadratic {
            p,
            q,
            e,
            a,
            at,
            j0: j0 / mf,
            g0: [g0[0] / mf, g0[1] / mf],
            unique,
        };
        if quad.unique && self.regularization.is_none() && m > 0 {
            self.known.push(KnownPoint {
                at: quad.at,
                value: quad.j0,
                kind: PointKind::GlobalMinimum,
            });
        }
        self.quadratic = Some(quad);
    }

    /// The fused logistic path: z = p w + q b + r per example, from forward mode at (0, 0);
    /// nothing is stored when z is `w*x + b` itself.
    fn prepare_logistic(&mut self) {
        let Some(logits) = &self.logits else {
            return;
        };
        if degree_in_parameters(logits).is_none_or(|d| d > 1) {
            return;
        }
        let (p, q, r) = self.affine_coefficients(logits);
        let line = p.iter().zip(&self.data.x).all(|(pi, xi)| pi == xi)
            && q.iter().all(|&qi| qi == 1.0)
            && r.iter().all(|&ri| ri == 0.0);
        self.affine_logits = Some(if line {
            Logits::Line
        } else {
            Logits::Affine { p, q, r }
        });
    }

    /// Per example (with a label), the coefficients of an affine tape `t = p w + q b + r`,
    /// from forward mode at (0, 0).
    fn affine_coefficients(&self, tape: &Tape) -> (Vec<f64>, Vec<f64>, Vec<f64>) {
        let m = self.data.x.len().min(self.data.y.len());
        let (mut p, mut q, mut r) = (
            Vec::with_capacity(m),
            Vec::with_capacity(m),
            Vec::with_capacity(m),
        );
        let mut slots = self.dual_slots::<Dual>([0.0, 0.0], Dual::new);
        let mut regs = Vec::new();
        for &x in &self.data.x[..m] {
            slots[SLOT_X] = Dual::constant(x);
            let d = tape.eval_with(&slots, &mut regs);
            p.push(d.g[0]);
            q.push(d.g[1]);
            r.push(d.v);
        }
        (p, q, r)
    }

    /// Inputs and labels of the examples, of one length.
    fn examples(&self) -> (&[f64], &[f64]) {
        let m = self.data.x.len().min(self.data.y.len());
        (&self.data.x[..m], &self.data.y[..m])
    }

    /// `block` of every block of [`logistic::BLOCK`] examples (its inputs, labels and first
    /// row), added up in block order; the blocks run on all cores for large datasets, and
    /// the sum is the same on any number of threads.
    fn sum_blocks<T: Send>(
        &self,
        zero: T,
        add: impl Fn(T, T) -> T,
        logits: &Logits,
        block: impl Fn(&mut logistic::Buffers, logistic::Block<'_>) -> T + Sync,
    ) -> T {
        let (x, y) = self.examples();
        let m = x.len();
        let run = |buf: &mut logistic::Buffers, k: usize| {
            let r = k * logistic::BLOCK..((k + 1) * logistic::BLOCK).min(m);
            let examples = logistic::Block {
                logits,
                x: &x[r.clone()],
                y: &y[r.clone()],
                start: r.start,
            };
            block(buf, examples)
        };
        let blocks = m.div_ceil(logistic::BLOCK);
        if m >= PARALLEL_FROM {
            let sums: Vec<T> = (0..blocks)
                .into_par_iter()
                .with_min_len(16)
                .map_init(logistic::Buffers::default, run)
                .collect();
            sums.into_iter().fold(zero, add)
        } else {
            let mut buf = logistic::Buffers::default();
            (0..blocks).fold(zero, |a, k| add(a, run(&mut buf, k)))
        }
    }

    /// Mean logistic cost over all examples (fused path).
    fn logistic_value(&self, logits: &Logits, p: Point) -> f64 {
        let m = self.examples().0.len();
        if m == 0 {
            return 0.0;
        }
        let total = self.sum_blocks(
            0.0,
            |a, b| a + b,
            logits,
            |buf, block| logistic::block_loss_sum(buf, block, p[0], p[1]),
        );
        total / m as f64
    }

    /// Mean logistic cost and gradient over all examples (fused path).
    fn logistic_value_gradient(&self, logits: &Logits, p: Point) -> (f64, [f64; 2]) {
        let m = self.examples().0.len();
        if m == 0 {
            return (0.0, [0.0; 2]);
        }
        let (v, g) = self.sum_blocks(
            (0.0, [0.0; 2]),
            |(v, g), (bv, bg)| (v + bv, [g[0] + bg[0], g[1] + bg[1]]),
            logits,
            |buf, block| logistic::block_loss_gradient_sum(buf, block, p[0], p[1]),
        );
        let k = m as f64;
        (v / k, [g[0] / k, g[1] / k])
    }

    /// Mean logistic cost and gradient over the listed examples (fused path).
    fn logistic_batch(&self, logits: &Logits, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        let (x, y) = self.examples();
        let (mut v, mut g, mut count) = (0.0, [0.0; 2], 0usize);
        for &i in examples {
            let (Some(&xi), Some(&yi)) = (x.get(i), y.get(i)) else {
                continue;
            };
            let (l, d) = logistic::example(logits, i, xi, yi, p[0], p[1]);
            v += l;
            g[0] += d[0];
            g[1] += d[1];
            count += 1;
        }
        let k = count.max(1) as f64;
        (v / k, [g[0] / k, g[1] / k])
    }

    /// J at many points (fused path): the examples are walked block by block and each
    /// block's sum is added to every point's, so a block is read from memory once for all
    /// points. Points that are rows of one set of columns (as grids ask for them) with
    /// z = w x + b share each column's exponentials ([`logistic::block_grid_sums`]);
    /// otherwise each point gets exactly [`Self::logistic_value`]'s sum.
    fn logistic_values(&self, logits: &Logits, w: &[f64], b: &[f64], out: &mut [f64]) {
        let (x, y) = self.examples();
        let m = x.len();
        out.fill(0.0);
        let grid = match logits {
            Logits::Line => grid_shape(w, b).filter(|&columns| {
                let limit = logistic::GRID_FACTOR_LIMIT;
                let max_x = self.max_abs_x;
                w[..columns].iter().all(|v| (v * max_x).abs() <= limit)
                    && b.iter().all(|v| v.abs() <= limit)
            }),
            Logits::Affine { .. } => None,
        };
        if let Some(columns) = grid {
            let rows: Vec<(f64, f64, f64)> = b
                .iter()
                .step_by(columns)
                .map(|&v| (v, v.exp(), (-v).exp()))
                .collect();
            let mut buf = logistic::Buffers::default();
            for (xb, yb) in x.chunks(logistic::BLOCK).zip(y.chunks(logistic::BLOCK)) {
                logistic::block_grid_sums(&mut buf, &w[..columns], &rows, xb, yb, out);
            }
        } else {
            let mut buf = logistic::Buffers::default();
            for (k, (xb, yb)) in x
                .chunks(logistic::BLOCK)
                .zip(y.chunks(logistic::BLOCK))
                .enumerate()
            {
                let block = logistic::Block {
                    logits,
                    x: xb,
                    y: yb,
                    start: k * logistic::BLOCK,
                };
                for ((o, &wi), &bi) in out.iter_mut().zip(w).zip(b) {
                    *o += logistic::block_loss_sum(&mut buf, block, wi, bi);
                }
            }
        }
        for ((o, &wi), &bi) in out.iter_mut().zip(w).zip(b) {
            let data = if m == 0 { 0.0 } else { *o / m as f64 };
            *o = data + self.regularization_value([wi, bi]);
        }
    }

    /// The regularization term at `p` (0 without one).
    fn regularization_value(&self, p: Point) -> f64 {
        match &self.regularization {
            Some(t) => {
                let mut s = self.slots.clone();
                s[SLOT_W] = p[0];
                s[SLOT_B] = p[1];
                t.value(&s)
            }
            None => 0.0,
        }
    }

    /// Model slots with w, b seeded and constants filled; `x` is set per example.
    fn dual_slots<T: Num>(&self, p: Point, make: impl Fn(f64, [f64; 2]) -> T) -> Vec<T> {
        self.slots
            .iter()
            .enumerate()
            .map(|(i, &v)| match i {
                SLOT_W => make(p[0], [1.0, 0.0]),
                SLOT_B => make(p[1], [0.0, 1.0]),
                _ => T::constant(v),
            })
            .collect()
    }

    /// Loss slots: `yhat` seeded as the first direction, so d/dyhat is the gradient's first
    /// entry and d2/dyhat2 the Hessian's first entry.
    fn loss_slots<T: Num>(&self, make: impl Fn(f64, [f64; 2]) -> T) -> Vec<T> {
        self.slots
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if i == SLOT_YHAT {
                    make(0.0, [1.0, 0.0])
                } else {
                    T::constant(v)
                }
            })
            .collect()
    }

    fn regularization_derivatives(&self, p: Point) -> Derivatives {
        match &self.regularization {
            None => Derivatives {
                value: 0.0,
                gradient: [0.0; 2],
                hessian: [[0.0; 2]; 2],
            },
            Some(t) => {
                let mut s = self.slots.clone();
                s[SLOT_W] = p[0];
                s[SLOT_B] = p[1];
                let d = t.value_gradient_hessian(&s);
                Derivatives {
                    value: d.v,
                    gradient: d.g,
                    hessian: d.hessian(),
                }
            }
        }
    }

    /// Sum of the loss over a block of rows (batched over the block).
    fn block_loss_sum(&self, p: Point, x: &[f64], y: &[f64], buf: &mut Bufs) -> f64 {
        let n = x.len();
        buf.yhat.resize(n, 0.0);
        buf.loss.resize(n, 0.0);
        let mut inputs: Vec<Input<'_>> = self.slots.iter().map(|&v| Input::Scalar(v)).collect();
        inputs[SLOT_W] = Input::Scalar(p[0]);
        inputs[SLOT_B] = Input::Scalar(p[1]);
        inputs[SLOT_X] = Input::Slice(x);
        if let Some(logits) = &self.logits {
            logits.eval_batch(&inputs, &mut buf.yhat[..n], &mut buf.scratch);
            return buf.yhat[..n]
                .iter()
                .zip(y)
                .map(|(&z, &yi)| softplus(z) - yi * z)
                .sum();
        }
        self.model
            .eval_batch(&inputs, &mut buf.yhat[..n], &mut buf.scratch);
        let mut inputs: Vec<Input<'_>> = self.slots.iter().map(|&v| Input::Scalar(v)).collect();
        inputs[SLOT_Y] = Input::Slice(y);
        inputs[SLOT_YHAT] = Input::Slice(&buf.yhat[..n]);
        self.loss
            .eval_batch(&inputs, &mut buf.loss[..n], &mut buf.scratch);
        buf.loss[..n].iter().sum()
    }

    /// The mean loss over all examples (general path).
    fn data_value(&self, p: Point) -> f64 {
        let m = self.data.len();
        if m == 0 {
            return 0.0;
        }
        let (x, y) = (&self.data.x[..], &self.data.y[..m.min(self.data.y.len())]);
        let x = &x[..y.len()];
        let total: f64 = if m >= PARALLEL_FROM {
            let parts: Vec<f64> = x
                .par_chunks(BLOCK * 4)
                .zip(y.par_chunks(BLOCK * 4))
                .map_init(Bufs::default, |buf, (xc, yc)| {
                    self.block_loss_sum(p, xc, yc, buf)
                })
                .collect();
            parts.iter().sum()
        } else {
            let mut buf = Bufs::default();
            x.chunks(BLOCK)
                .zip(y.chunks(BLOCK))
                .map(|(xc, yc)| self.block_loss_sum(p, xc, yc, &mut buf))
                .sum()
        };
        total / m as f64
    }

    /// Loss derivative terms of one example for the logit shortcut: (L, L', L'').
    #[inline]
    fn logit_loss(z: f64, y: f64) -> (f64, f64, f64) {
        let s = sigmoid(z);
        (softplus(z) - y * z, s - y, s * (1.0 - s))
    }

    /// Mean value and gradient of the loss over the listed rows (general path).
    fn sum_gradient(&self, p: Point, rows: impl Iterator<Item = usize>) -> (f64, [f64; 2]) {
        let model = self.logits.as_ref().unwrap_or(&self.model);
        let mut ms = self.dual_slots::<Dual>(p, Dual::new);
        let mut ls = self.loss_slots::<Dual>(Dual::new);
        let (mut mr, mut lr) = (Vec::new(), Vec::new());
        let (mut v, mut g, mut count) = (0.0, [0.0; 2], 0usize);
        for i in rows {
            let (Some(&x), Some(&y)) = (self.data.x.get(i), self.data.y.get(i)) else {
                continue;
            };
            ms[SLOT_X] = Dual::constant(x);
            let md = model.eval_with(&ms, &mut mr);
            let (l, l1) = if self.logits.is_some() {
                let (l, l1, _) = Self::logit_loss(md.v, y);
                (l, l1)
            } else {
                ls[SLOT_Y] = Dual::constant(y);
                ls[SLOT_YHAT] = Dual::new(md.v, [1.0, 0.0]);
                let ld = self.loss.eval_with(&ls, &mut lr);
                (ld.v, ld.g[0])
            };
            v += l;
            g[0] += l1 * md.g[0];
            g[1] += l1 * md.g[1];
            count += 1;
        }
        let k = count.max(1) as f64;
        (v / k, [g[0] / k, g[1] / k])
    }

    /// Mean value, gradient and Hessian of the loss over the listed rows (general path).
    fn sum_hessian(&self, p: Point, rows: impl Iterator<Item = usize>) -> Derivatives {
        let model = self.logits.as_ref().unwrap_or(&self.model);
        let make = |v: f64, g: [f64; 2]| Dual2 { v, g, h: [0.0; 3] };
        let mut ms = self.dual_slots::<Dual2>(p, make);
        let mut ls = self.loss_slots::<Dual2>(make);
        let (mut mr, mut lr) = (Vec::new(), Vec::new());
        let (mut v, mut g, mut h, mut count) = (0.0, [0.0; 2], [0.0; 3], 0usize);
        for i in rows {
            let (Some(&x), Some(&y)) = (self.data.x.get(i), self.data.y.get(i)) else {
                continue;
            };
            ms[SLOT_X] = Dual2::constant(x);
            let md = model.eval_with(&ms, &mut mr);
            let (l, l1, l2) = if self.logits.is_some() {
                Self::logit_loss(md.v, y)
            } else {
                ls[SLOT_Y] = Dual2::constant(y);
                ls[SLOT_YHAT] = make(md.v, [1.0, 0.0]);
                let ld = self.loss.eval_with(&ls, &mut lr);
                (ld.v, ld.g[0], ld.h[0])
            };
            v += l;
            g[0] += l1 * md.g[0];
            g[1] += l1 * md.g[1];
            h[0] += l2 * md.g[0] * md.g[0] + l1 * md.h[0];
            h[1] += l2 * md.g[0] * md.g[1] + l1 * md.h[1];
            h[2] += l2 * md.g[1] * md.g[1] + l1 * md.h[2];
            count += 1;
        }
        let k = count.max(1) as f64;
        Derivatives {
            value: v / k,
            gradient: [g[0] / k, g[1] / k],
            hessian: [[h[0] / k, h[1] / k], [h[1] / k, h[2] / k]],
        }
    }

    /// Full-data gradient, on all cores for large datasets.
    fn full_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let m = self.data.len();
        if m >= PARALLEL_FROM {
            let chunk = BLOCK * 4;
            let parts: Vec<(f64, [f64; 2], usize)> = (0..m.div_ceil(chunk))
                .into_par_iter()
                .map(|c| {
                    let r = c * chunk..((c + 1) * chunk).min(m);
                    let n = r.len();
                    let (v, g) = self.sum_gradient(p, r);
                    (v, g, n)
                })
                .collect();
            let (mut v, mut g) = (0.0, [0.0; 2]);
            for (pv, pg, n) in parts {
                let w = n as f64 / m as f64;
                v += pv * w;
                g[0] += pg[0] * w;
                g[1] += pg[1] * w;
            }
            (v, g)
        } else {
            self.sum_gradient(p, 0..m)
        }
    }
}

/// When the points `(w[k], b[k])` are rows of one set of columns (every row the same w's,
/// one b per row), the number of columns.
fn grid_shape(w: &[f64], b: &[f64]) -> Option<usize> {
    let first = *b.first()?;
    let columns = b.iter().take_while(|&&v| v == first).count();
    if w.len() != b.len() || !w.len().is_multiple_of(columns) {
        return None;
    }
    let same = w
        .chunks(columns)
        .zip(b.chunks(columns))
        .all(|(wr, br)| wr == &w[..columns] && br.iter().all(|&v| v == br[0]));
    same.then_some(columns)
}

/// Refuses a problem that cannot fit anything, in the field at fault: a model without the
/// parameters w and b, or a loss without the prediction `yhat` or the label `y`, gives a
/// constant cost (or one blind to the data) that would "converge" at once. The named
/// logloss also needs a model whose output is a probability; a model that plainly is not one
/// (a polynomial in w and b, such as the line `w*x + b`) would give ln of a negative number,
/// a NaN cost. Other models (`sigmoid(..)`, `1/(1 + exp(..))`, ...) are left to the user.
fn check_fit(
    model: &str,
    model_tape: &Tape,
    loss: &str,
    loss_tape: &Tape,
    loss_name: Option<NamedLoss>,
) -> Result<(), CompileError> {
    let whole = |part, text: &str| CompileError::new(part, 0, text.chars().count(), "");
    if !model_tape.uses_slot(SLOT_W) && !model_tape.uses_slot(SLOT_B) {
        return Err(CompileError {
            message: "the model does not use the parameters `w` or `b`, so the cost is the same for every w and b".into(),
            ..whole(Part::Model, model)
        }
        .with_hint(Role::Model.example()));
    }
    let missing = match (loss_tape.uses_slot(SLOT_YHAT), loss_tape.uses_slot(SLOT_Y)) {
        (false, _) => Some(
            "the loss does not use the prediction `yhat`, so the cost does not change with w and b",
        ),
        (true, false) => {
            Some("the loss does not use the label `y`, so it fits nothing to the data")
        }
        _ => None,
    };
    if let Some(message) = missing {
        return Err(CompileError {
            message: message.into(),
            ..whole(Part::Loss, loss)
        }
        .with_hint(Role::Loss.example()));
    }
    if loss_name == Some(NamedLoss::Logloss) && degree_in_parameters(model_tape).is_some() {
        let shown = model.trim();
        let wrapped = if shown.chars().count() <= 40 {
            format!("sigmoid({shown})")
        } else {
            "sigmoid(w*x + b)".to_string()
        };
        return Err(CompileError {
            message: "the logloss needs a model whose output is a probability (between 0 and 1), but this model can take any value".into(),
            ..whole(Part::Model, model)
        }
        .with_hint(format!("squash it into a probability, e.g. {wrapped}")));
    }
    Ok(())
}

/// Reusable buffers of one thread's batched evaluation.
#[derive(Default)]
struct Bufs {
    yhat: Vec<f64>,
    loss: Vec<f64>,
    scratch: Vec<f64>,
}

fn add(a: Derivatives, b: Derivatives) -> Derivatives {
    Derivatives {
        value: a.value + b.value,
        gradient: [a.gradient[0] + b.gradient[0], a.gradient[1] + b.gradient[1]],
        hessian: [
            [
                a.hessian[0][0] + b.hessian[0][0],
                a.hessian[0][1] + b.hessian[0][1],
            ],
            [
                a.hessian[1][0] + b.hessian[1][0],
                a.hessian[1][1] + b.hessian[1][1],
            ],
        ],
    }
}

impl Objective for DataFitObjective {
    fn value(&self, p: Point) -> f64 {
        let data = match (&self.quadratic, &self.affine_logits) {
            (Some(q), _) => q.data_value_gradient(p).0,
            (None, Some(logits)) => self.logistic_value(logits, p),
            (None, None) => self.data_value(p),
        };
        data + self.regularization_value(p)
    }

    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let (v, g) = match (&self.quadratic, &self.affine_logits) {
            (Some(q), _) => q.data_value_gradient(p),
            (None, Some(logits)) => self.logistic_value_gradient(logits, p),
            (None, None) => self.full_gradient(p),
        };
        let r = self.regularization_derivatives(p);
        (v + r.value, [g[0] + r.gradient[0], g[1] + r.gradient[1]])
    }

    fn derivatives(&self, p: Point) -> Derivatives {
        let data = match &self.quadratic {
            Some(q) => {
                let (v, g) = q.data_value_gradient(p);
                Derivatives {
                    value: v,
                    gradient: g,
                    hessian: [[q.a[0], q.a[1]], [q.a[1], q.a[2]]],
                }
            }
            None => self.sum_hessian(p, 0..self.data.len()),
        };
        add(data, self.regularization_derivatives(p))
    }

    fn example_count(&self) -> usize {
        self.data.len()
    }

    /// 0 on the mse fast path (the full-data cost is O(1) there), m otherwise.
    fn full_evaluation_examples(&self) -> usize {
        if self.quadratic.is_some() {
            0
        } else {
            self.data.len()
        }
    }

    fn batch_value_gradient(&self, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        let (v, g) = match &self.quadratic {
            Some(q) => {
                let (mut v, mut g, mut count) = (0.0, [0.0; 2], 0usize);
                for &i in examples {
                    let (Some(&pi), Some(&qi), Some(&ei)) = (q.p.get(i), q.q.get(i), q.e.get(i))
                    else {
                        continue;
                    };
                    let r = pi * p[0] + qi * p[1] + ei;
                    v += 0.5 * r * r;
                    g[0] += r * pi;
                    g[1] += r * qi;
                    count += 1;
                }
                let k = count.max(1) as f64;
                (v / k, [g[0] / k, g[1] / k])
            }
            None => match &self.affine_logits {
                Some(logits) => self.logistic_batch(logits, p, examples),
                None => self.sum_gradient(p, examples.iter().copied()),
            },
        };
        let r = self.regularization_derivatives(p);
        (v + r.value, [g[0] + r.gradient[0], g[1] + r.gradient[1]])
    }

    fn values(&self, w: &[f64], b: &[f64], out: &mut [f64]) {
        if self.quadratic.is_none()
            && let Some(logits) = &self.affine_logits
        {
            return self.logistic_values(logits, w, b, out);
        }
        for ((o, &wi), &bi) in out.iter_mut().zip(w).zip(b) {
            *o = self.value([wi, bi]);
        }
    }

    fn domain(&self) -> Domain {
        if let Some(d) = self.domain {
            return d;
        }
        match &self.quadratic {
            Some(q) if q.unique => {
                let hw = 2.0 * q.at[0].abs().max(1.0);
                let hb = 2.0 * q.at[1].abs().max(1.0);
                Domain::new(q.at[0] - hw, q.at[0] + hw, q.at[1] - hb, q.at[1] + hb)
            }
            _ => Domain::new(-6.0, 6.0, -6.0, 6.0),
        }
    }

    fn known_points(&self) -> &[KnownPoint] {
        &self.known
    }
}
