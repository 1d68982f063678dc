//! One explorer computation in the background: recomputed when what it depends on (its key)
//! changes, cancelled when superseded, its error kept as text.

use std::sync::Arc;

use crate::engine::explore::ScanError;
use crate::ui::worker::{Job, Worker};

/// The newest result of a background computation keyed by `K`.
pub struct Computed<K, T: Send + Sync + 'static> {
    worker: Worker<Result<Arc<T>, String>>,
    key: Option<K>,
    /// The newest result.
    pub result: Option<Arc<T>>,
    /// Why the newest computation gave no result.
    pub error: Option<String>,
}

impl<K: PartialEq, T: Send + Sync + 'static> Computed<K, T> {
    /// Nothing computed yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            worker: Worker::new(ctx),
            key: None,
            result: None,
            error: None,
        }
    }

    /// Starts `work` when `key` differs from the last request's. `work` gets the job (its
    /// cancel flag and progress).
    pub fn request(
        &mut self,
        key: K,
        work: impl FnOnce(&Job<Result<Arc<T>, String>>) -> Result<T, ScanError> + Send + 'static,
    ) {
        if self.key.as_ref() == Some(&key) {
            return;
        }
        self.key = Some(key);
        self.worker.submit(move |job| match work(job) {
            Ok(t) => job.emit(Ok(Arc::new(t))),
            Err(ScanError::Invalid(e)) => job.emit(Err(e)),
            Err(ScanError::Interrupted) => {}
        });
    }

    /// Forgets the key, so the next request computes again.
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// Takes a newer result, if one arrived; true when one did.
    pub fn poll(&mut self) -> bool {
        match self.worker.poll() {
            Some(r) => {
                self.take(r);
                true
            }
            None => false,
        }
    }

    /// Blocks until the newest computation has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        if let Some(r) = self.worker.wait() {
            self.take(r);
        }
    }

    fn take(&mut self, r: Result<Arc<T>, String>) {
        match r {
            Ok(t) => {
                self.result = Some(t);
                self.error = None;
            }
            Err(e) => {
                self.result = None;
                self.error = Some(e);
            }
        }
    }

    /// Progress of the running computation, if any.
    pub fn progress(&self) -> Option<f32> {
        self.worker.progress()
    }

    /// Stops the running computation (its key is forgotten).
    pub fn cancel(&mut self) {
        self.worker.cancel();
        self.key = None;
    }
}

/// A progress bar with a Cancel button while `computed` runs; true when Cancel was clicked.
pub fn progress_row<K: PartialEq, T: Send + Sync + 'static>(
    ui: &mut egui::Ui,
    computed: &Computed<K, T>,
) -> bool {
    let Some(p) = computed.progress() else {
        return false;
    };
    ui.horizontal(|ui| {
        ui.add(
            egui::ProgressBar::new(p)
                .desired_width(160.0)
                .show_percentage(),
        );
        ui.button("Cancel").clicked()
    })
    .inner
}
