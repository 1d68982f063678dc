//! The runs of a scene, checked together: each run's settings, and names that differ.

use super::error::{FieldPath, ScenarioError};
use crate::engine::run::RunSettings;

/// Checks every run (fields named by their path, `runs[2].schedule`) and that no two share
/// a name.
pub fn validate_runs(runs: &[RunSettings]) -> Result<(), ScenarioError> {
    let here = FieldPath::key("runs");
    for (i, run) in runs.iter().enumerate() {
        run.check()
            .map_err(|(field, message)| ScenarioError::at(here.at(i).then(field.key()), message))?;
        if runs[..i].iter().any(|r| r.name == run.name) {
            return Err(ScenarioError::at(
                here.at(i).then("name"),
                format!(
                    "two runs are named `{}`; each run needs its own name",
                    run.name
                ),
            ));
        }
    }
    Ok(())
}

/// A name for a copy of `name` that no run in `names` has: "X copy", then "X copy 2", ...
pub fn unique_copy_name<'a>(name: &str, names: impl Iterator<Item = &'a str> + Clone) -> String {
    let base = format!("{name} copy");
    (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base} {n}")
            }
        })
        .find(|candidate| !names.clone().any(|existing| existing == candidate))
        .unwrap_or(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Copies of copies never collide with a name in use.
    #[test]
    fn copy_names_are_unique() {
        let names = ["GD", "GD copy", "GD copy 2"];
        assert_eq!(unique_copy_name("GD", names.iter().copied()), "GD copy 3");
        assert_eq!(unique_copy_name("Adam", names.iter().copied()), "Adam copy");
    }
}
