//! The shared playback clock: which iteration every run shows, how fast it advances, and
//! which run is being edited.

use super::error::{FieldPath, ScenarioError};
use crate::engine::limits::{DEFAULT_SPEED, SPEED_RANGE};

/// Playback position and speed, shared by all runs.
///
/// `iteration` 0 is the starting point; iteration t is the point after t updates. A run
/// shorter than `iteration` (it converged or diverged earlier) shows its last point.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Playback {
    /// The iteration shown.
    pub iteration: usize,
    /// Iterations per second while playing ([`SPEED_RANGE`]).
    pub speed: f64,
    /// The run being edited and inspected, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_run: Option<String>,
    /// True while the clock advances by itself.
    #[serde(skip)]
    pub playing: bool,
    /// Fraction of an iteration carried over between frames.
    #[serde(skip)]
    carry: f64,
}

impl Default for Playback {
    fn default() -> Self {
        Self {
            iteration: 0,
            speed: DEFAULT_SPEED,
            selected_run: None,
            playing: false,
            carry: 0.0,
        }
    }
}

impl Playback {
    /// Advances by `dt` seconds of wall time; `last` is the last iteration any visible run
    /// has. Playback pauses when it reaches `last`. Returns true if the iteration changed.
    pub fn advance(&mut self, dt: f64, last: usize) -> bool {
        if !self.playing {
            return false;
        }
        if self.iteration >= last {
            self.iteration = self.iteration.min(last);
            self.playing = false;
            self.carry = 0.0;
            return false;
        }
        let speed = clamp_speed(self.speed);
        // A long stall (window hidden, a breakpoint) must not jump far ahead.
        let dt = if dt.is_finite() {
            dt.clamp(0.0, 0.25)
        } else {
            0.0
        };
        self.carry += speed * dt;
        let whole = self.carry.floor();
        self.carry -= whole;
        let before = self.iteration;
        let ahead = if whole >= (last - self.iteration) as f64 {
            last - self.iteration
        } else {
            whole as usize
        };
        self.iteration += ahead;
        if self.iteration >= last {
            self.playing = false;
            self.carry = 0.0;
        }
        self.iteration != before
    }

    /// While playing, the seconds until the next iteration is due.
    pub fn seconds_to_next(&self) -> Option<f64> {
        self.playing
            .then(|| (1.0 - self.carry).clamp(0.0, 1.0) / clamp_speed(self.speed))
    }

    /// Starts or pauses. Playing from the end starts over from iteration 0.
    pub fn toggle(&mut self, last: usize) {
        if self.playing {
            self.playing = false;
        } else {
            if self.iteration >= last {
                self.iteration = 0;
            }
            self.playing = last > 0;
            self.carry = 0.0;
        }
    }

    /// One iteration forward (pauses).
    pub fn step_forward(&mut self, last: usize) {
        self.playing = false;
        self.iteration = (self.iteration + 1).min(last.max(self.iteration));
    }

    /// One iteration back (pauses).
    pub fn step_back(&mut self) {
        self.playing = false;
        self.iteration = self.iteration.saturating_sub(1);
    }

    /// Back to the start, keeping play/pause.
    pub fn restart(&mut self) {
        self.iteration = 0;
        self.carry = 0.0;
    }

    /// Jumps to `iteration` (the scrubber), clamped to `last`.
    pub fn seek(&mut self, iteration: usize, last: usize) {
        self.iteration = iteration.min(last);
        self.carry = 0.0;
    }
}

impl Playback {
    /// Checks the numbers; the selected run must be one of `run_names`.
    pub fn validate(&self, run_names: &[&str]) -> Result<(), ScenarioError> {
        let here = FieldPath::key("playback");
        if !SPEED_RANGE.contains(&self.speed) {
            return Err(ScenarioError::at(
                here.then("speed"),
                format!(
                    "speed must be between {} and {} iterations per second, not {}",
                    SPEED_RANGE.start(),
                    SPEED_RANGE.end(),
                    self.speed
                ),
            ));
        }
        if let Some(name) = &self.selected_run
            && !run_names.contains(&name.as_str())
        {
            return Err(ScenarioError::at(
                here.then("selected_run"),
                format!(
                    "there is no run named `{name}`; the runs are: {}",
                    run_names.join(", ")
                ),
            ));
        }
        Ok(())
    }
}

/// `speed` clamped into [`SPEED_RANGE`] (NaN becomes the slowest speed).
pub fn clamp_speed(speed: f64) -> f64 {
    if speed.is_nan() {
        *SPEED_RANGE.start()
    } else {
        speed.clamp(*SPEED_RANGE.start(), *SPEED_RANGE.end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Playing moves by speed x time and stops at the last iteration.
    #[test]
    fn advance_by_speed_and_stop_at_end() {
        let mut p = Playback {
            speed: 10.0,
            ..Default::default()
        };
        p.toggle(100);
        assert!(p.playing);
        assert!(p.advance(0.25, 100));
        assert_eq!(p.iteration, 2); // 2.5 iterations: 2 now, half carried
        p.advance(0.05, 100);
        assert_eq!(p.iteration, 3);
        p.speed = 10_000.0;
        p.advance(0.1, 100);
        assert_eq!(p.iteration, 100);
        assert!(!p.playing);
    }

    // The next frame is due when the next whole iteration is.
    #[test]
    fn seconds_to_next_iteration() {
        let mut p = Playback {
            speed: 20.0,
            ..Default::default()
        };
        assert_eq!(p.seconds_to_next(), None);
        p.toggle(100);
        assert_eq!(p.seconds_to_next(), Some(0.05));
        p.advance(0.025, 100); // half an iteration carried
        let wait = p.seconds_to_next().expect("playing");
        assert!((wait - 0.025).abs() < 1e-12, "{wait}");
    }

    // Stepping moves by exactly one and never below zero or past the end.
    #[test]
    fn step_forward_and_back() {
        let mut p = Playback::default();
        p.step_back();
        assert_eq!(p.iteration, 0);
        p.step_forward(2);
        p.step_forward(2);
        p.step_forward(2);
        assert_eq!(p.iteration, 2);
        p.step_back();
        assert_eq!(p.iteration, 1);
    }

    // Play at the end starts over; there is nothing to play with no steps at all.
    #[test]
    fn toggle_at_end_restarts() {
        let mut p = Playback {
            iteration: 5,
            ..Default::default()
        };
        p.toggle(5);
        assert!(p.playing);
        assert_eq!(p.iteration, 0);
        let mut empty = Playback::default();
        empty.toggle(0);
        assert!(!empty.playing);
    }

    // Garbage speeds and time steps never move the clock backwards or panic.
    #[test]
    fn hostile_inputs() {
        let mut p = Playback {
            speed: f64::NAN,
            ..Default::default()
        };
        p.toggle(10);
        p.advance(f64::INFINITY, 10);
        p.advance(-3.0, 10);
        assert!(p.iteration <= 10);
        p.seek(1_000, 10);
        assert_eq!(p.iteration, 10);
    }
}
