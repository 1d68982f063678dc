//! The explore views: many runs at once, computed in the background by the engine's map
//! jobs. Basins color the contour map; the Explore view puts the explorers beside it.

pub mod basins;
mod computed;
pub mod learning_rate;
pub mod legend;
pub mod minima;
pub mod outcome_map;
pub mod race;
pub mod range_test;
mod scale;
pub mod seeds;
mod texture;
pub mod two_settings;

use std::sync::Arc;

use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::scenario::{ExploreSettings, ExploreTab};
use crate::engine::{Domain, Point};
use crate::ui::command::Command;

use learning_rate::{LearningRateExplorer, LearningRateInput};
use race::Race;
use range_test::RangeTestView;
use seeds::Seeds;
use two_settings::TwoSettings;

/// What the explorers work on this frame.
pub struct ExploreInput<'a> {
    /// Their settings (saved with the scene).
    pub settings: &'a mut ExploreSettings,
    /// The problem, once built.
    pub objective: Option<&'a Arc<dyn Objective>>,
    /// Its version.
    pub objective_version: u64,
    /// The selected run.
    pub run: Option<&'a RunSettings>,
    /// Every run of the scene (the race tunes the visible ones).
    pub runs: &'a [RunSettings],
    /// The known minima.
    pub minima: &'a [Point],
    /// The shown region.
    pub domain: Domain,
}

/// What an explorer of the selected run works on.
pub struct RunInput<'a> {
    /// The explore settings (saved with the scene).
    pub settings: &'a mut ExploreSettings,
    /// The problem.
    pub objective: &'a Arc<dyn Objective>,
    /// Its version (a rebuilt problem recomputes).
    pub objective_version: u64,
    /// The selected run.
    pub run: &'a RunSettings,
    /// Known minima.
    pub minima: &'a [Point],
    /// The shown region (the tolerance for "reached a minimum").
    pub domain: Domain,
}

/// The explorers' jobs and pictures.
pub struct Explorer {
    /// The learning-rate scan (stability map, sweep, bifurcation).
    pub learning_rate: LearningRateExplorer,
    /// The range test.
    pub range_test: RangeTestView,
    /// The two-setting map.
    pub two_settings: TwoSettings,
    /// The seed ensemble.
    pub seeds: Seeds,
    /// The fair race.
    pub race: Race,
}

impl Explorer {
    /// Nothing computed yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            learning_rate: LearningRateExplorer::new(ctx.clone()),
            range_test: RangeTestView::new(ctx.clone()),
            two_settings: TwoSettings::new(ctx.clone()),
            seeds: Seeds::new(ctx.clone()),
            race: Race::new(ctx),
        }
    }

    /// Blocks until the explorers' jobs have finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.learning_rate.wait();
        self.range_test.wait();
        self.two_settings.wait();
        self.seeds.wait();
        self.race.wait();
    }

    /// Keeps the seed ensemble of the selected run up to date while it is drawn on the
    /// contour map (outside the Seeds tab).
    pub fn request_seeds(&mut self, input: ExploreInput<'_>) {
        if let (Some(objective), Some(run)) = (input.objective, input.run) {
            self.seeds.request(&RunInput {
                settings: input.settings,
                objective,
                objective_version: input.objective_version,
                run,
                minima: input.minima,
                domain: input.domain,
            });
        }
    }

    /// The tab bar and the chosen explorer, filling `ui`.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: ExploreInput<'_>, commands: &mut Vec<Command>) {
        ui.horizontal_wrapped(|ui| {
            for (tab, title) in ExploreTab::ALL {
                ui.selectable_value(&mut input.settings.tab, tab, title);
            }
        });
        ui.separator();
        let (Some(objective), Some(run)) = (input.objective, input.run) else {
            ui.label("Select a run of a valid problem to explore it.");
            return;
        };
        let color = crate::ui::palette::run_color(crate::ui::palette::slot(run.color, 0));
        let start = crate::engine::run::start(run, objective.as_ref()).0;
        let run_input = |settings| RunInput {
            settings,
            objective,
            objective_version: input.objective_version,
            run,
            minima: input.minima,
            domain: input.domain,
        };
        let lr_input = |settings| LearningRateInput {
            settings,
            objective,
            objective_version: input.objective_version,
            run,
            color,
            start,
            minima: input.minima,
            domain: input.domain,
        };
        // On a small screen (presenter mode) an explorer scrolls rather than being cut off.
        egui::ScrollArea::vertical()
            .auto_shrink(false)
            .show(ui, |ui| match input.settings.tab {
                ExploreTab::LearningRate => {
                    self.learning_rate
                        .ui(ui, lr_input(input.settings), commands);
                }
                ExploreTab::Bifurcation => {
                    self.learning_rate
                        .bifurcation_ui(ui, lr_input(input.settings), commands);
                }
                ExploreTab::RangeTest => {
                    self.range_test
                        .ui(ui, run_input(input.settings), color, commands)
                }
                ExploreTab::Seeds => self.seeds.ui(ui, run_input(input.settings), commands),
                ExploreTab::Race => self.race.ui(
                    ui,
                    input.settings,
                    objective,
                    input.objective_version,
                    input.runs,
                    input.minima,
                    input.domain,
                    commands,
                ),
                ExploreTab::TwoSettings => {
                    self.two_settings
                        .ui(ui, run_input(input.settings), commands)
                }
            });
    }
}
