//! Every limit and default a setting has, in one place: the app's widgets, the scenario
//! validator and the command line all read these, so a value one accepts the others accept.

use std::ops::RangeInclusive;

/// Most iterations a run may take.
pub const MAX_ITERATIONS: u64 = 10_000_000;

/// Iterations of a new run.
pub const DEFAULT_MAX_ITERATIONS: u64 = 1000;

/// The learning-rate slider's range (the exact field accepts any rate in
/// [`LEARNING_RATE_RANGE`]).
pub const LEARNING_RATE_SLIDER: RangeInclusive<f64> = 1e-5..=10.0;

/// Every learning rate a run accepts.
pub const LEARNING_RATE_RANGE: RangeInclusive<f64> = 0.0..=1e6;

/// Momentum factors the editor offers (torch accepts any momentum >= 0; Nesterov needs > 0).
pub const MOMENTUM_RANGE: RangeInclusive<f64> = 0.0..=0.9999;

/// Smallest momentum Nesterov accepts in the editor (torch refuses 0).
pub const MIN_NESTEROV_MOMENTUM: f64 = 0.01;

/// Decay factors (beta1, beta2, RMSProp's alpha) the editor offers.
pub const DECAY_RANGE: RangeInclusive<f64> = 0.0..=0.9999;

/// Weight decay the editor offers.
pub const WEIGHT_DECAY_RANGE: RangeInclusive<f64> = 0.0..=10.0;

/// The eps the editor offers.
pub const EPS_RANGE: RangeInclusive<f64> = 0.0..=1.0;

/// Simulated gradient noise the editor offers (standard deviation).
pub const NOISE_RANGE: RangeInclusive<f64> = 0.0..=10.0;

/// Epsilon (convergence test) the editor offers.
pub const EPSILON_RANGE: RangeInclusive<f64> = 0.0..=1e6;

/// Xavier fan-in the editor offers.
pub const FAN_IN_RANGE: RangeInclusive<u32> = 1..=10_000;

/// Number of contour levels.
pub const LEVELS_RANGE: RangeInclusive<usize> = 1..=100;

/// Contour levels of a new scene.
pub const DEFAULT_LEVELS: usize = 20;

/// Playback speed, in iterations per second.
pub const SPEED_RANGE: RangeInclusive<f64> = 1.0..=10_000.0;

/// Playback speed of a new scene.
pub const DEFAULT_SPEED: f64 = 20.0;

/// Examples a synthetic dataset may have.
pub const EXAMPLES_RANGE: RangeInclusive<usize> = 1..=1_000_000;

/// The examples slider's range (files and the command line accept [`EXAMPLES_RANGE`]).
pub const EXAMPLES_SLIDER: RangeInclusive<usize> = 1..=10_000;

/// Label noise of a synthetic dataset.
pub const DATA_NOISE_RANGE: RangeInclusive<f64> = 0.0..=5.0;

/// The 3D camera's pitch (radians): slightly below the floor to almost straight down.
pub const PITCH_RANGE: RangeInclusive<f32> = -0.35..=1.53;

/// The 3D camera's distance from the center (the surface spans [-1, 1]).
pub const DISTANCE_RANGE: RangeInclusive<f32> = 2.5..=30.0;

/// The 3D view's vertical exaggeration.
pub const EXAGGERATION_RANGE: RangeInclusive<f32> = 0.1..=10.0;

/// A free constant's slider range when none is given (widened to hold the value).
pub const CONSTANT_RANGE: RangeInclusive<f64> = -5.0..=5.0;

/// Longest run name, in bytes.
pub const MAX_NAME_BYTES: usize = 200;

/// Largest seed (TOML stores whole numbers as signed 64-bit).
pub const MAX_SEED: u64 = i64::MAX as u64;

/// L-BFGS inner iterations per step (`max_iter`) and evaluations per step (`max_eval`) the
/// settings accept: each step may evaluate J up to `max_eval` times plus one line search.
pub const LBFGS_ITERATIONS_RANGE: RangeInclusive<u32> = 1..=1000;

/// L-BFGS curvature pairs kept (`history_size`).
pub const LBFGS_HISTORY_RANGE: RangeInclusive<u32> = 1..=1000;

/// Trial step sizes a backtracking line search tries before it takes the last one.
pub const ARMIJO_MAX_TRIALS: usize = 60;
