//! Numbers the tape can be evaluated with: plain `f64`, first-order dual numbers (value and
//! gradient) and second-order dual numbers (value, gradient and Hessian), all over the two
//! parameters (w, b).

/// A number type the tape evaluates with. Every operation is written once in terms of the
/// chain rule; `ORDER` tells the operation how many derivatives it must compute.
pub trait Num: Copy {
    /// 0 for plain values, 1 for value + gradient, 2 for value + gradient + Hessian.
    const ORDER: u8;
    /// A number with no dependence on the parameters.
    fn constant(c: f64) -> Self;
    /// The value part.
    fn value(self) -> f64;
    /// `f(a)` given `f(a)`, `f'(a)` and `f''(a)` (the derivatives are ignored when `ORDER`
    /// is too low to need them).
    fn chain1(self, f: f64, d1: f64, d2: f64) -> Self;
    /// `f(a, b)` given `f` and its first and second partial derivatives.
    #[allow(clippy::too_many_arguments)]
    fn chain2(a: Self, b: Self, f: f64, fa: f64, fb: f64, faa: f64, fab: f64, fbb: f64) -> Self;
    /// `a + b`.
    fn add(a: Self, b: Self) -> Self;
    /// `a - b`.
    fn sub(a: Self, b: Self) -> Self;
    /// `a * b`.
    fn mul(a: Self, b: Self) -> Self;
    /// `-a`.
    fn neg(a: Self) -> Self;
}

/// `d * t` for a derivative `d` and a tangent entry `t` (of a gradient or a Hessian), where a
/// zero tangent contributes 0 even when `d` is infinite: along a direction in which the
/// argument does not change (a free constant, say) nothing flows, as in PyTorch, where no
/// gradient reaches a tensor that does not require one. So `sqrt(a)*b^2` at `a = 0` has the
/// gradient `[0, 0]`, not NaN from `inf * 0`.
#[inline]
fn times(d: f64, t: f64) -> f64 {
    if t == 0.0 { 0.0 } else { d * t }
}

impl Num for f64 {
    const ORDER: u8 = 0;
    #[inline]
    fn constant(c: f64) -> Self {
        c
    }
    #[inline]
    fn value(self) -> f64 {
        self
    }
    #[inline]
    fn chain1(self, f: f64, _: f64, _: f64) -> Self {
        f
    }
    #[inline]
    fn chain2(_: Self, _: Self, f: f64, _: f64, _: f64, _: f64, _: f64, _: f64) -> Self {
        f
    }
    #[inline]
    fn add(a: Self, b: Self) -> Self {
        a + b
    }
    #[inline]
    fn sub(a: Self, b: Self) -> Self {
        a - b
    }
    #[inline]
    fn mul(a: Self, b: Self) -> Self {
        a * b
    }
    #[inline]
    fn neg(a: Self) -> Self {
        -a
    }
}

/// A value with its exact gradient `[d/dw, d/db]` (first-order forward mode).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dual {
    /// The value.
    pub v: f64,
    /// The gradient with respect to (w, b).
    pub g: [f64; 2],
}

impl Dual {
    /// A number with the given value and gradient.
    pub const fn new(v: f64, g: [f64; 2]) -> Self {
        Self { v, g }
    }
}

impl Num for Dual {
    const ORDER: u8 = 1;
    #[inline]
    fn constant(c: f64) -> Self {
        Self { v: c, g: [0.0; 2] }
    }
    #[inline]
    fn value(self) -> f64 {
        self.v
    }
    #[inline]
    fn chain1(self, f: f64, d1: f64, _: f64) -> Self {
        Self {
            v: f,
            g: [times(d1, self.g[0]), times(d1, self.g[1])],
        }
    }
    #[inline]
    fn chain2(a: Self, b: Self, f: f64, fa: f64, fb: f64, _: f64, _: f64, _: f64) -> Self {
        Self {
            v: f,
            g: [
                times(fa, a.g[0]) + times(fb, b.g[0]),
                times(fa, a.g[1]) + times(fb, b.g[1]),
            ],
        }
    }
    #[inline]
    fn add(a: Self, b: Self) -> Self {
        Self {
            v: a.v + b.v,
            g: [a.g[0] + b.g[0], a.g[1] + b.g[1]],
        }
    }
    #[inline]
    fn sub(a: Self, b: Self) -> Self {
        Self {
            v: a.v - b.v,
            g: [a.g[0] - b.g[0], a.g[1] - b.g[1]],
        }
    }
    #[inline]
    fn mul(a: Self, b: Self) -> Self {
        Self {
            v: a.v * b.v,
            g: [
                times(b.v, a.g[0]) + times(a.v, b.g[0]),
                times(b.v, a.g[1]) + times(a.v, b.g[1]),
            ],
        }
    }
    #[inline]
    fn neg(a: Self) -> Self {
        Self {
            v: -a.v,
            g: [-a.g[0], -a.g[1]],
        }
    }
}

/// A value with its exact gradient and Hessian (second-order forward mode).
/// The Hessian is stored as `[h_ww, h_wb, h_bb]` (it is symmetric).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Dual2 {
    /// The value.
    pub v: f64,
    /// The gradient with respect to (w, b).
    pub g: [f64; 2],
    /// `[d2/dw2, d2/dw db, d2/db2]`.
    pub h: [f64; 3],
}

impl Dual2 {
    /// The Hessian as a 2x2 matrix.
    pub fn hessian(&self) -> [[f64; 2]; 2] {
        [[self.h[0], self.h[1]], [self.h[1], self.h[2]]]
    }
}

/// The symmetric outer product `u v^T + v u^T` as `[ww, wb, bb]`.
#[inline]
fn sym_outer(u: [f64; 2], v: [f64; 2]) -> [f64; 3] {
    [
        2.0 * u[0] * v[0],
        u[0] * v[1] + u[1] * v[0],
        2.0 * u[1] * v[1],
    ]
}

impl Num for Dual2 {
    const ORDER: u8 = 2;
    #[inline]
    fn constant(c: f64) -> Self {
        Self {
            v: c,
            g: [0.0; 2],
            h: [0.0; 3],
        }
    }
    #[inline]
    fn value(self) -> f64 {
        self.v
    }
    #[inline]
    fn chain1(self, f: f64, d1: f64, d2: f64) -> Self {
        let g = self.g;
        Self {
            v: f,
            g: [times(d1, g[0]), times(d1, g[1])],
            h: [
                times(d1, self.h[0]) + times(d2, g[0] * g[0]),
                times(d1, self.h[1]) + times(d2, g[0] * g[1]),
                times(d1, self.h[2]) + times(d2, g[1] * g[1]),
            ],
        }
    }
    #[inline]
    fn chain2(a: Self, b: Self, f: f64, fa: f64, fb: f64, faa: f64, fab: f64, fbb: f64) -> Self {
        let (ga, gb) = (a.g, b.g);
        let cross = sym_outer(ga, gb);
        let mut h = [0.0; 3];
        for (k, hk) in h.iter_mut().enumerate() {
            let (i, j) = [(0, 0), (0, 1), (1, 1)][k];
            *hk = times(fa, a.h[k])
                + times(fb, b.h[k])
                + times(faa, ga[i] * ga[j])
                + times(fab, cross[k])
                + times(fbb, gb[i] * gb[j]);
        }
        // `cross` holds ga_i gb_j + gb_i ga_j for every entry (diagonal: 2 ga_i gb_i).
        Self {
            v: f,
            g: [
                times(fa, ga[0]) + times(fb, gb[0]),
                times(fa, ga[1]) + times(fb, gb[1]),
            ],
            h,
        }
    }
    #[inline]
    fn add(a: Self, b: Self) -> Self {
        Self {
            v: a.v + b.v,
            g: [a.g[0] + b.g[0], a.g[1] + b.g[1]],
            h: [a.h[0] + b.h[0], a.h[1] + b.h[1], a.h[2] + b.h[2]],
        }
    }
    #[inline]
    fn sub(a: Self, b: Self) -> Self {
        Self {
            v: a.v - b.v,
            g: [a.g[0] - b.g[0], a.g[1] - b.g[1]],
            h: [a.h[0] - b.h[0], a.h[1] - b.h[1], a.h[2] - b.h[2]],
        }
    }
    #[inline]
    fn mul(a: Self, b: Self) -> Self {
        let cross = sym_outer(a.g, b.g);
        Self {
            v: a.v * b.v,
            g: [
                times(b.v, a.g[0]) + times(a.v, b.g[0]),
                times(b.v, a.g[1]) + times(a.v, b.g[1]),
            ],
            h: [
                times(b.v, a.h[0]) + times(a.v, b.h[0]) + cross[0],
                times(b.v, a.h[1]) + times(a.v, b.h[1]) + cross[1],
                times(b.v, a.h[2]) + times(a.v, b.h[2]) + cross[2],
            ],
        }
    }
    #[inline]
    fn neg(a: Self) -> Self {
        Self {
            v: -a.v,
            g: [-a.g[0], -a.g[1]],
            h: [-a.h[0], -a.h[1], -a.h[2]],
        }
    }
}
