//! Finding and classifying the stationary points of J (where the gradient is zero).
//!
//! Newton's method on the gradient, `p <- p - H^-1 g`, is started from a regular grid of
//! points in the domain, and from every cell of a finer sampled grid that is lower (or
//! higher) than its eight neighbours, so narrow basins such as Rastrigin's are not missed; it
//! converges to minima, maxima and saddles alike. From the grid minima and maxima a compass
//! search also runs downhill (uphill), which finds extrema at kinks such as Ackley's cone,
//! where the gradient never vanishes and Newton's method cannot converge. Converged points
//! inside the domain are deduplicated and classified by the signs of the Hessian's
//! eigenvalues. When an eigenvalue is (numerically) zero the Hessian test says nothing, and J
//! is compared with its values on a small circle around the point instead; points where J is
//! flat in some direction are not isolated (a plateau, a valley floor of equal values) and are
//! counted rather than listed.
//!
//! Every tolerance is relative to the domain, direction by direction (a step, a probe radius
//! or a merge distance is a fraction of the w range along w and of the b range along b), and
//! to the spread of J over the domain (sampled on a grid), never an absolute number: the same
//! landscape drawn 1e-300 or 1e200 wide gives the same points, scaled. Newton's method is
//! steered by the gradient and Hessian alone, so it still runs where J itself overflows
//! (w^2 at w = 1e200) and converges to a point where J is finite.

use rayon::prelude::*;

use super::{Curvature, Grid, symmetric_eigen};
use crate::engine::objective::Objective;
use crate::engine::{Domain, Point};

/// What kind of stationary point it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CriticalKind {
    /// J increases in every direction.
    Minimum,
    /// J increases in some directions and decreases in others.
    Saddle,
    /// J decreases in every direction.
    Maximum,
}

impl CriticalKind {
    /// `minimum`, `saddle` or `maximum`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Minimum => "minimum",
            Self::Saddle => "saddle",
            Self::Maximum => "maximum",
        }
    }
}

impl std::fmt::Display for CriticalKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One stationary point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CriticalPoint {
    /// Where it is.
    pub at: Point,
    /// J there.
    pub value: f64,
    /// The length of the gradient there (close to 0).
    pub gradient_norm: f64,
    /// Its kind.
    pub kind: CriticalKind,
    /// False when the Hessian could not decide (an eigenvalue is zero, as at a monkey saddle,
    /// or J has a kink there, as Ackley's minimum) and the kind was decided by comparing J
    /// with its values on a small circle around the point. At a kink the curvature is NaN.
    pub hessian_test: bool,
    /// The Hessian's eigenvalues, condition number and stable learning rate there.
    pub curvature: Curvature,
}

/// Settings of the search.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CriticalOptions {
    /// Newton starts per axis: `starts_per_axis^2` starts at the cell centers of a regular grid.
    pub starts_per_axis: usize,
    /// Newton iterations per start.
    pub max_iterations: usize,
    /// Samples per axis of the grid whose local minima and maxima are extra starts (0: none).
    pub extrema_grid: usize,
}

impl Default for CriticalOptions {
    fn default() -> Self {
        Self {
            starts_per_axis: 24,
            max_iterations: 100,
            extrema_grid: 128,
        }
    }
}

/// The result of a search.
#[derive(Clone, Debug, PartialEq)]
pub struct CriticalReport {
    /// The isolated stationary points found, lowest value first.
    pub points: Vec<CriticalPoint>,
    /// How many starts ended where J is flat in some direction (no isolated point there).
    pub flat_starts: usize,
    /// How many starts were tried.
    pub starts: usize,
}

/// Searches the domain for stationary points (see the module documentation).
pub fn find_critical_points(
    objective: &dyn Objective,
    domain: Domain,
    options: &CriticalOptions,
) -> CriticalReport {
    let s = options.starts_per_axis.clamp(1, 200);
    if !domain.is_valid() {
        return CriticalReport {
            points: Vec::new(),
            flat_starts: 0,
            starts: 0,
        };
    }
    // Each start with a sign: 0 for the regular starts; for grid minima (+1) and maxima (-1)
    // a direct search downhill (uphill) runs besides Newton's method.
    let mut starts: Vec<(Point, f64)> = (0..s * s)
        .map(|k| {
            let (i, j) = (k / s, k % s);
            let p = [
                domain.w_min + (j as f64 + 0.5) / s as f64 * domain.w_span(),
                domain.b_min + (i as f64 + 0.5) / s as f64 * domain.b_span(),
            ];
            (p, 0.0)
        })
        .collect();
    let n = options.extrema_grid.min(1024);
    // The grid gives the extra starts and the size of J's values over the domain.
    let grid_n = if n >= 3 { n } else { 17 };
    let grid = Grid::sample(objective, domain, grid_n, grid_n).ok();
    if n >= 3
        && let Some(grid) = &grid
    {
        starts.extend(grid_extrema(grid));
    }
    let scale = Scale {
        span: [domain.w_span(), domain.b_span()],
        value: grid.map_or(0.0, |g| value_spread(g.min, g.max)),
    };
    let first_step = 1.0 / n.max(2) as f64;
    let outcomes: Vec<Outcome> = starts
        .par_iter()
        .flat_map_iter(|&(p, sign)| {
            let newton = newton(objective, domain, &scale, p, options.max_iterations);
            let search = (sign != 0.0)
                .then(|| direct_search(objective, domain, &scale, p, sign, first_step));
            std::iter::once(newton).chain(search)
        })
        .collect();

    // Two points are one when they are within a millionth of the domain in both directions.
    let same_point =
        |a: Point, b: Point| (0..2).all(|k| (a[k] - b[k]).abs() <= MERGE_FRACTION * scale.span[k]);
    let mut points: Vec<CriticalPoint> = Vec::new();
    let mut flat_starts = 0;
    for outcome in outcomes {
        match outcome {
            Outcome::Failed => {}
            Outcome::Flat => flat_starts += 1,
            Outcome::Found(c) => match points.iter_mut().find(|q| same_point(q.at, c.at)) {
                Some(q) => {
                    if c.gradient_norm < q.gradient_norm {
                        *q = c;
                    }
                }
                None => points.push(c),
            },
        }
    }
    points.sort_by(|a, b| {
        a.value
            .total_cmp(&b.value)
            .then(a.at[0].total_cmp(&b.at[0]))
            .then(a.at[1].total_cmp(&b.at[1]))
    });
    CriticalReport {
        points,
        flat_starts,
        starts: starts.len(),
    }
}

/// Points closer than this fraction of the domain's width and height are one point.
const MERGE_FRACTION: f64 = 1e-6;

/// A point is stationary when the Newton step still to go is below this fraction of the
/// domain's width and height.
const STATIONARY_FRACTION: f64 = 1e-7;

/// The sizes every tolerance of the search is relative to.
struct Scale {
    /// The widths of the w and b ranges.
    span: [f64; 2],
    /// Half the spread of J's finite values over the domain (0 when J is constant there or
    /// nowhere finite): the size against which a change of J counts as nothing.
    value: f64,
}

impl Scale {
    /// The size of J's values near a point where J = `value`.
    fn value_size(&self, value: f64) -> f64 {
        value.abs().max(self.value)
    }
}

/// Half of `max - min`, without overflow; 0 unless both are finite.
fn value_spread(min: f64, max: f64) -> f64 {
    let spread = 0.5 * max - 0.5 * min;
    if spread.is_finite() { spread } else { 0.0 }
}

/// The most extra starts taken from grid extrema.
const MAX_EXTREMA_STARTS: usize = 4096;

/// Cells of a square grid at most as low (+1), or at least as high (-1), as all eight
/// neighbours.
fn grid_extrema(grid: &Grid) -> Vec<(Point, f64)> {
    let n = grid.n_w;
    if n < 3 || grid.n_b != n {
        return Vec::new();
    }
    let v = |i: usize, j: usize| grid.values[i * n + j];
    let mut out = Vec::new();
    for i in 1..n - 1 {
        for j in 1..n - 1 {
            let c = v(i, j);
            if !c.is_finite() {
                continue;
            }
            // Ties count (a minimum between two samples shows as two equal cells), but a
            // cell equal to all its neighbours is flat, not an extremum.
            let (mut lower, mut higher, mut differs) = (true, true, false);
            for (di, dj) in [
                (0, 0),
                (0, 1),
                (0, 2),
                (1, 0),
                (1, 2),
                (2, 0),
                (2, 1),
                (2, 2),
            ] {
                let x = v(i + di - 1, j + dj - 1);
                lower &= c <= x;
                higher &= c >= x;
                differs |= c != x;
            }
            if differs && (lower || higher) && out.len() < MAX_EXTREMA_STARTS {
                out.push((grid.point(i, j), if lower { 1.0 } else { -1.0 }));
            }
        }
    }
    out
}

/// Compass search for a minimum of `sign * J` from `p`, with a first step of `step` times the
/// domain's width along w and its height along b: for minima and maxima at kinks (Ackley's
/// cone), where the gradient never vanishes and Newton's method fails. The result is accepted
/// only if J is higher (lower) all around it.
fn direct_search(
    objective: &dyn Objective,
    domain: Domain,
    scale: &Scale,
    mut p: Point,
    sign: f64,
    mut step: f64,
) -> Outcome {
    const DIRECTIONS: [[f64; 2]; 8] = [
        [1.0, 0.0],
        [-1.0, 0.0],
        [0.0, 1.0],
        [0.0, -1.0],
        [1.0, 1.0],
        [1.0, -1.0],
        [-1.0, 1.0],
        [-1.0, -1.0],
    ];
    let [sw, sb] = scale.span;
    let mut f = sign * objective.value(p);
    if !f.is_finite() {
        return Outcome::Failed;
    }
    let mut moves = 0;
    while step > 1e-11 && moves < 10_000 {
        moves += 1;
        let mut best: Option<(Point, f64)> = None;
        for d in DIRECTIONS {
            let q = [p[0] + step * d[0] * sw, p[1] + step * d[1] * sb];
            if !domain.contains(q) {
                continue;
            }
            let fq = sign * objective.value(q);
            if fq < f && best.is_none_or(|(_, fb)| fq < fb) {
                best = Some((q, fq));
            }
        }
        match best {
            Some((q, fq)) => (p, f) = (q, fq),
            None => step *= 0.5,
        }
    }
    let value = objective.value(p);
    let wanted = if sign > 0.0 {
        CriticalKind::Minimum
    } else {
        CriticalKind::Maximum
    };
    if probe(objective, scale, p, value) != Some(wanted) {
        return Outcome::Failed;
    }
    let d = objective.derivatives(p);
    let gradient_norm = d.gradient[0].hypot(d.gradient[1]);
    // At a kink the gradient does not vanish and the Hessian says nothing about the shape:
    // its numbers are reported as NaN rather than as misleading huge curvatures. Smooth means
    // the slope changes J across the domain by a negligible part of J's size.
    let change = (d.gradient[0] * sw).abs() + (d.gradient[1] * sb).abs();
    let smooth = change <= 1e-6 * scale.value_size(value);
    let hessian = if smooth {
        d.hessian
    } else {
        [[f64::NAN; 2]; 2]
    };
    Outcome::Found(CriticalPoint {
        at: p,
        value,
        gradient_norm,
        kind: wanted,
        hessian_test: false,
        curvature: Curvature::from_hessian(hessian),
    })
}

enum Outcome {
    Found(CriticalPoint),
    Flat,
    Failed,
}

/// Newton's method on the gradient from `p`. Only the gradient and the Hessian steer it: J
/// itself may overflow at the start (w^2 at w = 1e200) while they do not.
fn newton(
    objective: &dyn Objective,
    domain: Domain,
    scale: &Scale,
    mut p: Point,
    max_iterations: usize,
) -> Outcome {
    let span = scale.span;
    for _ in 0..max_iterations {
        let d = objective.derivatives(p);
        let g = d.gradient;
        if !g
            .iter()
            .chain(d.hessian.as_flattened())
            .all(|v| v.is_finite())
        {
            return Outcome::Failed;
        }
        if g == [0.0, 0.0] {
            break;
        }
        let (lambda, v) = symmetric_eigen(d.hessian);
        if !lambda.iter().all(|l| l.is_finite()) {
            return Outcome::Failed;
        }
        let big = lambda[0].abs().max(lambda[1].abs());
        if big == 0.0 {
            break;
        }
        // Pseudo-inverse Newton step: directions of zero curvature are left alone.
        let mut step = [0.0, 0.0];
        for k in 0..2 {
            if lambda[k].abs() > 1e-12 * big {
                let along = -(v[k][0] * g[0] + v[k][1] * g[1]) / lambda[k];
                step[0] += along * v[k][0];
                step[1] += along * v[k][1];
            }
        }
        // At most half the domain's width (height) along w (b), direction kept.
        let shrink = (0..2)
            .map(|k| {
                let limit = 0.5 * span[k];
                if step[k].abs() > limit {
                    limit / step[k].abs()
                } else {
                    1.0
                }
            })
            .fold(1.0, f64::min);
        step = [step[0] * shrink, step[1] * shrink];
        p = [p[0] + step[0], p[1] + step[1]];
        let (wm, bm) = (0.5 * span[0], 0.5 * span[1]);
        if p[0] < domain.w_min - wm
            || p[0] > domain.w_max + wm
            || p[1] < domain.b_min - bm
            || p[1] > domain.b_max + bm
        {
            return Outcome::Failed;
        }
        // Converged when the step is at the rounding level of the domain and of p.
        if (0..2).all(|k| step[k].abs() <= 1e-14 * (span[k] + p[k].abs())) {
            break;
        }
    }
    classify(objective, domain, scale, p)
}

/// True when the Newton step still to go from a point with gradient `g` and Hessian
/// eigen-decomposition `curvature` is below [`STATIONARY_FRACTION`] of the domain in both
/// directions (beyond the rounding of `p` itself). Directions curving less than 1e-12 of the
/// steepest count with that much curvature, so a slope along a flat direction is not a
/// stationary point however large the other curvature is.
fn is_stationary(g: [f64; 2], curvature: &Curvature, span: [f64; 2], p: Point) -> bool {
    if g == [0.0, 0.0] {
        return true;
    }
    let lambda = curvature.eigenvalues;
    let big = lambda[0].abs().max(lambda[1].abs());
    // No curvature (or none that is a number) with a slope: not stationary.
    if big.is_nan() || big == 0.0 {
        return false;
    }
    let mut step = [0.0, 0.0];
    for (l, v) in lambda.iter().zip(curvature.eigenvectors) {
        let along = (v[0] * g[0] + v[1] * g[1]) / l.abs().max(1e-12 * big);
        step[0] += along * v[0];
        step[1] += along * v[1];
    }
    (0..2).all(|k| step[k].abs() <= STATIONARY_FRACTION * span[k] + 4.0 * f64::EPSILON * p[k].abs())
}

/// Checks that `p` is a stationary point inside the domain and classifies it.
fn classify(objective: &dyn Objective, domain: Domain, scale: &Scale, p: Point) -> Outcome {
    let [sw, sb] = scale.span;
    let (ws, bs) = (1e-9 * sw, 1e-9 * sb);
    if p[0] < domain.w_min - ws
        || p[0] > domain.w_max + ws
        || p[1] < domain.b_min - bs
        || p[1] > domain.b_max + bs
    {
        return Outcome::Failed;
    }
    let d = objective.derivatives(p);
    let gradient_norm = d.gradient[0].hypot(d.gradient[1]);
    let curvature = Curvature::from_hessian(d.hessian);
    let [lo, hi] = curvature.eigenvalues;
    let h_norm = lo.abs().max(hi.abs());
    if !(d.value.is_finite() && d.gradient.iter().all(|v| v.is_finite()) && h_norm.is_finite()) {
        return Outcome::Failed;
    }
    if !is_stationary(d.gradient, &curvature, scale.span, p) {
        return Outcome::Failed;
    }
    // An eigenvalue is (numerically) zero against the largest one, or against the curvature
    // J's spread over the domain makes (V / (width * height)): at a monkey saddle's centre
    // the Hessian vanishes, and near it both eigenvalues are tiny.
    let typical = scale.value / sw / sb;
    let zero = 1e-8
        * if typical.is_finite() {
            h_norm.max(typical)
        } else {
            h_norm
        };
    let hessian_kind = if lo > zero {
        Some(CriticalKind::Minimum)
    } else if hi < -zero {
        Some(CriticalKind::Maximum)
    } else if lo < -zero && hi > zero {
        Some(CriticalKind::Saddle)
    } else {
        None
    };
    let (kind, hessian_test) = match hessian_kind {
        Some(kind) => (kind, true),
        None => match probe(objective, scale, p, d.value) {
            Some(kind) => (kind, false),
            None => return Outcome::Flat,
        },
    };
    Outcome::Found(CriticalPoint {
        at: p,
        value: d.value,
        gradient_norm,
        kind,
        hessian_test,
        curvature,
    })
}

/// Classifies a point by J on a small ellipse around it (a thousandth of the domain's width
/// along w and of its height along b); `None` when J does not change in some direction (the
/// point is not isolated).
fn probe(objective: &dyn Objective, scale: &Scale, p: Point, value: f64) -> Option<CriticalKind> {
    const DIRECTIONS: usize = 24;
    let [rw, rb] = [1e-3 * scale.span[0], 1e-3 * scale.span[1]];
    let same = 1e-13 * scale.value_size(value);
    let (mut higher, mut lower) = (0, 0);
    for k in 0..DIRECTIONS {
        // An angle offset keeps the probes off the axes, where special functions are often flat.
        let angle = (k as f64 + 0.25) * std::f64::consts::TAU / DIRECTIONS as f64;
        let q = [p[0] + rw * angle.cos(), p[1] + rb * angle.sin()];
        let diff = objective.value(q) - value;
        if !diff.is_finite() || diff.abs() <= same {
            return None;
        }
        if diff > 0.0 {
            higher += 1;
        } else {
            lower += 1;
        }
    }
    Some(match (higher, lower) {
        (_, 0) => CriticalKind::Minimum,
        (0, _) => CriticalKind::Maximum,
        _ => CriticalKind::Saddle,
    })
}
