//! The explore views: many runs at once, computed in the background by the engine's map
//! jobs. Basins color the contour map; the Explore view puts the explorers beside it.

pub mod basins;
pub mod legend;
pub mod outcome_map;
mod scale;
pub mod two_settings;

use std::sync::Arc;

use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::scenario::{ExploreSettings, ExploreTab};
use crate::engine::{Domain, Point};
use crate::ui::command::Command;

use two_settings::{TwoSettings, TwoSettingsInput};

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

/// The explorers' jobs and pictures.
pub struct Explorer {
    /// The two-setting map.
    pub two_settings: TwoSettings,
}

impl Explorer {
    /// Nothing computed yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            two_settings: TwoSettings::new(ctx),
        }
    }

    /// Blocks until the explorers' jobs have finished (tests, `--screenshot`).
    pub fn wait(&mut self, ctx: &egui::Context) {
        self.two_settings.wait(ctx);
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
        match input.settings.tab {
            ExploreTab::TwoSettings => self.two_settings.ui(
                ui,
                TwoSettingsInput {
                    settings: input.settings,
                    objective,
                    objective_version: input.objective_version,
                    run,
                    minima: input.minima,
                    domain: input.domain,
                },
                commands,
            ),
            _ => {
                ui.label("coming");
            }
        }
    }
}
