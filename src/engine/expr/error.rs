//! Compile errors written for people: where, what, and a hint for the usual slips.

use std::fmt;

/// Which text of a problem an error is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// The formula J(w, b) of a function problem.
    Formula,
    /// The model of a data-fit problem (prediction from `x`, `w`, `b`).
    Model,
    /// The loss of a data-fit problem (in `yhat` and `y`).
    Loss,
    /// The regularization term of a data-fit problem (in `w` and `b`).
    Regularization,
}

impl Part {
    /// The word used in messages.
    pub fn label(self) -> &'static str {
        match self {
            Part::Formula => "formula",
            Part::Model => "model",
            Part::Loss => "loss",
            Part::Regularization => "regularization",
        }
    }
}

/// Why a text could not be compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    /// Which text the error is in.
    pub part: Part,
    /// Character index (0-based, counting Unicode characters, not bytes) where the problem is.
    pub position: usize,
    /// How many characters the problem spans (at least 1; the end of the text counts as one).
    pub length: usize,
    /// What is wrong, in plain words.
    pub message: String,
    /// A suggestion for fixing it, when there is a likely one.
    pub hint: Option<String>,
}

impl CompileError {
    /// An error without a hint.
    pub fn new(part: Part, position: usize, length: usize, message: impl Into<String>) -> Self {
        Self {
            part,
            position,
            length: length.max(1),
            message: message.into(),
            hint: None,
        }
    }

    /// The same error with a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// A multi-line report: the message, the text with a caret line under the problem, and
    /// the hint. `text` is the text that was compiled.
    pub fn render(&self, text: &str) -> String {
        let mut s = format!("error in the {}: {}\n", self.part.label(), self.message);
        // Show the text on one line (tabs and newlines as spaces) with a marker underneath.
        let shown: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        s.push_str("  ");
        s.push_str(&shown);
        s.push_str("\n  ");
        s.push_str(&" ".repeat(self.position));
        s.push_str(&"^".repeat(self.length.max(1)));
        s.push('\n');
        if let Some(h) = &self.hint {
            s.push_str("hint: ");
            s.push_str(h);
            s.push('\n');
        }
        s
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} (in the {}, at character {})",
            self.message,
            self.part.label(),
            self.position + 1
        )?;
        if let Some(h) = &self.hint {
            write!(f, "; hint: {h}")?;
        }
        Ok(())
    }
}

impl std::error::Error for CompileError {}
