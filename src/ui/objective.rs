//! The problem at runtime: the compiled objective built from the saved settings, rebuilt
//! whenever they change. A text that does not compile leaves the last valid objective in
//! place (nothing flickers away) and shows where the problem is.

use std::sync::Arc;

use crate::engine::data::Dataset;
use crate::engine::objective::Objective;
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

/// Compiles the problem as typed.
fn build(
    settings: &ProblemSettings,
    dataset: Option<&Arc<Dataset>>,
) -> Result<Built, ProblemError> {
    let _ = (settings, dataset);
    Err(ProblemError {
        field: Field::Formula,
        message: "the formula compiler is not part of this build yet".to_owned(),
        span: None,
        hint: None,
    })
}
