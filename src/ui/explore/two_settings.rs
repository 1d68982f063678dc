//! The two-setting map: any two of the engine's axes against each other, each cell a run of
//! the selected run's optimizer colored by how it ended. Hover reads a cell, a click applies
//! its settings to the run and plays it, scroll zooms and drag pans (the map recomputes at
//! the new range, coarse first).

use std::sync::Arc;

use egui::{RichText, Vec2};
use egui_plot::{PlotBounds, PlotImage, PlotPoint};

use crate::engine::map::{AxisName, CellOutcome, CellStatus, MapJob};
use crate::engine::run::RunSettings;
use crate::engine::scenario::{ExploreAxis, ExploreSettings};
use crate::engine::{Domain, Point};
use crate::ui::command::Command;
use crate::ui::view3d::ticks::format_number;

use super::RunInput;
use super::legend::outcome_legend;
use super::outcome_map::{MapView, OutcomeMap};
use super::scale::{self, Scale};

/// What a map depends on.
#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    run: RunSettings,
    x: ExploreAxis,
    y: ExploreAxis,
    count: usize,
    iterations: u64,
    minima: Vec<Point>,
    domain: Domain,
}

/// The two-setting map's job, picture and hover.
pub struct TwoSettings {
    key: Option<Key>,
    view: MapView,
    cancelled: bool,
    /// The height the readout, the legend and the spacing around the map took last frame
    /// (the map is sized so they fit under it).
    below_map: Option<f32>,
}

impl TwoSettings {
    /// An empty map; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            key: None,
            view: MapView::new(ctx, "two settings"),
            cancelled: false,
            below_map: None,
        }
    }

    /// The newest map (tests).
    pub fn map(&self) -> Option<&OutcomeMap> {
        self.view.map.as_deref()
    }

    /// Blocks until the newest map is complete (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.view.wait();
    }

    fn request(&mut self, input: &RunInput<'_>) {
        let mut run = input.run.clone();
        (run.id, run.color, run.visible) = (0, None, true);
        run.max_iterations = input.settings.map_iterations;
        run.max_epochs = None;
        let s = &input.settings;
        let key = Key {
            objective_version: input.objective_version,
            run,
            x: s.map_x,
            y: s.map_y,
            count: s.map_count,
            iterations: s.map_iterations,
            minima: input.minima.to_vec(),
            domain: input.domain,
        };
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.cancelled = false;
        let job = MapJob::new(
            Arc::clone(input.objective),
            key.run.clone(),
            key.x.axis(key.count),
            Some(key.y.axis(key.count)),
            key.minima.clone(),
            key.domain,
        );
        self.key = Some(key);
        self.view.start(job);
    }

    /// Draws the map filling `ui`; a click pushes the command that applies a cell.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: RunInput<'_>, commands: &mut Vec<Command>) {
        self.view.poll();
        axis_pickers(
            ui,
            input.settings,
            input.run,
            input.objective.example_count() > 0,
        );
        self.request(&input);
        let busy = self.view.progress();
        ui.horizontal(|ui| {
            if let Some(p) = busy {
                ui.add(
                    egui::ProgressBar::new(p)
                        .desired_width(160.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    self.view.cancel();
                    self.cancelled = true;
                }
            } else if self.cancelled {
                ui.label(RichText::new("cancelled: the map is unfinished").italics());
            }
        });
        if let Some(e) = &self.view.error {
            crate::ui::panels::widgets::error_text(ui, e);
            return;
        }
        let settings = &mut *input.settings;
        let (x, y) = (scale_of(settings.map_x), scale_of(settings.map_y));
        let map = self.view.map.clone();
        let below_map = self
            .below_map
            .unwrap_or(4.5 * ui.text_style_height(&egui::TextStyle::Body) + 30.0);
        let plot_height = (ui.available_height() - below_map).max(120.0);
        let plot_top = ui.cursor().min.y;
        let plot = scale::with_axes(
            scale::fixed_plot("two settings", plot_height)
                .x_axis_label(axis_title(settings.map_x))
                .y_axis_label(axis_title(settings.map_y)),
            x,
            y,
        );
        let texture = self.view.texture(ui.ctx());
        let response = plot.show(ui, |plot_ui| {
            let ([x0, x1], [y0, y1]) = (x.plot_range(), y.plot_range());
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([x0, y0], [x1, y1]));
            if let (Some(map), Some(texture)) = (&map, texture) {
                // The image spans the map's own axes (a zoom shows the old map until the
                // new one arrives).
                let (mx, my) = (map.job.x_axis(), map.job.y_axis());
                if let Some(my) = my {
                    let sx = Scale {
                        lo: mx.lo,
                        hi: mx.hi,
                        log: mx.log,
                    };
                    let sy = Scale {
                        lo: my.lo,
                        hi: my.hi,
                        log: my.log,
                    };
                    let (hx, hy) = (half_cell(sx, mx.count), half_cell(sy, my.count));
                    let ([a, b], [c, d]) = (sx.plot_range(), sy.plot_range());
                    let center = PlotPoint::new((a + b) / 2.0, (c + d) / 2.0);
                    let size = Vec2::new((b - a + 2.0 * hx) as f32, (d - c + 2.0 * hy) as f32);
                    plot_ui.image(PlotImage::new("map", texture, center, size).allow_hover(false));
                }
            }
            plot_ui.pointer_coordinate()
        });
        let hovered = response.response.hovered();
        let pointer = response.inner.filter(|_| hovered);
        let cell = pointer.and_then(|p| map.as_ref().and_then(|m| cell_at(m, p)));
        // Zoom and pan change the settings' ranges; the map recomputes there.
        if hovered {
            let scroll = ui.input(|i| i.smooth_scroll_delta.y);
            if scroll != 0.0
                && let Some(p) = pointer
            {
                let factor = (-f64::from(scroll) * 0.003).exp();
                let (vx, vy) = (x.value_at(p.x), y.value_at(p.y));
                set_scale(&mut settings.map_x, x.zoomed(vx, factor));
                set_scale(&mut settings.map_y, y.zoomed(vy, factor));
            }
        }
        if response.response.dragged() {
            let delta = response.response.drag_delta();
            let t = &response.transform;
            let per_x = t.dvalue_dpos()[0];
            let per_y = t.dvalue_dpos()[1];
            set_scale(&mut settings.map_x, x.panned(-f64::from(delta.x) * per_x));
            set_scale(&mut settings.map_y, y.panned(-f64::from(delta.y) * per_y));
        }
        let readout = match (&map, cell) {
            (Some(m), Some((c, r))) => describe(m, c, r),
            _ => "hover a cell to read it; click to use it".to_owned(),
        };
        // The cell under the pointer reads at the pointer too (the line below the map stays
        // for the class at the back).
        if hovered && cell.is_some() {
            response.response.clone().on_hover_text_at_pointer(format!(
                "{readout}\nclick: use these settings; scroll: zoom; drag: pan"
            ));
        }
        ui.label(RichText::new(readout).monospace());
        if response.response.clicked()
            && let (Some(m), Some((c, r))) = (&map, cell)
            && let Some(outcome) = m.cell(c, r)
            && let Ok(mut settings) = m.job.cell_settings(outcome.x, outcome.y)
        {
            settings.max_iterations = input.run.max_iterations;
            settings.max_epochs = input.run.max_epochs;
            commands.push(Command::ApplyRunSettings {
                id: input.run.id,
                settings: Box::new(settings),
            });
        }
        if let Some(m) = &map {
            outcome_legend(ui, &m.shades, m.job.minima());
        }
        // Everything but the map's own height: the readout, the legend, the spacing.
        let used = ui.cursor().min.y - plot_top - plot_height;
        if self.below_map.is_none_or(|h| (h - used).abs() > 0.5) {
            // Lay the map out again with the room its legend takes.
            self.below_map = Some(used);
            ui.ctx().request_repaint();
        }
    }
}

/// The settings the selected run has (momentum only for heavy ball and Nesterov, batch size
/// only on a data fit, ...).
fn applicable(run: &RunSettings, data_fit: bool) -> Vec<AxisName> {
    AxisName::ALL
        .iter()
        .map(|(a, _)| *a)
        .filter(|a| *a != AxisName::BatchSize || data_fit)
        .filter(|a| *a != AxisName::LrKeepRatio)
        .filter(|a| a.apply(&mut run.clone(), [0.0, 0.0], 1.0).is_ok())
        .collect()
}

/// The axis that stands in for one the run does not have, in order of interest.
const FALLBACK: [AxisName; 12] = [
    AxisName::Lr,
    AxisName::Momentum,
    AxisName::Beta1,
    AxisName::Alpha,
    AxisName::BatchSize,
    AxisName::Beta2,
    AxisName::W0,
    AxisName::B0,
    AxisName::Noise,
    AxisName::WeightDecay,
    AxisName::Eps,
    AxisName::Seed,
];

/// The axis name and range pickers, offering the settings the run has; an axis the run
/// lacks (momentum, after switching to Adam) is replaced by one it has.
fn axis_pickers(
    ui: &mut egui::Ui,
    settings: &mut ExploreSettings,
    run: &RunSettings,
    data_fit: bool,
) {
    let names = applicable(run, data_fit);
    let fix = |axis: &mut ExploreAxis, other: Option<AxisName>| {
        if !names.contains(&axis.name) || Some(axis.name) == other {
            let next = FALLBACK
                .iter()
                .find(|a| names.contains(a) && Some(**a) != other)
                .copied()
                .unwrap_or(AxisName::W0);
            *axis = ExploreAxis::default_for(next);
        }
    };
    fix(&mut settings.map_x, None);
    let x = settings.map_x.name;
    fix(&mut settings.map_y, Some(x));
    ui.horizontal_wrapped(|ui| {
        for (label, axis) in [("x", &mut settings.map_x), ("y", &mut settings.map_y)] {
            let mut name = axis.name;
            egui::ComboBox::from_label(label)
                .selected_text(name.name())
                .show_ui(ui, |ui| {
                    for &a in &names {
                        ui.selectable_value(&mut name, a, a.name());
                    }
                });
            if name != axis.name {
                *axis = ExploreAxis::default_for(name);
            }
        }
        if settings.map_x.name == settings.map_y.name {
            // Two axes of one setting make no map: the other one moves on.
            let x = settings.map_x.name;
            fix(&mut settings.map_y, Some(x));
        }
        if ui.button("Reset ranges").clicked() {
            settings.map_x = ExploreAxis::default_for(settings.map_x.name);
            settings.map_y = ExploreAxis::default_for(settings.map_y.name);
        }
    });
}

fn scale_of(a: ExploreAxis) -> Scale {
    Scale {
        lo: a.lo,
        hi: a.hi,
        log: a.log,
    }
}

fn set_scale(axis: &mut ExploreAxis, s: Scale) {
    (axis.lo, axis.hi) = (s.lo, s.hi);
}

fn axis_title(a: ExploreAxis) -> String {
    if a.log {
        format!("{} (log scale)", a.name.name())
    } else {
        a.name.name().to_owned()
    }
}

/// Half a cell's width in plot coordinates.
fn half_cell(s: Scale, count: usize) -> f64 {
    let [a, b] = s.plot_range();
    0.5 * (b - a) / (count.max(2) - 1) as f64
}

/// The cell (column, row) under plot point `p`.
fn cell_at(map: &OutcomeMap, p: PlotPoint) -> Option<(usize, usize)> {
    let (mx, my) = (map.job.x_axis(), map.job.y_axis()?);
    let index = |a: &crate::engine::map::Axis, u: f64| -> Option<usize> {
        let [lo, hi] = Scale {
            lo: a.lo,
            hi: a.hi,
            log: a.log,
        }
        .plot_range();
        let t = (u - lo) / (hi - lo) * (a.count.max(2) - 1) as f64;
        let i = t.round();
        (i >= 0.0 && i < a.count as f64).then_some(i as usize)
    };
    Some((index(mx, p.x)?, index(my, p.y)?))
}

/// One line about cell (c, r): its settings and how its run ended.
fn describe(map: &OutcomeMap, c: usize, r: usize) -> String {
    let (mx, my) = (map.job.x_axis(), map.job.y_axis());
    let Some(cell) = map.cell(c, r) else {
        return "computing...".to_owned();
    };
    let mut text = format!("{} = {}", mx.name.name(), format_number(cell.x));
    if let (Some(my), Some(y)) = (my, cell.y) {
        text += &format!(", {} = {}", my.name.name(), format_number(y));
    }
    text + ": " + &outcome_text(cell, map.job.minima())
}

/// How a run ended, in words.
pub fn outcome_text(cell: &CellOutcome, minima: &[Point]) -> String {
    let n = cell.iterations;
    match cell.status {
        CellStatus::Converged => match cell.minimum.and_then(|i| minima.get(i)) {
            Some(m) => format!(
                "converged in {n} iterations at the minimum ({}, {})",
                format_number(m[0]),
                format_number(m[1])
            ),
            None => format!(
                "converged in {n} iterations at ({}, {}), J = {}",
                format_number(cell.w),
                format_number(cell.b),
                format_number(cell.cost)
            ),
        },
        CellStatus::Diverged => format!("diverged at iteration {n}"),
        CellStatus::Limit => format!(
            "reached the limit ({n}) at ({}, {}), J = {}",
            format_number(cell.w),
            format_number(cell.b),
            format_number(cell.cost)
        ),
        CellStatus::Undefined => "J is undefined at the start".to_owned(),
    }
}
