//! Keys and commands: what a key press or a button asks for, applied after the frame is
//! drawn.

use std::path::Path;

use crate::engine::Domain;
use crate::engine::run::{Initialization, RunColor, RunSettings};
use crate::engine::scenario::{DataFitSettings, ProblemKind, ProblemSettings, unique_copy_name};

use super::LosscapeApp;
use crate::ui::command::{Command, WITH_SHORTCUTS};
use crate::ui::state::default_run_settings;

impl LosscapeApp {
    /// Turns key presses into commands. Each command's shortcut is defined once, by the
    /// command ([`Command::shortcut`]); keys are consumed so a focused button or slider does
    /// not also act on them (Space would otherwise press a focused Play button again).
    pub(super) fn handle_keys(&mut self, ui: &egui::Ui) {
        // Keys belong to a focused text field when there is one.
        let typing = ui.ctx().egui_wants_keyboard_input();
        // Esc leaves presenter mode unless a menu, popup or dialog is there to close.
        let esc_is_free = !ui.ctx().any_popup_open()
            && ui.ctx().memory(|m| m.top_modal_layer().is_none())
            && self.files.error.is_none();
        let leave = self.appearance.presenter && esc_is_free && !typing;
        let keyed = WITH_SHORTCUTS
            .iter()
            .filter(|c| !typing || c.works_while_typing())
            .chain(leave.then_some(&Command::LeavePresenter));
        ui.ctx().input_mut(|i| {
            for command in keyed {
                if let Some(shortcut) = command.shortcut()
                    && i.consume_shortcut(&shortcut)
                {
                    self.commands.push(command.clone());
                }
            }
        });
    }

    pub(super) fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let last = self.last_iteration();
        let playback = &mut self.state.scene.playback;
        match command {
            Command::TogglePlay => playback.toggle(last),
            Command::StepForward => playback.step_forward(last),
            Command::StepBack => playback.step_back(),
            Command::Restart => playback.restart(),
            Command::Seek(iteration) => playback.seek(iteration, last),
            Command::FitDomainToMinima => {
                if let Some(domain) =
                    fit_to_points(self.objective.known_points().iter().map(|p| p.at))
                {
                    self.state.scene.problem.domain = Some(domain);
                    self.reset_contour = true;
                }
            }
            Command::ResetView => {
                if let Some(domain) = self.objective.default_domain().filter(Domain::is_valid) {
                    self.state.scene.problem.domain = Some(domain);
                }
                self.reset_contour = true;
            }
            Command::SwitchProblemKind(kind) => self.switch_problem_kind(kind),
            Command::OpenCsvDialog => self.data.open_dialog(),
            Command::ChoosePreset(name) => self.choose_preset(&name),
            Command::SelectRun(id) => self.state.selected_run = Some(id),
            Command::AddRun => {
                let id = self.state.next_run_id();
                let runs = &self.state.scene.runs;
                let color = next_color(runs);
                // A fresh gradient-descent run starting where the selected one starts.
                let mut run = default_run_settings();
                if let Some(selected) = self.state.selected() {
                    run.init = selected.init;
                }
                run.id = id;
                run.color = Some(color);
                run.name = unique_name("Run", runs);
                self.state.scene.runs.push(run);
                self.state.selected_run = Some(id);
            }
            Command::DuplicateRun(id) => {
                let runs = &self.state.scene.runs;
                if let Some(i) = runs.iter().position(|r| r.id == id) {
                    let new_id = self.state.next_run_id();
                    let mut copy = runs[i].clone();
                    copy.id = new_id;
                    copy.color = Some(next_color(runs));
                    copy.name = unique_copy_name(&copy.name, runs.iter().map(|r| r.name.as_str()));
                    self.state.scene.runs.insert(i + 1, copy);
                    self.state.selected_run = Some(new_id);
                }
            }
            Command::RemoveRun(id) => {
                let runs = &mut self.state.scene.runs;
                if let Some(i) = runs.iter().position(|r| r.id == id) {
                    runs.remove(i);
                    let next = runs.get(i).or_else(|| runs.last());
                    self.state.selected_run = next.map(|r| r.id);
                }
            }
            Command::OpenScenarioDialog => {
                let folder = self
                    .state
                    .scenario_file
                    .as_deref()
                    .and_then(Path::parent)
                    .map(Path::to_path_buf);
                self.files.open_dialog(folder);
            }
            Command::OpenScenarioFile(path) => self.files.open_path(path),
            Command::ReopenScenario => {
                if let Some(path) = self.state.scenario_file.clone() {
                    self.files.open_path(path);
                }
            }
            Command::OpenLesson(index) => self.open_lesson(index),
            Command::ApplyLessonStep(index) => self.apply_lesson_step(index),
            Command::LessonPage(page) => {
                if let Some(open) = &mut self.state.lesson {
                    open.page = page;
                }
            }
            Command::CloseLesson => {
                self.state.lesson = None;
                self.state.scene.lesson = None;
            }
            Command::SaveScenario => self.save_scenario(self.state.scenario_file.clone()),
            Command::SaveScenarioAs => self.save_scenario(None),
            Command::ClearRecentFiles => self.state.recent_files.clear(),
            Command::TogglePresenter => self.appearance.presenter = !self.appearance.presenter,
            Command::LeavePresenter => self.appearance.presenter = false,
            Command::ToggleFullscreen => {
                let now = ctx.input(|i| i.viewport().fullscreen.unwrap_or(false));
                ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(!now));
            }
            Command::SetTheme(theme) => self.state.theme = theme,
            Command::ApplyRunSettings { id, settings } => {
                if let Some(run) = self.state.scene.runs.iter_mut().find(|r| r.id == id) {
                    *run = crate::engine::run::RunSettings {
                        id: run.id,
                        name: std::mem::take(&mut run.name),
                        color: run.color,
                        visible: run.visible,
                        ..*settings
                    };
                    playback.restart();
                    playback.playing = true;
                }
            }
            Command::SetStart { at, all } => {
                let start = Initialization::Manual { w: at[0], b: at[1] };
                let selected = self.state.selected_run;
                for run in &mut self.state.scene.runs {
                    if all || Some(run.id) == selected {
                        run.init = start;
                    }
                }
            }
        }
    }

    /// Loads a preset: its formula (or model, loss and dataset) and, once built, its domain.
    pub fn choose_preset(&mut self, name: &str) {
        let Some(chosen) = ProblemSettings::from_preset(name) else {
            return;
        };
        let problem = &mut self.state.scene.problem;
        if chosen.kind() != problem.kind() {
            self.parked_problem = Some(problem.clone());
        }
        // A function preset knows its region; a data fit's follows the data once built.
        *problem = ProblemSettings {
            constants: std::mem::take(&mut problem.constants),
            ..chosen
        };
        self.reset_contour = true;
    }

    /// Function or data fit: the other kind's last problem comes back (or its default).
    fn switch_problem_kind(&mut self, kind: ProblemKind) {
        let problem = &mut self.state.scene.problem;
        if problem.kind() == kind {
            return;
        }
        let back = self.parked_problem.take().filter(|p| p.kind() == kind);
        let next = back.unwrap_or_else(|| match kind {
            ProblemKind::Function => ProblemSettings::from_preset("bowl").unwrap_or_default(),
            ProblemKind::DataFit => ProblemSettings {
                data: Some(DataFitSettings::default()),
                ..ProblemSettings::default()
            },
        });
        self.parked_problem = Some(std::mem::replace(problem, next));
        self.reset_contour = true;
    }
}

/// The least used run color.
fn next_color(runs: &[RunSettings]) -> RunColor {
    let used = runs
        .iter()
        .enumerate()
        .map(|(i, r)| crate::ui::palette::slot(r.color, i));
    RunColor::from_index(crate::ui::palette::next_free_color(used))
}

/// "Run N" for the first N no run is named.
fn unique_name(stem: &str, runs: &[RunSettings]) -> String {
    (1..)
        .map(|n| format!("{stem} {n}"))
        .find(|name| !runs.iter().any(|r| &r.name == name))
        .unwrap_or_else(|| stem.to_owned())
}

/// A domain framing `points` with a margin (None without points).
fn fit_to_points(points: impl Iterator<Item = crate::engine::Point>) -> Option<Domain> {
    let mut lo = [f64::INFINITY; 2];
    let mut hi = [f64::NEG_INFINITY; 2];
    for p in points.filter(|p| p[0].is_finite() && p[1].is_finite()) {
        for k in 0..2 {
            lo[k] = lo[k].min(p[k]);
            hi[k] = hi[k].max(p[k]);
        }
    }
    if !lo[0].is_finite() {
        return None;
    }
    // At least a unit-wide window, plus 30% margin on each side.
    let span = [(hi[0] - lo[0]).max(1.0), (hi[1] - lo[1]).max(1.0)];
    let pad = [
        span[0] * 0.3 + (span[0] - (hi[0] - lo[0])) / 2.0,
        span[1] * 0.3 + (span[1] - (hi[1] - lo[1])) / 2.0,
    ];
    let domain = Domain::new(
        lo[0] - pad[0],
        hi[0] + pad[0],
        lo[1] - pad[1],
        hi[1] + pad[1],
    );
    domain.is_valid().then_some(domain)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Fitting to minima frames every point with a margin; nothing to fit gives nothing.
    #[test]
    fn fit_to_points_frames_all() {
        let d = fit_to_points([[1.0, 1.0], [-2.0, 3.0]].into_iter()).expect("two points");
        assert!(d.is_valid());
        assert!(d.contains([1.0, 1.0]) && d.contains([-2.0, 3.0]));
        let single = fit_to_points([[0.0, 0.0]].into_iter()).expect("one point");
        assert!(single.w_span() >= 1.0 && single.contains([0.0, 0.0]));
        assert_eq!(fit_to_points(std::iter::empty()), None);
        assert_eq!(fit_to_points([[f64::NAN, 0.0]].into_iter()), None);
    }
}
