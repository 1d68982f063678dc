//! The pictures drawn as points and lines over a value axis: the bifurcation diagram and the
//! final-cost sweep of a 1-D map, and the curve of a learning-rate range test.

use super::{
    Axis, Canvas, CellOutcome, CellStatus, INK, Item, LIMIT_GREY, Layout, Legend, Rgb, Scale, Text,
    Tick, axis_title, block_size, check_axis, fmt_g, minus,
};
use crate::engine::surface::{plot_range, wants_log};

/// Height of one panel of a plot.
const PANEL_H: usize = 300;
/// Room between the two panels of a bifurcation diagram.
const GAP: i64 = 28;
/// The background of a diverged run's column.
const DIVERGED_TINT: Rgb = [246, 210, 210];
/// The main line of a plot.
const LINE: Rgb = [38, 92, 170];
/// A range test's raw costs, behind the smoothed line.
const RAW: Rgb = [150, 172, 206];
/// The line joining a sweep's runs.
const JOIN: Rgb = [178, 186, 200];
/// The suggested learning rate.
const SUGGESTED: Rgb = [200, 60, 40];
/// A known minimum's coordinate.
const MINIMUM_LINE: Rgb = [222, 135, 30];

/// A scale of continuous values `lo..=hi` along `len` pixels (log when asked).
fn value_scale(lo: f64, hi: f64, log: bool, len: f64) -> Scale {
    Scale {
        lo,
        hi,
        log,
        // So many cells that a value sits at (almost exactly) its fraction of the length.
        count: 1_000_001,
        len,
        integer: false,
    }
}

/// The pixel row of `value` in a panel (None off its scale).
fn row(panel: &Layout, scale: &Scale, value: f64) -> Option<f64> {
    scale
        .pos(value)
        .map(|p| (panel.top + panel.plot_h - 1) as f64 - p)
}

/// A one-pixel antialiased line (nothing for a line off any sensible size).
fn line(canvas: &mut Canvas, (x0, y0): (f64, f64), (x1, y1): (f64, f64), color: Rgb, alpha: f32) {
    let (dx, dy) = (x1 - x0, y1 - y0);
    let steps = dx.abs().max(dy.abs()).ceil().max(1.0);
    if !steps.is_finite() || steps > 20_000.0 {
        return;
    }
    let shallow = dx.abs() >= dy.abs();
    for i in 0..=steps as i64 {
        let t = i as f64 / steps;
        let (x, y) = (x0 + dx * t, y0 + dy * t);
        // Split the pixel across the two nearest rows (or columns).
        let (along, across) = if shallow { (x, y) } else { (y, x) };
        let base = across.floor();
        let frac = (across - base) as f32;
        for (offset, weight) in [(0, 1.0 - frac), (1, frac)] {
            let (px, py) = if shallow {
                (along.round() as i64, base as i64 + offset)
            } else {
                (base as i64 + offset, along.round() as i64)
            };
            canvas.blend(px, py, color, alpha * weight);
        }
    }
}

/// A line about two pixels wide.
fn thick_line(canvas: &mut Canvas, a: (f64, f64), b: (f64, f64), color: Rgb) {
    let shallow = (b.0 - a.0).abs() >= (b.1 - a.1).abs();
    for shift in [-0.5, 0.5] {
        let (sx, sy) = if shallow { (0.0, shift) } else { (shift, 0.0) };
        line(
            canvas,
            (a.0 + sx, a.1 + sy),
            (b.0 + sx, b.1 + sy),
            color,
            1.0,
        );
    }
}

/// A filled, antialiased disc.
fn dot(canvas: &mut Canvas, (x, y): (f64, f64), radius: f64, color: Rgb) {
    let reach = radius.ceil() as i64 + 1;
    let (cx, cy) = (x.round() as i64, y.round() as i64);
    for py in cy - reach..=cy + reach {
        for px in cx - reach..=cx + reach {
            let d = (px as f64 - x).hypot(py as f64 - y);
            let coverage = (radius + 0.5 - d).clamp(0.0, 1.0) as f32;
            if coverage > 0.0 {
                canvas.blend(px, py, color, coverage);
            }
        }
    }
}

/// Pixel columns `x0..x1` of cell `i` of `n` across `width` pixels.
fn columns(i: usize, n: usize, width: usize) -> (i64, i64) {
    let x0 = i * width / n.max(1);
    let x1 = ((i + 1) * width / n.max(1)).max(x0 + 1);
    (x0 as i64, x1 as i64)
}

/// Tints the columns of diverged cells across a panel.
fn tint_diverged(canvas: &mut Canvas, panel: &Layout, diverged: &[bool]) {
    let width = usize::try_from(panel.plot_w).unwrap_or(0);
    for (i, _) in diverged.iter().enumerate().filter(|(_, d)| **d) {
        let (x0, x1) = columns(i, diverged.len(), width);
        canvas.rect(
            panel.left + x0,
            panel.top,
            x1 - x0,
            panel.plot_h,
            DIVERGED_TINT,
        );
    }
}

/// A dashed horizontal line across a panel at pixel row `y`.
fn dashed_row(canvas: &mut Canvas, panel: &Layout, y: f64, color: Rgb) {
    let y = y.round() as i64;
    for x in 0..panel.plot_w {
        if (x / 6) % 2 == 0 {
            canvas.put(panel.left + x, y, color);
        }
    }
}

/// A dashed vertical line across a panel at pixel column `x`.
fn dashed_column(canvas: &mut Canvas, panel: &Layout, x: f64, color: Rgb) {
    let x = x.round() as i64;
    for y in 0..panel.plot_h {
        if (y / 6) % 2 == 0 {
            canvas.rect(x, panel.top + y, 2, 1, color);
        }
    }
}

/// The bifurcation diagram of a 1-D map: for each value of `x` (one per cell), the last
/// `kept` iterates of its run, w in the upper panel and b in the lower one. `late[cell]`
/// holds them, `diverged[cell]` marks a run that blew up (its column is tinted, it has no
/// iterates to show), `minima` are drawn as dashed lines at their coordinates.
pub fn bifurcation_png(
    x: &Axis,
    late: &[Vec<[f64; 2]>],
    diverged: &[bool],
    minima: &[[f64; 2]],
    kept: usize,
) -> Result<Vec<u8>, String> {
    check_axis(x)?;
    let cells = x.count;
    if late.len() != cells || diverged.len() != cells {
        return Err(format!(
            "the bifurcation diagram has {cells} columns but {} runs and {} divergence flags",
            late.len(),
            diverged.len()
        ));
    }
    let text = Text::new()?;
    let pw = block_size(cells, 1).0;
    let ph = PANEL_H;
    let xs = Scale::new(x, pw as f64);
    let x_ticks = xs.ticks(&text, true);
    let shown = || {
        late.iter()
            .zip(diverged)
            .filter(|(_, d)| !**d)
            .flat_map(|(points, _)| points.iter())
    };
    let scales = [0, 1].map(|k| {
        let (lo, hi) = plot_range(shown().map(|p| p[k]), false);
        value_scale(lo, hi, false, ph as f64)
    });
    let y_ticks = scales.map(|s| s.ticks(&text, false));
    let mut items = vec![
        Item::Line(format!("the last {kept} iterates")),
        Item::line("of each run:"),
        Item::solid(INK, "an iterate"),
    ];
    if !minima.is_empty() {
        items.push(Item::solid(MINIMUM_LINE, "a known minimum"));
    }
    if diverged.iter().any(|d| *d) {
        items.push(Item::solid(DIVERGED_TINT, "diverged"));
    }
    let legend = Legend { items };
    let all_ticks: Vec<Tick> = y_ticks.concat();
    let layout = Layout::new(
        &text,
        pw,
        2 * ph + GAP as usize,
        &x_ticks,
        Some(&all_ticks),
        legend.size(&text),
    );
    let mut canvas = Canvas::new(layout.width, layout.height)?;
    let panel_h = ph as i64;
    let panels = [
        Layout {
            plot_h: panel_h,
            ..layout
        },
        Layout {
            top: layout.top + panel_h + GAP,
            plot_h: panel_h,
            ..layout
        },
    ];
    for (k, (panel, scale)) in panels.iter().zip(&scales).enumerate() {
        tint_diverged(&mut canvas, panel, diverged);
        for m in minima {
            if let Some(y) = row(panel, scale, m[k]) {
                dashed_row(&mut canvas, panel, y, MINIMUM_LINE);
            }
        }
        for (i, points) in late.iter().enumerate() {
            if diverged[i] {
                continue;
            }
            let (x0, x1) = columns(i, cells, pw);
            let (x0, x1) = if x1 - x0 >= 4 {
                (x0 + 1, x1 - 1)
            } else {
                (x0, x1)
            };
            for p in points {
                let Some(y) = row(panel, scale, p[k]) else {
                    continue;
                };
                for px in x0..x1 {
                    canvas.blend(panel.left + px, y.round() as i64, INK, 0.6);
                }
            }
        }
        let title = if k == 0 { "w" } else { "b" };
        panel.draw_axes(&mut canvas, &text, &y_ticks[k], title, false);
        panel.draw_frame(&mut canvas);
    }
    panels[1].draw_axes(&mut canvas, &text, &x_ticks, &axis_title(x), true);
    legend.draw(&mut canvas, &text, layout.legend_x, layout.top);
    canvas.png()
}

/// The final cost of every run of a 1-D map over its axis: a dot per run (blue: converged,
/// grey: at the iteration limit) joined by a light line, diverged columns tinted. The
/// cost axis is logarithmic when the costs are positive and spread over more than 50 times.
pub fn sweep_png(x: &Axis, cells: &[CellOutcome]) -> Result<Vec<u8>, String> {
    check_axis(x)?;
    if cells.len() != x.count {
        return Err(format!(
            "the sweep has {} runs but its axis has {} values",
            cells.len(),
            x.count
        ));
    }
    let text = Text::new()?;
    let shown = |c: &CellOutcome| {
        !matches!(c.status, CellStatus::Diverged | CellStatus::Undefined) && c.cost.is_finite()
    };
    let costs: Vec<f64> = cells.iter().filter(|c| shown(c)).map(|c| c.cost).collect();
    let log = wants_log(&costs);
    let (lo, hi) = plot_range(costs.iter().copied(), log);
    let (pw, ph) = (block_size(cells.len(), 1).0, PANEL_H + 60);
    let xs = Scale::new(x, pw as f64);
    let ys = value_scale(lo, hi, log, ph as f64);
    let x_ticks = xs.ticks(&text, true);
    let y_ticks = ys.ticks(&text, false);
    let diverged: Vec<bool> = cells.iter().map(|c| !shown(c)).collect();
    let mut items = vec![
        Item::line("J where each run ended:"),
        Item::solid(LINE, "converged"),
        Item::solid(LIMIT_GREY, "at the iteration limit"),
    ];
    if diverged.iter().any(|d| *d) {
        items.push(Item::solid(DIVERGED_TINT, "diverged"));
    }
    let legend = Legend { items };
    let layout = Layout::new(&text, pw, ph, &x_ticks, Some(&y_ticks), legend.size(&text));
    let mut canvas = Canvas::new(layout.width, layout.height)?;
    tint_diverged(&mut canvas, &layout, &diverged);
    let values = x.values();
    let point = |i: usize, c: &CellOutcome| {
        let px = xs.pos(*values.get(i)?)?;
        Some(((layout.left as f64) + px, row(&layout, &ys, c.cost)?))
    };
    let mut previous = None;
    for (i, c) in cells.iter().enumerate() {
        let here = if shown(c) { point(i, c) } else { None };
        if let (Some(a), Some(b)) = (previous, here) {
            thick_line(&mut canvas, a, b, JOIN);
        }
        previous = here;
    }
    let radius = if cells.len() <= 128 { 3.0 } else { 1.5 };
    for (i, c) in cells.iter().enumerate() {
        if let Some(p) = point(i, c).filter(|_| shown(c)) {
            let color = if c.status == CellStatus::Converged {
                LINE
            } else {
                LIMIT_GREY
            };
            dot(&mut canvas, p, radius, color);
        }
    }
    layout.draw_axes(&mut canvas, &text, &x_ticks, &axis_title(x), true);
    let title = if log {
        "final cost J (log)"
    } else {
        "final cost J"
    };
    layout.draw_axes(&mut canvas, &text, &y_ticks, title, false);
    layout.draw_frame(&mut canvas);
    legend.draw(&mut canvas, &text, layout.legend_x, layout.top);
    canvas.png()
}

/// The curve of a learning-rate range test: each update's cost (light) and the smoothed
/// cost (dark) against its learning rate on a log axis from `lo` to `hi`, with the suggested
/// rate marked.
pub fn range_test_png(
    rates: &[f64],
    costs: &[f64],
    smoothed: &[f64],
    suggested: Option<f64>,
    lo: f64,
    hi: f64,
) -> Result<Vec<u8>, String> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && lo < hi) {
        return Err(format!(
            "the range test runs from {lo} to {hi}: not a range to draw"
        ));
    }
    if rates.len() != costs.len() || rates.len() != smoothed.len() {
        return Err(format!(
            "the range test has {} rates, {} costs and {} smoothed costs",
            rates.len(),
            costs.len(),
            smoothed.len()
        ));
    }
    let text = Text::new()?;
    let all: Vec<f64> = costs
        .iter()
        .chain(smoothed)
        .copied()
        .filter(|v| v.is_finite())
        .collect();
    let log = wants_log(&all);
    let (y_lo, y_hi) = plot_range(all.iter().copied(), log);
    let (pw, ph) = (640, 400);
    let xs = value_scale(lo, hi, true, pw as f64);
    let ys = value_scale(y_lo, y_hi, log, ph as f64);
    let x_ticks = xs.ticks(&text, true);
    let y_ticks = ys.ticks(&text, false);
    let mut items = vec![
        Item::solid(RAW, "J after each update"),
        Item::solid(LINE, "smoothed (moving average)"),
    ];
    match suggested {
        Some(rate) => items.push(Item::Solid(
            SUGGESTED,
            format!("suggested: {}", minus(&fmt_g(rate, 3))),
        )),
        None => items.push(Item::line("no suggestion: J never fell")),
    }
    let legend = Legend { items };
    let layout = Layout::new(&text, pw, ph, &x_ticks, Some(&y_ticks), legend.size(&text));
    let mut canvas = Canvas::new(layout.width, layout.height)?;
    let point =
        |rate: f64, cost: f64| Some((layout.left as f64 + xs.pos(rate)?, row(&layout, &ys, cost)?));
    if let Some(px) = suggested.and_then(|rate| xs.pos(rate)) {
        dashed_column(&mut canvas, &layout, layout.left as f64 + px, SUGGESTED);
    }
    for (series, color, thick) in [(costs, RAW, false), (smoothed, LINE, true)] {
        let mut previous = None;
        for (&rate, &cost) in rates.iter().zip(series) {
            let here = point(rate, cost);
            if let (Some(a), Some(b)) = (previous, here) {
                if thick {
                    thick_line(&mut canvas, a, b, color);
                } else {
                    line(&mut canvas, a, b, color, 1.0);
                }
            }
            previous = here;
        }
    }
    layout.draw_axes(&mut canvas, &text, &x_ticks, "learning rate (log)", true);
    let title = if log { "cost J (log)" } else { "cost J" };
    layout.draw_axes(&mut canvas, &text, &y_ticks, title, false);
    layout.draw_frame(&mut canvas);
    legend.draw(&mut canvas, &text, layout.legend_x, layout.top);
    canvas.png()
}

#[cfg(test)]
mod tests {
    use super::super::tests::{decode, pixel, plot_origin};
    use super::*;
    use crate::engine::map::AxisName;

    fn lr_axis(count: usize) -> Axis {
        Axis {
            name: AxisName::Lr,
            lo: 0.01,
            hi: 1.0,
            log: true,
            count,
        }
    }

    // The bifurcation diagram puts each run's iterates in its column, tints diverged columns
    // and draws two panels.
    #[test]
    fn bifurcation_marks_iterates_and_divergence() {
        let x = lr_axis(4);
        let late = vec![
            vec![[1.0, 0.0]; 8],
            vec![[0.5, 0.0], [1.5, 0.0]],
            vec![[0.0, 2.0]],
            Vec::new(),
        ];
        let diverged = [false, false, false, true];
        let png = bifurcation_png(&x, &late, &diverged, &[[1.0, 0.0]], 8).expect("a picture");
        let image = decode(&png);
        let (left, top) = plot_origin(&image);
        // 4 columns of 128 pixels; the last is tinted.
        assert_eq!(pixel(&image, left + 3 * 128 + 64, top + 150), DIVERGED_TINT);
        let column_ink = |column: usize| {
            (top..top + PANEL_H)
                .filter(|&y| pixel(&image, left + column * 128 + 64, y)[0] < 160)
                .count()
        };
        assert_eq!(column_ink(0), 1, "one value repeated: one mark");
        assert_eq!(column_ink(1), 2, "period two: two marks");
        assert!(image.1 > 2 * PANEL_H);
        assert!(bifurcation_png(&x, &late[..2], &diverged, &[], 8).is_err());
    }

    // The sweep and the range test give pictures, and refuse inputs that do not fit.
    #[test]
    fn curves_draw_and_refuse_bad_inputs() {
        let x = lr_axis(3);
        let cell = |status, cost| CellOutcome {
            x: 0.0,
            y: None,
            status,
            iterations: 10,
            w: 0.0,
            b: 0.0,
            cost,
            minimum: None,
        };
        let cells = [
            cell(CellStatus::Limit, 5.0),
            cell(CellStatus::Converged, 1e-6),
            cell(CellStatus::Diverged, f64::INFINITY),
        ];
        let image = decode(&sweep_png(&x, &cells).expect("a sweep"));
        let (left, top) = plot_origin(&image);
        assert_eq!(pixel(&image, left + 2 * 171 + 85, top + 20), DIVERGED_TINT);
        assert!(sweep_png(&x, &cells[..2]).is_err());
        let rates = [1e-3, 1e-2, 1e-1];
        let png = range_test_png(
            &rates,
            &[3.0, 2.0, 9.0],
            &[3.0, 2.5, 4.0],
            Some(1e-2),
            1e-4,
            1.0,
        )
        .expect("a curve");
        decode(&png);
        assert!(range_test_png(&rates, &[1.0], &[1.0], None, 1e-4, 1.0).is_err());
        assert!(range_test_png(&[], &[], &[], None, 0.0, 1.0).is_err());
        assert!(range_test_png(&[], &[], &[], None, 1e-3, 1.0).is_ok());
    }
}
