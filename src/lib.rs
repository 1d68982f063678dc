//! losscape: see gradient descent move across a loss surface.
//!
//! The [`engine`] holds all the mathematics and never imports egui; [`cli`] is the command
//! line; `ui` (behind the default `gui` feature) is the desktop app.
#![forbid(unsafe_code)]

pub mod cli;
pub mod engine;
pub mod files;
#[cfg(feature = "gui")]
pub mod ui;
