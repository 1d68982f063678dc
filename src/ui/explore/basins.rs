//! Basins on the contour map: where the selected run's optimizer, with its current settings,
//! ends from every start of the shown region, recomputed in the background when anything
//! it depends on changes.

use std::sync::Arc;

use crate::engine::map::{Axis, AxisName, MapJob};
use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::{Domain, Point};

use super::outcome_map::{OutcomeMap, run_progressive};
use crate::ui::worker::Worker;

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
    worker: Worker<Arc<OutcomeMap>>,
    key: Option<Key>,
    /// The newest picture (possibly coarse).
    pub map: Option<Arc<OutcomeMap>>,
    texture: super::texture::LazyTexture,
    /// Why there is no picture (the run cannot be mapped), if so.
    pub error: Option<String>,
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
            worker: Worker::new(ctx),
            key: None,
            map: None,
            texture: super::texture::LazyTexture::new("basins"),
            error: None,
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
        match job {
            Ok(job) => {
                self.error = None;
                let job = Arc::new(job);
                self.worker.submit(move |w| run_progressive(job, w));
            }
            Err(e) => {
                self.worker.cancel();
                self.error = Some(e);
                self.map = None;
            }
        }
    }

    /// Takes a newer picture from the job, if one arrived.
    pub fn poll(&mut self) {
        if let Some(map) = self.worker.poll() {
            self.worker_result(map);
        }
    }

    /// Blocks until the newest picture is complete (tests, `--screenshot`).
    pub fn wait(&mut self) {
        if let Some(map) = self.worker.wait() {
            self.worker_result(map);
        }
    }

    fn worker_result(&mut self, map: Arc<OutcomeMap>) {
        self.texture.set(map.image.clone());
        self.map = Some(map);
    }

    /// Progress of the running job, if any.
    pub fn progress(&self) -> Option<f32> {
        self.worker.progress()
    }

    /// The picture to draw: its texture and the region its pixels cover (each start at a
    /// pixel's center).
    pub fn texture(&mut self, ctx: &egui::Context) -> Option<(egui::TextureId, Domain)> {
        let texture = self.texture.id(ctx)?;
        let map = self.map.as_ref()?;
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
        if self.key.is_none() && self.map.is_none() {
            return;
        }
        self.worker.cancel();
        self.key = None;
        self.map = None;
        self.texture.clear();
        self.error = None;
    }
}
