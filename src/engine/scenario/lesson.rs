//! A lesson: an explanation and a few steps, each of which may change the scenario, with
//! what the text says the runs then do (see [`Expectation`]).

use super::error::{FieldPath, ScenarioError};
use super::expect::Expectation;

/// The teaching text of a scenario.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lesson {
    /// Position in the course (lessons are listed in this order).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<u32>,
    /// What the lesson shows, in a few sentences.
    pub text: String,
    /// What the text says the runs do as the lesson opens (checked by `losscape check`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<Expectation>,
    /// What to do, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<LessonStep>,
}

/// One step: an instruction ("predict, then press Play") and optionally the changes it
/// makes when the learner presses its Apply button.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonStep {
    /// The instruction.
    pub text: String,
    /// Changes in the scenario's own format: `[problem]`, `[view]` and `[playback]`
    /// tables are merged field by field into what is on screen (a `[problem]` naming a
    /// `preset`, `formula` or `data` replaces the problem whole); each `[[...runs]]` entry
    /// changes the run with the same name (only the fields it gives), or adds a run when
    /// no run has that name. `remove_runs` lists runs to take away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<toml::Table>,
    /// What the text says the runs do once this step and the ones before it are applied,
    /// in order (checked by `losscape check`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expect: Vec<Expectation>,
}

/// The top-level keys a step may change.
const CHANGEABLE: [&str; 5] = ["problem", "runs", "view", "playback", "remove_runs"];

/// Merges a step's changes into a scenario written as a TOML table.
pub fn merge_changes(base: &mut toml::Table, changes: &toml::Table) -> Result<(), ScenarioError> {
    for key in changes.keys() {
        if !CHANGEABLE.contains(&key.as_str()) {
            return Err(ScenarioError::at(
                FieldPath::key(key),
                format!(
                    "a step cannot change `{key}`; it can change: {}",
                    CHANGEABLE.join(", ")
                ),
            ));
        }
    }
    if let Some(remove) = changes.get("remove_runs") {
        let names: Vec<&str> = remove
            .as_array()
            .map(|a| a.iter().filter_map(toml::Value::as_str).collect())
            .unwrap_or_default();
        if names.len() != remove.as_array().map_or(usize::MAX, Vec::len) {
            return Err(ScenarioError::at(
                FieldPath::key("remove_runs"),
                "remove_runs is a list of run names, e.g. [\"Too large\"]",
            ));
        }
        if let Some(toml::Value::Array(runs)) = base.get_mut("runs") {
            for name in &names {
                let before = runs.len();
                runs.retain(|r| run_name(r) != Some(name));
                if runs.len() == before {
                    return Err(ScenarioError::at(
                        FieldPath::key("remove_runs"),
                        format!("there is no run named `{name}` to remove"),
                    ));
                }
            }
        }
    }
    for (key, value) in changes {
        match key.as_str() {
            "remove_runs" => {}
            "runs" => merge_runs(base, value)?,
            "problem" if names_a_problem(value) => {
                // A new formula, preset or data fit is a new problem: nothing of the old
                // one (its domain, constants, formula) carries over.
                base.insert(key.clone(), value.clone());
            }
            _ => merge_value(base, key, value),
        }
    }
    Ok(())
}

/// True when a `[problem]` change says what the problem is (not only its domain or
/// constants).
fn names_a_problem(problem: &toml::Value) -> bool {
    ["preset", "formula", "data"]
        .iter()
        .any(|k| problem.get(k).is_some())
}

fn run_name(run: &toml::Value) -> Option<&str> {
    run.get("name").and_then(toml::Value::as_str)
}

fn merge_runs(base: &mut toml::Table, changes: &toml::Value) -> Result<(), ScenarioError> {
    let here = FieldPath::key("runs");
    let Some(changes) = changes.as_array() else {
        return Err(ScenarioError::at(
            here,
            "runs is a list of tables: write each as [[lesson.steps.apply.runs]]",
        ));
    };
    let runs = base
        .entry("runs")
        .or_insert_with(|| toml::Value::Array(Vec::new()));
    let Some(runs) = runs.as_array_mut() else {
        return Err(ScenarioError::at(here, "runs is a list of tables"));
    };
    for (i, change) in changes.iter().enumerate() {
        let Some(table) = change.as_table() else {
            return Err(ScenarioError::at(here.at(i), "each run is a table"));
        };
        let Some(name) = run_name(change) else {
            return Err(ScenarioError::at(
                here.at(i).then("name"),
                "each changed run needs the `name` of the run it changes or adds",
            ));
        };
        match runs.iter_mut().find(|r| run_name(r) == Some(name)) {
            Some(toml::Value::Table(existing)) => {
                for (key, value) in table {
                    merge_value(existing, key, value);
                }
            }
            _ => runs.push(change.clone()),
        }
    }
    Ok(())
}

/// Tables merge key by key; anything else replaces what was there. A table naming its
/// kind (`rule = ...` of an optimizer, `kind = ...` of a start, schedule or dataset) is a
/// new choice and replaces the old one whole.
fn merge_value(base: &mut toml::Table, key: &str, value: &toml::Value) {
    match (base.get_mut(key), value) {
        (Some(toml::Value::Table(existing)), toml::Value::Table(changes))
            if !changes.contains_key("rule") && !changes.contains_key("kind") =>
        {
            for (k, v) in changes {
                merge_value(existing, k, v);
            }
        }
        _ => {
            base.insert(key.to_owned(), value.clone());
        }
    }
}
