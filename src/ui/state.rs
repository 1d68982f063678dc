//! Everything the app remembers between sessions: plain serializable data, no caches.
//!
//! Every struct here is `#[serde(default)]`, so a state saved by an older version loads
//! with defaults for what it lacks, and a state that cannot be read at all is replaced
//! by [`State::default`].

use crate::engine::surface::{Colormap, LevelSpacing, ValueScale};

use super::playback::Playback;

/// The remembered session.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct State {
    /// Playback position and speed.
    pub playback: Playback,
    /// How the contour view draws the surface.
    pub contour: ContourSettings,
    /// How the learning curve is drawn.
    pub curve: CurveSettings,
    /// Which views fill the center.
    pub view_mode: ViewMode,
}

impl Default for State {
    fn default() -> Self {
        Self {
            playback: Playback::default(),
            contour: ContourSettings::default(),
            curve: CurveSettings::default(),
            view_mode: ViewMode::Contour,
        }
    }
}

/// Which views fill the central area. (The 3D view and the split view come later; the
/// central area is one component so they can slot in.)
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ViewMode {
    /// The contour plot alone.
    #[default]
    Contour,
}

/// Contour view settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct ContourSettings {
    /// Draw the heat map under the contour lines.
    pub heat_map: bool,
    /// Colors of the heat map.
    pub colormap: Colormap,
    /// Linear or log color scale.
    pub color_scale: ValueScale,
    /// Number of contour levels.
    pub levels: usize,
    /// How the contour levels are spread.
    pub level_spacing: LevelSpacing,
    /// Arrows of the negative gradient on a coarse grid.
    pub gradient_field: bool,
    /// The selected run's negative-gradient arrow at its current point.
    pub gradient_arrow: bool,
}

impl Default for ContourSettings {
    fn default() -> Self {
        Self {
            heat_map: true,
            colormap: Colormap::Viridis,
            color_scale: ValueScale::Log,
            levels: 20,
            level_spacing: LevelSpacing::Log,
            gradient_field: false,
            gradient_arrow: true,
        }
    }
}

/// What the learning curve's horizontal axis counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum CurveAxis {
    /// Parameter updates.
    #[default]
    Iterations,
    /// Passes over the training set.
    Epochs,
    /// Training examples used so far (compares batch sizes fairly).
    ExamplesSeen,
}

/// Learning-curve settings.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct CurveSettings {
    /// What the x axis counts.
    pub axis: CurveAxis,
    /// Logarithmic cost axis.
    pub log_cost: bool,
}

impl Default for CurveSettings {
    fn default() -> Self {
        Self {
            axis: CurveAxis::Iterations,
            log_cost: true,
        }
    }
}
