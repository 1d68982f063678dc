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

use super::{DataError, Dataset};
use crate::engine::scenario::DataSource;

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

/// Loads a dataset from a CSV file path, or else by name (see the module documentation):
/// the command line's `--dataset` argument, read as [`DataSource::from_arg`] reads it.
pub fn load_dataset(name_or_path: &str) -> Result<Dataset, DataError> {
    DataSource::from_arg(name_or_path)
        .and_then(|source| source.load())
        .map_err(DataError::new)
}

/// True when `path` names something that is not a folder (a file, or a link to one, even a
/// broken one): such a name is read as a file, whatever dataset it also names.
pub fn names_a_file(path: &Path) -> bool {
    match std::fs::metadata(path) {
        Ok(meta) => !meta.is_dir(),
        Err(_) => std::fs::symlink_metadata(path).is_ok(),
    }
}
