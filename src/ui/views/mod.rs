//! The views: the contour plot in the center and the learning curve below it. The central
//! area is one component ([`contour::ContourView`] today) so a 3D view or a split view can
//! take its place.

pub mod axes;
pub mod contour;
pub mod contour_paths;
pub mod data_view;
pub mod details;
pub mod inspector;
pub mod learning_curve;
pub mod modes;
pub mod slices;
