//! Why a run stopped (or that it has not).

use std::fmt;

use super::number::shortest;

/// The state of a run: still going, or stopped with the iteration it stopped at.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Status {
    /// More updates can be taken.
    Running,
    /// A convergence rule held after `iteration` updates.
    Converged {
        /// The iteration (row of the history) where the rule held.
        iteration: u64,
        /// Which rule.
        rule: ConvergenceRule,
    },
    /// The cost or a parameter blew up after `iteration` updates; the history is kept.
    Diverged {
        /// The first iteration with a bad value.
        iteration: u64,
        /// What went wrong.
        reason: DivergenceReason,
    },
    /// The maximum number of iterations or epochs was reached.
    ReachedLimit {
        /// The last iteration.
        iteration: u64,
    },
}

impl Status {
    /// True while the run can take more updates.
    pub fn is_running(&self) -> bool {
        matches!(self, Self::Running)
    }

    /// The iteration the run stopped at, if it stopped.
    pub fn stopped_at(&self) -> Option<u64> {
        match *self {
            Self::Running => None,
            Self::Converged { iteration, .. }
            | Self::Diverged { iteration, .. }
            | Self::ReachedLimit { iteration } => Some(iteration),
        }
    }
}

/// A convergence test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ConvergenceRule {
    /// |J(t) - J(t-1)| < epsilon: the cost stopped changing.
    CostChange {
        /// The threshold.
        epsilon: f64,
    },
    /// |gradient of J| < tolerance: the slope is flat.
    GradientNorm {
        /// The threshold.
        tolerance: f64,
    },
}

/// Why a run diverged.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DivergenceReason {
    /// The full-data cost is infinite or NaN.
    CostNotFinite {
        /// The cost.
        cost: f64,
    },
    /// A parameter is infinite or NaN.
    ParameterNotFinite {
        /// `"w"` or `"b"`.
        parameter: &'static str,
        /// Its value.
        value: f64,
    },
    /// A parameter left [-1e8, 1e8].
    ParameterTooLarge {
        /// `"w"` or `"b"`.
        parameter: &'static str,
        /// Its value.
        value: f64,
    },
}

/// The largest |w| or |b| a run accepts before calling it diverged.
pub const DIVERGENCE_LIMIT: f64 = 1e8;

impl fmt::Display for ConvergenceRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::CostChange { epsilon } => write!(f, "|dJ| < {}", shortest(epsilon)),
            Self::GradientNorm { tolerance } => write!(f, "|grad J| < {}", shortest(tolerance)),
        }
    }
}

impl fmt::Display for DivergenceReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::CostNotFinite { cost } => write!(f, "cost is {}", shortest(cost)),
            Self::ParameterNotFinite { parameter, value } => {
                write!(f, "{parameter} is {}", shortest(value))
            }
            Self::ParameterTooLarge { parameter, value } => {
                write!(f, "|{parameter}| > 1e8: {parameter} = {}", shortest(value))
            }
        }
    }
}

/// `running`, `converged at iteration 412 (|dJ| < 1e-06)`,
/// `diverged at iteration 17 (cost is inf)` or `reached the limit at iteration 100`.
impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Running => write!(f, "running"),
            Self::Converged { iteration, rule } => {
                write!(f, "converged at iteration {iteration} ({rule})")
            }
            Self::Diverged { iteration, reason } => {
                write!(f, "diverged at iteration {iteration} ({reason})")
            }
            Self::ReachedLimit { iteration } => {
                write!(f, "reached the limit at iteration {iteration}")
            }
        }
    }
}
