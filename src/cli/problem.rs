//! The problem arguments every subcommand shares (`EXPR`, `--const`, `--dataset`, `--model`,
//! `--loss`, `--regularization`) and [`load_problem`], which turns them into an objective.

use std::sync::Arc;

use crate::engine::Domain;
use crate::engine::objective::{Objective, PresetKind, preset};
use crate::engine::scenario::{
    ConstantSetting, DataFitSettings, DataSource, ProblemField, ProblemSettings,
};

/// Which problem to work on.
#[derive(clap::Args, Clone, Debug, Default, PartialEq)]
pub struct ProblemArgs {
    /// A formula J(w, b), e.g. "(1-w)^2 + 100*(b-w^2)^2", or a preset name (see `losscape presets`).
    #[arg(value_name = "EXPR", allow_hyphen_values = true)]
    pub expr: Option<String>,
    /// Sets a free constant of the formula, e.g. --const a=3 (repeatable).
    #[arg(long = "const", value_name = "NAME=VALUE", allow_hyphen_values = true)]
    pub constants: Vec<String>,
    /// Fit a model to data: a dataset name (house-prices, linear, classes) or a CSV file.
    #[arg(long, value_name = "NAME|FILE.csv")]
    pub dataset: Option<String>,
    /// The model of a data fit, in x, w and b (default: w*x + b).
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub model: Option<String>,
    /// The loss of a data fit: mse, mae, huber, logloss, or a formula in yhat and y (default: mse).
    #[arg(long, value_name = "NAME|EXPR", allow_hyphen_values = true)]
    pub loss: Option<String>,
    /// An optional regularization term of a data fit, in w and b, e.g. "0.01*(w^2 + b^2)".
    #[arg(long, value_name = "EXPR", allow_hyphen_values = true)]
    pub regularization: Option<String>,
}

/// A problem ready to evaluate.
#[derive(Clone)]
pub struct Problem {
    /// J(w, b) with its derivatives.
    pub objective: Arc<dyn Objective>,
    /// The region shown by default.
    pub domain: Domain,
    /// A one-line description (the formula, or model/loss/dataset).
    pub description: String,
    /// The free constants with the values in use.
    pub constants: Vec<(String, f64)>,
}

impl std::fmt::Debug for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Problem")
            .field("domain", &self.domain)
            .field("description", &self.description)
            .field("constants", &self.constants)
            .finish_non_exhaustive()
    }
}

/// Parses `NAME=VALUE` settings of free constants.
pub fn parse_constants(items: &[String]) -> Result<Vec<(String, f64)>, String> {
    items
        .iter()
        .map(|item| {
            let Some((name, value)) = item.split_once('=') else {
                return Err(format!(
                    "--const expects NAME=VALUE, e.g. --const a=3, not `{item}`"
                ));
            };
            let name = name.trim();
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("--const {name}: `{}` is not a number", value.trim()))?;
            if !value.is_finite() {
                return Err(format!("--const {name}: the value must be finite"));
            }
            Ok((name.to_string(), value))
        })
        .collect()
}

/// The problem the arguments describe, as the one settings model (not built yet).
pub fn problem_settings(args: &ProblemArgs) -> Result<ProblemSettings, String> {
    let expr = args
        .expr
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let found = expr.and_then(preset);
    // A dataset's name where a formula goes (`eval house-prices`) would otherwise compile
    // as a formula in the unknown constants `house` and `prices`.
    if found.is_none()
        && let Some(name) = expr
        && crate::engine::data::DATASETS.iter().any(|d| d.name == name)
    {
        return Err(format!(
            "`{name}` is a dataset, not a formula or preset: use --dataset {name} (the model is linear regression unless --model says otherwise)"
        ));
    }
    let data_args = args.model.is_some() || args.loss.is_some() || args.regularization.is_some();
    let mut settings = match (found, &args.dataset, expr) {
        (Some(p), dataset, _) if p.kind == PresetKind::DataFit => {
            let mut settings = ProblemSettings::from_preset(p.name)
                .ok_or_else(|| format!("preset `{}` cannot be built", p.name))?;
            if dataset.is_some() || data_args {
                // The preset's data fit with some parts replaced is no longer the preset.
                settings.preset = None;
            }
            settings
        }
        (Some(p), _, _) if args.dataset.is_some() || data_args => {
            return Err(format!(
                "`{}` is a function preset; --dataset, --model, --loss and --regularization apply to data fits",
                p.name
            ));
        }
        (Some(p), _, _) => ProblemSettings::from_preset(p.name)
            .ok_or_else(|| format!("preset `{}` cannot be built", p.name))?,
        (None, Some(_), Some(_)) => {
            return Err("with --dataset, give the model with --model (EXPR is a formula in w and b, or a preset name)".into());
        }
        (None, Some(_), None) => ProblemSettings {
            data: Some(DataFitSettings::default()),
            ..ProblemSettings::default()
        },
        (None, None, _) if data_args => {
            return Err("--model, --loss and --regularization need --dataset (a data fit)".into());
        }
        (None, None, None) => {
            return Err("give a formula in w and b, e.g. \"w^2 + b^2\", or a preset name (see `losscape presets`)".into());
        }
        (None, None, Some(formula)) => ProblemSettings {
            formula: Some(formula.to_owned()),
            ..ProblemSettings::default()
        },
    };
    if let Some(data) = &mut settings.data {
        if let Some(name) = &args.dataset {
            data.dataset =
                DataSource::from_arg(name).map_err(|m| format!("dataset `{name}`: {m}"))?;
        }
        if let Some(model) = &args.model {
            data.model = model.clone();
        }
        if let Some(loss) = &args.loss {
            data.loss = loss.clone();
        }
        if let Some(reg) = &args.regularization {
            data.regularization = Some(reg.clone());
        }
    }
    settings.constants = parse_constants(&args.constants)?
        .into_iter()
        .map(|(name, value)| ConstantSetting::new(&name, value))
        .collect();
    Ok(settings)
}

/// Builds the problem the arguments describe. The error is the text to print (a compile
/// error comes with its position marked under the formula). Every free constant needs a
/// value from `--const`, and every `--const` names a constant of the problem.
pub fn load_problem(args: &ProblemArgs) -> Result<Problem, String> {
    let settings = problem_settings(args)?;
    let built = settings.build(None).map_err(|e| match e.field {
        // A file's errors name it already.
        ProblemField::Dataset => match args.dataset.as_deref() {
            Some(name) if !e.message.contains(name) => format!("dataset `{name}`: {}", e.message),
            _ => e.message,
        },
        _ => e.message,
    })?;
    let names = &built.constant_names;
    for c in &settings.constants {
        if !names.contains(&c.name) {
            return Err(no_such_constant(&c.name, names));
        }
    }
    let missing: Vec<&str> = names
        .iter()
        .filter(|n| !settings.constants.iter().any(|c| &c.name == *n))
        .map(String::as_str)
        .collect();
    if let Some(first) = missing.first() {
        return Err(format!(
            "the problem has free constants without a value: {}; give each one with --const, e.g. --const {first}=1",
            missing.join(", ")
        ));
    }
    let objective = built.objective;
    let description = match (&settings.formula, &settings.data) {
        (Some(formula), _) => match settings.current_preset() {
            Some(p) => format!("{}: J(w, b) = {formula}", p.name),
            None => format!("J(w, b) = {formula}"),
        },
        (None, Some(data)) => format!(
            "data fit: model {} , loss {} , dataset {} ({} examples){}",
            data.model,
            data.loss,
            args.dataset
                .as_deref()
                .or(settings.current_preset().and_then(|p| p.dataset))
                .unwrap_or("linear"),
            objective.example_count(),
            data.regularization
                .as_deref()
                .map(|r| format!(", regularization {r}"))
                .unwrap_or_default()
        ),
        (None, None) => String::new(),
    };
    let constants = settings
        .constants
        .iter()
        .map(|c| (c.name.clone(), c.value))
        .collect();
    Ok(Problem {
        domain: objective.domain(),
        objective,
        description,
        constants,
    })
}

fn no_such_constant(name: &str, names: &[String]) -> String {
    if names.is_empty() {
        format!("--const {name}: this problem has no free constants")
    } else {
        format!(
            "--const {name}: this problem has no constant `{name}` (its constants: {})",
            names.join(", ")
        )
    }
}
