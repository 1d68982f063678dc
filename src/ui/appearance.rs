//! Presenter mode and the light/dark theme: how large, how thick and how contrasted the
//! app is drawn. Applied to the egui context once per frame by [`Appearance::sync`].

use egui::{Color32, Stroke};

/// How much presenter mode enlarges everything (egui's zoom factor) on a screen wide enough.
pub const PRESENTER_ZOOM: f32 = 1.6;

/// Presenter mode never enlarges by less than this, even on a small screen.
pub const MIN_PRESENTER_ZOOM: f32 = 1.25;

/// The width, in points at presenter zoom, below which the zoom is lowered: the side panel,
/// the views and the details panel need about this much room side by side.
pub const PRESENTER_MIN_WIDTH: f32 = 1000.0;

/// The presenter zoom factor (relative to the normal one) for a window `width` points wide
/// at the normal zoom: [`PRESENTER_ZOOM`] where that leaves [`PRESENTER_MIN_WIDTH`] points,
/// less on a smaller screen (a 1280-pixel projector gets 1.28), never below
/// [`MIN_PRESENTER_ZOOM`].
pub fn presenter_zoom(width: f32) -> f32 {
    if !(width.is_finite() && width > 0.0) {
        return PRESENTER_ZOOM;
    }
    (width / PRESENTER_MIN_WIDTH).clamp(MIN_PRESENTER_ZOOM, PRESENTER_ZOOM)
}

/// Line and marker widths are multiplied by this in presenter mode.
pub const PRESENTER_LINE_SCALE: f32 = 1.5;

/// The color theme the user chose (remembered in the session).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeChoice {
    /// Light text on dark panels.
    #[default]
    Dark,
    /// Dark text on light panels.
    Light,
}

impl ThemeChoice {
    /// The matching egui theme.
    pub fn egui_theme(self) -> egui::Theme {
        match self {
            Self::Dark => egui::Theme::Dark,
            Self::Light => egui::Theme::Light,
        }
    }
}

/// Presenter mode on or off, and what to restore when it goes off.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Appearance {
    /// Presenter mode: larger, thicker, high contrast, fewer controls.
    pub presenter: bool,
    /// The zoom factor outside presenter mode (what the user or the system had).
    pub zoom_outside_presenter: Option<f32>,
    /// The last theme and presenter flag applied to the styles.
    applied: Option<(ThemeChoice, bool)>,
}

impl Appearance {
    /// Brings the context in line with `theme` and the presenter flag: zoom factor, theme
    /// and (in presenter mode) a high-contrast style. Cheap when nothing changed.
    pub fn sync(&mut self, ctx: &egui::Context, theme: ThemeChoice) {
        let zoom = ctx.zoom_factor();
        if self.presenter {
            let normal = *self.zoom_outside_presenter.get_or_insert(zoom);
            // The window's width in points at the normal zoom (independent of the current
            // zoom, so the choice is stable from frame to frame).
            let width = ctx.content_rect().width() * zoom / normal;
            let wanted = normal * presenter_zoom(width);
            if (zoom - wanted).abs() > 1e-4 {
                ctx.set_zoom_factor(wanted);
            }
        } else if let Some(normal) = self.zoom_outside_presenter.take()
            && (zoom - normal).abs() > 1e-4
        {
            ctx.set_zoom_factor(normal);
        }
        if self.applied != Some((theme, self.presenter)) {
            ctx.set_theme(theme.egui_theme());
            ctx.style_mut_of(egui::Theme::Dark, |style| {
                style.visuals = dark_visuals(self.presenter);
            });
            ctx.style_mut_of(egui::Theme::Light, |style| {
                style.visuals = light_visuals(self.presenter);
            });
            self.applied = Some((theme, self.presenter));
        }
        let scale = if self.presenter {
            PRESENTER_LINE_SCALE
        } else {
            1.0
        };
        super::theme::set_line_scale(ctx, scale);
    }
}

/// egui's dark visuals, with stronger contrast in presenter mode.
fn dark_visuals(presenter: bool) -> egui::Visuals {
    let mut v = egui::Visuals::dark();
    if presenter {
        v.override_text_color = Some(Color32::WHITE);
        v.panel_fill = Color32::from_gray(12);
        v.window_fill = Color32::from_gray(18);
        v.extreme_bg_color = Color32::BLACK;
        v.faint_bg_color = Color32::from_gray(28);
        strengthen(&mut v, Color32::from_gray(200));
    }
    v
}

/// egui's light visuals, with stronger contrast in presenter mode.
fn light_visuals(presenter: bool) -> egui::Visuals {
    let mut v = egui::Visuals::light();
    if presenter {
        v.override_text_color = Some(Color32::BLACK);
        v.panel_fill = Color32::WHITE;
        v.window_fill = Color32::WHITE;
        v.extreme_bg_color = Color32::WHITE;
        v.faint_bg_color = Color32::from_gray(235);
        strengthen(&mut v, Color32::from_gray(40));
    }
    v
}

/// Thicker, stronger outlines of widgets and separators.
fn strengthen(v: &mut egui::Visuals, outline: Color32) {
    let w = &mut v.widgets;
    w.noninteractive.bg_stroke = Stroke::new(1.5, outline.gamma_multiply(0.6));
    for state in [&mut w.inactive, &mut w.hovered, &mut w.active, &mut w.open] {
        state.bg_stroke = Stroke::new(1.5, outline);
        state.fg_stroke.width = state.fg_stroke.width.max(2.0);
    }
    v.selection.stroke.width = v.selection.stroke.width.max(2.0);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn presenter_zoom_fits_the_screen() {
        assert_eq!(presenter_zoom(1920.0), PRESENTER_ZOOM);
        assert_eq!(presenter_zoom(1600.0), PRESENTER_ZOOM);
        assert!((presenter_zoom(1280.0) - 1.28).abs() < 1e-6);
        assert_eq!(presenter_zoom(800.0), MIN_PRESENTER_ZOOM);
        assert_eq!(presenter_zoom(f32::NAN), PRESENTER_ZOOM);
    }
}
