//! The dataset of a data-fit problem at runtime: built from the saved [`DataSource`], CSV
//! files picked through a native dialog and loaded off the UI thread. A file that fails to
//! load leaves the current dataset in place and shows why; a remembered file that is gone
//! is reported and stays the source (Save then says what is wrong), never replaced.

use std::path::PathBuf;
use std::sync::Arc;

use crate::engine::data::Dataset;
use crate::engine::scenario::DataSource;

use super::worker::Worker;

/// What the CSV worker hands back: the file (absolute) and its contents or the reason it
/// failed. `None` when the dialog was cancelled.
type CsvResult = Option<(PathBuf, Result<Dataset, String>)>;

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
    /// data are made at once; a CSV file (a remembered session) loads in the background.
    pub fn reconcile(&mut self, source: &DataSource) {
        if self.built_from.as_ref() == Some(source) {
            return;
        }
        self.built_from = Some(source.clone());
        if let DataSource::Csv { path } = source {
            self.open_path(path.clone());
            return;
        }
        self.accept(source.load());
    }

    fn accept(&mut self, built: Result<Dataset, String>) -> bool {
        match built {
            Ok(dataset) => {
                self.dataset = Some(Arc::new(dataset));
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

    /// Opens the page's file picker; the chosen file loads in the page. The source then names
    /// the file, which the page cannot read again after a reload (the message says so).
    #[cfg(target_arch = "wasm32")]
    pub fn open_dialog(&mut self) {
        self.csv.submit_async(|job| async move {
            let picked =
                super::web::pick_file("Open a CSV dataset (columns x, y)", "CSV", &["csv", "txt"])
                    .await;
            job.emit(picked.map(|file| {
                let loaded = DataSource::load_csv_bytes(&file.name, file.bytes);
                (file.name, loaded)
            }));
            job
        });
    }

    /// Opens the native file dialog on its own thread; the chosen file loads there too.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_dialog(&mut self) {
        self.csv.submit(|job| {
            let picked = rfd::FileDialog::new()
                .set_title("Open a CSV dataset (columns x, y)")
                .add_filter("CSV", &["csv", "txt"])
                .pick_file();
            job.emit(picked.map(load_csv));
        });
    }

    /// A page cannot read a file by its name: a CSV source named by a remembered session or
    /// an opened scenario is reported, and the dataset shown stays.
    #[cfg(target_arch = "wasm32")]
    pub fn open_path(&mut self, path: PathBuf) {
        self.error = Some(format!(
            "{}: a web page cannot read a file by its name; open the CSV with Open CSV",
            path.display()
        ));
    }

    /// Loads a CSV file in the background, as if picked in the dialog.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open_path(&mut self, path: PathBuf) {
        self.csv.submit(move |job| job.emit(Some(load_csv(path))));
    }

    /// Takes a finished CSV load: on success, the file now loaded (the problem's source
    /// should become it); on failure the current dataset stays and the error is shown.
    pub fn poll(&mut self) -> Option<PathBuf> {
        match self.csv.poll() {
            Some(Some((path, loaded))) => self.apply_file(path, loaded),
            _ => None,
        }
    }

    fn apply_file(&mut self, path: PathBuf, loaded: Result<Dataset, String>) -> Option<PathBuf> {
        self.accept(loaded).then(|| {
            self.built_from = Some(DataSource::Csv { path: path.clone() });
            path
        })
    }

    /// True while a file is being picked or loaded.
    pub fn is_busy(&self) -> bool {
        self.csv.is_busy()
    }

    /// Blocks until a pending load has finished, then takes it as [`DataRuntime::poll`]
    /// does (tests).
    pub fn wait(&mut self) -> Option<PathBuf> {
        match self.csv.wait() {
            Some(Some((path, loaded))) => self.apply_file(path, loaded),
            _ => None,
        }
    }
}
/// Reads a CSV file as a data source does, with its path made absolute (a remembered
/// session must find the same file from any folder).
#[cfg(not(target_arch = "wasm32"))]
fn load_csv(path: PathBuf) -> (PathBuf, Result<Dataset, String>) {
    let path = std::path::absolute(&path).unwrap_or(path);
    let loaded = DataSource::Csv { path: path.clone() }.load();
    (path, loaded)
}
