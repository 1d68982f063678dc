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
    /// Ask for a CSV file (native dialog on its own thread).
    OpenCsvDialog,
    /// Edit this run.
    SelectRun(u64),
    /// A new run (a copy of the selected one's settings with the next free color).
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
    /// Presenter mode on or off (F5, View menu).
    TogglePresenter,
    /// Leave presenter mode (Esc).
    LeavePresenter,
    /// Full screen on or off (F11, View menu).
    ToggleFullscreen,
    /// Use the light or the dark theme (View menu, remembered).
    SetTheme(super::appearance::ThemeChoice),
}
