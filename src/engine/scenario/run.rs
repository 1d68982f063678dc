//! One run of a scenario: its name and color, and everything that makes its path.

use super::error::{FieldPath, ScenarioError};
use crate::engine::optim::OptimizerSettings;
use crate::engine::run::{Initialization, RunSettings, Schedule};

/// The seven run colors (Okabe-Ito, distinguishable with the common color blindnesses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunColor {
    /// Orange.
    Orange,
    /// Sky blue.
    SkyBlue,
    /// Bluish green.
    BluishGreen,
    /// Reddish purple.
    ReddishPurple,
    /// Yellow.
    Yellow,
    /// Blue.
    Blue,
    /// Vermillion.
    Vermillion,
}

impl RunColor {
    /// Every color, in the order new runs take them.
    pub const ALL: [RunColor; 7] = [
        Self::Orange,
        Self::SkyBlue,
        Self::BluishGreen,
        Self::ReddishPurple,
        Self::Yellow,
        Self::Blue,
        Self::Vermillion,
    ];

    /// The position in [`RunColor::ALL`] (the app's palette slot).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&c| c == self).unwrap_or(0)
    }

    /// The color of palette slot `index` (wraps around).
    pub fn from_index(index: usize) -> Self {
        Self::ALL[index % Self::ALL.len()]
    }
}

/// One optimizer run: name, color, optimizer, learning rate, batch size, start, seed,
/// schedule and stopping rules. Missing fields take the defaults written beside them.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioRun {
    /// Name shown in the lists and legends.
    pub name: String,
    /// Its color (default: the next in [`RunColor::ALL`] by position).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<RunColor>,
    /// Drawn in the views (default true).
    #[serde(default = "yes")]
    pub visible: bool,
    /// The update rule and its hyper-parameters, e.g. `{ rule = "adam", beta1 = 0.9 }`
    /// (default plain gradient descent).
    #[serde(default)]
    pub optimizer: OptimizerSettings,
    /// The learning rate alpha.
    pub learning_rate: f64,
    /// Examples per mini-batch (at least 1); absent means the full batch. Only data fits
    /// use it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<usize>,
    /// Where the run starts, e.g. `{ kind = "manual", w = -1.2, b = 1.0 }` (default zero).
    #[serde(default)]
    pub init: Initialization,
    /// Seed of the run's random numbers (default 0).
    #[serde(default)]
    pub seed: u64,
    /// How the learning rate changes (default constant).
    #[serde(default)]
    pub schedule: Schedule,
    /// Clip the gradient to this norm before each update.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clip_norm: Option<f64>,
    /// Standard deviation of simulated gradient noise on a formula problem (default 0).
    #[serde(default)]
    pub simulated_noise: f64,
    /// Converged when the cost changes by less than this in one iteration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub epsilon: Option<f64>,
    /// Converged when the gradient's norm is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grad_tol: Option<f64>,
    /// Stop after this many iterations (default 1000).
    #[serde(default = "default_max_iterations")]
    pub max_iterations: u64,
    /// Stop after this many epochs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_epochs: Option<u64>,
}

fn yes() -> bool {
    true
}

fn default_max_iterations() -> u64 {
    RunSettings::default().max_iterations
}

/// Most iterations a run may ask for (as the engine's runs).
pub const MAX_ITERATIONS: u64 = 10_000_000;

impl ScenarioRun {
    /// The run as the engine simulates it, after checking every number.
    pub fn settings(&self, at: &FieldPath) -> Result<RunSettings, ScenarioError> {
        let field = |name: &str| at.then(name);
        if self.name.trim().is_empty() {
            return Err(ScenarioError::at(field("name"), "a run needs a name"));
        }
        if !(self.learning_rate.is_finite() && self.learning_rate >= 0.0) {
            return Err(ScenarioError::at(
                field("learning_rate"),
                format!(
                    "the learning rate must be a number of at least 0 (such as 0.1), not {}",
                    self.learning_rate
                ),
            ));
        }
        if self.batch_size == Some(0) {
            return Err(ScenarioError::at(
                field("batch_size"),
                "the batch size must be at least 1 (leave it out for the full batch)",
            ));
        }
        if self.max_iterations == 0 || self.max_iterations > MAX_ITERATIONS {
            return Err(ScenarioError::at(
                field("max_iterations"),
                format!(
                    "max_iterations must be between 1 and {MAX_ITERATIONS}, not {}",
                    self.max_iterations
                ),
            ));
        }
        if self.max_epochs == Some(0) {
            return Err(ScenarioError::at(
                field("max_epochs"),
                "max_epochs must be at least 1 (leave it out for no limit)",
            ));
        }
        let settings = RunSettings {
            optimizer: self.optimizer,
            learning_rate: self.learning_rate,
            batch_size: self.batch_size.unwrap_or(0),
            init: self.init,
            seed: self.seed,
            schedule: self.schedule,
            clip_norm: self.clip_norm,
            simulated_noise: self.simulated_noise,
            epsilon: self.epsilon,
            grad_tol: self.grad_tol,
            max_iterations: self.max_iterations,
            max_epochs: self.max_epochs,
        };
        settings.validate().map_err(|e| {
            let name = match e.0.as_str() {
                m if m.contains("start point") || m.contains("fan_in") => "init",
                m if m.contains("schedule")
                    || m.contains("step_size")
                    || m.contains("gamma")
                    || m.contains("T_max")
                    || m.contains("eta_min") =>
                {
                    "schedule"
                }
                m if m.contains("clipping") => "clip_norm",
                m if m.contains("noise") => "simulated_noise",
                m if m.contains("epsilon") => "epsilon",
                m if m.contains("gradient tolerance") => "grad_tol",
                _ => "optimizer",
            };
            ScenarioError::at(field(name), e.0)
        })?;
        Ok(settings)
    }

    /// A scenario run from the app's settings of one run.
    pub fn from_settings(name: &str, color: RunColor, visible: bool, s: &RunSettings) -> Self {
        Self {
            name: name.to_owned(),
            color: Some(color),
            visible,
            optimizer: s.optimizer,
            learning_rate: s.learning_rate,
            batch_size: (s.batch_size > 0).then_some(s.batch_size),
            init: s.init,
            seed: s.seed,
            schedule: s.schedule,
            clip_norm: s.clip_norm,
            simulated_noise: s.simulated_noise,
            epsilon: s.epsilon,
            grad_tol: s.grad_tol,
            max_iterations: s.max_iterations,
            max_epochs: s.max_epochs,
        }
    }
}
