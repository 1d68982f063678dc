//! The runs panel: every run with its color, visibility, name and status; add, duplicate
//! and remove act on the selected run.

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
}

impl RunsPanel<'_> {
    /// Draws the list and its buttons.
    pub fn ui(self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Self {
            runs,
            selected,
            statuses,
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
