//! Every optimizer and schedule reproduces trajectories recorded from PyTorch (float64).
//!
//! Fixtures: tests/fixtures/torch_trajectories.json, made by tools/torch_fixtures.py.

mod common;

use std::sync::Arc;

use losscape::engine::objective::Objective;
use losscape::engine::optim::OptimizerState;
use losscape::engine::run::{Run, RunSettings};

#[derive(serde::Deserialize)]
struct Fixture {
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    objective: String,
    settings: RunSettings,
    rows: Vec<[f64; 3]>,
    /// ASGD only: torch's averaged parameters `ax` (w's, b's) at every row.
    #[serde(default)]
    ax: Option<Vec<[f64; 2]>>,
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-2)
}

#[test]
fn trajectories_match_pytorch() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/torch_trajectories.json"
    ))
    .expect("fixture file");
    let fixture: Fixture = serde_json::from_str(&text).expect("fixture parses");
    assert!(
        fixture.cases.len() >= 65,
        "every rule and schedule has a case"
    );
    let mut worst = 0.0f64;
    for case in &fixture.cases {
        let objective: Arc<dyn Objective> = match case.objective.as_str() {
            "bowl" => Arc::new(common::Bowl),
            "rosenbrock" => Arc::new(common::Rosenbrock),
            other => panic!("unknown objective {other}"),
        };
        let mut run = Run::new(objective, case.settings.clone()).expect("valid settings");
        run.run_to_end();
        let h = run.history();
        assert_eq!(h.len(), case.rows.len(), "{}: {}", case.name, run.status());
        if let Some(ax) = &case.ax {
            assert_eq!(ax.len(), case.rows.len(), "{}: ax rows", case.name);
        }
        for (t, row) in case.rows.iter().enumerate() {
            let [w, b] = h.params()[t];
            let lr = h.learning_rates()[t];
            let mut columns = vec![(w, row[0], "w"), (b, row[1], "b"), (lr, row[2], "lr")];
            if let Some(ax) = &case.ax {
                let Some(OptimizerState::Asgd { average, .. }) = run.state_at(t as u64) else {
                    panic!("{}: no ASGD state at iteration {t}", case.name);
                };
                columns.push((average[0], ax[t][0], "ax of w"));
                columns.push((average[1], ax[t][1], "ax of b"));
            }
            for (got, want, what) in columns {
                worst = worst.max((got - want).abs() / want.abs().max(1e-2));
                assert!(
                    close(got, want, 1e-12),
                    "{}: {what} at iteration {t}: {got} vs torch {want}",
                    case.name
                );
            }
        }
    }
    println!("largest relative difference from torch: {worst:e}");
}
