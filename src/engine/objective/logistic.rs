//! The logistic-regression cost fused and vectorized: the logloss of a sigmoid,
//! `-(y ln(sigmoid(z)) + (1 - y) ln(1 - sigmoid(z)))`, is `softplus(z) - y z`, and its
//! derivative in the logit z is `sigmoid(z) - y`. Both come from one `e = exp(-|z|)`:
//!
//! - loss: `(max(z, 0) - y z) + ln(1 + e)`, finite for every finite z (the naive form
//!   overflows to inf or takes ln(0) beyond |z| of about 37), a sum of terms >= 0 for labels
//!   in [0, 1] (no cancellation);
//! - sigmoid: `1 / (1 + e)` for z >= 0 and `e / (1 + e)` otherwise.
//!
//! The exponential is written in plain arithmetic (no call into the C library) so that loops
//! over a block of examples compile to vector instructions; it agrees with the standard
//! library's to a few units in the last place, subnormal results included. The logarithms
//! of a block are taken at once: sum ln(1 + e_i) = ln(1 + Q) where Q = prod(1 + e_i) - 1 is
//! accumulated as `Q + e (1 + Q)`, a sum of terms >= 0 (relative error a few ulps per
//! example), so a block of 256 examples costs one `ln_1p` instead of 256.
//! Sums run in fixed lanes and blocks: the result does not depend on the number of threads.

/// Examples per block (at most 1000, so that `prod(1 + e_i) <= 2^BLOCK` stays finite);
/// a block's buffers stay in the first-level cache.
pub const BLOCK: usize = 256;

/// Lanes of the partial sums (independent chains of additions, a fixed order).
const LANES: usize = 8;

/// Examples whose exponentials are computed side by side (vector registers' worth).
const EXP_LANES: usize = 4;

const LOG2_E: f64 = std::f64::consts::LOG2_E;
/// 1.5 * 2^52: adding it rounds to an integer held in the low bits of the mantissa.
const SHIFTER: f64 = 6_755_399_441_055_744.0;
/// ln 2 split so that `k * LN2_HI` is exact for |k| < 2^20.
const LN2_HI: f64 = 6.931_471_803_691_238e-1;
const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
/// 2^-600, the second half of the scaling by 2^k (see [`exp_nonpositive`]).
const TWO_POW_M600: f64 = 2.409_919_865_102_884e-181;

/// Taylor coefficients of e^r: 1/n!, n = 0..13.
const EXP_TAYLOR: [f64; 14] = [
    1.0,
    1.0,
    0.5,
    1.0 / 6.0,
    1.0 / 24.0,
    1.0 / 120.0,
    1.0 / 720.0,
    1.0 / 5_040.0,
    1.0 / 40_320.0,
    1.0 / 362_880.0,
    1.0 / 3_628_800.0,
    1.0 / 39_916_800.0,
    1.0 / 479_001_600.0,
    1.0 / 6_227_020_800.0,
];

/// `f` applied to every lane.
#[inline(always)]
fn map<const N: usize>(a: [f64; N], f: impl Fn(f64) -> f64) -> [f64; N] {
    let mut out = [0.0; N];
    for k in 0..N {
        out[k] = f(a[k]);
    }
    out
}

/// `f` applied lane by lane to two arrays.
#[inline(always)]
fn zip<const N: usize>(a: [f64; N], b: [f64; N], f: impl Fn(f64, f64) -> f64) -> [f64; N] {
    let mut out = [0.0; N];
    for k in 0..N {
        out[k] = f(a[k], b[k]);
    }
    out
}

/// e^x for x <= 0, lane by lane (NaN stays NaN; e^-inf = 0). The reduction x = k ln2 + r,
/// |r| <= ln2/2, leaves e^r to its Taylor series up to r^13 (truncation below 2^-57) summed
/// by Estrin's scheme (a short chain of dependent steps), and 2^k is applied as
/// 2^(k + 600) * 2^-600 so that results below the normal range are rounded once, as
/// subnormal numbers, and e^x underflows to 0 where the true value does. Each step is
/// written over all lanes, which the compiler turns into vector instructions.
#[inline(always)]
pub fn exp_nonpositive<const N: usize>(x: [f64; N]) -> [f64; N] {
    // Below -1100 the result is 0 anyway; the clamp keeps k in range (NaN passes through).
    let x = map(x, |x| if x < -1100.0 { -1100.0 } else { x });
    let t = map(x, |x| x * LOG2_E + SHIFTER);
    let k = map(t, |t| t - SHIFTER);
    let r = zip(x, k, |x, k| (x - k * LN2_HI) - k * LN2_LO);
    let r2 = map(r, |r| r * r);
    let r4 = map(r2, |r| r * r);
    let r8 = map(r4, |r| r * r);
    let c = &EXP_TAYLOR;
    let p01 = map(r, |r| c[0] + c[1] * r);
    let p23 = map(r, |r| c[2] + c[3] * r);
    let p45 = map(r, |r| c[4] + c[5] * r);
    let p67 = map(r, |r| c[6] + c[7] * r);
    let p89 = map(r, |r| c[8] + c[9] * r);
    let p1011 = map(r, |r| c[10] + c[11] * r);
    let p1213 = map(r, |r| c[12] + c[13] * r);
    let mut p = [0.0; N];
    for i in 0..N {
        let q0 = p01[i] + p23[i] * r2[i];
        let q1 = p45[i] + p67[i] * r2[i];
        let q2 = p89[i] + p1011[i] * r2[i];
        p[i] = (q0 + q1 * r4[i]) + (q2 + p1213[i] * r4[i]) * r8[i];
    }
    // 2^(k + 600), with the integer k from the low bits of t.
    let scale = map(t, |t| {
        let k = (t.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
        f64::from_bits((k.wrapping_add(1023 + 600) as u64) << 52)
    });
    zip(p, scale, |p, s| p * s * TWO_POW_M600)
}

/// `e = exp(-|z|)` of one example.
#[inline(always)]
fn exp_neg_abs(z: f64) -> f64 {
    exp_nonpositive([-z.abs()])[0]
}

/// `max(z, 0) - y z`: the loss but for its `ln(1 + e)` part.
#[inline(always)]
fn linear_part(z: f64, y: f64) -> f64 {
    let pos = if z > 0.0 { z } else { 0.0 };
    pos - y * z
}

/// `sigmoid(z)` given `e = exp(-|z|)`.
#[inline(always)]
fn sigmoid_from_exp(z: f64, e: f64) -> f64 {
    let numerator = if z >= 0.0 { 1.0 } else { e };
    numerator / (1.0 + e)
}

/// The logloss of `sigmoid(z)` against the label `y`, `softplus(z) - y z`, and
/// `sigmoid(z)`, of one example.
#[inline(always)]
pub fn loss_and_sigmoid(z: f64, y: f64) -> (f64, f64) {
    let e = exp_neg_abs(z);
    (linear_part(z, y) + e.ln_1p(), sigmoid_from_exp(z, e))
}

/// The per-example logit z of an affine model `z = p w + q b + r`.
#[derive(Clone, Debug)]
pub enum Logits {
    /// `z = w x + b`: the inputs themselves, nothing stored.
    Line,
    /// Coefficients of w and b and the constant term, per example.
    Affine {
        /// dz/dw of each example.
        p: Vec<f64>,
        /// dz/db of each example.
        q: Vec<f64>,
        /// z at w = b = 0.
        r: Vec<f64>,
    },
}

/// One thread's working memory for a block: made once, reused for every block.
pub struct Buffers {
    /// The logits z (on the grid path, e^{wx}).
    z: [f64; BLOCK],
    /// exp(-|z|) (on the grid path, e^{-wx}).
    e: [f64; BLOCK],
}

impl Default for Buffers {
    fn default() -> Self {
        Self {
            z: [0.0; BLOCK],
            e: [0.0; BLOCK],
        }
    }
}

impl Buffers {
    /// z and e = exp(-|z|) of a block's examples (inputs `x`, first row `start`) at (w, b);
    /// returns how many there are.
    #[inline(always)]
    fn logits(&mut self, logits: &Logits, w: f64, b: f64, x: &[f64], start: usize) -> usize {
        let n = x.len().min(BLOCK);
        let z = &mut self.z[..n];
        match logits {
            Logits::Line => {
                for (zi, &xi) in z.iter_mut().zip(&x[..n]) {
                    *zi = w * xi + b;
                }
            }
            Logits::Affine { p, q, r } => {
                let (p, q, r) = (part(p, start, n), part(q, start, n), part(r, start, n));
                for (((zi, &pi), &qi), &ri) in z.iter_mut().zip(p).zip(q).zip(r) {
                    *zi = w * pi + b * qi + ri;
                }
            }
        }
        self.exp_neg_abs(n);
        n
    }

    /// `e[i] = exp(-|z[i]|)` for the first `n` examples, [`EXP_LANES`] at a time.
    #[inline(always)]
    fn exp_neg_abs(&mut self, n: usize) {
        let mut zs = self.z[..n].chunks_exact(EXP_LANES);
        let mut es = self.e[..n].chunks_exact_mut(EXP_LANES);
        for (zc, ec) in (&mut zs).zip(&mut es) {
            let mut a = [0.0; EXP_LANES];
            for k in 0..EXP_LANES {
                a[k] = -zc[k].abs();
            }
            ec.copy_from_slice(&exp_nonpositive(a));
        }
        for (ei, &zi) in es.into_remainder().iter_mut().zip(zs.remainder()) {
            *ei = exp_neg_abs(zi);
        }
    }

    /// Sum of the loss over the block's first `n` examples (after [`Buffers::logits`]).
    #[inline(always)]
    fn loss_sum(&self, y: &[f64], n: usize) -> f64 {
        let (z, e, y) = (&self.z[..n], &self.e[..n], &y[..n]);
        let mut linear = [0.0; LANES];
        let mut q = [0.0; LANES];
        let mut zc = z.chunks_exact(LANES);
        let mut ec = e.chunks_exact(LANES);
        let mut yc = y.chunks_exact(LANES);
        for ((zs, es), ys) in (&mut zc).zip(&mut ec).zip(&mut yc) {
            for k in 0..LANES {
                linear[k] += linear_part(zs[k], ys[k]);
                q[k] += es[k] * (1.0 + q[k]);
            }
        }
        let mut lin = linear.iter().fold(0.0, |t, v| t + v);
        // prod(1 + a)(1 + b) - 1 = a + b + a b: the lanes' products joined, then the rest.
        let mut total_q = q.iter().fold(0.0, |t, &v| t + v + t * v);
        for ((&zi, &ei), &yi) in zc
            .remainder()
            .iter()
            .zip(ec.remainder())
            .zip(yc.remainder())
        {
            lin += linear_part(zi, yi);
            total_q += ei * (1.0 + total_q);
        }
        lin + total_q.ln_1p()
    }
}

/// A block of at most [`BLOCK`] examples: the logits, the block's inputs and labels, and its
/// first row.
#[derive(Clone, Copy)]
pub struct Block<'a> {
    /// How z is made from the inputs.
    pub logits: &'a Logits,
    /// The block's inputs.
    pub x: &'a [f64],
    /// The block's labels.
    pub y: &'a [f64],
    /// The index of the block's first example.
    pub start: usize,
}

impl Block<'_> {
    /// z and exp(-|z|) of the block at (w, b) into `buf`; how many examples there are.
    fn logits(&self, buf: &mut Buffers, w: f64, b: f64) -> usize {
        let x = &self.x[..self.x.len().min(self.y.len())];
        buf.logits(self.logits, w, b, x, self.start)
    }
}

/// Sum of the logistic loss over a block at (w, b); `buf` is working memory.
pub fn block_loss_sum(buf: &mut Buffers, block: Block<'_>, w: f64, b: f64) -> f64 {
    let n = block.logits(buf, w, b);
    buf.loss_sum(block.y, n)
}

/// Sums of the logistic loss, of `(sigmoid(z) - y) dz/dw` and of `(sigmoid(z) - y) dz/db`
/// over a block at (w, b).
pub fn block_loss_gradient_sum(
    buf: &mut Buffers,
    block: Block<'_>,
    w: f64,
    b: f64,
) -> (f64, [f64; 2]) {
    let n = block.logits(buf, w, b);
    let Block {
        logits,
        x,
        y,
        start,
        ..
    } = block;
    let value = buf.loss_sum(y, n);
    // e becomes d = sigmoid(z) - y.
    for ((ei, &zi), &yi) in buf.e[..n].iter_mut().zip(&buf.z).zip(y) {
        *ei = sigmoid_from_exp(zi, *ei) - yi;
    }
    let d = &buf.e[..n];
    let (gw, gb) = match logits {
        Logits::Line => (lane_dot(d, &x[..n]), lane_sum(d)),
        Logits::Affine { p, q, .. } => (
            lane_dot(d, part(p, start, n)),
            lane_dot(d, part(q, start, n)),
        ),
    };
    (value, [gw, gb])
}

/// The largest |w x| and |b| of the grid path ([`block_grid_sums`]): e^{+-700} and the
/// products of two such factors stay normal numbers.
pub const GRID_FACTOR_LIMIT: f64 = 350.0;

/// Adds one block's loss sums (inputs `x`, labels `y`, z = w x + b) to a grid of points:
/// `out[r * ws.len() + j] += sum at (ws[j], b_r)`, where `rows[r] = (b_r, e^b_r, e^-b_r)`.
/// Every |w x| and |b| must be at most [`GRID_FACTOR_LIMIT`]. Then
/// e = exp(-|z|) = min(e^{wx} e^b, e^{-wx} e^{-b}): the exponentials of a column are made
/// once for all rows, and each point costs a few multiplications per example. The factors
/// carry a few ulps each, so a point's sum agrees with [`block_loss_sum`]'s to about
/// |z| * 2^-52 relative in its smallest terms.
pub fn block_grid_sums(
    buf: &mut Buffers,
    ws: &[f64],
    rows: &[(f64, f64, f64)],
    x: &[f64],
    y: &[f64],
    out: &mut [f64],
) {
    let n = x.len().min(y.len()).min(BLOCK);
    let (x, y) = (&x[..n], &y[..n]);
    let columns = ws.len();
    for (j, &w) in ws.iter().enumerate() {
        // e^{wx} and e^{-wx}: the smaller is exp(-|wx|), the larger its reciprocal.
        for (zi, &xi) in buf.z[..n].iter_mut().zip(x) {
            *zi = w * xi;
        }
        buf.exp_neg_abs(n);
        for (wx, small) in buf.z[..n].iter_mut().zip(&mut buf.e[..n]) {
            let large = 1.0 / *small;
            (*wx, *small) = if *wx >= 0.0 {
                (large, *small)
            } else {
                (*small, large)
            };
        }
        let (up, down) = (&buf.z[..n], &buf.e[..n]);
        for (r, &(b, eb, e_b)) in rows.iter().enumerate() {
            let mut linear = [0.0; LANES];
            let mut q = [0.0; LANES];
            let mut xc = x.chunks_exact(LANES);
            let mut yc = y.chunks_exact(LANES);
            let mut uc = up.chunks_exact(LANES);
            let mut dc = down.chunks_exact(LANES);
            for (((xs, ys), us), ds) in (&mut xc).zip(&mut yc).zip(&mut uc).zip(&mut dc) {
                for k in 0..LANES {
                    let z = w * xs[k] + b;
                    linear[k] += linear_part(z, ys[k]);
                    let (p, m) = (us[k] * eb, ds[k] * e_b);
                    let e = if p < m { p } else { m };
                    q[k] += e * (1.0 + q[k]);
                }
            }
            let mut lin = linear.iter().fold(0.0, |t, v| t + v);
            let mut total_q = q.iter().fold(0.0, |t, &v| t + v + t * v);
            let rest = xc.remainder().iter().zip(yc.remainder());
            for (((&xi, &yi), &u), &d) in rest.zip(uc.remainder()).zip(dc.remainder()) {
                let z = w * xi + b;
                lin += linear_part(z, yi);
                let e = (u * eb).min(d * e_b);
                total_q += e * (1.0 + total_q);
            }
            if let Some(o) = out.get_mut(r * columns + j) {
                *o += lin + total_q.ln_1p();
            }
        }
    }
}

/// The logistic loss and its gradient in (w, b) of example `i` (input `x`, label `y`):
/// mini-batches gather their examples one by one.
pub fn example(logits: &Logits, i: usize, x: f64, y: f64, w: f64, b: f64) -> (f64, [f64; 2]) {
    let (z, dz) = match logits {
        Logits::Line => (w * x + b, [x, 1.0]),
        Logits::Affine { p, q, r } => {
            let get = |v: &Vec<f64>| v.get(i).copied().unwrap_or(f64::NAN);
            let (pi, qi) = (get(p), get(q));
            (w * pi + b * qi + get(r), [pi, qi])
        }
    };
    let (l, s) = loss_and_sigmoid(z, y);
    let d = s - y;
    (l, [d * dz[0], d * dz[1]])
}

/// `v[start..start + n]`, empty when out of range.
fn part(v: &[f64], start: usize, n: usize) -> &[f64] {
    v.get(start..start + n).unwrap_or(&[])
}

/// The sum of `values` in [`LANES`] interleaved partial sums, then those in order.
#[inline(always)]
fn lane_sum(values: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    let mut chunks = values.chunks_exact(LANES);
    for c in &mut chunks {
        for k in 0..LANES {
            acc[k] += c[k];
        }
    }
    finish_lanes(acc, chunks.remainder().iter().copied())
}

/// The sum of `a[i] * b[i]`, in lanes as [`lane_sum`].
#[inline(always)]
fn lane_dot(a: &[f64], b: &[f64]) -> f64 {
    let mut acc = [0.0; LANES];
    let mut ca = a.chunks_exact(LANES);
    let mut cb = b.chunks_exact(LANES);
    for (x, y) in (&mut ca).zip(&mut cb) {
        for k in 0..LANES {
            acc[k] += x[k] * y[k];
        }
    }
    let rest = ca
        .remainder()
        .iter()
        .zip(cb.remainder())
        .map(|(x, y)| x * y);
    finish_lanes(acc, rest)
}

fn finish_lanes(acc: [f64; LANES], rest: impl Iterator<Item = f64>) -> f64 {
    let mut total = acc.iter().fold(0.0, |t, v| t + v);
    for v in rest {
        total += v;
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::expr::ops::{sigmoid, softplus};

    fn exp1(x: f64) -> f64 {
        exp_nonpositive([x])[0]
    }

    fn loss1(z: f64, y: f64) -> f64 {
        loss_and_sigmoid(z, y).0
    }

    fn both1(z: f64, y: f64) -> (f64, f64) {
        loss_and_sigmoid(z, y)
    }

    /// A block starting at example 0.
    fn block<'a>(logits: &'a Logits, x: &'a [f64], y: &'a [f64]) -> Block<'a> {
        Block {
            logits,
            x,
            y,
            start: 0,
        }
    }

    fn ulps(a: f64, b: f64) -> u64 {
        if a == b {
            return 0;
        }
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    // The vectorizable exp agrees with the standard library's over its whole range,
    // subnormal results and underflow included.
    #[test]
    fn exp_matches_std() {
        let mut worst = 0;
        let mut x = 0.0f64;
        while x > -760.0 {
            worst = worst.max(ulps(exp1(x), x.exp()));
            x -= 0.0137;
        }
        assert!(worst <= 2, "worst {worst} ulps");
        for x in [
            0.0,
            -0.0,
            -1e-300,
            -0.5 * std::f64::consts::LN_2,
            -708.39,
            -745.0,
            -745.2,
        ] {
            assert!(ulps(exp1(x), x.exp()) <= 2, "at {x}");
        }
        assert_eq!(exp1(-746.0), 0.0);
        assert_eq!(exp1(-1e6), 0.0);
        assert_eq!(exp1(f64::NEG_INFINITY), 0.0);
        assert!(exp1(f64::NAN).is_nan());
    }

    /// The plain per-example formula with the standard library's exp and ln_1p (the
    /// reference of the fused kernels): loss and `sigmoid(z) - y`.
    fn reference(z: f64, y: f64) -> (f64, f64) {
        (
            (z.max(0.0) - y * z) + (-z.abs()).exp().ln_1p(),
            sigmoid(z) - y,
        )
    }

    fn close(a: f64, b: f64, rel: f64) -> bool {
        a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
    }

    // Loss and derivative equal the plain formula, out to |z| = 800 where the naive
    // -(y ln(p) + (1-y) ln(1-p)) gives inf or NaN.
    #[test]
    fn fused_loss_matches_reference() {
        let mut zs: Vec<f64> = (-1600..=1600).map(|i| i as f64 * 0.5).collect();
        zs.extend([-1e-300, 0.0, 1e-300, 36.7, -36.7, 710.0, -745.5, 1e5, -1e5]);
        for &z in &zs {
            for y in [0.0, 1.0, 0.25] {
                let (l, s) = both1(z, y);
                let (rl, rd) = reference(z, y);
                assert!(l.is_finite() && s.is_finite(), "z = {z}");
                assert!(close(l, rl, 1e-14), "loss at z = {z}, y = {y}: {l} vs {rl}");
                assert!(close(loss1(z, y), rl, 1e-14), "z = {z}");
                assert!(close(s - y, rd, 1e-14), "gradient at z = {z}, y = {y}");
                // softplus(z) - y z as the expression evaluator computes it loses the
                // digits below |z|'s last place, no more.
                let naive = softplus(z) - y * z;
                assert!(
                    (l - naive).abs() <= 4.0 * f64::EPSILON * z.abs().max(1.0),
                    "z = {z}"
                );
            }
        }
        // Exact values in the tails: a sure right answer costs 0, a sure wrong one |z|.
        assert_eq!(loss1(800.0, 1.0), 0.0);
        assert_eq!(loss1(-800.0, 0.0), 0.0);
        assert_eq!(loss1(800.0, 0.0), 800.0);
        assert_eq!(loss1(-800.0, 1.0), 800.0);
        assert_eq!(both1(800.0, 1.0).1, 1.0);
        assert_eq!(both1(-800.0, 1.0).1, 0.0);
        assert!(loss1(f64::NAN, 1.0).is_nan());
        assert!(both1(f64::NAN, 0.0).1.is_nan());
    }

    // A block's sum of ln(1 + e_i), taken as one ln(1 + Q), keeps its relative accuracy
    // when every term is tiny (confident right answers) and when the z are extreme.
    #[test]
    fn block_sum_of_tiny_and_extreme_terms() {
        let mut buf = Buffers::default();
        for (z, y) in [
            (30.0, 1.0),
            (-36.0, 0.0),
            (5.0, 1.0),
            (700.0, 1.0),
            (-800.0, 0.0),
        ] {
            for n in [1, 9, BLOCK] {
                let x = vec![z; n];
                let labels = vec![y; n];
                let got = block_loss_sum(&mut buf, block(&Logits::Line, &x, &labels), 1.0, 0.0);
                let want = n as f64 * reference(z, y).0;
                assert!(close(got, want, 1e-13), "z = {z}, n = {n}: {got} vs {want}");
            }
        }
        // Mixed: right and wrong answers far out, and ordinary ones.
        let x: Vec<f64> = (0..BLOCK)
            .map(|i| [800.0, -800.0, 0.3, -2.0, 40.0][i % 5])
            .collect();
        let y: Vec<f64> = (0..BLOCK).map(|i| (i % 2) as f64).collect();
        let want: f64 = x.iter().zip(&y).map(|(&z, &y)| reference(z, y).0).sum();
        let (got, g) = block_loss_gradient_sum(&mut buf, block(&Logits::Line, &x, &y), 1.0, 0.0);
        assert!(
            got.is_finite() && close(got, want, 1e-13),
            "{got} vs {want}"
        );
        let want_gb: f64 = x.iter().zip(&y).map(|(&z, &y)| reference(z, y).1).sum();
        assert!(close(g[1], want_gb, 1e-13), "{} vs {want_gb}", g[1]);
    }

    // Block sums over both kinds of logits equal the per-example sum in order.
    #[test]
    fn block_sums_match_plain_sums() {
        let x: Vec<f64> = (0..BLOCK).map(|i| (i as f64 * 0.37).sin() * 3.0).collect();
        let y: Vec<f64> = (0..BLOCK).map(|i| (i % 3 == 0) as u8 as f64).collect();
        let affine = Logits::Affine {
            p: x.iter().map(|v| 2.0 * v).collect(),
            q: vec![0.5; BLOCK],
            r: x.iter().map(|v| v * v).collect(),
        };
        let mut buf = Buffers::default();
        for n in [0, 1, 7, 8, 100, BLOCK] {
            for (w, b) in [(1.5, 0.3), (-40.0, 7.0), (300.0, -200.0)] {
                let (mut v, mut gw, mut gb) = (0.0, 0.0, 0.0);
                let (mut av, mut agw, mut agb) = (0.0, 0.0, 0.0);
                for i in 0..n {
                    let (l, d) = reference(w * x[i] + b, y[i]);
                    v += l;
                    gw += d * x[i];
                    gb += d;
                    let z = w * 2.0 * x[i] + b * 0.5 + x[i] * x[i];
                    let (l, d) = reference(z, y[i]);
                    av += l;
                    agw += d * 2.0 * x[i];
                    agb += d * 0.5;
                }
                let line =
                    block_loss_gradient_sum(&mut buf, block(&Logits::Line, &x[..n], &y[..n]), w, b);
                assert!(close(line.0, v, 1e-12), "{} vs {v}", line.0);
                assert!(close(line.1[0], gw, 1e-12) && close(line.1[1], gb, 1e-12));
                assert_eq!(
                    block_loss_sum(&mut buf, block(&Logits::Line, &x[..n], &y[..n]), w, b),
                    line.0
                );
                let aff = block_loss_gradient_sum(&mut buf, block(&affine, &x[..n], &y[..n]), w, b);
                assert!(close(aff.0, av, 1e-12), "{} vs {av}", aff.0);
                assert!(close(aff.1[0], agw, 1e-12) && close(aff.1[1], agb, 1e-12));
                assert_eq!(
                    block_loss_sum(&mut buf, block(&affine, &x[..n], &y[..n]), w, b),
                    aff.0
                );
            }
        }
    }

    // The grid path (a column's exponentials shared by its rows) agrees with the direct
    // block sums, tiny terms and |z| near 700 included.
    #[test]
    fn grid_sums_match_block_sums() {
        let x: Vec<f64> = (0..BLOCK + 5)
            .map(|i| (i as f64 * 0.77).sin() * 10.0)
            .collect();
        let y: Vec<f64> = (0..BLOCK + 5)
            .map(|i| ((i * 7) % 3 == 0) as u8 as f64)
            .collect();
        let ws = [-34.0, -1.0, 0.0, 0.25, 30.0, 34.9];
        let bs = [-349.0, -2.0, 0.0, 1.5, 349.0];
        let rows: Vec<(f64, f64, f64)> =
            bs.iter().map(|&b: &f64| (b, b.exp(), (-b).exp())).collect();
        let (mut buf, mut grid_buf) = (Buffers::default(), Buffers::default());
        for n in [0, 3, 8, BLOCK] {
            let mut out = vec![0.0; ws.len() * bs.len()];
            block_grid_sums(&mut grid_buf, &ws, &rows, &x[..n], &y[..n], &mut out);
            for (r, &b) in bs.iter().enumerate() {
                for (j, &w) in ws.iter().enumerate() {
                    let want =
                        block_loss_sum(&mut buf, block(&Logits::Line, &x[..n], &y[..n]), w, b);
                    let got = out[r * ws.len() + j];
                    assert!(
                        close(got, want, 1e-12),
                        "w = {w}, b = {b}, n = {n}: {got} vs {want}"
                    );
                }
            }
        }
        // Confident right answers only: every term is tiny.
        let (x, y) = (vec![1.0; 40], vec![1.0; 40]);
        let mut out = [0.0];
        block_grid_sums(
            &mut grid_buf,
            &[20.0],
            &[(10.0, 10f64.exp(), (-10f64).exp())],
            &x,
            &y,
            &mut out,
        );
        let want = 40.0 * (-30f64).exp().ln_1p();
        assert!(close(out[0], want, 1e-13), "{} vs {want}", out[0]);
    }
}
