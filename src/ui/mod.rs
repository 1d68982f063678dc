//! The desktop app (egui). Reads engine types; owns no mathematics.

use std::process::ExitCode;

/// Opens the main window and runs until it is closed.
pub fn launch() -> ExitCode {
    ExitCode::SUCCESS
}
pub mod view3d;
