//! What the learning curve shows by default: the ranges the runs that did not diverge fill,
//! where a diverged run's line leaves them, and the drawn point nearest the pointer.

use egui::Pos2;
use egui_plot::PlotPoint;

/// One run's curve for fitting the window: plot coordinates, y = -inf at J_min (log scale).
#[derive(Clone, Copy, Debug)]
pub struct RunPoints<'a> {
    /// The curve.
    pub points: &'a [PlotPoint],
    /// The run blew up.
    pub diverged: bool,
}

/// How far past the other runs' range a diverged run's first points still count: one
/// decade on the log scale, half the range on the linear one.
const LOG_SLACK: f64 = 1.0;
const LINEAR_SLACK: f64 = 0.5;

/// The ranges of the default view.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Window {
    /// Smallest and largest x of the points in view.
    pub x: [f64; 2],
    /// Lowest and highest y of the points in view, the floor included.
    pub y: [f64; 2],
    /// The height points at J_min are drawn at (log scale, one decade below the lowest
    /// other point), when some run reaches J_min.
    pub floor: Option<f64>,
    /// Every run with points diverged: the window holds all of them, nothing is cut.
    pub every_run_diverged: bool,
}

/// Smallest and largest values seen.
#[derive(Clone, Copy, Debug, Default)]
struct Extent {
    x: Option<[f64; 2]>,
    y: Option<[f64; 2]>,
    floor: bool,
}

fn widen(range: &mut Option<[f64; 2]>, v: f64) {
    let r = range.get_or_insert([v, v]);
    r[0] = r[0].min(v);
    r[1] = r[1].max(v);
}

impl Extent {
    fn add(&mut self, p: &PlotPoint) {
        if p.x.is_finite() {
            widen(&mut self.x, p.x);
        }
        if p.y == f64::NEG_INFINITY {
            self.floor = true;
        } else if p.y.is_finite() {
            widen(&mut self.y, p.y);
        }
    }
}

impl Window {
    /// The window for `runs` on a log (`log`) or linear cost axis: the y range of the runs
    /// that did not diverge, plus a diverged run's first points while they stay within
    /// [`LOG_SLACK`] or [`LINEAR_SLACK`] of it. When every run diverged, all their points.
    /// None when no run has a point.
    pub fn fit(runs: &[RunPoints<'_>], log: bool) -> Option<Self> {
        let mut extent = Extent::default();
        for run in runs.iter().filter(|r| !r.diverged) {
            run.points.iter().for_each(|p| extent.add(p));
        }
        let every_run_diverged = extent.y.is_none()
            && !extent.floor
            && runs.iter().any(|r| r.diverged && !r.points.is_empty());
        if every_run_diverged {
            for run in runs {
                run.points.iter().for_each(|p| extent.add(p));
            }
        } else if let Some([lo, hi]) = extent.y {
            let slack = if log {
                LOG_SLACK
            } else {
                LINEAR_SLACK * (hi - lo)
            };
            for run in runs.iter().filter(|r| r.diverged) {
                for p in run.points {
                    let sane = p.y == f64::NEG_INFINITY || (lo - slack..=hi + slack).contains(&p.y);
                    if !sane {
                        // The line heads for this point as it leaves.
                        if p.x.is_finite() {
                            widen(&mut extent.x, p.x);
                        }
                        break;
                    }
                    extent.add(p);
                }
            }
        }
        let x = extent.x?;
        let [lo, hi] = match extent.y {
            Some(y) => y,
            // Only points at J_min: one decade above them.
            None if extent.floor => [0.0, 0.0],
            None => return None,
        };
        let floor = (extent.floor && log).then_some(lo - 1.0);
        let mut y = [floor.unwrap_or(lo), hi];
        if y[1] - y[0] <= 0.0 {
            let pad = if log {
                0.5
            } else if hi != 0.0 {
                hi.abs() * 0.1
            } else {
                1.0
            };
            y = [y[0] - pad, y[1] + pad];
        }
        // A lone x gets one unit each side, but never below 0: every x axis counts
        // iterations, epochs or examples.
        let x = if x[1] > x[0] {
            x
        } else {
            [(x[0] - 1.0).max(0.0), x[1] + 1.0]
        };
        Some(Self {
            x,
            y,
            floor,
            every_run_diverged,
        })
    }

    /// True when a diverged run has points above (`[0]`) or below (`[1]`) the window, so
    /// its line leaves the plot there.
    pub fn exits(&self, runs: &[RunPoints<'_>]) -> [bool; 2] {
        let mut exits = [false; 2];
        if self.every_run_diverged {
            return exits;
        }
        for run in runs.iter().filter(|r| r.diverged) {
            for p in run.points {
                if p.y > self.y[1] {
                    exits[0] = true;
                    break;
                }
                if p.y < self.y[0] && (p.y.is_finite() || self.floor.is_none()) {
                    exits[1] = true;
                    break;
                }
            }
        }
        exits
    }
}

/// Where a diverged run's line leaves the plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Exit {
    /// The point on the plot's edge where the line crosses it.
    pub at: PlotPoint,
    /// Leaves through the top (else the bottom).
    pub up: bool,
}

/// Fills `out` with the drawable part of one run's curve: points at J_min on the `floor`;
/// a diverged run (`cut`) up to where it crosses `edges` (lowest, highest y), the crossing
/// point last. Returns that crossing.
pub fn clip_into(
    out: &mut Vec<PlotPoint>,
    points: &[PlotPoint],
    cut: bool,
    floor: Option<f64>,
    edges: [f64; 2],
) -> Option<Exit> {
    out.clear();
    for p in points {
        let y = match (p.y == f64::NEG_INFINITY, floor) {
            (true, Some(floor)) => floor,
            _ => p.y,
        };
        let up = y > edges[1];
        if cut && (up || y < edges[0]) {
            let edge = if up { edges[1] } else { edges[0] };
            let x = match out.last() {
                Some(q) if y.is_finite() && y != q.y => {
                    q.x + (p.x - q.x) * (edge - q.y) / (y - q.y)
                }
                _ => p.x,
            };
            let at = PlotPoint::new(x, edge);
            out.push(at);
            return Some(Exit { at, up });
        }
        if y.is_finite() {
            out.push(PlotPoint::new(p.x, y));
        }
    }
    None
}

/// The point of `lines` nearest to `pointer` on screen, as (line, point) indices.
pub fn nearest<'a>(
    lines: impl IntoIterator<Item = &'a [PlotPoint]>,
    to_screen: impl Fn(&PlotPoint) -> Pos2,
    pointer: Pos2,
) -> Option<(usize, usize)> {
    let mut best: Option<(f32, usize, usize)> = None;
    for (line, points) in lines.into_iter().enumerate() {
        for (i, p) in points.iter().enumerate() {
            let d = to_screen(p).distance_sq(pointer);
            if d.is_finite() && best.is_none_or(|(b, _, _)| d < b) {
                best = Some((d, line, i));
            }
        }
    }
    best.map(|(_, line, i)| (line, i))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn run(points: &[PlotPoint], diverged: bool) -> RunPoints<'_> {
        RunPoints { points, diverged }
    }

    fn pts(ys: &[f64]) -> Vec<PlotPoint> {
        ys.iter()
            .enumerate()
            .map(|(i, &y)| PlotPoint::new(i as f64, y))
            .collect()
    }

    // Lesson 4's shape: two runs settle between 3 and 0.056, a third climbs to 2e16. The
    // window holds the two (and the third's first step, still in range), not the blow-up.
    #[test]
    fn diverged_runs_do_not_stretch_the_window() {
        let slow = pts(&[3.0, 1.0, 0.5, 0.0597]);
        let good = pts(&[3.0, 0.2, 0.0563, 0.0563]);
        let wild = pts(&[3.0, 4.0, 7.0, 50.0, 2e16]);
        let runs = [run(&slow, false), run(&good, false), run(&wild, true)];
        let w = Window::fit(&runs, false).unwrap();
        assert_eq!(w.y, [0.0563, 4.0]);
        assert_eq!(w.x, [0.0, 3.0]);
        assert!(!w.every_run_diverged);
        assert_eq!(w.exits(&runs), [true, false]);
        // Cut at an edge of 5: the line climbs from 4 (x = 1) to 7 (x = 2), crossing 5 a
        // third of the way.
        let mut out = Vec::new();
        let exit = clip_into(&mut out, &wild, true, None, [0.0, 5.0]).unwrap();
        assert!(exit.up);
        assert!((exit.at.x - 4.0 / 3.0).abs() < 1e-12);
        assert_eq!(exit.at.y, 5.0);
        assert_eq!(out.len(), 3);
        // A run that did not diverge is never cut.
        assert_eq!(clip_into(&mut out, &slow, false, None, [0.0, 5.0]), None);
        assert_eq!(out.len(), 4);
    }

    // On the log scale a diverged run counts while within a decade of the others; points at
    // J_min sit one decade below the lowest other point.
    #[test]
    fn log_window_with_a_floor() {
        let good = pts(&[0.5, -1.0, -3.0, f64::NEG_INFINITY]);
        let wild = pts(&[0.5, 1.2, 1.8, 16.0]);
        let runs = [run(&good, false), run(&wild, true)];
        let w = Window::fit(&runs, true).unwrap();
        assert_eq!(w.floor, Some(-4.0));
        assert_eq!(w.y, [-4.0, 1.2]);
        let mut out = Vec::new();
        assert_eq!(
            clip_into(&mut out, &good, false, w.floor, [-4.5, 2.0]),
            None
        );
        assert_eq!(out.last().map(|p| p.y), Some(-4.0), "drawn on the floor");
    }

    // When every run diverged the window holds them all and nothing leaves it.
    #[test]
    fn every_run_diverged() {
        let a = pts(&[1.0, 10.0, 1e6]);
        let b = pts(&[2.0, f64::NAN]);
        let runs = [run(&a, true), run(&b, true)];
        let w = Window::fit(&runs, false).unwrap();
        assert!(w.every_run_diverged);
        assert_eq!(w.y, [1.0, 1e6]);
        assert_eq!(w.exits(&runs), [false, false]);
        assert_eq!(Window::fit(&[], false), None);
    }

    // A flat curve still gets a range to draw in.
    #[test]
    fn flat_curves_get_a_range() {
        let flat = pts(&[2.0, 2.0]);
        let runs = [run(&flat, false)];
        assert_eq!(Window::fit(&runs, false).unwrap().y, [1.8, 2.2]);
        assert_eq!(Window::fit(&runs, true).unwrap().y, [1.5, 2.5]);
    }

    // Before the first update (a lesson in prediction mode at iteration 0) every run has
    // one point, at x = 0: the window spans one iteration, epoch or example forward, not
    // back to -1 of them.
    #[test]
    fn a_first_point_alone_looks_forward() {
        let start = pts(&[3.0]);
        let runs = [run(&start, false), run(&start, false)];
        assert_eq!(Window::fit(&runs, true).unwrap().x, [0.0, 1.0]);
        let later = [PlotPoint::new(5.0, 1.0)];
        assert_eq!(
            Window::fit(&[run(&later, false)], true).unwrap().x,
            [4.0, 6.0]
        );
    }

    // The nearest point is found on screen, across every line.
    #[test]
    fn snapping_to_the_nearest_point() {
        let a = pts(&[0.0, 1.0, 2.0]);
        let b = pts(&[5.0, 5.0]);
        // 100 points per unit of x, 10 per unit of y (y up).
        let to_screen = |p: &PlotPoint| Pos2::new(p.x as f32 * 100.0, 200.0 - p.y as f32 * 10.0);
        let lines = [a.as_slice(), b.as_slice()];
        assert_eq!(
            nearest(lines, to_screen, Pos2::new(190.0, 185.0)),
            Some((0, 2))
        );
        assert_eq!(
            nearest(lines, to_screen, Pos2::new(90.0, 150.0)),
            Some((1, 1))
        );
        assert_eq!(nearest([], to_screen, Pos2::ZERO), None);
    }
}
