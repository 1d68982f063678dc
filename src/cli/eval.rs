//! `losscape eval` (being built).

use std::process::ExitCode;

/// Arguments of `losscape eval`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// Runs the subcommand.
pub fn execute(_args: Args) -> ExitCode {
    eprintln!("losscape eval: not available in this build yet");
    ExitCode::from(2)
}
