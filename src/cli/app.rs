//! Opening the desktop app (no subcommand), and its batch modes for measuring and
//! capturing it.

use std::path::PathBuf;
use std::process::ExitCode;

/// Options of the app itself (no subcommand).
#[derive(clap::Args, Debug, Default)]
pub struct Args {
    /// Open the default scene playing, run N frames, print the 50th/95th percentile and
    /// maximum of the frame's CPU time and of the app's own ui time, then exit.
    #[arg(long, value_name = "N", conflicts_with = "screenshot")]
    pub frame_stats: Option<usize>,
    /// Render the scene, save a screenshot of the window to FILE.png, then exit.
    #[arg(long, value_name = "FILE.png")]
    pub screenshot: Option<PathBuf>,
    /// Play the scene and save it as an animated GIF (one frame per iteration, at most 600),
    /// then exit. With --view: only that view (contour, 3d or both), else the whole window.
    #[arg(long, value_name = "OUT.gif", conflicts_with_all = ["screenshot", "frame_stats"])]
    pub gif: Option<PathBuf>,
    /// With --gif: the first iteration shown (default 0).
    #[arg(long, value_name = "T0", default_value_t = 0, requires = "gif")]
    pub from: usize,
    /// With --gif: the last iteration shown (default: where the runs end).
    #[arg(long, value_name = "T1", requires = "gif")]
    pub to: Option<usize>,
    /// With --gif: frames per second (default 20).
    #[arg(long, value_name = "N", default_value_t = 20, requires = "gif")]
    pub fps: u32,
    /// With --gif: turn the 3D view a quarter turn while it plays.
    #[arg(long, requires = "gif")]
    pub turn: bool,
    /// With --screenshot: frames to play before the shot.
    #[arg(long, value_name = "N", default_value_t = 60, requires = "screenshot")]
    pub frames: usize,
    /// The view filling the center at start: contour, 3d, both or explore (the explorers,
    /// with the basins on the contour map). With --frame-stats, the 3D camera turns a little
    /// every frame so the cost of rotating is measured.
    #[arg(long, value_enum, value_name = "VIEW")]
    pub view: Option<crate::engine::scenario::ViewMode>,
    /// Start in presenter mode: larger, thicker lines, high contrast, fewer controls (F5 or
    /// Esc leaves it).
    #[arg(long)]
    pub presenter: bool,
    /// The color theme; remembered for the next start.
    #[arg(long, value_enum, value_name = "THEME")]
    pub theme: Option<ThemeArg>,
    /// A scenario or lesson file to open (see "Teaching with losscape" in the README), or a
    /// scene link (`...#scene=...` or `...#lesson=04`).
    #[arg(value_name = "FILE.toml|LINK")]
    pub scenario: Option<PathBuf>,
}

/// The color theme chosen on the command line.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeArg {
    /// Light text on dark panels.
    Dark,
    /// Dark text on light panels.
    Light,
}

/// Opens the app.
pub fn execute(args: Args) -> ExitCode {
    #[cfg(feature = "gui")]
    {
        use crate::ui::Mode;
        let mode = match (args.frame_stats, args.screenshot) {
            _ if args.gif.is_some() => Mode::Animation {
                path: args.gif.clone().unwrap_or_default(),
                from: args.from,
                to: args.to,
                fps: args.fps,
                view: args.view,
                turn: args.turn,
            },
            (Some(0), _) => {
                eprintln!("error: --frame-stats needs at least one frame");
                return ExitCode::from(2);
            }
            (Some(frames), _) => Mode::FrameStats { frames },
            (None, Some(path)) => Mode::Screenshot {
                path,
                frames: args.frames,
            },
            (None, None) => Mode::Interactive,
        };
        let view = args.view;
        // A link is given as text; anything else names a file.
        let (scenario, link) = match args.scenario {
            Some(arg) if crate::engine::scenario::is_link(&arg.to_string_lossy()) => {
                (None, Some(arg.to_string_lossy().into_owned()))
            }
            other => (other, None),
        };
        if let Some(path) = &scenario {
            // A file that cannot be read is reported here and again in the window.
            if let Err(e) = crate::engine::scenario::Scenario::load(path) {
                eprintln!("error: {e}");
            }
        }
        if let Some(link) = &link
            && let Err(e) = crate::engine::scenario::read_link(link)
        {
            eprintln!("error: {e}");
        }
        use crate::ui::appearance::ThemeChoice;
        let theme = args.theme.map(|t| match t {
            ThemeArg::Dark => ThemeChoice::Dark,
            ThemeArg::Light => ThemeChoice::Light,
        });
        let start = crate::ui::StartOptions {
            view,
            presenter: args.presenter,
            theme,
            scenario,
            link,
        };
        crate::ui::launch_with(mode, start)
    }
    #[cfg(not(feature = "gui"))]
    {
        let _ = args;
        eprintln!(
            "losscape was built without the `gui` feature: only the subcommands are available"
        );
        ExitCode::from(2)
    }
}
