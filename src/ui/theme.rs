//! Text sizes and spacing: larger than egui's defaults so a projected screen reads from the
//! back of a classroom.

use egui::{FontFamily, FontId, TextStyle};

/// Body text size in points.
pub const BODY_SIZE: f32 = 16.0;

/// Applies losscape's text sizes and spacing to both the dark and the light style.
pub fn apply(ctx: &egui::Context) {
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Small,
                FontId::new(13.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Body,
                FontId::new(BODY_SIZE, FontFamily::Proportional),
            ),
            (
                TextStyle::Button,
                FontId::new(BODY_SIZE, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(15.5, FontFamily::Monospace),
            ),
            (
                TextStyle::Heading,
                FontId::new(20.0, FontFamily::Proportional),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 5.0);
        style.spacing.button_padding = egui::vec2(6.0, 3.0);
        style.spacing.interact_size = egui::vec2(36.0, 24.0);
        style.spacing.slider_width = 150.0;
        style.spacing.combo_width = 150.0;
        style.spacing.icon_width = 16.0;
        style.spacing.icon_width_inner = 10.0;
        style.interaction.tooltip_delay = 0.3;
    });
}

/// True when `style` already has losscape's text sizes.
pub fn is_applied(style: &egui::Style) -> bool {
    style
        .text_styles
        .get(&TextStyle::Body)
        .is_some_and(|f| f.size == BODY_SIZE)
}

/// Where the line scale lives in the context's memory.
fn line_scale_id() -> egui::Id {
    egui::Id::unique("losscape_line_scale")
}

/// Sets the factor the views multiply line widths and marker sizes by.
pub fn set_line_scale(ctx: &egui::Context, scale: f32) {
    ctx.data_mut(|d| d.insert_temp(line_scale_id(), scale));
}

/// The factor the views multiply line widths and marker sizes by: 1 normally, larger in
/// presenter mode.
pub fn line_scale(ctx: &egui::Context) -> f32 {
    ctx.data(|d| d.get_temp::<f32>(line_scale_id()))
        .filter(|s| s.is_finite() && *s > 0.0)
        .unwrap_or(1.0)
}

/// A neutral gray that reads on the current theme: `level` (0-255) on a dark background,
/// its mirror image (255 - `level`) on a light one. For data points, guide lines and
/// curves drawn in no particular color.
pub fn ink(ui: &egui::Ui, level: u8) -> egui::Color32 {
    if ui.visuals().dark_mode {
        egui::Color32::from_gray(level)
    } else {
        egui::Color32::from_gray(255 - level)
    }
}
