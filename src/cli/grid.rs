//! `losscape grid` (being built).

use std::process::ExitCode;

/// Arguments of `losscape grid`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn execute(_args: Args) -> ExitCode {
    eprintln!("losscape grid: not available in this build yet");
    ExitCode::from(2)
}
