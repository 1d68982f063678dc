//! The sampled surface the contour view draws: computed in the background (coarse first,
//! then fine), turned into a heat-map texture and plot-ready contour lines on arrival.
//!
//! A view never shows another problem's surface: when the problem changes, the old surface
//! is dropped at once. The coarse pass of a cheap problem is made right away (the new
//! surface is there in the same frame); a costly one (a large dataset) shows a small
//! preview first, labelled as such, and says how far the computation is in words.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use egui::{Color32, ColorImage, TextureHandle, TextureOptions};
use egui_plot::PlotPoint;

use crate::engine::objective::Objective;
use crate::engine::surface::{Colormap, Grid, GridError, GridSampler, LevelSpacing, ValueScale};
use crate::engine::surface::{contour_lines, levels};
use crate::engine::{Domain, Point};

use super::palette;
use super::worker::{Job, Worker};

/// Samples per axis of the quick first pass.
pub const COARSE_RESOLUTION: usize = 48;
/// Samples per axis of the first pass of a costly problem: a preview shown at once.
pub const PREVIEW_RESOLUTION: usize = 32;
/// A coarse pass costing at most this many example evaluations is made on the UI thread
/// (a millisecond or two), so the new surface replaces the old one in the same frame.
const SYNC_COARSE_WORK: usize = 500_000;
/// A surface costing more than this many example evaluations reports its progress in words.
const SLOW_WORK: usize = 20_000_000;
/// Samples per axis of the final pass.
pub const FINE_RESOLUTION: usize = 256;
/// Arrows per axis of the gradient field.
const FIELD_RESOLUTION: usize = 15;

/// What to sample: the objective (with a number that changes whenever it does), the domain
/// and the contour levels.
#[derive(Clone)]
pub struct SurfaceRequest {
    /// The problem.
    pub objective: Arc<dyn Objective>,
    /// Changes whenever `objective` does.
    pub objective_version: u64,
    /// Region sampled (valid).
    pub domain: Domain,
    /// Number of contour levels.
    pub levels: usize,
    /// Spacing of the levels.
    pub spacing: LevelSpacing,
}

impl SurfaceRequest {
    fn key(&self) -> SurfaceKey {
        SurfaceKey {
            objective_version: self.objective_version,
            domain: self.domain,
            levels: self.levels,
            spacing: self.spacing,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct SurfaceKey {
    objective_version: u64,
    domain: Domain,
    levels: usize,
    spacing: LevelSpacing,
}

/// One computed surface (coarse or fine).
pub struct SurfaceResult {
    key: SurfaceKey,
    /// J on the grid.
    pub grid: Arc<Grid>,
    /// The contour levels.
    pub levels: Vec<f64>,
    /// Contour polylines: level index and points.
    pub contours: Vec<(usize, Vec<PlotPoint>)>,
    /// Negative-gradient arrows on a coarse grid: `(origin, tip)`.
    pub field: Vec<(Point, Point)>,
    /// True for the final (fine) pass.
    pub fine: bool,
}

impl SurfaceResult {
    /// The version of the objective this surface was sampled from.
    pub fn objective_version(&self) -> u64 {
        self.key.objective_version
    }
}

/// The surface shown, the texture made from it, and the worker computing the next one.
pub struct SurfaceCache {
    worker: Worker<SurfaceResult>,
    requested: Option<SurfaceKey>,
    /// The newest surface received.
    pub current: Option<SurfaceResult>,
    texture: Option<TextureHandle>,
    texture_key: Option<(usize, Colormap, ValueScale)>,
    /// Counts received results (the texture is rebuilt when this changes).
    received: usize,
    /// Field arrows as plot points: origins and tips.
    pub field_origins: Vec<PlotPoint>,
    /// Tips of the field arrows.
    pub field_tips: Vec<PlotPoint>,
    /// True when the running computation is slow enough to report in words.
    slow: bool,
}

impl SurfaceCache {
    /// An empty cache whose worker wakes `ctx` when results arrive.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            worker: Worker::new(ctx),
            requested: None,
            current: None,
            texture: None,
            texture_key: None,
            received: 0,
            field_origins: Vec::new(),
            field_tips: Vec::new(),
            slow: false,
        }
    }

    /// Starts computing `request` unless it is what was last requested. When only the
    /// levels changed, the current grid is reused.
    pub fn request(&mut self, request: SurfaceRequest) {
        let key = request.key();
        if self.requested == Some(key) {
            return;
        }
        self.requested = Some(key);
        if self
            .current
            .as_ref()
            .is_some_and(|c| c.key.objective_version != key.objective_version)
        {
            // Another problem's surface: gone at once, whatever the new one costs.
            self.current = None;
            self.field_origins.clear();
            self.field_tips.clear();
            self.received += 1;
        }
        let reuse = self.current.as_ref().filter(|c| {
            c.fine && c.key.objective_version == key.objective_version && c.key.domain == key.domain
        });
        let grid = reuse.map(|c| Arc::clone(&c.grid));
        let per_cell = 1 + request.objective.full_evaluation_examples();
        let mut passes = match grid {
            Some(_) => vec![FINE_RESOLUTION],
            None if per_cell > 1 && PREVIEW_RESOLUTION.pow(2) * per_cell > SYNC_COARSE_WORK => {
                vec![PREVIEW_RESOLUTION, FINE_RESOLUTION]
            }
            None => vec![COARSE_RESOLUTION, FINE_RESOLUTION],
        };
        if grid.is_none() && COARSE_RESOLUTION.pow(2) * per_cell <= SYNC_COARSE_WORK {
            // Cheap: the coarse pass now, on this thread.
            if let Ok(Some(result)) = sample_pass(&request, COARSE_RESOLUTION) {
                self.accept(result);
            }
            passes.remove(0);
        }
        let work: usize = passes.iter().map(|n| n * n).sum::<usize>() * per_cell;
        self.slow = grid.is_none() && work > SLOW_WORK;
        self.worker
            .submit(move |job| compute(job, &request, grid, &passes));
    }

    /// Takes any finished result; true when the shown surface changed.
    pub fn poll(&mut self) -> bool {
        let Some(result) = self.worker.poll() else {
            return false;
        };
        self.accept(result);
        true
    }

    /// Blocks until the newest request is done (tests and `--screenshot`).
    pub fn wait(&mut self) {
        if let Some(result) = self.worker.wait() {
            self.accept(result);
        }
    }

    /// Shows a finished result: the surface and its gradient-field arrows.
    fn accept(&mut self, result: SurfaceResult) {
        let (origins, tips) = result
            .field
            .iter()
            .map(|(o, t)| (PlotPoint::new(o[0], o[1]), PlotPoint::new(t[0], t[1])))
            .unzip();
        self.field_origins = origins;
        self.field_tips = tips;
        self.current = Some(result);
        self.received += 1;
    }

    /// Progress of the running computation, `None` when idle.
    pub fn progress(&self) -> Option<f32> {
        self.worker.progress()
    }

    /// True when the shown surface is not the final one for the newest request.
    pub fn is_busy(&self) -> bool {
        self.worker.is_busy()
    }

    /// While a slow surface computes, what is shown and how far the computation is, in
    /// words: "surface 40%", or "preview 32x32, surface 40%" over a coarse preview.
    pub fn status(&self) -> Option<String> {
        let progress = self.progress().filter(|_| self.slow)?;
        let percent = format!("surface {:.0}%", progress * 100.0);
        Some(match &self.current {
            Some(c) if !c.fine => format!("preview {}x{}, {percent}", c.grid.n_w, c.grid.n_b),
            _ => percent,
        })
    }

    /// The heat-map texture for the current surface in `colormap` and `scale`, made (once)
    /// when either changes.
    pub fn texture(
        &mut self,
        ctx: &egui::Context,
        colormap: Colormap,
        scale: ValueScale,
    ) -> Option<&TextureHandle> {
        let current = self.current.as_ref()?;
        let key = (self.received, colormap, scale);
        if self.texture_key != Some(key) || self.texture.is_none() {
            let image = heat_map_image(&current.grid, colormap, scale);
            match &mut self.texture {
                Some(handle) => handle.set(image, TextureOptions::LINEAR),
                None => {
                    self.texture = Some(ctx.load_texture("heat-map", image, TextureOptions::LINEAR))
                }
            }
            self.texture_key = Some(key);
        }
        self.texture.as_ref()
    }
}

/// Samples the passes in turn (reusing `reuse` for a fine grid already made), emitting each
/// and reporting progress by cells over all passes.
fn compute(
    job: &Job<SurfaceResult>,
    request: &SurfaceRequest,
    reuse: Option<Arc<Grid>>,
    passes: &[usize],
) {
    let total: usize = passes.iter().map(|n| n * n).sum::<usize>().max(1);
    let done = AtomicUsize::new(0);
    let report = |cells: usize| {
        let now = done.fetch_add(cells, Ordering::Relaxed) + cells;
        job.set_progress(now as f32 / total as f32);
    };
    let mut field = None;
    for (pass, &n) in passes.iter().enumerate() {
        if job.is_stale() {
            return;
        }
        let fine = pass + 1 == passes.len();
        let result = match &reuse {
            Some(grid) => Ok(Some(finish(request, Arc::clone(grid), fine, field.take()))),
            None => sample_pass_with(request, n, fine, Some(job), &report, field.take()),
        };
        match result {
            Ok(Some(result)) => {
                field = Some(result.field.clone());
                job.emit(result);
            }
            // Cancelled (superseded) or an invalid domain: nothing to show.
            Ok(None) | Err(_) => return,
        }
        done.store(
            passes[..=pass].iter().map(|n| n * n).sum(),
            Ordering::Relaxed,
        );
        job.set_progress(done.load(Ordering::Relaxed) as f32 / total as f32);
    }
}

/// A coarse pass on this thread, with no progress report.
fn sample_pass(request: &SurfaceRequest, n: usize) -> Result<Option<SurfaceResult>, GridError> {
    sample_pass_with(request, n, false, None, &|_| {}, None)
}

/// Samples an `n` x `n` grid (cancelled when `job` is superseded) and makes its levels,
/// contour lines and, unless given, gradient-field arrows.
fn sample_pass_with(
    request: &SurfaceRequest,
    n: usize,
    fine: bool,
    job: Option<&Job<SurfaceResult>>,
    report: &(dyn Fn(usize) + Sync),
    field: Option<Vec<(Point, Point)>>,
) -> Result<Option<SurfaceResult>, GridError> {
    let sampler = GridSampler::new(request.domain, n, n).progress(report);
    let sampled = match job {
        Some(job) => sampler
            .cancel_flag(job.cancel_flag())
            .sample_cancellable(&*request.objective)?,
        None => Some(sampler.sample(&*request.objective)?),
    };
    Ok(sampled.map(|grid| finish(request, Arc::new(grid), fine, field)))
}

/// A sampled grid made ready to draw: levels, contour lines and gradient-field arrows.
fn finish(
    request: &SurfaceRequest,
    grid: Arc<Grid>,
    fine: bool,
    field: Option<Vec<(Point, Point)>>,
) -> SurfaceResult {
    let levels = levels(
        request.spacing,
        request
            .levels
            .min(*crate::engine::limits::LEVELS_RANGE.end()),
        &grid,
    );
    let contours = contour_lines(&grid, &levels)
        .into_iter()
        .filter_map(|line| {
            let index = levels.iter().position(|&l| l == line.level)?;
            Some((index, thin_polyline(&line.points, request.domain)))
        })
        .collect();
    let field = field.unwrap_or_else(|| gradient_field(&*request.objective, request.domain));
    SurfaceResult {
        key: request.key(),
        grid,
        levels,
        contours,
        field,
        fine,
    }
}

/// Unit-length negative-gradient arrows on a coarse grid (direction only: lengths would
/// span decades).
fn gradient_field(objective: &dyn Objective, domain: Domain) -> Vec<(Point, Point)> {
    let n = FIELD_RESOLUTION;
    let cell_w = domain.w_span() / n as f64;
    let cell_b = domain.b_span() / n as f64;
    let mut arrows = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let p = [
                domain.w_min + (j as f64 + 0.5) * cell_w,
                domain.b_min + (i as f64 + 0.5) * cell_b,
            ];
            let (_, g) = objective.value_gradient(p);
            // Scale each component to the cell so the arrow reads the same on any domain.
            let d = [-g[0] / cell_w, -g[1] / cell_b];
            let norm = d[0].hypot(d[1]);
            if norm.is_finite() && norm > 0.0 {
                let tip = [
                    p[0] + 0.4 * cell_w * d[0] / norm,
                    p[1] + 0.4 * cell_b * d[1] / norm,
                ];
                arrows.push((p, tip));
            }
        }
    }
    arrows
}

/// The grid as an image (top row = largest b), undefined cells drawn as grey diagonal
/// hatching so they never read as a value.
pub fn heat_map_image(grid: &Grid, colormap: Colormap, scale: ValueScale) -> ColorImage {
    let (n_w, n_b) = (grid.n_w, grid.n_b);
    let hatch_dark = palette::UNDEFINED_REGION;
    let hatch_light = Color32::from_rgb(150, 150, 150);
    let mut pixels = Vec::with_capacity(n_w * n_b);
    for row in (0..n_b).rev() {
        for col in 0..n_w {
            let value = grid
                .values
                .get(row * n_w + col)
                .copied()
                .unwrap_or(f64::NAN);
            let t = scale.unit(value, grid.min, grid.max);
            let color = if t.is_nan() {
                if (row + col) % 8 < 4 {
                    hatch_dark
                } else {
                    hatch_light
                }
            } else {
                let [r, g, b] = colormap.rgb(t);
                Color32::from_rgb(r, g, b)
            };
            pixels.push(color);
        }
    }
    ColorImage::new([n_w, n_b], pixels)
}

/// The polyline simplified (Ramer-Douglas-Peucker) so that no removed point was farther
/// than about a pixel from the kept line: the plot re-tessellates every line every frame, so
/// fewer points is faster. Both ends are kept, so closed lines stay closed.
fn thin_polyline(points: &[Point], domain: Domain) -> Vec<PlotPoint> {
    const TOLERANCE: f64 = 4e-4; // of the domain's width and height (under half a pixel)
    let (sw, sb) = (
        domain.w_span().max(f64::MIN_POSITIVE),
        domain.b_span().max(f64::MIN_POSITIVE),
    );
    let n = points.len();
    if n <= 2 {
        return points.iter().map(|p| PlotPoint::new(p[0], p[1])).collect();
    }
    let unit = |p: &Point| [p[0] / sw, p[1] / sb];
    let mut keep = vec![false; n];
    keep[0] = true;
    keep[n - 1] = true;
    let mut stack = vec![(0usize, n - 1)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (pa, pb) = (unit(&points[a]), unit(&points[b]));
        let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
        let len2 = dx * dx + dy * dy;
        let mut worst = (0.0, a);
        for (k, p) in points.iter().enumerate().take(b).skip(a + 1) {
            let q = unit(p);
            let d2 = if len2 > 0.0 {
                let cross = dx * (q[1] - pa[1]) - dy * (q[0] - pa[0]);
                cross * cross / len2
            } else {
                (q[0] - pa[0]).powi(2) + (q[1] - pa[1]).powi(2)
            };
            if d2 > worst.0 || d2.is_nan() {
                worst = (if d2.is_nan() { f64::INFINITY } else { d2 }, k);
            }
        }
        if worst.0 > TOLERANCE * TOLERANCE {
            keep[worst.1] = true;
            stack.push((a, worst.1));
            stack.push((worst.1, b));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| PlotPoint::new(p[0], p[1]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(objective: &Arc<dyn Objective>, version: u64, levels: usize) -> SurfaceRequest {
        SurfaceRequest {
            objective: Arc::clone(objective),
            objective_version: version,
            domain: Domain::new(-2.0, 2.0, -1.0, 3.0),
            levels,
            spacing: LevelSpacing::Even,
        }
    }

    // A cheap problem's coarse pass is there at once, as a coarse pass: when only the levels
    // change before the fine pass arrives, the coarse grid is not taken for the fine one.
    #[test]
    fn cheap_coarse_pass_is_immediate_and_never_taken_for_fine() {
        let bowl: Arc<dyn Objective> = Arc::new(
            crate::engine::objective::FunctionObjective::new("w^2 + b^2").expect("compiles"),
        );
        let mut cache = SurfaceCache::new(None);
        cache.request(request(&bowl, 1, 12));
        let coarse = cache
            .current
            .as_ref()
            .expect("the coarse pass, made at once");
        assert_eq!((coarse.grid.n_w, coarse.fine), (COARSE_RESOLUTION, false));
        cache.request(request(&bowl, 1, 20));
        cache.wait();
        let shown = cache.current.as_ref().expect("a surface");
        assert_eq!((shown.grid.n_w, shown.fine), (FINE_RESOLUTION, true));
        assert_eq!(shown.levels.len(), 20);
        // Another problem: the old surface is gone in the same call, the new one is shown.
        let other: Arc<dyn Objective> = Arc::new(
            crate::engine::objective::FunctionObjective::new("w^2 - b").expect("compiles"),
        );
        cache.request(request(&other, 2, 20));
        assert_eq!(
            cache.current.as_ref().map(SurfaceResult::objective_version),
            Some(2)
        );
        assert_eq!(cache.status(), None, "a cheap surface needs no words");
    }

    // Thinning drops points closer than the tolerance but keeps both ends.
    #[test]
    fn thin_polyline_keeps_ends() {
        let domain = Domain::new(0.0, 1.0, 0.0, 1.0);
        let dense: Vec<Point> = (0..=1000).map(|i| [i as f64 / 1000.0, 0.5]).collect();
        let thin = thin_polyline(&dense, domain);
        assert_eq!(thin.len(), 2, "a straight line needs its two ends only");
        // A corner survives.
        let corner = [
            [0.0, 0.0],
            [0.25, 0.25],
            [0.5, 0.5],
            [0.75, 0.25],
            [1.0, 0.0],
        ];
        let kept: Vec<f64> = thin_polyline(&corner, domain).iter().map(|p| p.x).collect();
        assert_eq!(kept, vec![0.0, 0.5, 1.0]);
        assert_eq!((thin[0].x, thin[0].y), (0.0, 0.5));
        let last = thin[thin.len() - 1];
        assert_eq!((last.x, last.y), (1.0, 0.5));
        assert_eq!(thin_polyline(&[], domain).len(), 0);
    }
}
