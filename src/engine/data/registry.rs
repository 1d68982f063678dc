//! Datasets by name: the bundled files and the synthetic generators, and CSV files by path.
//!
//! `load_dataset` accepts:
//! - `house-prices`: the bundled CSV (`assets/datasets/house-prices.csv`, 40 made-up houses:
//!   size in 100 m^2 as x, price in 100k as y), built into the program.
//! - `linear` and `classes`: the synthetic generators with their default settings, or with
//!   settings after a colon, e.g. `linear:m=200,noise=0.3,seed=7,slope=-1,intercept=4` or
//!   `classes:m=50,noise=1.5,seed=3`.
//! - anything else: the path of a CSV file.
//!
//! A file comes first: when the text names an existing file (anything but a folder, even a
//! link to nothing), that file is loaded, so a file called `linear` in the working folder is
//! never silently replaced by the generator. To use the built-in dataset, run from another
//! folder.

use std::path::Path;

use super::{ClassData, DataError, Dataset, LinearData};

/// The bundled house-prices CSV.
pub const HOUSE_PRICES_CSV: &str = include_str!("../../../assets/datasets/house-prices.csv");

/// A dataset available by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DatasetInfo {
    /// The name `load_dataset` accepts.
    pub name: &'static str,
    /// One line saying what it is.
    pub description: &'static str,
}

/// Every dataset available by name.
pub const DATASETS: &[DatasetInfo] = &[
    DatasetInfo {
        name: "house-prices",
        description: "40 houses (made up): size in 100 m^2 (x) and price in 100k (y)",
    },
    DatasetInfo {
        name: "linear",
        description: "synthetic points around y = 2x + 1 with Gaussian noise (m=100, noise=0.5, seed=42)",
    },
    DatasetInfo {
        name: "classes",
        description: "synthetic two-class data for logistic regression (m=100, noise=0.8, seed=42)",
    },
];

/// Loads a dataset from a CSV file path, or else by name (see the module documentation).
pub fn load_dataset(name_or_path: &str) -> Result<Dataset, DataError> {
    let text = name_or_path.trim();
    if names_a_file(Path::new(text)) {
        return Dataset::from_csv_path(text);
    }
    let (name, settings) = match text.split_once(':') {
        Some((n, s)) if is_generator(n) => (n, Some(s)),
        _ => (text, None),
    };
    match name.to_ascii_lowercase().as_str() {
        "house-prices" => Dataset::from_csv_str(HOUSE_PRICES_CSV),
        "linear" => {
            let mut spec = LinearData::default();
            for (key, value) in parse_settings(settings.unwrap_or(""))? {
                match key.as_str() {
                    "m" | "examples" => spec.examples = parse_count(&key, &value)?,
                    "noise" => spec.noise = parse_number(&key, &value)?,
                    "seed" => spec.seed = parse_seed(&value)?,
                    "slope" | "w" => spec.slope = parse_number(&key, &value)?,
                    "intercept" | "b" => spec.intercept = parse_number(&key, &value)?,
                    _ => {
                        return Err(unknown_setting(
                            "linear",
                            &key,
                            "m, noise, seed, slope, intercept",
                        ));
                    }
                }
            }
            spec.generate()
        }
        "classes" => {
            let mut spec = ClassData::default();
            for (key, value) in parse_settings(settings.unwrap_or(""))? {
                match key.as_str() {
                    "m" | "examples" => spec.examples = parse_count(&key, &value)?,
                    "noise" => spec.noise = parse_number(&key, &value)?,
                    "seed" => spec.seed = parse_seed(&value)?,
                    _ => return Err(unknown_setting("classes", &key, "m, noise, seed")),
                }
            }
            spec.generate()
        }
        _ => {
            let path = Path::new(text);
            if path.exists() {
                Dataset::from_csv_path(path)
            } else {
                let names: Vec<&str> = DATASETS.iter().map(|d| d.name).collect();
                Err(DataError::new(format!(
                    "no dataset named '{text}' and no such file; use one of {} or the path of a .csv file",
                    names.join(", ")
                )))
            }
        }
    }
}

/// True when `path` is an existing file or link, and not a folder.
fn names_a_file(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => !meta.is_dir(),
        Err(_) => std::fs::symlink_metadata(path).is_ok(),
    }
}

fn is_generator(name: &str) -> bool {
    name.eq_ignore_ascii_case("linear") || name.eq_ignore_ascii_case("classes")
}

fn parse_settings(text: &str) -> Result<Vec<(String, String)>, DataError> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => Ok((k.trim().to_ascii_lowercase(), v.trim().to_string())),
            None => Err(DataError::new(format!(
                "dataset setting '{pair}' should look like name=value"
            ))),
        })
        .collect()
}

fn parse_number(key: &str, value: &str) -> Result<f64, DataError> {
    match value.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(DataError::new(format!(
            "dataset setting {key}={value}: expected a finite number"
        ))),
    }
}

fn parse_count(key: &str, value: &str) -> Result<usize, DataError> {
    value.parse::<usize>().map_err(|_| {
        DataError::new(format!(
            "dataset setting {key}={value}: expected a whole number"
        ))
    })
}

fn parse_seed(value: &str) -> Result<u64, DataError> {
    value.parse::<u64>().map_err(|_| {
        DataError::new(format!(
            "dataset setting seed={value}: expected a whole number >= 0"
        ))
    })
}

fn unknown_setting(name: &str, key: &str, known: &str) -> DataError {
    DataError::new(format!(
        "the '{name}' dataset has no setting '{key}' (it has {known})"
    ))
}
