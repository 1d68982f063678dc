//! The pictures of `losscape map --png`: a map's cells as colored blocks with axes and a
//! legend, or, for a traced 1-D sweep, the cost of every run over its iterations (the
//! stability map); `curves.rs` draws the point and line pictures (bifurcation diagram,
//! final-cost sweep, range test). Both are drawn here pixel by pixel, with text from the app's own font,
//! and returned as PNG file bytes.

use ab_glyph::{Font as _, FontRef, PxScale, ScaleFont as _};

use crate::engine::map::{
    Axis, CellOutcome, CellStatus, DIVERGED, LIMIT_GREY, OutcomeShades as Shades, Rgb,
    UNDEFINED_RED,
};
use crate::engine::surface::Colormap;

mod curves;

pub use curves::{bifurcation_png, range_test_png, sweep_png};

/// The plot area's long side is at least this many pixels (cells become blocks) ...
const PLOT_MIN: usize = 512;
/// ... and at most this many (cells share pixels beyond it).
const PLOT_MAX: usize = 2048;
/// A strip (1-D map) is this tall.
const STRIP: usize = 64;
/// Outer margin.
const PAD: i64 = 14;
/// Tick mark length.
const TICK: i64 = 5;
/// Text sizes in pixels: tick labels and legend, axis titles.
const SMALL: f32 = 15.0;
const TITLE: f32 = 17.0;

const WHITE: Rgb = [255, 255, 255];
const INK: Rgb = [30, 30, 34];
const FRAME: Rgb = [70, 70, 76];
const BLACK: Rgb = DIVERGED;
const ENDED_GREY: Rgb = [222, 222, 222];
/// Colors of the stability map's colormap (computed once, looked up per cell).
const LEVELS: usize = 256;

/// The picture of a map (2-D: y axis given; 1-D without a trace: one strip).
///
/// `cells` are in the job's order, x fastest (cell = row * x count + column); `minima`
/// are the known minima `CellOutcome::minimum` counts into; `max_iterations` is the run's
/// iteration limit, named in the legend.
pub fn map_png(
    cells: &[CellOutcome],
    x: &Axis,
    y: Option<&Axis>,
    minima: &[[f64; 2]],
    max_iterations: u64,
) -> Result<Vec<u8>, String> {
    check_axis(x)?;
    if let Some(y) = y {
        check_axis(y)?;
    }
    let (nx, ny) = (x.count, y.map_or(1, |y| y.count));
    let expected = nx
        .checked_mul(ny)
        .ok_or_else(|| "the map has too many cells to draw".to_owned())?;
    if cells.len() != expected {
        return Err(format!(
            "the map has {} cells but its axes make {expected}",
            cells.len()
        ));
    }
    let text = Text::new()?;
    let shades = Shades::new(cells, minima.len());

    // The plot area: square cells, the long side between PLOT_MIN and PLOT_MAX pixels.
    let (pw, ph) = match y {
        Some(_) => block_size(nx, ny),
        None => (block_size(nx, 1).0, STRIP),
    };
    let xs = Scale::new(x, pw as f64);
    let ys = y.map(|y| Scale::new(y, ph as f64));
    let x_ticks = xs.ticks(&text, true);
    let y_ticks = ys.as_ref().map(|s| s.ticks(&text, false));
    let legend = map_legend(&shades, minima, max_iterations, cells);

    let layout = Layout::new(
        &text,
        pw,
        ph,
        &x_ticks,
        y_ticks.as_deref(),
        legend.size(&text),
    );
    let mut canvas = Canvas::new(layout.width, layout.height)?;

    // The cells, larger y at the top.
    let (left, top) = (layout.left, layout.top);
    for py in 0..ph {
        let row = ny - 1 - (py * ny / ph).min(ny - 1);
        for px in 0..pw {
            let column = (px * nx / pw).min(nx - 1);
            let color = cells
                .get(row * nx + column)
                .map_or(WHITE, |c| shades.color(c));
            canvas.put(left + px as i64, top + py as i64, color);
        }
    }
    if let (Some(y), Some(ys)) = (y, &ys) {
        mark_minima(&mut canvas, &text, &layout, [(x, &xs), (y, ys)], minima);
    }

    layout.draw_axes(&mut canvas, &text, &x_ticks, &axis_title(x), true);
    if let (Some(ticks), Some(y)) = (&y_ticks, y) {
        layout.draw_axes(&mut canvas, &text, ticks, &axis_title(y), false);
    }
    layout.draw_frame(&mut canvas);
    legend.draw(&mut canvas, &text, layout.legend_x, layout.top);
    canvas.png()
}

/// The stability map of a 1-D sweep with a trace: one column per cell (x = the axis value),
/// iteration 0 at the top and later iterations below, colored by log10 of the cost.
///
/// `log_cost[row * cells + column]` holds log10 J after `row` updates (NaN where there is no
/// value); `ended[column]` is the column's last iteration and `diverged[column]` whether its
/// run blew up. Rows after a run's end are light grey, or black below a divergence.
pub fn stability_png(
    x: &Axis,
    log_cost: &[f32],
    cells: usize,
    rows: usize,
    ended: &[u64],
    diverged: &[bool],
) -> Result<Vec<u8>, String> {
    check_axis(x)?;
    if cells == 0 || rows == 0 {
        return Err("the stability map has no cells or no iterations to draw".to_owned());
    }
    if x.count != cells {
        return Err(format!(
            "the stability map has {cells} columns but its axis has {} values",
            x.count
        ));
    }
    if cells.checked_mul(rows) != Some(log_cost.len()) {
        return Err(format!(
            "the stability map needs {cells} x {rows} costs, it has {}",
            log_cost.len()
        ));
    }
    if ended.len() != cells || diverged.len() != cells {
        return Err(format!(
            "the stability map has {cells} columns but {} ends and {} divergence flags",
            ended.len(),
            diverged.len()
        ));
    }
    let text = Text::new()?;

    // Range of the colors.
    let (mut lo, mut hi) = log_cost
        .iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(f64::from(v)), hi.max(f64::from(v)))
        });
    if lo > hi {
        (lo, hi) = (0.0, 1.0);
    }
    if hi - lo < 1e-9 {
        (lo, hi) = (lo - 0.5, hi + 0.5);
    }

    let pw = block_size(cells, 1).0;
    let ph = if rows <= 600 {
        rows * 480_usize.div_ceil(rows)
    } else {
        600
    };
    let xs = Scale::new(x, pw as f64);
    let ys = Scale {
        lo: 0.0,
        hi: (rows - 1) as f64,
        log: false,
        count: rows,
        len: ph as f64,
        integer: true,
    };
    let x_ticks = xs.ticks(&text, true);
    // Iteration 0 at the top: the ticks count from there.
    let y_ticks: Vec<Tick> = ys
        .ticks(&text, false)
        .into_iter()
        .map(|t| Tick {
            pos: ph as f64 - t.pos,
            ..t
        })
        .collect();
    let bar = Colorbar::new(&text, lo, hi, ph.min(360));
    let legend = Legend {
        items: vec![
            Item::line("after the run:"),
            Item::solid(ENDED_GREY, "run ended"),
            Item::solid(BLACK, "diverged"),
        ],
    };
    let side = (
        bar.size().0.max(legend.size(&text).0),
        bar.size().1 + 24 + legend.size(&text).1,
    );
    let layout = Layout::new(&text, pw, ph, &x_ticks, Some(&y_ticks), side);
    let mut canvas = Canvas::new(layout.width, layout.height)?;

    // Each pixel row shows the mean of its iterations; a column's value carries on over
    // rows without one (mini-batch rows that skip the full cost).
    let colors: Vec<Rgb> = (0..LEVELS)
        .map(|i| colormap(i as f64 / (LEVELS - 1) as f64))
        .collect();
    let columns_shown = pw.min(cells);
    for shown in 0..columns_shown {
        let column = shown * cells / columns_shown;
        let end = usize::try_from(ended[column])
            .unwrap_or(usize::MAX)
            .min(rows - 1);
        let cost = |row: usize| f64::from(log_cost[row * cells + column]);
        // Rows with a run to show: a divergence's own rows (cost no longer finite) go black.
        let mut shown_rows = end + 1;
        while diverged[column] && shown_rows > 0 && !cost(shown_rows - 1).is_finite() {
            shown_rows -= 1;
        }
        let mut held = f64::NAN;
        let values: Vec<f64> = (0..shown_rows)
            .map(|row| {
                if cost(row).is_finite() {
                    held = cost(row);
                }
                held
            })
            .collect();
        let x0 = shown * pw / columns_shown;
        let x1 = ((shown + 1) * pw / columns_shown).max(x0 + 1);
        for py in 0..ph {
            let (r0, r1) = (
                py * rows / ph,
                ((py + 1) * rows / ph).max(py * rows / ph + 1),
            );
            let color = if r0 >= shown_rows {
                if diverged[column] { BLACK } else { ENDED_GREY }
            } else {
                let (sum, n) = values[r0..r1.min(shown_rows)]
                    .iter()
                    .filter(|v| v.is_finite())
                    .fold((0.0, 0), |(s, n), v| (s + v, n + 1));
                if n == 0 {
                    ENDED_GREY
                } else {
                    let t = ((sum / f64::from(n) - lo) / (hi - lo)).clamp(0.0, 1.0);
                    colors[(t * (LEVELS - 1) as f64).round() as usize]
                }
            };
            for px in x0..x1 {
                canvas.put(layout.left + px as i64, layout.top + py as i64, color);
            }
        }
    }

    layout.draw_axes(&mut canvas, &text, &x_ticks, &axis_title(x), true);
    layout.draw_axes(&mut canvas, &text, &y_ticks, "iteration", false);
    layout.draw_frame(&mut canvas);
    let bar_height = bar.size().1 as i64;
    bar.draw(&mut canvas, &text, layout.legend_x, layout.top);
    legend.draw(
        &mut canvas,
        &text,
        layout.legend_x,
        layout.top + bar_height + 24,
    );
    canvas.png()
}

/// An axis the pictures can place values on.
fn check_axis(axis: &Axis) -> Result<(), String> {
    let name = axis.name.name();
    if axis.count == 0 {
        return Err(format!("axis `{name}` has no values"));
    }
    if !axis.lo.is_finite() || !axis.hi.is_finite() || axis.lo > axis.hi {
        return Err(format!(
            "axis `{name}` runs from {} to {}: not a range to draw",
            axis.lo, axis.hi
        ));
    }
    if axis.log && axis.lo <= 0.0 {
        return Err(format!(
            "axis `{name}` is logarithmic from {}: it needs values above 0",
            axis.lo
        ));
    }
    Ok(())
}

/// The axis title: its name, and "(log)" on a log scale.
fn axis_title(axis: &Axis) -> String {
    if axis.log {
        format!("{} (log)", axis.name.name())
    } else {
        axis.name.name().to_owned()
    }
}

/// The plot size in pixels of `nx` by `ny` square cells: blocks until the long side reaches
/// PLOT_MIN, then one pixel a cell, shrunk (cells sharing pixels) beyond PLOT_MAX. Neither
/// side is thinner than a strip.
fn block_size(nx: usize, ny: usize) -> (usize, usize) {
    let long = nx.max(ny).max(1);
    let block = PLOT_MIN.div_ceil(long).max(1);
    let (w, h) = (nx.saturating_mul(block), ny.saturating_mul(block));
    let (w, h) = if long.saturating_mul(block) > PLOT_MAX {
        let shrink = PLOT_MAX as f64 / long as f64;
        (
            ((w as f64 * shrink).round() as usize).max(1),
            ((h as f64 * shrink).round() as usize).max(1),
        )
    } else {
        (w, h)
    };
    (w.max(STRIP), h.max(STRIP))
}

// ---------------------------------------------------------------------------------------
// Colors

/// The stability map's colormap at `t` in 0..=1 (clamped): the app's viridis, whose
/// lightness rises steadily so the order reads in grey too.
fn colormap(t: f64) -> Rgb {
    let t = if t.is_finite() {
        t.clamp(0.0, 1.0)
    } else {
        0.0
    };
    Colormap::Viridis.rgb(t)
}

// ---------------------------------------------------------------------------------------
// Pixels

/// An RGB image being drawn.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    /// A white image.
    fn new(width: usize, height: usize) -> Result<Self, String> {
        const MAX: usize = 8192;
        if width == 0 || height == 0 || width > MAX || height > MAX {
            return Err(format!(
                "a {width} x {height} picture is not possible (at most {MAX} pixels a side)"
            ));
        }
        Ok(Self {
            width,
            height,
            pixels: vec![255; width * height * 3],
        })
    }

    /// Where pixel (x, y) starts in `pixels`, if it is on the image.
    fn index(&self, x: i64, y: i64) -> Option<usize> {
        let x = usize::try_from(x).ok().filter(|&x| x < self.width)?;
        let y = usize::try_from(y).ok().filter(|&y| y < self.height)?;
        Some((y * self.width + x) * 3)
    }

    /// Sets a pixel (nothing happens off the image).
    fn put(&mut self, x: i64, y: i64, color: Rgb) {
        if let Some(i) = self.index(x, y) {
            self.pixels[i..i + 3].copy_from_slice(&color);
        }
    }

    /// Mixes `color` in with weight `alpha` (0..=1).
    fn blend(&mut self, x: i64, y: i64, color: Rgb, alpha: f32) {
        if let Some(i) = self.index(x, y) {
            let a = alpha.clamp(0.0, 1.0);
            for (p, c) in self.pixels[i..i + 3].iter_mut().zip(color) {
                *p = (f32::from(*p) * (1.0 - a) + f32::from(c) * a).round() as u8;
            }
        }
    }

    /// A filled rectangle, clipped to the image.
    fn rect(&mut self, x: i64, y: i64, w: i64, h: i64, color: Rgb) {
        for yy in y..y + h {
            for xx in x..x + w {
                self.put(xx, yy, color);
            }
        }
    }

    /// A one-pixel outline just outside the rectangle.
    fn outline(&mut self, x: i64, y: i64, w: i64, h: i64, color: Rgb) {
        self.rect(x - 1, y - 1, w + 2, 1, color);
        self.rect(x - 1, y + h, w + 2, 1, color);
        self.rect(x - 1, y, 1, h, color);
        self.rect(x + w, y, 1, h, color);
    }

    /// The PNG file.
    fn png(&self) -> Result<Vec<u8>, String> {
        let failed = |e: png::EncodingError| format!("cannot encode the picture: {e}");
        let (w, h) = (
            u32::try_from(self.width).map_err(|e| e.to_string())?,
            u32::try_from(self.height).map_err(|e| e.to_string())?,
        );
        let mut bytes = Vec::new();
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(failed)?;
        writer.write_image_data(&self.pixels).map_err(failed)?;
        writer.finish().map_err(failed)?;
        Ok(bytes)
    }
}

// ---------------------------------------------------------------------------------------
// Text

/// The font, for measuring and drawing labels.
struct Text {
    font: FontRef<'static>,
}

/// A label rasterized to coverage values (0..=1), row by row.
struct Mask {
    width: usize,
    height: usize,
    alpha: Vec<f32>,
}

impl Text {
    /// The app's light sans-serif face.
    fn new() -> Result<Self, String> {
        let font = FontRef::try_from_slice(epaint_default_fonts::UBUNTU_LIGHT)
            .map_err(|e| format!("cannot read the built-in font: {e}"))?;
        Ok(Self { font })
    }

    /// The glyphs of `s` at `size` pixels, placed on a baseline at y = ascent, and the width.
    fn layout(&self, s: &str, size: f32) -> (Vec<ab_glyph::Glyph>, f32) {
        let scaled = self.font.as_scaled(PxScale::from(size));
        let ascent = scaled.ascent();
        let mut x = 0.0;
        let mut previous = None;
        let mut glyphs = Vec::new();
        for c in s.chars() {
            let id = scaled.glyph_id(c);
            if let Some(p) = previous {
                x += scaled.kern(p, id);
            }
            glyphs.push(id.with_scale_and_position(size, ab_glyph::point(x, ascent)));
            x += scaled.h_advance(id);
            previous = Some(id);
        }
        (glyphs, x)
    }

    /// The width of `s` in pixels.
    fn width(&self, s: &str, size: f32) -> i64 {
        self.layout(s, size).1.ceil() as i64
    }

    /// The height of a line of text in pixels.
    fn height(&self, size: f32) -> i64 {
        let scaled = self.font.as_scaled(PxScale::from(size));
        (scaled.ascent() - scaled.descent()).ceil() as i64
    }

    /// `s` rasterized at `size` pixels.
    fn mask(&self, s: &str, size: f32) -> Mask {
        let (glyphs, width) = self.layout(s, size);
        let (width, height) = (width.ceil() as usize + 1, self.height(size) as usize + 1);
        let mut alpha = vec![0.0; width * height];
        for glyph in glyphs {
            if let Some(outlined) = self.font.outline_glyph(glyph) {
                let min = outlined.px_bounds().min;
                outlined.draw(|gx, gy, coverage| {
                    let x = gx as i64 + min.x as i64;
                    let y = gy as i64 + min.y as i64;
                    if let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y))
                        && x < width
                        && y < height
                    {
                        // The light face reads darker with its coverage lifted a little.
                        let a = &mut alpha[y * width + x];
                        *a = (*a + coverage.clamp(0.0, 1.0).powf(0.75)).min(1.0);
                    }
                });
            }
        }
        Mask {
            width,
            height,
            alpha,
        }
    }

    /// Draws `s` with its box's point (`ax`, `ay`) (fractions of width and height: 0 left
    /// or top, 1 right or bottom) at (x, y).
    fn draw(&self, canvas: &mut Canvas, s: &str, size: f32, at: (i64, i64), anchor: (f32, f32)) {
        self.draw_mask(canvas, s, size, at, anchor, false);
    }

    /// Like [`Text::draw`], on a white surround that keeps the label readable on colors.
    fn draw_haloed(
        &self,
        canvas: &mut Canvas,
        s: &str,
        size: f32,
        at: (i64, i64),
        anchor: (f32, f32),
    ) {
        self.draw_mask(canvas, s, size, at, anchor, true);
    }

    fn draw_mask(
        &self,
        canvas: &mut Canvas,
        s: &str,
        size: f32,
        (x, y): (i64, i64),
        (ax, ay): (f32, f32),
        halo: bool,
    ) {
        let mask = self.mask(s, size);
        let x0 = x - (ax * mask.width as f32).round() as i64;
        let y0 = y - (ay * self.height(size) as f32).round() as i64;
        if halo {
            // Two pixels wide.
            let coverage = |x: i64, y: i64| {
                let (Ok(x), Ok(y)) = (usize::try_from(x), usize::try_from(y)) else {
                    return 0.0;
                };
                if x < mask.width && y < mask.height {
                    mask.alpha[y * mask.width + x]
                } else {
                    0.0
                }
            };
            for my in -2..mask.height as i64 + 2 {
                for mx in -2..mask.width as i64 + 2 {
                    let near = (-2..=2)
                        .flat_map(|dy| (-2..=2).map(move |dx| (dx, dy)))
                        .map(|(dx, dy)| coverage(mx + dx, my + dy))
                        .fold(0.0, f32::max);
                    canvas.blend(x0 + mx, y0 + my, WHITE, (2.0 * near).min(1.0));
                }
            }
        }
        for my in 0..mask.height {
            for mx in 0..mask.width {
                let a = mask.alpha[my * mask.width + mx];
                if a > 0.0 {
                    canvas.blend(x0 + mx as i64, y0 + my as i64, INK, a);
                }
            }
        }
    }

    /// Draws `s` reading upwards (turned a quarter left), centered at (x, y).
    fn draw_up(&self, canvas: &mut Canvas, s: &str, size: f32, (x, y): (i64, i64)) {
        let mask = self.mask(s, size);
        let x0 = x - mask.height as i64 / 2;
        let y0 = y + mask.width as i64 / 2;
        for my in 0..mask.height {
            for mx in 0..mask.width {
                let a = mask.alpha[my * mask.width + mx];
                if a > 0.0 {
                    canvas.blend(x0 + my as i64, y0 - mx as i64, INK, a);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Axes

/// A labelled tick: `pos` pixels from the axis start (left, or bottom).
#[derive(Clone, Debug, PartialEq)]
struct Tick {
    pos: f64,
    value: f64,
    label: String,
    /// A minor tick: a short mark, no label.
    minor: bool,
}

/// Where an axis's values fall along `len` pixels of plot: value i of count at the middle
/// of its cell.
#[derive(Clone, Copy, Debug)]
struct Scale {
    lo: f64,
    hi: f64,
    log: bool,
    count: usize,
    len: f64,
    integer: bool,
}

impl Scale {
    /// `axis` along `len` pixels.
    fn new(axis: &Axis, len: f64) -> Self {
        Self {
            lo: axis.lo,
            hi: axis.hi,
            log: axis.log,
            count: axis.count,
            len,
            integer: axis.name.is_integer(),
        }
    }

    /// A single value (one cell, or both ends the same).
    fn single(&self) -> bool {
        self.count <= 1 || self.hi <= self.lo
    }

    /// Pixels from the axis start of `v`, when it is in the axis's range.
    fn pos(&self, v: f64) -> Option<f64> {
        if self.single() {
            return ((v - self.lo).abs() <= 1e-12 * self.lo.abs().max(1.0))
                .then_some(self.len / 2.0);
        }
        let t = if self.log {
            if v <= 0.0 {
                return None;
            }
            (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if !(-1e-9..=1.0 + 1e-9).contains(&t) {
            return None;
        }
        let n = self.count as f64;
        Some((t * (n - 1.0) + 0.5) / n * self.len)
    }

    /// Labelled ticks at round values, as many as fit without labels crowding: powers of
    /// ten (or 1-2-5 steps) on a log axis, 1-2-5 steps on a linear one.
    fn ticks(&self, text: &Text, horizontal: bool) -> Vec<Tick> {
        let tick = |v: f64, label: String| {
            self.pos(v).map(|pos| Tick {
                pos,
                value: v,
                label: minus(&label),
                minor: false,
            })
        };
        if self.single() {
            return tick(self.lo, fmt_g(self.lo, 6)).into_iter().collect();
        }
        let mut candidates: Vec<Vec<Tick>> = Vec::new();
        if self.log {
            let (k0, k1) = (
                self.lo.log10().floor() as i32,
                self.hi.log10().ceil() as i32,
            );
            let decades = |every: i32, mantissas: &[f64]| -> Vec<Tick> {
                (k0..=k1)
                    .filter(|k| k.rem_euclid(every) == 0)
                    .flat_map(|k| mantissas.iter().map(move |&m| m * 10f64.powi(k)))
                    .filter_map(|v| tick(v, fmt_g(v, 3)))
                    .collect()
            };
            let powers = decades(1, &[1.0]);
            if powers.len() < 3 {
                candidates.push(decades(1, &[1.0, 2.0, 5.0]));
                candidates.push(decades(1, &[1.0, 3.0]));
            }
            for every in [1, 2, 3, 5, 10, 20, 50, 100] {
                candidates.push(decades(every, &[1.0]));
            }
        }
        // 1-2-5 steps in value space (on a log axis: for ranges within a decade or two).
        let span = self.hi - self.lo;
        let k_min = (span / 1000.0).log10().floor() as i32;
        for k in k_min..=k_min.saturating_add(6) {
            for m in [1.0, 2.0, 5.0] {
                let step = m * 10f64.powi(k);
                if self.integer && step < 1.0 {
                    continue;
                }
                let (i0, i1) = (
                    (self.lo / step - 1e-9).ceil(),
                    (self.hi / step + 1e-9).floor(),
                );
                if i1 - i0 >= 200.0 || i1.is_nan() || i0.is_nan() {
                    continue;
                }
                candidates.push(
                    (i0 as i64..=i1 as i64)
                        .filter_map(|i| {
                            let v = i as f64 * step;
                            let v = if v.abs() < step * 1e-9 { 0.0 } else { v };
                            tick(v, fmt_step(v, step))
                        })
                        .collect(),
                );
            }
        }
        let fits = |ticks: &[Tick]| {
            ticks.windows(2).all(|w| {
                let gap = (w[1].pos - w[0].pos).abs();
                if horizontal {
                    let half = |t: &Tick| text.width(&t.label, SMALL) as f64 / 2.0;
                    gap >= half(&w[0]) + half(&w[1]) + 18.0
                } else {
                    gap >= 2.4 * text.height(SMALL) as f64
                }
            })
        };
        let mut chosen = candidates
            .into_iter()
            .find(|t| t.len() >= 2 && fits(t))
            .unwrap_or_else(|| {
                let ends: Vec<Tick> = [self.lo, self.hi]
                    .into_iter()
                    .filter_map(|v| tick(v, fmt_g(v, 4)))
                    .collect();
                if fits(&ends) {
                    ends
                } else {
                    ends.into_iter().take(1).collect()
                }
            });
        // Unlabelled marks between labelled powers of ten on a log axis: at 2..9 times each
        // power when every power is labelled, else at the skipped powers.
        let power = |v: f64| {
            let k = v.log10();
            ((k - k.round()).abs() < 1e-9).then_some(k.round() as i32)
        };
        let powers: Option<Vec<i32>> = chosen.iter().map(|t| power(t.value)).collect();
        if let (true, Some(powers)) = (self.log && chosen.len() >= 2, powers) {
            let every_decade = powers.windows(2).all(|w| w[1] - w[0] == 1);
            let (k0, k1) = (
                self.lo.log10().floor() as i32,
                self.hi.log10().ceil() as i32,
            );
            let mantissas: &[f64] = if every_decade {
                &[2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]
            } else {
                &[1.0]
            };
            let minor: Vec<Tick> = (k0..=k1)
                .filter(|k| !powers.contains(k) || every_decade)
                .flat_map(|k| mantissas.iter().map(move |m| m * 10f64.powi(k)))
                .filter_map(|v| Some((v, self.pos(v)?)))
                .map(|(value, pos)| Tick {
                    pos,
                    value,
                    label: String::new(),
                    minor: true,
                })
                .collect();
            let dense = minor.windows(2).any(|w| (w[1].pos - w[0].pos).abs() < 4.0);
            if !dense {
                chosen.extend(minor);
            }
        }
        chosen
    }
}

/// A label with proper minus signs (the font has them; a hyphen looks too short).
fn minus(s: &str) -> String {
    s.replace('-', "\u{2212}")
}

/// `v`, a multiple of `step`, with the digits the step needs.
fn fmt_step(v: f64, step: f64) -> String {
    if v == 0.0 {
        return "0".to_owned();
    }
    let digits = v.abs().log10().floor() - step.log10().floor() + 1.0;
    fmt_g(v, digits.clamp(1.0, 15.0) as usize)
}

/// `v` to `significant` digits, without trailing zeros, in exponent form ("1e-5", "2.5e6")
/// only when very small or large.
fn fmt_g(v: f64, significant: usize) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    if v == 0.0 {
        return "0".to_owned();
    }
    let significant = significant.clamp(1, 17);
    let scientific = format!("{:.*e}", significant - 1, v);
    let Some((mantissa, exponent)) = scientific.split_once('e') else {
        return scientific;
    };
    let exponent: i32 = exponent.parse().unwrap_or(0);
    let trim = |s: &str| {
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_owned()
        } else {
            s.to_owned()
        }
    };
    let out = if !(-4..6).contains(&exponent) {
        format!("{}e{exponent}", trim(mantissa))
    } else {
        let decimals = (significant as i32 - 1 - exponent).max(0) as usize;
        trim(&format!("{v:.decimals$}"))
    };
    if out == "-0" { "0".to_owned() } else { out }
}

// ---------------------------------------------------------------------------------------
// Layout

/// Where the plot, its axes and the legend go.
struct Layout {
    width: usize,
    height: usize,
    left: i64,
    top: i64,
    plot_w: i64,
    plot_h: i64,
    legend_x: i64,
}

impl Layout {
    /// Room for a `pw` x `ph` plot, its ticks and titles, and a `side` (w, h) panel right
    /// of it.
    fn new(
        text: &Text,
        pw: usize,
        ph: usize,
        x_ticks: &[Tick],
        y_ticks: Option<&[Tick]>,
        side: (usize, usize),
    ) -> Self {
        let (plot_w, plot_h) = (pw as i64, ph as i64);
        let label_h = text.height(SMALL);
        let title_h = text.height(TITLE);
        let widest = |ticks: &[Tick]| {
            ticks
                .iter()
                .map(|t| text.width(&t.label, SMALL))
                .max()
                .unwrap_or(0)
        };
        // Labels of x ticks near the ends may reach past the plot.
        let overhang = |at_start: bool| {
            x_ticks
                .iter()
                .filter(|t| !t.minor)
                .map(|t| {
                    let half = text.width(&t.label, SMALL) as f64 / 2.0;
                    let room = if at_start { t.pos } else { pw as f64 - t.pos };
                    (half - room).ceil().max(0.0) as i64
                })
                .max()
                .unwrap_or(0)
        };
        let y_room = y_ticks.map_or(0, |t| title_h + 10 + widest(t) + 6 + TICK);
        let left = PAD + y_room.max(overhang(true));
        let top = PAD + label_h / 2 + 2;
        let legend_x = left + plot_w + (overhang(false) + 12).max(28);
        let bottom = TICK + 4 + label_h + 8 + title_h + PAD;
        let width = legend_x + side.0 as i64 + PAD;
        let height = (top + plot_h + bottom).max(top + side.1 as i64 + PAD);
        Self {
            width: usize::try_from(width).unwrap_or(0),
            height: usize::try_from(height).unwrap_or(0),
            left,
            top,
            plot_w,
            plot_h,
            legend_x,
        }
    }

    /// The ticks, labels and title of the x axis (`horizontal`) or the y axis.
    fn draw_axes(
        &self,
        canvas: &mut Canvas,
        text: &Text,
        ticks: &[Tick],
        title: &str,
        horizontal: bool,
    ) {
        let label_h = text.height(SMALL);
        let bottom = self.top + self.plot_h;
        let mut widest = 0;
        for t in ticks {
            let len = if t.minor { TICK - 2 } else { TICK };
            let p = t.pos.round() as i64;
            if horizontal {
                let x = (self.left + p).min(self.left + self.plot_w - 1);
                canvas.rect(x, bottom + 1, 1, len, FRAME);
                if !t.minor {
                    text.draw(canvas, &t.label, SMALL, (x, bottom + TICK + 3), (0.5, 0.0));
                }
            } else {
                let y = (bottom - 1 - p).max(self.top);
                canvas.rect(self.left - 1 - len, y, len, 1, FRAME);
                if !t.minor {
                    widest = widest.max(text.width(&t.label, SMALL));
                    text.draw(
                        canvas,
                        &t.label,
                        SMALL,
                        (self.left - TICK - 5, y + 1),
                        (1.0, 0.5),
                    );
                }
            }
        }
        if horizontal {
            text.draw(
                canvas,
                title,
                TITLE,
                (self.left + self.plot_w / 2, bottom + TICK + 4 + label_h + 6),
                (0.5, 0.0),
            );
        } else {
            let x = self.left - TICK - 6 - widest - 6 - text.height(TITLE) / 2;
            text.draw_up(canvas, title, TITLE, (x, self.top + self.plot_h / 2));
        }
    }

    /// A thin frame around the plot.
    fn draw_frame(&self, canvas: &mut Canvas) {
        canvas.outline(self.left, self.top, self.plot_w, self.plot_h, FRAME);
    }
}

// ---------------------------------------------------------------------------------------
// Legend

/// One line of a legend.
enum Item {
    /// A color swatch and its meaning.
    Solid(Rgb, String),
    /// A strip of colors (left to right) and its meaning.
    Ramp(Vec<Rgb>, String),
    /// A line of text.
    Line(String),
    /// Some space.
    Gap,
}

impl Item {
    /// A swatch of `color` with its meaning.
    fn solid(color: Rgb, s: &str) -> Self {
        Self::Solid(color, s.to_owned())
    }

    /// A line of text.
    fn line(s: &str) -> Self {
        Self::Line(s.to_owned())
    }
}

/// A column of swatches and text.
struct Legend {
    items: Vec<Item>,
}

const SWATCH_W: i64 = 34;
const SWATCH_H: i64 = 14;
const ROW: i64 = 22;

impl Legend {
    /// Width and height in pixels.
    fn size(&self, text: &Text) -> (usize, usize) {
        let width = self
            .items
            .iter()
            .map(|item| match item {
                Item::Solid(_, s) | Item::Ramp(_, s) => SWATCH_W + 10 + text.width(s, SMALL),
                Item::Line(s) => text.width(s, SMALL),
                Item::Gap => 0,
            })
            .max()
            .unwrap_or(0);
        let height: i64 = self
            .items
            .iter()
            .map(|i| if matches!(i, Item::Gap) { ROW / 2 } else { ROW })
            .sum();
        (
            usize::try_from(width).unwrap_or(0),
            usize::try_from(height).unwrap_or(0),
        )
    }

    /// Draws the legend with its top-left corner at (x, y).
    fn draw(&self, canvas: &mut Canvas, text: &Text, x: i64, mut y: i64) {
        for item in &self.items {
            let swatch_y = y + (ROW - SWATCH_H) / 2;
            let mid = y + ROW / 2;
            match item {
                Item::Solid(color, s) => {
                    canvas.rect(x, swatch_y, SWATCH_W, SWATCH_H, *color);
                    canvas.outline(x, swatch_y, SWATCH_W, SWATCH_H, FRAME);
                    text.draw(canvas, s, SMALL, (x + SWATCH_W + 10, mid), (0.0, 0.5));
                }
                Item::Ramp(colors, s) => {
                    for i in 0..SWATCH_W {
                        let k = (i as usize * colors.len()) / SWATCH_W as usize;
                        if let Some(&c) = colors.get(k) {
                            canvas.rect(x + i, swatch_y, 1, SWATCH_H, c);
                        }
                    }
                    canvas.outline(x, swatch_y, SWATCH_W, SWATCH_H, FRAME);
                    text.draw(canvas, s, SMALL, (x + SWATCH_W + 10, mid), (0.0, 0.5));
                }
                Item::Line(s) => {
                    text.draw(canvas, s, SMALL, (x, mid), (0.0, 0.5));
                }
                Item::Gap => {}
            }
            y += if matches!(item, Item::Gap) {
                ROW / 2
            } else {
                ROW
            };
        }
    }
}

/// The legend of a map: the minima's hues, the other outcomes, what lightness means.
fn map_legend(
    shades: &Shades,
    minima: &[[f64; 2]],
    max_iterations: u64,
    cells: &[CellOutcome],
) -> Legend {
    const LISTED: usize = 16;
    let ramp = |minimum: Option<usize>| {
        (0..=16)
            .map(|i| shades.converged(minimum, f64::from(i) / 16.0))
            .collect::<Vec<_>>()
    };
    let mut items = vec![Item::line("converged at:")];
    for (i, m) in minima.iter().enumerate().take(LISTED) {
        items.push(Item::Ramp(
            ramp(Some(i)),
            format!(
                "minimum {} ({}, {})",
                i + 1,
                minus(&fmt_g(m[0], 4)),
                minus(&fmt_g(m[1], 4))
            ),
        ));
    }
    if minima.len() > LISTED {
        items.push(Item::Line(format!(
            "  and {} more minima",
            minima.len() - LISTED
        )));
    }
    let elsewhere = cells
        .iter()
        .any(|c| c.status == CellStatus::Converged && c.minimum.is_none());
    if elsewhere || minima.is_empty() {
        items.push(Item::Ramp(ramp(None), "no known minimum".to_owned()));
    }
    items.push(Item::Gap);
    items.push(Item::line("stopped:"));
    items.push(Item::solid(BLACK, "diverged"));
    items.push(Item::Solid(
        LIMIT_GREY,
        format!("iteration limit ({max_iterations})"),
    ));
    items.push(Item::solid(UNDEFINED_RED, "undefined at start"));
    items.push(Item::Gap);
    items.push(Item::line("lighter = fewer iterations"));
    let (fastest, slowest) = shades.iteration_range();
    if slowest > fastest {
        items.push(Item::Line(format!(
            "({} to {}, log scale)",
            fastest, slowest
        )));
    }
    Legend { items }
}

/// Rings with numbers on the known minima when the axes (x, then y, with their scales)
/// are the start's w0 and b0.
fn mark_minima(
    canvas: &mut Canvas,
    text: &Text,
    layout: &Layout,
    [(x, xs), (y, ys)]: [(&Axis, &Scale); 2],
    minima: &[[f64; 2]],
) {
    use crate::engine::map::AxisName;
    let coordinate = |name: AxisName| match name {
        AxisName::W0 => Some(0),
        AxisName::B0 => Some(1),
        _ => None,
    };
    let (Some(cx), Some(cy)) = (coordinate(x.name), coordinate(y.name)) else {
        return;
    };
    for (i, m) in minima.iter().enumerate() {
        let (Some(px), Some(py)) = (xs.pos(m[cx]), ys.pos(m[cy])) else {
            continue;
        };
        let (px, py) = (
            layout.left + px.round() as i64,
            layout.top + layout.plot_h - 1 - py.round() as i64,
        );
        for dy in -7_i64..=7 {
            for dx in -7_i64..=7 {
                let r = ((dx * dx + dy * dy) as f64).sqrt();
                if (3.5..=6.5).contains(&r) {
                    canvas.put(px + dx, py + dy, WHITE);
                }
                if (4.5..=5.5).contains(&r) {
                    canvas.put(px + dx, py + dy, BLACK);
                }
            }
        }
        text.draw_haloed(
            canvas,
            &(i + 1).to_string(),
            SMALL,
            (px + 9, py),
            (0.0, 0.5),
        );
    }
}

/// The color scale of the stability map: a bar with log10 J ticks.
struct Colorbar {
    height: usize,
    ticks: Vec<Tick>,
    label_w: i64,
}

const BAR_W: i64 = 18;

impl Colorbar {
    /// A bar `height` pixels tall for log10 J from `lo` (bottom) to `hi` (top).
    fn new(text: &Text, lo: f64, hi: f64, height: usize) -> Self {
        // So many cells that a value sits at (almost exactly) its fraction of the bar.
        let ticks = Scale {
            lo,
            hi,
            log: false,
            count: 1_000_001,
            len: height as f64,
            integer: false,
        }
        .ticks(text, false);
        let label_w = ticks
            .iter()
            .map(|t| text.width(&t.label, SMALL))
            .max()
            .unwrap_or(0);
        Self {
            height,
            ticks,
            label_w,
        }
    }

    /// Width and height in pixels, with the title.
    fn size(&self) -> (usize, usize) {
        let w = BAR_W + TICK + 5 + self.label_w;
        (usize::try_from(w.max(70)).unwrap_or(0), self.height + 30)
    }

    /// Draws the title, bar and ticks with the top-left corner at (x, y).
    fn draw(&self, canvas: &mut Canvas, text: &Text, x: i64, y: i64) {
        text.draw(canvas, "log10 J", SMALL, (x, y), (0.0, 0.0));
        let top = y + 28;
        let h = self.height as i64;
        for i in 0..h {
            let t = 1.0 - i as f64 / (h - 1).max(1) as f64;
            canvas.rect(x, top + i, BAR_W, 1, colormap(t));
        }
        canvas.outline(x, top, BAR_W, h, FRAME);
        for t in &self.ticks {
            let yy = top + h - 1 - t.pos.round() as i64;
            canvas.rect(x + BAR_W + 1, yy, TICK, 1, FRAME);
            text.draw(
                canvas,
                &t.label,
                SMALL,
                (x + BAR_W + TICK + 5, yy + 1),
                (0.0, 0.5),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::map::AxisName;

    /// The picture's size and RGB pixels.
    pub(super) fn decode(bytes: &[u8]) -> (usize, usize, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
        let info = reader.next_frame(&mut pixels).expect("the image data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels.truncate(info.buffer_size());
        (info.width as usize, info.height as usize, pixels)
    }

    pub(super) fn pixel(image: &(usize, usize, Vec<u8>), x: usize, y: usize) -> Rgb {
        let i = (y * image.0 + x) * 3;
        [image.2[i], image.2[i + 1], image.2[i + 2]]
    }

    fn axis(name: AxisName, lo: f64, hi: f64, count: usize) -> Axis {
        Axis {
            name,
            lo,
            hi,
            log: false,
            count,
        }
    }

    fn cell(status: CellStatus, iterations: u64, minimum: Option<usize>) -> CellOutcome {
        CellOutcome {
            x: 0.0,
            y: None,
            status,
            iterations,
            w: 0.0,
            b: 0.0,
            cost: 0.0,
            minimum,
        }
    }

    /// The plot's top-left corner: the first pixel right of and below the frame's corner.
    pub(super) fn plot_origin(image: &(usize, usize, Vec<u8>)) -> (usize, usize) {
        for y in 0..image.1 {
            for x in 0..image.0 {
                if pixel(image, x, y) == FRAME
                    && pixel(image, x + 1, y) == FRAME
                    && pixel(image, x, y + 1) == FRAME
                    && pixel(image, x + 1, y + 1) != FRAME
                {
                    return (x + 1, y + 1);
                }
            }
        }
        panic!("no plot frame");
    }

    // A 4 x 4 map: 128-pixel cells, larger y at the top, statuses in their colors.
    #[test]
    fn map_cells_have_their_colors() {
        let x = axis(AxisName::W0, -1.0, 1.0, 4);
        let y = axis(AxisName::B0, -1.0, 1.0, 4);
        let mut cells = vec![cell(CellStatus::Converged, 10, Some(0)); 16];
        cells[0] = cell(CellStatus::Diverged, 5, None); // bottom left
        cells[1] = cell(CellStatus::Limit, 1000, None);
        cells[2] = cell(CellStatus::Undefined, 0, None);
        cells[15] = cell(CellStatus::Converged, 10, Some(1)); // top right
        cells[14] = cell(CellStatus::Converged, 500, Some(1));
        let png =
            map_png(&cells, &x, Some(&y), &[[5.0, 5.0], [-5.0, -5.0]], 1000).expect("a picture");
        let image = decode(&png);
        let (left, top) = plot_origin(&image);
        let at = |column: usize, row_from_top: usize| {
            pixel(
                &image,
                left + column * 128 + 64,
                top + row_from_top * 128 + 64,
            )
        };
        assert_eq!(at(0, 3), BLACK);
        assert_eq!(at(1, 3), LIMIT_GREY);
        assert_eq!(at(2, 3), UNDEFINED_RED);
        let (m0, m1) = (at(0, 0), at(3, 0));
        let spread = m0.iter().zip(m1).map(|(a, b)| a.abs_diff(b)).max();
        assert!(spread > Some(60), "{m0:?} and {m1:?} look alike");
        // Slower to converge: darker.
        let luma = |c: Rgb| c.iter().map(|&v| u32::from(v)).sum::<u32>();
        assert!(luma(at(2, 0)) + 60 < luma(at(3, 0)));
        assert!(image.0 > 512 && image.1 > 512 && image.0 < 1200 && image.1 < 1000);
    }

    // Hues of up to 8 minima stay apart.
    #[test]
    fn minimum_hues_differ() {
        let shades = Shades::new(&[], 8);
        let colors: Vec<Rgb> = (0..8).map(|i| shades.converged(Some(i), 0.3)).collect();
        for (i, a) in colors.iter().enumerate() {
            for b in &colors[i + 1..] {
                let d: u32 = a
                    .iter()
                    .zip(b)
                    .map(|(x, y)| u32::from(x.abs_diff(*y)))
                    .sum();
                assert!(d > 40, "{a:?} and {b:?}");
            }
        }
    }

    // The colormap gets lighter with the cost, so the stability map's order reads.
    #[test]
    fn stability_colors_follow_the_cost() {
        let x = Axis {
            name: AxisName::Lr,
            lo: 0.001,
            hi: 1.0,
            log: true,
            count: 3,
        };
        let rows = 50;
        let mut log_cost = vec![f32::NAN; 3 * rows];
        for row in 0..rows {
            log_cost[row * 3] = -2.0; // low cost throughout
            log_cost[row * 3 + 1] = 2.0; // high cost throughout
            if row <= 10 {
                log_cost[row * 3 + 2] = 0.0; // ends (diverges) at row 10
            }
        }
        let png = stability_png(&x, &log_cost, 3, rows, &[49, 49, 10], &[false, false, true])
            .expect("a picture");
        let image = decode(&png);
        let (left, top) = plot_origin(&image);
        // 3 columns of 171 pixels, 50 rows of 10 pixels.
        let at =
            |column: usize, row: usize| pixel(&image, left + column * 171 + 85, top + row * 10 + 5);
        let luma =
            |c: Rgb| 0.2126 * f64::from(c[0]) + 0.7152 * f64::from(c[1]) + 0.0722 * f64::from(c[2]);
        assert!(luma(at(0, 5)) + 40.0 < luma(at(2, 5)));
        assert!(luma(at(2, 5)) + 40.0 < luma(at(1, 5)));
        assert_eq!(at(2, 30), BLACK);
        let mut previous = -1.0;
        for i in 0..=20 {
            let l = luma(colormap(f64::from(i) / 20.0));
            assert!(l > previous, "the colormap darkens at {i}");
            previous = l;
        }
    }

    // A run that ended early leaves a grey background, not a color.
    #[test]
    fn ended_runs_are_grey() {
        let x = axis(AxisName::W0, 0.0, 1.0, 2);
        let log_cost = [0.0, 1.0, -1.0, f32::NAN, -2.0, f32::NAN];
        let png = stability_png(&x, &log_cost, 2, 3, &[2, 0], &[false, false]).expect("a picture");
        let image = decode(&png);
        let (left, top) = plot_origin(&image);
        let bottom_right = pixel(&image, left + 256 + 128, top + 2 * 160 + 80);
        assert_eq!(bottom_right, ENDED_GREY);
    }

    // Odd inputs give an error or a picture, never a panic.
    #[test]
    fn odd_inputs_do_not_panic() {
        let x = axis(AxisName::Lr, 0.1, 0.1, 1);
        assert!(map_png(&[], &x, None, &[], 10).is_err());
        let one = [cell(CellStatus::Converged, 3, None)];
        assert!(map_png(&one, &x, None, &[], 10).is_ok());
        let nan = Axis { lo: f64::NAN, ..x };
        assert!(map_png(&one, &nan, None, &[], 10).is_err());
        let huge = axis(AxisName::W0, 0.0, 1.0, usize::MAX);
        assert!(map_png(&one, &huge, Some(&huge), &[], 10).is_err());
        assert!(stability_png(&huge, &[], usize::MAX, 2, &[], &[]).is_err());
        let wide = axis(AxisName::Seed, 0.0, 9999.0, 10_000);
        let cells = vec![cell(CellStatus::Diverged, 3, None); 10_000];
        let image = decode(&map_png(&cells, &wide, None, &[], 10).expect("a strip"));
        assert!(image.0 < 2400);
        let x2 = axis(AxisName::W0, -1.0, 1.0, 2);
        assert!(stability_png(&x2, &[f32::NAN; 4], 2, 2, &[0, 9], &[true, false]).is_ok());
        for (lo, hi, log) in [
            (-1.0, 1.0, false),
            (1e-8, 1e8, true),
            (0.5, 0.6, true),
            (1e-12, 2e-12, false),
            (-3e9, 1e-3, false),
        ] {
            for count in [1, 2, 7, 3000] {
                let a = Axis {
                    name: AxisName::Lr,
                    lo,
                    hi,
                    log,
                    count,
                };
                let cells = vec![cell(CellStatus::Limit, 3, None); count];
                assert!(map_png(&cells, &a, None, &[], 10).is_ok());
                let costs = vec![0.5; count * 3];
                let ended = vec![1; count];
                assert!(stability_png(&a, &costs, count, 3, &ended, &vec![true; count]).is_ok());
            }
        }
        let vast = axis(AxisName::W0, -1e308, 1e308, 3);
        let same = axis(AxisName::B0, 2.0, 2.0, 3);
        let cells = vec![cell(CellStatus::Converged, 3, Some(7)); 9];
        let minima = [[f64::NAN, f64::INFINITY], [1e300, -1e-300]];
        assert!(map_png(&cells, &vast, Some(&same), &minima, 10).is_ok());
        assert!(map_png(&cells, &same, Some(&vast), &minima, u64::MAX).is_ok());
        let bad_log = Axis {
            log: true,
            lo: -1.0,
            ..x2
        };
        assert!(stability_png(&bad_log, &[0.0; 4], 2, 2, &[1, 1], &[false; 2]).is_err());
    }

    // Tick labels are short: no float noise, exponents without padding.
    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_g(1e-5, 3), "1e-5");
        assert_eq!(fmt_g(0.001, 3), "0.001");
        assert_eq!(fmt_g(0.01, 3), "0.01");
        assert_eq!(fmt_g(2.5e6, 3), "2.5e6");
        assert_eq!(fmt_g(-2.805118, 4), "-2.805");
        assert_eq!(fmt_step(0.30000000000000004, 0.1), "0.3");
        assert_eq!(fmt_step(-0.0, 0.5), "0");
        assert_eq!(fmt_step(1500.0, 500.0), "1500");
    }

    // Labels along an axis keep apart; log axes label round values.
    #[test]
    fn ticks_do_not_crowd() {
        let text = Text::new().expect("the font");
        let lr = Axis {
            name: AxisName::Lr,
            lo: 1e-5,
            hi: 10.0,
            log: true,
            count: 64,
        };
        let ticks = Scale::new(&lr, 300.0).ticks(&text, true);
        let labels: Vec<&str> = ticks
            .iter()
            .filter(|t| !t.minor)
            .map(|t| t.label.as_str())
            .collect();
        assert!(labels.len() >= 3, "{labels:?}");
        assert!(
            labels
                .iter()
                .all(|l| l.trim_start_matches(['0', '.']).starts_with('1')),
            "{labels:?}"
        );
        assert!(
            ticks.iter().any(|t| t.minor),
            "no minor ticks between decades"
        );
        assert_ne!(
            text.font.glyph_id('\u{2212}').0,
            0,
            "the font has a minus sign"
        );
        for w in [0.0, 1.0] {
            let x = axis(AxisName::W0, -5.0 + w, 5.0, 512);
            let ticks = Scale::new(&x, 512.0).ticks(&text, true);
            for pair in ticks.windows(2) {
                let room = pair[1].pos - pair[0].pos;
                let need = (text.width(&pair[0].label, SMALL) + text.width(&pair[1].label, SMALL))
                    as f64
                    / 2.0;
                assert!(room > need, "{:?}", (&pair[0], &pair[1]));
            }
        }
    }

    /// Example pictures in /tmp to look at: `cargo test --lib map_picture -- --ignored`.
    #[test]
    #[ignore = "writes example pictures to /tmp"]
    fn example_pictures() {
        // A Himmelblau-like field: four minima, the start decides which one.
        let minima = [
            [3.0, 2.0],
            [-2.805118, 3.131312],
            [-3.779310, -3.283186],
            [3.584428, -1.848126],
        ];
        let n = 96;
        let x = axis(AxisName::W0, -6.0, 6.0, n);
        let y = axis(AxisName::B0, -6.0, 6.0, n);
        let (xs, ys) = (x.values(), y.values());
        let mut cells = Vec::new();
        for &b in &ys {
            for &w in &xs {
                let nearest = (0..4)
                    .min_by(|&i, &j| {
                        let d = |k: usize| (minima[k][0] - w).hypot(minima[k][1] - b);
                        d(i).total_cmp(&d(j))
                    })
                    .unwrap_or(0);
                let r = w.hypot(b);
                let distance = (minima[nearest][0] - w).hypot(minima[nearest][1] - b);
                let (status, minimum) = if r > 7.6 {
                    (CellStatus::Diverged, None)
                } else if (w - b * 0.3).abs() < 0.15 && r > 2.0 {
                    (CellStatus::Limit, None)
                } else if r < 0.3 {
                    (CellStatus::Converged, None)
                } else {
                    (CellStatus::Converged, Some(nearest))
                };
                cells.push(CellOutcome {
                    x: w,
                    y: Some(b),
                    status,
                    iterations: (20.0 + 40.0 * distance * distance) as u64,
                    w,
                    b,
                    cost: 0.0,
                    minimum,
                });
            }
        }
        if let Some(c) = cells.get_mut(3) {
            c.status = CellStatus::Undefined;
        }
        let png = map_png(&cells, &x, Some(&y), &minima, 10_000).expect("a map");
        std::fs::write("/tmp/map_example.png", png).expect("written");

        // A learning-rate sweep: slower decay at small rates, oscillation, divergence.
        let lr = Axis {
            name: AxisName::Lr,
            lo: 1e-4,
            hi: 1.0,
            log: true,
            count: 400,
        };
        let rows = 1001;
        let mut log_cost = vec![f32::NAN; 400 * rows];
        let mut ended = vec![1000; 400];
        let mut diverged = vec![false; 400];
        for (c, rate) in lr.values().into_iter().enumerate() {
            let factor = (1.0 - 2.0 * rate * 4.0_f64).abs();
            let mut cost = 10.0_f64;
            for row in 0..rows {
                log_cost[row * 400 + c] = cost.log10() as f32;
                if cost < 1e-12 {
                    ended[c] = row as u64;
                    break;
                }
                if cost > 1e8 {
                    ended[c] = row as u64;
                    diverged[c] = true;
                    log_cost[row * 400 + c] = f32::NAN;
                    break;
                }
                cost *= factor * factor;
            }
        }
        let png = stability_png(&lr, &log_cost, 400, rows, &ended, &diverged).expect("a map");
        std::fs::write("/tmp/stability_example.png", png).expect("written");

        let strip = map_png(&cells[..n], &x, None, &minima, 10_000).expect("a strip");
        std::fs::write("/tmp/strip_example.png", strip).expect("written");

        // Momentum against a log learning rate: one minimum, fast in a band, diverging above.
        let momentum = axis(AxisName::Momentum, 0.0, 0.99, 64);
        let rate = Axis {
            name: AxisName::Lr,
            lo: 1e-5,
            hi: 3.0,
            log: true,
            count: 48,
        };
        let mut cells = Vec::new();
        for &lr in &rate.values() {
            for &m in &momentum.values() {
                let effective = lr / (1.0 - m);
                let (status, minimum) = if effective > 0.6 {
                    (CellStatus::Diverged, None)
                } else if effective < 1e-3 {
                    (CellStatus::Limit, None)
                } else {
                    (CellStatus::Converged, Some(0))
                };
                cells.push(CellOutcome {
                    x: m,
                    y: Some(lr),
                    status,
                    iterations: (3.0 / effective) as u64 + (40.0 * m) as u64,
                    w: 1.0,
                    b: 0.5,
                    cost: 0.0,
                    minimum,
                });
            }
        }
        let png = map_png(&cells, &momentum, Some(&rate), &[[1.0, 0.5]], 5000).expect("a map");
        std::fs::write("/tmp/map_log_example.png", png).expect("written");

        // Odd shapes: a wide flat map with many minima, a single cell, a one-column trace.
        let wide = axis(AxisName::W0, 0.0, 1.0, 200);
        let flat = axis(AxisName::Seed, 0.0, 2.0, 3);
        let many: Vec<[f64; 2]> = (0..12).map(|i| [f64::from(i), -0.5]).collect();
        let cells: Vec<CellOutcome> = (0..600)
            .map(|i| cell(CellStatus::Converged, 10 + i as u64, Some(i / 50)))
            .collect();
        let png = map_png(&cells, &wide, Some(&flat), &many, 100).expect("a map");
        std::fs::write("/tmp/map_odd_wide.png", png).expect("written");
        let one = axis(AxisName::Lr, 0.05, 0.05, 1);
        let png =
            map_png(&[cell(CellStatus::Limit, 100, None)], &one, None, &[], 100).expect("a map");
        std::fs::write("/tmp/map_odd_one.png", png).expect("written");
        let png = stability_png(&one, &[1.0, f32::NAN], 1, 2, &[1], &[true]).expect("a map");
        std::fs::write("/tmp/stability_odd_one.png", png).expect("written");
    }
}
