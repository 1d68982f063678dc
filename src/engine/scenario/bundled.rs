//! The lessons that ship with losscape (assets/scenarios/), built into the binary so they
//! open from anywhere.

/// One bundled lesson file.
#[derive(Clone, Copy, Debug)]
pub struct BundledLesson {
    /// Its file name in assets/scenarios/.
    pub file_name: &'static str,
    /// Its TOML text.
    pub text: &'static str,
}

macro_rules! lessons {
    ($($file:literal),* $(,)?) => {
        &[$(BundledLesson {
            file_name: $file,
            text: include_str!(concat!("../../../assets/scenarios/", $file)),
        }),*]
    };
}

/// The bundled lessons, in teaching order.
pub const BUNDLED_LESSONS: &[BundledLesson] = lessons![
    "01-loss-surface.toml",
    "02-update-rule.toml",
    "03-partial-derivatives.toml",
    "04-learning-rate.toml",
    "05-when-to-stop.toml",
    "06-mini-batches.toml",
    "07-momentum.toml",
    "08-adam.toml",
    "09-initialization.toml",
    "10-saddle-points.toml",
    "11-largest-learning-rate.toml",
    "12-where-gradient-descent-breaks.toml",
    "13-which-minimum.toml",
];

impl BundledLesson {
    /// The lesson's title (its file name when the title cannot be read).
    pub fn title(&self) -> String {
        toml::from_str::<toml::Table>(self.text)
            .ok()
            .and_then(|t| t.get("title")?.as_str().map(str::to_owned))
            .unwrap_or_else(|| self.file_name.to_owned())
    }
}
