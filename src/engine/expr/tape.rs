//! The compiled form of an expression: a flat list of instructions over registers, with
//! variables read from numbered slots and literal constants folded in.
//!
//! One tape serves every evaluation mode: a single point with `f64`, [`Dual`] (gradient) or
//! [`Dual2`] (gradient and Hessian) numbers, and a batched mode over slices that pays the
//! interpretation cost once per instruction per chunk of points.

use super::num::{Dual, Dual2, Num};
use super::ops::{BinaryOp, UnaryOp, binary, binary_f64, square, unary, unary_f64};

/// Where an instruction reads an operand from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Src {
    /// A register written by an earlier instruction.
    Reg(u32),
    /// An input slot (a parameter, a data column or a free constant).
    Slot(u32),
    /// A constant known when compiling.
    Const(f64),
}

/// One step of the tape; `dst` is the register written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Instr {
    /// `dst = op(a)`.
    Unary {
        /// Register written.
        dst: u32,
        /// The operation.
        op: UnaryOp,
        /// Its argument.
        a: Src,
    },
    /// `dst = op(a, b)`.
    Binary {
        /// Register written.
        dst: u32,
        /// The operation.
        op: BinaryOp,
        /// First argument.
        a: Src,
        /// Second argument.
        b: Src,
    },
    /// `dst = op(a, b)^2` (a binary operation whose only use is squaring, fused).
    BinarySquare {
        /// Register written.
        dst: u32,
        /// The operation.
        op: BinaryOp,
        /// First argument.
        a: Src,
        /// Second argument.
        b: Src,
    },
    /// `dst = a*b + c` (a product whose only use is a sum, fused; rounded as the two
    /// separate operations).
    MulAdd {
        /// Register written.
        dst: u32,
        /// First factor.
        a: Src,
        /// Second factor.
        b: Src,
        /// Added term.
        c: Src,
    },
}

impl Instr {
    /// The register written.
    pub fn dst(&self) -> u32 {
        match *self {
            Instr::Unary { dst, .. }
            | Instr::Binary { dst, .. }
            | Instr::BinarySquare { dst, .. }
            | Instr::MulAdd { dst, .. } => dst,
        }
    }

    /// The operands (unused ones are `Src::Const(0.0)`).
    pub fn operands(&self) -> [Src; 3] {
        let z = Src::Const(0.0);
        match *self {
            Instr::Unary { a, .. } => [a, z, z],
            Instr::Binary { a, b, .. } | Instr::BinarySquare { a, b, .. } => [a, b, z],
            Instr::MulAdd { a, b, c, .. } => [a, b, c],
        }
    }
}

/// A compiled expression.
#[derive(Clone, Debug, PartialEq)]
pub struct Tape {
    instrs: Vec<Instr>,
    n_regs: usize,
    result: Src,
    n_slots: usize,
    /// Per instruction, the gradient components known to be +0.0 (see [`ZeroParts`]).
    zero: Vec<ZeroParts>,
    /// The same for the result.
    result_zero: [bool; 2],
}

/// One input of a batched evaluation: the same value for every point, or one per point.
#[derive(Clone, Copy, Debug)]
pub enum Input<'a> {
    /// The same value at every point.
    Scalar(f64),
    /// One value per point (at least as long as the output).
    Slice(&'a [f64]),
}

/// Points per chunk in batched evaluation: registers of this many values stay in L1 cache.
pub const CHUNK: usize = 256;

/// Registers kept on the stack for single-point evaluation of small tapes.
const STACK_REGS: usize = 24;

impl Tape {
    /// A tape of `instrs` over `n_regs` registers, with its result read from `result`.
    pub(super) fn new(instrs: Vec<Instr>, n_regs: usize, result: Src, n_slots: usize) -> Self {
        let (zero, result_zero) = zero_parts(&instrs, n_regs, result);
        Self {
            instrs,
            n_regs,
            result,
            n_slots,
            zero,
            result_zero,
        }
    }

    /// The instructions.
    pub fn instructions(&self) -> &[Instr] {
        &self.instrs
    }

    /// Number of registers the instructions use.
    pub fn register_count(&self) -> usize {
        self.n_regs
    }

    /// Where the result is read from.
    pub fn result(&self) -> Src {
        self.result
    }

    /// One more than the highest slot read (the length `slots` must have).
    pub fn slot_count(&self) -> usize {
        self.n_slots
    }

    /// True when the tape reads the slot.
    pub fn uses_slot(&self, slot: usize) -> bool {
        let s = Src::Slot(slot as u32);
        self.result == s || self.instrs.iter().any(|i| i.operands().contains(&s))
    }

    /// When the result is the given unary operation applied to something, that instruction's
    /// index and argument (used to evaluate a model up to its final sigmoid, say).
    pub fn final_unary(&self) -> Option<(usize, UnaryOp, Src)> {
        let Src::Reg(r) = self.result else {
            return None;
        };
        let (idx, last) = self.instrs.iter().enumerate().next_back()?;
        match *last {
            Instr::Unary { dst, op, a } if dst == r => Some((idx, op, a)),
            _ => None,
        }
    }

    /// The same tape with its result taken from `src` after running only the first `len`
    /// instructions.
    pub fn truncated(&self, len: usize, src: Src) -> Tape {
        let instrs = self.instrs[..len.min(self.instrs.len())].to_vec();
        Tape::new(instrs, self.n_regs, src, self.n_slots)
    }

    #[inline]
    fn read<T: Num>(src: Src, slots: &[T], regs: &[T]) -> T {
        match src {
            Src::Reg(r) => regs
                .get(r as usize)
                .copied()
                .unwrap_or(T::constant(f64::NAN)),
            Src::Slot(s) => slots
                .get(s as usize)
                .copied()
                .unwrap_or(T::constant(f64::NAN)),
            Src::Const(c) => T::constant(c),
        }
    }

    /// Evaluates at one point using `regs` as scratch (grown as needed; reuse it to avoid
    /// allocating). A slot missing from `slots` reads as NaN.
    pub fn eval_with<T: Num>(&self, slots: &[T], regs: &mut Vec<T>) -> T {
        if regs.len() < self.n_regs {
            regs.resize(self.n_regs, T::constant(0.0));
        }
        self.run(slots, regs)
    }

    #[inline]
    fn run<T: Num>(&self, slots: &[T], regs: &mut [T]) -> T {
        for ins in &self.instrs {
            let v = match *ins {
                Instr::Unary { op, a, .. } => unary(op, Self::read(a, slots, regs)),
                Instr::Binary { op, a, b, .. } => {
                    binary(op, Self::read(a, slots, regs), Self::read(b, slots, regs))
                }
                Instr::BinarySquare { op, a, b, .. } => unary(
                    UnaryOp::Square,
                    binary(op, Self::read(a, slots, regs), Self::read(b, slots, regs)),
                ),
                Instr::MulAdd { a, b, c, .. } => T::add(
                    T::mul(Self::read(a, slots, regs), Self::read(b, slots, regs)),
                    Self::read(c, slots, regs),
                ),
            };
            if let Some(d) = regs.get_mut(ins.dst() as usize) {
                *d = v;
            }
        }
        Self::read(self.result, slots, regs)
    }

    /// Evaluates at one point (registers on the stack for small tapes).
    pub fn eval<T: Num>(&self, slots: &[T]) -> T {
        if self.n_regs <= STACK_REGS {
            let mut regs = [T::constant(0.0); STACK_REGS];
            self.run(slots, &mut regs)
        } else {
            let mut regs = Vec::new();
            self.eval_with(slots, &mut regs)
        }
    }

    /// The value at one point; `slots[0]` is w and `slots[1]` is b.
    pub fn value(&self, slots: &[f64]) -> f64 {
        self.eval::<f64>(slots)
    }

    /// Value and gradient with respect to (w, b) at one point, where slots 0 and 1 are w and
    /// b and every other slot is a constant.
    pub fn value_gradient(&self, slots: &[f64]) -> (f64, [f64; 2]) {
        let d = self.eval_with_seeds::<Dual>(slots, |i, v| Dual::new(v, seed(i)));
        (d.v, d.g)
    }

    /// Value, gradient and Hessian with respect to (w, b), slots as in [`Tape::value_gradient`].
    pub fn value_gradient_hessian(&self, slots: &[f64]) -> Dual2 {
        self.eval_with_seeds::<Dual2>(slots, |i, v| Dual2 {
            v,
            g: seed(i),
            h: [0.0; 3],
        })
    }

    fn eval_with_seeds<T: Num>(&self, slots: &[f64], make: impl Fn(usize, f64) -> T) -> T {
        const N: usize = 16;
        if slots.len() <= N {
            let mut s = [T::constant(0.0); N];
            for (i, (d, &v)) in s.iter_mut().zip(slots).enumerate() {
                *d = make(i, v);
            }
            self.eval(&s[..slots.len()])
        } else {
            let s: Vec<T> = slots.iter().enumerate().map(|(i, &v)| make(i, v)).collect();
            self.eval(&s)
        }
    }

    /// Values at many points: `out[i]` = the expression with every `Input::Slice` slot read
    /// at index `i`. `scratch` holds the registers (reuse it to avoid allocating). A slot
    /// missing from `inputs`, or a slice shorter than `out`, reads as NaN.
    pub fn eval_batch(&self, inputs: &[Input<'_>], out: &mut [f64], scratch: &mut Vec<f64>) {
        let need = self.n_regs * CHUNK;
        if scratch.len() < need {
            scratch.resize(need, 0.0);
        }
        let n = out.len();
        let mut start = 0;
        while start < n {
            let len = CHUNK.min(n - start);
            let o = &mut out[start..start + len];
            // The last instruction writes the result straight into `out` when it is the result.
            let direct = matches!((self.instrs.last(), self.result), (Some(ins), Src::Reg(r)) if ins.dst() == r);
            let body = if direct {
                self.instrs.len() - 1
            } else {
                self.instrs.len()
            };
            for ins in &self.instrs[..body] {
                let dst = ins.dst() as usize;
                let (before, dst_sl, after) = split(scratch, dst, len);
                run_batch(ins, inputs, before, after, dst, start, dst_sl);
            }
            if direct {
                if let Some(ins) = self.instrs.last() {
                    run_batch(ins, inputs, scratch, &[], usize::MAX, start, o);
                }
                start += len;
                continue;
            }
            match self.result {
                Src::Const(c) => o.fill(c),
                Src::Slot(s) => match inputs.get(s as usize) {
                    Some(Input::Scalar(v)) => o.fill(*v),
                    Some(Input::Slice(sl)) if sl.len() >= start + len => {
                        o.copy_from_slice(&sl[start..start + len])
                    }
                    _ => o.fill(f64::NAN),
                },
                Src::Reg(r) => {
                    let r = r as usize;
                    o.copy_from_slice(&scratch[r * CHUNK..r * CHUNK + len]);
                }
            }
            start += len;
        }
    }
}

/// Runs one instruction over a chunk, writing `out` (registers below `dst` are in `before`,
/// those above in `after`).
#[inline]
fn run_batch(
    ins: &Instr,
    inputs: &[Input<'_>],
    before: &[f64],
    after: &[f64],
    dst: usize,
    start: usize,
    out: &mut [f64],
) {
    let len = out.len();
    let [a, b, c] = ins
        .operands()
        .map(|s| arg(s, inputs, before, after, dst, start, len));
    match *ins {
        Instr::Unary { op, .. } => unary_batch(op, a, out),
        Instr::Binary { op, .. } => binary_batch(op, a, b, out),
        Instr::BinarySquare { op, .. } => binary_square_batch(op, a, b, out),
        Instr::MulAdd { .. } => mul_add_batch(a, b, c, out),
    }
}

/// The seed gradient of slot `i`: slot 0 is w, slot 1 is b, others are constants.
#[inline]
fn seed(i: usize) -> [f64; 2] {
    match i {
        0 => [1.0, 0.0],
        1 => [0.0, 1.0],
        _ => [0.0, 0.0],
    }
}

/// An operand of a batched instruction.
#[derive(Clone, Copy)]
enum Arg<'a> {
    S(f64),
    V(&'a [f64]),
}

/// Splits the register file into (registers before `dst`, `dst`'s first `len` values,
/// registers after `dst`).
#[inline]
fn split(scratch: &mut [f64], dst: usize, len: usize) -> (&[f64], &mut [f64], &[f64]) {
    let (before, rest) = scratch.split_at_mut(dst * CHUNK);
    let (d, after) = rest.split_at_mut(CHUNK);
    (before, &mut d[..len], after)
}

#[inline]
#[allow(clippy::too_many_arguments)]
fn arg<'a>(
    src: Src,
    inputs: &[Input<'a>],
    before: &'a [f64],
    after: &'a [f64],
    dst: usize,
    start: usize,
    len: usize,
) -> Arg<'a> {
    match src {
        Src::Const(c) => Arg::S(c),
        Src::Slot(s) => match inputs.get(s as usize) {
            Some(Input::Scalar(v)) => Arg::S(*v),
            Some(Input::Slice(sl)) => sl.get(start..start + len).map_or(Arg::S(f64::NAN), Arg::V),
            None => Arg::S(f64::NAN),
        },
        Src::Reg(r) => {
            let r = r as usize;
            let sl = if r < dst {
                before.get(r * CHUNK..r * CHUNK + len)
            } else {
                after.get((r - dst - 1) * CHUNK..(r - dst - 1) * CHUNK + len)
            };
            sl.map_or(Arg::S(f64::NAN), Arg::V)
        }
    }
}

#[inline(always)]
fn map1(a: &[f64], out: &mut [f64], f: impl Fn(f64) -> f64) {
    for (o, &x) in out.iter_mut().zip(a) {
        *o = f(x);
    }
}

fn unary_batch(op: UnaryOp, a: Arg<'_>, out: &mut [f64]) {
    let a = match a {
        Arg::S(x) => {
            out.fill(unary_f64(op, x));
            return;
        }
        Arg::V(a) => a,
    };
    match op {
        UnaryOp::Neg => map1(a, out, |x| -x),
        UnaryOp::Square => map1(a, out, |x| x * x),
        UnaryOp::PowI(3) => map1(a, out, |x| x * x * x),
        UnaryOp::Abs => map1(a, out, f64::abs),
        UnaryOp::Sqrt => map1(a, out, f64::sqrt),
        _ => map1(a, out, |x| unary_f64(op, x)),
    }
}

#[inline(always)]
fn map2(a: Arg<'_>, b: Arg<'_>, out: &mut [f64], f: impl Fn(f64, f64) -> f64) {
    match (a, b) {
        (Arg::V(a), Arg::V(b)) => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = f(x, y);
            }
        }
        (Arg::V(a), Arg::S(y)) => {
            for (o, &x) in out.iter_mut().zip(a) {
                *o = f(x, y);
            }
        }
        (Arg::S(x), Arg::V(b)) => {
            for (o, &y) in out.iter_mut().zip(b) {
                *o = f(x, y);
            }
        }
        (Arg::S(x), Arg::S(y)) => out.fill(f(x, y)),
    }
}

fn binary_batch(op: BinaryOp, a: Arg<'_>, b: Arg<'_>, out: &mut [f64]) {
    match op {
        BinaryOp::Add => map2(a, b, out, |x, y| x + y),
        BinaryOp::Sub => map2(a, b, out, |x, y| x - y),
        BinaryOp::Mul => map2(a, b, out, |x, y| x * y),
        BinaryOp::Div => map2(a, b, out, |x, y| x / y),
        _ => map2(a, b, out, |x, y| binary_f64(op, x, y)),
    }
}

fn binary_square_batch(op: BinaryOp, a: Arg<'_>, b: Arg<'_>, out: &mut [f64]) {
    match op {
        BinaryOp::Add => map2(a, b, out, |x, y| (x + y) * (x + y)),
        BinaryOp::Sub => map2(a, b, out, |x, y| (x - y) * (x - y)),
        BinaryOp::Mul => map2(a, b, out, |x, y| (x * y) * (x * y)),
        _ => map2(a, b, out, |x, y| {
            let t = binary_f64(op, x, y);
            t * t
        }),
    }
}

impl Arg<'_> {
    #[inline]
    fn at(&self, i: usize) -> f64 {
        match self {
            Arg::S(v) => *v,
            Arg::V(s) => s.get(i).copied().unwrap_or(f64::NAN),
        }
    }
}

fn mul_add_batch(a: Arg<'_>, b: Arg<'_>, c: Arg<'_>, out: &mut [f64]) {
    match (a, b, c) {
        (Arg::V(a), Arg::V(b), Arg::V(c)) => {
            for (((o, &x), &y), &z) in out.iter_mut().zip(a).zip(b).zip(c) {
                *o = x * y + z;
            }
        }
        (Arg::V(a), Arg::S(y), Arg::V(c)) | (Arg::S(y), Arg::V(a), Arg::V(c)) => {
            for ((o, &x), &z) in out.iter_mut().zip(a).zip(c) {
                *o = x * y + z;
            }
        }
        (Arg::V(a), Arg::V(b), Arg::S(z)) => {
            for ((o, &x), &y) in out.iter_mut().zip(a).zip(b) {
                *o = x * y + z;
            }
        }
        _ => {
            for (i, o) in out.iter_mut().enumerate() {
                *o = a.at(i) * b.at(i) + c.at(i);
            }
        }
    }
}

/// Registers of a batched value-and-gradient evaluation ([`Tape::value_gradient_batch`]):
/// value, d/dw and d/db of every register for a chunk of points, one array each. Reuse it:
/// it grows once to the tape's size and evaluation then allocates nothing.
#[derive(Clone, Debug, Default)]
pub struct GradientScratch {
    v: Vec<f64>,
    gw: Vec<f64>,
    gb: Vec<f64>,
    ones: Vec<f64>,
    zeros: Vec<f64>,
}

/// Which gradient components (d/dw, d/db) of an instruction's operands and result are exactly
/// +0.0 at every point, whatever the point: those of constants and of terms that do not
/// depend on w (or b). Every operation but negation keeps a zero component +0.0 (sums and
/// differences of +0.0, and [`super::num`]'s rule that a zero tangent contributes 0), so
/// the batched evaluation reads such components as +0.0 and neither computes nor stores
/// them: the same bits as computing them.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct ZeroParts {
    args: [[bool; 2]; 3],
    out: [bool; 2],
}

/// Both components of a and b zero.
fn both(a: [bool; 2], b: [bool; 2]) -> [bool; 2] {
    [a[0] && b[0], a[1] && b[1]]
}

/// Every instruction's [`ZeroParts`], and those of the result.
fn zero_parts(instrs: &[Instr], n_regs: usize, result: Src) -> (Vec<ZeroParts>, [bool; 2]) {
    let mut reg_zero = vec![[false; 2]; n_regs];
    let of = |src: Src, regs: &[[bool; 2]]| match src {
        Src::Const(_) => [true; 2],
        Src::Slot(0) => [false, true],
        Src::Slot(1) => [true, false],
        Src::Slot(_) => [true; 2],
        Src::Reg(r) => regs.get(r as usize).copied().unwrap_or([false; 2]),
    };
    let mut zero = Vec::with_capacity(instrs.len());
    for ins in instrs {
        let args = ins.operands().map(|src| of(src, &reg_zero));
        let out = match *ins {
            // -(+0.0) is -0.0: no longer +0.0.
            Instr::Unary {
                op: UnaryOp::Neg, ..
            } => [false; 2],
            Instr::Unary { .. } => args[0],
            Instr::Binary { .. } | Instr::BinarySquare { .. } => both(args[0], args[1]),
            Instr::MulAdd { .. } => both(both(args[0], args[1]), args[2]),
        };
        zero.push(ZeroParts { args, out });
        if let Some(r) = reg_zero.get_mut(ins.dst() as usize) {
            *r = out;
        }
    }
    (zero, of(result, &reg_zero))
}

/// An operand of a batched dual instruction: one number per point, or the same value for
/// all with no gradient (a constant: its zero tangent is known when compiling the loop, so
/// the terms it would contribute are folded away).
#[derive(Clone, Copy)]
enum DArg<'a> {
    Lanes(&'a [f64], &'a [f64], &'a [f64]),
    Same(f64),
}

impl DArg<'_> {
    #[inline(always)]
    fn at(&self, i: usize) -> Dual {
        match *self {
            DArg::Lanes(v, gw, gb) => Dual::new(v[i], [gw[i], gb[i]]),
            DArg::Same(v) => Dual::constant(v),
        }
    }
}

/// The destination of a batched dual instruction; only the gradient components `GW` and
/// `GB` are stored (the others are known to be +0.0, and not computed).
struct DOut<'a, const GW: bool, const GB: bool> {
    v: &'a mut [f64],
    gw: &'a mut [f64],
    gb: &'a mut [f64],
}

impl<const GW: bool, const GB: bool> DOut<'_, GW, GB> {
    #[inline(always)]
    fn put(&mut self, i: usize, d: Dual) {
        self.v[i] = d.v;
        if GW {
            self.gw[i] = d.g[0];
        }
        if GB {
            self.gb[i] = d.g[1];
        }
    }
}

/// Runs `ins` over a chunk into (v, gw, gb), storing the gradient components not in `zero`.
#[inline(always)]
fn run_dual_into(
    ins: &Instr,
    args: [DArg<'_>; 3],
    v: &mut [f64],
    gw: &mut [f64],
    gb: &mut [f64],
    zero: [bool; 2],
) {
    match zero {
        [false, false] => run_dual(ins, args, &mut DOut::<true, true> { v, gw, gb }),
        [true, false] => run_dual(ins, args, &mut DOut::<false, true> { v, gw, gb }),
        [false, true] => run_dual(ins, args, &mut DOut::<true, false> { v, gw, gb }),
        [true, true] => run_dual(ins, args, &mut DOut::<false, false> { v, gw, gb }),
    }
}

#[inline(always)]
fn dual_lanes1<const GW: bool, const GB: bool>(
    a: DArg<'_>,
    out: &mut DOut<'_, GW, GB>,
    f: impl Fn(Dual) -> Dual,
) {
    let len = out.v.len();
    match a {
        DArg::Lanes(v, gw, gb) => {
            let (v, gw, gb) = (&v[..len], &gw[..len], &gb[..len]);
            for i in 0..len {
                out.put(i, f(Dual::new(v[i], [gw[i], gb[i]])));
            }
        }
        DArg::Same(v) => {
            let r = f(Dual::constant(v));
            for i in 0..len {
                out.put(i, r);
            }
        }
    }
}

#[inline(always)]
fn dual_lanes2<const GW: bool, const GB: bool>(
    a: DArg<'_>,
    b: DArg<'_>,
    out: &mut DOut<'_, GW, GB>,
    f: impl Fn(Dual, Dual) -> Dual,
) {
    let len = out.v.len();
    match (a, b) {
        (DArg::Lanes(av, aw, ab), DArg::Lanes(bv, bw, bb)) => {
            let (av, aw, ab) = (&av[..len], &aw[..len], &ab[..len]);
            let (bv, bw, bb) = (&bv[..len], &bw[..len], &bb[..len]);
            for i in 0..len {
                let x = Dual::new(av[i], [aw[i], ab[i]]);
                let y = Dual::new(bv[i], [bw[i], bb[i]]);
                out.put(i, f(x, y));
            }
        }
        (DArg::Lanes(av, aw, ab), DArg::Same(y)) => {
            let y = Dual::constant(y);
            let (av, aw, ab) = (&av[..len], &aw[..len], &ab[..len]);
            for i in 0..len {
                out.put(i, f(Dual::new(av[i], [aw[i], ab[i]]), y));
            }
        }
        (DArg::Same(x), DArg::Lanes(bv, bw, bb)) => {
            let x = Dual::constant(x);
            let (bv, bw, bb) = (&bv[..len], &bw[..len], &bb[..len]);
            for i in 0..len {
                out.put(i, f(x, Dual::new(bv[i], [bw[i], bb[i]])));
            }
        }
        (DArg::Same(x), DArg::Same(y)) => {
            let r = f(Dual::constant(x), Dual::constant(y));
            for i in 0..len {
                out.put(i, r);
            }
        }
    }
}

#[inline(always)]
fn dual_lanes3<const GW: bool, const GB: bool>(
    a: DArg<'_>,
    b: DArg<'_>,
    c: DArg<'_>,
    out: &mut DOut<'_, GW, GB>,
    f: impl Fn(Dual, Dual, Dual) -> Dual,
) {
    let len = out.v.len();
    match (a, b, c) {
        (DArg::Same(x), DArg::Lanes(bv, bw, bb), DArg::Lanes(cv, cw, cb)) => {
            let x = Dual::constant(x);
            let (bv, bw, bb) = (&bv[..len], &bw[..len], &bb[..len]);
            let (cv, cw, cb) = (&cv[..len], &cw[..len], &cb[..len]);
            for i in 0..len {
                let y = Dual::new(bv[i], [bw[i], bb[i]]);
                let z = Dual::new(cv[i], [cw[i], cb[i]]);
                out.put(i, f(x, y, z));
            }
        }
        (DArg::Lanes(av, aw, ab), DArg::Lanes(bv, bw, bb), DArg::Lanes(cv, cw, cb)) => {
            let (av, aw, ab) = (&av[..len], &aw[..len], &ab[..len]);
            let (bv, bw, bb) = (&bv[..len], &bw[..len], &bb[..len]);
            let (cv, cw, cb) = (&cv[..len], &cw[..len], &cb[..len]);
            for i in 0..len {
                let x = Dual::new(av[i], [aw[i], ab[i]]);
                let y = Dual::new(bv[i], [bw[i], bb[i]]);
                let z = Dual::new(cv[i], [cw[i], cb[i]]);
                out.put(i, f(x, y, z));
            }
        }
        _ => {
            for i in 0..len {
                out.put(i, f(a.at(i), b.at(i), c.at(i)));
            }
        }
    }
}

/// Runs one instruction over a chunk of points with dual numbers: exactly the operation
/// [`Tape::value_gradient`] applies at one point, once per point.
#[inline(always)]
fn run_dual<const GW: bool, const GB: bool>(
    ins: &Instr,
    args: [DArg<'_>; 3],
    out: &mut DOut<'_, GW, GB>,
) {
    use BinaryOp as B;
    use UnaryOp as U;
    let [a, b, c] = args;
    match *ins {
        Instr::Unary { op: U::Square, .. } => dual_lanes1(a, out, square),
        Instr::Unary { op: U::Neg, .. } => dual_lanes1(a, out, Dual::neg),
        Instr::Unary { op, .. } => dual_lanes1(a, out, |x| unary(op, x)),
        Instr::Binary { op: B::Add, .. } => dual_lanes2(a, b, out, Dual::add),
        Instr::Binary { op: B::Sub, .. } => dual_lanes2(a, b, out, Dual::sub),
        Instr::Binary { op: B::Mul, .. } => dual_lanes2(a, b, out, Dual::mul),
        Instr::Binary { op, .. } => dual_lanes2(a, b, out, |x, y| binary(op, x, y)),
        Instr::BinarySquare { op: B::Sub, .. } => {
            dual_lanes2(a, b, out, |x, y| square(Dual::sub(x, y)))
        }
        Instr::BinarySquare { op: B::Add, .. } => {
            dual_lanes2(a, b, out, |x, y| square(Dual::add(x, y)))
        }
        Instr::BinarySquare { op: B::Mul, .. } => {
            dual_lanes2(a, b, out, |x, y| square(Dual::mul(x, y)))
        }
        Instr::BinarySquare { op, .. } => {
            dual_lanes2(a, b, out, |x, y| unary(U::Square, binary(op, x, y)))
        }
        Instr::MulAdd { .. } => dual_lanes3(a, b, c, out, |x, y, z| Dual::add(Dual::mul(x, y), z)),
    }
}

/// What the operands of a batched dual evaluation read besides registers: the constant
/// slots, the points' w and b, and the seeds of their gradients.
struct DualInputs<'a> {
    slots: &'a [f64],
    w: &'a [f64],
    b: &'a [f64],
    ones: &'a [f64],
    zeros: &'a [f64],
}

impl<'a> DualInputs<'a> {
    /// The operand `src` of an instruction writing register `dst`; `regs` holds (registers
    /// before `dst`, registers after it) for the values and both gradient components.
    #[inline]
    /// Gradient components in `zero` are read as +0.0 (registers do not hold them).
    fn operand(
        &self,
        src: Src,
        regs: [(&'a [f64], &'a [f64]); 3],
        dst: usize,
        len: usize,
        zero: [bool; 2],
    ) -> DArg<'a> {
        match src {
            Src::Const(c) => DArg::Same(c),
            Src::Slot(0) => DArg::Lanes(self.w, self.ones, self.zeros),
            Src::Slot(1) => DArg::Lanes(self.b, self.zeros, self.ones),
            Src::Slot(s) => DArg::Same(self.slots.get(s as usize).copied().unwrap_or(f64::NAN)),
            Src::Reg(r) => {
                let [(v0, v1), (w0, w1), (b0, b1)] = regs;
                let r = r as usize;
                let pick = |before, after| register(before, after, r, dst, len);
                let tangent = |zero: bool, before, after| {
                    if zero {
                        Some(self.zeros)
                    } else {
                        pick(before, after)
                    }
                };
                match (
                    pick(v0, v1),
                    tangent(zero[0], w0, w1),
                    tangent(zero[1], b0, b1),
                ) {
                    (Some(v), Some(gw), Some(gb)) => DArg::Lanes(v, gw, gb),
                    _ => DArg::Same(f64::NAN),
                }
            }
        }
    }
}

/// Register `r`'s first `len` values, from the registers before and after `dst` (an
/// instruction never reads the register it writes).
#[inline]
fn register<'a>(
    before: &'a [f64],
    after: &'a [f64],
    r: usize,
    dst: usize,
    len: usize,
) -> Option<&'a [f64]> {
    if r < dst {
        before.get(r * CHUNK..r * CHUNK + len)
    } else if r > dst {
        after.get((r - dst - 1) * CHUNK..(r - dst - 1) * CHUNK + len)
    } else {
        None
    }
}

impl Tape {
    /// Values and gradients at many points: for every i, `cost[i]` and
    /// `(grad_w[i], grad_b[i])` are bit for bit what [`Tape::value_gradient`] gives with
    /// slots 0 and 1 set to `w[i]` and `b[i]` and the other slots from `slots`. The
    /// interpretation cost is paid once per instruction per chunk of [`CHUNK`] points;
    /// `scratch` is reused (no allocation once it has grown).
    #[allow(clippy::too_many_arguments)]
    pub fn value_gradient_batch(
        &self,
        slots: &[f64],
        w: &[f64],
        b: &[f64],
        cost: &mut [f64],
        grad_w: &mut [f64],
        grad_b: &mut [f64],
        scratch: &mut GradientScratch,
    ) {
        pulp::Arch::new().dispatch(GradientChunks {
            tape: self,
            slots,
            w,
            b,
            cost,
            grad_w,
            grad_b,
            scratch,
        });
    }

    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn value_gradient_chunks(
        &self,
        slots: &[f64],
        w: &[f64],
        b: &[f64],
        cost: &mut [f64],
        grad_w: &mut [f64],
        grad_b: &mut [f64],
        scratch: &mut GradientScratch,
    ) {
        let need = self.n_regs * CHUNK;
        for reg in [&mut scratch.v, &mut scratch.gw, &mut scratch.gb] {
            if reg.len() < need {
                reg.resize(need, 0.0);
            }
        }
        if scratch.ones.len() < CHUNK {
            scratch.ones.resize(CHUNK, 1.0);
            scratch.zeros.resize(CHUNK, 0.0);
        }
        let n = cost
            .len()
            .min(w.len())
            .min(b.len())
            .min(grad_w.len())
            .min(grad_b.len());
        let result_zero = self.result_zero;
        let mut start = 0;
        while start < n {
            let len = CHUNK.min(n - start);
            let (w, b) = (&w[start..start + len], &b[start..start + len]);
            let inputs = DualInputs {
                slots,
                w,
                b,
                ones: &scratch.ones[..len],
                zeros: &scratch.zeros[..len],
            };
            // The last instruction writes straight into the outputs when it is the result.
            let direct = matches!((self.instrs.last(), self.result), (Some(ins), Src::Reg(r)) if ins.dst() == r);
            let body = self.instrs.len() - usize::from(direct);
            for (ins, zero) in self.instrs[..body].iter().zip(&self.zero) {
                let dst = ins.dst() as usize;
                let (v0, vd, v1) = split(&mut scratch.v, dst, len);
                let (w0, wd, w1) = split(&mut scratch.gw, dst, len);
                let (b0, bd, b1) = split(&mut scratch.gb, dst, len);
                let regs = [(v0, v1), (w0, w1), (b0, b1)];
                let operands = ins.operands();
                let args = std::array::from_fn(|k| {
                    inputs.operand(operands[k], regs, dst, len, zero.args[k])
                });
                run_dual_into(ins, args, vd, wd, bd, zero.out);
            }
            let (cost, grad_w, grad_b) = (
                &mut cost[start..start + len],
                &mut grad_w[start..start + len],
                &mut grad_b[start..start + len],
            );
            let regs = [
                (&scratch.v[..], &[][..]),
                (&scratch.gw[..], &[][..]),
                (&scratch.gb[..], &[][..]),
            ];
            match (self.instrs.last(), self.zero.last()) {
                (Some(ins), Some(zero)) if direct => {
                    let operands = ins.operands();
                    let args = std::array::from_fn(|k| {
                        inputs.operand(operands[k], regs, usize::MAX, len, zero.args[k])
                    });
                    run_dual_into(ins, args, cost, grad_w, grad_b, zero.out);
                    for (grad, zero) in [(grad_w, zero.out[0]), (grad_b, zero.out[1])] {
                        if zero {
                            grad.fill(0.0);
                        }
                    }
                }
                _ => {
                    let result = inputs.operand(self.result, regs, usize::MAX, len, result_zero);
                    let mut out = DOut::<true, true> {
                        v: cost,
                        gw: grad_w,
                        gb: grad_b,
                    };
                    for i in 0..len {
                        out.put(i, result.at(i));
                    }
                }
            }
            start += len;
        }
    }
}

/// [`Tape::value_gradient_batch`]'s work, compiled once per instruction set and run with the
/// widest vectors the processor has (the same operations, so the same bits, at any width).
struct GradientChunks<'a> {
    tape: &'a Tape,
    slots: &'a [f64],
    w: &'a [f64],
    b: &'a [f64],
    cost: &'a mut [f64],
    grad_w: &'a mut [f64],
    grad_b: &'a mut [f64],
    scratch: &'a mut GradientScratch,
}

impl pulp::WithSimd for GradientChunks<'_> {
    type Output = ();

    #[inline(always)]
    fn with_simd<S: pulp::Simd>(self, _: S) {
        let Self {
            tape,
            slots,
            w,
            b,
            cost,
            grad_w,
            grad_b,
            scratch,
        } = self;
        tape.value_gradient_chunks(slots, w, b, cost, grad_w, grad_b, scratch);
    }
}
