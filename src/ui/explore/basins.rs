//! Basins on the contour map: where the selected run's optimizer, with its current settings,
//! ends from every start of the shown region, recomputed in the background when anything
//! it depends on changes.

use std::sync::Arc;

use crate::engine::map::{Axis, AxisName, MapJob};
use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::{Domain, Point};

use super::outcome_map::MapView;

/// What the basin picture depends on.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    run: RunSettings,
    domain: Domain,
    resolution: usize,
    iterations: u64,
    minima: Vec<Point>,
}

/// The basin picture of the contour map and the job that computes it.
pub struct Basins {
    key: Option<Key>,
    /// The picture and its job.
    pub view: MapView,
}

/// What the basins are computed from.
pub struct BasinsRequest<'a> {
    /// The problem.
    pub objective: &'a Arc<dyn Objective>,
    /// Its version (a rebuilt problem recomputes).
    pub objective_version: u64,
    /// The selected run.
    pub run: &'a RunSettings,
    /// The known minima the runs can reach.
    pub minima: Vec<Point>,
    /// The region of starts.
    pub domain: Domain,
    /// Starts per side.
    pub resolution: usize,
    /// Iterations each start runs for (at most).
    pub iterations: u64,
}

impl Basins {
    /// No picture yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            key: None,
            view: MapView::new(ctx, "basins"),
        }
    }

    /// Starts a new picture when what it depends on changed.
    pub fn request(&mut self, r: BasinsRequest<'_>) {
        let mut run = r.run.clone();
        (run.id, run.color, run.visible) = (0, None, true);
        run.max_iterations = r.iterations;
        run.max_epochs = None;
        let key = Key {
            objective_version: r.objective_version,
            run,
            domain: r.domain,
            resolution: r.resolution,
            iterations: r.iterations,
            minima: r.minima,
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        let d = key.domain;
        let axis = |name, lo, hi| Axis {
            name,
            lo,
            hi,
            log: false,
            count: key.resolution,
        };
        let job = MapJob::new(
            Arc::clone(r.objective),
            key.run.clone(),
            axis(AxisName::W0, d.w_min, d.w_max),
            Some(axis(AxisName::B0, d.b_min, d.b_max)),
            key.minima.clone(),
            d,
        );
        self.key = Some(key);
        self.view.start(job);
    }

    /// The picture to draw: its texture and the region its pixels cover (each start at a
    /// pixel's center).
    pub fn texture(&mut self, ctx: &egui::Context) -> Option<(egui::TextureId, Domain)> {
        let texture = self.view.texture(ctx)?;
        let map = self.view.map.as_ref()?;
        let (x, y) = (map.job.x_axis(), map.job.y_axis()?);
        let half = |a: &Axis| 0.5 * (a.hi - a.lo) / (a.count.max(2) - 1) as f64;
        let (hx, hy) = (half(x), half(y));
        Some((
            texture,
            Domain::new(x.lo - hx, x.hi + hx, y.lo - hy, y.hi + hy),
        ))
    }

    /// Forgets the picture and stops its job (the toggle went off).
    pub fn clear(&mut self) {
        if self.key.is_none() && self.view.map.is_none() {
            return;
        }
        self.key = None;
        self.view.clear();
    }
}
