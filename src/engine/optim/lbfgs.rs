//! L-BFGS (torch `LBFGS`; default lr = 1, max_iter = 20, max_eval = max_iter * 5 / 4,
//! tolerance_grad = 1e-7, tolerance_change = 1e-9, history_size = 100, no line search).
//!
//! One step is one `optimizer.step(closure)` call: up to `max_iter` inner iterations over
//! the flat vector theta = (w, b), each evaluating J and its gradient g again:
//!
//! ```text
//! stop the step at once if max |g_i| <= tolerance_grad
//! repeat (inner iteration k):
//!     first iteration of the run:  d = -g, H_diag = 1, no pairs
//!     otherwise:  y = g - g_prev, s = t d;  if y.s > 1e-10 keep the pair (s, y)
//!                 (dropping the oldest beyond history_size) and H_diag = y.s / y.y;
//!                 d = -H g by the two-loop recursion over the pairs, starting from H_diag
//!     t = min(1, 1 / sum |g_i|) * lr on the run's very first iteration, else lr
//!     stop if g.d > -tolerance_change (not a descent direction)
//!     no line search:  theta = theta + t d, then J and g there (unless k = max_iter)
//!     strong_wolfe:    t from a line search along d meeting the strong Wolfe conditions
//!                      J(theta + t d) <= J + 1e-4 t g.d and |g(theta + t d).d| <= 0.9 |g.d|
//!                      (bracketing, then zooming by cubic interpolation), theta = theta + t d
//!     stop if k = max_iter, evaluations >= max_eval, max |g_i| <= tolerance_grad,
//!     max |t d_i| <= tolerance_change or |J - J_prev| < tolerance_change
//! ```
//!
//! Every evaluation after the step's first is a trial (the inner iterates, the line
//! search's points). The arithmetic follows torch's operation for operation; w and b are
//! one parameter group, so they cannot have separate learning rates.

use std::collections::VecDeque;

use super::{LineSearch, Optimizer, OptimizerSettings, OptimizerState, Trial, pair};
use crate::engine::{Hessian, Point};

/// The strong Wolfe line search's sufficient-decrease constant (torch's `c1`).
const WOLFE_C1: f64 = 1e-4;

/// The strong Wolfe line search's curvature constant (torch's `c2`).
const WOLFE_C2: f64 = 0.9;

/// L-BFGS with its curvature history.
#[derive(Clone, Debug, PartialEq)]
pub struct Lbfgs {
    settings: OptimizerSettings,
    max_iter: u32,
    max_eval: u32,
    tolerance_grad: f64,
    tolerance_change: f64,
    history_size: usize,
    line_search: LineSearch,
    /// The last direction d and step size t.
    direction: [f64; 2],
    step_size: f64,
    /// Curvature pairs: y (torch's `old_dirs`), s (`old_stps`) and 1 / y.s (`ro`).
    old_dirs: VecDeque<[f64; 2]>,
    old_stps: VecDeque<[f64; 2]>,
    ro: VecDeque<f64>,
    /// The two-loop recursion's coefficients.
    al: Vec<f64>,
    h_diag: f64,
    prev_flat_grad: [f64; 2],
    prev_loss: f64,
    /// Inner iterations over the whole run (torch's `state["n_iter"]`).
    n_iter: u64,
    /// Evaluations and inner iterations of the last step.
    evaluations: u32,
    inner_iterations: u32,
    steps: u64,
}

/// `a.b` of two 2-vectors.
#[inline]
fn dot(a: [f64; 2], b: [f64; 2]) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}

/// `a + alpha * b`, as torch's `a.add_(b, alpha=alpha)` computes it on the CPU: a fused
/// multiply-add per component (one rounding).
#[inline]
fn add_scaled(a: [f64; 2], alpha: f64, b: [f64; 2]) -> [f64; 2] {
    [alpha.mul_add(b[0], a[0]), alpha.mul_add(b[1], a[1])]
}

/// max |a_i|.
#[inline]
fn abs_max(a: [f64; 2]) -> f64 {
    py_max(a[0].abs(), a[1].abs())
}

/// Python's `max(a, b)`: `a` unless `b > a`.
#[inline]
fn py_max(a: f64, b: f64) -> f64 {
    if b > a { b } else { a }
}

/// Python's `min(a, b)`: `a` unless `b < a`.
#[inline]
fn py_min(a: f64, b: f64) -> f64 {
    if b < a { b } else { a }
}

/// The minimizer of the cubic through (x1, f1) and (x2, f2) with slopes g1 and g2, clamped
/// to `bounds` (default: between x1 and x2); their middle when the cubic has none.
fn cubic_interpolate(
    (x1, f1, g1): (f64, f64, f64),
    (x2, f2, g2): (f64, f64, f64),
    bounds: Option<(f64, f64)>,
) -> f64 {
    let (xmin_bound, xmax_bound) = bounds.unwrap_or(if x1 <= x2 { (x1, x2) } else { (x2, x1) });
    let d1 = g1 + g2 - 3.0 * (f1 - f2) / (x1 - x2);
    let d2_square = d1 * d1 - g1 * g2;
    if d2_square >= 0.0 {
        let d2 = d2_square.sqrt();
        let min_pos = if x1 <= x2 {
            x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2.0 * d2))
        } else {
            x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2.0 * d2))
        };
        py_min(py_max(min_pos, xmin_bound), xmax_bound)
    } else {
        (xmin_bound + xmax_bound) / 2.0
    }
}

/// One point of a line search: step t, J and the gradient there, and g.d.
#[derive(Clone, Copy, Debug)]
struct LinePoint {
    t: f64,
    f: f64,
    g: [f64; 2],
    gtd: f64,
}

/// What a line search found: the accepted point and how many evaluations it took.
struct LineResult {
    f: f64,
    g: [f64; 2],
    t: f64,
    evaluations: u32,
}

/// torch's `_strong_wolfe` along `d` from `x` (where J = `f`, gradient `g`, g.d = `gtd`),
/// starting at step `t`, with at most `max_ls` evaluations.
#[allow(clippy::too_many_arguments)]
fn strong_wolfe(
    evaluate: &mut dyn FnMut(Point) -> (f64, [f64; 2]),
    trials: &mut Vec<Trial>,
    x: Point,
    mut t: f64,
    d: [f64; 2],
    f: f64,
    g: [f64; 2],
    gtd: f64,
    tolerance_change: f64,
    max_ls: i64,
) -> LineResult {
    let mut at = |t: f64| {
        // torch's _directional_evaluate: x.add_(d, alpha=t)
        let p = add_scaled(x, t, d);
        let (f, g) = evaluate(p);
        trials.push(Trial { params: p, cost: f });
        LinePoint {
            t,
            f,
            g,
            gtd: dot(g, d),
        }
    };
    let d_norm = abs_max(d);
    let mut new = at(t);
    let mut evaluations = 1u32;
    let mut prev = LinePoint { t: 0.0, f, g, gtd };
    let mut done = false;
    let mut ls_iter: i64 = 0;
    // The bracket (both ends the accepted point once done).
    let mut bracket = [new, new];
    while ls_iter < max_ls {
        if new.f > f + WOLFE_C1 * t * gtd || (ls_iter > 1 && new.f >= prev.f) {
            bracket = [prev, new];
            break;
        }
        if new.gtd.abs() <= -WOLFE_C2 * gtd {
            bracket = [new, new];
            done = true;
            break;
        }
        if new.gtd >= 0.0 {
            bracket = [prev, new];
            break;
        }
        let min_step = t + 0.01 * (t - prev.t);
        let max_step = t * 10.0;
        let tmp = t;
        t = cubic_interpolate(
            (prev.t, prev.f, prev.gtd),
            (t, new.f, new.gtd),
            Some((min_step, max_step)),
        );
        prev = LinePoint { t: tmp, ..new };
        new = at(t);
        evaluations += 1;
        ls_iter += 1;
    }
    if ls_iter >= max_ls {
        bracket = [LinePoint { t: 0.0, f, g, gtd }, new];
    }
    let (mut low, mut high) = if bracket[0].f <= bracket[1].f {
        (0, 1)
    } else {
        (1, 0)
    };
    let mut insufficient_progress = false;
    while !done && ls_iter < max_ls {
        if (bracket[1].t - bracket[0].t).abs() * d_norm < tolerance_change {
            break;
        }
        t = cubic_interpolate(
            (bracket[0].t, bracket[0].f, bracket[0].gtd),
            (bracket[1].t, bracket[1].f, bracket[1].gtd),
            None,
        );
        let (b_max, b_min) = (
            py_max(bracket[0].t, bracket[1].t),
            py_min(bracket[0].t, bracket[1].t),
        );
        let eps = 0.1 * (b_max - b_min);
        if py_min(b_max - t, t - b_min) < eps {
            if insufficient_progress || t >= b_max || t <= b_min {
                t = if (t - b_max).abs() < (t - b_min).abs() {
                    b_max - eps
                } else {
                    b_min + eps
                };
                insufficient_progress = false;
            } else {
                insufficient_progress = true;
            }
        } else {
            insufficient_progress = false;
        }
        new = at(t);
        evaluations += 1;
        ls_iter += 1;
        if new.f > f + WOLFE_C1 * t * gtd || new.f >= bracket[low].f {
            bracket[high] = new;
            (low, high) = if bracket[0].f <= bracket[1].f {
                (0, 1)
            } else {
                (1, 0)
            };
        } else {
            if new.gtd.abs() <= -WOLFE_C2 * gtd {
                done = true;
            } else if new.gtd * (bracket[high].t - bracket[low].t) >= 0.0 {
                bracket[high] = bracket[low];
            }
            bracket[low] = new;
        }
    }
    let accepted = bracket[low];
    LineResult {
        f: accepted.f,
        g: accepted.g,
        t: accepted.t,
        evaluations,
    }
}

impl Lbfgs {
    /// L-BFGS from its settings (other settings give the defaults).
    pub fn new(settings: OptimizerSettings) -> Self {
        let settings = match settings {
            OptimizerSettings::Lbfgs { .. } => settings,
            _ => OptimizerSettings::default_for(super::OptimizerKind::Lbfgs),
        };
        let OptimizerSettings::Lbfgs {
            max_iter,
            max_eval,
            tolerance_grad,
            tolerance_change,
            history_size,
            line_search_fn,
        } = settings
        else {
            unreachable!("settings are L-BFGS's")
        };
        let history_size = history_size.max(1) as usize;
        Self {
            settings,
            max_iter: max_iter.max(1),
            max_eval: max_eval.unwrap_or(max_iter.saturating_mul(5) / 4),
            tolerance_grad,
            tolerance_change,
            history_size,
            line_search: line_search_fn,
            direction: [0.0; 2],
            step_size: 0.0,
            old_dirs: VecDeque::with_capacity(history_size),
            old_stps: VecDeque::with_capacity(history_size),
            ro: VecDeque::with_capacity(history_size),
            al: vec![0.0; history_size],
            h_diag: 1.0,
            prev_flat_grad: [0.0; 2],
            prev_loss: f64::NAN,
            n_iter: 0,
            evaluations: 0,
            inner_iterations: 0,
            steps: 0,
        }
    }

    /// The quasi-Newton direction -H g from the pairs (torch's two-loop recursion).
    fn direction_from(&mut self, flat_grad: [f64; 2]) -> [f64; 2] {
        let num_old = self.old_dirs.len();
        let mut q = [-flat_grad[0], -flat_grad[1]];
        for i in (0..num_old).rev() {
            self.al[i] = dot(self.old_stps[i], q) * self.ro[i];
            let y = self.old_dirs[i];
            // torch: q.add_(old_dirs[i], alpha=-al[i])
            q = add_scaled(q, -self.al[i], y);
        }
        let mut r = [q[0] * self.h_diag, q[1] * self.h_diag];
        for i in 0..num_old {
            let be_i = dot(self.old_dirs[i], r) * self.ro[i];
            let s = self.old_stps[i];
            let alpha = self.al[i] - be_i;
            // torch: r.add_(old_stps[i], alpha=al[i] - be_i)
            r = add_scaled(r, alpha, s);
        }
        r
    }
}

impl Optimizer for Lbfgs {
    fn settings(&self) -> OptimizerSettings {
        self.settings
    }

    fn evaluates(&self) -> bool {
        true
    }

    /// Without J to evaluate, one inner iteration: a step of the learning rate along the
    /// current direction (a run always takes [`Optimizer::step_evaluating`]).
    fn step_groups(
        &mut self,
        params: &mut Point,
        gradient: [f64; 2],
        _: Option<&Hessian>,
        lr: [f64; 2],
    ) {
        // With one inner iteration and no line search, J is never evaluated again.
        let mut no_evaluation = |_: Point| (f64::NAN, [f64::NAN; 2]);
        let saved = (self.max_iter, self.line_search);
        (self.max_iter, self.line_search) = (1, LineSearch::None);
        self.step_evaluating(
            params,
            f64::NAN,
            gradient,
            lr,
            &mut no_evaluation,
            &mut Vec::new(),
        );
        (self.max_iter, self.line_search) = saved;
    }

    fn step_evaluating(
        &mut self,
        params: &mut Point,
        cost: f64,
        gradient: [f64; 2],
        learning_rate: [f64; 2],
        evaluate: &mut dyn FnMut(Point) -> (f64, [f64; 2]),
        trials: &mut Vec<Trial>,
    ) -> f64 {
        let lr = learning_rate[0];
        self.steps += 1;
        let mut loss = cost;
        let mut flat_grad = gradient;
        let mut current_evals: u32 = 1;
        self.evaluations = 1;
        self.inner_iterations = 0;
        if abs_max(flat_grad) <= self.tolerance_grad {
            return lr;
        }
        let mut d = self.direction;
        let mut t = self.step_size;
        let mut n_iter: u32 = 0;
        while n_iter < self.max_iter {
            n_iter += 1;
            self.n_iter += 1;
            if self.n_iter == 1 {
                d = [-flat_grad[0], -flat_grad[1]];
                self.old_dirs.clear();
                self.old_stps.clear();
                self.ro.clear();
                self.h_diag = 1.0;
            } else {
                let y = [
                    flat_grad[0] - self.prev_flat_grad[0],
                    flat_grad[1] - self.prev_flat_grad[1],
                ];
                let s = [d[0] * t, d[1] * t];
                let ys = dot(y, s);
                if ys > 1e-10 {
                    if self.old_dirs.len() == self.history_size {
                        self.old_dirs.pop_front();
                        self.old_stps.pop_front();
                        self.ro.pop_front();
                    }
                    self.old_dirs.push_back(y);
                    self.old_stps.push_back(s);
                    self.ro.push_back(1.0 / ys);
                    self.h_diag = ys / dot(y, y);
                }
                d = self.direction_from(flat_grad);
            }
            self.prev_flat_grad = flat_grad;
            self.prev_loss = loss;
            t = if self.n_iter == 1 {
                py_min(1.0, 1.0 / (flat_grad[0].abs() + flat_grad[1].abs())) * lr
            } else {
                lr
            };
            let gtd = dot(flat_grad, d);
            if gtd > -self.tolerance_change {
                break;
            }
            let mut ls_func_evals = 0;
            let opt_cond;
            match self.line_search {
                LineSearch::StrongWolfe => {
                    let x = *params;
                    let found = strong_wolfe(
                        evaluate,
                        trials,
                        x,
                        t,
                        d,
                        loss,
                        flat_grad,
                        gtd,
                        self.tolerance_change,
                        i64::from(self.max_eval) - i64::from(current_evals),
                    );
                    (loss, flat_grad, t, ls_func_evals) =
                        (found.f, found.g, found.t, found.evaluations);
                    *params = add_scaled(*params, t, d); // torch's _add_grad(t, d)
                    opt_cond = abs_max(flat_grad) <= self.tolerance_grad;
                }
                LineSearch::None => {
                    *params = add_scaled(*params, t, d); // torch's _add_grad(t, d)
                    if n_iter != self.max_iter {
                        (loss, flat_grad) = evaluate(*params);
                        trials.push(Trial {
                            params: *params,
                            cost: loss,
                        });
                        ls_func_evals = 1;
                        opt_cond = abs_max(flat_grad) <= self.tolerance_grad;
                    } else {
                        opt_cond = false;
                    }
                }
            }
            current_evals += ls_func_evals;
            self.evaluations = current_evals;
            self.inner_iterations = n_iter;
            if n_iter == self.max_iter
                || current_evals >= self.max_eval
                || opt_cond
                || abs_max([d[0] * t, d[1] * t]) <= self.tolerance_change
                || (loss - self.prev_loss).abs() < self.tolerance_change
            {
                break;
            }
        }
        self.inner_iterations = n_iter;
        self.direction = d;
        self.step_size = t;
        lr
    }

    fn reset(&mut self) {
        *self = Self::new(self.settings);
    }

    fn step_count(&self) -> u64 {
        self.steps
    }

    fn state_width(&self) -> usize {
        7
    }

    fn save_state(&self, out: &mut [f64]) {
        let values = [
            self.direction[0],
            self.direction[1],
            self.step_size,
            self.h_diag,
            self.old_dirs.len() as f64,
            f64::from(self.evaluations),
            f64::from(self.inner_iterations),
        ];
        for (slot, value) in out.iter_mut().zip(values) {
            *slot = value;
        }
    }

    fn describe_state(&self, saved: &[f64], _: u64, _: f64) -> OptimizerState {
        let at = |i: usize| saved.get(i).copied().unwrap_or(0.0);
        OptimizerState::Lbfgs {
            direction: pair(saved, 0),
            step_size: at(2),
            h_diag: at(3),
            pairs: at(4) as u32,
            evaluations: at(5) as u32,
            inner_iterations: at(6) as u32,
        }
    }
}
