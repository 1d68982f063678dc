//! The lesson panel: the open lesson's explanation and its steps, each with a button that
//! applies its changes.

use crate::engine::scenario::{BUNDLED_LESSONS, Lesson};

use super::super::command::Command;
use super::super::state::LessonProgress;

/// The open lesson, drawn at the top of the side panel.
pub struct LessonPanel<'a> {
    /// The lesson's title.
    pub title: &'a str,
    /// Its text and steps.
    pub lesson: &'a Lesson,
    /// Where it stands.
    pub progress: &'a LessonProgress,
}

impl LessonPanel<'_> {
    /// Draws the text and the steps; buttons become commands.
    pub fn ui(self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let Self {
            title,
            lesson,
            progress: open,
        } = self;
        ui.add(egui::Label::new(egui::RichText::new(title).heading().strong()).wrap());
        ui.add_space(2.0);
        ui.add(egui::Label::new(&lesson.text).wrap());
        ui.add_space(4.0);
        for (i, step) in lesson.steps.iter().enumerate() {
            ui.horizontal_top(|ui| {
                ui.label(egui::RichText::new(format!("{}.", i + 1)).strong());
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&step.text).wrap());
                    if step.apply.is_some() {
                        let applied = open.applied.contains(&i);
                        let label = if applied {
                            format!("Apply step {} again", i + 1)
                        } else {
                            format!("Apply step {}", i + 1)
                        };
                        if ui
                            .button(label)
                            .on_hover_text("Make this step's changes on screen")
                            .clicked()
                        {
                            commands.push(Command::ApplyLessonStep(i));
                        }
                    }
                });
            });
            ui.add_space(2.0);
        }
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Start over")
                .on_hover_text("Open this lesson again as it began")
                .clicked()
            {
                commands.push(match open.bundled {
                    Some(index) => Command::OpenLesson(index),
                    None => Command::ReopenScenario,
                });
            }
            if let Some(next) = open.bundled.map(|i| i + 1)
                && next < BUNDLED_LESSONS.len()
                && ui.button("Next lesson").clicked()
            {
                commands.push(Command::OpenLesson(next));
            }
            if ui.button("Close lesson").clicked() {
                commands.push(Command::CloseLesson);
            }
        });
    }
}
