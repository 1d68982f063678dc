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
