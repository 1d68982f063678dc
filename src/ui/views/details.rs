//! The details panel beside the views: for the selected run at the current iteration, the
//! slices with their tangent lines, the next update written out (step inspector) and, for
//! data-fit problems, the data with the model's fit.

use egui::{Color32, RichText};

use crate::engine::objective::Objective;
use crate::engine::run::{Run, RunSettings};
use crate::engine::{Domain, Point};

use crate::engine::data::Dataset;

use super::data_view::{DataView, DataViewInput, Model};
use super::inspector::{InspectorInput, StepExplanation, add_trials, explain_step, inspector_ui};
use super::slices::{SlicesInput, SlicesView};

/// What the details panel shows this frame.
pub struct DetailsInput<'a> {
    /// Which sections are unfolded (a click on a header folds or unfolds it).
    pub sections: &'a mut crate::engine::scenario::DetailsSections,
    /// The problem, when valid.
    pub objective: Option<&'a dyn Objective>,
    /// Changes whenever `objective` does.
    pub objective_version: u64,
    /// The selected run's simulation, when there is one.
    pub run: Option<&'a Run>,
    /// The selected run's name.
    pub run_name: &'a str,
    /// The selected run's color.
    pub color: Color32,
    /// The playback position.
    pub iteration: usize,
    /// The region shown.
    pub domain: Domain,
    /// The dataset and model of a data-fit problem.
    pub data: Option<DataFitInput<'a>>,
}

/// The data-fit problem as the data view needs it.
pub struct DataFitInput<'a> {
    /// The examples.
    pub dataset: &'a Dataset,
    /// The model's text (prediction from x, w and b).
    pub model: &'a str,
    /// The value of a free constant by name.
    pub constant: &'a dyn Fn(&str) -> Option<f64>,
    /// A (w, b) picked in the contour view (hovered or clicked).
    pub pick: Option<Point>,
}

/// What an explanation was made from: the same problem and settings give the same history.
#[derive(Clone, PartialEq)]
struct ExplanationKey {
    objective_version: u64,
    settings: RunSettings,
    update: usize,
    history_len: usize,
}

/// The details panel's caches.
#[derive(Default)]
pub struct DetailsPanel {
    slices: SlicesView,
    data_view: DataView,
    explanation: Option<(ExplanationKey, Option<StepExplanation>)>,
}

/// The selected run's point at `iteration` and the next update from it, `[Δw, Δb]`.
pub fn point_and_next_step(
    run: &Run,
    iteration: usize,
) -> Option<(usize, Point, Option<[f64; 2]>)> {
    let params = run.history().params();
    let index = iteration.min(params.len().checked_sub(1)?);
    let at = params[index];
    let next = params.get(index + 1).map(|n| [n[0] - at[0], n[1] - at[1]]);
    Some((index, at, next))
}

impl DetailsPanel {
    /// Draws the panel's sections into `ui` (a side panel).
    pub fn ui(&mut self, ui: &mut egui::Ui, input: DetailsInput<'_>) {
        let located = input
            .run
            .and_then(|run| point_and_next_step(run, input.iteration));
        // The name in the text color (a run color can be pale on a light panel), after a
        // swatch of the run's color.
        ui.horizontal_wrapped(|ui| {
            ui.label("Selected run:");
            crate::ui::toolbar::color_dot(ui, input.color);
            ui.label(RichText::new(input.run_name).strong());
        });
        if let Some(data) = input.data {
            section(ui, "Data and model", &mut input.sections.data, |ui| {
                let Some(model) = Model::compile(data.model, data.constant) else {
                    ui.weak("The model does not compile (see the problem panel).");
                    return;
                };
                let predict = |x: f64, p: Point| model.predict(x, p);
                let height = (ui.available_height() - 30.0).clamp(180.0, 320.0);
                // The mini-batch of the update leaving the current point (at the end,
                // the last update taken).
                let batch = input.run.zip(located).and_then(|(run, (index, _, _))| {
                    let len = run.history().len();
                    let update = if index + 1 < len { index + 1 } else { index };
                    run.batch_examples(update as u64)
                });
                self.data_view.ui(
                    ui,
                    DataViewInput {
                        dataset: data.dataset,
                        predict: &predict,
                        at: located.map(|(_, at, _)| at),
                        pick: data.pick,
                        batch: batch.as_deref(),
                        color: input.color,
                    },
                    height,
                );
            });
        }
        section(
            ui,
            "Slices and tangent lines",
            &mut input.sections.slices,
            |ui| {
                self.slices.ui(
                    ui,
                    SlicesInput {
                        objective: input.objective,
                        objective_version: input.objective_version,
                        at: located.map(|(_, at, _)| at),
                        next_step: located.and_then(|(_, _, next)| next),
                        domain: input.domain,
                        color: input.color,
                    },
                );
            },
        );
        section(ui, "Step inspector", &mut input.sections.inspector, |ui| {
            let explanation = match (input.run, located) {
                (Some(run), Some((index, _, _))) => {
                    // The update leaving the current point; at the end, the last one taken.
                    let len = run.history().len();
                    let update = if index + 1 < len { index + 1 } else { index };
                    let key = ExplanationKey {
                        objective_version: input.objective_version,
                        settings: run.settings().path_key(),
                        update,
                        history_len: len,
                    };
                    if self.explanation.as_ref().is_none_or(|(k, _)| *k != key) {
                        let e = (update >= 1)
                            .then(|| run.step_detail(update as u64))
                            .flatten()
                            .map(|detail| {
                                let previous = run.state_at(update as u64 - 1);
                                let batch = if run.example_count() > 0
                                    && run.batch_size() < run.example_count()
                                {
                                    run.batch_size()
                                } else {
                                    0
                                };
                                let mut e = explain_step(
                                    &detail,
                                    &run.settings().optimizer,
                                    previous.as_ref(),
                                    batch,
                                );
                                // The recorded full-data cost; a strided run's rows between
                                // records are evaluated here.
                                let cost = |row: usize, at: Point| {
                                    let recorded = run.history().costs().get(row).copied();
                                    match (recorded, input.objective) {
                                        (Some(j), _) if !j.is_nan() => Some(j),
                                        (_, Some(objective)) => Some(objective.value(at)),
                                        _ => None,
                                    }
                                };
                                e.cost = cost(update - 1, detail.from)
                                    .zip(cost(update, detail.to))
                                    .map(|(a, b)| [a, b]);
                                add_trials(&mut e, run.trials(update as u64));
                                e
                            });
                        self.explanation = Some((key, e));
                    }
                    self.explanation.as_ref().and_then(|(_, e)| e.as_ref())
                }
                _ => None,
            };
            inspector_ui(ui, InspectorInput { explanation });
        });
    }
}

/// A foldable section whose state is `open` (kept in the app's state and saved with a
/// scenario): a click on the header folds or unfolds it.
fn section(ui: &mut egui::Ui, title: &str, open: &mut bool, add: impl FnOnce(&mut egui::Ui)) {
    let shown = egui::CollapsingHeader::new(RichText::new(title).strong())
        .open(Some(*open))
        .show(ui, add);
    if shown.header_response.clicked() {
        *open = !*open;
    }
}
