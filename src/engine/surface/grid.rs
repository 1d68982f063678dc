//! Sampling J on a regular grid, in parallel over row chunks.

use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::engine::objective::Objective;
use crate::engine::{Domain, Point};

/// The most grid cells sampled at once (a 4096 x 4096 grid, 128 MiB of f64).
pub const MAX_GRID_CELLS: usize = 4096 * 4096;

/// Why a grid could not be sampled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GridError {
    /// The domain is refused by [`Domain::validate`] (its message says why).
    BadDomain(String),
    /// Fewer than 2 samples along an axis, or more than [`MAX_GRID_CELLS`] in all.
    BadResolution(String),
    /// The thread pool could not be started.
    Threads(String),
}

impl std::fmt::Display for GridError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadDomain(m) | Self::BadResolution(m) | Self::Threads(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for GridError {}

/// J sampled on an `n_w` x `n_b` grid of a domain.
///
/// The samples include the domain's edges: column `j` is at
/// `w = w_min + j * (w_max - w_min) / (n_w - 1)` and row `i` at
/// `b = b_min + i * (b_max - b_min) / (n_b - 1)`. `values` is row-major with rows along b:
/// `values[i * n_w + j] = J(w_j, b_i)`, so row 0 is the bottom edge `b = b_min`.
///
/// `min`, `max` and `argmin` ignore undefined cells (NaN or infinite values); when no cell is
/// finite, `min` and `max` are NaN and `argmin` is `None`.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The sampled region.
    pub domain: Domain,
    /// Samples along w (columns).
    pub n_w: usize,
    /// Samples along b (rows).
    pub n_b: usize,
    /// J at every sample, row-major, rows along b (see the type's documentation).
    pub values: Vec<f64>,
    /// The smallest finite value (NaN if none).
    pub min: f64,
    /// The largest finite value (NaN if none).
    pub max: f64,
    /// Where the smallest finite value is (the first such cell in row-major order).
    pub argmin: Option<Point>,
    /// `(row, column)` of `argmin`.
    pub argmin_cell: Option<(usize, usize)>,
    /// How many cells are NaN or infinite.
    pub undefined_count: usize,
}

impl Grid {
    /// Samples J on all cores. See [`GridSampler`] for the thread count and cancellation.
    pub fn sample(
        objective: &dyn Objective,
        domain: Domain,
        n_w: usize,
        n_b: usize,
    ) -> Result<Grid, GridError> {
        GridSampler::new(domain, n_w, n_b).sample(objective)
    }

    /// The w of column `col`.
    pub fn w_at(&self, col: usize) -> f64 {
        axis_value(self.domain.w_min, self.domain.w_max, self.n_w, col)
    }

    /// The b of row `row`.
    pub fn b_at(&self, row: usize) -> f64 {
        axis_value(self.domain.b_min, self.domain.b_max, self.n_b, row)
    }

    /// The point `(w, b)` of a cell.
    pub fn point(&self, row: usize, col: usize) -> Point {
        [self.w_at(col), self.b_at(row)]
    }

    /// J at a cell, or `None` outside the grid.
    pub fn value(&self, row: usize, col: usize) -> Option<f64> {
        if row < self.n_b && col < self.n_w {
            self.values.get(row * self.n_w + col).copied()
        } else {
            None
        }
    }

    /// Distance between neighbouring samples along w.
    pub fn w_step(&self) -> f64 {
        self.domain.w_span() / (self.n_w.max(2) - 1) as f64
    }

    /// Distance between neighbouring samples along b.
    pub fn b_step(&self) -> f64 {
        self.domain.b_span() / (self.n_b.max(2) - 1) as f64
    }

    /// Builds a grid from values already computed (row-major, rows along b), computing the
    /// statistics. Errors when the value count is not `n_w * n_b`.
    pub fn from_values(
        domain: Domain,
        n_w: usize,
        n_b: usize,
        values: Vec<f64>,
    ) -> Result<Grid, GridError> {
        check(domain, n_w, n_b)?;
        if values.len() != n_w * n_b {
            return Err(GridError::BadResolution(format!(
                "{} values given for a {n_w} x {n_b} grid",
                values.len()
            )));
        }
        let stats = chunk_stats(&values, 0);
        Ok(finish(domain, n_w, n_b, values, stats))
    }
}

fn axis_value(lo: f64, hi: f64, n: usize, k: usize) -> f64 {
    if n < 2 {
        return lo;
    }
    if k + 1 == n {
        return hi;
    }
    lo + (hi - lo) * (k as f64 / (n - 1) as f64)
}

/// Settings of one grid sampling: the domain, the resolution, the thread count, an optional
/// cancel flag (for the app, which drops a grid whose settings changed while it was computed)
/// and an optional progress report.
#[derive(Clone, Copy)]
pub struct GridSampler<'a> {
    domain: Domain,
    n_w: usize,
    n_b: usize,
    threads: Option<usize>,
    cancel: Option<&'a AtomicBool>,
    progress: Option<&'a (dyn Fn(usize) + Sync)>,
}

impl std::fmt::Debug for GridSampler<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GridSampler")
            .field("domain", &self.domain)
            .field("n_w", &self.n_w)
            .field("n_b", &self.n_b)
            .field("threads", &self.threads)
            .field("cancel", &self.cancel)
            .field("progress", &self.progress.is_some())
            .finish()
    }
}

impl<'a> GridSampler<'a> {
    /// `n_w` samples along w (columns) and `n_b` along b (rows), edges included.
    pub fn new(domain: Domain, n_w: usize, n_b: usize) -> Self {
        Self {
            domain,
            n_w,
            n_b,
            threads: None,
            cancel: None,
            progress: None,
        }
    }

    /// Uses exactly `threads` worker threads, in a pool built for each sampling, instead of the
    /// current rayon pool. `0` means the current pool (all cores by default). To reuse one pool
    /// (and leave its start-up out of a timing), call `sample` inside `ThreadPool::install`.
    pub fn threads(mut self, threads: usize) -> Self {
        self.threads = (threads > 0).then_some(threads);
        self
    }

    /// Stops early (returning `Ok(None)` from [`GridSampler::sample_cancellable`]) once the flag
    /// is set.
    pub fn cancel_flag(mut self, cancel: &'a AtomicBool) -> Self {
        self.cancel = Some(cancel);
        self
    }

    /// Calls `report(cells)` from the worker threads each time `cells` more cells are done
    /// (a row or more at a time; for a progress bar).
    pub fn progress(mut self, report: &'a (dyn Fn(usize) + Sync)) -> Self {
        self.progress = Some(report);
        self
    }

    /// Samples J. With a cancel flag that gets set, this returns the partly filled grid (NaN
    /// where it was not sampled); use [`GridSampler::sample_cancellable`] to tell.
    pub fn sample(&self, objective: &dyn Objective) -> Result<Grid, GridError> {
        self.sample_into(objective, Vec::new())
    }

    /// Samples J into a recycled buffer (the `values` of an older grid, say), which saves
    /// allocating and first touching fresh memory: for a 1024 x 1024 grid that costs as much
    /// as evaluating a simple formula.
    pub fn sample_into(
        &self,
        objective: &dyn Objective,
        mut buffer: Vec<f64>,
    ) -> Result<Grid, GridError> {
        check(self.domain, self.n_w, self.n_b)?;
        // Every cell is overwritten, so a recycled buffer keeps its old contents until then.
        buffer.truncate(self.n_w * self.n_b);
        buffer.resize(self.n_w * self.n_b, 0.0);
        let stats = self.fill(objective, &mut buffer)?;
        Ok(finish(self.domain, self.n_w, self.n_b, buffer, stats))
    }

    /// Samples J; `Ok(None)` when the cancel flag was set before the grid was complete.
    pub fn sample_cancellable(&self, objective: &dyn Objective) -> Result<Option<Grid>, GridError> {
        let grid = self.sample(objective)?;
        let cancelled = self.cancel.is_some_and(|c| c.load(Ordering::Relaxed));
        Ok((!cancelled).then_some(grid))
    }

    fn fill(&self, objective: &dyn Objective, values: &mut [f64]) -> Result<Stats, GridError> {
        match self.threads {
            None => Ok(self.fill_in_pool(objective, values)),
            Some(threads) => {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(threads)
                    .build()
                    .map_err(|e| {
                        GridError::Threads(format!("cannot start {threads} threads: {e}"))
                    })?;
                Ok(pool.install(|| self.fill_in_pool(objective, values)))
            }
        }
    }

    /// The rows are split into a few contiguous parts per worker thread; each part is walked
    /// in chunks of about [`CHUNK_CELLS`] cells (fewer for an objective whose every value
    /// goes through many examples: [`ROWS_PER_COSTLY_CHUNK`] rows, so that the work spreads
    /// over the threads and progress and cancelling are seen often), each one batched
    /// `Objective::values` call over two coordinate buffers allocated once per part.
    fn fill_in_pool(&self, objective: &dyn Objective, values: &mut [f64]) -> Stats {
        let n_w = self.n_w;
        let d = self.domain;
        let per_cell = 1 + objective.full_evaluation_examples();
        let rows_per_chunk = if per_cell > 1 {
            // Several rows share each column's work (a data fit computes per column once).
            (CHUNK_CELLS / n_w.saturating_mul(per_cell)).max(ROWS_PER_COSTLY_CHUNK)
        } else {
            (CHUNK_CELLS / n_w).max(1)
        };
        let chunks = self.n_b.div_ceil(rows_per_chunk);
        let parts = (rayon::current_num_threads() * 8).min(chunks).max(1);
        let chunks_per_part = chunks.div_ceil(parts);
        let ws: Vec<f64> = (0..n_w)
            .map(|j| axis_value(d.w_min, d.w_max, n_w, j))
            .collect();
        let cancel = self.cancel;
        values
            .par_chunks_mut(chunks_per_part * rows_per_chunk * n_w)
            .enumerate()
            .map(|(part, cells)| {
                let mut wbuf: Vec<f64> = ws
                    .iter()
                    .copied()
                    .cycle()
                    .take(rows_per_chunk * n_w)
                    .collect();
                let mut bbuf = vec![0.0; rows_per_chunk * n_w];
                let mut stats = Stats::EMPTY;
                for (k, out) in cells.chunks_mut(rows_per_chunk * n_w).enumerate() {
                    if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                        out.fill(f64::NAN);
                        continue;
                    }
                    let first_row = (part * chunks_per_part + k) * rows_per_chunk;
                    let len = out.len();
                    wbuf.truncate(len);
                    for (r, row) in bbuf[..len].chunks_exact_mut(n_w).enumerate() {
                        row.fill(axis_value(d.b_min, d.b_max, self.n_b, first_row + r));
                    }
                    objective.values(&wbuf, &bbuf[..len], out);
                    stats = Stats::merge(stats, chunk_stats(out, first_row * n_w));
                    if let Some(report) = self.progress {
                        report(len);
                    }
                }
                stats
            })
            .reduce(|| Stats::EMPTY, Stats::merge)
    }
}

/// Cells per batched evaluation call.
const CHUNK_CELLS: usize = 8192;
/// Rows per batched evaluation call when every value goes through many examples.
const ROWS_PER_COSTLY_CHUNK: usize = 8;

fn check(domain: Domain, n_w: usize, n_b: usize) -> Result<(), GridError> {
    domain.validate().map_err(GridError::BadDomain)?;
    if n_w < 2 || n_b < 2 {
        return Err(GridError::BadResolution(format!(
            "a grid needs at least 2 samples along each axis, not {n_w} x {n_b}"
        )));
    }
    if n_w
        .checked_mul(n_b)
        .is_none_or(|cells| cells > MAX_GRID_CELLS)
    {
        return Err(GridError::BadResolution(format!(
            "a {n_w} x {n_b} grid is too large; at most {MAX_GRID_CELLS} cells (4096 x 4096)"
        )));
    }
    Ok(())
}

/// Min, max and argmin of some cells, mergeable in any order with the same result.
#[derive(Clone, Copy, Debug)]
struct Stats {
    min: f64,
    min_index: usize,
    max: f64,
    undefined: usize,
}

impl Stats {
    const EMPTY: Stats = Stats {
        min: f64::INFINITY,
        min_index: usize::MAX,
        max: f64::NEG_INFINITY,
        undefined: 0,
    };

    fn merge(a: Stats, b: Stats) -> Stats {
        // Ties go to the smaller index, so the result does not depend on the thread schedule.
        let (min, min_index) = if b.min < a.min || (b.min == a.min && b.min_index < a.min_index) {
            (b.min, b.min_index)
        } else {
            (a.min, a.min_index)
        };
        Stats {
            min,
            min_index,
            max: a.max.max(b.max),
            undefined: a.undefined + b.undefined,
        }
    }
}

/// Statistics of one chunk. `min_index` is the chunk's offset here; [`finish`] finds the exact
/// cell inside the winning chunk. The common case (every cell finite) is one branch-free pass
/// in four lanes, which the compiler turns into vector instructions.
fn chunk_stats(values: &[f64], offset: usize) -> Stats {
    let mut min = [f64::INFINITY; 4];
    let mut max = [f64::NEG_INFINITY; 4];
    // `v - v` is 0 for finite v and NaN for NaN or infinite v, so `defined` stays 0 exactly
    // when every cell is finite.
    let mut defined = [0.0f64; 4];
    let mut quads = values.chunks_exact(4);
    for q in &mut quads {
        for k in 0..4 {
            let v = q[k];
            min[k] = if v < min[k] { v } else { min[k] };
            max[k] = if v > max[k] { v } else { max[k] };
            #[allow(clippy::eq_op)] // NaN for non-finite v, on purpose.
            let zero_if_finite = v - v;
            defined[k] += zero_if_finite;
        }
    }
    let rest = quads.remainder();
    let all_finite = defined.iter().all(|d| *d == 0.0) && rest.iter().all(|v| v.is_finite());
    if !all_finite {
        return chunk_stats_undefined(values, offset);
    }
    let mut min = min.iter().copied().fold(f64::INFINITY, f64::min);
    let mut max = max.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    for &v in rest {
        min = min.min(v);
        max = max.max(v);
    }
    let min_index = if values.is_empty() {
        usize::MAX
    } else {
        offset
    };
    Stats {
        min,
        min_index,
        max,
        undefined: 0,
    }
}

/// [`chunk_stats`] for a chunk with undefined cells.
fn chunk_stats_undefined(values: &[f64], offset: usize) -> Stats {
    let mut s = Stats::EMPTY;
    for &v in values {
        if v.is_finite() {
            s.min = s.min.min(v);
            s.max = s.max.max(v);
        } else {
            s.undefined += 1;
        }
    }
    s.min_index = if s.min < f64::INFINITY {
        offset
    } else {
        usize::MAX
    };
    s
}

fn finish(domain: Domain, n_w: usize, n_b: usize, values: Vec<f64>, mut s: Stats) -> Grid {
    let found = s.min_index != usize::MAX;
    if found {
        // The first cell holding the minimum, from the start of the chunk that holds it.
        s.min_index += values[s.min_index..]
            .iter()
            .position(|&v| v == s.min)
            .unwrap_or(0);
    }
    let argmin_cell = found.then(|| (s.min_index / n_w, s.min_index % n_w));
    let mut grid = Grid {
        domain,
        n_w,
        n_b,
        values,
        min: if found { s.min } else { f64::NAN },
        max: if found { s.max } else { f64::NAN },
        argmin: None,
        argmin_cell,
        undefined_count: s.undefined,
    };
    grid.argmin = argmin_cell.map(|(r, c)| grid.point(r, c));
    grid
}
