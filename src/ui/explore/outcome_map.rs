//! A map job run in the background for the app: outcomes arrive coarse first and the picture
//! is handed to the UI after each pass, so a map appears at once and sharpens.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use egui::{Color32, ColorImage};

use crate::engine::map::{CellOrder, CellOutcome, MapJob, MapSink, OutcomeShades};

use super::texture::LazyTexture;
use crate::ui::worker::{Job, Worker};

/// What a map job has finished so far, and its picture.
pub struct OutcomeMap {
    /// The job (its axes, base run and minima; it turns a cell into run settings).
    pub job: Arc<MapJob>,
    /// Columns (x values).
    pub columns: usize,
    /// Rows (y values; 1 for a sweep).
    pub rows: usize,
    /// Outcomes in the job's cell order (x fastest), None where not finished yet.
    pub cells: Vec<Option<CellOutcome>>,
    /// One pixel per cell, the top row the highest y; cells not finished take the color of
    /// the nearest finished cell of a coarser pass (transparent before the first).
    pub image: ColorImage,
    /// Every cell has finished.
    pub done: bool,
    /// The colors of this map's outcomes (for its legend).
    pub shades: OutcomeShades,
}

impl OutcomeMap {
    /// The outcome at column `c`, row `r`, if finished.
    pub fn cell(&self, c: usize, r: usize) -> Option<&CellOutcome> {
        self.cells.get(r * self.columns + c)?.as_ref()
    }

    fn new(job: Arc<MapJob>, cells: Vec<Option<CellOutcome>>, done: bool) -> Self {
        let columns = job.x_axis().count;
        let rows = job.y_axis().map_or(1, |y| y.count);
        let shades = OutcomeShades::new(cells.iter().flatten(), job.minima().len());
        let mut pixels = vec![Color32::TRANSPARENT; columns * rows];
        for r in 0..rows {
            for c in 0..columns {
                // The finest pass that has a cell covering this one.
                let found = [1, 2, 4, 8, 16].iter().find_map(|&s| {
                    cells
                        .get((r / s * s) * columns + c / s * s)
                        .and_then(Option::as_ref)
                });
                if let Some(cell) = found {
                    let [red, green, blue] = shades.color(cell);
                    pixels[(rows - 1 - r) * columns + c] = Color32::from_rgb(red, green, blue);
                }
            }
        }
        Self {
            image: ColorImage::new([columns, rows], pixels),
            job,
            columns,
            rows,
            cells,
            done,
            shades,
        }
    }
}

/// Runs `job` on the current rayon pool, coarse pass first, emitting the map after each pass
/// and at the end. Returns early when the worker's job is superseded or cancelled. In the
/// browser build the cells run in slices of about [`SLICE_TIME`], one per frame.
pub fn run_progressive(job: Arc<MapJob>, worker: &Job<Arc<OutcomeMap>>) {
    let total = job.cell_count();
    let columns = job.x_axis().count;
    let rows = job.y_axis().map_or(1, |y| y.count);
    // The cells of the passes with stride 16, 8, 4 and 2 (CellOrder::CoarseFirst).
    let mut thresholds: Vec<usize> = [16, 8, 4, 2]
        .iter()
        .map(|&s| columns.div_ceil(s) * rows.div_ceil(s))
        .filter(|&n| n < total)
        .collect();
    thresholds.dedup();
    let shared = Arc::new(Shared {
        cells: Mutex::new(vec![None; total]),
        finished: AtomicUsize::new(0),
        thresholds,
        pass: AtomicUsize::new(0),
    });
    let order = Arc::new(job.order(CellOrder::CoarseFirst));
    run_slice(job, shared, order, 0, FIRST_SLICE, worker);
}

/// How long one slice of a map should take in the browser build (a frame's worth).
const SLICE_TIME: f64 = 0.015;

/// Cells in the first slice: one lockstep block.
const FIRST_SLICE: usize = crate::engine::map::LANES;

/// Runs the cells `order[from..]`: all of them on the desktop; in the browser `size` of them,
/// then the rest in a later slice sized from how long this one took.
fn run_slice(
    job: Arc<MapJob>,
    shared: Arc<Shared>,
    order: Arc<Vec<usize>>,
    from: usize,
    size: usize,
    worker: &Job<Arc<OutcomeMap>>,
) {
    let to = if cfg!(target_arch = "wasm32") {
        (from + size).min(order.len())
    } else {
        order.len()
    };
    let sink = Progressive {
        job: &job,
        shared: &shared,
        worker,
    };
    let started = web_time::Instant::now();
    if job
        .run_cells(&order[from..to], false, Some(worker.cancel_flag()), &sink)
        .is_err()
    {
        return;
    }
    if to < order.len() {
        let took = started.elapsed().as_secs_f64().max(1e-4);
        let next = ((size as f64) * SLICE_TIME / took).clamp(8.0, (4 * size) as f64) as usize;
        worker.then(move |w| run_slice(job, shared, order, to, next, w));
        return;
    }
    let cells = std::mem::take(&mut *shared.cells.lock().unwrap_or_else(PoisonError::into_inner));
    worker.emit(Arc::new(OutcomeMap::new(Arc::clone(&job), cells, true)));
}

/// What the slices of one map share: the outcomes so far and the passes reported.
struct Shared {
    cells: Mutex<Vec<Option<CellOutcome>>>,
    finished: AtomicUsize,
    thresholds: Vec<usize>,
    /// The next threshold to report at.
    pass: AtomicUsize,
}

struct Progressive<'a> {
    job: &'a Arc<MapJob>,
    shared: &'a Shared,
    worker: &'a Job<Arc<OutcomeMap>>,
}

impl MapSink for Progressive<'_> {
    fn finished(&self, cells: &[(usize, CellOutcome)]) {
        let shared = self.shared;
        let mut all = shared.cells.lock().unwrap_or_else(PoisonError::into_inner);
        for &(cell, outcome) in cells {
            if let Some(slot) = all.get_mut(cell) {
                *slot = Some(outcome);
            }
        }
        let done = shared.finished.fetch_add(cells.len(), Ordering::Relaxed) + cells.len();
        self.worker
            .set_progress(done as f32 / all.len().max(1) as f32);
        let pass = shared.pass.load(Ordering::Relaxed);
        let due = shared.thresholds.get(pass).is_some_and(|&t| done >= t);
        if due {
            let next = shared.thresholds.iter().take_while(|&&t| done >= t).count();
            shared.pass.store(next, Ordering::Relaxed);
            let snapshot = all.clone();
            drop(all);
            let map = OutcomeMap::new(Arc::clone(self.job), snapshot, false);
            self.worker.emit(Arc::new(map));
        }
    }
}

/// A map job of one view run in the background: the newest picture, its texture, and why
/// there is none.
pub struct MapView {
    worker: Worker<Arc<OutcomeMap>>,
    /// The newest picture (possibly coarse).
    pub map: Option<Arc<OutcomeMap>>,
    texture: LazyTexture,
    /// Why there is no picture (the run cannot be mapped so), if so.
    pub error: Option<String>,
}

impl MapView {
    /// No picture yet; results wake `ctx`; `name` names the texture.
    pub fn new(ctx: Option<egui::Context>, name: &'static str) -> Self {
        Self {
            worker: Worker::new(ctx),
            map: None,
            texture: LazyTexture::new(name),
            error: None,
        }
    }

    /// Runs `job` (its picture replaces the current one as it arrives), or keeps its error.
    pub fn start(&mut self, job: Result<MapJob, String>) {
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
            self.take(map);
        }
    }

    /// Blocks until the newest picture is complete (tests, `--screenshot`).
    pub fn wait(&mut self) {
        if let Some(map) = self.worker.wait() {
            self.take(map);
        }
    }

    fn take(&mut self, map: Arc<OutcomeMap>) {
        self.texture.set(map.image.clone());
        self.map = Some(map);
    }

    /// Progress of the running job, if any.
    pub fn progress(&self) -> Option<f32> {
        self.worker.progress()
    }

    /// Stops the running job (the picture so far stays).
    pub fn cancel(&mut self) {
        self.worker.cancel();
    }

    /// The picture's texture for `ctx`.
    pub fn texture(&mut self, ctx: &egui::Context) -> Option<egui::TextureId> {
        self.texture.id(ctx)
    }

    /// Stops the job and forgets the picture.
    pub fn clear(&mut self) {
        self.worker.cancel();
        self.map = None;
        self.texture.clear();
        self.error = None;
    }
}
