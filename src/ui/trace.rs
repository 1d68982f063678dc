//! A run's recorded history in the shapes the views draw: plot points for the path, and the
//! learning curve on each x axis. Built once per simulation, borrowed every frame.

use egui_plot::PlotPoint;

use crate::engine::scenario::CurveAxis;

/// How a simulated run ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Outcome {
    /// Not simulated (no valid problem yet).
    #[default]
    Pending,
    /// Met the convergence test after this many iterations.
    Converged(usize),
    /// J or the parameters became non-finite or exploded at this iteration.
    Diverged(usize),
    /// Stopped at the iteration limit.
    ReachedLimit(usize),
}

impl Outcome {
    /// The iteration the run stopped at, if it has stopped.
    pub fn stopped_at(self) -> Option<usize> {
        match self {
            Self::Pending => None,
            Self::Converged(t) | Self::Diverged(t) | Self::ReachedLimit(t) => Some(t),
        }
    }
}

/// One run's history for drawing.
#[derive(Clone, Debug, Default)]
pub struct Trace {
    /// (w, b) of the start (index 0) and after each iteration.
    pub path: Vec<PlotPoint>,
    /// J at each point of `path`.
    pub cost: Vec<f64>,
    /// The full-data gradient at each point.
    pub gradient: Vec<[f64; 2]>,
    /// Epochs completed at each point (fractional).
    pub epoch: Vec<f64>,
    /// Examples used so far at each point.
    pub examples_seen: Vec<f64>,
    /// How it ended.
    pub outcome: Outcome,
    /// The points where a line search or L-BFGS evaluated J besides the iterates, in order.
    pub trials: Vec<PlotPoint>,
    /// For each point of `path`, where the trials of the updates up to it end in `trials`
    /// (empty for rules that do not evaluate J themselves).
    pub trial_ends: Vec<usize>,
    /// ASGD's averaged parameters at each point of `path` (empty for other rules).
    pub average: Vec<PlotPoint>,
    /// The lowest finite J of the history (found once, when the trace is built).
    lowest_cost: Option<f64>,
    /// Learning-curve points for `curve_key`.
    curve: Vec<PlotPoint>,
    curve_key: Option<(CurveAxis, CostScale)>,
}

impl Trace {
    /// A trace from its columns (all the same length).
    pub fn new(
        path: Vec<PlotPoint>,
        cost: Vec<f64>,
        gradient: Vec<[f64; 2]>,
        epoch: Vec<f64>,
        examples_seen: Vec<f64>,
        outcome: Outcome,
    ) -> Self {
        let lowest_cost = cost
            .iter()
            .copied()
            .filter(|j| j.is_finite())
            .min_by(f64::total_cmp);
        Self {
            path,
            cost,
            gradient,
            epoch,
            examples_seen,
            outcome,
            trials: Vec::new(),
            trial_ends: Vec::new(),
            average: Vec::new(),
            lowest_cost,
            curve: Vec::new(),
            curve_key: None,
        }
    }

    /// The lowest finite J recorded (None when there is none).
    pub fn lowest_cost(&self) -> Option<f64> {
        self.lowest_cost
    }

    /// Index of the last recorded point.
    pub fn last_index(&self) -> usize {
        self.path.len().saturating_sub(1)
    }

    /// The path up to and including `iteration` (the whole path if it is shorter).
    pub fn path_until(&self, iteration: usize) -> &[PlotPoint] {
        let end = (iteration + 1).min(self.path.len());
        &self.path[..end]
    }

    /// The trial points up to the point shown at `iteration`, and how many of them (at the
    /// end) belong to the update that led to it.
    pub fn trials_until(&self, iteration: usize) -> (&[PlotPoint], usize) {
        let i = self.index_at(iteration);
        let end = self
            .trial_ends
            .get(i)
            .copied()
            .unwrap_or(0)
            .min(self.trials.len());
        let start = match i.checked_sub(1) {
            Some(previous) => self.trial_ends.get(previous).copied().unwrap_or(end),
            None => end,
        };
        (&self.trials[..end], end - start.min(end))
    }

    /// ASGD's averaged parameters at the point shown at `iteration`.
    pub fn average_at(&self, iteration: usize) -> Option<PlotPoint> {
        self.average.get(self.index_at(iteration)).copied()
    }

    /// Index of the point shown at `iteration`.
    pub fn index_at(&self, iteration: usize) -> usize {
        iteration.min(self.last_index())
    }

    /// x of a point on the chosen axis.
    pub fn x_at(&self, index: usize, axis: CurveAxis) -> f64 {
        match axis {
            CurveAxis::Iterations => index as f64,
            CurveAxis::Epochs => self.epoch.get(index).copied().unwrap_or(index as f64),
            CurveAxis::ExamplesSeen => self
                .examples_seen
                .get(index)
                .copied()
                .unwrap_or(index as f64),
        }
    }

    /// The learning curve on `axis` with heights from `scale` (see [`CostScale::y`]),
    /// rebuilt only when the axis or the scale changed. Costs with no height are left out.
    pub fn curve(&mut self, axis: CurveAxis, scale: CostScale) -> &[PlotPoint] {
        if self.curve_key != Some((axis, scale)) {
            self.curve.clear();
            for (i, &j) in self.cost.iter().enumerate() {
                if let Some(y) = scale.y(j) {
                    self.curve.push(PlotPoint::new(self.x_at(i, axis), y));
                }
            }
            if self.curve.len() > MAX_CURVE_POINTS {
                self.curve = decimate(&self.curve, MAX_CURVE_POINTS / 2);
            }
            self.curve_key = Some((axis, scale));
        }
        &self.curve
    }

    /// The curve last built by [`Trace::curve`] (empty before).
    pub fn cached_curve(&self) -> &[PlotPoint] {
        &self.curve
    }

    /// Forget the cached curve (after the history changed).
    pub fn invalidate_curve(&mut self) {
        self.curve_key = None;
    }
}

/// Longest learning curve drawn as is; longer ones keep each bucket's lowest and highest
/// point, so spikes survive while the plot stays fast.
pub const MAX_CURVE_POINTS: usize = 8000;

/// At most two points per bucket (its minimum and maximum, in order), `buckets` buckets,
/// plus the last point.
fn decimate(points: &[PlotPoint], buckets: usize) -> Vec<PlotPoint> {
    let size = points.len().div_ceil(buckets.max(1)).max(1);
    let mut out = Vec::with_capacity(2 * buckets + 1);
    for chunk in points.chunks(size) {
        let (mut lo, mut hi) = (0, 0);
        for (i, p) in chunk.iter().enumerate() {
            if p.y < chunk[lo].y {
                lo = i;
            }
            if p.y > chunk[hi].y {
                hi = i;
            }
        }
        let (a, b) = if lo <= hi { (lo, hi) } else { (hi, lo) };
        out.push(chunk[a]);
        if b != a {
            out.push(chunk[b]);
        }
    }
    if let (Some(last), Some(kept)) = (points.last(), out.last())
        && (last.x, last.y) != (kept.x, kept.y)
    {
        out.push(*last);
    }
    out
}

/// Where the log-scale learning curve's J_min comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MinSource {
    /// The problem's known global minimum.
    Known,
    /// The lowest J any run reached (the problem's minimum is not known).
    LowestSeen,
}

/// How a cost becomes a height on the learning curve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CostScale {
    /// y = J.
    Linear,
    /// y = log10(J - min), the way optimization papers plot the distance to the minimum;
    /// `min` is 0 (no source) when every J is positive and no minimum is known.
    Log {
        /// J_min.
        min: f64,
        /// Where `min` comes from (None: plain J, min = 0).
        source: Option<MinSource>,
    },
}

impl CostScale {
    /// The scale for the log toggle, the J - J_min toggle (`minus_min`), the problem's known
    /// minimum and the lowest J of the runs. On the log scale: J - J_min when asked for, or
    /// when some J is at or below zero (no logarithm there); J_min is the known minimum, else
    /// the lowest J seen. Otherwise (and when J_min is 0) J itself.
    pub fn choose(
        log: bool,
        minus_min: bool,
        known_min: Option<f64>,
        lowest_seen: Option<f64>,
    ) -> Self {
        if !log {
            return Self::Linear;
        }
        let known_min = known_min.filter(|m| m.is_finite());
        let needed = minus_min || lowest_seen.is_some_and(|j| j <= 0.0);
        let (min, source) = match (needed, known_min, lowest_seen) {
            (true, Some(min), _) => (min, MinSource::Known),
            (true, None, Some(lowest)) => (lowest, MinSource::LowestSeen),
            _ => (0.0, MinSource::Known),
        };
        Self::Log {
            min,
            // J - 0 is plain J.
            source: (min != 0.0).then_some(source),
        }
    }

    /// True for the log scale.
    pub fn is_log(self) -> bool {
        matches!(self, Self::Log { .. })
    }

    /// The height of a cost: J, or log10(J - J_min). On the log scale a cost at J_min
    /// (within rounding) or below is `-inf`, drawn on the plot's floor rather than left out.
    /// None for NaN and for infinite costs, which have no height.
    pub fn y(self, cost: f64) -> Option<f64> {
        if !cost.is_finite() {
            return None;
        }
        match self {
            Self::Linear => Some(cost),
            Self::Log { min, .. } => {
                let gap = cost - min;
                // Differences this small are rounding, not progress.
                let rounding = 8.0 * f64::EPSILON * cost.abs().max(min.abs());
                Some(if gap <= rounding {
                    f64::NEG_INFINITY
                } else {
                    gap.log10()
                })
            }
        }
    }

    /// The cost at height `y` (the inverse of [`CostScale::y`]; the floor is J_min).
    pub fn cost(self, y: f64) -> f64 {
        match self {
            Self::Linear => y,
            Self::Log { min, .. } => min + 10f64.powf(y),
        }
    }
}

/// The lowest J of the runs that did not diverge (of all runs when every one diverged): the
/// J_min of a problem whose minimum is not known.
pub fn lowest_cost<'a>(traces: impl IntoIterator<Item = &'a Trace>) -> Option<f64> {
    let (mut settled, mut all) = (None::<f64>, None::<f64>);
    for trace in traces {
        let Some(j) = trace.lowest_cost() else {
            continue;
        };
        all = Some(all.map_or(j, |a| a.min(j)));
        if !matches!(trace.outcome, Outcome::Diverged(_)) {
            settled = Some(settled.map_or(j, |s| s.min(j)));
        }
    }
    settled.or(all)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn trace() -> Trace {
        Trace::new(
            (0..4).map(|i| PlotPoint::new(i as f64, 0.0)).collect(),
            vec![100.0, 10.0, f64::NAN, 0.0],
            vec![[0.0; 2]; 4],
            vec![0.0, 0.5, 1.0, 1.5],
            vec![0.0, 2.0, 4.0, 6.0],
            Outcome::ReachedLimit(3),
        )
    }

    const LOG: CostScale = CostScale::Log {
        min: 0.0,
        source: None,
    };

    fn diverged(costs: &[f64]) -> Trace {
        Trace::new(
            vec![PlotPoint::new(0.0, 0.0); costs.len()],
            costs.to_vec(),
            vec![[0.0; 2]; costs.len()],
            vec![0.0; costs.len()],
            vec![0.0; costs.len()],
            Outcome::Diverged(costs.len() - 1),
        )
    }

    // The curve skips only NaN, keeps J = 0 on the log scale's floor, and follows the axis
    // choice.
    #[test]
    fn curve_on_each_axis() {
        let mut t = trace();
        let lin: Vec<(f64, f64)> = t
            .curve(CurveAxis::Iterations, CostScale::Linear)
            .iter()
            .map(|p| (p.x, p.y))
            .collect();
        assert_eq!(lin, vec![(0.0, 100.0), (1.0, 10.0), (3.0, 0.0)]);
        let log: Vec<(f64, f64)> = t
            .curve(CurveAxis::Epochs, LOG)
            .iter()
            .map(|p| (p.x, p.y))
            .collect();
        assert_eq!(log, vec![(0.0, 2.0), (0.5, 1.0), (1.5, f64::NEG_INFINITY)]);
        let seen: Vec<f64> = t
            .curve(CurveAxis::ExamplesSeen, CostScale::Linear)
            .iter()
            .map(|p| p.x)
            .collect();
        assert_eq!(seen, vec![0.0, 2.0, 6.0]);
        assert_eq!(t.lowest_cost(), Some(0.0));
    }

    // On the log scale J - J_min when asked for, or when some J is at or below zero; J_min
    // is the known minimum, else the lowest J seen. The linear scale never subtracts.
    #[test]
    fn choosing_j_min() {
        let known = |min| CostScale::Log {
            min,
            source: Some(MinSource::Known),
        };
        let lowest = |min| CostScale::Log {
            min,
            source: Some(MinSource::LowestSeen),
        };
        assert_eq!(
            CostScale::choose(false, true, Some(0.05), Some(-1.0)),
            CostScale::Linear
        );
        // Asked for.
        assert_eq!(
            CostScale::choose(true, true, Some(0.0563), Some(0.0563)),
            known(0.0563)
        );
        assert_eq!(CostScale::choose(true, true, None, Some(0.2)), lowest(0.2));
        // Not asked for: plain J while every J is positive.
        assert_eq!(
            CostScale::choose(true, false, Some(0.0563), Some(0.06)),
            LOG
        );
        // Costs at or below zero have no logarithm: J - J_min regardless.
        assert_eq!(
            CostScale::choose(true, false, None, Some(-0.183)),
            lowest(-0.183)
        );
        assert_eq!(
            CostScale::choose(true, false, Some(-0.79), Some(-0.5)),
            known(-0.79)
        );
        // J - 0 is J.
        assert_eq!(CostScale::choose(true, true, Some(0.0), Some(0.2)), LOG);
        assert_eq!(CostScale::choose(true, false, None, Some(0.0)), LOG);
        assert_eq!(CostScale::choose(true, true, Some(f64::NAN), None), LOG);
    }

    // Heights on the log scale: the distance to J_min in decades; J_min itself (up to
    // rounding) and anything below it is the floor; the inverse gives J back.
    #[test]
    fn log_heights() {
        let scale = CostScale::Log {
            min: -0.183,
            source: Some(MinSource::LowestSeen),
        };
        let y = scale.y(9.817).unwrap();
        assert!((y - 1.0).abs() < 1e-12, "{y}");
        assert!((scale.cost(y) - 9.817).abs() < 1e-12);
        assert_eq!(scale.y(-0.183), Some(f64::NEG_INFINITY));
        assert_eq!(scale.y(-0.183 + 1e-17), Some(f64::NEG_INFINITY));
        assert_eq!(scale.y(-0.5), Some(f64::NEG_INFINITY));
        assert_eq!(scale.cost(f64::NEG_INFINITY), -0.183);
        assert_eq!(scale.y(f64::INFINITY), None);
        assert_eq!(scale.y(f64::NAN), None);
        // With J_min = 0 a tiny positive J is a real value, not rounding.
        assert_eq!(LOG.y(1e-30), Some(-30.0));
    }

    // J_min of an unknown problem ignores a run that blew up downwards, unless all did.
    #[test]
    fn lowest_cost_skips_diverged_runs() {
        let runs = [trace(), diverged(&[1.0, -5.0, -1e30])];
        assert_eq!(lowest_cost(&runs), Some(0.0));
        let all_diverged = [diverged(&[1.0, 2.0]), diverged(&[3.0, -4.0, f64::NAN])];
        assert_eq!(lowest_cost(&all_diverged), Some(-4.0));
        assert_eq!(lowest_cost(&[] as &[Trace]), None);
    }

    // A very long curve is cut down but keeps its extremes and its end.
    #[test]
    fn long_curves_are_decimated() {
        let n = 100_000;
        let mut t = Trace {
            cost: (0..n)
                .map(|i| if i == 54_321 { 1e6 } else { 1.0 + i as f64 })
                .collect(),
            ..Trace::default()
        };
        let curve = t.curve(CurveAxis::Iterations, CostScale::Linear).to_vec();
        assert!(
            curve.len() <= MAX_CURVE_POINTS + 1,
            "{} points",
            curve.len()
        );
        assert!(curve.iter().any(|p| p.y == 1e6), "the spike survives");
        assert_eq!(curve.last().map(|p| p.x), Some((n - 1) as f64));
        assert!(curve.windows(2).all(|w| w[0].x < w[1].x), "still in order");
    }

    // The path shown at an iteration never runs past the recorded history.
    #[test]
    fn path_until_clamps() {
        let t = trace();
        assert_eq!(t.path_until(1).len(), 2);
        assert_eq!(t.path_until(99).len(), 4);
        assert_eq!(t.index_at(99), 3);
        assert!(Trace::default().path_until(5).is_empty());
    }
}
