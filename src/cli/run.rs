//! `losscape run` (being built).

use std::process::ExitCode;

/// Arguments of `losscape run`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn execute(_args: Args) -> ExitCode {
    eprintln!("losscape run: not available in this build yet");
    ExitCode::from(2)
}
