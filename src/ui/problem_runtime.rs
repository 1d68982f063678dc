//! The problem at runtime: the compiled objective built from the saved settings, rebuilt
//! whenever they change. A text that does not compile leaves the last valid objective in
//! place (nothing flickers away) and shows where the problem is.

use std::sync::Arc;

use crate::engine::data::Dataset;
use crate::engine::objective::Objective;
use crate::engine::scenario::{ProblemError, ProblemField, ProblemSettings};
use crate::engine::{Domain, KnownPoint};

/// What the current objective was built from: the problem without its domain (zooming
/// does not rebuild) and the dataset's version.
#[derive(Clone, Debug, PartialEq)]
struct BuildKey {
    problem: ProblemSettings,
    data_version: u64,
}

/// The compiled problem and the last error.
#[derive(Default)]
pub struct ObjectiveRuntime {
    /// The last objective that built (the views show it).
    pub objective: Option<Arc<dyn Objective>>,
    /// Changes whenever `objective` does.
    pub version: u64,
    /// Why the current settings do not build (None when they do).
    pub error: Option<ProblemError>,
    /// The free constants of the current text.
    pub constants: Vec<String>,
    built_from: Option<BuildKey>,
}

impl ObjectiveRuntime {
    /// Rebuilds the objective when the settings changed since the last build (or attempt).
    /// A data fit waits for its dataset. Returns true when a new objective is in place.
    pub fn reconcile(
        &mut self,
        settings: &ProblemSettings,
        dataset: Option<&Arc<Dataset>>,
        data_version: u64,
    ) -> bool {
        // Called every frame: compare without cloning the settings.
        if self.built_from.as_ref().is_some_and(|k| {
            k.data_version == data_version && same_but_domain(&k.problem, settings)
        }) {
            return false;
        }
        let key = BuildKey {
            problem: ProblemSettings {
                domain: None,
                ..settings.clone()
            },
            data_version,
        };
        let problem = key.problem.clone();
        self.built_from = Some(key);
        if problem.data.is_some() && dataset.is_none() {
            self.error = Some(ProblemError {
                field: ProblemField::Dataset,
                message: "no dataset is loaded yet".to_owned(),
                compile: None,
            });
            return false;
        }
        match problem.build(dataset.cloned()) {
            Ok(built) => {
                self.objective = Some(built.objective);
                self.constants = built.constant_names;
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

/// True when `a` and `b` build the same objective: everything but the domain (zooming and
/// typing a range never rebuild) is equal.
fn same_but_domain(a: &ProblemSettings, b: &ProblemSettings) -> bool {
    let ProblemSettings {
        preset,
        formula,
        domain: _,
        constants,
        data,
    } = a;
    *preset == b.preset && *formula == b.formula && *constants == b.constants && *data == b.data
}
