//! The View menu: presenter mode, full screen, how the contour plot is scaled,
//! prediction mode and the light/dark theme.

use super::LosscapeApp;
use crate::ui::appearance::ThemeChoice;
use crate::ui::command::Command;

impl LosscapeApp {
    /// Draws the View menu's items (the menu bar opens it).
    pub(super) fn view_menu(&mut self, ui: &mut egui::Ui) {
        let presenter = egui::Button::selectable(self.appearance.presenter, "Presenter mode")
            .shortcut_text(Command::TogglePresenter.shortcut_text(ui.ctx()));
        if ui
            .add(presenter)
            .on_hover_text("larger text, thicker lines, high contrast, fewer controls (Esc leaves)")
            .clicked()
        {
            self.commands.push(Command::TogglePresenter);
        }
        let fullscreen = ui.ctx().input(|i| i.viewport().fullscreen.unwrap_or(false));
        if ui
            .add(
                egui::Button::selectable(fullscreen, "Full screen")
                    .shortcut_text(Command::ToggleFullscreen.shortcut_text(ui.ctx())),
            )
            .clicked()
        {
            self.commands.push(Command::ToggleFullscreen);
        }
        ui.separator();
        let view = &mut self.state.scene.view;
        if ui
            .add(egui::Button::selectable(
                view.stretch_to_fill,
                "Stretch to fill",
            ))
            .on_hover_text(
                "the contour plot fills its panel, w and b at different scales \
                 (off: one unit of w is as long as one unit of b, so shapes and right \
                 angles are true)",
            )
            .clicked()
        {
            view.stretch_to_fill = !view.stretch_to_fill;
        }
        ui.toggle_value(&mut view.prediction, "Prediction mode")
            .on_hover_text(
                "Draw curves and paths only up to the playback position and say how a run ends \
             when playback gets there, so a class can predict first",
            );
        ui.add_enabled_ui(view.prediction, |ui| {
            ui.toggle_value(&mut view.reveal_minima, "Show the minima")
                .on_hover_text("In prediction mode the minima are hidden until shown");
        });
        ui.separator();
        ui.label("Theme");
        for (theme, label) in [(ThemeChoice::Dark, "Dark"), (ThemeChoice::Light, "Light")] {
            if ui.radio(self.state.theme == theme, label).clicked() {
                self.commands.push(Command::SetTheme(theme));
            }
        }
    }
}
