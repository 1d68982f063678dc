//! The optimizer part of the run editor: the update rule and its hyper-parameters, each with
//! PyTorch's default.

use crate::engine::limits::{
    DECAY_RANGE, EPS_RANGE, MIN_NESTEROV_MOMENTUM, MOMENTUM_RANGE, WEIGHT_DECAY_RANGE,
};
use crate::engine::optim::{OptimizerKind, OptimizerSettings};

/// The rule picker; true when the rule changed (its hyper-parameters reset to torch's).
pub fn optimizer_kind_ui(ui: &mut egui::Ui, settings: &mut OptimizerSettings) -> bool {
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("optimizer");
        let current = settings.kind();
        egui::ComboBox::from_id_salt("optimizer")
            .selected_text(current.label())
            .width((ui.available_width() - 8.0).clamp(100.0, 170.0))
            .show_ui(ui, |ui| {
                for kind in OptimizerKind::ALL {
                    if ui.selectable_label(kind == current, kind.label()).clicked()
                        && kind != current
                    {
                        *settings = OptimizerSettings::default_for(kind);
                        changed = true;
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
        OptimizerSettings::Gd { weight_decay } | OptimizerSettings::Sgd { weight_decay } => {
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Momentum {
            momentum,
            weight_decay,
        } => {
            changed |= ui
                .add(egui::Slider::new(momentum, MOMENTUM_RANGE).text("momentum"))
                .changed();
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Nesterov {
            momentum,
            weight_decay,
        } => {
            // torch refuses Nesterov without momentum.
            let range = MIN_NESTEROV_MOMENTUM..=*MOMENTUM_RANGE.end();
            changed |= ui
                .add(egui::Slider::new(momentum, range).text("momentum"))
                .changed();
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Adagrad { eps, weight_decay } => {
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
        }
        OptimizerSettings::Rmsprop {
            alpha,
            eps,
            weight_decay,
        } => {
            changed |= ui
                .add(egui::Slider::new(alpha, DECAY_RANGE).text("alpha (smoothing)"))
                .changed();
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
            changed |= ui
                .add(egui::Slider::new(beta1, DECAY_RANGE).text("beta1"))
                .changed();
            changed |= ui
                .add(egui::Slider::new(beta2, DECAY_RANGE).text("beta2"))
                .changed();
            changed |= eps_ui(ui, eps);
            changed |= weight_decay_ui(ui, weight_decay);
            changed |= ui.checkbox(amsgrad, "AMSGrad").changed();
        }
        OptimizerSettings::Newton {} => {
            ui.weak("Newton's method uses the Hessian; it has no hyper-parameters.");
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
