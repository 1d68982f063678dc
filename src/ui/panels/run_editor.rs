//! The run editor: everything about the selected run. Any change re-simulates that run
//! from its start (the playback position is kept).

use super::super::palette::{RUN_COLOR_NAMES, RUN_COLORS, on_background};
use super::super::state::RunEntry;

/// Name and color of a run (on two rows when the panel is narrow).
pub fn identity_ui(ui: &mut egui::Ui, run: &mut RunEntry) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("name");
        // Leaves room for the color picker on the same row where the panel allows.
        let width = (ui.available_width() - 230.0).clamp(80.0, 140.0);
        ui.add(egui::TextEdit::singleline(&mut run.name).desired_width(width))
            .labelled_by(label.id);
        let label = ui.label("color");
        let current = run.color % RUN_COLORS.len();
        let dark = ui.visuals().dark_mode;
        egui::ComboBox::from_id_salt("run_color")
            .selected_text(
                egui::RichText::new(RUN_COLOR_NAMES[current])
                    .color(on_background(RUN_COLORS[current], dark)),
            )
            .width(120.0)
            .show_ui(ui, |ui| {
                for (i, (name, color)) in RUN_COLOR_NAMES.iter().zip(RUN_COLORS).enumerate() {
                    let color = on_background(color, dark);
                    ui.selectable_value(&mut run.color, i, egui::RichText::new(*name).color(color));
                }
            })
            .response
            .labelled_by(label.id);
    });
}
