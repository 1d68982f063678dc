//! The explore views' settings: the basins on the contour map, the learning-rate explorer,
//! the two-setting map, the seed ensemble and the fair race. Saved with the scene, so a
//! lesson or a file reopens the same picture.

use super::error::{FieldPath, ScenarioError};
use crate::engine::map::{Axis, AxisName};

/// Which explorer the Explore view shows beside the contour map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExploreTab {
    /// Cost against learning rate and iteration, the sweep curve and the stability limit.
    #[default]
    LearningRate,
    /// Late iterates against the learning rate.
    Bifurcation,
    /// One run with an exponentially growing learning rate.
    RangeTest,
    /// Any two settings against each other, colored by outcome.
    TwoSettings,
    /// Many seeds of a stochastic run.
    Seeds,
    /// Each run at its best learning rate.
    Race,
}

impl ExploreTab {
    /// Every tab with its title, in the order the view shows them.
    pub const ALL: [(Self, &'static str); 6] = [
        (Self::LearningRate, "Learning rate"),
        (Self::Bifurcation, "Bifurcation"),
        (Self::RangeTest, "Range test"),
        (Self::TwoSettings, "Two settings"),
        (Self::Seeds, "Seeds"),
        (Self::Race, "Race"),
    ];
}

/// One axis of the two-setting map: which setting, over which range, evenly or on a log scale.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExploreAxis {
    /// The setting varied.
    pub name: AxisName,
    /// The first value.
    pub lo: f64,
    /// The last value.
    pub hi: f64,
    /// Log spacing.
    #[serde(default)]
    pub log: bool,
}

impl ExploreAxis {
    /// The engine's axis with `count` values.
    pub fn axis(&self, count: usize) -> Axis {
        Axis {
            name: self.name,
            lo: self.lo,
            hi: self.hi,
            log: self.log,
            count,
        }
    }

    /// A sensible range for `name` (what the axis picker switches to).
    pub fn default_for(name: AxisName) -> Self {
        let (lo, hi, log) = match name {
            AxisName::W0 | AxisName::B0 => (-2.0, 2.0, false),
            AxisName::Lr | AxisName::LrW | AxisName::LrB | AxisName::LrKeepRatio => {
                (1e-4, 1.0, true)
            }
            AxisName::Momentum | AxisName::Beta1 => (0.0, 0.99, false),
            AxisName::Beta2 | AxisName::Alpha => (0.5, 0.9999, false),
            AxisName::Eps => (1e-10, 1e-2, true),
            AxisName::WeightDecay => (0.0, 1.0, false),
            AxisName::Noise => (0.0, 2.0, false),
            AxisName::BatchSize => (1.0, 64.0, false),
            AxisName::Seed => (0.0, 99.0, false),
        };
        Self { name, lo, hi, log }
    }

    fn validate(&self, here: &FieldPath) -> Result<(), ScenarioError> {
        let ok = self.lo.is_finite() && self.hi.is_finite() && self.lo < self.hi;
        if !ok {
            return Err(ScenarioError::at(
                here.then("lo"),
                format!(
                    "the range must be finite with lo < hi, not [{}, {}]",
                    self.lo, self.hi
                ),
            ));
        }
        if self.log && self.lo <= 0.0 {
            return Err(ScenarioError::at(
                here.then("lo"),
                format!("a log axis needs lo > 0, not {}", self.lo),
            ));
        }
        Ok(())
    }
}

/// Starts per side of the basin picture.
pub const BASIN_RESOLUTION_RANGE: std::ops::RangeInclusive<usize> = 16..=512;

/// Iterations a basin, scan, ensemble or race run may take.
pub const EXPLORE_ITERATIONS_RANGE: std::ops::RangeInclusive<u64> = 1..=100_000;

/// Learning rates (columns) of a scan, and cells per side of a two-setting map.
pub const EXPLORE_COUNT_RANGE: std::ops::RangeInclusive<usize> = 2..=1024;

/// Seeds of an ensemble.
pub const SEEDS_RANGE: std::ops::RangeInclusive<usize> = 2..=1000;

/// The explore views' settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ExploreSettings {
    /// Color the contour map by where the selected run's optimizer ends from each start.
    pub basins: bool,
    /// Starts per side of the basin picture.
    pub basin_resolution: usize,
    /// Iterations each start runs for (at most).
    pub basin_iterations: u64,
    /// The explorer shown beside the contour map in the Explore view.
    pub tab: ExploreTab,
    /// The learning-rate scan's lowest rate (log axis).
    pub lr_lo: f64,
    /// The learning-rate scan's highest rate.
    pub lr_hi: f64,
    /// Learning rates (columns) of the scan.
    pub lr_count: usize,
    /// Iterations of each scanned run (the stability map's height).
    pub lr_iterations: u64,
    /// The two-setting map's horizontal axis.
    pub map_x: ExploreAxis,
    /// The two-setting map's vertical axis.
    pub map_y: ExploreAxis,
    /// Cells per side of the two-setting map.
    pub map_count: usize,
    /// Iterations of each cell of the two-setting map (at most).
    pub map_iterations: u64,
    /// Draw the seed ensemble of a stochastic run on the contour map and learning curve.
    pub ensemble: bool,
    /// Seeds in the ensemble.
    pub seeds: usize,
    /// Iterations of the range test.
    pub range_iterations: u64,
    /// Iterations the fair race tunes for.
    pub race_iterations: u64,
}

impl Default for ExploreSettings {
    fn default() -> Self {
        Self {
            basins: false,
            basin_resolution: 128,
            basin_iterations: 500,
            tab: ExploreTab::LearningRate,
            lr_lo: 1e-4,
            lr_hi: 1.0,
            lr_count: 160,
            lr_iterations: 200,
            map_x: ExploreAxis::default_for(AxisName::Lr),
            map_y: ExploreAxis::default_for(AxisName::Momentum),
            map_count: 96,
            map_iterations: 500,
            ensemble: false,
            seeds: 20,
            range_iterations: 100,
            race_iterations: 200,
        }
    }
}

impl ExploreSettings {
    /// Checks every number against its limit; errors name the field.
    pub fn validate(&self, here: &FieldPath) -> Result<(), ScenarioError> {
        let range_err = |field: &str, what: String| Err(ScenarioError::at(here.then(field), what));
        if !BASIN_RESOLUTION_RANGE.contains(&self.basin_resolution) {
            return range_err(
                "basin_resolution",
                within(&BASIN_RESOLUTION_RANGE, self.basin_resolution),
            );
        }
        for (field, n) in [
            ("basin_iterations", self.basin_iterations),
            ("lr_iterations", self.lr_iterations),
            ("map_iterations", self.map_iterations),
            ("range_iterations", self.range_iterations),
            ("race_iterations", self.race_iterations),
        ] {
            if !EXPLORE_ITERATIONS_RANGE.contains(&n) {
                return range_err(field, within(&EXPLORE_ITERATIONS_RANGE, n));
            }
        }
        for (field, n) in [("lr_count", self.lr_count), ("map_count", self.map_count)] {
            if !EXPLORE_COUNT_RANGE.contains(&n) {
                return range_err(field, within(&EXPLORE_COUNT_RANGE, n));
            }
        }
        if !SEEDS_RANGE.contains(&self.seeds) {
            return range_err("seeds", within(&SEEDS_RANGE, self.seeds));
        }
        let lr_ok = self.lr_lo.is_finite()
            && self.lr_hi.is_finite()
            && self.lr_lo > 0.0
            && self.lr_lo < self.lr_hi;
        if !lr_ok {
            return range_err(
                "lr_lo",
                format!(
                    "the scanned learning rates need 0 < lr_lo < lr_hi, not {} and {}",
                    self.lr_lo, self.lr_hi
                ),
            );
        }
        self.map_x.validate(&here.then("map_x"))?;
        self.map_y.validate(&here.then("map_y"))?;
        if self.map_x.name == self.map_y.name {
            return range_err(
                "map_y",
                format!(
                    "the two axes must vary different settings (both are `{}`)",
                    self.map_x.name.name()
                ),
            );
        }
        Ok(())
    }
}

fn within<T: std::fmt::Display>(range: &std::ops::RangeInclusive<T>, v: T) -> String {
    format!(
        "must be between {} and {}, not {v}",
        range.start(),
        range.end()
    )
}

#[cfg(test)]
mod tests {
    use super::super::Scenario;
    use super::*;

    // The explore settings survive a save and reopen, changed from their defaults.
    #[test]
    fn explore_settings_round_trip() {
        let mut scenario = Scenario::new(
            super::super::ProblemSettings::from_preset("himmelblau").expect("a preset"),
        );
        let e = &mut scenario.view.explore;
        e.basins = true;
        e.tab = ExploreTab::TwoSettings;
        e.map_x = ExploreAxis::default_for(AxisName::Beta1);
        e.map_y = ExploreAxis::default_for(AxisName::Beta2);
        e.seeds = 37;
        e.race_iterations = 321;
        let text = scenario.to_toml().expect("a scenario saves");
        let back = Scenario::from_toml(&text, None).expect("a saved scenario reopens");
        assert_eq!(back.view.explore, scenario.view.explore);
    }

    // A file from before the explore views reopens with their defaults.
    #[test]
    fn files_without_explore_reopen() {
        let mut scenario = Scenario::new(
            super::super::ProblemSettings::from_preset("himmelblau").expect("a preset"),
        );
        scenario.view.explore.basins = true;
        let text = scenario.to_toml().expect("a scenario saves");
        let old: String = text
            .lines()
            .scan(false, |skip, line| {
                if line.starts_with('[') {
                    *skip = line.starts_with("[view.explore");
                }
                Some((!*skip).then_some(line))
            })
            .flatten()
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(!old.contains("basins"));
        let back = Scenario::from_toml(&old, None).expect("an older file reopens");
        assert_eq!(back.view.explore, ExploreSettings::default());
    }

    // A bad value is refused with the field's name, and equal axes are refused.
    #[test]
    fn bad_explore_settings_name_the_field() {
        let mut scenario = Scenario::new(
            super::super::ProblemSettings::from_preset("himmelblau").expect("a preset"),
        );
        scenario.view.explore.seeds = 0;
        let text = scenario.to_toml().expect("a scenario saves");
        let err = Scenario::from_toml(&text, None).expect_err("0 seeds is refused");
        assert!(err.to_string().contains("seeds"), "{err}");
        let mut scenario = Scenario::new(
            super::super::ProblemSettings::from_preset("himmelblau").expect("a preset"),
        );
        scenario.view.explore.map_y = scenario.view.explore.map_x;
        let text = scenario.to_toml().expect("a scenario saves");
        let err = Scenario::from_toml(&text, None).expect_err("equal axes are refused");
        assert!(err.to_string().contains("different settings"), "{err}");
    }
}
