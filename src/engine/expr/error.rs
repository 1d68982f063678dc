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
    /// the hint. `text` is the text that was compiled; a long one is shown as an excerpt of
    /// about [`EXCERPT_CHARS`] characters around the problem, cut ends marked with `…`.
    pub fn render(&self, text: &str) -> String {
        let mut s = format!("error in the {}: {}\n", self.part.label(), self.message);
        let n = text.chars().count();
        let pos = self.position.min(n);
        // The window [start, end) of characters shown; the whole text when it is short.
        let (start, end) = if n <= EXCERPT_CHARS + EXCERPT_CHARS / 5 {
            (0, n)
        } else {
            let end = (pos.saturating_sub(EXCERPT_CHARS / 2) + EXCERPT_CHARS).min(n);
            (end.saturating_sub(EXCERPT_CHARS), end)
        };
        // Show the text on one line (tabs and newlines as spaces) with a marker underneath.
        s.push_str("  ");
        if start > 0 {
            s.push('…');
        }
        s.extend(
            text.chars()
                .skip(start)
                .take(end - start)
                .map(|c| if c.is_whitespace() { ' ' } else { c }),
        );
        if end < n {
            s.push('…');
        }
        s.push_str("\n  ");
        let column = pos - start + usize::from(start > 0);
        // The caret covers the problem up to the window's end (the text's end counts as one).
        let last = if end == n { n + 1 } else { end };
        s.push_str(&" ".repeat(column));
        s.push_str(&"^".repeat(self.length.min(last - pos).max(1)));
        s.push('\n');
        if let Some(h) = &self.hint {
            s.push_str("hint: ");
            s.push_str(h);
            s.push('\n');
        }
        s
    }
}

/// About how many characters of a long text [`CompileError::render`] shows.
pub const EXCERPT_CHARS: usize = 60;

/// `s` for quoting in a message: itself when short, else its first characters and `…`.
pub(crate) fn excerpt(s: &str) -> String {
    const MAX: usize = 24;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let mut e: String = s.chars().take(MAX - 4).collect();
        e.push('…');
        e
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
