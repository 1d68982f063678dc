//! Small objectives written directly in Rust for the optimizer and run tests.
#![allow(dead_code)]

use losscape::engine::objective::Objective;
use losscape::engine::{Derivatives, Domain, Point};

/// J = (w - 1)^2 + 10 (b + 2)^2 + w b: a tilted, elongated bowl.
pub struct Bowl;

impl Objective for Bowl {
    fn value(&self, p: Point) -> f64 {
        let [w, b] = p;
        (w - 1.0) * (w - 1.0) + 10.0 * (b + 2.0) * (b + 2.0) + w * b
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let [w, b] = p;
        (self.value(p), [2.0 * (w - 1.0) + b, 20.0 * (b + 2.0) + w])
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let (value, gradient) = self.value_gradient(p);
        Derivatives {
            value,
            gradient,
            hessian: [[2.0, 1.0], [1.0, 20.0]],
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-4.0, 6.0, -7.0, 3.0)
    }
}

/// J = (1 - w)^2 + 100 (b - w^2)^2.
pub struct Rosenbrock;

impl Objective for Rosenbrock {
    fn value(&self, p: Point) -> f64 {
        let [w, b] = p;
        (1.0 - w) * (1.0 - w) + 100.0 * (b - w * w) * (b - w * w)
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        let [w, b] = p;
        (
            self.value(p),
            [
                -2.0 * (1.0 - w) - 400.0 * w * (b - w * w),
                200.0 * (b - w * w),
            ],
        )
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let [w, b] = p;
        let (value, gradient) = self.value_gradient(p);
        let hww = 2.0 - 400.0 * (b - w * w) + 800.0 * w * w;
        Derivatives {
            value,
            gradient,
            hessian: [[hww, -400.0 * w], [-400.0 * w, 200.0]],
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-2.0, 2.0, -1.0, 3.0)
    }
}

/// J = 0.5 (w^2 + b^2): gradient = (w, b), Hessian = I.
pub struct Round;

impl Objective for Round {
    fn value(&self, p: Point) -> f64 {
        0.5 * (p[0] * p[0] + p[1] * p[1])
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        (self.value(p), p)
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        Derivatives {
            value: self.value(p),
            gradient: p,
            hessian: [[1.0, 0.0], [0.0, 1.0]],
        }
    }
    fn domain(&self) -> Domain {
        Domain::new(-3.0, 5.0, -1.0, 1.0)
    }
}

/// Linear regression J = 1/(2m) sum (w x + b - y)^2 over a dataset, with mini-batches.
pub struct LinearFit {
    pub x: Vec<f64>,
    pub y: Vec<f64>,
}

impl LinearFit {
    /// m examples on the line y = 2x + 1 plus a deterministic wiggle.
    pub fn new(m: usize) -> Self {
        let x: Vec<f64> = (0..m).map(|i| (i as f64 / m as f64) * 4.0 - 2.0).collect();
        let y = x
            .iter()
            .enumerate()
            .map(|(i, &x)| 2.0 * x + 1.0 + 0.3 * ((i * 7919 % 13) as f64 - 6.0) / 6.0)
            .collect();
        Self { x, y }
    }

    fn sums(&self, p: Point, examples: impl Iterator<Item = usize>) -> (f64, [f64; 2]) {
        let (mut c, mut gw, mut gb, mut n) = (0.0, 0.0, 0.0, 0usize);
        for i in examples {
            let r = p[0] * self.x[i] + p[1] - self.y[i];
            c += r * r;
            gw += r * self.x[i];
            gb += r;
            n += 1;
        }
        let n = n.max(1) as f64;
        (c / (2.0 * n), [gw / n, gb / n])
    }
}

impl Objective for LinearFit {
    fn value(&self, p: Point) -> f64 {
        self.value_gradient(p).0
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        self.sums(p, 0..self.x.len())
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        let (value, gradient) = self.value_gradient(p);
        let m = self.x.len() as f64;
        let sxx = self.x.iter().map(|x| x * x).sum::<f64>() / m;
        let sx = self.x.iter().sum::<f64>() / m;
        Derivatives {
            value,
            gradient,
            hessian: [[sxx, sx], [sx, 1.0]],
        }
    }
    fn example_count(&self) -> usize {
        self.x.len()
    }
    fn batch_value_gradient(&self, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        self.sums(p, examples.iter().copied())
    }
    fn domain(&self) -> Domain {
        Domain::new(-1.0, 5.0, -2.0, 4.0)
    }
}
