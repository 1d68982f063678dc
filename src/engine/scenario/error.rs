//! What went wrong in a scenario file, and where: the file, the line, the field.

use std::fmt;
use std::path::PathBuf;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of the way to a field: a key of a table or a position in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FieldStep {
    /// A key, e.g. `learning_rate`.
    Key(String),
    /// A position in a list, counted from 0 (shown counted from 1).
    Index(usize),
}

/// Where a field is inside the file, e.g. `runs #3 . learning_rate`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldPath(pub Vec<FieldStep>);

impl FieldPath {
    /// The path of a top-level key.
    pub fn key(key: &str) -> Self {
        Self(vec![FieldStep::Key(key.to_owned())])
    }

    /// This path with a key appended.
    pub fn then(&self, key: &str) -> Self {
        let mut steps = self.0.clone();
        steps.push(FieldStep::Key(key.to_owned()));
        Self(steps)
    }

    /// This path with a list position appended.
    pub fn at(&self, index: usize) -> Self {
        let mut steps = self.0.clone();
        steps.push(FieldStep::Index(index));
        Self(steps)
    }

    /// `other` appended to this path.
    pub fn join(&self, other: &FieldPath) -> Self {
        let mut steps = self.0.clone();
        steps.extend(other.0.iter().cloned());
        Self(steps)
    }

    /// True for the path of the whole file.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                FieldStep::Key(key) if i == 0 => write!(f, "{key}")?,
                FieldStep::Key(key) => write!(f, ".{key}")?,
                FieldStep::Index(index) => write!(f, " #{}", index + 1)?,
            }
        }
        Ok(())
    }
}

/// A scenario that cannot be read, saved or applied, said so a teacher can fix it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    /// The file, when the scenario came from one.
    pub file: Option<PathBuf>,
    /// The line (counted from 1), when known.
    pub line: Option<usize>,
    /// The field at fault (empty for the whole file).
    pub field: FieldPath,
    /// What is wrong and what was expected.
    pub message: String,
}

impl ScenarioError {
    /// An error about `field`, without a line yet (see [`ScenarioError::locate`]).
    pub fn at(field: FieldPath, message: impl Into<String>) -> Self {
        Self {
            file: None,
            line: None,
            field,
            message: message.into(),
        }
    }

    /// An error about the whole file.
    pub fn whole(message: impl Into<String>) -> Self {
        Self::at(FieldPath::default(), message)
    }

    /// An error from the TOML reader, with its line taken from `source` and its field
    /// found from the position.
    pub fn from_toml(err: &toml::de::Error, source: &str) -> Self {
        let offset = err.span().map(|s| s.start);
        let field = match (offset, DeTable::parse(source)) {
            (Some(offset), Ok(doc)) => path_at(&doc, offset),
            _ => FieldPath::default(),
        };
        Self {
            file: None,
            line: offset.map(|o| line_of(source, o)),
            field,
            message: tidy_toml_message(err.message()),
        }
    }

    /// Fills in the line of the field from the file's text, if the field is in it (or
    /// else the line of the nearest enclosing table that is).
    pub fn locate(mut self, source: &str) -> Self {
        if self.line.is_none()
            && let Ok(doc) = DeTable::parse(source)
            && let Some(offset) = offset_of(&doc, &self.field)
        {
            self.line = Some(line_of(source, offset));
        }
        self
    }

    /// The error with the file it came from.
    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// The error with its field moved under `prefix` (a step's changes live inside the
    /// lesson's table).
    pub fn under(mut self, prefix: &FieldPath) -> Self {
        self.field = prefix.join(&self.field);
        self
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(file.display().to_string());
        }
        if let Some(line) = self.line {
            parts.push(format!("line {line}"));
        }
        if !self.field.is_empty() {
            parts.push(self.field.to_string());
        }
        if parts.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", parts.join(", "), self.message)
        }
    }
}

impl std::error::Error for ScenarioError {}

/// The line (from 1) of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The TOML reader's message as one line, without its own decorations.
fn tidy_toml_message(message: &str) -> String {
    message.trim().replace('\n', " ")
}

/// The field at `offset`: the key or value there, or the table whose header is there.
/// (A table's span is its header only, so every entry is searched.)
fn path_at(doc: &Spanned<DeTable<'_>>, offset: usize) -> FieldPath {
    let mut path = FieldPath::default();
    if search_table(doc.get_ref(), offset, &mut path) {
        path
    } else {
        FieldPath::default()
    }
}

fn contains(span: std::ops::Range<usize>, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

fn search_table(table: &DeTable<'_>, offset: usize, path: &mut FieldPath) -> bool {
    for (key, value) in table.iter() {
        path.0.push(FieldStep::Key(key.get_ref().to_string()));
        if search_value(value, offset, path) || contains(key.span(), offset) {
            return true;
        }
        path.0.pop();
    }
    false
}

fn search_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &mut FieldPath) -> bool {
    match value.get_ref() {
        DeValue::Table(inner) => {
            search_table(inner, offset, path) || contains(value.span(), offset)
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                path.0.push(FieldStep::Index(i));
                if search_value(item, offset, path) {
                    return true;
                }
                path.0.pop();
            }
            contains(value.span(), offset)
        }
        _ => contains(value.span(), offset),
    }
}

/// The offset of `field` in the document, or of its nearest enclosing field that is there.
fn offset_of(doc: &Spanned<DeTable<'_>>, field: &FieldPath) -> Option<usize> {
    let mut best = None;
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    let mut table = Some(doc.get_ref());
    for step in &field.0 {
        let next = match (step, table, value.map(|v| v.get_ref())) {
            (FieldStep::Key(key), Some(t), _) => t
                .iter()
                .find(|(k, _)| k.get_ref() == key)
                .map(|(k, v)| (k.span().start, v)),
            (FieldStep::Index(i), _, Some(DeValue::Array(items))) => {
                items.get(*i).map(|v| (v.span().start, v))
            }
            _ => None,
        };
        let Some((start, next)) = next else {
            break;
        };
        best = Some(start);
        value = Some(next);
        table = match next.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    // Paths read like the file: keys joined by dots, list entries counted from 1.
    #[test]
    fn paths_read_like_the_file() {
        let path = FieldPath::key("runs").at(2).then("learning_rate");
        assert_eq!(path.to_string(), "runs #3.learning_rate");
    }

    // A field's line is found from its path, falling back to the enclosing table.
    #[test]
    fn lines_are_found_from_paths() {
        let text =
            "version = 1\n\n[[runs]]\nname = \"a\"\n\n[[runs]]\nname = \"b\"\nlearning_rate = -1\n";
        let err = ScenarioError::at(FieldPath::key("runs").at(1).then("learning_rate"), "bad");
        assert_eq!(err.locate(text).line, Some(8));
        let missing = ScenarioError::at(FieldPath::key("runs").at(1).then("seed"), "bad");
        assert_eq!(missing.locate(text).line, Some(6));
    }

    // The reader's position becomes the line and the field it falls in.
    #[test]
    fn toml_errors_name_line_and_field() {
        let text = "version = 1\n[view]\nlevels = \"many\"\n";
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct View {
            levels: u32,
        }
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Doc {
            version: u32,
            view: View,
        }
        let err = toml::from_str::<Doc>(text).expect_err("levels is text");
        let err = ScenarioError::from_toml(&err, text);
        assert_eq!(err.line, Some(3));
        assert_eq!(err.field.to_string(), "view.levels");
    }
}
