//! The runs panel: every run with its color, visibility, name and status, then each run's
//! numbers at the playback position (J, |grad J|, w, b); add, duplicate and remove act on
//! the selected run.

use super::super::command::Command;
use super::super::palette;
use super::super::toolbar::color_dot;
use crate::engine::run::RunSettings;

/// The list of runs.
pub struct RunsPanel<'a> {
    /// The runs (visibility and names are edited in place).
    pub runs: &'a mut [RunSettings],
    /// Id of the selected run.
    pub selected: Option<u64>,
    /// Status text of each run, in the same order.
    pub statuses: &'a [String],
    /// Each run's numbers at the playback position, in the same order (None before it is
    /// simulated).
    pub readouts: &'a [Option<RunReadout>],
    /// The playback position.
    pub iteration: usize,
}

/// A run's numbers at one iteration, as the runs panel lists them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunReadout {
    /// The cost J over all the data.
    pub cost: f64,
    /// The length of the full-data gradient.
    pub gradient_norm: f64,
    /// The parameters.
    pub w: f64,
    /// The parameters.
    pub b: f64,
    /// The iteration J and the gradient were recorded at: earlier than the playback
    /// position for a run that records them every few iterations.
    pub recorded_at: usize,
}

impl RunReadout {
    /// The numbers of `trace` at `iteration` (its last point once it stopped). J and the
    /// gradient come from the last row at or before it that has them.
    pub fn of(trace: &crate::ui::trace::Trace, iteration: usize) -> Option<Self> {
        let i = trace.index_at(iteration);
        let p = trace.path.get(i)?;
        let recorded_at = (0..=i)
            .rev()
            .find(|&r| trace.cost.get(r).is_some_and(|j| !j.is_nan()))
            .unwrap_or(i);
        let cost = trace.cost.get(recorded_at).copied().unwrap_or(f64::NAN);
        let g = trace
            .gradient
            .get(recorded_at)
            .copied()
            .unwrap_or([f64::NAN; 2]);
        Some(Self {
            cost,
            gradient_norm: g[0].hypot(g[1]),
            w: p.x,
            b: p.y,
            recorded_at,
        })
    }
}

/// A number in the runs table: short, "undefined" or "+inf" when not finite.
fn short(v: f64) -> String {
    if v.is_finite() {
        crate::ui::view3d::ticks::format_number(v)
    } else {
        crate::ui::number::readout(v)
    }
}

impl RunsPanel<'_> {
    /// Draws the list and its buttons.
    pub fn ui(self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Self {
            runs,
            selected,
            statuses,
            readouts,
            iteration,
        } = self;
        // The names take the width of the longest, so the statuses line up beside them.
        let name_width = runs
            .iter()
            .map(|run| super::widgets::text_width(ui, egui::RichText::new(&run.name).strong()))
            .fold(0.0, f32::max)
            + 2.0 * ui.spacing().button_padding.x;
        for (i, run) in runs.iter_mut().enumerate() {
            let fill = if i % 2 == 1 {
                ui.visuals().faint_bg_color
            } else {
                egui::Color32::TRANSPARENT
            };
            egui::Frame::NONE.fill(fill).show(ui, |ui| {
                ui.set_width(ui.available_width());
                let status =
                    egui::RichText::new(statuses.get(i).map(String::as_str).unwrap_or("")).weak();
                let beside = ui
                    .horizontal(|ui| {
                        ui.add(egui::Checkbox::without_text(&mut run.visible))
                            .accessible_name(format!("show {}", run.name))
                            .on_hover_text("Show or hide this run");
                        color_dot(ui, palette::run_color(palette::slot(run.color, i)));
                        let is_selected = selected == Some(run.id);
                        let name = egui::RichText::new(&run.name).strong();
                        let response = ui
                            .selectable_label(is_selected, name)
                            .on_hover_text("Edit this run");
                        if response.clicked() {
                            commands.push(Command::SelectRun(run.id));
                        }
                        ui.add_space((name_width - response.rect.width()).max(0.0));
                        // A status that fits stays on the name's line.
                        let fits =
                            super::widgets::text_width(ui, status.clone()) <= ui.available_width();
                        if fits {
                            ui.label(status.clone());
                        }
                        fits
                    })
                    .inner;
                // Else it gets a line of its own, indented under the checkbox, where it
                // wraps (if it must) between words, not inside a narrow column.
                if !beside {
                    ui.horizontal(|ui| {
                        ui.add_space(ui.spacing().indent);
                        ui.add(egui::Label::new(status).wrap());
                    });
                }
            });
        }
        ui.horizontal_wrapped(|ui| {
            if ui.button("Add run").clicked() {
                commands.push(Command::AddRun);
            }
            ui.add_enabled_ui(selected.is_some(), |ui| {
                if ui
                    .button("Duplicate")
                    .on_hover_text("Copy the selected run")
                    .clicked()
                    && let Some(id) = selected
                {
                    commands.push(Command::DuplicateRun(id));
                }
                if ui
                    .button("Remove")
                    .on_hover_text("Delete the selected run")
                    .clicked()
                    && let Some(id) = selected
                {
                    commands.push(Command::RemoveRun(id));
                }
            });
        });
        numbers_ui(ui, runs, readouts, iteration);
    }
}

/// The table of each visible run's J, |grad J|, w and b at the playback position, in
/// right-aligned columns.
fn numbers_ui(
    ui: &mut egui::Ui,
    runs: &[RunSettings],
    readouts: &[Option<RunReadout>],
    iteration: usize,
) {
    let rows: Vec<(usize, &RunSettings, RunReadout)> = runs
        .iter()
        .zip(readouts)
        .enumerate()
        .filter(|(_, (run, _))| run.visible)
        .filter_map(|(i, (run, r))| Some((i, run, (*r)?)))
        .collect();
    if rows.is_empty() {
        return;
    }
    ui.add_space(2.0);
    ui.label(egui::RichText::new(format!("At iteration {iteration}")).strong());
    let titles = ["J", "|grad J|", "w", "b"];
    let texts: Vec<[String; 4]> = rows
        .iter()
        .map(|(_, _, r)| [r.cost, r.gradient_norm, r.w, r.b].map(short))
        .collect();
    // Each column as wide as its widest entry, numbers right-aligned.
    let font = egui::TextStyle::Monospace.resolve(ui.style());
    let font = egui::FontId::monospace(font.size * 0.8);
    let text_width = |ui: &egui::Ui, text: &str| {
        ui.fonts_mut(|f| {
            f.layout_no_wrap(text.to_owned(), font.clone(), egui::Color32::WHITE)
                .size()
                .x
        })
    };
    let widths: Vec<f32> = (0..4)
        .map(|k| {
            texts
                .iter()
                .map(|t| text_width(ui, &t[k]))
                .chain([text_width(ui, titles[k])])
                .fold(0.0, f32::max)
        })
        .collect();
    let height = ui.text_style_height(&egui::TextStyle::Body);
    // Painted right-aligned in a cell of its own width (a layout inside a grid cell takes
    // the rest of the row), and named for screen readers.
    let cell = |ui: &mut egui::Ui, width: f32, text: &str, weak: bool| {
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::hover());
        let color = if weak {
            ui.visuals().weak_text_color()
        } else {
            ui.visuals().text_color()
        };
        ui.painter().text(
            rect.right_center(),
            egui::Align2::RIGHT_CENTER,
            text,
            font.clone(),
            color,
        );
        response
            .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Label, ui.is_enabled(), text));
        response
    };
    egui::Grid::new("run numbers")
        .num_columns(5)
        .spacing([7.0, 2.0])
        .show(ui, |ui| {
            ui.label("");
            for (title, &width) in titles.iter().zip(&widths) {
                cell(ui, width, title, true);
            }
            ui.end_row();
            for ((i, run, r), text) in rows.iter().zip(&texts) {
                color_dot(ui, palette::run_color(palette::slot(run.color, *i)))
                    .on_hover_text(&run.name);
                let note = (r.recorded_at < iteration).then(|| {
                    format!(
                        "{}: J and its gradient are computed every few iterations; \
                         these are from iteration {}",
                        run.name, r.recorded_at
                    )
                });
                for (k, (value, &width)) in text.iter().zip(&widths).enumerate() {
                    let response = cell(ui, width, value, false);
                    if k < 2
                        && let Some(note) = &note
                    {
                        response.on_hover_text(note);
                    }
                }
                ui.end_row();
            }
        });
}
