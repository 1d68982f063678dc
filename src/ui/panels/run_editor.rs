//! The run editor: everything about the selected run. Any change re-simulates that run
//! from its start (the playback position is kept).

use super::super::palette::{RUN_COLOR_NAMES, RUN_COLORS};
use super::super::state::RunEntry;

/// Name and color of a run.
pub fn identity_ui(ui: &mut egui::Ui, run: &mut RunEntry) {
    ui.horizontal(|ui| {
        let label = ui.label("name");
        ui.add(egui::TextEdit::singleline(&mut run.name).desired_width(140.0))
            .labelled_by(label.id);
        let label = ui.label("color");
        let current = run.color % RUN_COLORS.len();
        egui::ComboBox::from_id_salt("run_color")
            .selected_text(egui::RichText::new(RUN_COLOR_NAMES[current]).color(RUN_COLORS[current]))
            .width(120.0)
            .show_ui(ui, |ui| {
                for (i, (name, color)) in RUN_COLOR_NAMES.iter().zip(RUN_COLORS).enumerate() {
                    ui.selectable_value(&mut run.color, i, egui::RichText::new(*name).color(color));
                }
            })
            .response
            .labelled_by(label.id);
    });
}
