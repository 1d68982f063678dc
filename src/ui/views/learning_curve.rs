//! The learning curve: cost J against iterations (or epochs, or examples seen) for every
//! visible run, with where each run stopped and the current playback position.

use egui::{Color32, Stroke};
use egui_plot::{HoverPosition, Line, MarkerShape, Plot, PlotPoint, PlotPoints, Points, VLine};

use crate::engine::scenario::{CurveAxis, ViewSettings};
use crate::ui::number::readout as fmt;

/// How a run's curve ends.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CurveEnd {
    /// Still going when the iteration limit was reached (or not finished).
    Open,
    /// Met the convergence test here.
    Converged(PlotPoint),
    /// Blew up here.
    Diverged(PlotPoint),
}

/// One run's curve, already in plot coordinates (x on the chosen axis, y = J or log10 J).
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
    /// x of the playback position.
    pub position: Option<f64>,
    /// The selected run's convergence threshold epsilon (stop when |J(t) - J(t-1)| < epsilon).
    pub epsilon: Option<f64>,
    /// Reset the view to fit all curves.
    pub reset_view: bool,
}

/// The learning-curve view.
#[derive(Default)]
pub struct LearningCurve;

impl LearningCurve {
    /// Draws the curve panel filling `ui`. Returns true when an axis setting changed (the
    /// curves must be rebuilt).
    pub fn ui(&mut self, ui: &mut egui::Ui, input: CurveInput<'_>) -> bool {
        let CurveInput {
            settings,
            has_data,
            traces,
            position,
            epsilon,
            reset_view,
        } = input;
        let mut changed = false;
        // A narrow panel (presenter mode, a small window) keeps the header on one row: the
        // axis choice becomes a drop-down.
        let compact = ui.available_width() < 600.0;
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
            if let Some(epsilon) = epsilon {
                ui.add_space(12.0);
                ui.weak(format!("stop: |ΔJ| < {}", fmt(epsilon)))
                    .on_hover_text("A dot marks where a run converged, a cross where it diverged.");
            }
        });
        if !has_data && settings.curve_axis != CurveAxis::Iterations {
            settings.curve_axis = CurveAxis::Iterations;
            changed = true;
        }

        let log = settings.log_cost;
        let x_name = axis_name(settings.curve_axis);
        // A rotated label longer than the plot is tall would run into the header.
        let short = ui.available_height() < 170.0;
        let y_label = if log && !compact && !short {
            "cost J (log scale)"
        } else {
            "cost J"
        };
        let mut plot = Plot::new("learning_curve")
            .x_axis_label(x_name)
            .y_axis_label(y_label)
            .allow_boxed_zoom(false)
            .auto_bounds([true, true])
            .label_formatter(move |hover: &HoverPosition<'_>| {
                let (name, p) = match hover {
                    HoverPosition::NearDataPoint {
                        plot_name,
                        position,
                        ..
                    } => (*plot_name, *position),
                    HoverPosition::Elsewhere { position } => ("", *position),
                };
                let cost = if log { 10f64.powf(p.y) } else { p.y };
                let head = if name.is_empty() {
                    String::new()
                } else {
                    format!("{name}\n")
                };
                Some(format!("{head}{x_name} {}\nJ = {}", fmt(p.x), fmt(cost)))
            });
        if log {
            plot = plot.y_axis_formatter(|mark, _range| log_label(mark.value));
            plot = plot.y_grid_spacer(decade_marks);
        }
        if reset_view {
            plot = plot.reset();
        }
        let k = crate::ui::theme::line_scale(ui.ctx());
        let playback_color = crate::ui::theme::ink(ui, 220);
        plot.show(ui, |plot_ui| {
            for trace in traces {
                if trace.points.is_empty() {
                    continue;
                }
                plot_ui.line(
                    Line::new(trace.name, PlotPoints::Borrowed(trace.points))
                        .color(trace.color)
                        .width(2.0 * k),
                );
                match trace.end {
                    CurveEnd::Open => {}
                    CurveEnd::Converged(p) => plot_ui.points(
                        Points::new("", [p.x, p.y])
                            .shape(MarkerShape::Circle)
                            .radius(6.0 * k)
                            .color(trace.color)
                            .allow_hover(false),
                    ),
                    CurveEnd::Diverged(p) => plot_ui.points(
                        Points::new("", [p.x, p.y])
                            .shape(MarkerShape::Cross)
                            .radius(8.0 * k)
                            .color(trace.color)
                            .allow_hover(false),
                    ),
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
        changed
    }
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

/// A tick label of the log-scale cost axis: the cost itself, compactly (0.01, 1, 100, 1e-6).
fn log_label(exponent: f64) -> String {
    let value = 10f64.powf(exponent);
    if !(1e-3..1e4).contains(&value) {
        format!("{value:.0e}")
    } else if value >= 1.0 {
        format!("{}", (value * 100.0).round() / 100.0)
    } else {
        format!("{}", (value * 1e4).round() / 1e4)
    }
}

/// Grid marks of the log-scale cost axis (plot y is log10 J): a line per decade, and at 2x
/// and 5x within decades when only a few decades are visible.
fn decade_marks(input: egui_plot::GridInput) -> Vec<egui_plot::GridMark> {
    use egui_plot::GridMark;
    let (lo, hi) = input.bounds;
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Vec::new();
    }
    let span = hi - lo;
    // Whole decades per major line, so there are at most about eight of them, and far
    // enough apart on screen for their labels (egui_plot shows a y label only when its
    // line is 20 points from the next; `base_step_size` is 8 points in plot units).
    let room = input.base_step_size * 3.5;
    let step = (span / 8.0).max(room).ceil().max(1.0);
    let mut marks = Vec::new();
    let mut k = (lo / step).floor() * step;
    // Labels are centered on their line: skip lines hugging an edge, whose label would spill
    // outside the plot.
    let margin = span * 0.04;
    while k <= hi && marks.len() < 64 {
        if k >= lo + margin && k <= hi - margin {
            marks.push(GridMark {
                value: k,
                step_size: step,
            });
        }
        k += step;
    }
    if span <= 4.0 {
        let mut decade = lo.floor();
        while decade <= hi {
            for m in [2.0f64, 5.0] {
                let v = decade + m.log10();
                if (lo..=hi).contains(&v) {
                    marks.push(GridMark {
                        value: v,
                        step_size: step / 10.0,
                    });
                }
            }
            decade += 1.0;
        }
    }
    marks
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The labelled (whole-decade) lines of the log axis.
    fn decades(bounds: (f64, f64), base_step_size: f64) -> Vec<f64> {
        decade_marks(egui_plot::GridInput {
            bounds,
            base_step_size,
        })
        .into_iter()
        .filter(|m| m.step_size >= 1.0)
        .map(|m| m.value)
        .collect()
    }

    #[test]
    fn decade_lines_leave_room_for_their_labels() {
        // A tall plot over 18 decades: one line every 3 decades (at most about eight).
        let tall = decades((-1.3, 17.0), 0.05);
        assert_eq!(tall, [0.0, 3.0, 6.0, 9.0, 12.0, 15.0]);
        // A short plot (8 points = 1.2 decades): lines at least 20 points apart, so 3.5 *
        // 1.2 = 4.2 decades, rounded up to 5.
        assert_eq!(decades((-1.3, 17.0), 1.2), [0.0, 5.0, 10.0, 15.0]);
        // Two decades on a tall plot: every decade.
        assert_eq!(decades((-2.2, 0.3), 0.01), [-2.0, -1.0, 0.0]);
    }
}
