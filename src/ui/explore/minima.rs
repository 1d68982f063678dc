//! The minima the explore views sort runs by: the problem's known ones, or for a typed
//! formula without any, those a critical-point search finds in the shown region (in the
//! background, as `losscape map` does).

use std::sync::Arc;

use crate::engine::objective::Objective;
use crate::engine::surface::{CriticalKind, CriticalOptions, find_critical_points};
use crate::engine::{Domain, KnownPoint, Point};

use super::computed::Computed;

type Key = (u64, [u64; 4]);

/// The searched minima of the current problem and region.
pub struct MinimaSearch {
    search: Computed<Key, (Key, Vec<Point>)>,
}

impl MinimaSearch {
    /// Nothing searched yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            search: Computed::new(ctx),
        }
    }

    /// The minima for `objective` (version `version`) over `domain`: its known minima when
    /// it has some (or is a data fit), else the search's once it has finished (none before).
    pub fn minima(
        &mut self,
        objective: Option<&Arc<dyn Objective>>,
        version: u64,
        known: &[KnownPoint],
        domain: Domain,
    ) -> Vec<Point> {
        let known: Vec<Point> = known
            .iter()
            .filter(|p| p.kind.is_minimum())
            .map(|p| p.at)
            .collect();
        let Some(objective) = objective else {
            return known;
        };
        if !known.is_empty() || objective.example_count() > 0 {
            return known;
        }
        let key = (
            version,
            [domain.w_min, domain.w_max, domain.b_min, domain.b_max].map(f64::to_bits),
        );
        let objective = Arc::clone(objective);
        self.search.request(key, move |_| {
            let found =
                find_critical_points(objective.as_ref(), domain, &CriticalOptions::default())
                    .points
                    .iter()
                    .filter(|p| p.kind == CriticalKind::Minimum)
                    .map(|p| p.at)
                    .collect();
            Ok((key, found))
        });
        self.search.poll();
        match &self.search.result {
            Some(r) if r.0 == key => r.1.clone(),
            _ => Vec::new(),
        }
    }

    /// Blocks until the search has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.search.wait();
    }
}
