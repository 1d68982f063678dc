//! Everything the app remembers between sessions: the scene on screen (the engine's one
//! settings model, as a scenario file holds it) and a few things about the app itself.
//! Plain serializable data, no caches.

use std::path::PathBuf;

use crate::engine::optim::{OptimizerKind, OptimizerSettings};
use crate::engine::run::{Initialization, RunColor, RunSettings};
use crate::engine::scenario::{ProblemSettings, Scenario};

/// The remembered session.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct State {
    /// What is on screen: problem, runs, views, playback, and the lesson text.
    pub scene: Scenario,
    /// Id of the run being edited (the scene names it in `playback.selected_run`).
    #[serde(skip)]
    pub selected_run: Option<u64>,
    /// The open lesson's place in the course and the steps applied so far.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lesson: Option<LessonProgress>,
    /// The scenario file opened or saved last, absolute (File > Save writes there).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario_file: Option<PathBuf>,
    /// Scenario files opened or saved recently, newest first, absolute.
    pub recent_files: Vec<PathBuf>,
    /// Light or dark theme.
    pub theme: super::appearance::ThemeChoice,
}

/// Where the open lesson stands.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LessonProgress {
    /// Position in the bundled lessons, when it is one (for "Next lesson").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bundled: Option<usize>,
    /// Steps applied so far (their buttons show it).
    pub applied: Vec<usize>,
    /// The page presenter mode's lesson card shows: 0 is the introduction, then one per
    /// step.
    pub page: usize,
}

impl Default for State {
    fn default() -> Self {
        let mut state = Self {
            scene: default_scene(),
            selected_run: None,
            lesson: None,
            scenario_file: None,
            recent_files: Vec::new(),
            theme: super::appearance::ThemeChoice::default(),
        };
        state.number_runs();
        state
    }
}

/// The default scene: the Rosenbrock valley with gradient descent, momentum and Adam from
/// one start.
fn default_scene() -> Scenario {
    let problem = ProblemSettings::from_preset("rosenbrock").unwrap_or_else(|| ProblemSettings {
        formula: Some("(1 - w)^2 + 100*(b - w^2)^2".to_owned()),
        ..ProblemSettings::default()
    });
    let mut scene = Scenario::new(problem);
    let base = default_run_settings();
    let momentum = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Momentum),
        ..base.clone()
    };
    let adam = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Adam),
        learning_rate: 0.05,
        ..base.clone()
    };
    scene.runs = [("GD", base), ("Momentum", momentum), ("Adam", adam)]
        .into_iter()
        .enumerate()
        .map(|(i, (name, settings))| RunSettings {
            name: name.to_owned(),
            color: Some(RunColor::from_index(i)),
            ..settings
        })
        .collect();
    scene
}

impl State {
    /// Gives every run an id (runs read from a file or a session have none) and selects the
    /// run the scene names, else the first.
    pub fn number_runs(&mut self) {
        for (i, run) in self.scene.runs.iter_mut().enumerate() {
            run.color.get_or_insert(RunColor::from_index(i));
        }
        let existing: Vec<u64> = self.scene.runs.iter().map(|r| r.id).collect();
        let mut used = Vec::new();
        let mut next = 1;
        for run in &mut self.scene.runs {
            if run.id == 0 || used.contains(&run.id) {
                while existing.contains(&next) || used.contains(&next) {
                    next += 1;
                }
                run.id = next;
            }
            used.push(run.id);
        }
        // In memory the selection is an id; the name is only for files.
        let named = self.scene.playback.selected_run.take();
        let named = named.as_ref();
        let still_there = self.selected().is_some();
        if !still_there || named.is_some() {
            self.selected_run = named
                .and_then(|name| self.scene.runs.iter().find(|r| &r.name == name))
                .or_else(|| self.scene.runs.first())
                .map(|r| r.id);
        }
    }

    /// An id no run has.
    pub fn next_run_id(&self) -> u64 {
        self.scene.runs.iter().map(|r| r.id).max().unwrap_or(0) + 1
    }

    /// The selected run, if it exists.
    pub fn selected(&self) -> Option<&RunSettings> {
        self.scene
            .runs
            .iter()
            .find(|r| Some(r.id) == self.selected_run)
    }

    /// The scene as it should be saved: the selected run named in its playback.
    pub fn scene_to_save(&self) -> Scenario {
        let mut scene = self.scene.clone();
        scene.playback.selected_run = self.selected().map(|r| r.name.clone());
        scene.playback.playing = false;
        scene
    }
}

/// Settings of a new run: gradient descent from a hand-placed start.
pub fn default_run_settings() -> RunSettings {
    RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Gd),
        learning_rate: 0.001,
        init: Initialization::Manual {
            w: DEFAULT_START[0],
            b: DEFAULT_START[1],
        },
        max_iterations: 2000,
        epsilon: Some(1e-10),
        ..RunSettings::default()
    }
}

/// Where the default scene's runs start: the classic start on Rosenbrock's far side.
pub const DEFAULT_START: [f64; 2] = [-1.2, 1.0];
