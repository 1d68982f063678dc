//! The problem: a formula J(w, b), or a model's loss over a dataset, with its free constants
//! and the region shown. One model, edited by the app, saved in sessions and scenario files,
//! and built from the command line's arguments; [`ProblemSettings::build`] is the one way to
//! turn it into an objective.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::error::{FieldPath, ScenarioError};
use crate::engine::Domain;
use crate::engine::data::{ClassData, DataError, Dataset, HOUSE_PRICES_CSV, LinearData};
use crate::engine::expr::{CompileError, Part};
use crate::engine::limits::{CONSTANT_RANGE, DATA_NOISE_RANGE, EXAMPLES_RANGE, MAX_SEED};
use crate::engine::objective::{
    DataFitObjective, FunctionObjective, Objective, Preset, PresetKind, preset, presets,
};

/// What is minimized. In memory the problem is always resolved: a function problem has its
/// `formula`, a data fit its `data`; `preset` names the preset they came from. A file may
/// give a preset alone (see [`ProblemSettings::resolve`]).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProblemSettings {
    /// A preset's name (see `losscape presets`): fills in the formula or the data fit when
    /// they are not given, and brings the preset's domain and marked minima.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// J(w, b) as a formula.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The region shown: `{ w_min, w_max, b_min, b_max }` (the problem's own when absent).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// Values and slider ranges of the free constants.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub constants: Vec<ConstantSetting>,
    /// A data fit: J is the mean loss of a model over a dataset.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<DataFitSettings>,
}

/// A free constant of the formula, e.g. `{ name = "a", value = 3.0 }`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConstantSetting {
    /// Its name in the formula.
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Slider minimum (default: the smaller of -5 and the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Slider maximum (default: the larger of 5 and the value).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
}

/// A data fit: the prediction, the loss of one example, and the examples.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DataFitSettings {
    /// The prediction from x, w and b.
    pub model: String,
    /// The loss of one example in `yhat` and `y`, or a loss name (`mse`, `mae`, `huber`,
    /// `logloss`).
    pub loss: String,
    /// An optional penalty in w and b added to the mean loss, e.g. `0.01*(w^2 + b^2)`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub regularization: Option<String>,
    /// Where the examples come from.
    #[serde(deserialize_with = "crate::engine::tagged::name_or_table")]
    pub dataset: DataSource,
}

/// The model of a new data fit.
pub const DEFAULT_MODEL: &str = "w*x + b";
/// The loss of a new data fit.
pub const DEFAULT_LOSS: &str = "mse";

impl Default for DataFitSettings {
    fn default() -> Self {
        Self {
            model: DEFAULT_MODEL.to_owned(),
            loss: DEFAULT_LOSS.to_owned(),
            regularization: None,
            dataset: DataSource::default(),
        }
    }
}

/// Where a data fit's examples come from, tagged by `kind` (or given by name alone:
/// `dataset = "house-prices"`).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum DataSource {
    /// Points scattered around a line, `y = slope x + intercept + noise` (seeded).
    Linear {
        /// Number of examples m.
        #[serde(default = "default_examples")]
        examples: usize,
        /// Standard deviation of the label noise.
        #[serde(default = "default_linear_noise")]
        noise: f64,
        /// Random seed.
        #[serde(default = "default_data_seed")]
        seed: u64,
        /// The true slope.
        #[serde(default = "default_slope", skip_serializing_if = "is_default_slope")]
        slope: f64,
        /// The true intercept.
        #[serde(
            default = "default_intercept",
            skip_serializing_if = "is_default_intercept"
        )]
        intercept: f64,
    },
    /// Two classes for logistic regression (seeded).
    Classes {
        /// Number of examples m.
        #[serde(default = "default_examples")]
        examples: usize,
        /// Spread of each class around its center.
        #[serde(default = "default_class_noise")]
        noise: f64,
        /// Random seed.
        #[serde(default = "default_data_seed")]
        seed: u64,
    },
    /// The bundled house prices (40 made-up houses: size in 100 m², price in 100k).
    HousePrices {},
    /// A CSV file with columns x and y. In a file, a relative path is relative to the
    /// file's folder; in memory paths are absolute.
    Csv {
        /// The file.
        path: PathBuf,
    },
}

impl crate::engine::tagged::Tagged for DataSource {
    const TAG: &'static str = "kind";
    const WHAT: &'static str = "a dataset";
}

fn default_examples() -> usize {
    LinearData::default().examples
}
fn default_linear_noise() -> f64 {
    LinearData::default().noise
}
fn default_class_noise() -> f64 {
    ClassData::default().noise
}
fn default_data_seed() -> u64 {
    LinearData::default().seed
}
fn default_slope() -> f64 {
    LinearData::default().slope
}
fn default_intercept() -> f64 {
    LinearData::default().intercept
}
fn is_default_slope(v: &f64) -> bool {
    *v == default_slope()
}
fn is_default_intercept(v: &f64) -> bool {
    *v == default_intercept()
}

impl Default for DataSource {
    fn default() -> Self {
        Self::linear()
    }
}

impl DataSource {
    /// The synthetic line with its default settings.
    pub fn linear() -> Self {
        Self::Linear {
            examples: default_examples(),
            noise: default_linear_noise(),
            seed: default_data_seed(),
            slope: default_slope(),
            intercept: default_intercept(),
        }
    }

    /// The synthetic classes with their default settings.
    pub fn classes() -> Self {
        Self::Classes {
            examples: default_examples(),
            noise: default_class_noise(),
            seed: default_data_seed(),
        }
    }

    /// A data preset's dataset by its registry name.
    fn of_preset(name: Option<&str>) -> Self {
        match name {
            Some("house-prices") => Self::HousePrices {},
            Some("classes") => Self::classes(),
            _ => Self::linear(),
        }
    }

    /// The command line's dataset argument: `house-prices`, `linear[:m=..,noise=..,seed=..,
    /// slope=..,intercept=..]`, `classes[:m=..,noise=..,seed=..]`, or a CSV file's path. A
    /// path that exists is always the file, even when its name is a dataset's.
    pub fn from_arg(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if crate::engine::data::names_a_file(std::path::Path::new(text)) {
            return Ok(Self::Csv { path: text.into() });
        }
        let (name, settings) = match text.split_once(':') {
            Some((n, s)) => (n, s),
            None => (text, ""),
        };
        let mut source = match name.to_ascii_lowercase().as_str() {
            "house-prices" if settings.is_empty() => return Ok(Self::HousePrices {}),
            "linear" => Self::linear(),
            "classes" => Self::classes(),
            _ => {
                let names: Vec<&str> = crate::engine::data::DATASETS
                    .iter()
                    .map(|d| d.name)
                    .collect();
                return Err(format!(
                    "no dataset named '{text}' and no such file; use one of {} or the path of a .csv file",
                    names.join(", ")
                ));
            }
        };
        for pair in settings.split(',').map(str::trim).filter(|s| !s.is_empty()) {
            let Some((key, value)) = pair.split_once('=') else {
                return Err(format!(
                    "dataset setting '{pair}' should look like name=value"
                ));
            };
            let (key, value) = (key.trim().to_ascii_lowercase(), value.trim());
            let number = || match value.parse::<f64>() {
                Ok(v) if v.is_finite() => Ok(v),
                _ => Err(format!(
                    "dataset setting {key}={value}: expected a finite number"
                )),
            };
            let count = || {
                value.parse::<u64>().map_err(|_| {
                    format!("dataset setting {key}={value}: expected a whole number >= 0")
                })
            };
            match (&mut source, key.as_str()) {
                (
                    Self::Linear { examples, .. } | Self::Classes { examples, .. },
                    "m" | "examples",
                ) => *examples = usize::try_from(count()?).unwrap_or(usize::MAX),
                (Self::Linear { noise, .. } | Self::Classes { noise, .. }, "noise") => {
                    *noise = number()?
                }
                (Self::Linear { seed, .. } | Self::Classes { seed, .. }, "seed") => {
                    *seed = count()?
                }
                (Self::Linear { slope, .. }, "slope" | "w") => *slope = number()?,
                (Self::Linear { intercept, .. }, "intercept" | "b") => *intercept = number()?,
                (Self::Linear { .. }, _) => {
                    return Err(format!(
                        "the 'linear' dataset has no setting '{key}' (it has m, noise, seed, slope, intercept)"
                    ));
                }
                _ => {
                    return Err(format!(
                        "the '{name}' dataset has no setting '{key}' (it has m, noise, seed)"
                    ));
                }
            }
        }
        Ok(source)
    }

    /// Checks the numbers of a synthetic dataset.
    pub fn validate(&self) -> Result<(), String> {
        match self {
            Self::Linear {
                examples,
                noise,
                seed,
                ..
            }
            | Self::Classes {
                examples,
                noise,
                seed,
            } => {
                if *seed > MAX_SEED {
                    return Err(format!(
                        "the data seed must be at most {MAX_SEED}, not {seed}"
                    ));
                }
                if !EXAMPLES_RANGE.contains(examples) {
                    return Err(format!(
                        "examples must be between {} and {}, not {examples}",
                        EXAMPLES_RANGE.start(),
                        EXAMPLES_RANGE.end()
                    ));
                }
                if !(noise.is_finite() && *noise >= 0.0) {
                    return Err(format!(
                        "noise must be a number of at least 0 (the slider goes to {}), not {noise}",
                        DATA_NOISE_RANGE.end()
                    ));
                }
                Ok(())
            }
            Self::HousePrices {} | Self::Csv { .. } => Ok(()),
        }
    }

    /// Generates or reads the examples; the message says what is wrong (a CSV error names
    /// the file and line). Reading a CSV file can take a while: call it off the UI thread.
    pub fn load(&self) -> Result<Dataset, String> {
        self.validate()?;
        let loaded = match self {
            Self::Linear {
                examples,
                noise,
                seed,
                slope,
                intercept,
            } => LinearData {
                examples: *examples,
                noise: *noise,
                seed: *seed,
                slope: *slope,
                intercept: *intercept,
                ..LinearData::default()
            }
            .generate(),
            Self::Classes {
                examples,
                noise,
                seed,
            } => ClassData {
                examples: *examples,
                noise: *noise,
                seed: *seed,
                ..ClassData::default()
            }
            .generate(),
            Self::HousePrices {} => Dataset::from_csv_str(HOUSE_PRICES_CSV),
            Self::Csv { path } => return csv_loaded(Dataset::from_csv_path(path), path),
        };
        usable(loaded)
    }

    /// The dataset of the CSV file `path` from its contents, read elsewhere (the browser
    /// build's file picker), checked and reported as [`DataSource::load`] reads the file.
    pub fn load_csv_bytes(path: &Path, bytes: Vec<u8>) -> Result<Dataset, String> {
        csv_loaded(Dataset::from_csv_file_bytes(bytes, path), path)
    }

    /// The learner's name of the source.
    pub fn label(&self) -> String {
        match self {
            Self::Linear { .. } => "synthetic line".to_owned(),
            Self::Classes { .. } => "synthetic classes".to_owned(),
            Self::HousePrices {} => "house prices (bundled)".to_owned(),
            Self::Csv { path } => {
                let file = path.file_name().map(|f| f.to_string_lossy().into_owned());
                format!(
                    "CSV: {}",
                    file.unwrap_or_else(|| path.display().to_string())
                )
            }
        }
    }
}

/// Function or data fit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ProblemKind {
    /// J(w, b) typed as a formula.
    #[default]
    Function,
    /// J(w, b) = the mean loss of a model over a dataset.
    DataFit,
}

/// Which part of the problem an error is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProblemField {
    /// `preset`.
    Preset,
    /// `formula`.
    Formula,
    /// `data.model`.
    Model,
    /// `data.loss`.
    Loss,
    /// `data.regularization`.
    Regularization,
    /// `data.dataset`.
    Dataset,
    /// `domain`.
    Domain,
    /// `constants[i]`.
    Constant(usize),
}

/// Why a problem cannot be built.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemError {
    /// Where.
    pub field: ProblemField,
    /// What is wrong; for a compile error, the text with a marker under the place.
    pub message: String,
    /// The compile error, when the text did not compile (its position marks the text).
    pub compile: Option<CompileError>,
}

impl ProblemError {
    fn at(field: ProblemField, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
            compile: None,
        }
    }

    /// The field's path in a scenario file.
    pub fn path(&self) -> FieldPath {
        let here = FieldPath::key("problem");
        match self.field {
            ProblemField::Preset => here.then("preset"),
            ProblemField::Formula => here.then("formula"),
            ProblemField::Model => here.then("data").then("model"),
            ProblemField::Loss => here.then("data").then("loss"),
            ProblemField::Regularization => here.then("data").then("regularization"),
            ProblemField::Dataset => here.then("data").then("dataset"),
            ProblemField::Domain => here.then("domain"),
            ProblemField::Constant(i) => here.then("constants").at(i),
        }
    }
}

impl From<ProblemError> for ScenarioError {
    fn from(e: ProblemError) -> Self {
        ScenarioError::at(e.path(), e.message)
    }
}

impl std::fmt::Display for ProblemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

/// A built problem.
#[derive(Clone)]
pub struct BuiltProblem {
    /// J(w, b) with exact derivatives.
    pub objective: Arc<dyn Objective>,
    /// The free constants of the text, in order.
    pub constant_names: Vec<String>,
}

impl ProblemSettings {
    /// The problem of a preset, with the preset's domain when it has one (a data fit's
    /// follows its data).
    pub fn from_preset(name: &str) -> Option<Self> {
        let mut settings = Self {
            preset: Some(name.to_owned()),
            domain: preset(name)?.domain,
            ..Self::default()
        };
        settings.resolve().ok()?;
        Some(settings)
    }

    /// Function or data fit.
    pub fn kind(&self) -> ProblemKind {
        if self.data.is_some() {
            ProblemKind::DataFit
        } else {
            ProblemKind::Function
        }
    }

    /// The preset, when it is still what the problem is (its text unchanged).
    pub fn current_preset(&self) -> Option<&'static Preset> {
        let p = self.preset.as_deref().and_then(preset)?;
        let same = match (p.kind, &self.formula, &self.data) {
            (PresetKind::Function, Some(formula), None) => same_text(p.formula, formula),
            (PresetKind::DataFit, None, Some(data)) => *data == preset_data(p),
            _ => false,
        };
        same.then_some(p)
    }

    /// Fills in what a preset stands for, and refuses contradictions: a formula and a data
    /// fit at once, or a preset with a formula or data fit that is not the preset's.
    pub fn resolve(&mut self) -> Result<(), ProblemError> {
        let found = match &self.preset {
            Some(name) => Some(preset(name).ok_or_else(|| {
                let names: Vec<&str> = presets().iter().map(|p| p.name).collect();
                ProblemError::at(
                    ProblemField::Preset,
                    format!(
                        "there is no preset `{name}`; the presets are: {}",
                        names.join(", ")
                    ),
                )
            })?),
            None => None,
        };
        if self.formula.is_some() && self.data.is_some() {
            return Err(ProblemError::at(
                ProblemField::Formula,
                "give either a formula or a [problem.data] table, not both",
            ));
        }
        match found {
            None if self.formula.is_none() && self.data.is_none() => Err(ProblemError::at(
                ProblemField::Formula,
                "the problem needs a `formula`, a `preset` or a [problem.data] table",
            )),
            None => Ok(()),
            Some(p) => {
                let contradiction = |field, what: &str| {
                    ProblemError::at(
                        field,
                        format!(
                            "the {what} is not preset `{}`'s; remove `preset` (or the {what}) so the file says one thing",
                            p.name
                        ),
                    )
                };
                match (p.kind, &self.formula, &self.data) {
                    (PresetKind::Function, None, None) => {
                        self.formula = Some(p.formula.to_owned());
                    }
                    (PresetKind::DataFit, None, None) => self.data = Some(preset_data(p)),
                    (PresetKind::Function, Some(f), None) if same_text(p.formula, f) => {}
                    (PresetKind::DataFit, None, Some(d)) if *d == preset_data(p) => {}
                    (_, Some(_), _) => return Err(contradiction(ProblemField::Formula, "formula")),
                    (_, _, _) => return Err(contradiction(ProblemField::Model, "data fit")),
                }
                Ok(())
            }
        }
    }

    /// The problem as a file writes it: a preset alone while the problem is still the
    /// preset's, else the formula or data fit alone; only the constants the text uses.
    pub fn for_file(&self, constant_names: &[String]) -> Self {
        let mut saved = self.clone();
        saved.constants.retain(|c| constant_names.contains(&c.name));
        match self.current_preset() {
            Some(_) => {
                saved.formula = None;
                saved.data = None;
            }
            None => saved.preset = None,
        }
        saved
    }

    /// Builds the objective. A data fit uses `dataset` when given (the app loads it in the
    /// background) and otherwise loads its source. Constants the text does not use are
    /// ignored here ([`ProblemSettings::validate`] refuses them in files).
    pub fn build(&self, dataset: Option<Arc<Dataset>>) -> Result<BuiltProblem, ProblemError> {
        self.check_numbers()?;
        let text_error = |field: ProblemField, text: &str, e: CompileError| ProblemError {
            field,
            message: e.render(text),
            compile: Some(e),
        };
        let (objective, names): (Arc<dyn Objective>, Vec<String>) =
            match (&self.formula, &self.data) {
                (Some(formula), None) => {
                    let mut objective = FunctionObjective::new(formula)
                        .map_err(|e| text_error(ProblemField::Formula, formula, e))?;
                    if let Some(p) = self.current_preset() {
                        if let Some(domain) = p.domain {
                            objective = objective.with_domain(domain);
                        }
                        objective = objective.with_known_points(p.known_points.to_vec());
                    }
                    for c in &self.constants {
                        objective.set_constant(&c.name, c.value);
                    }
                    let names = objective.constant_names().to_vec();
                    (Arc::new(objective), names)
                }
                (None, Some(data)) => {
                    let dataset = match dataset {
                        Some(d) => d,
                        None => Arc::new(
                            data.dataset
                                .load()
                                .map_err(|m| ProblemError::at(ProblemField::Dataset, m))?,
                        ),
                    };
                    let mut objective = DataFitObjective::new(
                        dataset,
                        &data.model,
                        &data.loss,
                        data.regularization.as_deref(),
                    )
                    .map_err(|e| {
                        let (field, text) = match e.part {
                            Part::Loss => (ProblemField::Loss, loss_text(&data.loss)),
                            Part::Regularization => (
                                ProblemField::Regularization,
                                data.regularization.as_deref().unwrap_or(""),
                            ),
                            _ => (ProblemField::Model, data.model.as_str()),
                        };
                        text_error(field, text, e)
                    })?;
                    for c in &self.constants {
                        objective.set_constant(&c.name, c.value);
                    }
                    let names = objective.constant_names().to_vec();
                    (Arc::new(objective), names)
                }
                _ => {
                    return Err(ProblemError::at(
                        ProblemField::Formula,
                        "the problem needs a formula or a data fit (one of them)",
                    ));
                }
            };
        Ok(BuiltProblem {
            objective,
            constant_names: names,
        })
    }

    /// Everything a file must satisfy: it resolves, builds, and every constant appears in
    /// the text once.
    pub fn validate(&self) -> Result<BuiltProblem, ProblemError> {
        let mut resolved = self.clone();
        resolved.resolve()?;
        let built = resolved.build(None)?;
        for (i, c) in self.constants.iter().enumerate() {
            if self.constants[..i].iter().any(|d| d.name == c.name) {
                return Err(ProblemError::at(
                    ProblemField::Constant(i),
                    format!("constant `{}` is given twice", c.name),
                ));
            }
            if !built.constant_names.contains(&c.name) {
                let known = if built.constant_names.is_empty() {
                    "the formula has no free constants".to_owned()
                } else {
                    format!("its constants are: {}", built.constant_names.join(", "))
                };
                return Err(ProblemError::at(
                    ProblemField::Constant(i),
                    format!("`{}` does not appear in the formula; {known}", c.name),
                ));
            }
        }
        Ok(built)
    }

    /// The numbers that need no compiling: domain, constants, dataset settings.
    fn check_numbers(&self) -> Result<(), ProblemError> {
        if let Some(domain) = self.domain
            && let Err(m) = domain.validate()
        {
            return Err(ProblemError::at(ProblemField::Domain, m));
        }
        for (i, c) in self.constants.iter().enumerate() {
            let (min, max) = c.range();
            if !(c.value.is_finite() && min.is_finite() && max.is_finite() && min < max) {
                return Err(ProblemError::at(
                    ProblemField::Constant(i),
                    format!(
                        "constant `{}` needs finite numbers with min < max (got value {}, min {min}, max {max})",
                        c.name, c.value
                    ),
                ));
            }
        }
        if let Some(data) = &self.data {
            data.dataset
                .validate()
                .map_err(|m| ProblemError::at(ProblemField::Dataset, m))?;
        }
        Ok(())
    }
}

impl ConstantSetting {
    /// A constant at `value` with the default slider range.
    pub fn new(name: &str, value: f64) -> Self {
        Self {
            name: name.to_owned(),
            value,
            min: None,
            max: None,
        }
    }

    /// The slider's range: as given, or widened from [`CONSTANT_RANGE`] to hold the value.
    pub fn range(&self) -> (f64, f64) {
        (
            self.min.unwrap_or(self.value.min(*CONSTANT_RANGE.start())),
            self.max.unwrap_or(self.value.max(*CONSTANT_RANGE.end())),
        )
    }
}

/// A data preset's data fit.
fn preset_data(p: &Preset) -> DataFitSettings {
    DataFitSettings {
        model: p.formula.to_owned(),
        loss: p.loss.unwrap_or(DEFAULT_LOSS).to_owned(),
        regularization: None,
        dataset: DataSource::of_preset(p.dataset),
    }
}

/// The text a loss compiles (a named loss's formula).
fn loss_text(loss: &str) -> &str {
    match crate::engine::objective::NamedLoss::from_name(loss) {
        Some(n) => n.formula(),
        None => loss,
    }
}

/// True when two formulas differ at most in spaces.
pub fn same_text(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

/// A CSV file's dataset as a data source reports it: errors about the file name it, errors
/// at a line get the name here.
fn csv_loaded(loaded: Result<Dataset, DataError>, path: &Path) -> Result<Dataset, String> {
    usable(loaded.map_err(|e| match e.line {
        Some(_) => DataError {
            message: format!("{}: {}", path.display(), e.message),
            ..e
        },
        None => e,
    }))
}

/// A loaded dataset, refused when it has no examples.
fn usable(loaded: Result<Dataset, DataError>) -> Result<Dataset, String> {
    match loaded {
        Ok(d) if d.is_empty() => Err("the dataset has no examples".to_owned()),
        Ok(d) => Ok(d),
        Err(e) => Err(e.to_string()),
    }
}
