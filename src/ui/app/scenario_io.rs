//! The app's side of scenario files and lessons: the File and Lessons menus, opening
//! (dialog, recent list, drag and drop, command line), saving, lesson steps, and the
//! messages about them.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::engine::scenario::{
    BUNDLED_LESSONS, LinkTarget, Scenario, lesson_link, read_link, scene_link, web_address,
};

use super::LosscapeApp;
use crate::ui::command::Command;
use crate::ui::documents::{self, FileEvent, Opened};
use crate::ui::state::LessonProgress;

/// The bundled lessons' titles, read once.
fn lesson_titles() -> &'static [String] {
    static TITLES: OnceLock<Vec<String>> = OnceLock::new();
    TITLES.get_or_init(|| BUNDLED_LESSONS.iter().map(|l| l.title()).collect())
}

impl LosscapeApp {
    /// What is on screen as a scenario (what File > Save writes).
    pub fn current_scenario(&self) -> Scenario {
        self.state.scene_to_save()
    }

    /// Opens a scenario file in the background (command line, tests); see
    /// [`LosscapeApp::wait_for_background`].
    pub fn open_scenario_file(&mut self, path: PathBuf) {
        self.files.open_path(path);
    }

    /// Opens a scene or lesson link; a link that cannot be read changes nothing and says
    /// why.
    pub fn open_link(&mut self, link: &str) {
        match read_link(link) {
            Ok(LinkTarget::Scene(scenario)) => self.put_on_screen(Opened {
                scenario: *scenario,
                path: None,
                bundled: None,
            }),
            Ok(LinkTarget::Lesson(index)) => self.open_lesson(index),
            Err(message) => {
                self.files.error = Some(format!("The link cannot be opened: {message}."));
            }
        }
    }

    /// A link to what is on screen, or why there is none. A bundled lesson whose problem,
    /// runs and text are still the lesson's gets the short form (`#lesson=04`), which opens
    /// it as bundled (its own domain and views).
    pub fn link_to_scene(&self) -> Result<String, String> {
        // The browser build links to its own page.
        #[cfg(target_arch = "wasm32")]
        let address = crate::ui::web::page_address().unwrap_or_else(web_address);
        #[cfg(not(target_arch = "wasm32"))]
        let address = web_address();
        let scene = self.current_scenario();
        let same_lesson = |lesson: &Scenario| {
            let (Ok(a), Ok(b)) = (lesson.for_file(None), scene.for_file(None)) else {
                return false;
            };
            // Run ids are the app's own numbering, never saved.
            let unnumbered = |runs: &[crate::engine::run::RunSettings]| {
                let mut runs = runs.to_vec();
                runs.iter_mut().for_each(|r| r.id = 0);
                runs
            };
            // The domain shown is not part of the lesson (the app fills in the problem's).
            let (mut pa, mut pb) = (a.problem.clone(), b.problem.clone());
            (pa.domain, pb.domain) = (None, None);
            pa == pb && unnumbered(&a.runs) == unnumbered(&b.runs) && a.lesson == b.lesson
        };
        if let Some(index) = self.state.lesson.as_ref().and_then(|l| l.bundled)
            && let Some(lesson) = BUNDLED_LESSONS.get(index)
            && Scenario::from_toml(lesson.text, None).is_ok_and(|l| same_lesson(&l))
        {
            return Ok(lesson_link(&address, index));
        }
        scene_link(&address, &scene)
    }

    /// The message shown about the last failed open or save, if any.
    pub fn file_error(&self) -> Option<&str> {
        self.files.error.as_deref()
    }

    /// Opens bundled lesson `index` (by position in the Lessons menu).
    pub fn open_lesson(&mut self, index: usize) {
        if let Some(opened) = self.files.open_bundled(index) {
            self.put_on_screen(opened);
        }
    }

    /// Applies step `index` of the open lesson to what is on screen. A step that cannot
    /// apply (it names a run that was deleted, say) changes nothing and says why.
    pub fn apply_lesson_step(&mut self, index: usize) {
        let Some(changes) = self
            .state
            .scene
            .lesson
            .as_ref()
            .and_then(|l| l.steps.get(index))
            .and_then(|step| step.apply.clone())
        else {
            return;
        };
        match self.current_scenario().with_changes(&changes) {
            Ok(changed) => {
                self.replace_scene(changed);
                if let Some(open) = &mut self.state.lesson {
                    if !open.applied.contains(&index) {
                        open.applied.push(index);
                    }
                    // The card stays on (or moves to) the step just applied.
                    open.page = index + 1;
                }
            }
            Err(e) => {
                self.files.error = Some(format!("Step {} cannot be applied.\n\n{e}", index + 1));
            }
        }
    }

    /// Saves through a background thread: to `path`, or asks where. Nothing is written when
    /// the scene is not valid (the message says what to fix).
    pub(super) fn save_scenario(&mut self, path: Option<PathBuf>) {
        let scenario = self.current_scenario();
        let suggested = documents::suggested_file_name(scenario.title.as_deref());
        self.files.save(scenario, path, suggested);
    }

    /// Handles a finished open or save.
    pub(super) fn file_event(&mut self, event: FileEvent) {
        match event {
            FileEvent::Open(opened) => self.put_on_screen(*opened),
            FileEvent::Saved(path) => {
                documents::remember(&mut self.state.recent_files, &path);
                self.state.scenario_file = Some(path);
            }
            FileEvent::OpenFailed(path) => {
                // A recent file that is gone or broken leaves the list.
                if let Some(path) = path
                    && !path.exists()
                {
                    self.state.recent_files.retain(|p| p != &path);
                }
            }
        }
    }

    /// Replaces what is on screen with a checked scenario.
    fn put_on_screen(&mut self, opened: Opened) {
        let Opened {
            scenario,
            path,
            bundled,
        } = opened;
        self.replace_scene(scenario);
        self.reset_curve = true;
        self.state.lesson = self.state.scene.lesson.is_some().then(|| LessonProgress {
            bundled,
            applied: Vec::new(),
            page: 0,
        });
        // A lesson's text starts at the top of the side panel, wherever it was scrolled.
        self.side_panel_to_top = self.state.lesson.is_some();
        if let Some(path) = &path {
            documents::remember(&mut self.state.recent_files, path);
        }
        // A lesson opened from the menu is not a file: Save then asks where.
        self.state.scenario_file = path;
        self.files.error = None;
    }

    /// Puts `scene` on screen. Runs keep their ids when a run of the same name was there (so
    /// an applied lesson step re-simulates only what changed); playback pauses.
    fn replace_scene(&mut self, scene: Scenario) {
        let old = std::mem::replace(&mut self.state.scene, scene);
        for run in &mut self.state.scene.runs {
            if let Some(before) = old.runs.iter().find(|o| o.name == run.name) {
                run.id = before.id;
            }
        }
        self.state.number_runs();
        self.state.scene.playback.playing = false;
        self.reset_contour = true;
    }

    /// Dropped `.toml` files open as scenarios, `.csv` files as the dataset.
    pub(super) fn handle_dropped_files(&mut self, ui: &egui::Ui) {
        let dropped: Vec<PathBuf> = ui.ctx().input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        for path in dropped {
            let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
            match extension.as_deref() {
                Some("csv") | Some("txt") => self.data.open_path(path),
                _ => self.files.open_path(path),
            }
        }
        let hovering = ui.ctx().input(|i| !i.raw.hovered_files.is_empty());
        if hovering {
            let screen = ui.ctx().content_rect();
            let painter = ui.ctx().layer_painter(egui::LayerId::new(
                egui::Order::Foreground,
                egui::Id::unique("drop_target"),
            ));
            painter.rect_filled(screen, 0.0, egui::Color32::from_black_alpha(170));
            painter.text(
                screen.center(),
                egui::Align2::CENTER_CENTER,
                "Drop a scenario (.toml) or a dataset (.csv)",
                egui::FontId::proportional(28.0),
                egui::Color32::WHITE,
            );
        }
    }

    /// The menu bar: File, Lessons and View.
    pub(super) fn menu_ui(&mut self, ui: &mut egui::Ui) {
        egui::Panel::top("menu")
            .frame(self.panel_frame(ui, false))
            .show(ui, |ui| {
                egui::MenuBar::new().ui(ui, |ui| {
                    ui.menu_button("File", |ui| self.file_menu(ui));
                    ui.menu_button("Lessons", |ui| self.lessons_menu(ui));
                    ui.menu_button("View", |ui| self.view_menu(ui));
                });
            });
    }

    fn recent_menu(&mut self, ui: &mut egui::Ui) {
        ui.menu_button("Open recent", |ui| {
            if self.state.recent_files.is_empty() {
                ui.label("No recent files");
            }
            for path in &self.state.recent_files {
                if ui
                    .button(documents::file_name(path))
                    .on_hover_text(path.display().to_string())
                    .clicked()
                {
                    self.commands.push(Command::OpenScenarioFile(path.clone()));
                }
            }
            if !self.state.recent_files.is_empty() {
                ui.separator();
                if ui.button("Clear the list").clicked() {
                    self.commands.push(Command::ClearRecentFiles);
                }
            }
        });
    }

    fn file_menu(&mut self, ui: &mut egui::Ui) {
        let open = egui::Button::new("Open scenario…")
            .shortcut_text(Command::OpenScenarioDialog.shortcut_text(ui.ctx()));
        if ui.add(open).clicked() {
            self.commands.push(Command::OpenScenarioDialog);
        }
        // A page cannot reopen a file by its name: the browser build has no recent files.
        if cfg!(not(target_arch = "wasm32")) {
            self.recent_menu(ui);
        }
        ui.separator();
        let save_label = match &self.state.scenario_file {
            Some(path) => format!("Save ({})", documents::file_name(path)),
            None => "Save…".to_owned(),
        };
        if ui
            .add(
                egui::Button::new(save_label)
                    .shortcut_text(Command::SaveScenario.shortcut_text(ui.ctx())),
            )
            .clicked()
        {
            self.commands.push(Command::SaveScenario);
        }
        let save_as = egui::Button::new("Save as…")
            .shortcut_text(Command::SaveScenarioAs.shortcut_text(ui.ctx()));
        if ui.add(save_as).clicked() {
            self.commands.push(Command::SaveScenarioAs);
        }
        ui.separator();
        if ui
            .button("Copy link to this scene")
            .on_hover_text("The whole scene in a link (it stays in the link, on no server)")
            .clicked()
        {
            match self.link_to_scene() {
                Ok(link) => {
                    ui.ctx().copy_text(link);
                    self.files.notice = Some("Link copied".to_owned());
                }
                Err(message) => {
                    self.files.error = Some(format!("No link was made: {message}."));
                }
            }
        }
        if ui.button("Open link…").clicked() {
            self.link_dialog = Some(String::new());
        }
    }

    /// The "Open link" dialog: paste a link, open it.
    pub(super) fn link_dialog_ui(&mut self, ui: &egui::Ui) {
        let Some(text) = &mut self.link_dialog else {
            return;
        };
        let mut open = false;
        let modal = egui::Modal::new(egui::Id::unique("open_link")).show(ui.ctx(), |ui| {
            ui.set_max_width(560.0);
            ui.heading("Open a link");
            ui.label("Paste a losscape link (…#scene=… or …#lesson=04):");
            let edit = ui.add(
                egui::TextEdit::singleline(text)
                    .desired_width(520.0)
                    .hint_text("http://localhost:8000/#scene=…"),
            );
            edit.request_focus();
            open = edit.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
            ui.horizontal(|ui| {
                open |= ui
                    .add_enabled(!text.trim().is_empty(), egui::Button::new("Open"))
                    .clicked();
                ui.button("Cancel").clicked()
            })
            .inner
        });
        if open && !text.trim().is_empty() {
            let link = text.clone();
            self.link_dialog = None;
            self.open_link(&link);
        } else if modal.inner || modal.should_close() {
            self.link_dialog = None;
        }
    }

    fn lessons_menu(&mut self, ui: &mut egui::Ui) {
        let open = self.state.lesson.as_ref().and_then(|l| l.bundled);
        for (i, title) in lesson_titles().iter().enumerate() {
            if ui
                .add(egui::Button::selectable(open == Some(i), title))
                .clicked()
            {
                self.commands.push(Command::OpenLesson(i));
            }
        }
    }

    /// An error dialog for a failed open, save or step, and a short notice after a save.
    pub(super) fn file_messages_ui(&mut self, ui: &egui::Ui) {
        if let Some(error) = self.files.error.clone() {
            let modal = egui::Modal::new(egui::Id::unique("file_error")).show(ui.ctx(), |ui| {
                ui.set_max_width(560.0);
                ui.heading("Nothing was changed");
                ui.add_space(6.0);
                ui.add(egui::Label::new(error).wrap());
                ui.add_space(8.0);
                ui.button("OK").clicked()
            });
            if modal.inner || modal.should_close() {
                self.files.error = None;
            }
        }
        if let Some(notice) = self.files.notice.clone() {
            let id = egui::Id::unique("file_notice_shown_at");
            let now = ui.ctx().input(|i| i.time);
            let shown_at = ui.ctx().data_mut(|d| *d.get_temp_mut_or(id, now));
            if now - shown_at > 2.5 {
                self.files.notice = None;
                ui.ctx().data_mut(|d| d.remove::<f64>(id));
            } else {
                egui::Area::new(egui::Id::unique("file_notice"))
                    .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -24.0))
                    .order(egui::Order::Foreground)
                    .show(ui.ctx(), |ui| {
                        egui::Frame::popup(ui.style()).show(ui, |ui| ui.label(notice));
                    });
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_millis(500));
            }
        }
    }

    /// Names the open file or lesson in the window title.
    pub(super) fn update_window_title(&mut self, ctx: &egui::Context) {
        let name = match (&self.state.scenario_file, &self.state.lesson) {
            (Some(path), _) => Some(documents::file_name(path)),
            (None, Some(_)) => Some(self.state.scene.display_title().to_owned()),
            (None, None) => None,
        };
        let title = match name {
            Some(name) => format!("{name} — losscape"),
            None => "losscape".to_owned(),
        };
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            #[cfg(target_arch = "wasm32")]
            crate::ui::web::set_page_title(&title);
            self.window_title = title;
        }
    }
}
