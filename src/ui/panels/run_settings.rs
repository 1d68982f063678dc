//! The settings part of the run editor: optimizer, learning rate, batch size or simulated
//! noise, initialization, schedule and stopping rules.

use crate::engine::limits::{
    EPSILON_RANGE, FAN_IN_RANGE, LEARNING_RATE_RANGE, LEARNING_RATE_SLIDER, MAX_ITERATIONS,
    NOISE_RANGE,
};
use crate::engine::run::{
    Anneal, CyclicMode, Initialization, PREVIEW_ITERATIONS, RunSettings, Schedule,
};

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
        changed |= schedule_ui(ui, &mut s.schedule, s.learning_rate, s.max_iterations);
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

/// The schedule: its kind, its numbers and a small plot of the rates it gives. An edit that
/// makes it invalid changes nothing and shows why.
fn schedule_ui(
    ui: &mut egui::Ui,
    schedule: &mut Schedule,
    learning_rate: f64,
    max_iterations: u64,
) -> bool {
    let error_id = ui.make_persistent_id("schedule error");
    let mut candidate = schedule.clone();
    let edited = ui
        .push_id("schedule", |ui| {
            schedule_fields_ui(ui, &mut candidate, true)
        })
        .inner;
    let mut changed = false;
    if edited && candidate != *schedule {
        match candidate.validate() {
            Ok(()) => {
                *schedule = candidate;
                changed = true;
                ui.data_mut(|d| d.remove::<String>(error_id));
            }
            Err(e) => {
                ui.data_mut(|d| d.insert_temp(error_id, e));
            }
        }
    }
    if let Some(e) = ui.data(|d| d.get_temp::<String>(error_id)) {
        widgets::error_text(ui, &format!("{e} (not applied)"));
    }
    schedule_preview_ui(ui, schedule, learning_rate, max_iterations);
    changed
}

/// The kind and the numbers of `schedule` (`top`: any kind; else one that may follow a
/// warm-up). True when an input changed (the result may be invalid).
fn schedule_fields_ui(ui: &mut egui::Ui, schedule: &mut Schedule, top: bool) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(if top { "schedule" } else { "then" });
        egui::ComboBox::from_id_salt("kind")
            .selected_text(schedule.label())
            .show_ui(ui, |ui| {
                for choice in Schedule::choices() {
                    if !top && !choice.can_follow_warmup() {
                        continue;
                    }
                    let same = choice.label() == schedule.label();
                    if ui.selectable_label(same, choice.label()).clicked() && !same {
                        *schedule = choice;
                        changed = true;
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    let count = |ui: &mut egui::Ui, label: &str, v: &mut u64, least: u64| {
        ui.horizontal_wrapped(|ui| {
            let l = ui.label(label);
            ui.add(egui::DragValue::new(v).range(least..=MAX_ITERATIONS))
                .labelled_by(l.id)
                .changed()
        })
        .inner
    };
    let factor = |ui: &mut egui::Ui, label: &str, v: &mut f64| {
        ui.add(egui::Slider::new(v, 0.0..=1.0).text(label))
            .changed()
    };
    match schedule {
        Schedule::Constant {} => {}
        Schedule::Step { step_size, gamma } => {
            changed |= count(ui, "every (iterations)", step_size, 1);
            changed |= factor(ui, "multiply by (gamma)", gamma);
        }
        Schedule::MultiStep { milestones, gamma } => {
            changed |= milestones_ui(ui, milestones);
            changed |= factor(ui, "multiply by (gamma)", gamma);
        }
        Schedule::Exponential { gamma } => {
            changed |= ui
                .add(egui::Slider::new(gamma, 0.9..=1.0).text("gamma per iteration"))
                .changed();
        }
        Schedule::Cosine { t_max, eta_min } => {
            changed |= count(ui, "period T_max", t_max, 1);
            changed |= widgets::number(ui, "minimum rate", eta_min, 1e-4);
        }
        Schedule::WarmRestarts {
            t_0,
            t_mult,
            eta_min,
        } => {
            changed |= count(ui, "first period T_0", t_0, 1);
            changed |= count(ui, "period growth T_mult", t_mult, 1);
            changed |= widgets::number(ui, "minimum rate", eta_min, 1e-4);
        }
        Schedule::ConstantLr {
            factor: f,
            total_iters,
        } => {
            changed |= factor(ui, "factor at first", f);
            changed |= count(ui, "for (iterations)", total_iters, 1);
        }
        Schedule::Linear {
            start_factor,
            end_factor,
            total_iters,
        } => {
            changed |= factor(ui, "first factor", start_factor);
            changed |= factor(ui, "last factor", end_factor);
            changed |= count(ui, "over (iterations)", total_iters, 1);
        }
        Schedule::Polynomial { total_iters, power } => {
            changed |= count(ui, "down to 0 in (iterations)", total_iters, 1);
            changed |= widgets::number(ui, "power", power, 0.01);
        }
        Schedule::Cyclic {
            base_lr,
            max_lr,
            step_size_up,
            step_size_down,
            mode,
            gamma,
        } => {
            changed |= exact_rate_ui(ui, "lowest rate", base_lr);
            changed |= exact_rate_ui(ui, "highest rate", max_lr);
            changed |= count(ui, "climb (iterations)", step_size_up, 1);
            let mut own = step_size_down.is_some();
            if ui
                .checkbox(&mut own, "a descent of its own length")
                .changed()
            {
                *step_size_down = own.then_some(*step_size_up);
                changed = true;
            }
            if let Some(down) = step_size_down {
                changed |= count(ui, "descent (iterations)", down, 0);
            }
            changed |= choice_ui(ui, "cycles", mode, &CyclicMode::ALL, |m| m.name());
            if *mode == CyclicMode::ExpRange {
                changed |= widgets::number(ui, "height shrink per iteration", gamma, 1e-4);
            }
        }
        Schedule::OneCycle {
            max_lr,
            total_steps,
            pct_start,
            anneal_strategy,
            div_factor,
            final_div_factor,
            three_phase,
        } => {
            changed |= exact_rate_ui(ui, "highest rate", max_lr);
            changed |= count(ui, "cycle (iterations)", total_steps, 1);
            changed |= factor(ui, "share climbing", pct_start);
            changed |= choice_ui(ui, "shape", anneal_strategy, &Anneal::ALL, |a| a.name());
            changed |= widgets::number(ui, "first rate = highest /", div_factor, 0.1);
            changed |= widgets::number(ui, "last rate = first /", final_div_factor, 1.0);
            changed |= ui.checkbox(three_phase, "three phases").changed();
        }
        Schedule::Warmup { iters, then } => {
            changed |= count(ui, "warm-up (iterations)", iters, 1);
            changed |= ui
                .push_id("then", |ui| schedule_fields_ui(ui, then, false))
                .inner;
        }
        Schedule::Plateau {
            factor: f,
            patience,
            threshold,
            cooldown,
            min_lr,
        } => {
            changed |= factor(ui, "multiply by", f);
            changed |= count(ui, "patience (iterations)", patience, 0);
            changed |= widgets::number(ui, "better by at least (share)", threshold, 1e-5);
            changed |= count(ui, "cooldown (iterations)", cooldown, 0);
            changed |= exact_rate_ui(ui, "lowest rate", min_lr);
        }
    }
    changed
}

/// A labelled choice among a few named values.
fn choice_ui<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    label: &str,
    value: &mut T,
    all: &[T],
    name: impl Fn(T) -> &'static str,
) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let l = ui.label(label);
        egui::ComboBox::from_id_salt(label)
            .selected_text(name(*value))
            .show_ui(ui, |ui| {
                for &choice in all {
                    changed |= ui.selectable_value(value, choice, name(choice)).changed();
                }
            })
            .response
            .labelled_by(l.id);
    });
    changed
}

/// The milestones as typed text (`100, 300`), applied when the field is left (Enter or a
/// click elsewhere); true then when the text reads as whole numbers (the schedule's check
/// says whether they increase).
fn milestones_ui(ui: &mut egui::Ui, milestones: &mut Vec<u64>) -> bool {
    let id = ui.make_persistent_id("milestones text");
    let shown = || {
        milestones
            .iter()
            .map(u64::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    // The text typed, and the milestones it was last in step with.
    let (mut text, synced) = ui
        .data(|d| d.get_temp::<(String, Vec<u64>)>(id))
        .filter(|(_, synced)| synced == milestones)
        .unwrap_or_else(|| (shown(), milestones.clone()));
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("at iterations");
        let edit = ui
            .add(egui::TextEdit::singleline(&mut text).desired_width(120.0))
            .labelled_by(label.id);
        let parsed: Result<Vec<u64>, _> = text
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::parse::<u64>)
            .collect();
        match parsed {
            Ok(list) => {
                if edit.lost_focus() && list != *milestones {
                    *milestones = list;
                    changed = true;
                }
            }
            Err(_) => {
                ui.label(
                    egui::RichText::new("whole numbers, comma-separated")
                        .color(crate::ui::palette::ERROR),
                );
            }
        }
    });
    let synced = if changed { milestones.clone() } else { synced };
    ui.data_mut(|d| d.insert_temp(id, (text, synced)));
    changed
}

/// The learning rate against the iteration, from the engine's preview of the schedule
/// (nothing for a constant one). Cached until the schedule, rate or length changes.
fn schedule_preview_ui(
    ui: &mut egui::Ui,
    schedule: &Schedule,
    learning_rate: f64,
    max_iterations: u64,
) {
    if matches!(schedule, Schedule::Constant {}) {
        return;
    }
    let iterations = max_iterations.min(PREVIEW_ITERATIONS);
    let key = format!("{schedule}|{learning_rate}|{iterations}");
    let id = ui.make_persistent_id("schedule preview");
    type Cached = std::sync::Arc<(String, Vec<[f64; 2]>)>;
    let points = match ui.data(|d| d.get_temp::<Cached>(id)) {
        Some(cached) if cached.0 == key => cached,
        _ => {
            let rates = schedule.preview(learning_rate, iterations);
            let cached: Cached = std::sync::Arc::new((key, preview_points(&rates)));
            ui.data_mut(|d| d.insert_temp(id, cached.clone()));
            cached
        }
    };
    if schedule.sets_own_rate() {
        ui.weak("sets its own rates: the learning rate above is not used");
    }
    if schedule.needs_cost() {
        ui.weak("lowers the rate when the cost stalls, so the run decides when");
    } else if iterations < max_iterations {
        ui.weak(format!("rates of the first {iterations} iterations"));
    }
    // The plot's height leaves room for one tick: the numbers that matter, written out.
    if let (Some(first), Some(last)) = (points.1.first(), points.1.last()) {
        let peak = points
            .1
            .iter()
            .copied()
            .fold(*first, |best, p| if p[1] > best[1] { p } else { best });
        let r = crate::ui::number::readout;
        ui.weak(format!(
            "lr {} at the start, at most {} (iteration {}), {} at iteration {}",
            r(first[1]),
            r(peak[1]),
            peak[0],
            r(last[1]),
            last[0]
        ));
    }
    egui_plot::Plot::new("schedule preview")
        .height(70.0)
        .allow_scroll(false)
        .allow_drag(false)
        .allow_zoom(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_x(false)
        .show_y(false)
        .x_axis_label("iteration")
        .y_axis_min_width(36.0)
        .include_y(0.0)
        .show(ui, |plot_ui| {
            plot_ui.line(
                egui_plot::Line::new(
                    "learning rate",
                    egui_plot::PlotPoints::from(points.1.clone()),
                )
                .allow_hover(false),
            );
        });
}

/// At most about 800 points of `rates` (rate t at x = t): each stretch's lowest and highest
/// in their order, so the peaks of a fast cycle still show.
fn preview_points(rates: &[f64]) -> Vec<[f64; 2]> {
    let stretch = rates.len().div_ceil(400).max(1);
    let mut points = Vec::with_capacity(rates.len().min(802));
    for (k, chunk) in rates.chunks(stretch).enumerate() {
        let at = |i: usize| [(k * stretch + i) as f64, chunk[i]];
        let (mut lo, mut hi) = (0, 0);
        for (i, r) in chunk.iter().enumerate() {
            if *r < chunk[lo] {
                lo = i;
            }
            if *r > chunk[hi] {
                hi = i;
            }
        }
        points.push(at(lo.min(hi)));
        if lo != hi {
            points.push(at(lo.max(hi)));
        }
    }
    if let Some(&last) = rates.last() {
        points.push([(rates.len() - 1) as f64, last]);
    }
    points
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
