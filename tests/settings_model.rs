//! The one settings model: every state the app's widgets can produce saves to a file that
//! reopens as the same scene, and a state the reader would refuse is never written.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use losscape::engine::limits::{
    DECAY_RANGE, DISTANCE_RANGE, EXAMPLES_SLIDER, LEARNING_RATE_SLIDER, LEVELS_RANGE,
    MAX_ITERATIONS, MAX_SEED, MIN_NESTEROV_MOMENTUM, MOMENTUM_RANGE, NOISE_RANGE, PITCH_RANGE,
    SPEED_RANGE,
};
use losscape::engine::optim::{OptimizerKind, OptimizerSettings};
use losscape::engine::run::{Initialization, RunColor, RunSettings, Schedule};
use losscape::engine::scenario::{
    ConstantSetting, CurveAxis, DataFitSettings, DataSource, ProblemSettings, Scenario, ViewMode,
    unique_copy_name,
};
use losscape::engine::surface::{Colormap, LevelSpacing};
use losscape::engine::{Domain, objective::presets};
use proptest::prelude::*;

/// A value of `range` picked by `t` in [0, 1] (as a slider would).
fn on(range: &std::ops::RangeInclusive<f64>, t: f64) -> f64 {
    range.start() + t * (range.end() - range.start())
}

fn problem() -> impl Strategy<Value = ProblemSettings> {
    let function_presets: Vec<&'static str> = presets()
        .iter()
        .filter(|p| p.kind == losscape::engine::objective::PresetKind::Function)
        .map(|p| p.name)
        .collect();
    prop_oneof![
        proptest::sample::select(function_presets)
            .prop_map(|name| ProblemSettings::from_preset(name).unwrap()),
        (-4.0..4.0f64, 0.0..1.0f64).prop_map(|(a, t)| ProblemSettings {
            formula: Some("a*w^2 + b^2 + c".to_owned()),
            constants: vec![
                ConstantSetting {
                    min: Some(-5.0),
                    max: Some(5.0),
                    ..ConstantSetting::new("a", a)
                },
                ConstantSetting::new("c", t),
                // Remembered by the app, unused by the text: not saved.
                ConstantSetting::new("gone", 2.0),
            ],
            ..ProblemSettings::default()
        }),
        (0.0..1.0f64, 0.0..1.0f64, 0..=MAX_SEED, 0..4usize, 0..3usize).prop_map(
            |(m, noise, seed, source, model)| {
                let examples = (*EXAMPLES_SLIDER.start() as f64
                    + m * (*EXAMPLES_SLIDER.end() - *EXAMPLES_SLIDER.start()) as f64 / 10.0)
                    as usize;
                let noise = on(&(0.0..=5.0), noise);
                let dataset = match source {
                    0 => DataSource::Linear {
                        examples,
                        noise,
                        seed,
                        slope: 2.0,
                        intercept: 1.0,
                    },
                    1 => DataSource::Classes {
                        examples,
                        noise,
                        seed,
                    },
                    _ => DataSource::HousePrices {},
                };
                let (model, loss) = [
                    ("w*x + b", "mse"),
                    ("sigmoid(w*x + b)", "logloss"),
                    ("w*x + b", "huber"),
                ][model];
                ProblemSettings {
                    data: Some(DataFitSettings {
                        model: model.to_owned(),
                        loss: loss.to_owned(),
                        regularization: None,
                        dataset,
                    }),
                    ..ProblemSettings::default()
                }
            }
        ),
    ]
}

fn optimizer() -> impl Strategy<Value = OptimizerSettings> {
    (
        0..OptimizerKind::ALL.len(),
        0.0..1.0f64,
        0.0..1.0f64,
        any::<bool>(),
    )
        .prop_map(|(k, t, u, flag)| {
            let mut o = OptimizerSettings::default_for(OptimizerKind::ALL[k]);
            match &mut o {
                OptimizerSettings::Momentum { momentum, .. } => *momentum = on(&MOMENTUM_RANGE, t),
                OptimizerSettings::Nesterov { momentum, .. } => {
                    *momentum = on(&(MIN_NESTEROV_MOMENTUM..=*MOMENTUM_RANGE.end()), t)
                }
                OptimizerSettings::Rmsprop { alpha, .. } => *alpha = on(&DECAY_RANGE, t),
                OptimizerSettings::Adam {
                    beta1,
                    beta2,
                    amsgrad,
                    ..
                }
                | OptimizerSettings::Adamw {
                    beta1,
                    beta2,
                    amsgrad,
                    ..
                } => {
                    *beta1 = on(&DECAY_RANGE, t);
                    *beta2 = on(&DECAY_RANGE, u);
                    *amsgrad = flag;
                }
                _ => {}
            }
            o
        })
}

fn run() -> impl Strategy<Value = RunSettings> {
    (
        optimizer(),
        0.0..1.0f64,
        proptest::option::of(1..200usize),
        0..4usize,
        (-3.0..3.0f64, -3.0..3.0f64),
        0..=MAX_SEED,
        0..Schedule::choices().len(),
        proptest::option::of(0.0..1e-3f64),
        1..MAX_ITERATIONS,
        (0.0..1.0f64, any::<bool>(), 0..7usize),
    )
        .prop_map(
            |(optimizer, lr, batch_size, init, (w, b), seed, schedule, epsilon, max, rest)| {
                let (noise, visible, color) = rest;
                let lr = LEARNING_RATE_SLIDER.start()
                    * (LEARNING_RATE_SLIDER.end() / LEARNING_RATE_SLIDER.start()).powf(lr);
                RunSettings {
                    color: Some(RunColor::from_index(color)),
                    visible,
                    optimizer,
                    learning_rate: lr,
                    batch_size,
                    init: [
                        Initialization::Zero {},
                        Initialization::Uniform {},
                        Initialization::Xavier { fan_in: 3 },
                        Initialization::Manual { w, b },
                    ][init],
                    seed,
                    schedule: Schedule::choices().swap_remove(schedule),
                    simulated_noise: on(&NOISE_RANGE, noise),
                    epsilon,
                    max_iterations: max,
                    ..RunSettings::default()
                }
            },
        )
}

fn scene() -> impl Strategy<Value = Scenario> {
    (
        problem(),
        proptest::collection::vec(run(), 1..4),
        (-10.0..10.0f64, 0.1..20.0f64, -10.0..10.0f64, 0.1..20.0f64),
        (
            LEVELS_RANGE,
            0..Colormap::ALL.len(),
            0..3usize,
            0..3usize,
            0.0..1.0f32,
            0.0..1.0f32,
            0.0..1.0f64,
            0..5000usize,
        ),
    )
        .prop_map(|(problem, runs, d, v)| {
            let (levels, colormap, mode, axis, pitch, distance, speed, iteration) = v;
            let mut scene = Scenario::new(problem);
            scene.problem.domain = Some(Domain::new(d.0, d.0 + d.1, d.2, d.2 + d.3));
            // Names as the app makes them: "Run 1", then copies of copies.
            for (i, mut run) in runs.into_iter().enumerate() {
                run.name = match i {
                    0 => "Run 1".to_owned(),
                    _ => unique_copy_name("Run 1", scene.runs.iter().map(|r| r.name.as_str())),
                };
                scene.runs.push(run);
            }
            let view = &mut scene.view;
            view.levels = levels;
            view.colormap = Colormap::ALL[colormap];
            view.level_spacing = LevelSpacing::ALL[axis % LevelSpacing::ALL.len()];
            view.mode = [ViewMode::Contour, ViewMode::Surface3d, ViewMode::Both][mode];
            view.curve_axis = [
                CurveAxis::Iterations,
                CurveAxis::Epochs,
                CurveAxis::ExamplesSeen,
            ][axis];
            view.log_minus_min = axis == 1;
            view.camera.pitch =
                PITCH_RANGE.start() + pitch * (PITCH_RANGE.end() - PITCH_RANGE.start());
            view.camera.distance =
                DISTANCE_RANGE.start() + distance * (DISTANCE_RANGE.end() - DISTANCE_RANGE.start());
            scene.playback.speed = on(&SPEED_RANGE, speed);
            scene.playback.iteration = iteration;
            scene.playback.selected_run = scene.runs.last().map(|r| r.name.clone());
            scene
        })
}

/// The scene as it reads back: only the constants the text uses are saved.
fn as_saved(scene: &Scenario) -> Scenario {
    let mut expected = scene.clone();
    expected.problem.constants.retain(|c| c.name != "gone");
    expected
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    // Every scene the widgets can make is valid, saves, and reopens as itself.
    #[test]
    fn ui_reachable_scenes_round_trip(scene in scene()) {
        let dir = tempfile::tempdir().unwrap();
        scene.for_file(None).unwrap().validate().unwrap();
        let text = scene.saved_text(dir.path()).unwrap();
        let back = Scenario::from_toml(&text, Some(dir.path())).unwrap();
        prop_assert_eq!(back, as_saved(&scene));
    }
}

/// A valid scene to break.
fn valid_scene() -> Scenario {
    let mut scene = Scenario::new(ProblemSettings::from_preset("bowl").unwrap());
    scene.runs.push(RunSettings {
        name: "GD".to_owned(),
        ..RunSettings::default()
    });
    scene
}

/// Saving `scene` into a folder fails, the message contains `needle`, and nothing is
/// written.
fn refused(scene: &Scenario, needle: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("scene.toml");
    let err = scene.save(&path).expect_err(needle).to_string();
    assert!(err.contains(needle), "`{needle}` not in: {err}");
    assert!(!path.exists(), "a refused save wrote {}", path.display());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file is left"
    );
}

// The app never writes a file its own reader rejects: each state that the old app saved
// and could not reopen is refused, saying what to fix.
#[test]
fn a_scene_the_reader_would_refuse_is_not_saved() {
    let mut unnamed = valid_scene();
    unnamed.runs[0].name = String::new();
    refused(&unnamed, "runs #1.name: a run needs a name");

    let mut twins = valid_scene();
    twins.runs.push(twins.runs[0].clone());
    refused(&twins, "two runs are named `GD`");

    let mut reversed = valid_scene();
    reversed.problem.domain = Some(Domain::new(5.0, 2.0, -1.0, 1.0));
    refused(
        &reversed,
        "problem.domain: w_min (5) must be smaller than w_max (2)",
    );

    let mut no_levels = valid_scene();
    no_levels.view.levels = 0;
    refused(&no_levels, "view.levels");

    let mut nesterov = valid_scene();
    nesterov.runs[0].optimizer = OptimizerSettings::Nesterov {
        momentum: 0.0,
        weight_decay: 0.0,
    };
    refused(&nesterov, "runs #1.optimizer");
}

// Duplicating a run twice gives "X copy" and "X copy 2", and the scene saves and reopens.
#[test]
fn copies_of_copies_get_their_own_names() {
    let mut scene = valid_scene();
    for _ in 0..2 {
        let mut copy = scene.runs[0].clone();
        copy.name = unique_copy_name("GD", scene.runs.iter().map(|r| r.name.as_str()));
        scene.runs.push(copy);
    }
    let names: Vec<&str> = scene.runs.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["GD", "GD copy", "GD copy 2"]);
    let dir = tempfile::tempdir().unwrap();
    let text = scene.saved_text(dir.path()).unwrap();
    assert_eq!(Scenario::from_toml(&text, None).unwrap().runs.len(), 3);
}

// Opening and saving a lesson from a folder given as a relative path keeps the CSV paths of
// its steps relative to the lesson's own folder (the old app wrote `lessons/lessons/x.csv`).
#[test]
fn step_csv_paths_stay_relative_to_the_lesson() {
    // A relative folder, as when losscape is started as `losscape lessons/x.toml`.
    let root = tempfile::Builder::new()
        .prefix(".settings-model")
        .tempdir_in(".")
        .unwrap();
    let name = root.path().file_name().unwrap().to_owned();
    let relative = Path::new(&name).join("lessons");
    std::fs::create_dir_all(&relative).unwrap();
    std::fs::write(relative.join("other.csv"), "x,y\n1,2\n2,4\n3,7\n").unwrap();
    let lesson = r#"version = 1
[problem]
preset = "bowl"
[[runs]]
name = "GD"
learning_rate = 0.1
[lesson]
text = "t"
[[lesson.steps]]
text = "fit the other data"
[lesson.steps.apply.problem.data]
dataset = { kind = "csv", path = "other.csv" }
"#;
    let file = relative.join("x.toml");
    std::fs::write(&file, lesson).unwrap();
    let opened = Scenario::load(&file).unwrap();
    opened.save(&file).unwrap();
    let saved = std::fs::read_to_string(&file).unwrap();
    assert!(
        saved.contains("path = \"other.csv\""),
        "the step's path is written relative to the lesson:\n{saved}"
    );
    let again = Scenario::load(&file).unwrap();
    again.with_step(0).expect("the step still finds its CSV");
}

// A CSV path outside the scenario's folder is written absolute, inside it relative.
#[test]
fn csv_paths_outside_the_folder_are_absolute() {
    let data = tempfile::tempdir().unwrap();
    let csv = data.path().join("points.csv");
    std::fs::write(&csv, "x,y\n1,2\n2,4\n").unwrap();
    let mut scene = valid_scene();
    scene.problem = ProblemSettings {
        data: Some(DataFitSettings {
            dataset: DataSource::Csv { path: csv.clone() },
            ..DataFitSettings::default()
        }),
        ..ProblemSettings::default()
    };
    let elsewhere = tempfile::tempdir().unwrap();
    let text = scene.saved_text(elsewhere.path()).unwrap();
    assert!(text.contains(&csv.display().to_string()), "{text}");
    let text = scene.saved_text(data.path()).unwrap();
    assert!(text.contains("path = \"points.csv\""), "{text}");
}

// The friendly short forms read as their tables.
#[test]
fn settings_by_name_alone() {
    let text = r#"version = 1
[problem.data]
dataset = "house-prices"
[[runs]]
name = "A"
learning_rate = 0.1
init = "uniform"
optimizer = "adam"
schedule = "constant"
"#;
    let s = Scenario::from_toml(text, None).unwrap();
    assert_eq!(s.runs[0].init, Initialization::Uniform {});
    assert_eq!(
        s.runs[0].optimizer,
        OptimizerSettings::default_for(OptimizerKind::Adam)
    );
    assert_eq!(s.problem.data.unwrap().dataset, DataSource::HousePrices {});
}

// Renaming, recoloring or hiding a run keeps its path; any setting of the path changes it.
#[test]
fn same_path_ignores_only_the_look() {
    let a = valid_scene().runs[0].clone();
    let look = RunSettings {
        id: 9,
        name: "renamed".to_owned(),
        color: Some(RunColor::Blue),
        visible: false,
        ..a.clone()
    };
    assert!(a.same_path(&look) && a.path_key() == look.path_key());
    let faster = RunSettings {
        learning_rate: a.learning_rate * 2.0,
        ..a.clone()
    };
    assert!(!a.same_path(&faster));
}

// b's own learning rate is saved and reopened, and a bad one is refused with its field named.
#[test]
fn a_learning_rate_for_b_round_trips() {
    let text = r#"version = 1
[problem]
preset = "bowl"
[[runs]]
name = "GD"
learning_rate = 0.1
learning_rate_b = 0.02
"#;
    let scene = Scenario::from_toml(text, None).unwrap();
    assert_eq!(scene.runs[0].learning_rate_b, Some(0.02));
    let again = Scenario::from_toml(&scene.to_toml().unwrap(), None).unwrap();
    assert_eq!(again.runs[0].learning_rate_b, Some(0.02));
    let bad = text.replace("0.02", "-1");
    let error = Scenario::from_toml(&bad, None).unwrap_err().to_string();
    assert!(error.contains("learning_rate_b"), "{error}");
}
