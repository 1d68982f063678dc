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
//! Reading is strict: an unknown field, a wrong type, a number out of range or two settings
//! that contradict each other is an error naming the file, the line and the field. A file
//! from a newer format version is refused. Saving checks that the text reads back, then
//! writes a temporary file and renames it, so a failed save never loses the old one.

mod bundled;
mod error;
mod expect;
mod explore;
mod lesson;
mod link;
mod playback;
mod problem;
mod run;
mod view;

use std::path::{Path, PathBuf};

pub use bundled::{BUNDLED_LESSONS, BundledLesson};
pub use error::{FieldPath, FieldStep, ScenarioError};
pub use expect::{DEFAULT_TOLERANCE, Expectation, Finding, Outcome};
pub use explore::{
    BASIN_RESOLUTION_RANGE, EXPLORE_COUNT_RANGE, EXPLORE_ITERATIONS_RANGE, ExploreAxis,
    ExploreSettings, ExploreTab, SEEDS_RANGE,
};
pub use lesson::{Lesson, LessonStep};
pub use link::{
    DEFAULT_WEB_ADDRESS, LinkTarget, MAX_LINK_CHARS, is_link, lesson_link, read_link, scene_link,
    web_address,
};
pub use playback::{Playback, clamp_speed};
pub use problem::{
    BuiltProblem, ConstantSetting, DEFAULT_LOSS, DEFAULT_MODEL, DataFitSettings, DataSource,
    ProblemError, ProblemField, ProblemKind, ProblemSettings, same_text,
};
pub use run::{unique_copy_name, validate_runs};
pub use view::{Camera3d, CurveAxis, DetailsSections, ViewMode, ViewSettings};

use crate::engine::run::RunSettings;

/// The format version this losscape writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// Largest scenario file read, in bytes (a scenario is a few kilobytes).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A scene: the problem, the runs, the views and the playback position, with optional
/// lesson text. The app's session holds one and a scenario file is one.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Format version ([`FORMAT_VERSION`]).
    pub version: u32,
    /// Shown in the window's lesson panel and the Lessons menu.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// What is minimized.
    pub problem: ProblemSettings,
    /// The optimizer runs, in list order.
    #[serde(default)]
    pub runs: Vec<RunSettings>,
    /// How it is shown.
    #[serde(default)]
    pub view: ViewSettings,
    /// Where playback stands.
    #[serde(default)]
    pub playback: Playback,
    /// Teaching text and steps.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lesson: Option<Lesson>,
}

impl Scenario {
    /// A scene of `problem` with no runs and default views.
    pub fn new(problem: ProblemSettings) -> Self {
        Self {
            version: FORMAT_VERSION,
            title: None,
            problem,
            runs: Vec::new(),
            view: ViewSettings::default(),
            playback: Playback::default(),
            lesson: None,
        }
    }

    /// Reads a scenario from TOML text. Relative CSV paths (of the problem and of lesson
    /// steps) are taken relative to `base_dir` (the scenario's folder) and kept absolute.
    /// Everything is checked (see [`Scenario::validate`]) and the problem resolved.
    pub fn from_toml(text: &str, base_dir: Option<&Path>) -> Result<Self, ScenarioError> {
        let table: toml::Table =
            toml::from_str(text).map_err(|e| ScenarioError::from_toml(&e, text))?;
        check_version(table.get("version")).map_err(|e| e.locate(text))?;
        let mut scenario: Scenario =
            toml::from_str(text).map_err(|e| ScenarioError::from_toml(&e, text))?;
        if let Some(dir) = base_dir {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            scenario.map_paths(|p| {
                if p.is_relative() {
                    dir.join(p)
                } else {
                    p.to_path_buf()
                }
            });
        }
        scenario.validate().map_err(|e| e.locate(text))?;
        scenario
            .problem
            .resolve()
            .map_err(|e| ScenarioError::from(e).locate(text))?;
        Ok(scenario)
    }

    /// Reads a scenario file (see [`Scenario::from_toml`]); errors name the file. Only a
    /// regular file of at most [`MAX_FILE_BYTES`] is read.
    pub fn load(path: &Path) -> Result<Self, ScenarioError> {
        let bytes = crate::files::read_limited(path, MAX_FILE_BYTES, "scenario file")
            .map_err(|m| ScenarioError::whole(m).in_file(path))?;
        Self::from_file_bytes(bytes, path)
    }

    /// A scenario file's contents, read as [`Scenario::load`] reads the file at `path` (the
    /// browser build's file picker gives the bytes and a bare name); errors name the file.
    pub fn from_file_bytes(bytes: Vec<u8>, path: &Path) -> Result<Self, ScenarioError> {
        let in_file = |e: ScenarioError| e.in_file(path);
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(in_file(ScenarioError::whole(format!(
                "the file is over {MAX_FILE_BYTES} bytes; is this a scenario file?"
            ))));
        }
        let text = String::from_utf8(bytes).map_err(|_| {
            in_file(ScenarioError::whole(
                "the file is not text (UTF-8); is this a scenario file?",
            ))
        })?;
        let dir = path.parent().filter(|d| !d.as_os_str().is_empty());
        Self::from_toml(&text, Some(dir.unwrap_or(Path::new(".")))).map_err(in_file)
    }

    /// The scenario as a file writes it: the problem named by its preset while it is still
    /// the preset's, only the constants its text uses, and CSV paths inside `dir` relative
    /// to it (others absolute). Check it with [`Scenario::validate`] before writing it.
    pub fn for_file(&self, dir: Option<&Path>) -> Result<Self, ScenarioError> {
        let built = self.problem.build(None).map_err(ScenarioError::from)?;
        let mut copy = self.clone();
        copy.version = FORMAT_VERSION;
        copy.problem = self.problem.for_file(&built.constant_names);
        if let Some(dir) = dir {
            let dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            copy.map_paths(|p| {
                let absolute = std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf());
                match absolute.strip_prefix(&dir) {
                    Ok(inside) => inside.to_path_buf(),
                    Err(_) => absolute,
                }
            });
        }
        Ok(copy)
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

    /// Writes the scenario to `path` atomically. Nothing is written unless the exact text
    /// reads back as this scenario: a file losscape saves always reopens.
    pub fn save(&self, path: &Path) -> Result<(), ScenarioError> {
        let in_file = |e: ScenarioError| e.in_file(path);
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let text = self.saved_text(dir).map_err(in_file)?;
        crate::files::write_atomically(path, text.as_bytes())
            .map_err(|m| in_file(ScenarioError::whole(format!("could not save: {m}"))))
    }

    /// The text [`Scenario::save`] writes into `dir`, after checking that it reads back.
    pub fn saved_text(&self, dir: &Path) -> Result<String, ScenarioError> {
        self.for_file(None)?.validate()?;
        let text = self.for_file(Some(dir))?.to_toml()?;
        Self::from_toml(&text, Some(dir)).map_err(|e| {
            ScenarioError::whole(format!(
                "nothing was saved: the file would not reopen ({e}); please report this"
            ))
        })?;
        Ok(text)
    }

    /// Checks everything a file must satisfy: the problem resolves and builds (the formula
    /// or model compiles, the dataset loads, every constant appears in the text), every
    /// run's numbers are in range and names differ, the views' numbers are in range, the
    /// selected run exists, every lesson step applies cleanly, and every expectation is
    /// well formed and names a run of its scene (the steps applied in order).
    pub fn validate(&self) -> Result<(), ScenarioError> {
        self.check_scene()?;
        let Some(lesson) = &self.lesson else {
            return Ok(());
        };
        let at_lesson = FieldPath::key("lesson");
        check_expectations(&lesson.expect, self, &at_lesson.then("expect"))?;
        for i in 0..lesson.steps.len() {
            self.with_step(i)?;
        }
        // The scene each step's expectations are about: the steps before it applied in
        // order. A step that applies on its own but not after the others is left to
        // `losscape check`, which reports it.
        let mut scene = self.clone();
        for (i, step) in lesson.steps.iter().enumerate() {
            let Ok(next) = scene.with_step(i) else {
                break;
            };
            scene = next;
            let here = at_lesson.then("steps").at(i).then("expect");
            check_expectations(&step.expect, &scene, &here)?;
        }
        Ok(())
    }

    /// Problem, runs, views and playback (not the lesson steps).
    fn check_scene(&self) -> Result<(), ScenarioError> {
        self.problem.validate()?;
        validate_runs(&self.runs)?;
        self.view.validate()?;
        let names: Vec<&str> = self.runs.iter().map(|r| r.name.as_str()).collect();
        self.playback.validate(&names)
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

    /// The scenario with `changes` (a lesson step's `apply` table) merged in, resolved and
    /// checked. The lesson itself is kept.
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
        changed.check_scene()?;
        changed.problem.resolve()?;
        changed.lesson = lesson;
        Ok(changed)
    }

    /// The title, or a fallback.
    pub fn display_title(&self) -> &str {
        self.title.as_deref().unwrap_or("Untitled scenario")
    }

    /// True when the scenario names a file (a CSV dataset, also in a lesson step), which a
    /// link cannot carry and a web page cannot read.
    pub fn names_a_file(&self) -> bool {
        let found = std::cell::Cell::new(false);
        self.clone().map_paths(|p| {
            found.set(true);
            p.to_path_buf()
        });
        found.get()
    }

    /// Applies `f` to every CSV path: the problem's and those in lesson steps.
    fn map_paths(&mut self, f: impl Fn(&Path) -> PathBuf) {
        if let Some(data) = &mut self.problem.data
            && let DataSource::Csv { path } = &mut data.dataset
        {
            *path = f(path);
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
            if let Some(toml::Value::String(p)) = path {
                *p = f(Path::new(p.as_str())).to_string_lossy().into_owned();
            }
        }
    }
}

/// Checks each of `expect` against the runs of `scene`; errors are placed under `here`.
fn check_expectations(
    expect: &[Expectation],
    scene: &Scenario,
    here: &FieldPath,
) -> Result<(), ScenarioError> {
    let names: Vec<&str> = scene.runs.iter().map(|r| r.name.as_str()).collect();
    for (i, expectation) in expect.iter().enumerate() {
        expectation
            .validate(&names)
            .map_err(|e| e.under(&here.at(i)))?;
    }
    Ok(())
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
