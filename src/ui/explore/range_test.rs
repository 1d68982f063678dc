//! The learning-rate range test: one run whose learning rate grows exponentially, its cost
//! against the rate, the suggested rate (steepest descent of the smoothed curve) and a button
//! that gives it to the run.

use std::sync::Arc;

use egui::{Color32, RichText};
use egui_plot::{Line, PlotBounds, PlotPoints, VLine};

use crate::engine::explore::{RangeTest, RangeTestSpec, range_test, with_learning_rate};
use crate::engine::run::RunSettings;
use crate::ui::command::Command;
use crate::ui::view3d::ticks::format_number;

use super::RunInput;
use super::computed::{Computed, progress_row};
use super::scale::{self, Scale};

#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    run: RunSettings,
    iterations: u64,
}

/// The range test's run and picture.
pub struct RangeTestView {
    test: Computed<Key, RangeTest>,
}

impl RangeTestView {
    /// Nothing run yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            test: Computed::new(ctx),
        }
    }

    /// Blocks until the test has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.test.wait();
    }

    /// The newest test (tests).
    pub fn result(&self) -> Option<&RangeTest> {
        self.test.result.as_deref()
    }

    /// Runs the test for `run` when needed and draws it.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        input: RunInput<'_>,
        color: Color32,
        commands: &mut Vec<Command>,
    ) {
        let RunInput {
            settings,
            objective,
            objective_version,
            run,
            ..
        } = input;
        let spec = RangeTestSpec {
            iterations: settings.range_iterations,
            ..RangeTestSpec::default()
        };
        let key = Key {
            objective_version,
            run: with_learning_rate(run, 1.0),
            iterations: spec.iterations,
        };
        let (objective, base) = (Arc::clone(objective), run.clone());
        self.test.request(key, move |job| {
            range_test(objective, &base, &spec, Some(job.cancel_flag()))
        });
        self.test.poll();
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(format!(
                "one run, the learning rate growing from {} to {} over",
                format_number(spec.lo),
                format_number(spec.hi)
            ));
            ui.add(egui::DragValue::new(&mut settings.range_iterations).range(10..=5000))
                .labelled_by(label.id);
            ui.label("iterations");
        });
        if progress_row(ui, &self.test) {
            self.test.cancel();
        }
        if let Some(e) = &self.test.error {
            crate::ui::panels::widgets::error_text(ui, e);
            return;
        }
        let Some(test) = self.test.result.clone() else {
            ui.label("running...");
            return;
        };
        ui.horizontal_wrapped(|ui| match test.suggested {
            Some(rate) => {
                ui.label(RichText::new(format!("suggested rate {}", format_number(rate))).strong());
                if ui.button("Use this rate").clicked() {
                    commands.push(Command::ApplyRunSettings {
                        id: run.id,
                        settings: Box::new(with_learning_rate(run, rate)),
                    });
                }
            }
            None => {
                ui.label("no suggestion: the cost never fell as the rate grew");
            }
        });
        let x = Scale {
            lo: spec.lo,
            hi: spec.hi,
            log: true,
        };
        let costs: Vec<f64> = test.costs.iter().chain(&test.smoothed).copied().collect();
        let y = Scale::fitting(&costs, true);
        let line = |values: &[f64]| -> PlotPoints<'static> {
            test.rates
                .iter()
                .zip(values)
                .filter(|(_, c)| c.is_finite() && (!y.log || **c > 0.0))
                .map(|(&r, &c)| [x.to_plot(r), y.to_plot(c)])
                .collect::<Vec<_>>()
                .into()
        };
        let height = (ui.available_height() - 30.0).max(160.0);
        scale::with_axes(
            scale::fixed_plot("range test", height)
                .legend(egui_plot::Legend::default())
                .x_axis_label("learning rate (log scale)")
                .y_axis_label("cost"),
            x,
            y,
        )
        .show(ui, |plot_ui| {
            let ([a, b], [c, d]) = (x.plot_range(), y.plot_range());
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([a, c], [b, d]));
            plot_ui.line(Line::new("cost", line(&test.costs)).color(Color32::GRAY));
            plot_ui.line(
                Line::new("smoothed", line(&test.smoothed))
                    .color(color)
                    .width(2.5),
            );
            if let Some(rate) = test.suggested {
                plot_ui.vline(
                    VLine::new("suggested", x.to_plot(rate))
                        .color(Color32::from_rgb(90, 200, 120))
                        .width(2.0),
                );
            }
        });
        ui.label(
            RichText::new(
                "the suggestion is where the smoothed cost falls fastest; the test stops once \
                 the cost passes 4 times its lowest",
            )
            .weak(),
        );
    }
}
