//! How a scene is shown: which views, their colors and levels, the learning curve's axes and
//! the 3D camera. The app edits these and saves them as they are.

use super::error::{FieldPath, ScenarioError};
use super::explore::ExploreSettings;
use crate::engine::limits::{
    DEFAULT_LEVELS, DISTANCE_RANGE, EXAGGERATION_RANGE, LEVELS_RANGE, PITCH_RANGE,
};
use crate::engine::surface::{Colormap, LevelSpacing, ValueScale};

/// Which views fill the center of the window (`--view` on the command line).
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "kebab-case")]
pub enum ViewMode {
    /// The contour map.
    #[default]
    Contour,
    /// The 3D surface.
    #[serde(rename = "3d")]
    #[value(name = "3d")]
    Surface3d,
    /// Both side by side, hover linked.
    Both,
    /// The contour map beside the explorers (learning rate, bifurcation, range test, two
    /// settings, seeds, race).
    Explore,
}

/// What the learning curve's horizontal axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CurveAxis {
    /// Parameter updates.
    #[default]
    Iterations,
    /// Passes over the training set.
    Epochs,
    /// Training examples used so far (compares batch sizes fairly).
    ExamplesSeen,
}

/// The views and how they draw.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ViewSettings {
    /// Contour map, 3D surface, or both.
    pub mode: ViewMode,
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
    /// Number of contour levels ([`LEVELS_RANGE`]).
    pub levels: usize,
    /// How the contour levels are spread: even, log or quantile.
    pub level_spacing: LevelSpacing,
    /// Arrows of the negative gradient over the whole map.
    pub gradient_field: bool,
    /// The selected run's negative-gradient arrow.
    pub gradient_arrow: bool,
    /// The selected run's next step, to scale.
    pub step_arrow: bool,
    /// The contour plot fills its panel, w and b at different scales. Off (the default),
    /// one unit of w is as long on screen as one unit of b, so shapes and right angles
    /// (the gradient across the contour lines) are true.
    pub stretch_to_fill: bool,
    /// The learning curve's horizontal axis.
    pub curve_axis: CurveAxis,
    /// Logarithmic cost axis on the learning curve.
    pub log_cost: bool,
    /// On the log scale, J - J_min (the known minimum, else the lowest J seen) instead of J,
    /// the way optimization papers plot it. It is J - J_min anyway when some J <= 0.
    pub log_minus_min: bool,
    /// The 3D view's camera and heights.
    pub camera: Camera3d,
    /// Prediction mode, for "predict, then play": curves and paths are drawn only up to the
    /// playback position, a run's outcome shows when playback reaches it, and the minima
    /// stay hidden until [`ViewSettings::reveal_minima`].
    pub prediction: bool,
    /// In prediction mode, show where the minima are.
    pub reveal_minima: bool,
    /// Basins, the learning-rate explorer, the two-setting map, seeds and the race.
    pub explore: ExploreSettings,
}

impl Default for ViewSettings {
    fn default() -> Self {
        Self {
            mode: ViewMode::Contour,
            details: true,
            details_sections: DetailsSections::default(),
            heat_map: true,
            colormap: Colormap::Viridis,
            color_scale: ValueScale::Log,
            levels: DEFAULT_LEVELS,
            level_spacing: LevelSpacing::Log,
            gradient_field: false,
            gradient_arrow: true,
            step_arrow: true,
            stretch_to_fill: false,
            curve_axis: CurveAxis::Iterations,
            log_cost: true,
            log_minus_min: false,
            camera: Camera3d::default(),
            prediction: false,
            reveal_minima: false,
            explore: ExploreSettings::default(),
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

/// The 3D view: an orbit camera around the surface's center, and how heights are drawn.
///
/// `yaw` turns the camera around the vertical axis, `pitch` raises it above the floor,
/// `distance` is how far it stands from the center.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Camera3d {
    /// Angle around the vertical axis, in radians (0 looks along -w, from the +w side).
    pub yaw: f32,
    /// Elevation above the floor, in radians ([`PITCH_RANGE`]).
    pub pitch: f32,
    /// Distance from the center, in world units (the surface spans [-1, 1]).
    pub distance: f32,
    /// Vertical exaggeration (1 = the automatic scale).
    pub exaggeration: f32,
    /// Heights follow log(J - J_min) instead of J.
    pub log_height: bool,
    /// Lines along the mesh.
    pub wireframe: bool,
}

impl Default for Camera3d {
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

/// Radians turned per point dragged.
const RADIANS_PER_POINT: f32 = 0.008;

impl Camera3d {
    /// Turns the camera by a mouse drag of `(dx, dy)` points: right drag turns the surface
    /// right, down drag raises the camera.
    pub fn rotate_by_drag(&mut self, dx: f32, dy: f32) {
        if !(dx.is_finite() && dy.is_finite()) {
            return;
        }
        self.yaw = (self.yaw - dx * RADIANS_PER_POINT).rem_euclid(std::f32::consts::TAU);
        self.pitch =
            (self.pitch + dy * RADIANS_PER_POINT).clamp(*PITCH_RANGE.start(), *PITCH_RANGE.end());
    }

    /// Moves the camera closer (`scroll > 0`) or farther (`scroll < 0`); `scroll` in points.
    pub fn zoom_by_scroll(&mut self, scroll: f32) {
        if !scroll.is_finite() {
            return;
        }
        self.distance = (self.distance * (-scroll * 0.002).exp())
            .clamp(*DISTANCE_RANGE.start(), *DISTANCE_RANGE.end());
    }

    /// Back to the default viewpoint (heights and wireframe stay).
    pub fn reset_orbit(&mut self) {
        let default = Self::default();
        self.yaw = default.yaw;
        self.pitch = default.pitch;
        self.distance = default.distance;
    }

    /// The pitch in range (a hand-edited file may hold anything finite).
    pub fn clamped_pitch(&self) -> f32 {
        if self.pitch.is_finite() {
            self.pitch.clamp(*PITCH_RANGE.start(), *PITCH_RANGE.end())
        } else {
            Self::default().pitch
        }
    }

    /// The distance in range.
    pub fn clamped_distance(&self) -> f32 {
        if self.distance.is_finite() {
            self.distance
                .clamp(*DISTANCE_RANGE.start(), *DISTANCE_RANGE.end())
        } else {
            Self::default().distance
        }
    }
}

impl ViewSettings {
    /// Checks every number against its limit.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        let here = FieldPath::key("view");
        if !LEVELS_RANGE.contains(&self.levels) {
            return Err(ScenarioError::at(
                here.then("levels"),
                format!(
                    "levels must be between {} and {}, not {}",
                    LEVELS_RANGE.start(),
                    LEVELS_RANGE.end(),
                    self.levels
                ),
            ));
        }
        self.explore.validate(&here.then("explore"))?;
        let c = &self.camera;
        let camera = here.then("camera");
        let ranges = [
            ("pitch", c.pitch, &PITCH_RANGE),
            ("distance", c.distance, &DISTANCE_RANGE),
            ("exaggeration", c.exaggeration, &EXAGGERATION_RANGE),
        ];
        if !c.yaw.is_finite() {
            return Err(ScenarioError::at(
                camera.then("yaw"),
                "must be a finite angle",
            ));
        }
        for (name, v, range) in ranges {
            if !range.contains(&v) {
                return Err(ScenarioError::at(
                    camera.then(name),
                    format!(
                        "must be between {} and {}, not {v}",
                        range.start(),
                        range.end()
                    ),
                ));
            }
        }
        Ok(())
    }
}
