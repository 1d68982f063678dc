//! The 3D surface view: J(w, b) as a shaded landscape under an orbit camera, with every
//! visible run's trajectory lying on it.
//!
//! The geometry lives in egui-free submodules (camera, scale, height field, mesh order)
//! so it can be unit-tested; [`view::Surface3dView`] turns it into an `egui::Mesh` drawn
//! back to front, which works under every backend and in snapshot tests. [`path`] lays
//! the runs on the surface (world points cached per eye, projected every frame) and
//! [`axes`] places the axes' labels so that none overlaps another.

pub mod axes;
pub mod camera;
pub mod height_field;
pub mod path;
pub mod scale;
pub mod surface_mesh;
pub mod ticks;
pub mod vec3;
pub mod view;

pub use view::{Surface3dInput, Surface3dResponse, Surface3dView, SurfaceInput, Trajectory3d};
