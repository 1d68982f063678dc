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
        egui::Grid::new("runs")
            .num_columns(3)
            .spacing([6.0, 4.0])
            .striped(true)
            .show(ui, |ui| {
                for (i, run) in runs.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        ui.add(egui::Checkbox::without_text(&mut run.visible))
                            .accessible_name(format!("show {}", run.name))
                            .on_hover_text("Show or hide this run");
                        color_dot(ui, palette::run_color(palette::slot(run.color, i)));
                    });
                    let is_selected = selected == Some(run.id);
                    let name = egui::RichText::new(&run.name).strong();
                    if ui
                        .selectable_label(is_selected, name)
                        .on_hover_text("Edit this run")
                        .clicked()
                    {
                        commands.push(Command::SelectRun(run.id));
                    }
                    // A long status wraps rather than widening the panel.
                    let status = statuses.get(i).map(String::as_str).unwrap_or("");
                    ui.add(egui::Label::new(egui::RichText::new(status).weak()).wrap());
                    ui.end_row();
                }
            });
        numbers_ui(ui, runs, readouts, iteration);
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
    let cell = |ui: &mut egui::Ui, text: egui::RichText| {
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            ui.label(text)
        })
        .inner
    };
    egui::Grid::new("run numbers")
        .num_columns(5)
        .spacing([10.0, 2.0])
        .show(ui, |ui| {
            ui.label("");
            for title in ["J", "|grad J|", "w", "b"] {
                cell(ui, egui::RichText::new(title).small().weak());
            }
            ui.end_row();
            for (i, run, r) in rows {
                color_dot(ui, palette::run_color(palette::slot(run.color, i)))
                    .on_hover_text(&run.name);
                let note = (r.recorded_at < iteration).then(|| {
                    format!(
                        "{}: J and its gradient are computed every few iterations; \
                         these are from iteration {}",
                        run.name, r.recorded_at
                    )
                });
                for (k, v) in [r.cost, r.gradient_norm, r.w, r.b].into_iter().enumerate() {
                    let response = cell(ui, egui::RichText::new(short(v)).small().monospace());
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
