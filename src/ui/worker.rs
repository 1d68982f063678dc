//! Background jobs: heavy work (surfaces, long re-simulations) runs on its own thread so the
//! UI never waits for it. Each submission bumps a generation counter; results of older
//! generations are dropped, and a running job can check whether it is still wanted.
//!
//! A page has no threads: in the browser build a job waits for the next frame and runs
//! there, at most one job per [`WEB_SLICE`] so that a burst of jobs is spread over frames
//! and the page keeps painting between them; workers kept waiting go before the worker
//! that ran last, so a long map cannot hold up the others. Long work cuts itself into slices with
//! [`Job::then`]: on the desktop the slices run one after another on the job's thread, in
//! the browser each in a later frame.

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
    /// The browser build's submitted job (or its next slice), run by the next poll.
    #[cfg(target_arch = "wasm32")]
    pending: Option<(Job<T>, Work<T>)>,
    /// The browser build: this worker's number among the page's workers.
    #[cfg(target_arch = "wasm32")]
    id: u64,
    /// The browser build: its pending job was put off and has a turn to come.
    #[cfg(target_arch = "wasm32")]
    waiting: bool,
}

/// A job's work, or one slice of it.
type Work<T> = Box<dyn FnOnce(&Job<T>) + Send + 'static>;

/// In the browser build, the least time between two jobs run on the page.
#[cfg(target_arch = "wasm32")]
pub const WEB_SLICE: std::time::Duration = std::time::Duration::from_millis(12);

#[cfg(target_arch = "wasm32")]
thread_local! {
    /// When the page last finished a job.
    static LAST_JOB: std::cell::Cell<Option<web_time::Instant>> = const { std::cell::Cell::new(None) };
    /// The worker that ran it.
    static LAST_RUNNER: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    /// Workers whose pending job was put off.
    static WAITING: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    /// The number the next worker gets.
    static NEXT_ID: std::cell::Cell<u64> = const { std::cell::Cell::new(1) };
}

/// What a running job sees: it reports progress and results, and asks whether it is stale.
pub struct Job<T: Send + 'static> {
    generation: u64,
    latest: Arc<AtomicU64>,
    progress: Arc<AtomicU32>,
    sender: Sender<Message<T>>,
    repaint: Option<egui::Context>,
    cancel: Arc<AtomicBool>,
    /// The slice to run after this one (see [`Job::then`]).
    next: std::sync::Mutex<Option<Work<T>>>,
}

impl<T: Send + 'static> Job<T> {
    /// Runs `next` after the current slice of work returns (unless the job is stale by
    /// then): long work cut into slices, so that the browser build can draw frames between
    /// them. The job is finished after its last slice.
    pub fn then(&self, next: impl FnOnce(&Job<T>) + Send + 'static) {
        let mut slot = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *slot = Some(Box::new(next));
    }

    fn take_next(&self) -> Option<Work<T>> {
        let next = self
            .next
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        next.filter(|_| !self.is_stale())
    }

    /// Reports that the job has finished (after its last slice).
    fn finish(&self) {
        let _ = self.sender.send(Message::Done(self.generation));
        if let Some(ctx) = &self.repaint {
            ctx.request_repaint();
        }
    }

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
            #[cfg(target_arch = "wasm32")]
            pending: None,
            #[cfg(target_arch = "wasm32")]
            id: NEXT_ID.replace(NEXT_ID.get() + 1),
            #[cfg(target_arch = "wasm32")]
            waiting: false,
        }
    }

    /// Starts `work` on a new thread (in the browser: on the next frame); any older job
    /// becomes stale. Returns its generation.
    pub fn submit(&mut self, work: impl FnOnce(&Job<T>) + Send + 'static) -> u64 {
        let job = self.next_job();
        let generation = job.generation;
        let work: Work<T> = Box::new(work);
        #[cfg(not(target_arch = "wasm32"))]
        if std::thread::Builder::new()
            .name("losscape-worker".into())
            .spawn(move || {
                let mut work = work;
                loop {
                    work(&job);
                    match job.take_next() {
                        Some(next) => work = next,
                        None => break,
                    }
                }
                job.finish();
            })
            .is_err()
        {
            // No thread could be started: report the job as finished with no result
            // rather than waiting forever.
            self.finished = generation;
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.pending = Some((job, work));
            if let Some(ctx) = &self.repaint {
                ctx.request_repaint();
            }
        }
        generation
    }

    /// A new generation: any older job becomes stale (its cancel flag is set).
    fn next_job(&mut self) -> Job<T> {
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        self.progress.store(0, Ordering::Relaxed);
        self.cancel.store(true, Ordering::Relaxed);
        self.cancel = Arc::new(AtomicBool::new(false));
        Job {
            cancel: Arc::clone(&self.cancel),
            generation,
            latest: Arc::clone(&self.latest),
            progress: Arc::clone(&self.progress),
            sender: self.sender.clone(),
            repaint: self.repaint.clone(),
            next: std::sync::Mutex::new(None),
        }
    }

    /// Stops the newest job: it sees it is stale, and nothing it still sends is kept.
    pub fn cancel(&mut self) {
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        self.cancel.store(true, Ordering::Relaxed);
        self.finished = generation;
        #[cfg(target_arch = "wasm32")]
        {
            self.pending = None;
            self.stop_waiting();
        }
    }

    /// The browser build: this worker no longer waits for a turn.
    #[cfg(target_arch = "wasm32")]
    fn stop_waiting(&mut self) {
        if std::mem::take(&mut self.waiting) {
            WAITING.set(WAITING.get().saturating_sub(1));
        }
    }

    /// The browser build: runs the submitted job now, unless another job ran on the page
    /// within the last [`WEB_SLICE`] or it is another worker's turn (then a later frame runs
    /// it). `force` runs it anyway.
    #[cfg(target_arch = "wasm32")]
    fn run_pending(&mut self, force: bool) {
        if self.pending.is_none() {
            return;
        }
        let now = web_time::Instant::now();
        let gate_open = LAST_JOB
            .get()
            .is_none_or(|t| now.duration_since(t) >= WEB_SLICE);
        // The worker that ran last goes after those kept waiting.
        let my_turn = self.waiting || WAITING.get() == 0 || LAST_RUNNER.get() != self.id;
        let runs = force || (gate_open && my_turn);
        if !runs {
            if !self.waiting {
                self.waiting = true;
                WAITING.set(WAITING.get() + 1);
            }
            if let Some(ctx) = &self.repaint {
                ctx.request_repaint();
            }
            return;
        }
        self.stop_waiting();
        LAST_RUNNER.set(self.id);
        if let Some((job, work)) = self.pending.take() {
            work(&job);
            match job.take_next() {
                Some(next) => {
                    self.pending = Some((job, next));
                    if let Some(ctx) = &self.repaint {
                        ctx.request_repaint();
                    }
                }
                None => job.finish(),
            }
        }
        LAST_JOB.set(Some(web_time::Instant::now()));
    }

    /// The browser build: starts `work`, a future that may wait for the person (a file
    /// picker), on the page; it reports through its [`Job`] like a threaded job.
    #[cfg(target_arch = "wasm32")]
    pub fn submit_async<F>(&mut self, work: impl FnOnce(Job<T>) -> F)
    where
        F: std::future::Future<Output = Job<T>> + 'static,
    {
        self.pending = None;
        self.stop_waiting();
        let future = work(self.next_job());
        wasm_bindgen_futures::spawn_local(async move {
            future.await.finish();
        });
    }

    /// The newest result of the newest job that arrived since the last call, if any.
    pub fn poll(&mut self) -> Option<T> {
        #[cfg(target_arch = "wasm32")]
        self.run_pending(false);
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
        // A page cannot block: a job waiting for the person goes on after this returns.
        #[cfg(target_arch = "wasm32")]
        {
            while self.pending.is_some() {
                self.run_pending(true);
            }
            return self.poll();
        }
        #[allow(unreachable_code)]
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
        #[cfg(target_arch = "wasm32")]
        self.stop_waiting();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A job cut into slices with `then` runs them in order and finishes after the last; a
    // superseded job's next slice never runs.
    #[test]
    fn slices_run_in_order_until_stale() {
        fn count(n: u32, job: &Job<u32>) {
            job.emit(n);
            if n < 5 {
                job.then(move |job| count(n + 1, job));
            }
        }
        let mut worker: Worker<u32> = Worker::new(None);
        worker.submit(|job| count(1, job));
        assert_eq!(worker.wait(), Some(5));
        assert!(!worker.is_busy());

        let (go_tx, go_rx) = channel::<()>();
        let (ran_tx, ran_rx) = channel::<u32>();
        worker.submit(move |job| {
            let _ = go_rx.recv();
            job.then(move |_| {
                let _ = ran_tx.send(1);
            });
        });
        worker.submit(|job| job.emit(7));
        let _ = go_tx.send(());
        assert_eq!(worker.wait(), Some(7));
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert!(ran_rx.try_recv().is_err(), "the stale job's next slice ran");
    }

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
