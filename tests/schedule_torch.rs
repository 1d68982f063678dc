//! Every learning-rate schedule gives torch's rates (float64) to 1e-12 relative: alone, fed
//! a made-up cost sequence where it reads the cost, and inside whole runs.
//!
//! Fixtures: tests/fixtures/torch_schedules.json, made by tools/torch_schedules.py.

mod common;

use std::sync::Arc;

use losscape::engine::objective::Objective;
use losscape::engine::run::{Run, RunSettings, Schedule, Scheduler};

#[derive(serde::Deserialize)]
struct Fixture {
    sequences: Vec<Sequence>,
    runs: Vec<RunCase>,
}

#[derive(serde::Deserialize)]
struct Sequence {
    name: String,
    schedule: Schedule,
    learning_rate: f64,
    costs: Option<Vec<f64>>,
    rates: Vec<Exact>,
}

#[derive(serde::Deserialize)]
struct RunCase {
    name: String,
    objective: String,
    settings: RunSettings,
    rows: Vec<[Exact; 3]>,
}

/// A number recorded as text (Python's shortest round-trip form), read to the nearest
/// double (serde_json's own number reading may be one unit in the last place off).
#[derive(serde::Deserialize)]
#[serde(try_from = "String")]
struct Exact(f64);

impl TryFrom<String> for Exact {
    type Error = std::num::ParseFloatError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse().map(Exact)
    }
}

fn fixture() -> Fixture {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/torch_schedules.json"
    ))
    .expect("fixture file");
    serde_json::from_str(&text).expect("fixture parses")
}

/// |got - want| relative to |want| (absolute below 1e-300, where both are 0).
fn relative(got: f64, want: f64) -> f64 {
    if got == want {
        0.0
    } else {
        (got - want).abs() / want.abs().max(1e-300)
    }
}

const TOLERANCE: f64 = 1e-12;

#[test]
fn every_schedule_gives_torchs_rates() {
    let fixture = fixture();
    let kinds: std::collections::BTreeSet<&str> = fixture
        .sequences
        .iter()
        .map(|s| s.schedule.label())
        .collect();
    assert_eq!(
        kinds.len(),
        Schedule::choices().len() - 1,
        "every schedule but the constant one has a case: {kinds:?}"
    );
    let mut worst = (0.0f64, "");
    for case in &fixture.sequences {
        case.schedule
            .validate()
            .unwrap_or_else(|e| panic!("{}: {e}", case.name));
        let mut scheduler = Scheduler::new(case.schedule.clone(), case.learning_rate);
        let mut got = vec![scheduler.learning_rate()];
        for t in 1..case.rates.len() {
            let cost = case.costs.as_ref().map_or(f64::NAN, |c| c[t - 1]);
            scheduler.step(cost);
            got.push(scheduler.learning_rate());
        }
        for (t, (&g, &Exact(w))) in got.iter().zip(&case.rates).enumerate() {
            let d = relative(g, w);
            if d > worst.0 {
                worst = (d, &case.name);
            }
            assert!(
                d <= TOLERANCE,
                "{}: lr after {t} steps: {g} vs torch {w}",
                case.name
            );
        }
    }
    println!(
        "largest relative difference of a rate from torch: {:e} ({})",
        worst.0, worst.1
    );
}

#[test]
fn whole_runs_match_torch() {
    let fixture = fixture();
    assert!(fixture.runs.len() >= 2);
    let mut worst = (0.0f64, "");
    for case in &fixture.runs {
        let objective: Arc<dyn Objective> = match case.objective.as_str() {
            "bowl" => Arc::new(common::Bowl),
            "rosenbrock" => Arc::new(common::Rosenbrock),
            other => panic!("unknown objective {other}"),
        };
        let mut run = Run::new(objective, case.settings.clone()).expect("valid settings");
        run.run_to_end();
        let h = run.history();
        assert_eq!(h.len(), case.rows.len(), "{}: {}", case.name, run.status());
        for (t, row) in case.rows.iter().enumerate() {
            let [w, b] = h.params()[t];
            let lr = h.learning_rates()[t];
            for (got, want, what) in [(w, &row[0], "w"), (b, &row[1], "b"), (lr, &row[2], "lr")] {
                let want = want.0;
                let d = relative(got, want);
                if d > worst.0 {
                    worst = (d, &case.name);
                }
                assert!(
                    d <= TOLERANCE,
                    "{}: {what} at iteration {t}: {got} vs torch {want}",
                    case.name
                );
            }
        }
        // The plateau runs do reduce the rate (else they would test little).
        if case.settings.schedule.needs_cost() {
            let rates = h.learning_rates();
            assert!(rates.last() < rates.first(), "{}", case.name);
        }
    }
    println!(
        "largest relative difference of a run from torch: {:e} ({})",
        worst.0, worst.1
    );
}

// Beyond `total_steps`, where torch stops with an error, a one-cycle rate stays at its final
// rate max_lr / div_factor / final_div_factor, and a run goes on.
#[test]
fn one_cycle_beyond_its_steps_keeps_the_final_rate() {
    let schedule: Schedule = "onecycle:0.1:10:0.3:linear:25:100".parse().expect("valid");
    let rates = schedule.preview(0.5, 30);
    assert_eq!(rates[0], 0.1 / 25.0);
    for &r in &rates[11..] {
        assert_eq!(r, 0.1 / 25.0 / 100.0);
    }
    let settings = RunSettings {
        learning_rate: 0.05,
        schedule,
        max_iterations: 40,
        ..RunSettings::default()
    };
    let mut run = Run::new(Arc::new(common::Bowl), settings).expect("valid");
    run.run_to_end();
    assert_eq!(run.iteration(), 40);
    assert!(run.params().iter().all(|p| p.is_finite()));
}

// A plateau schedule's preview cannot know the costs: it stays at the run's rate.
#[test]
fn a_plateau_preview_is_flat() {
    let schedule: Schedule = "plateau:0.5:0".parse().expect("valid");
    assert_eq!(schedule.preview(0.2, 5), vec![0.2; 6]);
}

// A plateau schedule on mini-batches reads the full-data cost at the point each update
// started from, so the run computes it after every update.
#[test]
fn a_plateau_schedule_reads_the_full_data_cost() {
    let settings = |schedule: &str| RunSettings {
        learning_rate: 0.02,
        batch_size: Some(5),
        schedule: schedule.parse().expect("valid"),
        max_iterations: 120,
        ..RunSettings::default()
    };
    let fit = || Arc::new(common::LinearFit::new(100));
    let mut plain = Run::new(fit(), settings("constant")).expect("valid");
    plain.run_to_end();
    assert!(plain.history().full_cost_stride() > 1);
    let schedule = "plateau:0.5:1:0.05";
    let mut run = Run::new(fit(), settings(schedule)).expect("valid");
    run.run_to_end();
    let h = run.history();
    assert_eq!(h.full_cost_stride(), 1);
    let mut scheduler = Scheduler::new(schedule.parse().expect("valid"), 0.02);
    for t in 0..h.len() - 1 {
        assert_eq!(h.learning_rates()[t], scheduler.learning_rate(), "row {t}");
        let cost = h.costs()[t];
        assert!(cost.is_finite(), "row {t}");
        scheduler.step(cost);
    }
    assert!(scheduler.learning_rate() < 0.02, "the rate was lowered");
}

// A map job's lockstep lanes step the new schedules as a single run does (the plateau one
// fed each lane's cost), so every cell equals its single run bit for bit.
#[test]
fn map_cells_with_these_schedules_are_single_runs() {
    use losscape::engine::Domain;
    use losscape::engine::map::{Axis, MapJob};
    use losscape::engine::objective::FunctionObjective;
    let objective: Arc<dyn Objective> =
        Arc::new(FunctionObjective::new("(w^2 + b - 11)^2 + (w + b^2 - 7)^2").expect("compiles"));
    for schedule in [
        "plateau:0.5:2:0.001:1",
        "onecycle:0.02:150",
        "warmup:20:cosine:100",
        "cyclic:0.001:0.02:15:5:triangular2",
    ] {
        let base = RunSettings {
            learning_rate: 0.01,
            schedule: schedule.parse().expect("valid"),
            epsilon: Some(1e-9),
            max_iterations: 200,
            ..RunSettings::default()
        };
        let x = Axis::parse("w0:-5:5", 9).expect("axis");
        let y = Axis::parse("lr:0.001:0.02", 7).expect("axis");
        let job = MapJob::new(
            objective.clone(),
            base,
            x,
            Some(y),
            vec![[3.0, 2.0]],
            Domain::new(-5.0, 5.0, -5.0, 5.0),
        )
        .expect("job");
        assert!(job.runs_in_lockstep());
        for (cell, outcome) in job.run().iter().enumerate() {
            let (x, y) = job.cell_values(cell);
            let single = job.run_cell(x, y).expect("cell");
            assert_eq!(
                (outcome.iterations, outcome.w.to_bits(), outcome.b.to_bits()),
                (single.iterations, single.w.to_bits(), single.b.to_bits()),
                "{schedule} at ({x}, {y:?})"
            );
        }
    }
}
