//! Background jobs: heavy work (surfaces, long re-simulations) runs on its own thread so the
//! UI never waits for it. Each submission bumps a generation counter; results of older
//! generations are dropped, and a running job can check whether it is still wanted.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

enum Message<T> {
    /// A result (possibly a coarse one, with finer ones to follow).
    Result(u64, T),
    /// The job of this generation has returned.
    Done(u64),
}

/// Runs one kind of job in the background, keeping only the newest job's results.
pub struct Worker<T: Send + 'static> {
    /// Generation of the newest submitted job.
    latest: Arc<AtomicU64>,
    /// Progress of the newest job in thousandths.
    progress: Arc<AtomicU32>,
    sender: Sender<Message<T>>,
    receiver: Receiver<Message<T>>,
    /// Generation whose `Done` has been seen.
    finished: u64,
    repaint: Option<egui::Context>,
    /// Set when the newest job is superseded (engine loops poll it to stop early).
    cancel: Arc<AtomicBool>,
}

/// What a running job sees: it reports progress and results, and asks whether it is stale.
pub struct Job<T: Send + 'static> {
    generation: u64,
    latest: Arc<AtomicU64>,
    progress: Arc<AtomicU32>,
    sender: Sender<Message<T>>,
    repaint: Option<egui::Context>,
    cancel: Arc<AtomicBool>,
}

impl<T: Send + 'static> Job<T> {
    /// A flag that becomes true when this job is superseded, for engine loops that can stop
    /// early (e.g. `GridSampler::cancel_flag`).
    pub fn cancel_flag(&self) -> &AtomicBool {
        &self.cancel
    }

    /// True when a newer job has been submitted: this one should stop early.
    pub fn is_stale(&self) -> bool {
        self.latest.load(Ordering::Relaxed) != self.generation
    }

    /// Reports progress in `[0, 1]`.
    pub fn set_progress(&self, fraction: f32) {
        if !self.is_stale() {
            let thousandths = (fraction.clamp(0.0, 1.0) * 1000.0) as u32;
            self.progress.store(thousandths, Ordering::Relaxed);
        }
    }

    /// Hands a result to the UI (a coarse preview or the final one).
    pub fn emit(&self, result: T) {
        if !self.is_stale() {
            let _ = self.sender.send(Message::Result(self.generation, result));
            if let Some(ctx) = &self.repaint {
                ctx.request_repaint();
            }
        }
    }
}

impl<T: Send + 'static> Worker<T> {
    /// A worker that wakes the UI through `repaint` (if any) when results arrive.
    pub fn new(repaint: Option<egui::Context>) -> Self {
        let (sender, receiver) = channel();
        Self {
            latest: Arc::new(AtomicU64::new(0)),
            progress: Arc::new(AtomicU32::new(0)),
            sender,
            receiver,
            finished: 0,
            repaint,
            cancel: Arc::new(AtomicBool::new(false)),
        }
    }

    /// Starts `work` on a new thread; any older job becomes stale. Returns its generation.
    pub fn submit(&mut self, work: impl FnOnce(&Job<T>) + Send + 'static) -> u64 {
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        self.progress.store(0, Ordering::Relaxed);
        self.cancel.store(true, Ordering::Relaxed);
        self.cancel = Arc::new(AtomicBool::new(false));
        let job = Job {
            cancel: Arc::clone(&self.cancel),
            generation,
            latest: Arc::clone(&self.latest),
            progress: Arc::clone(&self.progress),
            sender: self.sender.clone(),
            repaint: self.repaint.clone(),
        };
        let spawned = std::thread::Builder::new()
            .name("losscape-worker".into())
            .spawn(move || {
                work(&job);
                let _ = job.sender.send(Message::Done(job.generation));
                if let Some(ctx) = &job.repaint {
                    ctx.request_repaint();
                }
            });
        if spawned.is_err() {
            // No thread could be started: report the job as finished with no result
            // rather than waiting forever.
            self.finished = generation;
        }
        generation
    }

    /// Stops the newest job: it sees it is stale, and nothing it still sends is kept.
    pub fn cancel(&mut self) {
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        self.cancel.store(true, Ordering::Relaxed);
        self.finished = generation;
    }

    /// The newest result of the newest job that arrived since the last call, if any.
    pub fn poll(&mut self) -> Option<T> {
        let mut newest = None;
        while let Ok(message) = self.receiver.try_recv() {
            self.take(message, &mut newest);
        }
        newest
    }

    fn take(&mut self, message: Message<T>, newest: &mut Option<T>) {
        let latest = self.latest.load(Ordering::Relaxed);
        match message {
            Message::Result(generation, result) if generation == latest => *newest = Some(result),
            Message::Result(..) => {}
            Message::Done(generation) => self.finished = self.finished.max(generation),
        }
    }

    /// True while the newest job is still running.
    pub fn is_busy(&self) -> bool {
        self.finished < self.latest.load(Ordering::Relaxed)
    }

    /// Progress of the newest job in `[0, 1]`, or `None` when idle.
    pub fn progress(&self) -> Option<f32> {
        self.is_busy()
            .then(|| self.progress.load(Ordering::Relaxed) as f32 / 1000.0)
    }

    /// Blocks until the newest job has finished and returns its last result (if any arrived
    /// since the last poll). For tests and `--screenshot`; the app itself never waits.
    pub fn wait(&mut self) -> Option<T> {
        let mut newest = None;
        while self.is_busy() {
            match self.receiver.recv() {
                Ok(message) => self.take(message, &mut newest),
                Err(_) => break,
            }
        }
        if let Some(later) = self.poll() {
            newest = Some(later);
        }
        newest
    }
}

impl<T: Send + 'static> Drop for Worker<T> {
    /// Nobody will read the results: a running job sees it is stale and stops early.
    fn drop(&mut self) {
        self.latest.fetch_add(1, Ordering::Relaxed);
        self.cancel.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Only the newest job's results reach the UI; an older job sees it is stale.
    #[test]
    fn stale_results_are_dropped() {
        let mut worker: Worker<u32> = Worker::new(None);
        let (go_tx, go_rx) = channel::<()>();
        let (seen_tx, seen_rx) = channel::<bool>();
        worker.submit(move |job| {
            let _ = go_rx.recv();
            job.emit(1);
            let _ = seen_tx.send(job.is_stale() && job.cancel_flag().load(Ordering::Relaxed));
        });
        worker.submit(|job| {
            job.emit(2);
            job.set_progress(1.0);
        });
        let _ = go_tx.send(());
        assert_eq!(seen_rx.recv().ok(), Some(true));
        assert_eq!(worker.wait(), Some(2));
        assert!(!worker.is_busy());
        assert_eq!(worker.poll(), None);
    }

    // Coarse-then-fine: the last emitted result wins, progress ends idle.
    #[test]
    fn several_results_per_job() {
        let mut worker: Worker<&'static str> = Worker::new(None);
        worker.submit(|job| {
            job.emit("coarse");
            job.set_progress(0.5);
            job.emit("fine");
        });
        assert_eq!(worker.wait(), Some("fine"));
        assert_eq!(worker.progress(), None);
    }
}
