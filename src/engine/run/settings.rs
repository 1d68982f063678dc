//! Everything that describes a run, as plain serializable data.

use std::fmt;

use super::schedule::Schedule;
use crate::engine::optim::OptimizerSettings;

/// Where a run starts.
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Initialization {
    /// w = b = 0.
    #[default]
    Zero,
    /// w and b drawn uniformly (from the run's seed) over the problem's own domain: the
    /// preset's, or the one worked out for a data fit; a formula typed by hand has
    /// [-3, 3] x [-3, 3]. Not the range the view shows, so zooming or editing the view's domain
    /// never moves a start.
    Uniform,
    /// Xavier: w and b each drawn from N(0, 1/fan_in) (from the run's seed).
    Xavier {
        /// Number of input features n_in (1 for the one-feature models here).
        #[serde(default = "one")]
        fan_in: u32,
    },
    /// A point chosen by hand.
    Manual {
        /// Starting w.
        w: f64,
        /// Starting b.
        b: f64,
    },
}

fn one() -> u32 {
    1
}

impl Initialization {
    /// The command-line / display name (`zero`, `uniform`, `xavier`, `manual`).
    pub fn name(&self) -> &'static str {
        match self {
            Self::Zero => "zero",
            Self::Uniform => "uniform",
            Self::Xavier { .. } => "xavier",
            Self::Manual { .. } => "manual",
        }
    }
}

/// A complete description of a run: re-simulating from it (with the same problem) gives a
/// bit-identical history. Missing fields take their defaults when loaded.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RunSettings {
    /// The update rule and its hyper-parameters.
    pub optimizer: OptimizerSettings,
    /// The learning rate alpha (the schedule's starting value).
    pub learning_rate: f64,
    /// Examples per mini-batch; 0 (or at least the number of examples) means the full
    /// batch. Ignored by function problems.
    pub batch_size: usize,
    /// Where the run starts.
    pub init: Initialization,
    /// Seed of the run's random numbers (initialization, shuffles, simulated noise).
    pub seed: u64,
    /// How the learning rate changes.
    pub schedule: Schedule,
    /// Clip the gradient to this norm before each update (torch `clip_grad_norm_`).
    pub clip_norm: Option<f64>,
    /// Standard deviation of the simulated Gaussian gradient noise added to each gradient
    /// component of a function problem (0 = none). Data-fit problems ignore it: their
    /// mini-batches bring real noise.
    pub simulated_noise: f64,
    /// Converged when |J(t) - J(t-1)| < epsilon.
    pub epsilon: Option<f64>,
    /// Converged when the norm of the full-data gradient < grad_tol.
    pub grad_tol: Option<f64>,
    /// Stop after this many iterations (updates).
    pub max_iterations: u64,
    /// Stop after this many epochs, if set.
    pub max_epochs: Option<u64>,
}

impl Default for RunSettings {
    fn default() -> Self {
        Self {
            optimizer: OptimizerSettings::default(),
            learning_rate: 0.01,
            batch_size: 0,
            init: Initialization::Zero,
            seed: 0,
            schedule: Schedule::Constant,
            clip_norm: None,
            simulated_noise: 0.0,
            epsilon: None,
            grad_tol: None,
            max_iterations: 1000,
            max_epochs: None,
        }
    }
}

/// Settings that cannot make a run (a negative learning rate, say).
#[derive(Clone, Debug, PartialEq)]
pub struct RunError(pub String);

impl fmt::Display for RunError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for RunError {}

impl RunSettings {
    /// Checks every number (torch's ranges for the optimizer and schedule).
    pub fn validate(&self) -> Result<(), RunError> {
        let err = |m: String| Err(RunError(m));
        self.optimizer.validate().map_err(|e| RunError(e.0))?;
        self.schedule.validate().map_err(RunError)?;
        if !(self.learning_rate.is_finite() && self.learning_rate >= 0.0) {
            return err(format!("invalid learning rate: {}", self.learning_rate));
        }
        if let Some(c) = self.clip_norm
            && !(c.is_finite() && c > 0.0)
        {
            return err(format!("invalid gradient clipping norm: {c}"));
        }
        if !(self.simulated_noise.is_finite() && self.simulated_noise >= 0.0) {
            return err(format!("invalid simulated noise: {}", self.simulated_noise));
        }
        for (name, v) in [
            ("epsilon", self.epsilon),
            ("gradient tolerance", self.grad_tol),
        ] {
            if let Some(v) = v
                && (v.is_nan() || v < 0.0)
            {
                return err(format!("invalid {name}: {v}"));
            }
        }
        match self.init {
            Initialization::Xavier { fan_in: 0 } => err("xavier fan_in must be at least 1".into()),
            Initialization::Manual { w, b } if !(w.is_finite() && b.is_finite()) => {
                err(format!("invalid start point: {w},{b}"))
            }
            _ => Ok(()),
        }
    }
}
