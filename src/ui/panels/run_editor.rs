//! The run editor: everything about the selected run. Any change re-simulates that run
//! from its start (the playback position is kept).

use super::super::palette::{RUN_COLORS, on_background};
use crate::engine::run::{RunColor, RunSettings};

/// Name and color of a run (on two rows when the panel is narrow); `position` is its place
/// in the list (a run without a color of its own takes the one of its place).
pub fn identity_ui(ui: &mut egui::Ui, run: &mut RunSettings, position: usize) {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("name");
        // Leaves room for the color picker on the same row where the panel allows.
        let width = (ui.available_width() - 230.0).clamp(80.0, 140.0);
        ui.add(egui::TextEdit::singleline(&mut run.name).desired_width(width))
            .labelled_by(label.id);
        let label = ui.label("color");
        let current = super::super::palette::slot(run.color, position);
        let dark = ui.visuals().dark_mode;
        egui::ComboBox::from_id_salt("run_color")
            .selected_text(
                egui::RichText::new(RunColor::from_index(current).label())
                    .color(on_background(RUN_COLORS[current], dark)),
            )
            .width(120.0)
            .show_ui(ui, |ui| {
                for (choice, color) in RunColor::ALL.into_iter().zip(RUN_COLORS) {
                    let color = on_background(color, dark);
                    let text = egui::RichText::new(choice.label()).color(color);
                    ui.selectable_value(&mut run.color, Some(choice), text);
                }
            })
            .response
            .labelled_by(label.id);
    });
}
