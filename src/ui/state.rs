//! Everything the app remembers between sessions: plain serializable data, no caches.
//!
//! Every struct here is `#[serde(default)]`, so a state saved by an older version loads
//! with defaults for what it lacks, and a state that cannot be read at all is replaced
//! by [`State::default`].

use std::path::PathBuf;

use crate::engine::Domain;
use crate::engine::optim::{OptimizerKind, OptimizerSettings};
use crate::engine::run::{Initialization, RunSettings};
use crate::engine::surface::{Colormap, LevelSpacing, ValueScale};

use super::playback::Playback;

/// The remembered session.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct State {
    /// The problem: formula or data fit, constants, domain.
    pub problem: ProblemSettings,
    /// The runs, in list order.
    pub runs: Vec<RunEntry>,
    /// Id of the run being edited.
    pub selected_run: Option<u64>,
    /// Playback position and speed.
    pub playback: Playback,
    /// How the contour view draws the surface.
    pub contour: ContourSettings,
    /// How the learning curve is drawn.
    pub curve: CurveSettings,
    /// Which views fill the center.
    pub view_mode: ViewMode,
    /// Camera and height settings of the 3D view.
    pub surface3d: super::view3d::Surface3dSettings,
    /// The lesson on screen, if any.
    pub lesson: Option<super::scenario::OpenLesson>,
    /// The scenario file opened or saved last (File > Save writes there).
    pub scenario_file: Option<PathBuf>,
    /// Scenario files opened or saved recently, newest first.
    pub recent_files: Vec<PathBuf>,
    /// Light or dark theme.
    pub theme: super::appearance::ThemeChoice,
    /// Which sections of the details panel are unfolded.
    pub details_sections: crate::engine::scenario::DetailsSections,
}

impl Default for State {
    fn default() -> Self {
        Self {
            problem: ProblemSettings::default(),
            runs: default_runs(),
            selected_run: Some(1),
            playback: Playback::default(),
            contour: ContourSettings::default(),
            curve: CurveSettings::default(),
            view_mode: ViewMode::Contour,
            surface3d: super::view3d::Surface3dSettings::default(),
            lesson: None,
            scenario_file: None,
            recent_files: Vec::new(),
            theme: super::appearance::ThemeChoice::default(),
            details_sections: crate::engine::scenario::DetailsSections::default(),
        }
    }
}

/// The default scene's runs: gradient descent, momentum and Adam from one start.
fn default_runs() -> Vec<RunEntry> {
    let base = default_run_settings();
    let momentum = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Momentum),
        ..base
    };
    let adam = RunSettings {
        optimizer: OptimizerSettings::default_for(OptimizerKind::Adam),
        learning_rate: 0.05,
        ..base
    };
    [("GD", base), ("Momentum", momentum), ("Adam", adam)]
        .into_iter()
        .enumerate()
        .map(|(i, (name, settings))| RunEntry {
            id: i as u64 + 1,
            name: name.to_owned(),
            color: i,
            visible: true,
            settings,
        })
        .collect()
}

impl State {
    /// An id no run has.
    pub fn next_run_id(&self) -> u64 {
        self.runs.iter().map(|r| r.id).max().unwrap_or(0) + 1
    }

    /// The selected run, if it exists.
    pub fn selected(&self) -> Option<&RunEntry> {
        self.runs.iter().find(|r| Some(r.id) == self.selected_run)
    }
}

/// Which views fill the central area. (The 3D view and the split view come later; the
/// central area is one component so they can slot in.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// The contour plot alone.
    #[default]
    Contour,
    /// The 3D surface alone.
    Surface3d,
    /// Contour plot and 3D surface side by side, hover linked.
    Split,
}

/// Contour view settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContourSettings {
    /// Draw the heat map under the contour lines.
    pub heat_map: bool,
    /// Colors of the heat map.
    pub colormap: Colormap,
    /// Linear or log color scale.
    pub color_scale: ValueScale,
    /// Number of contour levels.
    pub levels: usize,
    /// How the contour levels are spread.
    pub level_spacing: LevelSpacing,
    /// Arrows of the negative gradient on a coarse grid.
    pub gradient_field: bool,
    /// The selected run's negative-gradient arrow at its current point.
    pub gradient_arrow: bool,
    /// The selected run's actual next step (where the optimizer goes, to scale).
    pub step_arrow: bool,
}

impl Default for ContourSettings {
    fn default() -> Self {
        Self {
            heat_map: true,
            colormap: Colormap::Viridis,
            color_scale: ValueScale::Log,
            levels: 20,
            level_spacing: LevelSpacing::Log,
            gradient_field: false,
            gradient_arrow: true,
            step_arrow: true,
        }
    }
}

/// What the learning curve's horizontal axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CurveAxis {
    /// Parameter updates.
    #[default]
    Iterations,
    /// Passes over the training set.
    Epochs,
    /// Training examples used so far (compares batch sizes fairly).
    ExamplesSeen,
}

/// Learning-curve settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CurveSettings {
    /// What the x axis counts.
    pub axis: CurveAxis,
    /// Logarithmic cost axis.
    pub log_cost: bool,
}

impl Default for CurveSettings {
    fn default() -> Self {
        Self {
            axis: CurveAxis::Iterations,
            log_cost: true,
        }
    }
}

/// Whether J is typed directly or is a model's loss over a dataset.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ProblemKind {
    /// J(w, b) typed as a formula.
    #[default]
    Function,
    /// J(w, b) = the mean loss of a model over a dataset.
    DataFit,
}

/// The problem being minimized.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ProblemSettings {
    /// Function or data fit.
    pub kind: ProblemKind,
    /// The preset last chosen (its text may have been edited since).
    pub preset: Option<String>,
    /// J(w, b) of a function problem, as typed.
    pub formula: String,
    /// Values and slider ranges of the free constants, by name (kept when a constant
    /// disappears from the text and comes back).
    pub constants: Vec<ConstantSetting>,
    /// The region shown and sampled, as typed (may be invalid while being edited).
    pub domain: Domain,
    /// The dataset, model and loss of a data-fit problem.
    pub data: DataSettings,
}

impl Default for ProblemSettings {
    fn default() -> Self {
        // The default scene is the Rosenbrock preset (with a fallback should it be renamed).
        let rosenbrock = crate::engine::objective::preset("rosenbrock");
        Self {
            kind: ProblemKind::Function,
            preset: rosenbrock.map(|p| p.name.to_owned()),
            formula: rosenbrock
                .map_or("(1 - w)^2 + 100*(b - w^2)^2", |p| p.formula)
                .to_owned(),
            constants: Vec::new(),
            domain: rosenbrock
                .and_then(|p| p.domain)
                .unwrap_or(Domain::new(-2.0, 2.0, -1.0, 3.0)),
            data: DataSettings::default(),
        }
    }
}

/// A free constant of the formula: its value and its slider's range.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ConstantSetting {
    /// The name as typed in the formula.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Slider minimum.
    pub min: f64,
    /// Slider maximum.
    pub max: f64,
}

impl Default for ConstantSetting {
    fn default() -> Self {
        Self {
            name: String::new(),
            value: 1.0,
            min: -5.0,
            max: 5.0,
        }
    }
}

/// The dataset, model and loss of a data-fit problem.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct DataSettings {
    /// Where the examples come from.
    pub source: DataSource,
    /// The prediction from x, w and b, e.g. `w*x + b`.
    pub model: String,
    /// The loss of one example in `yhat` and `y`, or a loss name.
    pub loss: String,
}

impl Default for DataSettings {
    fn default() -> Self {
        Self {
            source: DataSource::default(),
            model: "w*x + b".to_owned(),
            loss: "mse".to_owned(),
        }
    }
}

/// Where a data-fit problem's examples come from.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum DataSource {
    /// Points around a line (seeded).
    Linear {
        /// Number of examples m.
        examples: usize,
        /// Standard deviation of the label noise.
        noise: f64,
        /// Random seed.
        seed: u64,
    },
    /// Two classes for logistic regression (seeded).
    Classes {
        /// Number of examples m.
        examples: usize,
        /// Spread of each class around its center.
        noise: f64,
        /// Random seed.
        seed: u64,
    },
    /// The bundled house-prices CSV.
    HousePrices,
    /// A CSV file the user opened.
    Csv {
        /// Its path.
        path: PathBuf,
    },
}

impl Default for DataSource {
    fn default() -> Self {
        Self::Linear {
            examples: 100,
            noise: 0.5,
            seed: 42,
        }
    }
}

/// One optimizer run as the user set it up.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct RunEntry {
    /// Stable identity (survives reordering and renaming).
    pub id: u64,
    /// Name shown in the lists and legends.
    pub name: String,
    /// Palette slot of its color.
    pub color: usize,
    /// Drawn in the views.
    pub visible: bool,
    /// Optimizer, learning rate, batch size, start, schedule, stopping rules.
    pub settings: RunSettings,
}

impl Default for RunEntry {
    fn default() -> Self {
        Self {
            id: 0,
            name: "run".to_owned(),
            color: 0,
            visible: true,
            settings: default_run_settings(),
        }
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
