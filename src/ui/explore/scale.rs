//! The axes of the explore plots: a setting's range, drawn evenly or on a log scale (the plot
//! then holds log10 of the value), with round tick labels in the setting's own units.

use egui::Vec2;
use egui_plot::{GridMark, Plot};

use crate::engine::surface::{plot_range, wants_log};
use crate::ui::views::learning_curve::ticks;

/// One axis of an explore plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    /// The lowest value shown.
    pub lo: f64,
    /// The highest value shown.
    pub hi: f64,
    /// Log scale.
    pub log: bool,
}

impl Scale {
    /// Where value `v` lies on the plot.
    pub fn to_plot(self, v: f64) -> f64 {
        if self.log { v.log10() } else { v }
    }

    /// The value at plot coordinate `u`.
    pub fn value_at(self, u: f64) -> f64 {
        if self.log { 10f64.powf(u) } else { u }
    }

    /// The plot coordinates of the two ends.
    pub fn plot_range(self) -> [f64; 2] {
        [self.to_plot(self.lo), self.to_plot(self.hi)]
    }

    /// The axis a plot of `values` needs: log when `log_if_wide` and the values call for it
    /// (all above 0, spread over more than 50 times), their range with a margin (the
    /// command line's pictures use the same rule).
    pub fn fitting(values: &[f64], log_if_wide: bool) -> Self {
        let log = log_if_wide && wants_log(values);
        let (lo, hi) = plot_range(values.iter().copied(), log);
        Self { lo, hi, log }
    }

    /// The range zoomed by `factor` (< 1: in) around value `at`, in plot coordinates (so a log
    /// axis zooms in decades), kept valid.
    pub fn zoomed(self, at: f64, factor: f64) -> Self {
        let [a, b] = self.plot_range();
        let c = self.to_plot(at).clamp(a, b);
        let (na, nb) = (c - (c - a) * factor, c + (b - c) * factor);
        self.with_plot_range(na, nb)
    }

    /// The range moved by `delta` in plot coordinates.
    pub fn panned(self, delta: f64) -> Self {
        let [a, b] = self.plot_range();
        self.with_plot_range(a + delta, b + delta)
    }

    fn with_plot_range(self, a: f64, b: f64) -> Self {
        let (lo, hi) = (self.value_at(a), self.value_at(b));
        let ok = lo.is_finite() && hi.is_finite() && lo < hi && (!self.log || lo > 0.0);
        let wide_enough = (hi - lo) > 1e-9 * lo.abs().max(hi.abs());
        if ok && wide_enough {
            Self { lo, hi, ..self }
        } else {
            self
        }
    }
}

/// A tick label of `scale` at plot coordinate `u`, for the visible plot range `range`.
pub fn label(scale: Scale, u: f64, range: (f64, f64)) -> String {
    if scale.log {
        ticks::log_label(u, range)
    } else {
        ticks::tick_label(u, range)
    }
}

/// `plot` with grid lines and labels for `x` and `y`.
pub fn with_axes(plot: Plot<'_>, x: Scale, y: Scale) -> Plot<'_> {
    let marks = |scale: Scale, gap: f64| {
        move |input: egui_plot::GridInput| -> Vec<GridMark> {
            if scale.log {
                // Decades far enough apart for their labels on a horizontal axis too (the
                // grid's finest step is 8 points, egui_plot's default).
                let per_point = input.base_step_size / 8.0;
                let marks = ticks::log_marks(input);
                let step = marks.first().map_or(1.0, |m| m.step_size);
                let every = ((gap * per_point) / step).ceil().max(1.0) as usize;
                // The step tells egui_plot how far apart the labels are.
                marks
                    .into_iter()
                    .step_by(every)
                    .map(|m| GridMark {
                        value: m.value,
                        step_size: step * every as f64,
                    })
                    .collect()
            } else {
                ticks::linear_marks(input, gap, false)
            }
        }
    };
    plot.x_grid_spacer(marks(x, ticks::X_GAP))
        .y_grid_spacer(marks(y, ticks::Y_GAP))
        .x_axis_formatter(move |mark, range| label(x, mark.value, (*range.start(), *range.end())))
        .y_axis_formatter(move |mark, range| label(y, mark.value, (*range.start(), *range.end())))
}

/// A y axis wide enough for the explorers' tick labels ("1e-24", "-0.005") and a title:
/// plots stacked over one learning-rate axis take it so their frames line up.
pub fn y_axis_width(ui: &egui::Ui) -> f32 {
    4.2 * ui.text_style_height(&egui::TextStyle::Body)
}

/// The y-axis title for a plot `height` points tall with an x-axis title: the first of
/// `titles` (longest first) that fits along its frame, else none. egui_plot centers the
/// rotated title on the frame, so a longer one runs into what is above the plot (presenter
/// mode's large text in short plots).
pub fn y_title(ui: &egui::Ui, height: f32, titles: &[&str]) -> String {
    let line = ui.text_style_height(&egui::TextStyle::Body);
    // The x axis takes a line of tick labels and one of title, with gaps.
    let frame = height - 2.6 * line;
    let width = |title: &str| crate::ui::panels::widgets::text_width(ui, title);
    fitting_title(titles, frame, width).to_owned()
}

/// The first of `titles` at most `room` wide by `width`, else "".
fn fitting_title<'t>(titles: &[&'t str], room: f32, width: impl Fn(&str) -> f32) -> &'t str {
    titles
        .iter()
        .copied()
        .find(|t| width(t) <= room)
        .unwrap_or("")
}

/// A fixed-range plot of the explorers (the settings are the zoom).
pub fn fixed_plot<'a>(id: impl std::hash::Hash + std::fmt::Debug, height: f32) -> Plot<'a> {
    Plot::new(id)
        .height(height)
        .allow_zoom(false)
        .allow_drag(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .set_margin_fraction(Vec2::ZERO)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A title too long for its plot gives way to a shorter one, then to none.
    #[test]
    fn titles_give_way_in_short_plots() {
        let titles = ["w, last 64 iterates", "w"];
        let width = |t: &str| 7.0 * t.len() as f32;
        assert_eq!(fitting_title(&titles, 200.0, width), "w, last 64 iterates");
        assert_eq!(fitting_title(&titles, 60.0, width), "w");
        assert_eq!(fitting_title(&titles, 5.0, width), "");
    }
}
