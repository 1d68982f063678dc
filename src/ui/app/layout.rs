//! The frame's layout: toolbar, side panel (lesson, problem, display, runs, run editor),
//! learning curve, details panel and the central views.

use crate::engine::scenario::{ConstantSetting, CurveAxis, ProblemField, ProblemKind, ViewMode};
use crate::ui::explore::ExploreInput;

use super::LosscapeApp;
use super::sync::{drawn, with_sims};
use crate::ui::command::Command;
use crate::ui::palette;
use crate::ui::panels::problem;
use crate::ui::panels::runs::{RunReadout, RunsPanel};
use crate::ui::toolbar::{RunBadge, Toolbar};
use crate::ui::trace::Outcome;
use crate::ui::trace::{CostScale, lowest_cost};
use crate::ui::view3d::Trajectory3d;
use crate::ui::views::contour::{ContourInput, TraceView};
use crate::ui::views::learning_curve::{CurveEnd, CurveInput, CurveTrace};
use crate::ui::views::modes;

impl LosscapeApp {
    pub(super) fn toolbar_ui(&mut self, ui: &mut egui::Ui, last: usize) {
        let iteration = self.state.scene.playback.iteration;
        let badges: Vec<RunBadge<'_>> = with_sims(&self.state.scene.runs, &self.sims)
            .enumerate()
            .filter(|(_, (entry, _))| entry.visible)
            .map(|(i, (entry, run))| RunBadge {
                color: palette::run_color(palette::slot(entry.color, i)),
                name: &entry.name,
                status: match run.trace.outcome.stopped_at() {
                    Some(t) if iteration < t => "running".to_owned(),
                    _ => Self::status_text(run, iteration, false),
                },
            })
            .collect();
        egui::Panel::top("toolbar")
            .frame(self.panel_frame(ui, false))
            .show(ui, |ui| {
                ui.add_space(4.0);
                Toolbar {
                    playback: &mut self.state.scene.playback,
                    last,
                    badges: &badges,
                }
                .ui(ui, &mut self.commands);
                ui.add_space(2.0);
            });
    }

    pub(super) fn side_panel_ui(&mut self, ui: &mut egui::Ui) {
        let frame = self.panel_frame(ui, false);
        // Presenter mode has fewer points of room: its own, narrower panel.
        let presenter = self.appearance.presenter;
        let (id, width) = if presenter {
            ("side_presenter", 250.0_f32)
        } else {
            ("side", 370.0)
        };
        let max = side_max_width(ui.available_width(), presenter);
        egui::Panel::left(id)
            .frame(frame)
            .default_size(width.min(max))
            .size_range(MIN_PANEL_WIDTH..=max)
            .resizable(true)
            .show(ui, |ui| {
                if presenter {
                    // Shorter sliders, so the narrower panel holds its rows.
                    ui.spacing_mut().slider_width = 90.0;
                    ui.spacing_mut().combo_width = 110.0;
                }
                let mut scroll = egui::ScrollArea::vertical().auto_shrink([false, false]);
                if std::mem::take(&mut self.side_panel_to_top) {
                    scroll = scroll.vertical_scroll_offset(0.0);
                }
                scroll.show(ui, |ui| self.side_contents(ui));
            });
    }

    fn side_contents(&mut self, ui: &mut egui::Ui) {
        let heading = |text: &str| egui::RichText::new(text).heading();
        if let (Some(progress), Some(lesson)) = (&self.state.lesson, &self.state.scene.lesson) {
            // A header does not wrap: the title goes inside, where a long one can.
            let title = self.state.scene.title.as_deref().unwrap_or("Lesson");
            egui::CollapsingHeader::new(heading("Lesson"))
                .id_salt("lesson")
                .default_open(true)
                .show(ui, |ui| {
                    crate::ui::panels::lesson::LessonPanel {
                        title,
                        lesson,
                        progress,
                        card: self.appearance.presenter,
                    }
                    .ui(ui, &mut self.commands);
                });
        }
        egui::CollapsingHeader::new(heading("Problem"))
            .default_open(true)
            .show(ui, |ui| self.problem_ui(ui));
        if !self.appearance.presenter {
            egui::CollapsingHeader::new(heading("Display"))
                .default_open(false)
                .show(ui, |ui| problem::display_ui(ui, &mut self.state.scene.view));
        }
        egui::CollapsingHeader::new(heading("Runs"))
            .default_open(true)
            .show(ui, |ui| {
                let iteration = self.state.scene.playback.iteration;
                let prediction = self.state.scene.view.prediction;
                let statuses: Vec<String> = self
                    .state
                    .scene
                    .runs
                    .iter()
                    .map(|r| {
                        self.sims.get(&r.id).map_or_else(String::new, |sim| {
                            Self::status_text(sim, iteration, prediction)
                        })
                    })
                    .collect();
                let readouts: Vec<Option<RunReadout>> = self
                    .state
                    .scene
                    .runs
                    .iter()
                    .map(|r| RunReadout::of(&self.sims.get(&r.id)?.trace, iteration))
                    .collect();
                RunsPanel {
                    runs: &mut self.state.scene.runs,
                    selected: self.state.selected_run,
                    statuses: &statuses,
                    readouts: &readouts,
                    iteration,
                }
                .ui(ui, &mut self.commands);
            });
        let selected = self.state.selected_run;
        let advanced = !self.appearance.presenter;
        let examples = self
            .objective
            .objective
            .as_ref()
            .map_or(0, |o| o.example_count());
        let runs = &mut self.state.scene.runs;
        if let Some((position, run)) = runs
            .iter_mut()
            .enumerate()
            .find(|(_, r)| Some(r.id) == selected)
        {
            egui::CollapsingHeader::new(heading(&format!("Run: {}", run.name)))
                .id_salt("run_editor")
                .default_open(true)
                .show(ui, |ui| {
                    crate::ui::panels::run_editor::identity_ui(ui, run, position);
                    let facts =
                        crate::ui::panels::run_settings::ProblemFacts { examples, advanced };
                    crate::ui::panels::run_settings::settings_ui(ui, run, facts);
                });
        }
    }

    fn problem_ui(&mut self, ui: &mut egui::Ui) {
        use crate::ui::panels::formula::{FormulaEdit, formula_ui};
        let problem = &mut self.state.scene.problem;
        // While a formula waits for its compile, the last compile's error (its position
        // in an older text) is not shown.
        let error = self
            .objective
            .error
            .as_ref()
            .filter(|_| self.formula_typed_at.is_none());
        let mut edits = Vec::new();
        let error_in = |field: ProblemField| error.filter(|e| e.field == field);
        let kind = problem.kind();
        ui.horizontal(|ui| {
            for (choice, label) in [
                (ProblemKind::Function, "Function"),
                (ProblemKind::DataFit, "Fit to data"),
            ] {
                if ui.selectable_label(kind == choice, label).clicked() && kind != choice {
                    self.commands.push(Command::SwitchProblemKind(choice));
                }
            }
        });
        // The preset counts only while its text is unchanged.
        let shown_preset = problem.current_preset().map(|p| p.name);
        problem::preset_ui(ui, shown_preset, &mut self.commands);
        if let Some(formula) = &mut problem.formula {
            edits.push(formula_ui(
                ui,
                "J(w, b) =",
                formula,
                error_in(ProblemField::Formula),
                "a cost of w and b, e.g. w^2 + 3*b^2",
            ));
        }
        if let Some(data) = &mut problem.data {
            problem::data_source_ui(ui, &mut data.dataset, &mut self.commands);
            if self.data.is_busy() {
                // A static note: a spinner would repaint every frame.
                ui.weak("choosing or loading a file...");
            }
            if let Some(err) = &self.data.error {
                crate::ui::panels::widgets::error_text(ui, err);
            }
            if let Some(err) = error_in(ProblemField::Dataset) {
                crate::ui::panels::widgets::error_text(ui, &err.message);
            }
            problem::model_picker_ui(ui, &mut data.model, &mut data.loss);
            edits.push(formula_ui(
                ui,
                "model: prediction =",
                &mut data.model,
                error_in(ProblemField::Model),
                "e.g. w*x + b",
            ));
            edits.push(formula_ui(
                ui,
                "loss of one example =",
                &mut data.loss,
                error_in(ProblemField::Loss),
                "e.g. (yhat - y)^2 / 2, or mse, mae, huber, logloss",
            ));
        }
        if edits.contains(&FormulaEdit::Done) {
            self.formula_typed_at = None;
        } else if edits.contains(&FormulaEdit::Typed) {
            self.formula_typed_at = Some(ui.input(|i| i.time));
        }
        constants_ui(ui, &self.objective.constants, &mut problem.constants);
        ui.add_space(4.0);
        ui.label(egui::RichText::new("Domain").strong());
        let has_minima = self
            .objective
            .known_points()
            .iter()
            .any(|p| p.kind.is_minimum());
        match &mut problem.domain {
            Some(domain) => problem::domain_ui(ui, domain, has_minima, &mut self.commands),
            // A data fit's domain follows its data, known once it is built.
            None => {
                ui.weak("the problem's own, once it is built");
            }
        }
    }

    pub(super) fn curve_panel_ui(&mut self, ui: &mut egui::Ui) {
        let axis = self.state.scene.view.curve_axis;
        // On the log scale the curve shows J - J_min: the known minimum (the contour's
        // star), else the lowest J of the runs.
        let known_min = self
            .objective
            .known_points()
            .iter()
            .filter(|p| p.kind == crate::engine::PointKind::GlobalMinimum)
            .map(|p| p.value)
            .min_by(f64::total_cmp);
        let lowest = lowest_cost(drawn(&self.state.scene.runs, &self.sims).map(|(_, r)| &r.trace));
        let view = &self.state.scene.view;
        let scale = CostScale::choose(view.log_cost, view.log_minus_min, known_min, lowest);
        let iteration = self.state.scene.playback.iteration;
        // The playback line: the iteration itself, or where the selected run (else the
        // first visible one) is on the epochs / examples axis.
        let mut position = None;
        for entry in &self.state.scene.runs {
            if let Some(run) = self.sims.get_mut(&entry.id)
                && entry.visible
                && !run.trace.path.is_empty()
            {
                let _ = run.trace.curve(axis, scale);
                let x = run.trace.x_at(run.trace.index_at(iteration), axis);
                if position.is_none() || Some(entry.id) == self.state.selected_run {
                    position = Some(x);
                }
            }
        }
        if axis == CurveAxis::Iterations {
            position = Some(iteration as f64);
        }
        // A run on many examples with small batches samples its full-data cost on a stride
        // (recording it every iteration would cost more than the training): the legend says so.
        let names: Vec<String> = drawn(&self.state.scene.runs, &self.sims)
            .map(
                |(entry, run)| match run.run.as_ref().map(|r| r.history().full_cost_stride()) {
                    Some(k) if k > 1 => format!("{} (J every {k} iterations)", entry.name),
                    _ => entry.name.clone(),
                },
            )
            .collect();
        let prediction = self.state.scene.view.prediction;
        let traces: Vec<CurveTrace<'_>> = drawn(&self.state.scene.runs, &self.sims)
            .zip(&names)
            .map(|((entry, run), name)| {
                let trace = &run.trace;
                let mut points = trace.cached_curve();
                let mut end = CurveEnd::of(trace, axis, scale);
                if prediction {
                    // Only what has happened by the playback position.
                    let x = trace.x_at(trace.index_at(iteration), axis);
                    points = &points[..points.partition_point(|p| p.x <= x)];
                    if trace.outcome.stopped_at().is_none_or(|t| iteration < t) {
                        end = CurveEnd::Open;
                    }
                }
                CurveTrace {
                    name,
                    color: palette::run_color_on(palette::slot(entry.color, 0), ui),
                    points,
                    end,
                }
            })
            .collect();
        let has_data = self.state.scene.problem.kind() == ProblemKind::DataFit;
        let epsilon = self.state.selected().and_then(|r| r.epsilon);
        let reset = std::mem::take(&mut self.reset_curve);
        let frame = self.panel_frame(ui, false);
        let (id, height) = if self.appearance.presenter {
            ("learning_curve_presenter", 170.0)
        } else {
            ("learning_curve", 220.0)
        };
        let panel = egui::Panel::bottom(id)
            .frame(frame)
            .default_size(height)
            .min_size(140.0)
            .max_size((ui.available_height() * 0.5).max(140.0))
            .resizable(true)
            .show(ui, |ui| {
                let changed = self.curve_view.ui(
                    ui,
                    CurveInput {
                        settings: &mut self.state.scene.view,
                        has_data,
                        traces: &traces,
                        scale,
                        position,
                        epsilon,
                        reset_view: reset,
                    },
                );
                if changed {
                    self.reset_curve = true;
                }
            });
        self.view_rects.learning_curve = Some(panel.response.rect);
    }

    /// The details panel (slices, step inspector, data view) on the right.
    pub(super) fn details_panel_ui(&mut self, ui: &mut egui::Ui) {
        // The Explore view uses the room of the details panel for its explorers.
        let view = &self.state.scene.view;
        if !view.details || view.mode == ViewMode::Explore {
            return;
        }
        let selected = with_sims(&self.state.scene.runs, &self.sims)
            .find(|(entry, _)| Some(entry.id) == self.state.selected_run);
        let (run, run_name, color) = match selected {
            Some((entry, sim)) => (
                sim.run.as_ref(),
                entry.name.as_str(),
                palette::run_color_on(palette::slot(entry.color, 0), ui),
            ),
            None => (None, "none", egui::Color32::GRAY),
        };
        let objective = self.objective.objective.clone();
        let problem = &self.state.scene.problem;
        let constant = |name: &str| {
            problem
                .constants
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.value)
        };
        let data = match (&problem.data, &self.data.dataset) {
            (Some(fit), Some(dataset)) => Some(crate::ui::views::details::DataFitInput {
                dataset,
                model: &fit.model,
                constant: &constant,
                pick: self.hover_contour,
            }),
            _ => None,
        };
        // Presenter mode has fewer points of room: its own, narrower panel.
        let (id, width) = if self.appearance.presenter {
            ("details_presenter", 230.0_f32)
        } else {
            ("details", 330.0)
        };
        // With the side panel and the details open, the views keep half the window.
        let window = ui.ctx().content_rect().width();
        let max = details_max_width(window, ui.available_width());
        egui::Panel::right(id)
            .default_size(width.min(max))
            .size_range(MIN_PANEL_WIDTH..=max)
            .resizable(true)
            .show(ui, |ui| {
                egui::ScrollArea::vertical()
                    .auto_shrink([false, false])
                    .show(ui, |ui| {
                        self.details.ui(
                            ui,
                            crate::ui::views::details::DetailsInput {
                                sections: &mut self.state.scene.view.details_sections,
                                objective: objective.as_deref(),
                                objective_version: self.objective.version,
                                run,
                                run_name,
                                color,
                                iteration: self.state.scene.playback.iteration,
                                domain: self.shown_domain,
                                data,
                            },
                        );
                    });
            });
    }

    pub(super) fn central_ui(&mut self, ui: &mut egui::Ui) {
        let minima = self.minima();
        let iteration = self.state.scene.playback.iteration;
        let settings = self.state.scene.view.clone();
        let texture = self
            .surface
            .texture(ui.ctx(), settings.colormap, settings.color_scale)
            .map(|t| t.id());
        let traces: Vec<TraceView<'_>> = drawn(&self.state.scene.runs, &self.sims)
            .map(|(entry, run)| TraceView {
                name: &entry.name,
                color: palette::run_color(palette::slot(entry.color, 0)),
                path: run.trace.path_until(iteration),
                selected: Some(entry.id) == self.state.selected_run,
                diverged_at: match run.trace.outcome {
                    Outcome::Diverged(t) => Some(t),
                    _ => None,
                },
                trials: run.trace.trials_until(iteration),
                average: run.trace.average_at(iteration),
            })
            .collect();
        // The selected run at the playback position: its point, the gradient there and
        // where its next update goes.
        let selected = with_sims(&self.state.scene.runs, &self.sims)
            .find(|(entry, _)| Some(entry.id) == self.state.selected_run && entry.visible)
            .and_then(|(entry, run)| {
                let i = run.trace.index_at(iteration);
                let p = run.trace.path.get(i)?;
                // Rows between a strided run's full-data costs have no full gradient.
                let g = *run
                    .trace
                    .gradient
                    .get(i)
                    .filter(|g| g.iter().all(|v| v.is_finite()))?;
                let next = run.trace.path.get(i + 1).map(|n| [n.x, n.y]);
                let color = palette::run_color(palette::slot(entry.color, 0));
                Some(([p.x, p.y], g, color, next))
            });
        let gradient_at = selected.map(|(at, g, color, _)| (at, g, color));
        let step = selected.and_then(|(at, _, _, next)| Some((at, next?)));
        let reset = std::mem::take(&mut self.reset_contour);
        let ensemble_color = self
            .state
            .scene
            .runs
            .iter()
            .find(|r| Some(r.id) == self.state.selected_run)
            .map(|r| palette::run_color(palette::slot(r.color, 0)));
        if settings.explore.ensemble {
            let selected = self.state.selected_run;
            let runs = &self.state.scene.runs;
            self.explorer.request_seeds(ExploreInput {
                settings: &mut self.state.scene.view.explore,
                objective: self.objective.objective.as_ref(),
                objective_version: self.objective.version,
                run: runs.iter().find(|r| Some(r.id) == selected),
                runs,
                minima: &minima,
                domain: self.shown_domain,
            });
        }
        let ensemble = settings
            .explore
            .ensemble
            .then(|| self.explorer.seeds.ensemble())
            .flatten();
        let ensemble_view = ensemble.as_deref().zip(ensemble_color).map(|(e, color)| {
            crate::ui::views::contour::EnsembleView {
                paths: &e.paths,
                color,
                iteration,
            }
        });
        let basins_texture = settings
            .explore
            .basins
            .then(|| self.basins.texture(ui.ctx()))
            .flatten();
        let progress = self.surface.progress().or(self.basins.view.progress());
        let surface_status = self.surface.status().or_else(|| {
            let view = &settings.explore;
            if !view.basins {
                return None;
            }
            if let Some(e) = &self.basins.view.error {
                return Some(format!("no basins: {e}"));
            }
            self.basins
                .view
                .progress()
                .map(|p| format!("basins {:.0}%", p * 100.0))
        });
        let objective = self.objective.objective.clone();
        let known_points = self.shown_known_points();
        let trajectories: Vec<Trajectory3d<'_>> = drawn(&self.state.scene.runs, &self.sims)
            .map(|(entry, run)| Trajectory3d {
                path: run.trace.path_until(iteration),
                cost: &run.trace.cost,
                color: palette::run_color(palette::slot(entry.color, 0)),
                selected: Some(entry.id) == self.state.selected_run,
                diverged_at: match run.trace.outcome {
                    crate::ui::trace::Outcome::Diverged(t) => Some(t),
                    _ => None,
                },
            })
            .collect();
        let grid = self.surface.current.as_ref().map(|s| &s.grid);
        let mut response = None;
        let frame = self.panel_frame(ui, true);
        egui::CentralPanel::default().frame(frame).show(ui, |ui| {
            let histories: Vec<(&str, &crate::engine::run::History)> =
                with_sims(&self.state.scene.runs, &self.sims)
                    .filter_map(|(e, sim)| sim.run.as_ref().map(|r| (e.name.as_str(), r.history())))
                    .collect();
            modes::view_bar(
                ui,
                &mut self.state.scene.view,
                &mut self.exporter,
                !self.appearance.presenter,
                || crate::ui::export::histories_csv(&histories),
            );
            // The progress line is drawn in the gap below the view bar and the basins legend
            // keeps its row while the map is computed, so nothing below moves under the pointer.
            if let Some(p) = progress {
                progress_line(ui, p);
            }
            if settings.explore.basins {
                match (&self.basins.view.map, basins_texture.is_some()) {
                    (Some(map), true) => crate::ui::explore::legend::basins_legend(
                        ui,
                        &map.shades,
                        map.job.minima().len(),
                    ),
                    _ if self.basins.view.progress().is_some() => {
                        crate::ui::explore::legend::basins_pending(ui)
                    }
                    _ => {}
                }
            }
            let contour_input = ContourInput {
                settings: &settings,
                domain: self.shown_domain,
                surface: self.surface.current.as_ref(),
                surface_status: surface_status.as_deref(),
                texture,
                basins: basins_texture,
                ensemble: ensemble_view,
                field: (&self.surface.field_origins, &self.surface.field_tips),
                traces: &traces,
                known_points: &known_points,
                gradient_at,
                step,
                objective: objective.as_deref(),
                reset_view: reset,
            };
            let split = self.state.scene.view.mode == ViewMode::Both;
            let contour_hover = self.hover_contour.filter(|_| split);
            self.contour_view.linked_hover = self.hover_3d.filter(|_| split);
            let mut surface_ui = |ui: &mut egui::Ui| {
                self.surface3d.ui(
                    ui,
                    modes::Surface3dPanelInput {
                        settings: &mut self.state.scene.view.camera,
                        grid,
                        colormap: settings.colormap,
                        color_scale: settings.color_scale,
                        trajectories: &trajectories,
                        known_points: &known_points,
                        linked_hover: contour_hover,
                        status: surface_status.as_deref(),
                    },
                )
            };
            match self.state.scene.view.mode {
                ViewMode::Contour => {
                    self.view_rects.contour = Some(ui.available_rect_before_wrap());
                    response = Some(self.contour_view.ui(ui, contour_input));
                    self.hover_3d = None;
                    self.view_rects.surface3d = None;
                }
                ViewMode::Surface3d => {
                    let r = surface_ui(ui);
                    self.hover_3d = r.hovered;
                    self.view_rects.surface3d = r.rect;
                    self.view_rects.contour = None;
                }
                ViewMode::Explore => {
                    let contour_view = &mut self.contour_view;
                    let rects = &mut self.view_rects;
                    let explorer = &mut self.explorer;
                    let commands = &mut self.commands;
                    let selected = self.state.selected_run;
                    let runs = &self.state.scene.runs;
                    let input = ExploreInput {
                        settings: &mut self.state.scene.view.explore,
                        objective: objective.as_ref(),
                        objective_version: self.objective.version,
                        run: runs.iter().find(|r| Some(r.id) == selected),
                        runs,
                        minima: &minima,
                        domain: self.shown_domain,
                    };
                    self.hover_3d = None;
                    rects.surface3d = None;
                    response = Some(modes::split(
                        ui,
                        |ui| {
                            rects.contour = Some(ui.available_rect_before_wrap());
                            contour_view.ui(ui, contour_input)
                        },
                        |ui| explorer.ui(ui, input, commands),
                    ));
                }
                ViewMode::Both => {
                    let contour_view = &mut self.contour_view;
                    let rects = &mut self.view_rects;
                    let hover_3d = &mut self.hover_3d;
                    response = Some(modes::split(
                        ui,
                        |ui| {
                            rects.contour = Some(ui.available_rect_before_wrap());
                            contour_view.ui(ui, contour_input)
                        },
                        |ui| {
                            let r = surface_ui(ui);
                            *hover_3d = r.hovered;
                            rects.surface3d = r.rect;
                        },
                    ));
                }
            }
        });
        // Linked hover: each view marks, next frame, what the mouse points at in the other.
        self.hover_contour = response.and_then(|r| r.hovered);
        if let Some(Some((at, shift))) = response.map(|r| r.clicked) {
            self.commands.push(Command::SetStart { at, all: shift });
        }
    }
}

/// The narrowest a side or details panel gets (its widgets need this much).
const MIN_PANEL_WIDTH: f32 = 210.0;

/// The side panel's widest, in a window `window` points wide: at most 30% of it (25% in
/// presenter mode, whose window is fewer points wide), so the details panel and the views
/// keep their room.
fn side_max_width(window: f32, presenter: bool) -> f32 {
    let share = if presenter { 0.25 } else { 0.3 };
    (window * share).max(MIN_PANEL_WIDTH)
}

/// The details panel's widest when `available` points are left beside the side panel in a
/// window `window` points wide: what keeps half the window for the views (and the central
/// panel's margins).
fn details_max_width(window: f32, available: f32) -> f32 {
    (available - window * 0.5 - 24.0).max(MIN_PANEL_WIDTH)
}

/// One slider per free constant of the formula, with an editable range.
fn constants_ui(ui: &mut egui::Ui, names: &[String], constants: &mut [ConstantSetting]) {
    for name in names {
        let Some(constant) = constants.iter_mut().find(|c| &c.name == name) else {
            continue;
        };
        ui.horizontal(|ui| {
            let (lo, hi) = constant.range();
            let (lo, hi) = ordered_range(lo, hi);
            ui.add(
                egui::Slider::new(&mut constant.value, lo..=hi)
                    .text(name.as_str())
                    .clamping(egui::SliderClamping::Never),
            );
            ui.menu_button("range", |ui| {
                let widgets = crate::ui::panels::widgets::number;
                widgets(
                    ui,
                    &format!("{name} from"),
                    constant.min.get_or_insert(lo),
                    0.1,
                );
                widgets(
                    ui,
                    &format!("{name} to"),
                    constant.max.get_or_insert(hi),
                    0.1,
                );
            });
        });
    }
}

/// A usable slider range from what was typed (swapped when reversed, widened when empty).
fn ordered_range(a: f64, b: f64) -> (f64, f64) {
    let (a, b) = (
        if a.is_finite() { a } else { -5.0 },
        if b.is_finite() { b } else { 5.0 },
    );
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    if hi > lo {
        (lo, hi)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

/// A thin progress line filling the item gap above the cursor: it takes no layout space.
fn progress_line(ui: &egui::Ui, fraction: f32) {
    let gap = ui.spacing().item_spacing.y;
    let top = ui.cursor().top() - gap;
    let rect = egui::Rect::from_x_y_ranges(ui.max_rect().x_range(), top..=top + gap);
    let visuals = ui.visuals();
    ui.painter()
        .rect_filled(rect, 1.0, visuals.widgets.inactive.bg_fill);
    let done = rect.left() + rect.width() * fraction.clamp(0.0, 1.0);
    let filled = egui::Rect::from_x_y_ranges(rect.left()..=done, rect.y_range());
    ui.painter()
        .rect_filled(filled, 1.0, visuals.selection.bg_fill);
}
