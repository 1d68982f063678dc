//! The legend of an outcome map: a swatch per minimum reached and per other outcome, and what
//! lightness means.

use egui::{Color32, RichText};

use crate::engine::Point;
use crate::engine::map::{DIVERGED, LIMIT_GREY, OutcomeShades, Rgb, UNDEFINED_RED};
use crate::ui::panels::widgets::{text_width, wrap_before};
use crate::ui::view3d::ticks::format_number;

/// A color swatch and its label, kept on one row.
fn swatch(ui: &mut egui::Ui, rgb: Rgb, text: &str) {
    let size = egui::vec2(1.0, 1.0) * ui.text_style_height(&egui::TextStyle::Body);
    wrap_before(
        ui,
        size.x + ui.spacing().item_spacing.x + text_width(ui, text),
    );
    let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
    ui.painter()
        .rect_filled(rect, 2.0, Color32::from_rgb(rgb[0], rgb[1], rgb[2]));
    ui.painter().rect_stroke(
        rect,
        2.0,
        ui.visuals().widgets.noninteractive.bg_stroke,
        egui::StrokeKind::Inside,
    );
    ui.label(text);
}

/// The basins' legend in one short row: the map shows each minimum as a star inside its own
/// hue, so the hues need no coordinates.
pub fn basins_legend(ui: &mut egui::Ui, shades: &OutcomeShades, minima: usize) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Basins:").strong());
        for i in 0..minima {
            let rgb = shades.converged(Some(i), 0.3);
            let size = egui::vec2(0.7, 1.0) * ui.text_style_height(&egui::TextStyle::Body);
            let (rect, _) = ui.allocate_exact_size(size, egui::Sense::hover());
            ui.painter()
                .rect_filled(rect, 1.0, Color32::from_rgb(rgb[0], rgb[1], rgb[2]));
        }
        ui.label("the minimum reached (the star inside)");
        swatch(ui, shades.converged(None, 0.3), "elsewhere");
        swatch(ui, LIMIT_GREY, "limit");
        swatch(ui, DIVERGED, "diverged");
        ui.label(RichText::new("lighter = faster").weak());
    });
}

/// The basins' legend row before the first part of the map arrives, the same height.
pub fn basins_pending(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Basins:").strong());
        ui.label(RichText::new("mapping where a run from each point ends…").weak());
    });
}

/// The legend row(s) for a map whose runs can reach `minima`.
pub fn outcome_legend(ui: &mut egui::Ui, shades: &OutcomeShades, minima: &[Point]) {
    ui.horizontal_wrapped(|ui| {
        // Several minima share one word, so the legend keeps to few rows.
        let prefix = match minima.len() {
            1 => "minimum ",
            _ => {
                ui.label("minima:");
                ""
            }
        };
        for (i, m) in minima.iter().enumerate() {
            let text = format!("{prefix}({}, {})", format_number(m[0]), format_number(m[1]));
            swatch(ui, shades.converged(Some(i), 0.3), &text);
        }
        swatch(ui, shades.converged(None, 0.3), "converged elsewhere");
        swatch(ui, LIMIT_GREY, "iteration limit");
        swatch(ui, DIVERGED, "diverged");
        swatch(ui, UNDEFINED_RED, "J undefined");
        let (fast, slow) = shades.iteration_range();
        if slow > 0 {
            let note = format!("lighter = fewer iterations ({fast} to {slow})");
            wrap_before(ui, text_width(ui, &note));
            ui.label(RichText::new(note).weak());
        }
    });
}
