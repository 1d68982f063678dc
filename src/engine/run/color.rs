//! The run colors.

/// The seven run colors (Okabe-Ito, distinguishable with the common color blindnesses).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RunColor {
    /// Orange.
    Orange,
    /// Sky blue.
    SkyBlue,
    /// Bluish green.
    BluishGreen,
    /// Reddish purple.
    ReddishPurple,
    /// Yellow.
    Yellow,
    /// Blue.
    Blue,
    /// Vermillion.
    Vermillion,
}

impl RunColor {
    /// Every color, in the order new runs take them.
    pub const ALL: [RunColor; 7] = [
        Self::Orange,
        Self::SkyBlue,
        Self::BluishGreen,
        Self::ReddishPurple,
        Self::Yellow,
        Self::Blue,
        Self::Vermillion,
    ];

    /// The position in [`RunColor::ALL`] (the app's palette slot).
    pub fn index(self) -> usize {
        Self::ALL.iter().position(|&c| c == self).unwrap_or(0)
    }

    /// The color of palette slot `index` (wraps around).
    pub fn from_index(index: usize) -> Self {
        Self::ALL[index % Self::ALL.len()]
    }

    /// The learner's name of the color.
    pub fn label(self) -> &'static str {
        match self {
            Self::Orange => "orange",
            Self::SkyBlue => "sky blue",
            Self::BluishGreen => "bluish green",
            Self::ReddishPurple => "reddish purple",
            Self::Yellow => "yellow",
            Self::Blue => "blue",
            Self::Vermillion => "vermillion",
        }
    }
}
