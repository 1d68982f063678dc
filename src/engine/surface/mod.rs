//! Surfaces: J sampled on grids, and what the views draw from them.
//!
//! - [`Grid`]: J on an `n_w` x `n_b` grid of a [`crate::engine::Domain`] (rows along b),
//!   sampled in parallel with batched evaluation; NaN-aware min, max and argmin. Sample with
//!   [`Grid::sample`] or, to choose the thread count or cancel, [`GridSampler`].
//!   [`Grid::write_npy`] and [`Grid::write_csv`] save it (formats in [`export`]).
//! - [`contour_lines`]: marching squares at given levels, joined into polylines in `(w, b)`;
//!   [`levels`] chooses levels ([`LevelSpacing`]: even, log, quantile).
//! - [`find_critical_points`]: minima, maxima and saddles by Newton's method on the gradient;
//!   [`Curvature`]: Hessian eigenvalues, condition number and `2 / lambda_max` at any point.
//! - [`Colormap`] (`rgb(t)`), [`UNDEFINED_RGB`] and [`heat_map_rgba`] for heat maps.

mod colormap;
mod contour;
mod critical;
mod curvature;
pub mod export;
mod grid;
mod heat_map;
mod levels;
mod plot_range;

pub use colormap::{Colormap, UNDEFINED_RGB};
pub use contour::{ContourLine, contour_lines};
pub use critical::{
    CriticalKind, CriticalOptions, CriticalPoint, CriticalReport, find_critical_points,
};
pub use curvature::{Curvature, symmetric_eigen};
pub use grid::{Grid, GridError, GridSampler, MAX_GRID_CELLS};
pub use heat_map::{ValueScale, heat_map_rgba};
pub use levels::{LevelSpacing, levels};
pub use plot_range::{finite_bounds, plot_range, wants_log};
