//! `losscape link`: the link to a scenario file or a bundled lesson, for a course page or a
//! message. The whole scene travels in the link's fragment.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::engine::scenario::{BUNDLED_LESSONS, Scenario, lesson_link, scene_link, web_address};

/// Arguments of `losscape link`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// A scenario file, or `--lesson N` instead.
    #[arg(required_unless_present = "lesson", conflicts_with = "lesson")]
    pub file: Option<PathBuf>,
    /// The short link to bundled lesson N (1 to the number of lessons).
    #[arg(long, value_name = "N")]
    pub lesson: Option<usize>,
}

/// Runs the subcommand: prints the link, pointing at `LOSSCAPE_WEB_URL` (default
/// `http://localhost:8000/`, where the README serves the browser build).
pub fn execute(args: Args) -> ExitCode {
    match link(&args, &web_address()) {
        Ok(link) => super::print_all("link", &format!("{link}\n")),
        Err(message) => {
            eprintln!("losscape link: {message}");
            ExitCode::from(2)
        }
    }
}

/// The link `args` asks for, at `address`.
pub fn link(args: &Args, address: &str) -> Result<String, String> {
    if let Some(n) = args.lesson {
        return match n.checked_sub(1).filter(|&i| i < BUNDLED_LESSONS.len()) {
            Some(index) => Ok(lesson_link(address, index)),
            None => Err(format!(
                "there is no lesson {n}: the lessons are 1 to {}",
                BUNDLED_LESSONS.len()
            )),
        };
    }
    let Some(path) = &args.file else {
        return Err("name a scenario file or a --lesson".to_owned());
    };
    let scenario = Scenario::load(path).map_err(|e| e.to_string())?;
    scene_link(address, &scenario).map_err(|e| format!("{}: {e}", path.display()))
}
