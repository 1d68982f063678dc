//! The dataset of a data-fit problem at runtime: built from the saved [`DataSource`], CSV
//! files picked through a native dialog and loaded off the UI thread. A file that fails to
//! load leaves the current dataset in place and shows why.

use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::data::{ClassData, DataError, Dataset, HOUSE_PRICES_CSV, LinearData};

use super::state::DataSource;
use super::worker::Worker;

/// What the CSV worker hands back: the file and its contents or the reason it failed.
/// `None` when the dialog was cancelled.
type CsvResult = Option<(PathBuf, Result<Dataset, DataError>)>;

/// The current dataset and where it came from.
pub struct DataRuntime {
    /// The examples (absent until a source has loaded).
    pub dataset: Option<Arc<Dataset>>,
    /// The source `dataset` was built from (or last tried).
    built_from: Option<DataSource>,
    /// Why the last source or file could not be used.
    pub error: Option<String>,
    /// Changes whenever `dataset` does.
    pub version: u64,
    csv: Worker<CsvResult>,
}

impl DataRuntime {
    /// No dataset yet; CSV results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            dataset: None,
            built_from: None,
            error: None,
            version: 0,
            csv: Worker::new(ctx),
        }
    }

    /// Builds the dataset for `source` when it is not what is loaded. Synthetic and bundled
    /// data are made at once; a CSV path (a remembered session) loads in the background.
    pub fn reconcile(&mut self, source: &DataSource) {
        if self.built_from.as_ref() == Some(source) {
            return;
        }
        self.built_from = Some(source.clone());
        let built = match source {
            DataSource::Linear {
                examples,
                noise,
                seed,
            } => LinearData {
                examples: *examples,
                noise: *noise,
                seed: *seed,
                ..LinearData::default()
            }
            .generate(),
            DataSource::Classes {
                examples,
                noise,
                seed,
            } => ClassData {
                examples: *examples,
                noise: *noise,
                seed: *seed,
                ..ClassData::default()
            }
            .generate(),
            DataSource::HousePrices => Dataset::from_csv_str(HOUSE_PRICES_CSV),
            DataSource::Csv { path } => {
                let path = path.clone();
                self.csv.submit(move |job| {
                    let loaded = Dataset::from_csv_path(&path);
                    job.emit(Some((path, loaded)));
                });
                return;
            }
        };
        self.accept(built);
    }

    fn accept(&mut self, built: Result<Dataset, DataError>) -> bool {
        match built {
            Ok(dataset) if dataset.is_empty() => {
                self.error = Some("the dataset has no examples".to_owned());
                false
            }
            Ok(dataset) => {
                self.dataset = Some(Arc::new(dataset));
                self.error = None;
                self.version += 1;
                true
            }
            Err(err) => {
                self.error = Some(err.to_string());
                false
            }
        }
    }

    /// Opens the native file dialog on its own thread; the chosen file loads there too.
    pub fn open_dialog(&mut self) {
        self.csv.submit(|job| {
            let picked = rfd::FileDialog::new()
                .set_title("Open a CSV dataset (columns x, y)")
                .add_filter("CSV", &["csv", "txt"])
                .pick_file();
            match picked {
                Some(path) => {
                    let loaded = Dataset::from_csv_path(&path);
                    job.emit(Some((path, loaded)));
                }
                None => job.emit(None),
            }
        });
    }

    /// Loads a CSV file in the background, as if picked in the dialog.
    pub fn open_path(&mut self, path: PathBuf) {
        self.csv.submit(move |job| {
            let loaded = Dataset::from_csv_path(&path);
            job.emit(Some((path, loaded)));
        });
    }

    /// Takes a finished CSV load: on success the source becomes that file; on failure the
    /// current dataset stays and the error is shown. True when the dataset changed.
    pub fn poll(&mut self, source: &mut DataSource) -> bool {
        match self.csv.poll() {
            Some(Some((path, loaded))) => self.apply_file(source, path, loaded),
            _ => false,
        }
    }

    fn apply_file(
        &mut self,
        source: &mut DataSource,
        path: PathBuf,
        loaded: Result<Dataset, DataError>,
    ) -> bool {
        let shown = path.display().to_string();
        let loaded = loaded.map_err(|e| DataError {
            line: e.line,
            message: format!("{shown}: {}", e.message),
        });
        if self.accept(loaded) {
            *source = DataSource::Csv { path };
            self.built_from = Some(source.clone());
            true
        } else {
            if self.dataset.is_none() {
                // A remembered file that is gone: fall back to the default data.
                *source = DataSource::default();
            }
            false
        }
    }

    /// True while a file is being picked or loaded.
    pub fn is_busy(&self) -> bool {
        self.csv.is_busy()
    }

    /// Blocks until a pending load has finished, then applies it (tests).
    pub fn wait(&mut self, source: &mut DataSource) -> bool {
        match self.csv.wait() {
            Some(Some((path, loaded))) => self.apply_file(source, path, loaded),
            _ => false,
        }
    }
}
