//! The playback toolbar: play/pause, step, restart, speed, the shared timeline, and each
//! run's status.

use egui::Color32;

use super::command::Command;
use crate::engine::limits::SPEED_RANGE;
use crate::engine::scenario::Playback;

/// One run's entry in the status strip.
pub struct RunBadge<'a> {
    /// Run color.
    pub color: Color32,
    /// Run name.
    pub name: &'a str,
    /// "running", "converged at 152", ...
    pub status: String,
}

/// The playback toolbar.
pub struct Toolbar<'a> {
    /// The shared clock (speed is edited in place; moves become commands).
    pub playback: &'a mut Playback,
    /// The last iteration any visible run has.
    pub last: usize,
    /// Status of each visible run.
    pub badges: &'a [RunBadge<'a>],
}

impl Toolbar<'_> {
    /// Draws the toolbar; button presses become commands.
    pub fn ui(self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Self {
            playback,
            last,
            badges,
        } = self;
        ui.horizontal(|ui| {
            ui.spacing_mut().item_spacing.x = 6.0;
            let play_label = if playback.playing { "Pause" } else { "Play" };
            if ui
                .button(play_label)
                .on_hover_text(Command::TogglePlay.hint(ui.ctx(), "Play or pause"))
                .clicked()
            {
                commands.push(Command::TogglePlay);
            }
            if ui
                .button("Restart")
                .on_hover_text(Command::Restart.hint(ui.ctx(), "Back to iteration 0"))
                .clicked()
            {
                commands.push(Command::Restart);
            }
            if ui
                .button("Step back")
                .on_hover_text(Command::StepBack.hint(ui.ctx(), "One iteration back"))
                .clicked()
            {
                commands.push(Command::StepBack);
            }
            if ui
                .button("Step")
                .on_hover_text(Command::StepForward.hint(ui.ctx(), "One iteration forward"))
                .clicked()
            {
                commands.push(Command::StepForward);
            }
            ui.separator();
            // On a narrow window (or in presenter mode) the speed slider gives up room to
            // the timeline.
            let speed_width = if ui.available_width() < 700.0 {
                80.0
            } else {
                150.0
            };
            ui.spacing_mut().slider_width = speed_width;
            ui.add(
                egui::Slider::from_get_set(*SPEED_RANGE.start()..=*SPEED_RANGE.end(), |v| {
                    if let Some(v) = v {
                        playback.speed = v;
                    }
                    playback.speed
                })
                .logarithmic(true)
                .max_decimals(0)
                .suffix(" it/s")
                .text("speed"),
            );
            ui.separator();
            let mut iteration = playback.iteration.min(last);
            // The timeline takes the rest of the row.
            // (What is left after the value box and the label.)
            ui.spacing_mut().slider_width = (ui.available_width() - 140.0).max(60.0);
            let response = ui.add(
                egui::Slider::new(&mut iteration, 0..=last.max(1))
                    .text("iteration")
                    .clamping(egui::SliderClamping::Always),
            );
            if response.changed() {
                commands.push(Command::Seek(iteration));
            }
        });
        if !badges.is_empty() {
            ui.horizontal_wrapped(|ui| {
                for badge in badges {
                    color_dot(ui, badge.color);
                    ui.label(format!("{}: {}", badge.name, badge.status));
                    ui.add_space(10.0);
                }
            });
        }
    }
}

/// A small filled circle in a run's color, sized like a text line (darkened on a light
/// theme when the color would be too faint).
pub fn color_dot(ui: &mut egui::Ui, color: Color32) -> egui::Response {
    let color = super::palette::on_background(color, ui.visuals().dark_mode);
    let size = ui.text_style_height(&egui::TextStyle::Body);
    let (rect, response) =
        ui.allocate_exact_size(egui::vec2(size * 0.8, size), egui::Sense::hover());
    ui.painter()
        .circle_filled(rect.center(), size * 0.32, color);
    response
}
