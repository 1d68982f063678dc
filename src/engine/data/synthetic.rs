//! Seeded synthetic datasets: the same settings and seed always give the same examples, on
//! every machine (the generator is xoshiro256++, seeded through SplitMix64).

use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Normal};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::{DataError, Dataset, MAX_EXAMPLES};

/// Points scattered around a straight line: `x` uniform in `x_range`, and
/// `y = slope * x + intercept + noise * N(0, 1)` (Gaussian noise with standard deviation `noise`).
#[derive(Clone, Debug, PartialEq)]
pub struct LinearData {
    /// The number of examples m.
    pub examples: usize,
    /// The true slope (the `w` that linear regression should find).
    pub slope: f64,
    /// The true intercept (the `b` that linear regression should find).
    pub intercept: f64,
    /// Standard deviation of the Gaussian noise added to each label (0 = exactly on the line).
    pub noise: f64,
    /// The interval the inputs are drawn from, uniformly.
    pub x_range: [f64; 2],
    /// The random seed.
    pub seed: u64,
}

impl Default for LinearData {
    fn default() -> Self {
        Self {
            examples: 100,
            slope: 2.0,
            intercept: 1.0,
            noise: 0.5,
            x_range: [-2.0, 2.0],
            seed: 42,
        }
    }
}

impl LinearData {
    /// Draws the examples.
    pub fn generate(&self) -> Result<Dataset, DataError> {
        check_count(self.examples)?;
        check_finite("slope", self.slope)?;
        check_finite("intercept", self.intercept)?;
        let normal = noise_distribution(self.noise)?;
        let [lo, hi] = self.x_range;
        if !(lo.is_finite() && hi.is_finite() && lo < hi) {
            return Err(DataError::new(format!(
                "the x range [{lo}, {hi}] must be finite with min < max"
            )));
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let mut data = Dataset {
            x: Vec::with_capacity(self.examples),
            y: Vec::with_capacity(self.examples),
        };
        for _ in 0..self.examples {
            let x = lo + (hi - lo) * rng.random::<f64>();
            let y = self.slope * x + self.intercept + normal.sample(&mut rng);
            data.x.push(x);
            data.y.push(y);
        }
        Ok(data)
    }
}

/// Two classes for logistic regression: examples alternate between class 0 (`y = 0`, even
/// indices) and class 1 (`y = 1`, odd indices), and each input is
/// `x = center of its class + noise * N(0, 1)`. Equal class sizes (one more of class 0 when m is
/// odd); the more noise, the more the classes overlap.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassData {
    /// The number of examples m.
    pub examples: usize,
    /// Where the inputs of class 0 and of class 1 are centered.
    pub centers: [f64; 2],
    /// Standard deviation of the inputs around their class center.
    pub noise: f64,
    /// The random seed.
    pub seed: u64,
}

impl Default for ClassData {
    fn default() -> Self {
        Self {
            examples: 100,
            centers: [-1.0, 1.0],
            noise: 0.8,
            seed: 42,
        }
    }
}

impl ClassData {
    /// Draws the examples.
    pub fn generate(&self) -> Result<Dataset, DataError> {
        check_count(self.examples)?;
        check_finite("class 0 center", self.centers[0])?;
        check_finite("class 1 center", self.centers[1])?;
        let normal = noise_distribution(self.noise)?;
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(self.seed);
        let mut data = Dataset {
            x: Vec::with_capacity(self.examples),
            y: Vec::with_capacity(self.examples),
        };
        for i in 0..self.examples {
            let class = i % 2;
            data.x.push(self.centers[class] + normal.sample(&mut rng));
            data.y.push(class as f64);
        }
        Ok(data)
    }
}

fn check_count(examples: usize) -> Result<(), DataError> {
    if examples == 0 || examples > MAX_EXAMPLES {
        return Err(DataError::new(format!(
            "the number of examples must be between 1 and {MAX_EXAMPLES}, not {examples}"
        )));
    }
    Ok(())
}

fn check_finite(name: &str, value: f64) -> Result<(), DataError> {
    if value.is_finite() {
        Ok(())
    } else {
        Err(DataError::new(format!(
            "the {name} must be a finite number, not {value}"
        )))
    }
}

fn noise_distribution(noise: f64) -> Result<Normal<f64>, DataError> {
    if !(noise.is_finite() && noise >= 0.0) {
        return Err(DataError::new(format!(
            "the noise must be a finite number >= 0, not {noise}"
        )));
    }
    Normal::new(0.0, noise).map_err(|e| DataError::new(format!("bad noise {noise}: {e}")))
}
