//! The problem panel: what J(w, b) is (preset, formula, constants, or a model fitted to a
//! dataset), the domain shown, and how the surface is drawn.

use crate::engine::Domain;
use crate::engine::limits::{DATA_NOISE_RANGE, EXAMPLES_SLIDER, LEVELS_RANGE};
use crate::engine::objective::{NamedLoss, PresetGroup, presets};
use crate::engine::scenario::{DataSource, ViewSettings};
use crate::engine::surface::{Colormap, LevelSpacing, ValueScale};

use super::super::command::Command;
use super::widgets;

/// The domain editor: w and b ranges, "fit to minima" (when minima are known) and
/// "reset view".
pub fn domain_ui(
    ui: &mut egui::Ui,
    domain: &mut Domain,
    has_minima: bool,
    commands: &mut Vec<Command>,
) {
    let (w_speed, b_speed) = (drag_speed(domain.w_span()), drag_speed(domain.b_span()));
    egui::Grid::new("domain")
        .num_columns(4)
        .spacing([6.0, 4.0])
        .show(ui, |ui| {
            widgets::number_cell(ui, "w from", &mut domain.w_min, w_speed);
            widgets::number_cell(ui, "to", &mut domain.w_max, w_speed);
            ui.end_row();
            widgets::number_cell(ui, "b from", &mut domain.b_min, b_speed);
            widgets::number_cell(ui, "to", &mut domain.b_max, b_speed);
            ui.end_row();
        });
    if let Some(problem) = domain_problem(domain) {
        widgets::error_text(ui, &problem);
    }
    ui.horizontal_wrapped(|ui| {
        if ui
            .add_enabled(has_minima, egui::Button::new("Fit to minima"))
            .on_hover_text("Frame the known minima")
            .on_disabled_hover_text("No minimum of this problem is known in closed form")
            .clicked()
        {
            commands.push(Command::FitDomainToMinima);
        }
        if ui
            .button("Reset view")
            .on_hover_text("The problem's own domain, zoom reset")
            .clicked()
        {
            commands.push(Command::ResetView);
        }
    });
}

/// What is wrong with a typed domain, if anything (the view keeps the last valid one).
pub fn domain_problem(domain: &Domain) -> Option<String> {
    domain
        .validate()
        .err()
        .map(|m| format!("{m} (showing the last valid domain)"))
}

fn drag_speed(span: f64) -> f64 {
    if span.is_finite() && span > 0.0 {
        span / 200.0
    } else {
        0.01
    }
}

/// Heat map, colormap, color scale, contour levels, gradient display.
pub fn display_ui(ui: &mut egui::Ui, settings: &mut ViewSettings) {
    ui.checkbox(&mut settings.heat_map, "heat map");
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("colormap");
        egui::ComboBox::from_id_salt("colormap")
            .selected_text(settings.colormap.name())
            .show_ui(ui, |ui| {
                for map in Colormap::ALL {
                    ui.selectable_value(&mut settings.colormap, map, map.name());
                }
            })
            .response
            .labelled_by(label.id);
    });
    ui.horizontal_wrapped(|ui| {
        ui.label("color scale");
        ui.radio_value(&mut settings.color_scale, ValueScale::Linear, "linear");
        ui.radio_value(&mut settings.color_scale, ValueScale::Log, "log");
    });
    ui.add(egui::Slider::new(&mut settings.levels, LEVELS_RANGE).text("contour levels"));
    ui.horizontal_wrapped(|ui| {
        ui.label("spacing");
        for spacing in LevelSpacing::ALL {
            ui.radio_value(&mut settings.level_spacing, spacing, spacing.name());
        }
    });
    ui.checkbox(
        &mut settings.gradient_arrow,
        "gradient arrow (selected run)",
    );
    ui.checkbox(&mut settings.step_arrow, "actual step (selected run)");
    ui.checkbox(&mut settings.gradient_field, "gradient field");
}

/// The dataset chooser of a data-fit problem. Picking "CSV file..." asks for a file; the
/// source only changes once the file has loaded.
pub fn data_source_ui(ui: &mut egui::Ui, source: &mut DataSource, commands: &mut Vec<Command>) {
    let name = source.label();
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("dataset");
        egui::ComboBox::from_id_salt("dataset")
            .selected_text(name)
            .show_ui(ui, |ui| {
                let linear = matches!(source, DataSource::Linear { .. });
                if ui.selectable_label(linear, "synthetic line").clicked() && !linear {
                    *source = DataSource::linear();
                }
                let classes = matches!(source, DataSource::Classes { .. });
                if ui.selectable_label(classes, "synthetic classes").clicked() && !classes {
                    *source = DataSource::classes();
                }
                let house = matches!(source, DataSource::HousePrices {});
                if ui
                    .selectable_label(house, "house prices (bundled)")
                    .clicked()
                    && !house
                {
                    *source = DataSource::HousePrices {};
                }
            })
            .response
            .labelled_by(label.id);
        if ui
            .button("Open CSV...")
            .on_hover_text("A file with two columns: x, y")
            .clicked()
        {
            commands.push(Command::OpenCsvDialog);
        }
    });
    match source {
        DataSource::Linear {
            examples,
            noise,
            seed,
            ..
        }
        | DataSource::Classes {
            examples,
            noise,
            seed,
        } => {
            ui.add(
                egui::Slider::new(examples, EXAMPLES_SLIDER)
                    .logarithmic(true)
                    .text("examples m"),
            );
            ui.add(egui::Slider::new(noise, DATA_NOISE_RANGE).text("noise"));
            widgets::seed(ui, "data seed", seed, "data-seed");
        }
        DataSource::HousePrices {} => {
            ui.weak("40 houses: size (100 m²) as x, price (100k) as y");
        }
        DataSource::Csv { path } => {
            ui.weak(format!("file: {}", path.display()));
        }
    }
}

/// The preset picker, grouped by kind; choosing one becomes a command.
pub fn preset_ui(ui: &mut egui::Ui, current: Option<&str>, commands: &mut Vec<Command>) {
    let shown = current
        .and_then(crate::engine::objective::preset)
        .map_or("custom", |p| p.title);
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("preset");
        egui::ComboBox::from_id_salt("preset")
            .selected_text(shown)
            // As wide as the panel allows, up to 200.
            .width((ui.available_width() - 8.0).clamp(100.0, 200.0))
            .height(600.0)
            .show_ui(ui, |ui| {
                for group in PresetGroup::ALL {
                    ui.label(egui::RichText::new(group.label()).strong().small());
                    for p in presets().iter().filter(|p| p.group == group) {
                        let selected = current == Some(p.name);
                        if ui
                            .selectable_label(selected, p.title)
                            .on_hover_text(p.description)
                            .clicked()
                        {
                            commands.push(Command::ChoosePreset(p.name.to_owned()));
                        }
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
    if let Some(p) = current.and_then(crate::engine::objective::preset) {
        ui.add(egui::Label::new(egui::RichText::new(p.description).weak()).wrap());
    }
}

/// Ready-made models and losses for a data fit; picking one fills the text fields.
pub fn model_picker_ui(ui: &mut egui::Ui, model: &mut String, loss: &mut String) {
    const MODELS: [(&str, &str); 3] = [
        ("line", "w*x + b"),
        ("sigmoid", "sigmoid(w*x + b)"),
        ("exponential", "b*exp(w*x)"),
    ];
    ui.horizontal_wrapped(|ui| {
        let label = ui.label("model");
        let shown = MODELS
            .iter()
            .find(|(_, m)| m == model)
            .map_or("custom", |(name, _)| name);
        egui::ComboBox::from_id_salt("model_picker")
            .selected_text(shown)
            .width(110.0)
            .show_ui(ui, |ui| {
                for (name, text) in MODELS {
                    if ui.selectable_label(model == text, name).clicked() {
                        *model = text.to_owned();
                    }
                }
            })
            .response
            .labelled_by(label.id);
        let label = ui.label("loss");
        let current = NamedLoss::from_name(loss).map_or("custom", NamedLoss::name);
        egui::ComboBox::from_id_salt("loss_picker")
            .selected_text(current)
            .width(90.0)
            .show_ui(ui, |ui| {
                for named in NamedLoss::ALL {
                    if ui
                        .selectable_label(current == named.name(), named.name())
                        .on_hover_text(named.description())
                        .clicked()
                    {
                        *loss = named.name().to_owned();
                        // logloss needs a probability: the line becomes its sigmoid.
                        if named == NamedLoss::Logloss && model.trim() == MODELS[0].1 {
                            *model = MODELS[1].1.to_owned();
                        }
                    }
                }
            })
            .response
            .labelled_by(label.id);
    });
}
