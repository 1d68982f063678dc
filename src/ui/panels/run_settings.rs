//! The settings part of the run editor: optimizer, learning rate, batch size or simulated
//! noise, initialization, schedule and stopping rules.

use crate::engine::limits::{
    EPSILON_RANGE, FAN_IN_RANGE, LEARNING_RATE_RANGE, LEARNING_RATE_SLIDER, MAX_ITERATIONS,
    NOISE_RANGE,
};
use crate::engine::run::{Initialization, RunSettings, Schedule};

use super::optimizer::{hyper_parameters_ui, optimizer_kind_ui};
use super::widgets;

/// What the editor needs to know about the problem.
#[derive(Clone, Copy, Debug)]
pub struct ProblemFacts {
    /// Number of examples m; 0 for function problems.
    pub examples: usize,
    /// Show the advanced settings (hyper-parameters beyond the learning rate, gradient
    /// noise, schedule, stopping rules). Presenter mode hides them.
    pub advanced: bool,
}

/// Every run setting; true when any changed (the run is then re-simulated).
pub fn settings_ui(ui: &mut egui::Ui, s: &mut RunSettings, facts: ProblemFacts) -> bool {
    let mut changed = optimizer_kind_ui(ui, &mut s.optimizer);
    changed |= learning_rate_ui(ui, &mut s.learning_rate);
    if s.optimizer.kind().supports_parameter_groups() {
        changed |= learning_rate_b_ui(ui, &mut s.learning_rate_b, s.learning_rate, facts.advanced);
    } else if s.learning_rate_b.take().is_some() {
        // L-BFGS and the line search take one step for w and b together.
        changed = true;
    }
    if facts.advanced {
        changed |= hyper_parameters_ui(ui, &mut s.optimizer);
    }
    if facts.examples > 0 {
        changed |= batch_size_ui(ui, &mut s.batch_size, facts.examples);
    } else if facts.advanced {
        changed |= ui
            .add(egui::Slider::new(&mut s.simulated_noise, NOISE_RANGE).text("gradient noise"))
            .on_hover_text(
                "Standard deviation of random noise added to each gradient (imitates SGD)",
            )
            .changed();
    }
    ui.separator();
    changed |= init_ui(ui, &mut s.init, &mut s.seed);
    if facts.advanced {
        ui.separator();
        changed |= schedule_ui(ui, &mut s.schedule);
        changed |= stopping_ui(ui, s);
    }
    changed
}

/// Logarithmic slider from 1e-5 to 10 plus an exact number field.
pub fn learning_rate_ui(ui: &mut egui::Ui, learning_rate: &mut f64) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let mut on_slider =
            learning_rate.clamp(*LEARNING_RATE_SLIDER.start(), *LEARNING_RATE_SLIDER.end());
        if ui
            .add(
                egui::Slider::new(&mut on_slider, LEARNING_RATE_SLIDER)
                    .logarithmic(true)
                    .show_value(false)
                    .text("learning rate"),
            )
            .changed()
        {
            *learning_rate = on_slider;
            changed = true;
        }
    });
    changed |= exact_rate_ui(ui, "learning rate (exact)", learning_rate);
    changed
}

/// A learning rate typed exactly (any finite rate in [`LEARNING_RATE_RANGE`]), labelled.
fn exact_rate_ui(ui: &mut egui::Ui, label: &str, rate: &mut f64) -> bool {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(label);
        let speed = *rate * 0.01 + 1e-6;
        ui.add(
            egui::DragValue::new(rate)
                .range(LEARNING_RATE_RANGE)
                .speed(speed)
                .custom_formatter(|v, _| format!("{v}"))
                .custom_parser(|t| t.trim().parse::<f64>().ok().filter(|v| v.is_finite())),
        )
        .labelled_by(label.id)
        .changed()
    })
    .inner
}

/// b's own learning rate (w and b as two parameter groups, as a map's `lr_b` axis or a
/// file may set): a checkbox and an exact field, or with `advanced` off (presenter mode) a
/// line saying so when b has one.
fn learning_rate_b_ui(
    ui: &mut egui::Ui,
    rate_b: &mut Option<f64>,
    learning_rate: f64,
    advanced: bool,
) -> bool {
    if !advanced {
        if let Some(b) = rate_b {
            ui.label(format!("b's own learning rate: {b} (w's is the one above)"));
        }
        return false;
    }
    let mut changed = false;
    let mut own = rate_b.is_some();
    if ui
        .checkbox(&mut own, "b has its own learning rate")
        .on_hover_text("w and b as two parameter groups, each with its own learning rate")
        .changed()
    {
        *rate_b = own.then_some(learning_rate);
        changed = true;
    }
    if let Some(b) = rate_b {
        changed |= exact_rate_ui(ui, "learning rate of b", b);
    }
    changed
}

/// Batch size 1..m with named stops: SGD (1), mini-batch, batch GD (m). None means m.
fn batch_size_ui(ui: &mut egui::Ui, batch_size: &mut Option<usize>, examples: usize) -> bool {
    let mut changed = false;
    let mut size = batch_size.map_or(examples, |b| b.min(examples));
    if ui
        .add(
            egui::Slider::new(&mut size, 1..=examples.max(1))
                .logarithmic(examples > 20)
                .text("batch size"),
        )
        .changed()
    {
        *batch_size = (size < examples).then_some(size);
        changed = true;
    }
    let mini = mini_batch_size(examples);
    ui.horizontal_wrapped(|ui| {
        if ui.selectable_label(size == 1, "SGD (1)").clicked() {
            *batch_size = Some(1);
            changed = true;
        }
        if ui
            .selectable_label(size > 1 && size < examples, format!("mini-batch ({mini})"))
            .clicked()
        {
            *batch_size = Some(mini);
            changed = true;
        }
        if ui
            .selectable_label(size >= examples, format!("batch GD ({examples})"))
            .clicked()
        {
            *batch_size = None;
            changed = true;
        }
    });
    changed
}

/// A typical mini-batch for m examples: 32, or a quarter of a small dataset.
pub fn mini_batch_size(examples: usize) -> usize {
    if examples > 128 {
        32
    } else {
        (examples / 4).max(2).min(examples.saturating_sub(1).max(1))
    }
}

fn init_ui(ui: &mut egui::Ui, init: &mut Initialization, seed: &mut u64) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("start");
        egui::ComboBox::from_id_salt("init")
            .selected_text(init.name())
            .show_ui(ui, |ui| {
                let choices = [
                    Initialization::Zero {},
                    Initialization::Uniform {},
                    Initialization::Xavier { fan_in: 1 },
                    match *init {
                        Initialization::Manual { .. } => *init,
                        _ => Initialization::Manual { w: 0.0, b: 0.0 },
                    },
                ];
                for choice in choices {
                    if ui
                        .selectable_label(choice.name() == init.name(), choice.name())
                        .clicked()
                        && choice.name() != init.name()
                    {
                        *init = choice;
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    match init {
        Initialization::Manual { w, b } => {
            ui.horizontal_wrapped(|ui| {
                changed |= widgets::number_cell(ui, "start w", w, 0.01);
                changed |= widgets::number_cell(ui, "start b", b, 0.01);
            });
            ui.weak("click the contour plot to move it");
        }
        Initialization::Xavier { fan_in } => {
            ui.horizontal_wrapped(|ui| {
                let label = ui.label("fan in");
                changed |= ui
                    .add(egui::DragValue::new(fan_in).range(FAN_IN_RANGE))
                    .labelled_by(label.id)
                    .changed();
            });
        }
        Initialization::Zero {} | Initialization::Uniform {} => {}
    }
    changed |= widgets::seed(ui, "run seed", seed, "run-seed");
    changed
}

fn schedule_ui(ui: &mut egui::Ui, schedule: &mut Schedule) -> bool {
    let mut changed = false;
    let name = |s: &Schedule| match s {
        Schedule::Constant {} => "constant",
        Schedule::Step { .. } => "step decay",
        Schedule::Exponential { .. } => "exponential",
        Schedule::Cosine { .. } => "cosine",
        Schedule::WarmRestarts { .. } => "warm restarts",
    };
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("schedule");
        egui::ComboBox::from_id_salt("schedule")
            .selected_text(name(schedule))
            .show_ui(ui, |ui| {
                for choice in Schedule::CHOICES {
                    if ui
                        .selectable_label(name(&choice) == name(schedule), name(&choice))
                        .clicked()
                        && name(&choice) != name(schedule)
                    {
                        *schedule = choice;
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    let count = |ui: &mut egui::Ui, label: &str, v: &mut u64| {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(label);
            ui.add(egui::DragValue::new(v).range(1..=MAX_ITERATIONS))
                .labelled_by(l.id)
                .changed()
        })
        .inner
    };
    match schedule {
        Schedule::Constant {} => {}
        Schedule::Step { step_size, gamma } => {
            changed |= count(ui, "every (iterations)", step_size);
            changed |= ui
                .add(egui::Slider::new(gamma, 0.0..=1.0).text("multiply by (gamma)"))
                .changed();
        }
        Schedule::Exponential { gamma } => {
            changed |= ui
                .add(egui::Slider::new(gamma, 0.9..=1.0).text("gamma per iteration"))
                .changed();
        }
        Schedule::Cosine { t_max, eta_min } => {
            changed |= count(ui, "period T_max", t_max);
            changed |= widgets::number(ui, "minimum rate", eta_min, 1e-4);
        }
        Schedule::WarmRestarts {
            t_0,
            t_mult,
            eta_min,
        } => {
            changed |= count(ui, "first period T_0", t_0);
            changed |= count(ui, "period growth T_mult", t_mult);
            changed |= widgets::number(ui, "minimum rate", eta_min, 1e-4);
        }
    }
    changed
}

fn stopping_ui(ui: &mut egui::Ui, s: &mut RunSettings) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let mut on = s.epsilon.is_some();
        if ui.checkbox(&mut on, "stop when |ΔJ| < epsilon").changed() {
            s.epsilon = on.then_some(s.epsilon.unwrap_or(1e-8));
            changed = true;
        }
    });
    if let Some(epsilon) = &mut s.epsilon {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("epsilon");
            changed |= ui
                .add(
                    egui::DragValue::new(epsilon)
                        .speed(0.0)
                        .range(EPSILON_RANGE)
                        .custom_formatter(|v, _| format!("{v:e}"))
                        .custom_parser(|t| t.trim().parse::<f64>().ok().filter(|v| v.is_finite())),
                )
                .labelled_by(label.id)
                .changed();
        });
    }
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("max iterations");
        changed |= ui
            .add(
                egui::DragValue::new(&mut s.max_iterations)
                    .range(1..=MAX_ITERATIONS)
                    .speed(10.0),
            )
            .labelled_by(label.id)
            .changed();
    });
    changed
}
