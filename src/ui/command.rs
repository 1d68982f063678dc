//! What buttons and keys ask for. Panels push commands while they draw; the app applies
//! them after the frame's drawing, so no panel mutates what another is showing.

/// One user action.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Play or pause.
    TogglePlay,
    /// One iteration forward.
    StepForward,
    /// One iteration back.
    StepBack,
    /// Back to iteration 0.
    Restart,
    /// Jump to an iteration (the timeline scrubber).
    Seek(usize),
    /// Load a preset problem by name.
    ChoosePreset(String),
    /// Set the domain around the known minima.
    FitDomainToMinima,
    /// The problem's own domain, and the plot's zoom reset.
    ResetView,
    /// Make the problem a function or a data fit (the other kind's last problem returns).
    SwitchProblemKind(crate::engine::scenario::ProblemKind),
    /// Ask for a CSV file (native dialog on its own thread).
    OpenCsvDialog,
    /// Edit this run.
    SelectRun(u64),
    /// A new gradient-descent run from the selected run's start, in the next free color.
    AddRun,
    /// Copy a run.
    DuplicateRun(u64),
    /// Delete a run.
    RemoveRun(u64),
    /// Ask for a scenario file to open (native dialog on its own thread).
    OpenScenarioDialog,
    /// Open this scenario file.
    OpenScenarioFile(std::path::PathBuf),
    /// Open the file of the current scenario again, as saved.
    ReopenScenario,
    /// Open a bundled lesson by its position.
    OpenLesson(usize),
    /// Apply the open lesson's step (by position).
    ApplyLessonStep(usize),
    /// Show this page of the lesson card in presenter mode (0 = the introduction, then
    /// one page per step).
    LessonPage(usize),
    /// Close the lesson panel (what is on screen stays).
    CloseLesson,
    /// Save to the current scenario file (or ask where, the first time).
    SaveScenario,
    /// Ask where, then save.
    SaveScenarioAs,
    /// Forget the recent files.
    ClearRecentFiles,
    /// Start the selected run (or all runs) at a point: a click on the contour view.
    SetStart {
        /// Where.
        at: crate::engine::Point,
        /// Every run, not only the selected one (Shift+click).
        all: bool,
    },
    /// Use these settings for a run (a map cell's, a tuned learning rate) and play it from
    /// the start. The run keeps its name, color and visibility.
    ApplyRunSettings {
        /// Which run.
        id: u64,
        /// Its new settings.
        settings: Box<crate::engine::run::RunSettings>,
    },
    /// Presenter mode on or off (F5, View menu).
    TogglePresenter,
    /// Leave presenter mode (Esc).
    LeavePresenter,
    /// Full screen on or off (F11, View menu).
    ToggleFullscreen,
    /// Use the light or the dark theme (View menu, remembered).
    SetTheme(super::appearance::ThemeChoice),
}

use egui::{Key, KeyboardShortcut, Modifiers};

/// The commands that have a keyboard shortcut, in the order keys are tried (a shortcut with
/// more modifiers first, so Ctrl+Shift+S is not taken for Ctrl+S).
pub const WITH_SHORTCUTS: [Command; 9] = [
    Command::TogglePresenter,
    Command::ToggleFullscreen,
    Command::SaveScenarioAs,
    Command::SaveScenario,
    Command::OpenScenarioDialog,
    Command::TogglePlay,
    Command::StepForward,
    Command::StepBack,
    Command::Restart,
];

impl Command {
    /// The one keyboard shortcut of this command (the key handler catches it and menus and
    /// tooltips print it).
    pub fn shortcut(&self) -> Option<KeyboardShortcut> {
        let plain = |key| Some(KeyboardShortcut::new(Modifiers::NONE, key));
        match self {
            Self::TogglePresenter => plain(Key::F5),
            Self::ToggleFullscreen => plain(Key::F11),
            Self::LeavePresenter => plain(Key::Escape),
            Self::TogglePlay => plain(Key::Space),
            Self::StepForward => plain(Key::ArrowRight),
            Self::StepBack => plain(Key::ArrowLeft),
            Self::Restart => plain(Key::R),
            Self::OpenScenarioDialog => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::O)),
            Self::SaveScenario => Some(KeyboardShortcut::new(Modifiers::COMMAND, Key::S)),
            Self::SaveScenarioAs => Some(KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::S,
            )),
            _ => None,
        }
    }

    /// True for shortcuts that work while a text field has the keyboard (no text field
    /// uses F5 or F11).
    pub fn works_while_typing(&self) -> bool {
        matches!(self, Self::TogglePresenter | Self::ToggleFullscreen)
    }

    /// The shortcut as the platform writes it ("Ctrl+S", "Space"), or nothing.
    pub fn shortcut_text(&self, ctx: &egui::Context) -> String {
        self.shortcut()
            .map(|s| ctx.format_shortcut(&s))
            .unwrap_or_default()
    }

    /// A tooltip naming the shortcut: "Play or pause (Space)".
    pub fn hint(&self, ctx: &egui::Context, text: &str) -> String {
        match self.shortcut() {
            Some(s) => format!("{text} ({})", ctx.format_shortcut(&s)),
            None => text.to_owned(),
        }
    }
}
