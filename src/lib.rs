//! losscape: see gradient descent move across a loss surface.
//!
//! The [`engine`] holds all the mathematics and never imports egui; [`cli`] is the command
//! line; `ui` (behind the default `gui` feature) is the app, on the desktop and in a browser
//! (`ui::web`, built for `wasm32-unknown-unknown`).
#![forbid(unsafe_code)]

// The command line is the desktop's; the browser build is the app alone.
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod engine;
pub mod files;
#[cfg(feature = "gui")]
pub mod ui;
