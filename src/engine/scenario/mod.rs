//! Scenario files: everything needed to put a demo back on screen exactly as it was
//! prepared, as versioned, human-readable TOML.
//!
//! ```toml
//! version = 1
//! title = "Learning rate"
//!
//! [problem]
//! preset = "bowl"
//!
//! [[runs]]
//! name = "Small steps"
//! learning_rate = 0.05
//! init = { kind = "manual", w = -2.5, b = 2.0 }
//!
//! [view]
//! mode = "both"
//!
//! [lesson]
//! text = "What does the learning rate change?"
//! [[lesson.steps]]
//! text = "Predict how far the first step goes, then press Play."
//! ```
//!
//! Reading is strict: an unknown field, a wrong type or a number out of range is an error
//! naming the file, the line and the field. A file from a newer format version is refused.
//! Saving writes a temporary file and renames it, so a failed save never loses the old one.

mod bundled;
mod error;
mod lesson;
mod problem;
mod run;
mod view;

use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use bundled::{BUNDLED_LESSONS, BundledLesson};
pub use error::{FieldPath, FieldStep, ScenarioError};
pub use lesson::{Lesson, LessonStep};
pub use problem::{
    MAX_SYNTHETIC_EXAMPLES, ResolvedProblem, ScenarioConstant, ScenarioData, ScenarioDataset,
    ScenarioProblem,
};
pub use run::{MAX_ITERATIONS, RunColor, ScenarioRun};
pub use view::{
    CurveAxisChoice, DetailsSections, SPEED_RANGE, ScenarioCamera, ScenarioPlayback, ScenarioView,
    ViewLayout,
};

use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;

/// The format version this losscape writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// Largest scenario file read, in bytes (a scenario is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A saved demo: the problem, the runs, the views, the playback position, and optional
/// lesson text.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// Shown in the window's lesson panel and the Lessons menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What is minimized.
    pub problem: ScenarioProblem,
    /// The optimizer runs, in list order.
    #[serde(default)]
    pub runs: Vec<ScenarioRun>,
    /// How it is shown.
    #[serde(default)]
    pub view: ScenarioView,
    /// Where playback stands.
    #[serde(default)]
    pub playback: ScenarioPlayback,
    /// Teaching text and steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

/// A scenario made ready to run: its objective and each run's settings (same order).
#[derive(Clone)]
pub struct BuiltScenario {
    /// J(w, b).
    pub objective: Arc<dyn Objective>,
    /// The runs as the engine simulates them.
    pub runs: Vec<RunSettings>,
}

impl Scenario {
    /// Reads a scenario from TOML text. Relative CSV paths are taken relative to
    /// `base_dir` (the scenario's folder) when given. Every part is checked: see
    /// [`Scenario::build`].
    pub fn from_toml(text: &str, base_dir: Option<&Path>) -> Result<Self, ScenarioError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| ScenarioError::from_toml(&e, text))?;
        check_version(table.get("version")).map_err(|e| e.locate(text))?;
        let mut scenario: Scenario =
            toml::from_str(text).map_err(|e| ScenarioError::from_toml(&e, text))?;
        if let Some(dir) = base_dir {
            scenario.resolve_paths(dir);
        }
        scenario.check().map_err(|e| e.locate(text))?;
        Ok(scenario)
    }

    /// Reads a scenario file (see [`Scenario::from_toml`]); errors name the file.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let in_file = |e: ScenarioError| e.in_file(path);
        let size = std::fs::metadata(path)
            .map_err(|e| in_file(ScenarioError::whole(read_error(&e))))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(in_file(ScenarioError::whole(format!(
                "the file is {size} bytes; a scenario is at most {MAX_FILE_BYTES} bytes (is this a scenario file?)"
            ))));
        }
        let bytes =
            std::fs::read(path).map_err(|e| in_file(ScenarioError::whole(read_error(&e))))?;
        let text = String::from_utf8(bytes).map_err(|_| {
            in_file(ScenarioError::whole(
                "the file is not text (UTF-8); is this a scenario file?",
            ))
        })?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        Self::from_toml(&text, Some(dir.unwrap_or(Path::new(".")))).map_err(in_file)
    }

    /// The scenario as TOML text, with a header comment.
    pub fn to_toml(&self) -> Result<String, ScenarioError> {
        let body = toml::to_string(self).map_err(|e| {
            ScenarioError::whole(format!("the scenario cannot be written as TOML: {e}"))
        })?;
        Ok(format!(
            "# A losscape scenario (format version {FORMAT_VERSION}).\n\
             # Open it in losscape with File > Open, or run `losscape THIS_FILE.toml`.\n\n{body}"
        ))
    }

    /// Writes the scenario to `path` (through a temporary file, renamed into place). CSV
    /// paths inside the file's folder are written relative to it.
    pub fn save(&self, path: &Path) -> Result<(), ScenarioError> {
        let mut copy = self.clone();
        copy.version = FORMAT_VERSION;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        copy.relativize_paths(dir);
        let text = copy.to_toml()?;
        crate::files::write_atomically(path, text.as_bytes())
            .map_err(|m| ScenarioError::whole(format!("could not save: {m}")).in_file(path))
    }

    /// Checks everything and builds the objective and the runs' settings: the formula or
    /// model compiles, the dataset loads, every number is in range, run names differ, the
    /// selected run exists, and every lesson step applies cleanly.
    pub fn build(&self) -> Result<BuiltScenario, ScenarioError> {
        let objective = self.problem.build()?;
        let runs = self.run_settings()?;
        Ok(BuiltScenario { objective, runs })
    }

    /// [`Scenario::build`] without keeping the result.
    fn check(&self) -> Result<(), ScenarioError> {
        self.build()?;
        self.view.validate()?;
        let names: Vec<&str> = self.runs.iter().map(|r| r.name.as_str()).collect();
        self.playback.validate(&names)?;
        if let Some(lesson) = &self.lesson {
            for i in 0..lesson.steps.len() {
                self.with_step(i)?;
            }
        }
        Ok(())
    }

    /// Each run's engine settings, checked.
    fn run_settings(&self) -> Result<Vec<RunSettings>, ScenarioError> {
        let here = FieldPath::key("runs");
        let mut settings = Vec::with_capacity(self.runs.len());
        for (i, run) in self.runs.iter().enumerate() {
            if self.runs[..i].iter().any(|r| r.name == run.name) {
                return Err(ScenarioError::at(
                    here.at(i).then("name"),
                    format!(
                        "two runs are named `{}`; each run needs its own name",
                        run.name
                    ),
                ));
            }
            settings.push(run.settings(&here.at(i))?);
        }
        Ok(settings)
    }

    /// The scenario after lesson step `index` is applied to it.
    pub fn with_step(&self, index: usize) -> Result<Scenario, ScenarioError> {
        let steps = FieldPath::key("lesson").then("steps");
        let Some(step) = self.lesson.as_ref().and_then(|l| l.steps.get(index)) else {
            return Err(ScenarioError::at(
                steps,
                format!("there is no step {}", index + 1),
            ));
        };
        match &step.apply {
            None => Ok(self.clone()),
            Some(changes) => self
                .with_changes(changes)
                .map_err(|e| e.under(&steps.at(index).then("apply"))),
        }
    }

    /// The scenario with `changes` (a lesson step's `apply` table) merged in and checked.
    /// The lesson itself is kept.
    pub fn with_changes(&self, changes: &toml::Table) -> Result<Scenario, ScenarioError> {
        let mut base = self.clone();
        let lesson = base.lesson.take();
        let mut table = toml::Table::try_from(&base).map_err(|e| {
            ScenarioError::whole(format!("the scenario cannot be written as TOML: {e}"))
        })?;
        lesson::merge_changes(&mut table, changes)?;
        let mut changed: Scenario = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ScenarioError::whole(e.message().replace('\n', " ")))?;
        if changes.contains_key("problem") {
            changed.problem.build()?;
        }
        changed.run_settings()?;
        changed.view.validate()?;
        let names: Vec<&str> = changed.runs.iter().map(|r| r.name.as_str()).collect();
        changed.playback.validate(&names)?;
        changed.lesson = lesson;
        Ok(changed)
    }

    /// Sets the domain to the problem's own when the file gives none (building the problem:
    /// for a large CSV, call this off the UI thread).
    pub fn fill_domain(&mut self) -> Result<(), ScenarioError> {
        if self.problem.domain.is_none() {
            self.problem.domain = Some(self.problem.build()?.domain());
        }
        Ok(())
    }

    /// The title, or a fallback.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or("Untitled scenario")
    }

    /// Makes relative CSV paths (of the problem and of lesson steps) relative to `dir`.
    fn resolve_paths(&mut self, dir: &Path) {
        if let Some(path) = self.csv_path_mut()
            && path.is_relative()
        {
            *path = dir.join(&*path);
        }
        let steps = self.lesson.iter_mut().flat_map(|l| l.steps.iter_mut());
        for step in steps {
            let path = step
                .apply
                .as_mut()
                .and_then(|t| t.get_mut("problem"))
                .and_then(|p| p.get_mut("data"))
                .and_then(|d| d.get_mut("dataset"))
                .and_then(|d| d.get_mut("path"));
            if let Some(toml::Value::String(p)) = path
                && Path::new(p.as_str()).is_relative()
            {
                *p = dir.join(p.as_str()).to_string_lossy().into_owned();
            }
        }
    }

    /// Writes CSV paths inside `dir` relative to it, and others as absolute paths.
    fn relativize_paths(&mut self, dir: &Path) {
        let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
        if let Some(path) = self.csv_path_mut() {
            let absolute = std::path::absolute(&*path).unwrap_or_else(|_| path.clone());
            *path = match absolute.strip_prefix(&dir) {
                Ok(inside) => inside.to_path_buf(),
                Err(_) => absolute,
            };
        }
    }

    fn csv_path_mut(&mut self) -> Option<&mut PathBuf> {
        match self.problem.data.as_mut().map(|d| &mut d.dataset) {
            Some(ScenarioDataset::Csv { path }) => Some(path),
            _ => None,
        }
    }
}

/// Refuses files without a version, and files from a newer losscape.
fn check_version(version: Option<&toml::Value>) -> Result<(), ScenarioError> {
    let field = FieldPath::key("version");
    let Some(version) = version else {
        return Err(ScenarioError::at(
            field,
            format!(
                "the file has no format version; a scenario starts with `version = {FORMAT_VERSION}`"
            ),
        ));
    };
    match version.as_integer() {
        Some(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Some(v) if v > i64::from(FORMAT_VERSION) => Err(ScenarioError::at(
            field,
            format!(
                "this scenario was written by a newer losscape (format version {v}); this losscape reads format version {FORMAT_VERSION}. Update losscape to open it"
            ),
        )),
        _ => Err(ScenarioError::at(
            field,
            format!("the format version must be {FORMAT_VERSION}, not {version}"),
        )),
    }
}

fn read_error(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => format!("could not read the file: {e}"),
    }
}
