//! What a lesson says its runs do, written next to its text so that `losscape check` can
//! verify it: how a run ends and when, where it is, its gradient and its cost J at an
//! iteration (or over a stretch of iterations), and when it first comes near a point.
//!
//! ```toml
//! [[lesson.steps.expect]]
//! run = "Plain GD"
//! outcome = "converges"      # converges, diverges, reaches the limit
//! at_iteration = 36          # when it stops (or by_iteration = 40: at the latest)
//! near = [0.0, 0.0]          # where it ends, within tolerance (default 0.01)
//! cost_above = 0.24
//! ```

use serde::Deserialize as _;

use super::error::{FieldPath, ScenarioError};
use crate::engine::Point;
use crate::engine::run::{Record, Run, Status, shortest};

/// How far a point may be from `near` (or a gradient from `gradient`) when an expectation
/// gives no `tolerance`.
pub const DEFAULT_TOLERANCE: f64 = 0.01;

/// How a run stops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Outcome {
    /// A convergence rule held.
    #[serde(rename = "converges")]
    Converges,
    /// The cost or a parameter blew up.
    #[serde(rename = "diverges")]
    Diverges,
    /// It used up its iterations or epochs.
    #[serde(rename = "reaches the limit")]
    ReachesTheLimit,
}

impl Outcome {
    fn of(status: Status) -> Option<Self> {
        match status {
            Status::Converged { .. } => Some(Self::Converges),
            Status::Diverged { .. } => Some(Self::Diverges),
            Status::ReachedLimit { .. } => Some(Self::ReachesTheLimit),
            Status::Running => None,
        }
    }

    /// "converges", as in "run X converges at iteration 36".
    fn present(self) -> &'static str {
        match self {
            Self::Converges => "converges",
            Self::Diverges => "diverges",
            Self::ReachesTheLimit => "reaches the limit",
        }
    }

    /// "converge", as in "the lesson expects it to converge".
    fn infinitive(self) -> &'static str {
        match self {
            Self::Converges => "converge",
            Self::Diverges => "diverge",
            Self::ReachesTheLimit => "reach the limit",
        }
    }
}

/// Claims about one run of the scene a lesson shows (at its start, or after a step). Every
/// field but `run` is optional; each one given is a claim that must hold.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expectation {
    /// The name of the run the claims are about.
    pub run: String,
    /// How the run stops.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Outcome>,
    /// The iteration the run stops at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub at_iteration: Option<u64>,
    /// The latest iteration the run stops at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_iteration: Option<u64>,
    /// The iteration `near`, `gradient`, `cost_below` and `cost_above` are about (default:
    /// the one the run ends at).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iteration: Option<u64>,
    /// `[first, last]`: `near`, `gradient`, `cost_below` and `cost_above` hold at every
    /// iteration from `first` to `last`.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "two"
    )]
    pub iterations: Option<[u64; 2]>,
    /// `[w, b]`: the run is within `tolerance` of this point.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "two"
    )]
    pub near: Option<Point>,
    /// `[dJ/dw, dJ/db]`: the full-data gradient there is within `tolerance` of this.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "two"
    )]
    pub gradient: Option<Point>,
    /// The largest distance allowed from `near` and `gradient` ([`DEFAULT_TOLERANCE`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tolerance: Option<f64>,
    /// The first iteration at which the run is within `tolerance` of `near`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_near_at: Option<u64>,
    /// The full-data cost J is above this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_above: Option<f64>,
    /// The full-data cost J is below this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_below: Option<f64>,
}

/// One claim checked against a run: whether it holds, and a sentence saying what the run
/// does and what the lesson expects (`run "b" ends at (1.827, 0.712), the lesson expects
/// (1.66, 1) ± 0.05`).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// True when the run does what the lesson says.
    pub holds: bool,
    /// What happened against what was claimed.
    pub text: String,
}

/// The iterations a claim about points or costs looks at.
#[derive(Clone, Copy)]
enum Rows {
    /// The run's last iteration.
    End,
    /// One iteration.
    At(u64),
    /// Every iteration from the first to the last.
    Span(u64, u64),
}

impl Expectation {
    /// Checks the fields against each other and that `run` is one of `run_names` (the runs
    /// of the scene the expectation is about). Fields are named relative to the expectation.
    pub fn validate(&self, run_names: &[&str]) -> Result<(), ScenarioError> {
        let err =
            |field: &str, message: String| Err(ScenarioError::at(FieldPath::key(field), message));
        if !run_names.contains(&self.run.as_str()) {
            let known = if run_names.is_empty() {
                "there are no runs".to_owned()
            } else {
                format!("the runs are: {}", run_names.join(", "))
            };
            return err(
                "run",
                format!("there is no run named `{}` here; {known}", self.run),
            );
        }
        let claims_about_rows =
            self.near.is_some() || self.gradient.is_some() || self.has_cost_claim();
        let claims = self.outcome.is_some()
            || self.at_iteration.is_some()
            || self.by_iteration.is_some()
            || claims_about_rows;
        if !claims {
            return err(
                "run",
                "an expectation needs a claim: outcome, at_iteration, by_iteration, near, \
                 gradient, first_near_at, cost_above or cost_below"
                    .to_owned(),
            );
        }
        if self.at_iteration.is_some() && self.by_iteration.is_some() {
            return err(
                "by_iteration",
                "give at_iteration (exactly when the run stops) or by_iteration (at the \
                 latest), not both"
                    .to_owned(),
            );
        }
        if self.iteration.is_some() && self.iterations.is_some() {
            return err(
                "iterations",
                "give iteration (one) or iterations (from, to), not both".to_owned(),
            );
        }
        if let Some([first, last]) = self.iterations
            && first > last
        {
            return err(
                "iterations",
                format!("iterations is [from, to] with from <= to, not [{first}, {last}]"),
            );
        }
        if (self.iteration.is_some() || self.iterations.is_some()) && !claims_about_rows {
            let field = if self.iteration.is_some() {
                "iteration"
            } else {
                "iterations"
            };
            return err(
                field,
                format!(
                    "{field} says where near, gradient, cost_below or cost_above hold; give one of them"
                ),
            );
        }
        if self.first_near_at.is_some() {
            if self.near.is_none() {
                return err(
                    "first_near_at",
                    "first_near_at is the first iteration within tolerance of `near`; give near = [w, b]"
                        .to_owned(),
                );
            }
            if self.iteration.is_some() || self.iterations.is_some() {
                return err(
                    "first_near_at",
                    "first_near_at names its own iteration; leave out iteration and iterations"
                        .to_owned(),
                );
            }
        }
        if let Some(tolerance) = self.tolerance {
            if self.near.is_none() && self.gradient.is_none() {
                return err(
                    "tolerance",
                    "tolerance is how close `near` or `gradient` must be; give one of them"
                        .to_owned(),
                );
            }
            if !(tolerance.is_finite() && tolerance > 0.0) {
                return err(
                    "tolerance",
                    format!(
                        "the tolerance must be a number above 0, not {}",
                        shortest(tolerance)
                    ),
                );
            }
        }
        for (field, pair) in [("near", self.near), ("gradient", self.gradient)] {
            if let Some(pair) = pair
                && !pair.iter().all(|v| v.is_finite())
            {
                return err(field, format!("{field} must be two finite numbers"));
            }
        }
        for (field, bound) in [
            ("cost_below", self.cost_below),
            ("cost_above", self.cost_above),
        ] {
            if let Some(bound) = bound
                && !bound.is_finite()
            {
                return err(field, format!("{field} must be a finite number"));
            }
        }
        if let (Some(below), Some(above)) = (self.cost_below, self.cost_above)
            && above >= below
        {
            return err(
                "cost_above",
                format!(
                    "J cannot be above {} and below {}",
                    shortest(above),
                    shortest(below)
                ),
            );
        }
        Ok(())
    }

    fn has_cost_claim(&self) -> bool {
        self.cost_below.is_some() || self.cost_above.is_some()
    }

    fn tolerance(&self) -> f64 {
        self.tolerance.unwrap_or(DEFAULT_TOLERANCE)
    }

    /// Checks every claim against `run`, simulated to its end.
    pub fn check(&self, run: &Run) -> Vec<Finding> {
        let mut findings = Vec::new();
        let mut say = |holds: bool, observed: String, expected: String| {
            findings.push(Finding {
                holds,
                text: format!(
                    "run \"{}\" {observed}, the lesson expects {expected}",
                    self.run
                ),
            });
        };
        if self.outcome.is_some() || self.at_iteration.is_some() || self.by_iteration.is_some() {
            self.check_stop(run, &mut say);
        }
        if let (Some(near), Some(at)) = (self.near, self.first_near_at) {
            self.check_first_near(run, near, at, &mut say);
        }
        let near = self.near.filter(|_| self.first_near_at.is_none());
        if near.is_some() || self.gradient.is_some() || self.has_cost_claim() {
            self.check_rows(run, near, &mut say);
        }
        findings
    }

    /// How and when the run stops.
    fn check_stop(&self, run: &Run, say: &mut impl FnMut(bool, String, String)) {
        let status = run.status();
        let stopped = status.stopped_at().unwrap_or_else(|| run.iteration());
        let observed = match Outcome::of(status) {
            Some(how) => format!("{} at iteration {stopped}", how.present()),
            None => format!("is still running at iteration {stopped}"),
        };
        let holds = self.outcome.is_none_or(|o| Outcome::of(status) == Some(o))
            && self.at_iteration.is_none_or(|n| stopped == n)
            && self.by_iteration.is_none_or(|n| stopped <= n);
        let verb = self.outcome.map_or("stop", Outcome::infinitive);
        let when = match (self.at_iteration, self.by_iteration) {
            (Some(n), _) => format!(" at iteration {n}"),
            (_, Some(n)) => format!(" by iteration {n}"),
            _ => String::new(),
        };
        say(holds, observed, format!("it to {verb}{when}"));
    }

    /// The first iteration within tolerance of `near`.
    fn check_first_near(
        &self,
        run: &Run,
        near: Point,
        at: u64,
        say: &mut impl FnMut(bool, String, String),
    ) {
        let tolerance = self.tolerance();
        let first = run
            .history()
            .params()
            .iter()
            .position(|p| distance(*p, near) <= tolerance)
            .map(|t| t as u64);
        let target = format!("{} of {}", shortest(tolerance), pair(near, None));
        let observed = match first {
            Some(t) => format!("first comes within {target} at iteration {t}"),
            None => format!(
                "never comes within {target} in its {} iterations",
                run.iteration()
            ),
        };
        say(first == Some(at), observed, format!("iteration {at}"));
    }

    /// The point (`near`, unless it goes with `first_near_at`), gradient and cost at the
    /// last iteration, at `iteration` or over `iterations`; over a span, the iteration
    /// that breaks the claim (or comes nearest to breaking it) is the one reported.
    fn check_rows(
        &self,
        run: &Run,
        near: Option<Point>,
        say: &mut impl FnMut(bool, String, String),
    ) {
        let last = run.iteration();
        let rows = match (self.iteration, self.iterations) {
            (Some(t), _) => Rows::At(t),
            (_, Some([first, last])) => Rows::Span(first, last),
            _ => Rows::End,
        };
        let (first, until, span) = match rows {
            Rows::End => (last, last, String::new()),
            Rows::At(t) => (t, t, String::new()),
            Rows::Span(a, b) => (a, b, format!(" at every iteration from {a} to {b}")),
        };
        if until > last {
            let how = Outcome::of(run.status()).map_or("is still running", Outcome::present);
            say(
                false,
                format!("{how} at iteration {last}"),
                format!("it to reach iteration {until}"),
            );
            return;
        }
        let records: Vec<Record> = (first..=until)
            .filter_map(|t| run.history().get(usize::try_from(t).ok()?))
            .collect();
        let at = |r: &Record| match rows {
            Rows::End => String::new(),
            _ => format!(" at iteration {}", r.iteration),
        };
        let (is, has) = match rows {
            Rows::End => ("ends at", "ends with"),
            _ => ("is at", "has"),
        };
        let tolerance = self.tolerance();
        let decimals = decimals_for(tolerance);
        let within =
            |target: Point| format!("{} ± {}{span}", pair(target, None), shortest(tolerance));
        if let Some(near) = near
            && let Some((r, d)) = farthest(&records, |r| distance(r.params, near))
        {
            say(
                d <= tolerance,
                format!("{is} {}{}", pair(r.params, Some(decimals)), at(&r)),
                within(near),
            );
        }
        if self.gradient.is_none() && !self.has_cost_claim() {
            return;
        }
        let full: Vec<Record> = records.into_iter().filter(|r| r.has_full_cost).collect();
        if full.is_empty() {
            say(
                false,
                format!("has no full-data cost or gradient at iteration {first}"),
                "them to be computed there".to_owned(),
            );
            return;
        }
        if let Some(gradient) = self.gradient
            && let Some((r, d)) = farthest(&full, |r| distance(r.gradient, gradient))
        {
            say(
                d <= tolerance,
                format!(
                    "{has} gradient {}{}",
                    pair(r.gradient, Some(decimals)),
                    at(&r)
                ),
                within(gradient),
            );
        }
        // The highest and the lowest J of the rows: the one that breaks a bound, or else
        // the one nearest to breaking it.
        let highest = farthest(&full, |r| r.cost).map(|(r, _)| r);
        let lowest = farthest(&full, |r| -r.cost).map(|(r, _)| r);
        let above_ok = |r: &Record| self.cost_above.is_none_or(|a| r.cost > a);
        let below_ok = |r: &Record| self.cost_below.is_none_or(|b| r.cost < b);
        let shown = match (self.cost_above, self.cost_below) {
            (None, Some(_)) => highest,
            (Some(_), None) => lowest,
            (Some(_), Some(_)) => highest.filter(|r| !below_ok(r)).or(lowest),
            (None, None) => None,
        };
        let bounds = match (self.cost_above, self.cost_below) {
            (Some(a), Some(b)) => format!("between {} and {}", shortest(a), shortest(b)),
            (Some(a), None) => format!("above {}", shortest(a)),
            (None, Some(b)) => format!("below {}", shortest(b)),
            (None, None) => String::new(),
        };
        if let (Some(r), Some(l), Some(h)) = (shown, lowest, highest) {
            say(
                above_ok(&l) && below_ok(&h),
                format!("{has} J = {}{}", significant(r.cost), at(&r)),
                format!("J {bounds}{span}"),
            );
        }
    }
}

/// A list of exactly two items (serde's own reading of `[T; 2]` lets a longer list pass).
fn two<'de, D, T>(deserializer: D) -> Result<Option<[T; 2]>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    let items = Vec::<T>::deserialize(deserializer)?;
    let n = items.len();
    <[T; 2]>::try_from(items)
        .map(Some)
        .map_err(|_| serde::de::Error::invalid_length(n, &"a list of two numbers"))
}

/// The record with the largest `measure` (NaN counts as largest), and that measure.
fn farthest(records: &[Record], measure: impl Fn(&Record) -> f64) -> Option<(Record, f64)> {
    records
        .iter()
        .map(|r| {
            let m = measure(r);
            (*r, if m.is_nan() { f64::INFINITY } else { m })
        })
        .fold(None, |best: Option<(Record, f64)>, (r, m)| match best {
            Some((_, b)) if b >= m => best,
            _ => Some((r, m)),
        })
}

fn distance(a: Point, b: Point) -> f64 {
    (a[0] - b[0]).hypot(a[1] - b[1])
}

/// Decimals that show a point to a tenth of `tolerance`.
fn decimals_for(tolerance: f64) -> usize {
    let digits = (-tolerance.log10()).ceil() + 1.0;
    if digits.is_finite() {
        digits.clamp(1.0, 12.0) as usize
    } else {
        4
    }
}

/// `(w, b)` with `decimals`, or in their shortest form.
fn pair(p: Point, decimals: Option<usize>) -> String {
    match decimals {
        Some(d) => format!("({}, {})", fixed(p[0], d), fixed(p[1], d)),
        None => format!("({}, {})", shortest(p[0]), shortest(p[1])),
    }
}

/// `x` with `decimals`, without the sign of a value that rounds to zero (`-0.000`).
fn fixed(x: f64, decimals: usize) -> String {
    let text = format!("{x:.decimals$}");
    match text.strip_prefix('-') {
        Some(unsigned) if unsigned.chars().all(|c| c == '0' || c == '.') => unsigned.to_owned(),
        _ => text,
    }
}

/// A cost with six significant digits, without trailing zeros.
fn significant(x: f64) -> String {
    let magnitude = x.abs();
    if !(1e-4..1e6).contains(&magnitude) {
        return if x == 0.0 || !x.is_finite() {
            shortest(x)
        } else {
            format!("{x:.5e}")
        };
    }
    let decimals = (5.0 - magnitude.log10().floor()).max(0.0) as usize;
    let text = format!("{x:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::engine::objective::FunctionObjective;
    use crate::engine::run::{Initialization, RunSettings};

    /// Gradient descent on w² + b² from (1, -2): every step multiplies w and b by
    /// 1 - 2·learning_rate; converged when the gradient is shorter than 1e-3.
    fn run(learning_rate: f64) -> Run {
        let objective = FunctionObjective::new("w^2 + b^2").expect("compiles");
        let settings = RunSettings {
            name: "a".to_owned(),
            learning_rate,
            init: Initialization::Manual { w: 1.0, b: -2.0 },
            grad_tol: Some(1e-3),
            max_iterations: 100,
            ..RunSettings::default()
        };
        let mut run = Run::new(Arc::new(objective), settings).expect("runs");
        run.run_to_end();
        run
    }

    fn expect(toml_text: &str) -> Expectation {
        toml::from_str(&format!("run = \"a\"\n{toml_text}")).expect("reads")
    }

    fn findings(toml_text: &str, learning_rate: f64) -> Vec<Finding> {
        let e = expect(toml_text);
        e.validate(&["a"]).expect("valid");
        e.check(&run(learning_rate))
    }

    fn holds(toml_text: &str, learning_rate: f64) -> bool {
        let found = findings(toml_text, learning_rate);
        assert!(!found.is_empty(), "{toml_text} claims something");
        found.iter().all(|f| f.holds)
    }

    // How a run stops: the outcome, exactly when, or by when.
    #[test]
    fn outcomes_and_when() {
        // 0.25 halves w and b: |gradient| = 2·sqrt(5)·0.5^t < 1e-3 first at t = 13.
        assert!(holds("outcome = \"converges\"\nat_iteration = 13", 0.25));
        assert!(holds("by_iteration = 13", 0.25));
        assert!(!holds("at_iteration = 12", 0.25));
        assert!(!holds("by_iteration = 12", 0.25));
        assert!(!holds("outcome = \"diverges\"", 0.25));
        assert!(holds("outcome = \"diverges\"", 1.5));
        assert!(holds(
            "outcome = \"reaches the limit\"\nat_iteration = 100",
            0.0001
        ));
        let text = &findings("outcome = \"diverges\"\nby_iteration = 5", 0.25)[0].text;
        assert_eq!(
            text,
            "run \"a\" converges at iteration 13, the lesson expects it to diverge by iteration 5"
        );
    }

    // Points, gradients and costs, at the end, at an iteration, or over a span.
    #[test]
    fn points_gradients_and_costs() {
        assert!(holds(
            "iteration = 1\nnear = [0.5, -1.0]\ntolerance = 1e-12",
            0.25
        ));
        assert!(holds(
            "iteration = 1\ngradient = [1.0, -2.0]\ntolerance = 1e-12",
            0.25
        ));
        assert!(!holds(
            "iteration = 1\nnear = [0.5, -1.01]\ntolerance = 0.005",
            0.25
        ));
        assert!(holds("near = [0.0, 0.0]", 0.25));
        // J = 5·0.25^t: 1.25 at iteration 1.
        assert!(holds(
            "iteration = 1\ncost_above = 1.2\ncost_below = 1.3",
            0.25
        ));
        assert!(!holds("iteration = 1\ncost_above = 1.3", 0.25));
        assert!(holds("iterations = [1, 3]\ncost_below = 1.3", 0.25));
        assert!(!holds("iterations = [0, 3]\ncost_below = 1.3", 0.25));
        let found = findings("iterations = [0, 3]\ncost_below = 1.3", 0.25);
        assert_eq!(
            found[0].text,
            "run \"a\" has J = 5 at iteration 0, the lesson expects J below 1.3 at every iteration from 0 to 3"
        );
        let found = findings("near = [0.5, 0.5]\ntolerance = 0.05", 0.25);
        assert_eq!(
            found[0].text,
            "run \"a\" ends at (0.000, 0.000), the lesson expects (0.5, 0.5) ± 0.05"
        );
        // An iteration after the run stopped cannot show what the lesson says.
        let found = findings("iteration = 50\nnear = [0.0, 0.0]", 0.25);
        assert!(!found[0].holds);
        assert!(
            found[0].text.contains("converges at iteration 13"),
            "{}",
            found[0].text
        );
    }

    // The first iteration within the tolerance of a point.
    #[test]
    fn first_near() {
        // Distance sqrt(5)·0.5^t <= 0.01 first at t = 8.
        assert!(holds("near = [0.0, 0.0]\nfirst_near_at = 8", 0.25));
        let found = findings("near = [0.0, 0.0]\nfirst_near_at = 7", 0.25);
        assert!(!found[0].holds);
        assert!(
            found[0].text.contains("at iteration 8"),
            "{}",
            found[0].text
        );
        let found = findings("near = [9.0, 9.0]\nfirst_near_at = 7", 0.25);
        assert!(
            found[0].text.contains("never comes within"),
            "{}",
            found[0].text
        );
    }

    // Fields that contradict each other or claim nothing are refused, naming the field.
    #[test]
    fn bad_expectations_name_their_field() {
        let cases = [
            ("near = [0.0, 0.0]", "run", "no run named `b`"),
            ("", "run", "needs a claim"),
            (
                "at_iteration = 3\nby_iteration = 4",
                "by_iteration",
                "not both",
            ),
            (
                "iteration = 3\niterations = [1, 2]\nnear = [0.0, 0.0]",
                "iterations",
                "not both",
            ),
            (
                "iterations = [5, 2]\nnear = [0.0, 0.0]",
                "iterations",
                "from <= to",
            ),
            (
                "iteration = 3\noutcome = \"converges\"",
                "iteration",
                "give one of them",
            ),
            (
                "first_near_at = 3\ncost_below = 1.0",
                "first_near_at",
                "give near",
            ),
            (
                "first_near_at = 3\niteration = 2\nnear = [0.0, 0.0]",
                "first_near_at",
                "leave out",
            ),
            (
                "tolerance = 0.1\ncost_below = 1.0",
                "tolerance",
                "`near` or `gradient`",
            ),
            ("tolerance = 0.0\nnear = [0.0, 0.0]", "tolerance", "above 0"),
            ("near = [nan, 0.0]", "near", "finite"),
            ("cost_below = inf", "cost_below", "finite"),
            (
                "cost_below = 1.0\ncost_above = 2.0",
                "cost_above",
                "cannot be above 2",
            ),
        ];
        for (text, field, needle) in cases {
            let mut e = expect(text);
            if needle.contains("no run") {
                e.run = "b".to_owned();
            }
            let err = e.validate(&["a"]).expect_err(text);
            assert_eq!(err.field.to_string(), field, "{text}: {err}");
            assert!(err.message.contains(needle), "{text}: {err}");
        }
    }

    // Lists of two are exactly two.
    #[test]
    fn pairs_have_two_numbers() {
        for text in [
            "near = [1.0]",
            "near = [1.0, 2.0, 3.0]",
            "iterations = [1, 2, 3]",
        ] {
            let err = toml::from_str::<Expectation>(&format!("run = \"a\"\n{text}"));
            assert!(err.is_err(), "{text}");
        }
    }

    // Printed numbers: no negative zero, costs to six significant digits.
    #[test]
    fn numbers_read_well() {
        assert_eq!(pair([-0.0001, 1.0], Some(3)), "(0.000, 1.000)");
        assert_eq!(significant(0.0574676123), "0.0574676");
        assert_eq!(significant(25.0), "25");
        assert_eq!(significant(2.0592441e-9), "2.05924e-9");
        assert_eq!(decimals_for(0.01), 3);
        assert_eq!(decimals_for(1e-6), 7);
    }
}
