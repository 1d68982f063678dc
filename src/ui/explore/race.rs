//! The fair race: before the runs race, each visible run's learning rate is tuned (a log
//! grid, then a finer one around the best) to the lowest cost after the race's iterations,
//! so a winner does not win because another optimizer had a bad learning rate.

use std::sync::Arc;

use egui::RichText;

use crate::engine::explore::{Tuned, tune_learning_rate, tuned_settings};
use crate::engine::map::CellStatus;
use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::scenario::ExploreSettings;
use crate::engine::{Domain, Point};
use crate::ui::command::Command;
use crate::ui::view3d::ticks::format_number;

use super::computed::{Computed, progress_row};

/// A tuned run: its id, name, optimizer and the best rate found.
pub struct Entry {
    /// The run's id.
    pub id: u64,
    /// Its name.
    pub name: String,
    /// Its optimizer's name.
    pub optimizer: String,
    /// The tuned rate and the cost it reached.
    pub tuned: Tuned,
}

#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    runs: Vec<RunSettings>,
    iterations: u64,
}

/// The race's tuning job and its table.
pub struct Race {
    tuning: Computed<Key, Vec<Entry>>,
}

impl Race {
    /// Nothing tuned yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            tuning: Computed::new(ctx),
        }
    }

    /// Blocks until the tuning has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.tuning.wait();
    }

    /// The newest table (tests).
    pub fn entries(&self) -> Option<&[Entry]> {
        self.tuning.result.as_deref().map(Vec::as_slice)
    }

    /// The tab: iterations, "Tune learning rates", the table and "Race".
    #[allow(clippy::too_many_arguments)]
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        settings: &mut ExploreSettings,
        objective: &Arc<dyn Objective>,
        objective_version: u64,
        runs: &[RunSettings],
        minima: &[Point],
        domain: Domain,
        commands: &mut Vec<Command>,
    ) {
        self.tuning.poll();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("race over");
            ui.add(egui::DragValue::new(&mut settings.race_iterations).range(10..=100_000))
                .labelled_by(label.id);
            ui.label("iterations");
        });
        let visible: Vec<RunSettings> = runs.iter().filter(|r| r.visible).cloned().collect();
        let iterations = settings.race_iterations;
        if ui
            .button("Tune learning rates")
            .on_hover_text("for each visible run, the rate with the lowest cost after the race")
            .clicked()
        {
            self.tuning.invalidate();
            let key = Key {
                objective_version,
                runs: visible.clone(),
                iterations,
            };
            let (objective, minima) = (Arc::clone(objective), minima.to_vec());
            self.tuning.request(key, move |job| {
                let n = visible.len().max(1) as f32;
                let mut entries = Vec::new();
                for (i, run) in visible.iter().enumerate() {
                    let progress = |p: f32| job.set_progress((i as f32 + p) / n);
                    let tuned = tune_learning_rate(
                        Arc::clone(&objective),
                        run,
                        iterations,
                        &minima,
                        domain,
                        Some(job.cancel_flag()),
                        &progress,
                    )?;
                    entries.push(Entry {
                        id: run.id,
                        name: run.name.clone(),
                        optimizer: run.optimizer.kind().to_string(),
                        tuned,
                    });
                }
                entries.sort_by(|a, b| a.tuned.cost.total_cmp(&b.tuned.cost));
                Ok(entries)
            });
        }
        if progress_row(ui, &self.tuning) {
            self.tuning.cancel();
        }
        if let Some(e) = &self.tuning.error {
            crate::ui::panels::widgets::error_text(ui, e);
        }
        let Some(entries) = self.tuning.result.clone() else {
            ui.label(
                "Each optimizer gets the learning rate that suits it best on this problem \
                 before the race starts.",
            );
            return;
        };
        egui::Grid::new("race table")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for title in ["run", "optimizer", "best rate", "cost reached"] {
                    ui.label(RichText::new(title).strong());
                }
                ui.end_row();
                for e in entries.iter() {
                    ui.label(&e.name);
                    ui.label(&e.optimizer);
                    ui.label(format_number(e.tuned.learning_rate));
                    ui.label(match e.tuned.status {
                        CellStatus::Diverged => "diverged at every rate".to_owned(),
                        _ => format_number(e.tuned.cost),
                    });
                    ui.end_row();
                }
            });
        if ui.button("Race with these rates").clicked() {
            for e in entries.iter() {
                if let Some(run) = runs.iter().find(|r| r.id == e.id) {
                    commands.push(Command::ApplyRunSettings {
                        id: run.id,
                        settings: Box::new(tuned_settings(run, iterations, e.tuned.learning_rate)),
                    });
                }
            }
        }
    }
}
