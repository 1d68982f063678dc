//! The optimizer part of the run editor: the update rule and its hyper-parameters, each with
//! PyTorch's default.

use crate::engine::limits::{
    DECAY_RANGE, EPS_RANGE, LBFGS_HISTORY_RANGE, LBFGS_ITERATIONS_RANGE, MIN_NESTEROV_MOMENTUM,
    MOMENTUM_RANGE, WEIGHT_DECAY_RANGE,
};
use crate::engine::optim::{LineSearch, OptimizerFamily, OptimizerKind, OptimizerSettings};

/// The rule picker; true when the rule changed (its hyper-parameters reset to torch's).
pub fn optimizer_kind_ui(ui: &mut egui::Ui, settings: &mut OptimizerSettings) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("optimizer");
        let current = settings.kind();
        egui::ComboBox::from_id_salt("optimizer")
            .selected_text(current.label())
            .width((ui.available_width() - 8.0).clamp(100.0, 170.0))
            .height(600.0)
            .show_ui(ui, |ui| {
                for family in OptimizerFamily::ALL {
                    ui.label(egui::RichText::new(family.label()).small().weak());
                    for kind in OptimizerKind::ALL
                        .into_iter()
                        .filter(|k| k.family() == family)
                    {
                        if ui.selectable_label(kind == current, kind.label()).clicked()
                            && kind != current
                        {
                            *settings = OptimizerSettings::default_for(kind);
                            changed = true;
                        }
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    changed
}

/// The rule's hyper-parameters; true when any changed.
pub fn hyper_parameters_ui(ui: &mut egui::Ui, settings: &mut OptimizerSettings) -> bool {
    let mut changed = false;
    match settings {
        OptimizerSettings::Gd { weight_decay } => {
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Sgd {
            momentum,
            dampening,
            nesterov,
            weight_decay,
        }
        | OptimizerSettings::Momentum {
            momentum,
            dampening,
            nesterov,
            weight_decay,
        } => {
            changed |= slider(ui, momentum, MOMENTUM_RANGE, "momentum");
            // torch: Nesterov needs momentum and no dampening.
            ui.add_enabled_ui(!*nesterov, |ui| {
                changed |= slider(ui, dampening, 0.0..=1.0, "dampening");
            });
            let allowed = *momentum > 0.0 && *dampening == 0.0;
            ui.add_enabled_ui(allowed || *nesterov, |ui| {
                changed |= ui
                    .checkbox(nesterov, "Nesterov")
                    .on_hover_text("Look ahead along the velocity (needs momentum, no dampening)")
                    .changed();
            });
            if *nesterov && *momentum < MIN_NESTEROV_MOMENTUM {
                *momentum = MIN_NESTEROV_MOMENTUM;
                changed = true;
            }
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Nesterov {
            momentum,
            weight_decay,
        } => {
            // torch refuses Nesterov without momentum.
            let range = MIN_NESTEROV_MOMENTUM..=*MOMENTUM_RANGE.end();
            changed |= slider(ui, momentum, range, "momentum");
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Asgd {
            lambd,
            alpha,
            t0,
            weight_decay,
        } => {
            changed |= sci_ui(ui, "lambd (decay)", lambd, 0.0..=1.0);
            changed |= slider(ui, alpha, 0.0..=1.0, "alpha (power)");
            changed |= sci_ui(ui, "t0 (averaging starts)", t0, 0.0..=1e9);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Adagrad {
            lr_decay,
            initial_accumulator_value,
            eps,
            weight_decay,
        } => {
            changed |= sci_ui(ui, "lr decay", lr_decay, 0.0..=10.0);
            changed |= sci_ui(
                ui,
                "initial accumulator",
                initial_accumulator_value,
                0.0..=1e6,
            );
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Rmsprop {
            alpha,
            eps,
            momentum,
            centered,
            weight_decay,
        } => {
            changed |= slider(ui, alpha, DECAY_RANGE, "alpha (smoothing)");
            changed |= slider(ui, momentum, MOMENTUM_RANGE, "momentum");
            changed |= ui
                .checkbox(centered, "centered")
                .on_hover_text("Divide by the gradient's estimated variance instead")
                .changed();
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Adadelta {
            rho,
            eps,
            weight_decay,
        } => {
            changed |= slider(ui, rho, DECAY_RANGE, "rho (smoothing)");
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Adam {
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
        }
        | OptimizerSettings::Adamw {
            beta1,
            beta2,
            eps,
            weight_decay,
            amsgrad,
        } => {
            changed |= betas_ui(ui, beta1, beta2);
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
            changed |= ui.checkbox(amsgrad, "AMSGrad").changed();
        }
        OptimizerSettings::Adamax {
            beta1,
            beta2,
            eps,
            weight_decay,
        } => {
            changed |= betas_ui(ui, beta1, beta2);
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Nadam {
            beta1,
            beta2,
            eps,
            weight_decay,
            momentum_decay,
            decoupled_weight_decay,
        } => {
            changed |= betas_ui(ui, beta1, beta2);
            changed |= sci_ui(ui, "momentum decay", momentum_decay, 0.0..=10.0);
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
            changed |= ui
                .checkbox(decoupled_weight_decay, "decoupled weight decay")
                .changed();
        }
        OptimizerSettings::Radam {
            beta1,
            beta2,
            eps,
            weight_decay,
            decoupled_weight_decay,
        } => {
            changed |= betas_ui(ui, beta1, beta2);
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
            changed |= ui
                .checkbox(decoupled_weight_decay, "decoupled weight decay")
                .changed();
        }
        OptimizerSettings::Adafactor {
            beta2_decay,
            eps1,
            eps2,
            d,
            weight_decay,
        } => {
            changed |= slider(ui, beta2_decay, -1.0..=0.0, "beta2 decay");
            let mut first = eps1.unwrap_or(f64::EPSILON);
            if sci_ui(ui, "eps1", &mut first, EPS_RANGE) {
                *eps1 = Some(first);
                changed = true;
            }
            changed |= sci_ui(ui, "eps2", eps2, EPS_RANGE);
            changed |= sci_ui(ui, "d (clipping)", d, 0.0..=1e6);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Rprop {
            eta_minus,
            eta_plus,
            step_size_min,
            step_size_max,
        } => {
            ui.weak("Rprop uses only the sign of the gradient, never its size.");
            changed |= slider(ui, eta_minus, 0.0..=1.0, "eta minus (after a flip)");
            changed |= slider(ui, eta_plus, 1.0..=5.0, "eta plus (same sign)");
            changed |= sci_ui(ui, "smallest step", step_size_min, 0.0..=1e6);
            changed |= sci_ui(ui, "largest step", step_size_max, 0.0..=1e6);
        }
        OptimizerSettings::Newton {} => {
            ui.weak("Newton's method uses the Hessian; it has no hyper-parameters.");
        }
        OptimizerSettings::Lbfgs {
            max_iter,
            max_eval,
            tolerance_grad,
            tolerance_change,
            history_size,
            line_search_fn,
        } => {
            changed |= count_ui(ui, "iterations per step", max_iter, LBFGS_ITERATIONS_RANGE);
            changed |= count_ui(ui, "history size", history_size, LBFGS_HISTORY_RANGE);
            let mut evals = max_eval.unwrap_or(*max_iter * 5 / 4);
            if count_ui(ui, "evaluations per step", &mut evals, 1..=u32::MAX) {
                *max_eval = Some(evals);
                changed = true;
            }
            changed |= sci_ui(ui, "tolerance grad", tolerance_grad, 0.0..=1e6);
            changed |= sci_ui(ui, "tolerance change", tolerance_change, 0.0..=1e6);
            let mut wolfe = *line_search_fn == LineSearch::StrongWolfe;
            if ui
                .checkbox(&mut wolfe, "strong Wolfe line search")
                .on_hover_text("Search along each direction for a step that lowers J enough")
                .changed()
            {
                *line_search_fn = if wolfe {
                    LineSearch::StrongWolfe
                } else {
                    LineSearch::None
                };
                changed = true;
            }
        }
        OptimizerSettings::GdArmijo { shrink, c1 } => {
            ui.weak("Each step starts at the learning rate and shrinks it until J drops enough.");
            changed |= slider(ui, shrink, 0.01..=0.99, "shrink");
            changed |= sci_ui(ui, "c1 (sufficient decrease)", c1, 0.0..=0.99);
        }
    }
    if *settings != OptimizerSettings::default_for(settings.kind())
        && ui
            .button("Torch defaults")
            .on_hover_text("PyTorch's default hyper-parameters")
            .clicked()
    {
        *settings = OptimizerSettings::default_for(settings.kind());
        changed = true;
    }
    changed
}

fn weight_decay_ui(ui: &mut egui::Ui, weight_decay: &mut f64) -> bool {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("weight decay");
        ui.add(
            egui::DragValue::new(weight_decay)
                .speed(0.001)
                .range(WEIGHT_DECAY_RANGE)
                .max_decimals(6),
        )
        .labelled_by(label.id)
        .changed()
    })
    .inner
}

fn eps_ui(ui: &mut egui::Ui, eps: &mut f64) -> bool {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("eps");
        ui.add(
            egui::DragValue::new(eps)
                .speed(0.0)
                .range(EPS_RANGE)
                .custom_formatter(|v, _| format!("{v:e}"))
                .custom_parser(|s| s.trim().parse::<f64>().ok()),
        )
        .labelled_by(label.id)
        .changed()
    })
    .inner
}

fn slider(
    ui: &mut egui::Ui,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
    text: &str,
) -> bool {
    ui.add(egui::Slider::new(value, range).text(text)).changed()
}

fn betas_ui(ui: &mut egui::Ui, beta1: &mut f64, beta2: &mut f64) -> bool {
    slider(ui, beta1, DECAY_RANGE, "beta1") | slider(ui, beta2, DECAY_RANGE, "beta2")
}

/// A number typed in scientific notation, e.g. `1e-4`.
fn sci_ui(
    ui: &mut egui::Ui,
    name: &str,
    value: &mut f64,
    range: std::ops::RangeInclusive<f64>,
) -> bool {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(name);
        ui.add(
            egui::DragValue::new(value)
                .speed(0.0)
                .range(range)
                .custom_formatter(|v, _| format!("{v:e}"))
                .custom_parser(|s| s.trim().parse::<f64>().ok()),
        )
        .labelled_by(label.id)
        .changed()
    })
    .inner
}

fn count_ui(
    ui: &mut egui::Ui,
    name: &str,
    value: &mut u32,
    range: std::ops::RangeInclusive<u32>,
) -> bool {
    ui.horizontal_wrapped(|ui| {
        let label = ui.label(name);
        ui.add(egui::DragValue::new(value).speed(1.0).range(range))
            .labelled_by(label.id)
            .changed()
    })
    .inner
}
