//! Opening the desktop app (no subcommand).

use std::process::ExitCode;

/// Options of the app itself (no subcommand).
#[derive(clap::Args, Debug, Default)]
pub struct Args {}

/// Opens the app.
pub fn execute(_args: Args) -> ExitCode {
    #[cfg(feature = "gui")]
    {
        crate::ui::launch()
    }
    #[cfg(not(feature = "gui"))]
    {
        eprintln!("losscape was built without the `gui` feature: only the subcommands are available");
        ExitCode::from(2)
    }
}
