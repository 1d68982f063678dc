//! Seeds: the same stochastic run (mini-batches, gradient noise or a random start) with K
//! seeds. Their paths are drawn faintly on the contour map with their current points as a
//! cloud; here, the cost's median with a 10-90% band and the share of seeds reaching each
//! minimum.

use std::sync::Arc;

use egui::{Color32, RichText};
use egui_plot::{Line, Plot, PlotPoints, Polygon};

use crate::engine::explore::{Ensemble, ensemble, is_stochastic, seed_odds};
use crate::engine::run::RunSettings;
use crate::engine::scenario::SEEDS_RANGE;
use crate::engine::{Domain, Point};
use crate::ui::command::Command;
use crate::ui::view3d::ticks::format_number;

use super::RunInput;
use super::computed::{Computed, progress_row};

#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    run: RunSettings,
    seeds: usize,
    minima: Vec<Point>,
    domain: Domain,
}

/// The ensemble of the selected run.
pub struct Seeds {
    ensemble: Computed<Key, Ensemble>,
}

impl Seeds {
    /// Nothing computed yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            ensemble: Computed::new(ctx),
        }
    }

    /// Blocks until the ensemble has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.ensemble.wait();
    }

    /// The newest ensemble, if the run is stochastic.
    pub fn ensemble(&self) -> Option<Arc<Ensemble>> {
        self.ensemble.result.clone()
    }

    /// Computes the ensemble when its inputs changed (a run without randomness has none).
    pub fn request(&mut self, input: &RunInput<'_>) {
        if !is_stochastic(input.run, input.objective.as_ref()) {
            self.ensemble.cancel();
            self.ensemble.result = None;
            return;
        }
        let mut run = input.run.clone();
        (run.id, run.color, run.visible) = (0, None, true);
        let key = Key {
            objective_version: input.objective_version,
            run: run.clone(),
            seeds: input.settings.seeds,
            minima: input.minima.to_vec(),
            domain: input.domain,
        };
        let objective = Arc::clone(input.objective);
        let (seeds, minima, domain) = (input.settings.seeds, input.minima.to_vec(), input.domain);
        self.ensemble.request(key, move |job| {
            let progress = |p: f32| job.set_progress(p);
            ensemble(
                objective,
                &run,
                seeds,
                &minima,
                domain,
                Some(job.cancel_flag()),
                &progress,
            )
        });
        self.ensemble.poll();
    }

    /// The tab: K, the contour toggle, the band and the odds.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: RunInput<'_>, commands: &mut Vec<Command>) {
        self.request(&input);
        let s = &mut *input.settings;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("seeds (K)");
            ui.add(egui::DragValue::new(&mut s.seeds).range(SEEDS_RANGE))
                .labelled_by(label.id);
            ui.checkbox(&mut s.ensemble, "draw every seed on the contour map");
        });
        if !is_stochastic(input.run, input.objective.as_ref()) {
            ui.label(
                "This run has no chance in it: every seed gives the same path. Add gradient \
                 noise, mini-batches (on a data fit) or a random start to see how much chance \
                 changes it.",
            );
            if input.objective.example_count() == 0 && ui.button("Add gradient noise 0.5").clicked()
            {
                let mut settings = input.run.clone();
                settings.simulated_noise = 0.5;
                commands.push(Command::ApplyRunSettings {
                    id: input.run.id,
                    settings: Box::new(settings),
                });
            }
            return;
        }
        if progress_row(ui, &self.ensemble) {
            self.ensemble.cancel();
        }
        if let Some(e) = &self.ensemble.error {
            crate::ui::panels::widgets::error_text(ui, e);
            return;
        }
        let Some(e) = self.ensemble.result.clone() else {
            ui.label("running the seeds...");
            return;
        };
        let odds = seed_odds(&e.outcomes, e.minima.len());
        ui.label(RichText::new("Where the seeds end").strong());
        ui.horizontal_wrapped(|ui| {
            for (m, p) in e.minima.iter().zip(&odds.per_minimum) {
                ui.label(format!(
                    "minimum ({}, {}): {:.0}%",
                    format_number(m[0]),
                    format_number(m[1]),
                    p * 100.0
                ));
            }
            ui.label(format!("no known minimum: {:.0}%", odds.none * 100.0));
            ui.label(format!("diverged: {:.0}%", odds.diverged * 100.0));
        });
        let log = e.band.iter().all(|b| b[0].is_nan() || b[0] > 0.0);
        let y = |v: f64| if log { v.max(1e-300).log10() } else { v };
        let finite = |v: &f64| v.is_finite();
        let median: Vec<[f64; 2]> = e
            .band
            .iter()
            .enumerate()
            .filter(|(_, b)| finite(&b[1]))
            .map(|(t, b)| [t as f64, y(b[1])])
            .collect();
        // The band as quads between consecutive kept iterations (egui_plot fills convex
        // polygons only), at most about 300 of them.
        let kept: Vec<(f64, f64, f64)> = e
            .band
            .iter()
            .enumerate()
            .filter(|(_, b)| finite(&b[0]) && finite(&b[2]))
            .map(|(t, b)| (t as f64, y(b[0]), y(b[2])))
            .collect();
        let stride = kept.len().div_ceil(300).max(1);
        let corners: Vec<(f64, f64, f64)> = kept
            .iter()
            .step_by(stride)
            .chain(kept.last())
            .copied()
            .collect();
        let band_color = Color32::from_rgba_unmultiplied(120, 170, 240, 70);
        let height = (ui.available_height() - 30.0).max(140.0);
        let mut plot = Plot::new("seed band")
            .height(height)
            .legend(egui_plot::Legend::default())
            .x_axis_label("iteration")
            .y_axis_label(if log {
                super::scale::y_title(ui, height, &["cost (log scale)", "log cost", "cost"])
            } else {
                "cost".to_owned()
            })
            .show_x(false)
            .show_y(false);
        if log {
            plot = plot
                .y_grid_spacer(crate::ui::views::learning_curve::ticks::log_marks)
                .y_axis_formatter(|mark, range| {
                    crate::ui::views::learning_curve::ticks::log_label(
                        mark.value,
                        (*range.start(), *range.end()),
                    )
                });
        }
        plot.show(ui, |plot_ui| {
            for pair in corners.windows(2) {
                let ((t0, lo0, hi0), (t1, lo1, hi1)) = (pair[0], pair[1]);
                plot_ui.polygon(
                    Polygon::new(
                        "10-90% of seeds",
                        PlotPoints::new(vec![[t0, lo0], [t1, lo1], [t1, hi1], [t0, hi0]]),
                    )
                    .fill_color(band_color)
                    .stroke(egui::Stroke::new(0.0, band_color)),
                );
            }
            plot_ui.line(
                Line::new("median", PlotPoints::new(median))
                    .color(Color32::from_rgb(120, 170, 240))
                    .width(2.0),
            );
        });
    }
}
