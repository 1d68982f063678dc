//! The full-data cost of the learning curve: cheap problems record it at every iteration;
//! where one full evaluation costs many mini-batches it is recorded on a stride, so an epoch
//! costs a few times its mini-batch work, not m times.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use common::{LinearFit, Round};
use losscape::engine::data::Dataset;
use losscape::engine::objective::{DataFitObjective, Objective};
use losscape::engine::run::{FULL_COST_WORK_RATIO, Run, RunSettings, Status};
use losscape::engine::{Derivatives, Domain, Point};

/// A data fit whose full-data evaluations go through every example, counting the examples
/// that full evaluations and mini-batches touch.
struct Counting {
    fit: LinearFit,
    full_examples: AtomicUsize,
    batch_examples: AtomicUsize,
}

impl Counting {
    fn new(m: usize) -> Self {
        Self {
            fit: LinearFit::new(m),
            full_examples: AtomicUsize::new(0),
            batch_examples: AtomicUsize::new(0),
        }
    }
    fn full(&self) -> usize {
        self.full_examples.load(Ordering::Relaxed)
    }
    fn batch(&self) -> usize {
        self.batch_examples.load(Ordering::Relaxed)
    }
}

impl Objective for Counting {
    fn value(&self, p: Point) -> f64 {
        self.full_examples
            .fetch_add(self.fit.example_count(), Ordering::Relaxed);
        self.fit.value(p)
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        self.full_examples
            .fetch_add(self.fit.example_count(), Ordering::Relaxed);
        self.fit.value_gradient(p)
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        self.full_examples
            .fetch_add(self.fit.example_count(), Ordering::Relaxed);
        self.fit.derivatives(p)
    }
    fn example_count(&self) -> usize {
        self.fit.example_count()
    }
    fn batch_value_gradient(&self, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        self.batch_examples
            .fetch_add(examples.len(), Ordering::Relaxed);
        self.fit.batch_value_gradient(p, examples)
    }
    fn domain(&self) -> Domain {
        self.fit.domain()
    }
}

fn sgd(batch_size: usize) -> RunSettings {
    RunSettings {
        learning_rate: 0.01,
        batch_size: Some(batch_size),
        max_iterations: 10_000_000,
        max_epochs: Some(1),
        ..RunSettings::default()
    }
}

/// One epoch of batch-size-1 SGD on 10,000 examples: the full-data evaluations of the
/// learning curve cost at most a few times the epoch's own mini-batch work (before: one full
/// pass per iteration, 10,000 times the work).
#[test]
fn an_epoch_of_batch_size_one_costs_a_few_epochs_of_work_not_m() {
    let objective = Arc::new(Counting::new(10_000));
    let mut run = Run::new(objective.clone(), sgd(1)).expect("valid");
    run.run_to_end();
    assert_eq!(run.iteration(), 10_000);
    assert_eq!(objective.batch(), 10_000);
    assert!(
        objective.full() <= 6 * objective.batch(),
        "full-data work {} for mini-batch work {}",
        objective.full(),
        objective.batch()
    );
}

/// The same fit, but claiming its full-data evaluation is free (as the mse fast path's is):
/// it records the full cost on every row, the reference for strided runs.
struct Cheap(LinearFit);

impl Objective for Cheap {
    fn value(&self, p: Point) -> f64 {
        self.0.value(p)
    }
    fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
        self.0.value_gradient(p)
    }
    fn derivatives(&self, p: Point) -> Derivatives {
        self.0.derivatives(p)
    }
    fn example_count(&self) -> usize {
        self.0.example_count()
    }
    fn full_evaluation_examples(&self) -> usize {
        0
    }
    fn batch_value_gradient(&self, p: Point, examples: &[usize]) -> (f64, [f64; 2]) {
        self.0.batch_value_gradient(p, examples)
    }
    fn domain(&self) -> Domain {
        self.0.domain()
    }
}

fn run(objective: Arc<dyn Objective>, settings: RunSettings) -> Run {
    let mut run = Run::new(objective, settings.clone()).expect("valid settings");
    run.run_to_end();
    run
}

fn line(m: usize) -> Arc<Dataset> {
    let x: Vec<f64> = (0..m).map(|i| i as f64 / m as f64 * 4.0 - 2.0).collect();
    let y = x
        .iter()
        .enumerate()
        .map(|(i, &x)| 2.0 * x + 1.0 + 0.1 * ((i % 7) as f64 - 3.0))
        .collect();
    Arc::new(Dataset { x, y })
}

/// Function problems and fits on the mse fast path record the full cost on every row, even
/// at batch size 1; the same data fitted by mae records it every ceil(m / 4) rows.
#[test]
fn cheap_full_costs_stay_on_every_row() {
    let steps = RunSettings {
        max_epochs: None,
        max_iterations: 300,
        ..sgd(1)
    };
    let function = run(Arc::new(Round), steps.clone());
    let data = line(10_000);
    let mse = DataFitObjective::new(data.clone(), "w*x + b", "mse", None).expect("compiles");
    assert!(mse.uses_sufficient_statistics());
    let mse = run(Arc::new(mse), steps.clone());
    for r in [&function, &mse] {
        let h = r.history();
        assert_eq!(h.full_cost_stride(), 1);
        assert_eq!(h.len(), 301);
        assert!((0..h.len()).all(|t| h.has_full_cost(t) && h.costs()[t].is_finite()));
    }
    let mae = DataFitObjective::new(data, "w*x + b", "mae", None).expect("compiles");
    let mae = run(Arc::new(mae), steps.clone());
    assert_eq!(mae.history().full_cost_stride(), 2500);
    // A batch of at least m / 4 examples costs as much as the full evaluation: every row.
    let fit = run(Arc::new(LinearFit::new(1000)), sgd(250));
    assert_eq!(fit.history().full_cost_stride(), 1);
}

/// m = 1000 and B = 3: 334 iterations per epoch and a stride of ceil(1000 / 12) = 84. The
/// rows on the stride, at the end of each epoch and the last one hold exactly J and its
/// gradient there; the others NaN, shown as empty CSV fields.
#[test]
fn strided_rows_hold_the_exact_full_cost() {
    let objective = Arc::new(LinearFit::new(1000));
    let settings = RunSettings {
        max_epochs: None,
        max_iterations: 700,
        ..sgd(3)
    };
    let r = run(objective.clone(), settings.clone());
    let h = r.history();
    assert_eq!(FULL_COST_WORK_RATIO, 4);
    assert_eq!(h.full_cost_stride(), 84);
    assert_eq!(r.iterations_per_epoch(), 334);
    assert_eq!(r.status(), Status::ReachedLimit { iteration: 700 });
    for t in 0..h.len() {
        let expected = t.is_multiple_of(84) || t.is_multiple_of(334) || t == 700;
        assert_eq!(h.has_full_cost(t), expected, "row {t}");
        let row = h.get(t).expect("row");
        assert_eq!(row.has_full_cost, expected);
        let fields = row.csv_fields();
        if expected {
            let (cost, gradient) = objective.value_gradient(h.params()[t]);
            assert_eq!(h.costs()[t].to_bits(), cost.to_bits(), "row {t}");
            assert_eq!(h.gradients()[t], gradient, "row {t}");
            assert_eq!(fields[4].parse::<f64>().expect("a number"), cost);
        } else {
            assert!(h.costs()[t].is_nan() && h.gradients()[t].iter().all(|g| g.is_nan()));
            assert_eq!(&fields[4..7], ["", "", ""], "row {t}");
        }
        assert!(h.batch_costs()[t].is_finite() || t == 0);
    }
    assert_eq!(r.cost(), h.costs()[700]);
    assert!(!h.has_full_cost(701));
}

/// A strided run is deterministic, and one extended past the limit it stopped at (off the
/// stride) continues into exactly the history of the longer run: the stopping row's extra
/// full cost is dropped, since the longer run never computed it.
#[test]
fn strided_runs_extend_into_the_longer_run() {
    let settings = RunSettings {
        seed: 3,
        max_epochs: None,
        max_iterations: 700,
        ..sgd(3)
    };
    let mut short = Run::new(Arc::new(LinearFit::new(1000)), settings.clone()).expect("valid");
    short.run_to_end();
    assert!(short.history().has_full_cost(700));
    let again = run(Arc::new(LinearFit::new(1000)), settings.clone());
    assert!(again.history().bit_identical(short.history()));
    short.extend(300);
    assert!(!short.history().has_full_cost(700));
    short.run_to_end();
    let long = run(
        Arc::new(LinearFit::new(1000)),
        RunSettings {
            max_iterations: 1000,
            ..settings.clone()
        },
    );
    assert!(short.history().bit_identical(long.history()));
    assert!(long.history().has_full_cost(1000));
}

/// The convergence rules read the rows with a full cost: the gradient rule stops at the first
/// such row where |grad J| < tol, the epsilon rule at the first such row whose J differs from
/// the previous such row's by less than epsilon.
#[test]
fn convergence_rules_read_the_rows_with_a_full_cost() {
    let base = RunSettings {
        learning_rate: 0.02,
        max_epochs: None,
        max_iterations: 100_000,
        ..sgd(3)
    };
    let full_rows = |r: &Run| -> Vec<usize> {
        let h = r.history();
        (0..h.len()).filter(|&t| h.has_full_cost(t)).collect()
    };
    let r = run(
        Arc::new(LinearFit::new(1000)),
        RunSettings {
            grad_tol: Some(0.05),
            ..base.clone()
        },
    );
    let Status::Converged { iteration, .. } = r.status() else {
        panic!("{}", r.status())
    };
    let h = r.history();
    assert!(h.full_cost_stride() > 1 && h.has_full_cost(iteration as usize));
    let norm = |t: usize| h.gradients()[t][0].hypot(h.gradients()[t][1]);
    let rows = full_rows(&r);
    assert_eq!(rows.last(), Some(&(iteration as usize)));
    assert!(norm(iteration as usize) < 0.05);
    assert!(rows[..rows.len() - 1].iter().all(|&t| norm(t) >= 0.05));

    let r = run(
        Arc::new(LinearFit::new(1000)),
        RunSettings {
            epsilon: Some(1e-3),
            ..base.clone()
        },
    );
    let Status::Converged { iteration, .. } = r.status() else {
        panic!("{}", r.status())
    };
    let c = r.history().costs();
    let rows = full_rows(&r);
    assert_eq!(rows.last(), Some(&(iteration as usize)));
    let changes: Vec<f64> = rows.windows(2).map(|w| (c[w[1]] - c[w[0]]).abs()).collect();
    let (last, before) = changes.split_last().expect("two full rows");
    assert!(*last < 1e-3, "{changes:?}");
    assert!(before.iter().all(|d| *d >= 1e-3), "{changes:?}");
}

/// Divergence is reported at the same iteration and for the same reason whether the full
/// cost is recorded on every row or on a stride (the parameters are checked on every row).
#[test]
fn divergence_is_found_at_the_same_iteration_on_a_stride() {
    let settings = RunSettings {
        learning_rate: 3.0,
        max_epochs: None,
        max_iterations: 100_000,
        ..sgd(3)
    };
    let strided = run(Arc::new(LinearFit::new(1000)), settings.clone());
    let every = run(Arc::new(Cheap(LinearFit::new(1000))), settings.clone());
    assert!(strided.history().full_cost_stride() > 1);
    assert_eq!(every.history().full_cost_stride(), 1);
    assert!(
        matches!(strided.status(), Status::Diverged { .. }),
        "{}",
        strided.status()
    );
    assert_eq!(strided.status(), every.status());
    let t = strided.iteration() as usize;
    assert!(
        !t.is_multiple_of(84),
        "the divergence row is off the stride"
    );
    assert!(strided.history().has_full_cost(t));
    assert_eq!(strided.history().params(), every.history().params());
}

/// `losscape run` prints every row; rows without a full cost have empty cost and gradient
/// fields (mae on 100 examples, batch size 1: every 25th row and the epoch's end have them).
#[test]
fn the_cli_leaves_cost_fields_empty_off_the_stride() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("line.csv");
    let mut text = String::from("x,y\n");
    for i in 0..100 {
        let x = i as f64 / 50.0;
        text.push_str(&format!("{x},{}\n", 3.0 * x - 1.0));
    }
    std::fs::write(&path, text).expect("write data");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_losscape"))
        .args(["run", "--dataset", path.to_str().expect("utf-8 path")])
        .args(["--loss", "mae", "--optimizer", "sgd", "--lr", "0.01"])
        .args(["--batch-size", "1", "--epochs", "1"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let csv = String::from_utf8(out.stdout).expect("utf-8");
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(rows.len(), 101);
    for (t, row) in rows.iter().enumerate() {
        assert_eq!(row.len(), 8, "{row:?}");
        let has = t.is_multiple_of(25);
        for field in &row[4..7] {
            assert_eq!(field.parse::<f64>().is_ok(), has, "row {t}: {row:?}");
            assert_eq!(field.is_empty(), !has, "row {t}: {row:?}");
        }
        assert!(row[2].parse::<f64>().is_ok() && row[7].parse::<f64>().is_ok());
    }
}
