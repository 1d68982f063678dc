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
    /// Learning-curve points for `curve_key`.
    curve: Vec<PlotPoint>,
    curve_key: Option<(CurveAxis, bool)>,
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
        Self {
            path,
            cost,
            gradient,
            epoch,
            examples_seen,
            outcome,
            curve: Vec::new(),
            curve_key: None,
        }
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

    /// The learning curve on `axis` (y = J, or log10 J when `log_cost`), rebuilt only when
    /// the axis choice changed. Non-finite and (in log scale) non-positive costs are left out.
    pub fn curve(&mut self, axis: CurveAxis, log_cost: bool) -> &[PlotPoint] {
        if self.curve_key != Some((axis, log_cost)) {
            self.curve.clear();
            for (i, &j) in self.cost.iter().enumerate() {
                if let Some(y) = curve_y(j, log_cost) {
                    self.curve.push(PlotPoint::new(self.x_at(i, axis), y));
                }
            }
            if self.curve.len() > MAX_CURVE_POINTS {
                self.curve = decimate(&self.curve, MAX_CURVE_POINTS / 2);
            }
            self.curve_key = Some((axis, log_cost));
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

/// A cost in plot units: J, or log10 J for the log scale (None when not drawable).
pub fn curve_y(cost: f64, log_cost: bool) -> Option<f64> {
    if !cost.is_finite() {
        None
    } else if log_cost {
        // Costs at or below zero have no logarithm; clamp tiny values so a run that
        // reaches the minimum exactly still shows.
        (cost > 0.0).then(|| cost.max(1e-300).log10())
    } else {
        Some(cost)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn trace() -> Trace {
        Trace {
            path: (0..4).map(|i| PlotPoint::new(i as f64, 0.0)).collect(),
            cost: vec![100.0, 10.0, f64::NAN, 0.0],
            epoch: vec![0.0, 0.5, 1.0, 1.5],
            examples_seen: vec![0.0, 2.0, 4.0, 6.0],
            ..Trace::default()
        }
    }

    // The curve skips what cannot be drawn and follows the axis choice.
    #[test]
    fn curve_on_each_axis() {
        let mut t = trace();
        let lin: Vec<(f64, f64)> = t
            .curve(CurveAxis::Iterations, false)
            .iter()
            .map(|p| (p.x, p.y))
            .collect();
        assert_eq!(lin, vec![(0.0, 100.0), (1.0, 10.0), (3.0, 0.0)]);
        let log: Vec<(f64, f64)> = t
            .curve(CurveAxis::Epochs, true)
            .iter()
            .map(|p| (p.x, p.y))
            .collect();
        assert_eq!(log, vec![(0.0, 2.0), (0.5, 1.0)]);
        let seen: Vec<f64> = t
            .curve(CurveAxis::ExamplesSeen, false)
            .iter()
            .map(|p| p.x)
            .collect();
        assert_eq!(seen, vec![0.0, 2.0, 6.0]);
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
        let curve = t.curve(CurveAxis::Iterations, false).to_vec();
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
