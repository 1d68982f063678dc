//! Opening and saving scenario files: native dialogs and file reads run on their own
//! thread, so the window never waits on a disk or a person choosing a file. In the browser
//! build Open uses the page's file picker and Save hands the file over as a download.

use std::path::{Path, PathBuf};

use crate::engine::scenario::{BUNDLED_LESSONS, Scenario, ScenarioError};

use super::worker::Worker;

/// Most files kept in File > Open recent.
pub const MAX_RECENT: usize = 8;

/// A scenario read and checked, ready to go on screen.
#[derive(Clone, Debug)]
pub struct Opened {
    /// The scenario.
    pub scenario: Scenario,
    /// The file it came from (None for a bundled lesson).
    pub path: Option<PathBuf>,
    /// Its position in the bundled lessons, when it is one.
    pub bundled: Option<usize>,
}

/// What a background open or save ended with.
enum Outcome {
    /// Nothing chosen in the dialog.
    Cancelled,
    /// A scenario read and checked.
    Opened(Box<Opened>),
    /// Could not open: the file (if known) and why.
    OpenFailed(Option<PathBuf>, ScenarioError),
    /// Saved to this file.
    Saved(PathBuf),
    /// Could not save.
    SaveFailed(ScenarioError),
}

/// What the app should do after a poll.
#[derive(Debug)]
pub enum FileEvent {
    /// Put this scenario on screen.
    Open(Box<Opened>),
    /// The scenario was saved to this file.
    Saved(PathBuf),
    /// Opening this file failed (remove it from the recent list).
    OpenFailed(Option<PathBuf>),
}

/// Scenario files in flight, and the last message about them.
pub struct ScenarioFiles {
    worker: Worker<Outcome>,
    /// An error to show until dismissed.
    pub error: Option<String>,
    /// A short confirmation (e.g. "Saved demo.toml").
    pub notice: Option<String>,
}

impl ScenarioFiles {
    /// Nothing in flight.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            worker: Worker::new(ctx),
            error: None,
            notice: None,
        }
    }

    /// Asks for a scenario file (the page's file picker) and reads it.
    #[cfg(target_arch = "wasm32")]
    pub fn open_dialog(&mut self, _folder: Option<PathBuf>) {
        self.worker.submit_async(|job| async move {
            let picked =
                super::web::pick_file("Open a losscape scenario", "losscape scenario", &["toml"])
                    .await;
            job.emit(match picked {
                Some(file) => match Scenario::from_file_bytes(file.bytes, &file.name) {
                    Ok(scenario) => Outcome::Opened(Box::new(Opened {
                        scenario,
                        path: Some(file.name),
                        bundled: None,
                    })),
                    Err(e) => Outcome::OpenFailed(None, e),
                },
                None => Outcome::Cancelled,
            });
            job
        });
    }

    /// Asks for a scenario file (native dialog) and reads it, both in the background.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_dialog(&mut self, folder: Option<PathBuf>) {
        self.worker.submit(move |job| {
            let mut dialog = rfd::FileDialog::new()
                .set_title("Open a losscape scenario")
                .add_filter("losscape scenario", &["toml"]);
            if let Some(folder) = folder {
                dialog = dialog.set_directory(folder);
            }
            job.emit(match dialog.pick_file() {
                Some(path) => read(path),
                None => Outcome::Cancelled,
            });
        });
    }

    /// Reads a scenario file in the background.
    pub fn open_path(&mut self, path: PathBuf) {
        self.worker.submit(move |job| job.emit(read(path)));
    }

    /// Reads a bundled lesson (they are small and built in: no thread needed).
    pub fn open_bundled(&mut self, index: usize) -> Option<Opened> {
        let lesson = BUNDLED_LESSONS.get(index)?;
        match Scenario::from_toml(lesson.text, None) {
            Ok(scenario) => Some(Opened {
                scenario,
                path: None,
                bundled: Some(index),
            }),
            Err(e) => {
                self.error = Some(e.in_file(lesson.file_name).to_string());
                None
            }
        }
    }

    /// Hands `scenario` to the browser as a download named after `path` (else `suggested`).
    /// A scenario that would not reopen is refused before anything is handed over.
    #[cfg(target_arch = "wasm32")]
    pub fn save(&mut self, scenario: Scenario, path: Option<PathBuf>, suggested: String) {
        self.worker.submit(move |job| {
            let name = path.as_deref().map(file_name).unwrap_or(suggested);
            let name = with_toml_extension(PathBuf::from(name));
            if scenario.names_a_file() {
                return job.emit(Outcome::SaveFailed(ScenarioError::whole(
                    "a scene whose dataset is a CSV file cannot be saved from a web page: the \
                     page cannot read the file again to check that the scenario reopens; save \
                     it in the desktop app, or fit a synthetic or bundled dataset",
                )));
            }
            let saved = scenario.saved_text(Path::new(".")).and_then(|text| {
                super::web::download(&file_name(&name), text.as_bytes(), "application/toml")
                    .map_err(ScenarioError::whole)
            });
            job.emit(match saved {
                Ok(()) => Outcome::Saved(name),
                Err(e) => Outcome::SaveFailed(e.in_file(&name)),
            });
        });
    }

    /// Writes `scenario` to `path` in the background, or asks where first (`path` None).
    /// A scenario that would not reopen is refused before anything is asked or written.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn save(&mut self, scenario: Scenario, path: Option<PathBuf>, suggested: String) {
        self.worker.submit(move |job| {
            if let Err(e) = scenario.for_file(None).and_then(|s| s.validate()) {
                return job.emit(Outcome::SaveFailed(e));
            }
            let path = match path {
                Some(p) => p,
                None => {
                    let picked = rfd::FileDialog::new()
                        .set_title("Save the scenario")
                        .add_filter("losscape scenario", &["toml"])
                        .set_file_name(suggested)
                        .save_file();
                    match picked {
                        Some(p) => std::path::absolute(with_toml_extension(p.clone())).unwrap_or(p),
                        None => return job.emit(Outcome::Cancelled),
                    }
                }
            };
            job.emit(match scenario.save(&path) {
                Ok(()) => Outcome::Saved(path),
                Err(e) => Outcome::SaveFailed(e),
            });
        });
    }

    /// True while a dialog is open or a file is being read or written.
    pub fn is_busy(&self) -> bool {
        self.worker.is_busy()
    }

    /// Takes a finished open or save.
    pub fn poll(&mut self) -> Option<FileEvent> {
        let outcome = self.worker.poll()?;
        self.take(outcome)
    }

    /// Blocks until the pending open or save has finished (tests, start-up screenshots).
    pub fn wait(&mut self) -> Option<FileEvent> {
        let outcome = self.worker.wait()?;
        self.take(outcome)
    }

    fn take(&mut self, outcome: Outcome) -> Option<FileEvent> {
        match outcome {
            Outcome::Cancelled => None,
            Outcome::Opened(opened) => {
                self.error = None;
                Some(FileEvent::Open(opened))
            }
            Outcome::OpenFailed(path, e) => {
                self.error = Some(format!("Could not open the scenario.\n\n{e}"));
                Some(FileEvent::OpenFailed(path))
            }
            Outcome::Saved(path) => {
                self.notice = Some(format!("{} {}", super::export::SAVED, file_name(&path)));
                Some(FileEvent::Saved(path))
            }
            Outcome::SaveFailed(e) => {
                self.error = Some(format!("Could not save the scenario.\n\n{e}"));
                None
            }
        }
    }
}

fn read(path: PathBuf) -> Outcome {
    // Remembered and shown paths are absolute, so they mean the same file from any folder.
    let path = std::path::absolute(&path).unwrap_or(path);
    match Scenario::load(&path) {
        Ok(scenario) => Outcome::Opened(Box::new(Opened {
            scenario,
            path: Some(path),
            bundled: None,
        })),
        Err(e) => Outcome::OpenFailed(Some(path), e),
    }
}

/// `name` becomes `name.toml`; a name with another extension keeps it.
fn with_toml_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_none() {
        path.with_extension("toml")
    } else {
        path
    }
}

/// The file name for messages and the window title.
pub fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

/// `path` moved to the front of `recent`, without duplicates, at most [`MAX_RECENT`].
pub fn remember(recent: &mut Vec<PathBuf>, path: &Path) {
    recent.retain(|p| p != path);
    recent.insert(0, path.to_path_buf());
    recent.truncate(MAX_RECENT);
}

/// A file name for Save as: the title in lower case with dashes.
pub fn suggested_file_name(title: Option<&str>) -> String {
    let stem: String = title
        .unwrap_or("scenario")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    format!("{}.toml", if stem.is_empty() { "scenario" } else { &stem })
}
