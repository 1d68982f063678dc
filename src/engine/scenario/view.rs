//! How a scenario is shown: which views, their colors and levels, the 3D camera, and the
//! playback position.

use super::error::{FieldPath, ScenarioError};
use crate::engine::surface::{Colormap, LevelSpacing, ValueScale};

/// Which views fill the center of the window.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ViewLayout {
    /// The contour map.
    #[default]
    Contour,
    /// The 3D surface.
    #[serde(rename = "3d")]
    Surface3d,
    /// Both side by side.
    Both,
}

/// What the learning curve's horizontal axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CurveAxisChoice {
    /// Parameter updates.
    #[default]
    Iterations,
    /// Passes over the training set.
    Epochs,
    /// Training examples used so far.
    ExamplesSeen,
}

/// The views and how they draw.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioView {
    /// Contour map, 3D surface, or both.
    pub mode: ViewLayout,
    /// The details panel (slices, step inspector, data) is open.
    pub details: bool,
    /// Which of the details panel's sections are unfolded.
    pub details_sections: DetailsSections,
    /// Heat map under the contour lines.
    pub heat_map: bool,
    /// Colors of the heat map and the 3D surface.
    pub colormap: Colormap,
    /// Linear or log color scale.
    pub color_scale: ValueScale,
    /// Number of contour levels (1 to 100).
    pub levels: usize,
    /// How the contour levels are spread: even, log or quantile.
    pub level_spacing: LevelSpacing,
    /// Arrows of the negative gradient over the whole map.
    pub gradient_field: bool,
    /// The selected run's negative-gradient arrow.
    pub gradient_arrow: bool,
    /// The selected run's next step, to scale.
    pub step_arrow: bool,
    /// The learning curve's horizontal axis.
    pub curve_axis: CurveAxisChoice,
    /// Logarithmic cost axis on the learning curve.
    pub log_cost: bool,
    /// The 3D view's camera and heights.
    pub camera: ScenarioCamera,
}

impl Default for ScenarioView {
    fn default() -> Self {
        Self {
            mode: ViewLayout::Contour,
            details: true,
            details_sections: DetailsSections::default(),
            heat_map: true,
            colormap: Colormap::Viridis,
            color_scale: ValueScale::Log,
            levels: 20,
            level_spacing: LevelSpacing::Log,
            gradient_field: false,
            gradient_arrow: true,
            step_arrow: true,
            curve_axis: CurveAxisChoice::Iterations,
            log_cost: true,
            camera: ScenarioCamera::default(),
        }
    }
}

/// Which sections of the details panel are unfolded (all by default): a lesson about the
/// step inspector can fold the others away so the inspector is in sight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DetailsSections {
    /// The data and the model's curve (data fits only).
    pub data: bool,
    /// The slices through the current point and their tangent lines.
    pub slices: bool,
    /// The step inspector.
    pub inspector: bool,
}

impl Default for DetailsSections {
    fn default() -> Self {
        Self {
            data: true,
            slices: true,
            inspector: true,
        }
    }
}

/// The 3D view's orbit camera and height settings.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioCamera {
    /// Angle around the vertical axis, in radians.
    pub yaw: f32,
    /// Elevation above the floor, in radians.
    pub pitch: f32,
    /// Distance from the center (the surface spans [-1, 1]).
    pub distance: f32,
    /// Vertical exaggeration (1 = automatic).
    pub exaggeration: f32,
    /// Heights follow log(J - J_min).
    pub log_height: bool,
    /// Lines along the mesh.
    pub wireframe: bool,
}

impl Default for ScenarioCamera {
    fn default() -> Self {
        Self {
            yaw: -0.95,
            pitch: 0.55,
            distance: 4.7,
            exaggeration: 1.0,
            log_height: true,
            wireframe: false,
        }
    }
}

/// Where playback stands and which run is being edited.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScenarioPlayback {
    /// The iteration shown.
    pub iteration: usize,
    /// Iterations per second while playing (1 to 10 000).
    pub speed: f64,
    /// The run being edited and inspected, by name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub selected_run: Option<String>,
}

impl Default for ScenarioPlayback {
    fn default() -> Self {
        Self {
            iteration: 0,
            speed: 20.0,
            selected_run: None,
        }
    }
}

/// Slowest and fastest playback, in iterations per second.
pub const SPEED_RANGE: std::ops::RangeInclusive<f64> = 1.0..=10_000.0;

impl ScenarioView {
    /// Checks the numbers.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let here = FieldPath::key("view");
        if !(1..=100).contains(&self.levels) {
            return Err(ScenarioError::at(
                here.then("levels"),
                format!("levels must be between 1 and 100, not {}", self.levels),
            ));
        }
        let c = &self.camera;
        let camera = here.then("camera");
        for (name, v) in [("yaw", c.yaw), ("pitch", c.pitch)] {
            if !v.is_finite() {
                return Err(ScenarioError::at(
                    camera.then(name),
                    "must be a finite angle",
                ));
            }
        }
        for (name, v) in [("distance", c.distance), ("exaggeration", c.exaggeration)] {
            if !(v.is_finite() && v > 0.0) {
                return Err(ScenarioError::at(
                    camera.then(name),
                    format!("must be a positive number, not {v}"),
                ));
            }
        }
        Ok(())
    }
}

impl ScenarioPlayback {
    /// Checks the numbers; the selected run must be one of `run_names`.
    pub fn validate(&self, run_names: &[&str]) -> Result<(), ScenarioError> {
        let here = FieldPath::key("playback");
        if !SPEED_RANGE.contains(&self.speed) {
            return Err(ScenarioError::at(
                here.then("speed"),
                format!(
                    "speed must be between {} and {} iterations per second, not {}",
                    SPEED_RANGE.start(),
                    SPEED_RANGE.end(),
                    self.speed
                ),
            ));
        }
        if let Some(name) = &self.selected_run
            && !run_names.contains(&name.as_str())
        {
            return Err(ScenarioError::at(
                here.then("selected_run"),
                format!(
                    "there is no run named `{name}`; the runs are: {}",
                    run_names.join(", ")
                ),
            ));
        }
        Ok(())
    }
}
