//! Between the app's [`State`] and the engine's [`Scenario`]: what Save writes and what
//! Open puts back on screen.

use crate::engine::objective::{PresetKind, preset};
use crate::engine::scenario::{
    CurveAxisChoice, FORMAT_VERSION, Lesson, ResolvedProblem, RunColor, Scenario, ScenarioCamera,
    ScenarioConstant, ScenarioData, ScenarioDataset, ScenarioPlayback, ScenarioProblem,
    ScenarioRun, ScenarioView, ViewLayout,
};

use super::state::{
    ConstantSetting, ContourSettings, CurveAxis, CurveSettings, DataSettings, DataSource,
    ProblemKind, ProblemSettings, RunEntry, State, ViewMode,
};
use super::view3d::Surface3dSettings;
use super::view3d::camera::OrbitCamera;

/// The lesson on screen: its title, text and steps.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct OpenLesson {
    /// The scenario's title.
    pub title: String,
    /// Text and steps.
    pub lesson: Lesson,
    /// Position in the bundled lessons, when it is one (for "Next lesson").
    pub bundled: Option<usize>,
    /// Steps applied so far (their buttons show it).
    pub applied: Vec<usize>,
}

/// What is on screen as a scenario. `constants_in_use` are the free constants of the
/// current formula (others remembered in the state are not saved); `details_open` is the
/// details panel's state.
pub fn to_scenario(state: &State, constants_in_use: &[String], details_open: bool) -> Scenario {
    let problem = &state.problem;
    let constants = problem
        .constants
        .iter()
        .filter(|c| constants_in_use.contains(&c.name))
        .map(|c| ScenarioConstant {
            name: c.name.clone(),
            value: c.value,
            min: Some(c.min),
            max: Some(c.max),
        })
        .collect();
    let (formula, data) = match problem.kind {
        ProblemKind::Function => (Some(problem.formula.clone()), None),
        ProblemKind::DataFit => (
            None,
            Some(ScenarioData {
                model: problem.data.model.clone(),
                loss: problem.data.loss.clone(),
                dataset: match &problem.data.source {
                    DataSource::Linear {
                        examples,
                        noise,
                        seed,
                    } => ScenarioDataset::Linear {
                        examples: *examples,
                        noise: *noise,
                        seed: *seed,
                    },
                    DataSource::Classes {
                        examples,
                        noise,
                        seed,
                    } => ScenarioDataset::Classes {
                        examples: *examples,
                        noise: *noise,
                        seed: *seed,
                    },
                    DataSource::HousePrices => ScenarioDataset::HousePrices,
                    DataSource::Csv { path } => ScenarioDataset::Csv { path: path.clone() },
                },
            }),
        ),
    };
    // The preset is named only while the problem is still that preset's.
    let preset_name = problem.preset.as_deref().and_then(preset).filter(|p| {
        let same = |a: &str, b: &str| a.split_whitespace().eq(b.split_whitespace());
        match (p.kind, problem.kind) {
            (PresetKind::Function, ProblemKind::Function) => same(p.formula, &problem.formula),
            (PresetKind::DataFit, ProblemKind::DataFit) => same(p.formula, &problem.data.model),
            _ => false,
        }
    });
    let selected = state.selected().map(|r| r.name.clone());
    let lesson = state.lesson.as_ref();
    Scenario {
        version: FORMAT_VERSION,
        title: lesson.map(|l| l.title.clone()).filter(|t| !t.is_empty()),
        problem: ScenarioProblem {
            preset: preset_name.map(|p| p.name.to_owned()),
            formula,
            domain: Some(problem.domain),
            constants,
            data,
        },
        runs: state
            .runs
            .iter()
            .map(|r| {
                ScenarioRun::from_settings(
                    &r.name,
                    RunColor::from_index(r.color),
                    r.visible,
                    &r.settings,
                )
            })
            .collect(),
        view: ScenarioView {
            mode: match state.view_mode {
                ViewMode::Contour => ViewLayout::Contour,
                ViewMode::Surface3d => ViewLayout::Surface3d,
                ViewMode::Split => ViewLayout::Both,
            },
            details: details_open,
            details_sections: state.details_sections,
            heat_map: state.contour.heat_map,
            colormap: state.contour.colormap,
            color_scale: state.contour.color_scale,
            levels: state.contour.levels,
            level_spacing: state.contour.level_spacing,
            gradient_field: state.contour.gradient_field,
            gradient_arrow: state.contour.gradient_arrow,
            step_arrow: state.contour.step_arrow,
            curve_axis: match state.curve.axis {
                CurveAxis::Iterations => CurveAxisChoice::Iterations,
                CurveAxis::Epochs => CurveAxisChoice::Epochs,
                CurveAxis::ExamplesSeen => CurveAxisChoice::ExamplesSeen,
            },
            log_cost: state.curve.log_cost,
            camera: ScenarioCamera {
                yaw: state.surface3d.camera.yaw,
                pitch: state.surface3d.camera.pitch,
                distance: state.surface3d.camera.distance,
                exaggeration: state.surface3d.exaggeration,
                log_height: state.surface3d.log_height,
                wireframe: state.surface3d.wireframe,
            },
        },
        playback: ScenarioPlayback {
            iteration: state.playback.iteration,
            speed: state.playback.speed,
            selected_run: selected,
        },
        lesson: lesson.map(|l| l.lesson.clone()),
    }
}

/// What changes on screen when a scenario is opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The scenario gives no domain: take the problem's own once it is built.
    pub adopt_domain: bool,
    /// The details panel is open.
    pub details_open: bool,
}

/// Puts a (checked) scenario on screen: problem, runs, views and playback replace the
/// state's. Runs keep their ids when a run of the same name exists (so an applied lesson
/// step re-simulates only what changed). The lesson is set by the caller.
pub fn apply_scenario(state: &mut State, scenario: &Scenario) -> Applied {
    let problem = &scenario.problem;
    let mut settings = ProblemSettings {
        preset: problem.preset.clone(),
        formula: state.problem.formula.clone(),
        domain: problem.domain.unwrap_or(state.problem.domain),
        constants: problem
            .constants
            .iter()
            .map(|c| {
                let (min, max) = c.range();
                ConstantSetting {
                    name: c.name.clone(),
                    value: c.value,
                    min,
                    max,
                }
            })
            .collect(),
        ..state.problem.clone()
    };
    let mut adopt_domain = problem.domain.is_none();
    match problem.resolve() {
        Ok(ResolvedProblem::Function { formula }) => {
            settings.kind = ProblemKind::Function;
            settings.formula = formula;
            // A function preset knows its region.
            if problem.domain.is_none()
                && let Some(d) = problem
                    .preset
                    .as_deref()
                    .and_then(preset)
                    .and_then(|p| p.domain)
            {
                settings.domain = d;
                adopt_domain = false;
            }
        }
        Ok(ResolvedProblem::DataFit(data)) => {
            settings.kind = ProblemKind::DataFit;
            settings.data = DataSettings {
                source: match data.dataset {
                    ScenarioDataset::Linear {
                        examples,
                        noise,
                        seed,
                    } => DataSource::Linear {
                        examples,
                        noise,
                        seed,
                    },
                    ScenarioDataset::Classes {
                        examples,
                        noise,
                        seed,
                    } => DataSource::Classes {
                        examples,
                        noise,
                        seed,
                    },
                    ScenarioDataset::HousePrices => DataSource::HousePrices,
                    ScenarioDataset::Csv { path } => DataSource::Csv { path },
                },
                model: data.model,
                loss: data.loss,
            };
        }
        // A checked scenario always resolves; keep the problem as it is otherwise.
        Err(_) => {}
    }
    state.problem = settings;

    let old = std::mem::take(&mut state.runs);
    let mut next_id = old.iter().map(|r| r.id).max().unwrap_or(0) + 1;
    state.runs = scenario
        .runs
        .iter()
        .enumerate()
        .map(|(i, run)| {
            let id = match old.iter().find(|o| o.name == run.name) {
                Some(o) => o.id,
                None => {
                    next_id += 1;
                    next_id - 1
                }
            };
            RunEntry {
                id,
                name: run.name.clone(),
                color: run.color.map_or(i, RunColor::index),
                visible: run.visible,
                // Checked scenarios always convert; a run that would not is left at the
                // defaults rather than dropped.
                settings: run
                    .settings(&Default::default())
                    .unwrap_or_else(|_| super::state::default_run_settings()),
            }
        })
        .collect();
    state.selected_run = scenario
        .playback
        .selected_run
        .as_ref()
        .and_then(|name| state.runs.iter().find(|r| &r.name == name))
        .or_else(|| state.runs.first())
        .map(|r| r.id);
    state.playback.iteration = scenario.playback.iteration;
    state.playback.speed = scenario.playback.speed;
    state.playback.playing = false;

    let view = &scenario.view;
    state.view_mode = match view.mode {
        ViewLayout::Contour => ViewMode::Contour,
        ViewLayout::Surface3d => ViewMode::Surface3d,
        ViewLayout::Both => ViewMode::Split,
    };
    state.contour = ContourSettings {
        heat_map: view.heat_map,
        colormap: view.colormap,
        color_scale: view.color_scale,
        levels: view.levels,
        level_spacing: view.level_spacing,
        gradient_field: view.gradient_field,
        gradient_arrow: view.gradient_arrow,
        step_arrow: view.step_arrow,
    };
    state.curve = CurveSettings {
        axis: match view.curve_axis {
            CurveAxisChoice::Iterations => CurveAxis::Iterations,
            CurveAxisChoice::Epochs => CurveAxis::Epochs,
            CurveAxisChoice::ExamplesSeen => CurveAxis::ExamplesSeen,
        },
        log_cost: view.log_cost,
    };
    let c = &view.camera;
    state.surface3d = Surface3dSettings {
        camera: OrbitCamera {
            yaw: c.yaw,
            pitch: c.pitch,
            distance: c.distance,
        },
        exaggeration: c.exaggeration,
        log_height: c.log_height,
        wireframe: c.wireframe,
    };
    state.details_sections = view.details_sections;
    Applied {
        adopt_domain,
        details_open: view.details,
    }
}
