//! The lesson panel: the open lesson's explanation and its steps, each with a button that
//! applies its changes. In presenter mode the lesson is a card that shows one page at a
//! time (the introduction, then each step), so the views keep the room on a projector.

use crate::engine::scenario::{BUNDLED_LESSONS, Lesson, LessonStep};

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
    /// Show it as a card, one page at a time (presenter mode).
    pub card: bool,
}

impl LessonPanel<'_> {
    /// Draws the lesson; buttons become commands.
    pub fn ui(self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add(egui::Label::new(egui::RichText::new(self.title).heading().strong()).wrap());
        ui.add_space(2.0);
        if self.card {
            self.card_ui(ui, commands);
        } else {
            self.whole_ui(ui, commands);
        }
        self.lesson_buttons(ui, commands);
    }

    /// The introduction and every step.
    fn whole_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.add(egui::Label::new(&self.lesson.text).wrap());
        ui.add_space(4.0);
        for (i, step) in self.lesson.steps.iter().enumerate() {
            ui.horizontal_top(|ui| {
                ui.label(egui::RichText::new(format!("{}.", i + 1)).strong());
                ui.vertical(|ui| {
                    ui.add(egui::Label::new(&step.text).wrap());
                    self.apply_button(ui, i, step, commands);
                });
            });
            ui.add_space(2.0);
        }
    }

    /// One page (the introduction or a step), the way between pages, and the whole
    /// lesson a click away.
    fn card_ui(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        let steps = &self.lesson.steps;
        let page = self.progress.page.min(steps.len());
        let heading = match page {
            0 => "Introduction".to_owned(),
            p => format!("Step {p} of {}", steps.len()),
        };
        ui.label(egui::RichText::new(heading).strong());
        match page.checked_sub(1).and_then(|i| Some((i, steps.get(i)?))) {
            Some((i, step)) => {
                ui.add(egui::Label::new(&step.text).wrap());
                self.apply_button(ui, i, step, commands);
            }
            None => {
                ui.add(egui::Label::new(&self.lesson.text).wrap());
            }
        }
        ui.horizontal(|ui| {
            if ui
                .add_enabled(page > 0, egui::Button::new("Back"))
                .on_hover_text("The previous page of the lesson")
                .clicked()
            {
                commands.push(Command::LessonPage(page - 1));
            }
            let next = match page {
                0 => "First step",
                _ => "Next step",
            };
            if ui
                .add_enabled(page < steps.len(), egui::Button::new(next))
                .on_hover_text("The next page of the lesson")
                .clicked()
            {
                commands.push(Command::LessonPage(page + 1));
            }
        });
        egui::CollapsingHeader::new("Whole lesson")
            .id_salt("whole lesson")
            .default_open(false)
            .show(ui, |ui| self.whole_ui(ui, commands));
    }

    /// The button that makes step `i`'s changes, if it has any.
    fn apply_button(
        &self,
        ui: &mut egui::Ui,
        i: usize,
        step: &LessonStep,
        commands: &mut Vec<Command>,
    ) {
        if step.apply.is_none() {
            return;
        }
        let label = if self.progress.applied.contains(&i) {
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

    /// Start over, next lesson, close.
    fn lesson_buttons(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            if ui
                .button("Start over")
                .on_hover_text("Open this lesson again as it began")
                .clicked()
            {
                commands.push(match self.progress.bundled {
                    Some(index) => Command::OpenLesson(index),
                    None => Command::ReopenScenario,
                });
            }
            if let Some(next) = self.progress.bundled.map(|i| i + 1)
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
