//! The problem of a scenario: a formula J(w, b), or a model's loss over a dataset.

use std::path::PathBuf;
use std::sync::Arc;

use super::error::{FieldPath, ScenarioError};
use crate::engine::Domain;
use crate::engine::data::{ClassData, Dataset, HOUSE_PRICES_CSV, LinearData};
use crate::engine::expr::Part;
use crate::engine::objective::{
    DataFitObjective, FunctionObjective, Objective, PresetKind, preset, presets,
};

/// The problem: a preset, a formula, or a data fit (`[problem.data]`), with its constants
/// and the region shown.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioProblem {
    /// A preset's name (see `losscape presets`): fills in the formula or the data fit when
    /// they are not given, and brings the preset's marked minima.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// J(w, b) as a formula.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The region shown: `{ w_min, w_max, b_min, b_max }` (the problem's own when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Domain>,
    /// Values and slider ranges of the formula's free constants.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub constants: Vec<ScenarioConstant>,
    /// A data fit: J is the mean loss of a model over a dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<ScenarioData>,
}

/// A free constant of the formula, e.g. `{ name = "a", value = 3.0 }`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioConstant {
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
#[serde(deny_unknown_fields)]
pub struct ScenarioData {
    /// The prediction from x, w and b.
    #[serde(default = "default_model")]
    pub model: String,
    /// The loss of one example in `yhat` and `y`, or a loss name (`mse`, `mae`, `huber`,
    /// `log_loss`, ...).
    #[serde(default = "default_loss")]
    pub loss: String,
    /// Where the examples come from.
    #[serde(default)]
    pub dataset: ScenarioDataset,
}

fn default_model() -> String {
    "w*x + b".to_owned()
}

fn default_loss() -> String {
    "mse".to_owned()
}

/// Where a data fit's examples come from, tagged by `kind`.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum ScenarioDataset {
    /// Points scattered around a line (seeded).
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
    HousePrices,
    /// A CSV file with columns x and y; a relative path is relative to the scenario file.
    Csv {
        /// The file.
        path: PathBuf,
    },
}

impl Default for ScenarioDataset {
    fn default() -> Self {
        Self::Linear {
            examples: default_examples(),
            noise: default_linear_noise(),
            seed: default_data_seed(),
        }
    }
}

fn default_examples() -> usize {
    100
}
fn default_linear_noise() -> f64 {
    0.5
}
fn default_class_noise() -> f64 {
    0.8
}
fn default_data_seed() -> u64 {
    42
}

/// Most examples a synthetic dataset may have in a scenario (the app's slider goes to 10 000).
pub const MAX_SYNTHETIC_EXAMPLES: usize = 1_000_000;

/// The problem with its preset filled in: what is actually minimized.
#[derive(Clone, Debug, PartialEq)]
pub enum ResolvedProblem {
    /// J(w, b) typed as a formula.
    Function {
        /// The formula.
        formula: String,
    },
    /// The mean loss of a model over a dataset.
    DataFit(ScenarioData),
}

impl ScenarioProblem {
    /// The formula or data fit this problem stands for (a preset fills in what is missing).
    pub fn resolve(&self) -> Result<ResolvedProblem, ScenarioError> {
        let here = FieldPath::key("problem");
        let found = match &self.preset {
            Some(name) => Some(preset(name).ok_or_else(|| {
                let names: Vec<&str> = presets().iter().map(|p| p.name).collect();
                ScenarioError::at(
                    here.then("preset"),
                    format!(
                        "there is no preset `{name}`; the presets are: {}",
                        names.join(", ")
                    ),
                )
            })?),
            None => None,
        };
        match (&self.formula, &self.data, found) {
            (Some(_), Some(_), _) => Err(ScenarioError::at(
                here.then("formula"),
                "give either a formula or a [problem.data] table, not both",
            )),
            (Some(formula), None, _) => Ok(ResolvedProblem::Function {
                formula: formula.clone(),
            }),
            (None, Some(data), _) => Ok(ResolvedProblem::DataFit(data.clone())),
            (None, None, Some(p)) => Ok(match p.kind {
                PresetKind::Function => ResolvedProblem::Function {
                    formula: p.formula.to_owned(),
                },
                PresetKind::DataFit => ResolvedProblem::DataFit(ScenarioData {
                    model: p.formula.to_owned(),
                    loss: p.loss.unwrap_or("mse").to_owned(),
                    dataset: match p.dataset {
                        Some("house-prices") => ScenarioDataset::HousePrices,
                        Some("classes") => ScenarioDataset::Classes {
                            examples: default_examples(),
                            noise: default_class_noise(),
                            seed: default_data_seed(),
                        },
                        _ => ScenarioDataset::default(),
                    },
                }),
            }),
            (None, None, None) => Err(ScenarioError::at(
                here,
                "the problem needs a `formula`, a `preset` or a [problem.data] table",
            )),
        }
    }

    /// Builds the objective exactly as described, checking every part: the formula or
    /// model and loss compile, the dataset loads, every constant appears in the formula,
    /// and the domain is a proper rectangle.
    pub fn build(&self) -> Result<Arc<dyn Objective>, ScenarioError> {
        let here = FieldPath::key("problem");
        if let Some(domain) = self.domain
            && !domain.is_valid()
        {
            return Err(ScenarioError::at(
                here.then("domain"),
                "the domain needs finite numbers with w_min < w_max and b_min < b_max",
            ));
        }
        for (i, c) in self.constants.iter().enumerate() {
            let at = here.then("constants").at(i);
            let (min, max) = c.range();
            if !(c.value.is_finite() && min.is_finite() && max.is_finite() && min < max) {
                return Err(ScenarioError::at(
                    at,
                    format!(
                        "constant `{}` needs finite numbers with min < max (got value {}, min {min}, max {max})",
                        c.name, c.value
                    ),
                ));
            }
        }
        let mut objective: Box<dyn ConstantsMut> = match self.resolve()? {
            ResolvedProblem::Function { formula } => {
                let field = if self.formula.is_some() {
                    here.then("formula")
                } else {
                    here.then("preset")
                };
                let mut objective = FunctionObjective::new(&formula)
                    .map_err(|e| ScenarioError::at(field, e.render(&formula)))?;
                let from_preset =
                    self.preset.as_deref().and_then(preset).filter(|p| {
                        p.kind == PresetKind::Function && same_text(p.formula, &formula)
                    });
                if let Some(p) = from_preset {
                    if let Some(domain) = p.domain {
                        objective = objective.with_domain(domain);
                    }
                    objective = objective.with_known_points(p.known_points.to_vec());
                }
                Box::new(objective)
            }
            ResolvedProblem::DataFit(data) => {
                let field = here.then("data");
                let dataset = data
                    .dataset
                    .load()
                    .map_err(|message| ScenarioError::at(field.then("dataset"), message))?;
                let objective =
                    DataFitObjective::new(Arc::new(dataset), &data.model, &data.loss, None)
                        .map_err(|e| {
                            let (name, text) = match e.part {
                                Part::Loss => ("loss", data.loss.as_str()),
                                _ => ("model", data.model.as_str()),
                            };
                            ScenarioError::at(field.then(name), e.render(text))
                        })?;
                Box::new(objective)
            }
        };
        for (i, c) in self.constants.iter().enumerate() {
            if !objective.set(&c.name, c.value) {
                let names = objective.names();
                let known = if names.is_empty() {
                    "the formula has no free constants".to_owned()
                } else {
                    format!("its constants are: {}", names.join(", "))
                };
                return Err(ScenarioError::at(
                    here.then("constants").at(i).then("name"),
                    format!("`{}` does not appear in the formula; {known}", c.name),
                ));
            }
        }
        Ok(objective.into_objective())
    }
}

impl ScenarioConstant {
    /// The slider's range: as given, or widened from [-5, 5] to hold the value.
    pub fn range(&self) -> (f64, f64) {
        (
            self.min.unwrap_or(self.value.min(-5.0)),
            self.max.unwrap_or(self.value.max(5.0)),
        )
    }
}

impl ScenarioDataset {
    /// Generates or reads the examples; the message says what is wrong (a CSV error names
    /// the file and line).
    pub fn load(&self) -> Result<Dataset, String> {
        let loaded = match self {
            Self::Linear {
                examples,
                noise,
                seed,
            } => {
                check_examples(*examples)?;
                LinearData {
                    examples: *examples,
                    noise: *noise,
                    seed: *seed,
                    ..LinearData::default()
                }
                .generate()
            }
            Self::Classes {
                examples,
                noise,
                seed,
            } => {
                check_examples(*examples)?;
                ClassData {
                    examples: *examples,
                    noise: *noise,
                    seed: *seed,
                    ..ClassData::default()
                }
                .generate()
            }
            Self::HousePrices => Dataset::from_csv_str(HOUSE_PRICES_CSV),
            Self::Csv { path } => {
                if !path.exists() {
                    return Err(format!(
                        "the dataset file {} does not exist",
                        path.display()
                    ));
                }
                Dataset::from_csv_path(path).map_err(|e| crate::engine::data::DataError {
                    message: format!("{}: {}", path.display(), e.message),
                    ..e
                })
            }
        };
        match loaded {
            Ok(d) if d.is_empty() => Err("the dataset has no examples".to_owned()),
            Ok(d) => Ok(d),
            Err(e) => Err(e.to_string()),
        }
    }
}

fn check_examples(examples: usize) -> Result<(), String> {
    if (1..=MAX_SYNTHETIC_EXAMPLES).contains(&examples) {
        Ok(())
    } else {
        Err(format!(
            "examples must be between 1 and {MAX_SYNTHETIC_EXAMPLES}, not {examples}"
        ))
    }
}

/// Same formula up to spaces.
fn same_text(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

/// The two objective kinds seen through what building needs: setting constants.
trait ConstantsMut {
    fn set(&mut self, name: &str, value: f64) -> bool;
    fn names(&self) -> Vec<String>;
    fn into_objective(self: Box<Self>) -> Arc<dyn Objective>;
}

impl ConstantsMut for FunctionObjective {
    fn set(&mut self, name: &str, value: f64) -> bool {
        self.set_constant(name, value)
    }
    fn names(&self) -> Vec<String> {
        self.constant_names().to_vec()
    }
    fn into_objective(self: Box<Self>) -> Arc<dyn Objective> {
        Arc::new(*self)
    }
}

impl ConstantsMut for DataFitObjective {
    fn set(&mut self, name: &str, value: f64) -> bool {
        self.set_constant(name, value)
    }
    fn names(&self) -> Vec<String> {
        self.constant_names().to_vec()
    }
    fn into_objective(self: Box<Self>) -> Arc<dyn Objective> {
        Arc::new(*self)
    }
}
