//! Everything that describes a run, as plain serializable data.

use std::fmt;

use super::color::RunColor;
use super::schedule::Schedule;
use crate::engine::limits::{
    DEFAULT_MAX_ITERATIONS, LEARNING_RATE_RANGE, MAX_ITERATIONS, MAX_NAME_BYTES, MAX_SEED,
};
use crate::engine::optim::OptimizerSettings;

/// Where a run starts.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Initialization {
    /// w = b = 0.
    Zero {},
    /// w and b drawn uniformly (from the run's seed) over the problem's own domain: the
    /// preset's, or the one worked out for a data fit; a formula typed by hand has
    /// [-3, 3] x [-3, 3]. Not the range the view shows, so zooming or editing the view's domain
    /// never moves a start.
    Uniform {},
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
            Self::Zero {} => "zero",
            Self::Uniform {} => "uniform",
            Self::Xavier { .. } => "xavier",
            Self::Manual { .. } => "manual",
        }
    }
}

/// Everything about one run: its name and look, and every setting that makes its path.
/// Re-simulating from it (with the same problem) gives a bit-identical history.
///
/// This is the one model of a run: the app edits it, the session and scenario files save it
/// (a `[[runs]]` table), the command line builds it, and [`super::Run`] simulates it.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RunSettings {
    /// Identity while the scene is open (never saved; the app numbers runs as it loads them).
    #[serde(skip)]
    pub id: u64,
    /// Name shown in the lists and legends (each run of a scene has its own).
    pub name: String,
    /// Its color (absent: the next free one by position).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub color: Option<RunColor>,
    /// Drawn in the views.
    pub visible: bool,
    /// The update rule and its hyper-parameters.
    #[serde(deserialize_with = "crate::engine::tagged::name_or_table")]
    pub optimizer: OptimizerSettings,
    /// The learning rate alpha (the schedule's starting value).
    pub learning_rate: f64,
    /// A learning rate of b's own: w and b in two parameter groups (torch: two entries in
    /// `param_groups`, w first), each scheduled from its own rate. Absent: b uses
    /// `learning_rate`, one group.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub learning_rate_b: Option<f64>,
    /// Examples per mini-batch (at least 1); absent means the full batch. Function problems
    /// ignore it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Where the run starts.
    #[serde(deserialize_with = "crate::engine::tagged::name_or_table")]
    pub init: Initialization,
    /// Seed of the run's random numbers (initialization, shuffles, simulated noise).
    pub seed: u64,
    /// How the learning rate changes.
    #[serde(deserialize_with = "crate::engine::tagged::name_or_table")]
    pub schedule: Schedule,
    /// Clip the gradient to this norm before each update (torch `clip_grad_norm_`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clip_norm: Option<f64>,
    /// Standard deviation of the simulated Gaussian gradient noise added to each gradient
    /// component of a function problem (0 = none). Data-fit problems ignore it: their
    /// mini-batches bring real noise.
    pub simulated_noise: f64,
    /// Converged when |J(t) - J(t-1)| < epsilon (on a run that records the full-data cost on
    /// a stride, J at consecutive recorded rows).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Converged when the norm of the full-data gradient < grad_tol (checked where it is
    /// recorded).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grad_tol: Option<f64>,
    /// Stop after this many iterations (updates), at most [`MAX_ITERATIONS`].
    pub max_iterations: u64,
    /// Stop after this many epochs, if set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_epochs: Option<u64>,
}

impl Default for RunSettings {
    fn default() -> Self {
        Self {
            id: 0,
            name: "run".to_owned(),
            color: None,
            visible: true,
            optimizer: OptimizerSettings::default(),
            learning_rate: 0.01,
            learning_rate_b: None,
            batch_size: None,
            init: Initialization::Zero {},
            seed: 0,
            schedule: Schedule::Constant {},
            clip_norm: None,
            simulated_noise: 0.0,
            epsilon: None,
            grad_tol: None,
            max_iterations: DEFAULT_MAX_ITERATIONS,
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

/// Which setting of a run is wrong (the scenario reader turns it into a field path).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunField {
    /// `name`.
    Name,
    /// `optimizer`.
    Optimizer,
    /// `learning_rate`.
    LearningRate,
    /// `learning_rate_b`.
    LearningRateB,
    /// `batch_size`.
    BatchSize,
    /// `init`.
    Init,
    /// `seed`.
    Seed,
    /// `schedule`.
    Schedule,
    /// `clip_norm`.
    ClipNorm,
    /// `simulated_noise`.
    SimulatedNoise,
    /// `epsilon`.
    Epsilon,
    /// `grad_tol`.
    GradTol,
    /// `max_iterations`.
    MaxIterations,
    /// `max_epochs`.
    MaxEpochs,
}

impl RunField {
    /// The field's name in files.
    pub fn key(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::Optimizer => "optimizer",
            Self::LearningRate => "learning_rate",
            Self::LearningRateB => "learning_rate_b",
            Self::BatchSize => "batch_size",
            Self::Init => "init",
            Self::Seed => "seed",
            Self::Schedule => "schedule",
            Self::ClipNorm => "clip_norm",
            Self::SimulatedNoise => "simulated_noise",
            Self::Epsilon => "epsilon",
            Self::GradTol => "grad_tol",
            Self::MaxIterations => "max_iterations",
            Self::MaxEpochs => "max_epochs",
        }
    }
}

impl RunSettings {
    /// The settings with everything that does not change the path (id, name, color,
    /// visibility) blanked: two runs with equal keys have identical histories.
    pub fn path_key(&self) -> Self {
        Self {
            id: 0,
            name: String::new(),
            color: None,
            visible: true,
            ..self.clone()
        }
    }

    /// True when `other` makes the same path: every setting but id, name, color and
    /// visibility is equal (as [`RunSettings::path_key`] compares, without allocating).
    pub fn same_path(&self, other: &Self) -> bool {
        // Destructured in full, so a new field cannot be forgotten here.
        let Self {
            id: _,
            name: _,
            color: _,
            visible: _,
            optimizer,
            learning_rate,
            learning_rate_b,
            batch_size,
            init,
            seed,
            schedule,
            clip_norm,
            simulated_noise,
            epsilon,
            grad_tol,
            max_iterations,
            max_epochs,
        } = self;
        *optimizer == other.optimizer
            && *learning_rate == other.learning_rate
            && *learning_rate_b == other.learning_rate_b
            && *batch_size == other.batch_size
            && *init == other.init
            && *seed == other.seed
            && *schedule == other.schedule
            && *clip_norm == other.clip_norm
            && *simulated_noise == other.simulated_noise
            && *epsilon == other.epsilon
            && *grad_tol == other.grad_tol
            && *max_iterations == other.max_iterations
            && *max_epochs == other.max_epochs
    }

    /// Checks every setting (torch's ranges for the optimizer and schedule); the error says
    /// which field is wrong.
    pub fn check(&self) -> Result<(), (RunField, String)> {
        let fail = |field: RunField, m: String| Err((field, m));
        if self.name.trim().is_empty() {
            return fail(RunField::Name, "a run needs a name".into());
        }
        if self.name.len() > MAX_NAME_BYTES {
            return fail(
                RunField::Name,
                format!("a run's name is at most {MAX_NAME_BYTES} bytes"),
            );
        }
        self.optimizer
            .validate()
            .map_err(|e| (RunField::Optimizer, e.0))?;
        self.schedule
            .validate()
            .map_err(|e| (RunField::Schedule, e))?;
        if self.learning_rate_b.is_some() && !self.optimizer.kind().supports_parameter_groups() {
            return fail(
                RunField::LearningRateB,
                format!(
                    "{} takes one step for w and b together, so b cannot have a learning \
                     rate of its own",
                    self.optimizer.kind().label()
                ),
            );
        }
        for (field, what, rate) in [
            (
                RunField::LearningRate,
                "the learning rate",
                Some(self.learning_rate),
            ),
            (
                RunField::LearningRateB,
                "b's learning rate",
                self.learning_rate_b,
            ),
        ] {
            if let Some(rate) = rate
                && !(rate.is_finite() && LEARNING_RATE_RANGE.contains(&rate))
            {
                return fail(
                    field,
                    format!(
                        "{what} must be a number from {} to {} (such as 0.1), not {rate}",
                        LEARNING_RATE_RANGE.start(),
                        LEARNING_RATE_RANGE.end(),
                    ),
                );
            }
        }
        if self.seed > MAX_SEED {
            return fail(
                RunField::Seed,
                format!("the seed must be at most {MAX_SEED}, not {}", self.seed),
            );
        }
        if self.batch_size == Some(0) {
            return fail(
                RunField::BatchSize,
                "the batch size must be at least 1 (leave it out for the full batch)".into(),
            );
        }
        if let Some(c) = self.clip_norm
            && !(c.is_finite() && c > 0.0)
        {
            return fail(
                RunField::ClipNorm,
                format!("the gradient clipping norm must be a positive number, not {c}"),
            );
        }
        if !(self.simulated_noise.is_finite() && self.simulated_noise >= 0.0) {
            return fail(
                RunField::SimulatedNoise,
                format!(
                    "the simulated noise must be a number of at least 0, not {}",
                    self.simulated_noise
                ),
            );
        }
        for (field, v) in [
            (RunField::Epsilon, self.epsilon),
            (RunField::GradTol, self.grad_tol),
        ] {
            if let Some(v) = v
                && !(v.is_finite() && v >= 0.0)
            {
                return fail(
                    field,
                    format!("{} must be a number of at least 0, not {v}", field.key()),
                );
            }
        }
        if self.max_iterations > MAX_ITERATIONS {
            return fail(
                RunField::MaxIterations,
                format!(
                    "max_iterations must be at most {MAX_ITERATIONS} (0 shows only the start), not {}",
                    self.max_iterations
                ),
            );
        }
        if self.max_epochs == Some(0) {
            return fail(
                RunField::MaxEpochs,
                "max_epochs must be at least 1 (leave it out for no limit)".into(),
            );
        }
        match self.init {
            Initialization::Xavier { fan_in: 0 } => {
                fail(RunField::Init, "xavier fan_in must be at least 1".into())
            }
            Initialization::Manual { w, b } if !(w.is_finite() && b.is_finite()) => fail(
                RunField::Init,
                format!("the start point must be finite, not ({w}, {b})"),
            ),
            _ => Ok(()),
        }
    }

    /// [`RunSettings::check`] as a plain error.
    pub fn validate(&self) -> Result<(), RunError> {
        self.check().map_err(|(_, m)| RunError(m))
    }
}

impl Default for Initialization {
    fn default() -> Self {
        Self::Zero {}
    }
}

impl crate::engine::tagged::Tagged for Initialization {
    const TAG: &'static str = "kind";
    const WHAT: &'static str = "a start";
}
