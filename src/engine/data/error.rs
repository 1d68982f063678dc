//! The error of loading or generating a dataset.

use std::fmt;

/// Why a dataset could not be loaded or generated: a message for people and, when the
/// problem is in one row of a file, that row's line number (1-based, as an editor shows it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataError {
    /// The line of the file the problem is on, when it is on one line.
    pub line: Option<usize>,
    /// What is wrong, in words a student understands.
    pub message: String,
}

impl DataError {
    /// An error that is not about one line (an empty file, a missing file, a bad setting).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            line: None,
            message: message.into(),
        }
    }

    /// An error on one line of a file.
    pub fn at_line(line: usize, message: impl Into<String>) -> Self {
        Self {
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for DataError {}
