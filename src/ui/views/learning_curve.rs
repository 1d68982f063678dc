//! The learning curve: cost J against iterations (or epochs, or examples seen) for every
//! visible run, with where each run stopped and the current playback position.
//!
//! The default view fits the runs that did not diverge; a diverged run's line leaves the
//! plot with an arrow and a label saying when it blew up. On the log scale the curve can show
//! J - J_min (see [`CostScale`]), points at J_min sit on a dashed floor, and nothing is left
//! out without a note. Hovering snaps to the nearest run's point and reads it.

pub(crate) mod ticks;
mod window;

use egui::{Align2, Color32, Pos2, Rect, Stroke, Vec2};
use egui_plot::{
    HLine, Line, LineStyle, MarkerShape, Plot, PlotPoint, PlotPoints, PlotTransform, Points, VLine,
};

use crate::engine::scenario::{CurveAxis, ViewSettings};
use crate::ui::number::readout as fmt;
use crate::ui::panels::widgets::wrap_before;
use crate::ui::trace::{CostScale, MinSource, Outcome, Trace};
use window::{Exit, RunPoints, Window};

/// How a run's curve ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CurveEnd {
    /// Still going when the iteration limit was reached (or not finished).
    Open,
    /// Met the convergence test here (y = -inf: at J_min on the log scale).
    Converged(PlotPoint),
    /// Blew up at this iteration, where J was `cost` (its last finite value).
    Diverged {
        /// The iteration the run was stopped at.
        iteration: usize,
        /// J there.
        cost: f64,
    },
}

impl CurveEnd {
    /// How `trace` ends, in plot coordinates on `axis` with heights from `scale`.
    pub fn of(trace: &Trace, axis: CurveAxis, scale: CostScale) -> Self {
        match trace.outcome {
            Outcome::Converged(t) => {
                let i = trace.index_at(t);
                trace
                    .cost
                    .get(i)
                    .and_then(|&j| scale.y(j))
                    .map_or(Self::Open, |y| {
                        Self::Converged(PlotPoint::new(trace.x_at(i, axis), y))
                    })
            }
            Outcome::Diverged(t) => {
                // The diverging point itself may not be finite: report the last finite J.
                let cost = trace.cost[..trace.cost.len().min(t + 1)]
                    .iter()
                    .rev()
                    .copied()
                    .find(|j| j.is_finite())
                    .unwrap_or(f64::NAN);
                Self::Diverged { iteration: t, cost }
            }
            Outcome::Pending | Outcome::ReachedLimit(_) => Self::Open,
        }
    }
}

/// One run's curve, already in plot coordinates (x on the chosen axis, y from [`CostScale`]).
pub struct CurveTrace<'a> {
    /// Run name (shown when hovering).
    pub name: &'a str,
    /// Run color.
    pub color: Color32,
    /// The whole curve.
    pub points: &'a [PlotPoint],
    /// Where it ended.
    pub end: CurveEnd,
}

/// What the learning curve shows this frame.
pub struct CurveInput<'a> {
    /// Axis choice and log toggle (edited in place).
    pub settings: &'a mut ViewSettings,
    /// True when the problem has a dataset (epochs and examples seen make sense).
    pub has_data: bool,
    /// One curve per visible run.
    pub traces: &'a [CurveTrace<'a>],
    /// How the traces' heights were made from J.
    pub scale: CostScale,
    /// x of the playback position.
    pub position: Option<f64>,
    /// The selected run's convergence threshold epsilon (stop when |J(t) - J(t-1)| < epsilon).
    pub epsilon: Option<f64>,
    /// Reset the view to fit all curves.
    pub reset_view: bool,
}

/// The plot's id (tests read its bounds and transform from egui_plot's memory).
pub fn plot_id() -> egui::Id {
    egui::Id::unique("learning_curve_plot")
}

/// Screen room kept above (below) the curves for a diverged run's arrow and label.
const EXIT_ROOM: f32 = 26.0;

/// The learning-curve view.
#[derive(Default)]
pub struct LearningCurve {
    /// Each run's drawable points this frame (kept to reuse their memory).
    lines: Vec<Vec<PlotPoint>>,
}

/// Gray level of the floor line and its label.
const FLOOR_INK: u8 = 150;

/// The runs as drawn this frame.
struct Cut {
    /// Each run's line.
    drawn: Vec<Drawn>,
    /// Where points at J_min are drawn (log scale).
    floor: Option<f64>,
    /// Every run with points diverged (nothing is cut).
    every_run_diverged: bool,
    /// The default view, `[x, y]` ranges (None: let egui_plot fit the items).
    bounds: Option<[[f64; 2]; 2]>,
}

/// One run as drawn this frame.
struct Drawn {
    /// Points of `lines[i]` that are the run's own (a crossing point may follow).
    real: usize,
    /// Where its line leaves the plot.
    exit: Option<Exit>,
}

impl LearningCurve {
    /// Draws the curve panel filling `ui`. Returns true when an axis setting changed (the
    /// curves must be rebuilt).
    pub fn ui(&mut self, ui: &mut egui::Ui, input: CurveInput<'_>) -> bool {
        let CurveInput {
            settings,
            has_data,
            traces,
            scale,
            position,
            epsilon,
            reset_view,
        } = input;
        let compact = ui.available_width() < 600.0;
        let (changed, j_min_note) = header_ui(ui, settings, has_data, scale, epsilon, compact);
        let axis = settings.curve_axis;
        let log = scale.is_log();
        let x_name = axis_name(axis);
        // A rotated label longer than the plot is tall would run into the header.
        let short = ui.available_height() < 170.0;
        let y_label = match scale {
            CostScale::Linear => "cost J",
            CostScale::Log { source: None, .. } if compact || short => "cost J",
            CostScale::Log { source: None, .. } => "cost J (log scale)",
            CostScale::Log { .. } if compact || short => "J − J_min",
            CostScale::Log { .. } => "J − J_min (log scale)",
        };

        let plot_height = (ui.available_height() - 40.0).max(40.0);
        let cut = self.cut(traces, log, plot_height);
        let (floor, bounds) = (cut.floor, cut.bounds);

        let whole_x = axis != CurveAxis::Epochs;
        let mut plot = Plot::new("learning_curve")
            .id(plot_id())
            .x_axis_label(x_name)
            .y_axis_label(y_label)
            .allow_boxed_zoom(false)
            // The hover readout is ours: snapped to a point, never the raw cursor position.
            .show_x(false)
            .show_y(false)
            .set_margin_fraction(Vec2::ZERO)
            .x_grid_spacer(move |input| ticks::linear_marks(input, ticks::X_GAP, whole_x))
            .x_axis_formatter(|mark, range| {
                ticks::tick_label(mark.value, (*range.start(), *range.end()))
            });
        plot = if log {
            plot.y_grid_spacer(ticks::log_marks)
                .y_axis_formatter(|mark, range| {
                    ticks::log_label(mark.value, (*range.start(), *range.end()))
                })
        } else {
            plot.y_grid_spacer(|input| ticks::linear_marks(input, ticks::Y_GAP, false))
                .y_axis_formatter(|mark, range| {
                    ticks::tick_label(mark.value, (*range.start(), *range.end()))
                })
        };
        if let Some([x, y]) = bounds {
            plot = plot
                .default_x_bounds(x[0], x[1])
                .default_y_bounds(y[0], y[1]);
        }
        // Follow the runs until the user pans or zooms (after the default bounds, which turn
        // this off).
        plot = plot.auto_bounds(true);
        if reset_view {
            plot = plot.reset();
        }
        let k = crate::ui::theme::line_scale(ui.ctx());
        let playback_color = crate::ui::theme::ink(ui, 220);
        let floor_color = crate::ui::theme::ink(ui, FLOOR_INK);
        let lines = &self.lines;
        let response = plot.show(ui, |plot_ui| {
            if let Some(floor) = floor {
                plot_ui.hline(
                    HLine::new("", floor)
                        .stroke(Stroke::new(1.0, floor_color))
                        .style(LineStyle::dashed_loose())
                        .allow_hover(false),
                );
            }
            for ((trace, line), drawn) in traces.iter().zip(lines).zip(&cut.drawn) {
                if line.is_empty() {
                    continue;
                }
                plot_ui.line(
                    Line::new(trace.name, PlotPoints::Borrowed(line))
                        .color(trace.color)
                        .width(2.0 * k)
                        .allow_hover(false),
                );
                let marker = match trace.end {
                    CurveEnd::Converged(p) => {
                        let y = if p.y == f64::NEG_INFINITY {
                            floor
                        } else {
                            Some(p.y)
                        };
                        y.map(|y| ([p.x, y], MarkerShape::Circle, 6.0))
                    }
                    // A diverged run still in sight ends with a cross.
                    CurveEnd::Diverged { .. } if drawn.exit.is_none() => {
                        line.last().map(|p| ([p.x, p.y], MarkerShape::Cross, 8.0))
                    }
                    _ => None,
                };
                if let Some((at, shape, radius)) = marker {
                    plot_ui.points(
                        Points::new("", at)
                            .shape(shape)
                            .radius(radius * k)
                            .color(trace.color)
                            .allow_hover(false),
                    );
                }
            }
            if let Some(x) = position
                && x.is_finite()
            {
                plot_ui.vline(
                    VLine::new("playback", x)
                        .stroke(Stroke::new(1.5, playback_color))
                        .allow_hover(false),
                );
            }
        });
        self.annotate(ui, &response.transform, traces, &cut, scale, j_min_note);
        self.hover_ui(ui, &response, traces, &cut, axis, scale);
        changed
    }

    /// Each run cut to the default view (into `self.lines`), and that view.
    fn cut(&mut self, traces: &[CurveTrace<'_>], log: bool, plot_height: f32) -> Cut {
        let runs: Vec<RunPoints<'_>> = traces
            .iter()
            .map(|t| RunPoints {
                points: t.points,
                diverged: matches!(t.end, CurveEnd::Diverged { .. }),
            })
            .collect();
        let window = Window::fit(&runs, log);
        let bounds = window
            .map(|w| default_bounds(&w, w.exits(&runs), plot_height))
            // Costs near the largest float overflow their range: let egui_plot fit them.
            .filter(|b| b.iter().flatten().all(|v| v.is_finite()));
        let floor = window.and_then(|w| w.floor);
        let every_run_diverged = window.is_some_and(|w| w.every_run_diverged);
        let edges = bounds.map_or([f64::NEG_INFINITY, f64::INFINITY], |b| b[1]);
        self.lines.resize_with(traces.len(), Vec::new);
        let drawn = runs
            .iter()
            .zip(&mut self.lines)
            .map(|(run, line)| {
                let cut = run.diverged && !every_run_diverged;
                let exit = window::clip_into(line, run.points, cut, floor, edges);
                Drawn {
                    real: line.len() - usize::from(exit.is_some()),
                    exit,
                }
            })
            .collect();
        Cut {
            drawn,
            floor,
            every_run_diverged,
            bounds,
        }
    }

    /// Notes (top-right corner) for what is not drawn or not obvious, then the labels of
    /// the floor and of each diverged run, with an arrow where a run leaves the plot.
    fn annotate(
        &self,
        ui: &mut egui::Ui,
        transform: &PlotTransform,
        traces: &[CurveTrace<'_>],
        cut: &Cut,
        scale: CostScale,
        j_min_note: Option<String>,
    ) {
        let k = crate::ui::theme::line_scale(ui.ctx());
        let floor_color = crate::ui::theme::ink(ui, FLOOR_INK);
        // Notes first (the top-right corner), then labels next to what they name.
        let mut tags = Tags::new(*transform.frame());
        let note_color = crate::ui::theme::ink(ui, 190);
        if let Some(text) = j_min_note {
            tags.note(ui, text, note_color);
        }
        if cut.every_run_diverged {
            let all = traces
                .iter()
                .all(|t| matches!(t.end, CurveEnd::Diverged { .. }));
            let text = if all {
                "every run diverged: the scale fits them all"
            } else {
                "only diverged runs to draw: the scale fits them"
            };
            tags.note(ui, text.to_owned(), note_color);
        }
        for (trace, line) in traces.iter().zip(&self.lines) {
            if !line.is_empty() {
                continue;
            }
            let text = match trace.end {
                CurveEnd::Diverged { iteration, cost } => {
                    format!("{}: {}", trace.name, diverged_text(iteration, cost))
                }
                _ => format!("{}: no finite J to draw", trace.name),
            };
            tags.note(ui, text, trace.color);
        }
        if let Some(floor) = cut.floor {
            let left = PlotPoint::new(transform.bounds().min()[0], floor);
            let at = transform.position_from_point(&left) + Vec2::new(6.0, -3.0);
            tags.place(ui, at, Align2::LEFT_BOTTOM, floor_text(scale), floor_color);
        }
        for ((trace, line), drawn) in traces.iter().zip(&self.lines).zip(&cut.drawn) {
            let CurveEnd::Diverged { iteration, cost } = trace.end else {
                continue;
            };
            let text = diverged_text(iteration, cost);
            if let Some(exit) = drawn.exit {
                let tip = transform.position_from_point(&exit.at);
                arrow(ui, transform, tip, exit.up, trace.color, k);
                let (anchor, align) = if exit.up {
                    (tip + Vec2::new(10.0 * k, 2.0), Align2::LEFT_TOP)
                } else {
                    (tip + Vec2::new(10.0 * k, -2.0), Align2::LEFT_BOTTOM)
                };
                tags.place(ui, anchor, align, text, trace.color);
            } else if let Some(last) = line.last() {
                let at = transform.position_from_point(last) + Vec2::new(10.0 * k, -6.0);
                tags.place(ui, at, Align2::LEFT_BOTTOM, text, trace.color);
            }
        }
    }

    /// The hover readout: the nearest run's point, read in the axis's units.
    fn hover_ui(
        &self,
        ui: &egui::Ui,
        response: &egui_plot::PlotResponse<()>,
        traces: &[CurveTrace<'_>],
        cut: &Cut,
        axis: CurveAxis,
        scale: CostScale,
    ) {
        let k = crate::ui::theme::line_scale(ui.ctx());
        let transform = response.transform;
        if let Some(pointer) = response.response.hover_pos() {
            let real = self.lines.iter().zip(&cut.drawn).map(|(l, d)| &l[..d.real]);
            let to_screen = |p: &PlotPoint| transform.position_from_point(p);
            if let Some((run, i)) = window::nearest(real, to_screen, pointer)
                && let Some(trace) = traces.get(run)
                && let Some(p) = self.lines.get(run).and_then(|l| l.get(i))
            {
                let at = to_screen(p);
                ui.painter_at(*transform.frame()).circle_stroke(
                    at,
                    5.0 * k,
                    Stroke::new(2.0 * k, trace.color),
                );
                let at_floor = cut.floor == Some(p.y);
                let text = hover_text(trace.name, axis, *p, scale, at_floor);
                egui::Tooltip::always_open(
                    ui.ctx().clone(),
                    response.response.layer_id,
                    response.response.id,
                    egui::PopupAnchor::Pointer,
                )
                .gap(12.0)
                .show(|ui| ui.label(text));
            }
        }
    }
}

/// What the log scale's J_min is, for its hover text.
const J_MIN_HELP: &str = "On the log scale the curve shows how far J is above its minimum \
    J_min, the way optimization papers plot it: a run that closes a fixed fraction of the gap \
    each iteration is a straight line. Points at J_min lie on the dashed line.";

/// The header row: title, x-axis choice, log toggle, what J_min is, the stop rule.
/// Returns true when a setting changed, and the J_min text when it did not fit the row.
fn header_ui(
    ui: &mut egui::Ui,
    settings: &mut ViewSettings,
    has_data: bool,
    scale: CostScale,
    epsilon: Option<f64>,
    compact: bool,
) -> (bool, Option<String>) {
    let mut changed = false;
    let mut j_min_note = None;
    // A narrow panel (presenter mode, a small window) keeps the header on one row: the
    // axis choice becomes a drop-down.
    ui.horizontal_wrapped(|ui| {
        ui.label(egui::RichText::new("Learning curve").strong());
        ui.add_space(12.0);
        let axis_label = ui.label("x axis:");
        let choices = [
            CurveAxis::Iterations,
            CurveAxis::Epochs,
            CurveAxis::ExamplesSeen,
        ]
        .map(|axis| (axis, axis_choice_name(axis)));
        if compact {
            ui.add_enabled_ui(has_data, |ui| {
                egui::ComboBox::from_id_salt("curve_axis")
                    .width(120.0)
                    .selected_text(axis_choice_name(settings.curve_axis))
                    .show_ui(ui, |ui| {
                        for (axis, name) in choices {
                            changed |= ui
                                .selectable_value(&mut settings.curve_axis, axis, name)
                                .changed();
                        }
                    })
                    .response
                    .labelled_by(axis_label.id);
            });
        } else {
            for (axis, name) in choices {
                ui.add_enabled_ui(has_data || axis == CurveAxis::Iterations, |ui| {
                    changed |= ui
                        .selectable_value(&mut settings.curve_axis, axis, name)
                        .changed();
                });
            }
        }
        ui.add_space(12.0);
        changed |= ui.checkbox(&mut settings.log_cost, "log scale").changed();
        // On the next row whole rather than broken across two ("J −" / "J_min").
        let icon = ui.spacing().icon_width + ui.spacing().icon_spacing;
        wrap_before(ui, label_size(ui, "J − J_min").x + icon);
        ui.add_enabled_ui(settings.log_cost, |ui| {
            // Costs at or below zero have no logarithm: then it is J - J_min regardless.
            let forced = !settings.log_minus_min
                && matches!(
                    scale,
                    CostScale::Log {
                        source: Some(_),
                        ..
                    }
                );
            if forced {
                ui.add_enabled(false, egui::Checkbox::new(&mut true, "J − J_min"))
                    .on_disabled_hover_text(
                        "Some J is at or below zero, which has no logarithm: the curve shows \
                         how far J is above J_min.",
                    );
            } else {
                changed |= ui
                    .checkbox(&mut settings.log_minus_min, "J − J_min")
                    .on_hover_text(J_MIN_HELP)
                    .changed();
            }
        });
        if let Some(epsilon) = epsilon {
            let rule = format!("stop: |ΔJ| < {}", fmt(epsilon));
            if !wrap_before(ui, label_size(ui, &rule).x + 12.0) {
                ui.add_space(12.0);
            }
            ui.weak(rule)
                .on_hover_text("A dot marks where a run converged, a cross where it diverged.");
        }
        if let CostScale::Log {
            min,
            source: Some(source),
        } = scale
        {
            let what = match source {
                MinSource::Known => "the minimum",
                MinSource::LowestSeen => "the lowest J seen",
            };
            // On the header row if it fits there (else the plot shows it as a note).
            let long = format!("J_min = {} ({what})", fmt(min));
            let short = format!("J_min = {}", fmt(min));
            let room = ui.available_size_before_wrap().x - 12.0 - 2.0 * ui.spacing().item_spacing.x;
            // A J_min that is only the lowest J seen always says so.
            let choices = match source {
                MinSource::Known => [Some(&long), Some(&short)],
                MinSource::LowestSeen => [Some(&long), None],
            };
            let fits = choices
                .into_iter()
                .flatten()
                .find(|t| label_size(ui, t).x <= room)
                .cloned();
            match fits {
                Some(text) => {
                    ui.add_space(12.0);
                    ui.weak(text).on_hover_text(J_MIN_HELP);
                }
                None => j_min_note = Some(long),
            }
        }
    });
    if !has_data && settings.curve_axis != CurveAxis::Iterations {
        settings.curve_axis = CurveAxis::Iterations;
        changed = true;
    }
    (changed, j_min_note)
}

/// The default view: the window with a small margin, and room above (below) it for the
/// arrow and label of a run leaving through the top (bottom). `[x, y]` ranges.
fn default_bounds(window: &Window, exits: [bool; 2], plot_height: f32) -> [[f64; 2]; 2] {
    let [x0, x1] = window.x;
    let [y0, y1] = window.y;
    let margin = 0.05 * (y1 - y0);
    let room = f64::from((EXIT_ROOM / plot_height).clamp(0.08, 0.25));
    // `room` of the plot's height beyond the curves, the margin included.
    let total = (y1 - y0 + 2.0 * margin)
        / (1.0 - room * f64::from(u8::from(exits[0]) + u8::from(exits[1])));
    let top = if exits[0] {
        y1 + margin + room * total
    } else {
        y1 + margin
    };
    let bottom = if exits[1] {
        y0 - margin - room * total
    } else {
        y0 - margin
    };
    // Room for the last tick label, centered on its line.
    let x_margin = 0.04 * (x1 - x0);
    [[x0 - x_margin, x1 + x_margin], [bottom, top]]
}

/// What a diverged run's label says (a run that could not start never diverged).
fn diverged_text(iteration: usize, cost: f64) -> String {
    if iteration == 0 && !cost.is_finite() {
        return "J is undefined at the start".to_owned();
    }
    format!("diverged at iteration {iteration}, J = {}", fmt(cost))
}

/// The label of the dashed floor line.
fn floor_text(scale: CostScale) -> String {
    match scale {
        CostScale::Log { min, .. } if min != 0.0 => "at J_min".to_owned(),
        _ => "at J = 0".to_owned(),
    }
}

/// An arrowhead at `tip` on the plot's edge, pointing out of the plot.
fn arrow(ui: &egui::Ui, transform: &PlotTransform, tip: Pos2, up: bool, color: Color32, k: f32) {
    let (w, h) = (5.0 * k, 10.0 * k);
    let back = if up { h } else { -h };
    let points = vec![
        tip,
        Pos2::new(tip.x - w, tip.y + back),
        Pos2::new(tip.x + w, tip.y + back),
    ];
    ui.painter_at(*transform.frame())
        .add(egui::Shape::convex_polygon(points, color, Stroke::NONE));
}

/// The hover readout of a point: run, x in the axis's units, J (and J - J_min on the log
/// scale's J_min lines).
fn hover_text(
    name: &str,
    axis: CurveAxis,
    p: PlotPoint,
    scale: CostScale,
    at_floor: bool,
) -> String {
    let x = match axis {
        // Counts read as whole numbers.
        CurveAxis::Iterations | CurveAxis::ExamplesSeen => format!("{}", p.x.round()),
        CurveAxis::Epochs => fmt(p.x),
    };
    let head = format!("{name}\n{} {x}", axis_name(axis));
    match scale {
        CostScale::Log {
            min,
            source: Some(_),
        } if at_floor => {
            format!("{head}\nJ = {} (J_min)", fmt(min))
        }
        CostScale::Log {
            source: Some(_), ..
        } => format!(
            "{head}\nJ = {}\nJ − J_min = {}",
            fmt(scale.cost(p.y)),
            fmt(10f64.powf(p.y))
        ),
        _ if at_floor => format!("{head}\nJ = 0"),
        _ => format!("{head}\nJ = {}", fmt(scale.cost(p.y))),
    }
}

/// Labels placed over the plot without covering each other: next to a point, or stacked
/// as notes in the top-right corner. Real labels, so screen readers and tests find them.
struct Tags {
    frame: Rect,
    placed: Vec<Rect>,
    notes_bottom: f32,
}

impl Tags {
    fn new(frame: Rect) -> Self {
        Self {
            frame,
            placed: Vec::new(),
            notes_bottom: frame.top() + 4.0,
        }
    }

    /// A label aligned to `anchor`, kept inside the plot, and moved down or up (whichever is
    /// nearer) past labels already there.
    fn place(
        &mut self,
        ui: &mut egui::Ui,
        anchor: Pos2,
        align: Align2,
        text: String,
        color: Color32,
    ) {
        let size = label_size(ui, &text);
        let mut wanted = align.anchor_size(anchor, size);
        // Flip to the left of the anchor rather than run off the right edge.
        if wanted.right() > self.frame.right() - 4.0 {
            wanted = wanted.translate(Vec2::new(-(wanted.width() + 20.0), 0.0));
        }
        let inside = self.frame.shrink(2.0);
        let step = size.y + 2.0;
        let rect = (0..12)
            .map(|i| {
                // 0, +1, -1, +2, -2, ... label heights.
                let n = ((i + 1) / 2) as f32 * if i % 2 == 1 { 1.0 } else { -1.0 };
                keep_inside(wanted.translate(Vec2::new(0.0, n * step)), inside)
            })
            .find(|r| !self.placed.iter().any(|p| p.intersects(*r)))
            .unwrap_or_else(|| keep_inside(wanted, inside));
        self.show(ui, rect, text, color);
    }

    /// A note in the top-right corner, below the previous ones.
    fn note(&mut self, ui: &mut egui::Ui, text: String, color: Color32) {
        let size = label_size(ui, &text);
        let rect = Align2::RIGHT_TOP
            .anchor_size(Pos2::new(self.frame.right() - 6.0, self.notes_bottom), size);
        self.notes_bottom = rect.bottom() + 2.0;
        let rect = keep_inside(rect, self.frame.shrink(2.0));
        self.show(ui, rect, text, color);
    }

    fn show(&mut self, ui: &mut egui::Ui, rect: Rect, text: String, color: Color32) {
        let background = ui.visuals().extreme_bg_color.gamma_multiply(0.85);
        ui.painter().rect_filled(rect, 3.0, background);
        ui.place(
            rect.shrink2(Vec2::new(TAG_PADDING, 1.0)),
            egui::Label::new(egui::RichText::new(text).color(color))
                .selectable(false)
                .wrap_mode(egui::TextWrapMode::Extend),
        );
        self.placed.push(rect);
    }
}

/// Space either side of a tag's text.
const TAG_PADDING: f32 = 4.0;

/// The size of a tag holding `text`, padding included.
fn label_size(ui: &egui::Ui, text: &str) -> Vec2 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    let galley = ui
        .painter()
        .layout_no_wrap(text.to_owned(), font, Color32::WHITE);
    galley.size() + Vec2::new(2.0 * TAG_PADDING, 2.0)
}

/// `rect` moved (not resized) to lie within `frame` where it fits.
fn keep_inside(rect: Rect, frame: Rect) -> Rect {
    let dx = (frame.left() - rect.left()).max(0.0) + (frame.right() - rect.right()).min(0.0);
    let dy = (frame.top() - rect.top()).max(0.0) + (frame.bottom() - rect.bottom()).min(0.0);
    rect.translate(Vec2::new(dx, dy))
}

/// The name of an x-axis choice in the header.
fn axis_choice_name(axis: CurveAxis) -> &'static str {
    match axis {
        CurveAxis::Iterations => "iterations",
        CurveAxis::Epochs => "epochs",
        CurveAxis::ExamplesSeen => "examples seen",
    }
}

/// The learner's name of an x-axis choice.
pub fn axis_name(axis: CurveAxis) -> &'static str {
    match axis {
        CurveAxis::Iterations => "iteration",
        CurveAxis::Epochs => "epoch",
        CurveAxis::ExamplesSeen => "examples seen",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    // A run whose J is undefined where it starts did not diverge: it never moved, and the
    // label says what the run list says.
    #[test]
    fn a_run_that_cannot_start_is_not_called_diverged() {
        assert_eq!(diverged_text(0, f64::NAN), "J is undefined at the start");
        assert_eq!(
            diverged_text(72, f64::INFINITY),
            "diverged at iteration 72, J = +inf"
        );
    }

    // The hover reads run, x in the axis's units and J; on the J - J_min scale both J and
    // the distance to J_min, and J_min itself on the floor.
    #[test]
    fn hover_readouts() {
        let p = PlotPoint::new(42.0, 0.0597);
        assert_eq!(
            hover_text(
                "Too small",
                CurveAxis::Iterations,
                p,
                CostScale::Linear,
                false
            ),
            "Too small\niteration 42\nJ = 0.0597"
        );
        let gap = CostScale::Log {
            min: 0.0563,
            source: Some(MinSource::Known),
        };
        let y = gap.y(0.0597).unwrap();
        assert_eq!(
            hover_text(
                "Too small",
                CurveAxis::Epochs,
                PlotPoint::new(2.5, y),
                gap,
                false
            ),
            "Too small\nepoch 2.5000\nJ = 0.0597\nJ − J_min = 0.0034"
        );
        assert_eq!(
            hover_text(
                "About right",
                CurveAxis::ExamplesSeen,
                PlotPoint::new(1200.0, -20.0),
                gap,
                true
            ),
            "About right\nexamples seen 1200\nJ = 0.0563 (J_min)"
        );
    }

    // The default view leaves room above the curves for a run leaving through the top.
    #[test]
    fn room_for_an_exit() {
        let w = Window {
            x: [0.0, 100.0],
            y: [0.0, 10.0],
            floor: None,
            every_run_diverged: false,
        };
        let [x, y] = default_bounds(&w, [false, false], 200.0);
        assert_eq!(x, [-4.0, 104.0]);
        assert_eq!(y, [-0.5, 10.5]);
        let [_, y] = default_bounds(&w, [true, false], 200.0);
        // 26 of 200 points (13%) of the height above the curves' margin.
        let room = (y[1] - 10.5) / (y[1] - y[0]);
        assert!((room - 0.13).abs() < 1e-6, "{room}");
        assert_eq!(y[0], -0.5);
    }
}
