//! The problem arguments every subcommand shares (`EXPR`, `--const`, `--dataset`, `--model`,
//! `--loss`, `--regularization`) and [`load_problem`], which turns them into an objective.

use std::sync::Arc;

use crate::engine::Domain;
use crate::engine::data::Dataset;
use crate::engine::expr::CompileError;
use crate::engine::objective::{
    DataFitObjective, FunctionObjective, Objective, PresetKind, preset,
};

/// The model used when `--dataset` is given without `--model`.
pub const DEFAULT_MODEL: &str = "w*x + b";
/// The loss used when `--dataset` is given without `--loss`.
pub const DEFAULT_LOSS: &str = "mse";

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

/// Builds the problem the arguments describe. The error is the text to print (a compile
/// error comes with its position marked under the formula).
pub fn load_problem(args: &ProblemArgs) -> Result<Problem, String> {
    let settings = parse_constants(&args.constants)?;
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

    // A data fit: a data preset, or --dataset.
    let data_fit = match found {
        Some(p) if p.kind == PresetKind::DataFit => Some((
            args.dataset
                .clone()
                .or(p.dataset.map(str::to_string))
                .unwrap_or_default(),
            args.model.clone().unwrap_or_else(|| p.formula.to_string()),
            args.loss
                .clone()
                .or(p.loss.map(str::to_string))
                .unwrap_or_else(|| DEFAULT_LOSS.to_string()),
        )),
        Some(p) if args.dataset.is_some() || data_args => {
            return Err(format!(
                "`{}` is a function preset; --dataset, --model, --loss and --regularization apply to data fits",
                p.name
            ));
        }
        Some(_) => None,
        None => match (&args.dataset, expr) {
            (Some(_), Some(_)) => {
                return Err("with --dataset, give the model with --model (EXPR is a formula in w and b, or a preset name)".into());
            }
            (Some(d), None) => Some((
                d.clone(),
                args.model
                    .clone()
                    .unwrap_or_else(|| DEFAULT_MODEL.to_string()),
                args.loss
                    .clone()
                    .unwrap_or_else(|| DEFAULT_LOSS.to_string()),
            )),
            (None, _) if data_args => {
                return Err(
                    "--model, --loss and --regularization need --dataset (a data fit)".into(),
                );
            }
            (None, None) => {
                return Err("give a formula in w and b, e.g. \"w^2 + b^2\", or a preset name (see `losscape presets`)".into());
            }
            (None, Some(_)) => None,
        },
    };

    if let Some((dataset, model, loss)) = data_fit {
        let data = load_dataset(&dataset)?;
        let reg = args.regularization.as_deref();
        let mut objective =
            DataFitObjective::new(Arc::new(data), &model, &loss, reg).map_err(|e| {
                let text = match e.part {
                    crate::engine::expr::Part::Model => model.as_str(),
                    crate::engine::expr::Part::Loss => objective_loss_text(&loss),
                    crate::engine::expr::Part::Regularization => reg.unwrap_or(""),
                    crate::engine::expr::Part::Formula => "",
                };
                e.render(text)
            })?;
        for (name, value) in &settings {
            if !objective.set_constant(name, *value) {
                return Err(no_such_constant(name, objective.constant_names()));
            }
        }
        let description = format!(
            "data fit: model {} , loss {} , dataset {dataset} ({} examples){}",
            model,
            loss,
            objective.example_count(),
            reg.map(|r| format!(", regularization {r}"))
                .unwrap_or_default()
        );
        let domain = objective.domain();
        let constants = objective.constants();
        return Ok(Problem {
            objective: Arc::new(objective),
            domain,
            description,
            constants,
        });
    }

    let text = match found {
        Some(p) => p.formula,
        None => expr.unwrap_or(""),
    };
    let mut objective = FunctionObjective::new(text).map_err(|e: CompileError| e.render(text))?;
    if let Some(p) = found {
        if let Some(d) = p.domain {
            objective = objective.with_domain(d);
        }
        objective = objective.with_known_points(p.known_points.to_vec());
    }
    for (name, value) in &settings {
        if !objective.set_constant(name, *value) {
            return Err(no_such_constant(name, objective.constant_names()));
        }
    }
    let description = match found {
        Some(p) => format!("{}: J(w, b) = {}", p.name, p.formula),
        None => format!("J(w, b) = {text}"),
    };
    let domain = objective.domain();
    let constants = objective.constants();
    Ok(Problem {
        objective: Arc::new(objective),
        domain,
        description,
        constants,
    })
}

/// The text a loss argument compiles (a named loss's formula).
fn objective_loss_text(loss: &str) -> &str {
    match crate::engine::objective::NamedLoss::from_name(loss) {
        Some(n) => n.formula(),
        None => loss,
    }
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

/// Loads a dataset by name (`house-prices`, `linear[:..]`, `classes[:..]`) or CSV path.
fn load_dataset(name: &str) -> Result<Dataset, String> {
    crate::engine::data::load_dataset(name).map_err(|e| format!("dataset `{name}`: {e}"))
}
