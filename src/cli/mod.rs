//! The command line: one file per subcommand. Output formats here are an interface that
//! scripts and tests depend on (see README.md).

pub mod app;
pub mod check;
pub mod critical;
pub mod eval;
pub mod grid;
pub mod presets;
pub mod problem;
pub mod run;

use std::ffi::OsString;

/// Prepare raw arguments for clap. Values that begin with a minus sign (`--at -1.5,2`,
/// a formula `-w^2 + b`) are accepted as typed; see each argument's `allow_hyphen_values`.
pub fn normalize_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    args.into_iter().collect()
}
