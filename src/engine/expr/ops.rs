//! The operations of the tape and their exact derivative rules.
//!
//! Conventions at kinks, jumps and a zero base follow PyTorch's autograd, so that a step
//! computed here equals the step torch.optim would take (each rule is restated at its
//! operation):
//! - `abs'(0) = 0` (torch uses sign(x), and sign(0) = 0);
//! - `relu'(0) = 0`;
//! - `max`/`min` at a tie give each argument half the gradient (torch.maximum and
//!   torch.minimum); otherwise the argument that attains the result takes all of it (and a
//!   NaN argument wins, as in torch);
//! - `floor`, `ceil`, `round` and `signum` have derivative 0 everywhere;
//! - `a % b` (remainder with the sign of `a`, like C's fmod and torch.fmod): d/da = 1,
//!   d/db = -trunc(a / b);
//! - `x^y` (torch.pow): d/dx is 0 when y = 0, and d/dy is 0 when x = 0 and y >= 0 (there
//!   `x^y` is 0 or 1 while ln x is -inf); second derivatives apply the same rules again.
//!
//! A direction along which an argument does not change contributes nothing, even through an
//! infinite derivative (see [`super::num`]): `sqrt(a)` with a free constant `a = 0` is a
//! constant.
//!
//! `signum(0)` is 0 (the mathematical sign, as torch.sign), `round` rounds halves away from
//! zero (as Rust's f64::round), `softplus(x) = ln(1 + e^x)` is evaluated in the stable form
//! `max(x, 0) + ln(1 + e^-|x|)` (exact, without torch's linear cut-off above 20), and
//! `sigmoid` never overflows.

use super::num::Num;

/// An operation with one argument.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum UnaryOp {
    /// `-a`.
    Neg,
    /// `a^2`.
    Square,
    /// `a^n` for a whole number n (other than 2).
    PowI(i32),
    /// `a^c` for a constant c that is not a whole number.
    PowF(f64),
    /// `c^a` for a constant base c.
    ExpBase(f64),
    /// Square root.
    Sqrt,
    /// e^a.
    Exp,
    /// Natural logarithm (`ln`, `log`).
    Ln,
    /// Base-10 logarithm.
    Log10,
    /// Base-2 logarithm.
    Log2,
    /// |a|.
    Abs,
    /// Sine.
    Sin,
    /// Cosine.
    Cos,
    /// Tangent.
    Tan,
    /// Arcsine.
    Asin,
    /// Arccosine.
    Acos,
    /// Arctangent.
    Atan,
    /// Hyperbolic sine.
    Sinh,
    /// Hyperbolic cosine.
    Cosh,
    /// Hyperbolic tangent.
    Tanh,
    /// Inverse hyperbolic sine.
    Asinh,
    /// Inverse hyperbolic cosine.
    Acosh,
    /// Inverse hyperbolic tangent.
    Atanh,
    /// Round down.
    Floor,
    /// Round up.
    Ceil,
    /// Round to nearest (halves away from zero).
    Round,
    /// Sign: -1, 0 or 1.
    Signum,
    /// 1 / (1 + e^-a).
    Sigmoid,
    /// max(a, 0).
    Relu,
    /// ln(1 + e^a).
    Softplus,
}

/// An operation with two arguments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `a + b`.
    Add,
    /// `a - b`.
    Sub,
    /// `a * b`.
    Mul,
    /// `a / b`.
    Div,
    /// `a % b` (fmod).
    Rem,
    /// `a ^ b` with both sides depending on the parameters.
    Pow,
    /// `atan2(a, b)`: the angle of the point (b, a).
    Atan2,
    /// The larger of the two (a tie splits the gradient evenly).
    Max,
    /// The smaller of the two (a tie splits the gradient evenly).
    Min,
}

/// What a function name in a formula means.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Function {
    /// A function of one argument.
    Unary(UnaryOp),
    /// A function of exactly two arguments.
    Binary(BinaryOp),
    /// `max`/`min` of one or more arguments, folded left to right.
    Fold(BinaryOp),
}

/// Every function name the language knows, with its meaning.
pub const FUNCTIONS: &[(&str, Function)] = &[
    ("sqrt", Function::Unary(UnaryOp::Sqrt)),
    ("exp", Function::Unary(UnaryOp::Exp)),
    ("ln", Function::Unary(UnaryOp::Ln)),
    ("log", Function::Unary(UnaryOp::Ln)),
    ("log10", Function::Unary(UnaryOp::Log10)),
    ("log2", Function::Unary(UnaryOp::Log2)),
    ("abs", Function::Unary(UnaryOp::Abs)),
    ("sin", Function::Unary(UnaryOp::Sin)),
    ("cos", Function::Unary(UnaryOp::Cos)),
    ("tan", Function::Unary(UnaryOp::Tan)),
    ("asin", Function::Unary(UnaryOp::Asin)),
    ("acos", Function::Unary(UnaryOp::Acos)),
    ("atan", Function::Unary(UnaryOp::Atan)),
    ("atan2", Function::Binary(BinaryOp::Atan2)),
    ("sinh", Function::Unary(UnaryOp::Sinh)),
    ("cosh", Function::Unary(UnaryOp::Cosh)),
    ("tanh", Function::Unary(UnaryOp::Tanh)),
    ("asinh", Function::Unary(UnaryOp::Asinh)),
    ("acosh", Function::Unary(UnaryOp::Acosh)),
    ("atanh", Function::Unary(UnaryOp::Atanh)),
    ("floor", Function::Unary(UnaryOp::Floor)),
    ("ceil", Function::Unary(UnaryOp::Ceil)),
    ("round", Function::Unary(UnaryOp::Round)),
    ("signum", Function::Unary(UnaryOp::Signum)),
    ("max", Function::Fold(BinaryOp::Max)),
    ("min", Function::Fold(BinaryOp::Min)),
    ("sigmoid", Function::Unary(UnaryOp::Sigmoid)),
    ("relu", Function::Unary(UnaryOp::Relu)),
    ("softplus", Function::Unary(UnaryOp::Softplus)),
];

/// The meaning of a function name, if it is one.
pub fn function(name: &str) -> Option<Function> {
    FUNCTIONS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// Numerically stable logistic function.
#[inline]
pub fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// Numerically stable ln(1 + e^x).
#[inline]
pub fn softplus(x: f64) -> f64 {
    x.max(0.0) + (-x.abs()).exp().ln_1p()
}

/// The sign with sign(0) = 0 and sign(NaN) = NaN.
#[inline]
fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        x * 0.0
    }
}

/// `a^2` with its exact derivatives (2a and 2): [`unary`]'s `Square`, callable on its own so
/// batched code can inline it.
#[inline(always)]
pub fn square<T: Num>(a: T) -> T {
    let x = a.value();
    if T::ORDER >= 1 {
        a.chain1(x * x, 2.0 * x, 2.0)
    } else {
        a.chain1(x * x, 0.0, 0.0)
    }
}

/// Applies a one-argument operation with its exact derivative rule.
#[inline]
pub fn unary<T: Num>(op: UnaryOp, a: T) -> T {
    let x = a.value();
    let need = T::ORDER >= 1;
    // Each arm gives (f, f', f''); the derivatives are only computed when needed.
    let (f, d1, d2) = match op {
        UnaryOp::Neg => return T::neg(a),
        UnaryOp::Square => return square(a),
        UnaryOp::PowI(n) => {
            let f = x.powi(n);
            // torch.pow: the derivative of x^0 is 0, also at x = 0 (not 0 * 0^-1); the
            // second derivative applies the rule to n x^(n-1) again.
            let nf = f64::from(n);
            match n {
                _ if !need => (f, 0.0, 0.0),
                0 => (f, 0.0, 0.0),
                1 => (f, 1.0, 0.0),
                _ => (f, nf * x.powi(n - 1), nf * (nf - 1.0) * x.powi(n - 2)),
            }
        }
        UnaryOp::PowF(c) => {
            let f = x.powf(c);
            if need {
                (f, c * x.powf(c - 1.0), c * (c - 1.0) * x.powf(c - 2.0))
            } else {
                (f, 0.0, 0.0)
            }
        }
        UnaryOp::ExpBase(c) => {
            let f = c.powf(x);
            // torch.pow with base 0: d/dx 0^x = 0 for x >= 0 (not 0 * ln 0).
            if c == 0.0 && x >= 0.0 {
                (f, 0.0, 0.0)
            } else {
                let l = c.ln();
                (f, f * l, f * l * l)
            }
        }
        UnaryOp::Sqrt => {
            let f = x.sqrt();
            if need {
                (f, 0.5 / f, -0.25 / (f * x))
            } else {
                (f, 0.0, 0.0)
            }
        }
        UnaryOp::Exp => {
            let f = x.exp();
            (f, f, f)
        }
        UnaryOp::Ln => (x.ln(), 1.0 / x, -1.0 / (x * x)),
        UnaryOp::Log10 => {
            let k = std::f64::consts::LN_10;
            (x.log10(), 1.0 / (x * k), -1.0 / (x * x * k))
        }
        UnaryOp::Log2 => {
            let k = std::f64::consts::LN_2;
            (x.log2(), 1.0 / (x * k), -1.0 / (x * x * k))
        }
        UnaryOp::Abs => (x.abs(), sign(x), 0.0),
        UnaryOp::Sin => {
            let (s, c) = x.sin_cos();
            (s, c, -s)
        }
        UnaryOp::Cos => {
            let (s, c) = x.sin_cos();
            (c, -s, -c)
        }
        UnaryOp::Tan => {
            let t = x.tan();
            let d = 1.0 + t * t;
            (t, d, 2.0 * t * d)
        }
        UnaryOp::Asin => {
            let q = 1.0 - x * x;
            (x.asin(), 1.0 / q.sqrt(), x / (q * q.sqrt()))
        }
        UnaryOp::Acos => {
            let q = 1.0 - x * x;
            (x.acos(), -1.0 / q.sqrt(), -x / (q * q.sqrt()))
        }
        UnaryOp::Atan => {
            let q = 1.0 + x * x;
            (x.atan(), 1.0 / q, -2.0 * x / (q * q))
        }
        UnaryOp::Sinh => (x.sinh(), x.cosh(), x.sinh()),
        UnaryOp::Cosh => (x.cosh(), x.sinh(), x.cosh()),
        UnaryOp::Tanh => {
            let t = x.tanh();
            let d = 1.0 - t * t;
            (t, d, -2.0 * t * d)
        }
        UnaryOp::Asinh => {
            let q = x * x + 1.0;
            (x.asinh(), 1.0 / q.sqrt(), -x / (q * q.sqrt()))
        }
        UnaryOp::Acosh => {
            let q = x * x - 1.0;
            (x.acosh(), 1.0 / q.sqrt(), -x / (q * q.sqrt()))
        }
        UnaryOp::Atanh => {
            let q = 1.0 - x * x;
            (x.atanh(), 1.0 / q, 2.0 * x / (q * q))
        }
        UnaryOp::Floor => (x.floor(), 0.0, 0.0),
        UnaryOp::Ceil => (x.ceil(), 0.0, 0.0),
        UnaryOp::Round => (x.round(), 0.0, 0.0),
        UnaryOp::Signum => (sign(x), 0.0, 0.0),
        UnaryOp::Sigmoid => {
            let s = sigmoid(x);
            let d = s * (1.0 - s);
            (s, d, d * (1.0 - 2.0 * s))
        }
        UnaryOp::Relu => {
            let f = if x > 0.0 || x.is_nan() { x } else { 0.0 };
            (f, if x > 0.0 { 1.0 } else { 0.0 }, 0.0)
        }
        UnaryOp::Softplus => {
            let f = softplus(x);
            if need {
                let s = sigmoid(x);
                (f, s, s * (1.0 - s))
            } else {
                (f, 0.0, 0.0)
            }
        }
    };
    a.chain1(f, d1, d2)
}

/// True when `b` should be chosen over `a` by max (`greater`) or min: NaN wins (ties are
/// handled by the caller).
#[inline]
fn pick_second(a: f64, b: f64, greater: bool) -> bool {
    if a.is_nan() {
        false
    } else if b.is_nan() {
        true
    } else if greater {
        b > a
    } else {
        b < a
    }
}

/// Applies a two-argument operation with its exact derivative rule.
#[inline]
pub fn binary<T: Num>(op: BinaryOp, a: T, b: T) -> T {
    match op {
        BinaryOp::Add => T::add(a, b),
        BinaryOp::Sub => T::sub(a, b),
        BinaryOp::Mul => T::mul(a, b),
        BinaryOp::Div => {
            let (x, y) = (a.value(), b.value());
            let f = x / y;
            if T::ORDER == 0 {
                return T::constant(f);
            }
            let r = 1.0 / y;
            T::chain2(a, b, f, r, -f * r, 0.0, -r * r, 2.0 * f * r * r)
        }
        BinaryOp::Rem => {
            let (x, y) = (a.value(), b.value());
            let f = x % y;
            if T::ORDER == 0 {
                return T::constant(f);
            }
            T::chain2(a, b, f, 1.0, -(x / y).trunc(), 0.0, 0.0, 0.0)
        }
        BinaryOp::Pow => {
            let (x, y) = (a.value(), b.value());
            let f = x.powf(y);
            if T::ORDER == 0 {
                return T::constant(f);
            }
            // d/dx x^y = y x^(y-1); d/dy x^y = x^y ln x; with torch.pow's rules where these
            // meet 0 * inf: d/dx is 0 when y = 0, and d/dy is 0 when x = 0 and y >= 0. The
            // second derivatives apply the same rules to the first ones, so they are finite
            // at x = 0 for y = 0 and y >= 1 (at (0, 2): faa = 2, fab = fbb = 0).
            let l = x.ln();
            let pm1 = x.powf(y - 1.0);
            let zero_base = x == 0.0 && y >= 0.0;
            let fa = if y == 0.0 { 0.0 } else { y * pm1 };
            let fb = if zero_base { 0.0 } else { f * l };
            let faa = if y == 0.0 || y == 1.0 {
                0.0
            } else {
                y * (y - 1.0) * x.powf(y - 2.0)
            };
            // d/dy (y x^(y-1)) = x^(y-1) + y d/dy x^(y-1).
            let fab = if x != 0.0 {
                pm1 * (1.0 + y * l)
            } else if y == 0.0 {
                0.0
            } else if y >= 1.0 {
                pm1
            } else {
                pm1 + y * pm1 * l
            };
            let fbb = if zero_base { 0.0 } else { f * l * l };
            T::chain2(a, b, f, fa, fb, faa, fab, fbb)
        }
        BinaryOp::Atan2 => {
            let (x, y) = (a.value(), b.value());
            let f = x.atan2(y);
            if T::ORDER == 0 {
                return T::constant(f);
            }
            let q = x * x + y * y;
            let q2 = q * q;
            T::chain2(
                a,
                b,
                f,
                y / q,
                -x / q,
                -2.0 * x * y / q2,
                (x * x - y * y) / q2,
                2.0 * x * y / q2,
            )
        }
        BinaryOp::Max | BinaryOp::Min => {
            let (x, y) = (a.value(), b.value());
            if x == y {
                // A tie: each argument gets half the gradient, as torch.maximum and
                // torch.minimum do (and half of each Hessian).
                T::chain2(a, b, x, 0.5, 0.5, 0.0, 0.0, 0.0)
            } else if pick_second(x, y, op == BinaryOp::Max) {
                b
            } else {
                a
            }
        }
    }
}

/// A plain-value binary operation (used for folding constants and by the batched loops).
#[inline]
pub fn binary_f64(op: BinaryOp, a: f64, b: f64) -> f64 {
    binary::<f64>(op, a, b)
}

/// A plain-value unary operation.
#[inline]
pub fn unary_f64(op: UnaryOp, a: f64) -> f64 {
    unary::<f64>(op, a)
}
