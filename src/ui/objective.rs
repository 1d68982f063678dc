//! The problem at runtime: the compiled objective built from the saved settings, rebuilt
//! whenever they change. A text that does not compile leaves the last valid objective in
//! place (nothing flickers away) and shows where the problem is.

use std::sync::Arc;

use crate::engine::data::Dataset;
use crate::engine::expr::{CompileError, Part};
use crate::engine::objective::{
    DataFitObjective, FunctionObjective, Objective, PresetKind, preset,
};
use crate::engine::{Domain, KnownPoint};

use super::state::{ProblemKind, ProblemSettings};

/// Which text of the problem an error is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The formula J(w, b).
    Formula,
    /// The model of a data fit.
    Model,
    /// The loss of a data fit.
    Loss,
    /// The dataset.
    Data,
}

/// Why the problem as typed cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub struct ProblemError {
    /// Where.
    pub field: Field,
    /// What is wrong.
    pub message: String,
    /// Character range of the problem in the field's text, when it has one.
    pub span: Option<(usize, usize)>,
    /// A suggestion.
    pub hint: Option<String>,
}

/// A successfully built problem.
pub struct Built {
    /// The objective.
    pub objective: Arc<dyn Objective>,
    /// The free constants found in the text, in order.
    pub constants: Vec<String>,
}

/// What the current objective was built from.
#[derive(Clone, Debug, PartialEq)]
struct BuildKey {
    kind: ProblemKind,
    formula: String,
    constants: Vec<(String, f64)>,
    model: String,
    loss: String,
    data_version: u64,
}

/// The compiled problem and the last error.
#[derive(Default)]
pub struct ObjectiveRuntime {
    /// The last objective that built (the views show it).
    pub objective: Option<Arc<dyn Objective>>,
    /// Changes whenever `objective` does.
    pub version: u64,
    /// Why the current text does not build (None when it does).
    pub error: Option<ProblemError>,
    /// The free constants of the current text.
    pub constants: Vec<String>,
    built_from: Option<BuildKey>,
}

impl ObjectiveRuntime {
    /// Rebuilds the objective when the settings changed since the last build (or attempt).
    /// Returns true when a new objective is in place.
    pub fn reconcile(
        &mut self,
        settings: &ProblemSettings,
        dataset: Option<&Arc<Dataset>>,
        data_version: u64,
    ) -> bool {
        let key = BuildKey {
            kind: settings.kind,
            formula: settings.formula.clone(),
            constants: settings
                .constants
                .iter()
                .map(|c| (c.name.clone(), c.value))
                .collect(),
            model: settings.data.model.clone(),
            loss: settings.data.loss.clone(),
            data_version,
        };
        if self.built_from.as_ref() == Some(&key) {
            return false;
        }
        self.built_from = Some(key);
        match build(settings, dataset) {
            Ok(built) => {
                self.objective = Some(built.objective);
                self.constants = built.constants;
                self.error = None;
                self.version += 1;
                true
            }
            Err(err) => {
                self.error = Some(err);
                false
            }
        }
    }

    /// The known stationary points of the current objective.
    pub fn known_points(&self) -> &[KnownPoint] {
        self.objective
            .as_deref()
            .map(|o| o.known_points())
            .unwrap_or(&[])
    }

    /// The objective's own default domain.
    pub fn default_domain(&self) -> Option<Domain> {
        self.objective.as_deref().map(|o| o.domain())
    }
}

/// Compiles the problem as typed. A function whose text is still its preset's formula gets
/// the preset's domain and known points.
fn build(
    settings: &ProblemSettings,
    dataset: Option<&Arc<Dataset>>,
) -> Result<Built, ProblemError> {
    match settings.kind {
        ProblemKind::Function => {
            let mut objective = FunctionObjective::new(&settings.formula).map_err(from_compile)?;
            for c in &settings.constants {
                objective.set_constant(&c.name, c.value);
            }
            let from_preset = settings.preset.as_deref().and_then(preset).filter(|p| {
                p.kind == PresetKind::Function && same_text(p.formula, &settings.formula)
            });
            if let Some(p) = from_preset {
                if let Some(domain) = p.domain {
                    objective = objective.with_domain(domain);
                }
                objective = objective.with_known_points(p.known_points.to_vec());
            }
            let constants = objective.constant_names().to_vec();
            Ok(Built {
                objective: Arc::new(objective),
                constants,
            })
        }
        ProblemKind::DataFit => {
            let Some(dataset) = dataset else {
                return Err(ProblemError {
                    field: Field::Data,
                    message: "no dataset is loaded yet".to_owned(),
                    span: None,
                    hint: None,
                });
            };
            let model = &settings.data.model;
            let loss = &settings.data.loss;
            let mut objective = DataFitObjective::new(Arc::clone(dataset), model, loss, None)
                .map_err(from_compile)?;
            for c in &settings.constants {
                objective.set_constant(&c.name, c.value);
            }
            let constants = objective.constant_names().to_vec();
            Ok(Built {
                objective: Arc::new(objective),
                constants,
            })
        }
    }
}

/// True when two formulas differ at most in spaces.
pub fn same_text(a: &str, b: &str) -> bool {
    a.chars()
        .filter(|c| !c.is_whitespace())
        .eq(b.chars().filter(|c| !c.is_whitespace()))
}

fn from_compile(err: CompileError) -> ProblemError {
    let field = match err.part {
        Part::Formula => Field::Formula,
        Part::Model | Part::Regularization => Field::Model,
        Part::Loss => Field::Loss,
    };
    ProblemError {
        field,
        message: err.message,
        span: Some((err.position, err.length)),
        hint: err.hint,
    }
}
