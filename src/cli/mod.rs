//! The command line: one file per subcommand. Output formats here are an interface that
//! scripts and tests depend on (see README.md).

pub mod app;
pub mod check;
pub mod critical;
pub mod eval;
pub mod grid;
pub mod link;
pub mod map;
pub mod map_picture;
pub mod optimizer_flags;
pub mod presets;
pub mod problem;
pub mod race;
pub mod range_test;
pub mod run;

use std::io::Write as _;
use std::process::ExitCode;

/// Writes a command's output to stdout in one piece. A reader that stops early
/// (`losscape critical himmelblau | head -2`) is not an error; another write error is
/// reported on stderr with exit status 1.
pub fn print_all(command: &str, text: &str) -> ExitCode {
    match std::io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => write_failed(command, None, &e),
    }
}

/// The exit status after writing a command's output failed: to `file`, or to stdout when
/// `None`. A reader that stopped early (a broken pipe on stdout) is not an error; anything
/// else is reported on stderr, naming the file, with exit status 1.
pub fn write_failed(command: &str, file: Option<&std::path::Path>, e: &std::io::Error) -> ExitCode {
    if file.is_none() && e.kind() == std::io::ErrorKind::BrokenPipe {
        return ExitCode::SUCCESS;
    }
    let target = file.map_or_else(|| "the output".to_owned(), |p| p.display().to_string());
    eprintln!("losscape {command}: cannot write {target}: {e}");
    ExitCode::from(1)
}
