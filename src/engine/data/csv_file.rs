//! Reading a dataset from CSV text.
//!
//! The accepted format:
//! - Cells separated by commas, or by semicolons or tabs when the first line that is not a
//!   comment or blank (the header or the first row) has one outside quotes. Optionally a
//!   header row. Lines starting with `#` are comments and
//!   blank lines are skipped; cells may be padded with spaces.
//! - With a header that names an `x` and a `y` column (any letter case), those two columns are
//!   used, wherever they are. Otherwise the first two columns that hold numbers are used: `x`
//!   first, then `y`.
//! - Every used cell must be a finite number: empty cells, `NaN`, `inf` and words are refused
//!   with the line number of the row.
//! - Numbers use a decimal point. A number written with a decimal comma (`1,5`, as some
//!   spreadsheets save semicolon-separated files) is refused with its line, never read as
//!   something else.
//! - At most [`MAX_EXAMPLES`] rows and [`MAX_FILE_BYTES`] bytes; larger files are refused, and
//!   so is a path that is not a regular file (a folder, a named pipe, a device).

use std::io::Read;
use std::path::Path;

use super::{DataError, Dataset};

/// The largest number of examples a CSV file may hold (one million).
pub const MAX_EXAMPLES: usize = 1_000_000;

/// The largest CSV file accepted, in bytes (64 MiB); no more than this (plus one byte) is
/// ever read, whatever size a file claims.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

impl Dataset {
    /// Reads a dataset from a CSV file (see the module documentation for the format). Only a
    /// regular file is read (not a folder, a pipe or a device), and only up to
    /// [`MAX_FILE_BYTES`]; errors that are not on one line name the file.
    pub fn from_csv_path(path: impl AsRef<Path>) -> Result<Self, DataError> {
        let path = path.as_ref();
        let shown = path.display();
        let bytes = crate::files::read_limited(path, MAX_FILE_BYTES, "CSV file")
            .map_err(|m| DataError::new(format!("'{shown}': {m}")))?;
        Self::from_csv_file_bytes(bytes, path)
    }

    /// Reads a dataset from the contents of the CSV file `path`, read elsewhere (the browser
    /// build's file picker) but checked as [`Dataset::from_csv_path`] checks a file.
    pub fn from_csv_file_bytes(bytes: Vec<u8>, path: &Path) -> Result<Self, DataError> {
        let shown = path.display();
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(DataError::new(format!("'{shown}': {}", too_big().message)));
        }
        Self::from_csv_bytes(bytes).map_err(|e| match e.line {
            Some(_) => e,
            None => DataError::new(format!("'{shown}': {}", e.message)),
        })
    }

    /// Reads a dataset from CSV bytes (at most [`MAX_FILE_BYTES`] are read).
    pub fn from_csv_reader(reader: impl Read) -> Result<Self, DataError> {
        let mut bytes = Vec::new();
        reader
            .take(MAX_FILE_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| DataError::new(format!("cannot read the data: {e}")))?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big());
        }
        Self::from_csv_bytes(bytes)
    }

    /// Reads a dataset from the bytes of a CSV file, which must be UTF-8 text.
    fn from_csv_bytes(bytes: Vec<u8>) -> Result<Self, DataError> {
        let text = match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let valid = e.utf8_error().valid_up_to();
                let line = e.as_bytes()[..valid]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count()
                    + 1;
                return Err(DataError::at_line(line, "the file is not UTF-8 text"));
            }
        };
        Self::from_csv_str(&text)
    }

    /// Reads a dataset from CSV text (see the module documentation for the format).
    pub fn from_csv_str(text: &str) -> Result<Self, DataError> {
        if text.len() as u64 > MAX_FILE_BYTES {
            return Err(too_big());
        }
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter(text))
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());

        let mut columns: Option<Columns> = None;
        let mut data = Dataset::default();
        let mut record = csv::StringRecord::new();
        let mut first = true;
        // Line numbers are counted here from byte offsets (the csv crate skips blank lines
        // without counting them).
        let (mut counted_to, mut line) = (0usize, 1usize);
        let mut line_at = |byte: usize| {
            let byte = byte.min(text.len());
            if byte > counted_to {
                line += text.as_bytes()[counted_to..byte]
                    .iter()
                    .filter(|&&c| c == b'\n')
                    .count();
                counted_to = byte;
            }
            line
        };
        loop {
            match reader.read_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    let line = line_at(e.position().map_or(0, |p| p.byte() as usize));
                    return Err(DataError::at_line(line, format!("unreadable CSV: {e}")));
                }
            }
            let line = line_at(record.position().map_or(0, |p| p.byte() as usize));
            let is_comment = record.get(0).is_some_and(|c| c.starts_with('#'));
            if is_comment || record.iter().all(str::is_empty) {
                continue;
            }
            if first {
                first = false;
                if let Some(header) = header_columns(&record, line)? {
                    columns = header;
                    continue;
                }
            }
            if columns.is_none() {
                columns = Some(numeric_columns(&record, line)?);
            }
            let Some(cols) = &columns else { continue };
            if data.len() == MAX_EXAMPLES {
                return Err(DataError::at_line(
                    line,
                    format!("too many rows: at most {MAX_EXAMPLES} examples are accepted"),
                ));
            }
            data.x.push(cell(&record, cols.x, &cols.x_name, line)?);
            data.y.push(cell(&record, cols.y, &cols.y_name, line)?);
        }
        if data.is_empty() {
            return Err(DataError::new(
                "the file has no data rows (it needs at least one x,y row)",
            ));
        }
        Ok(data)
    }
}

fn too_big() -> DataError {
    DataError::new(format!(
        "the file is larger than {}, the most losscape reads",
        crate::files::describe_size(MAX_FILE_BYTES)
    ))
}

/// The cell separator: `;` or tab when the first line that is not a comment or blank has
/// one outside quotes (the more frequent of the two), else `,`. Numbers never hold either, so
/// one on the first line is a sure sign, even when commas are there too (decimal commas).
fn delimiter(text: &str) -> u8 {
    let first = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    let (mut quoted, mut semicolons, mut tabs) = (false, 0usize, 0usize);
    for c in first.unwrap_or("").bytes() {
        match c {
            b'"' => quoted = !quoted,
            b';' if !quoted => semicolons += 1,
            b'\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons == 0 && tabs == 0 {
        b','
    } else if semicolons >= tabs {
        b';'
    } else {
        b'\t'
    }
}

/// When `text` is a number written with a decimal comma (`1,5`, `-0,25`, `1.234,5`), the
/// same number with a decimal point (`1.5`, `-0.25`, `1234.5`).
fn decimal_comma(text: &str) -> Option<String> {
    let (whole, fraction) = text.split_once(',')?;
    let digit = |c: char| c.is_ascii_digit();
    if fraction.contains(',') || !whole.ends_with(digit) || !fraction.starts_with(digit) {
        return None;
    }
    let with_point = format!("{}.{fraction}", whole.replace('.', ""));
    with_point.parse::<f64>().ok().map(|_| with_point)
}

/// The error for a cell written with a decimal comma; `subject` says which cell uses it.
fn decimal_comma_error(line: usize, subject: &str, with_point: &str) -> DataError {
    DataError::at_line(
        line,
        format!("{subject} a decimal comma; save the file with decimal points ({with_point})"),
    )
}

/// Which columns hold x and y, and how to name them in messages.
#[derive(Clone, Debug)]
struct Columns {
    x: usize,
    y: usize,
    x_name: String,
    y_name: String,
}

/// Decides whether the first row is a header. Returns `Ok(None)` when it is data (some cell is a
/// number), `Ok(Some(Some(cols)))` for a header naming x and y, and `Ok(Some(None))` for a
/// header without those names (the columns are then found from the first data row).
#[allow(clippy::option_option)]
fn header_columns(
    record: &csv::StringRecord,
    line: usize,
) -> Result<Option<Option<Columns>>, DataError> {
    if record
        .iter()
        .any(|c| c.parse::<f64>().is_ok() || decimal_comma(c).is_some())
    {
        return Ok(None);
    }
    let find = |name: &str| record.iter().position(|c| c.eq_ignore_ascii_case(name));
    match (find("x"), find("y")) {
        (Some(x), Some(y)) => Ok(Some(Some(Columns {
            x,
            y,
            x_name: "x".into(),
            y_name: "y".into(),
        }))),
        (Some(_), None) => Err(DataError::at_line(
            line,
            "the header names an x column but no y column",
        )),
        (None, Some(_)) => Err(DataError::at_line(
            line,
            "the header names a y column but no x column",
        )),
        (None, None) => Ok(Some(None)),
    }
}

/// The first two columns of a data row that hold numbers.
fn numeric_columns(record: &csv::StringRecord, line: usize) -> Result<Columns, DataError> {
    // A decimal-comma number would be skipped as text and shift the columns used.
    if let Some((text, with_point)) = record.iter().find_map(|c| decimal_comma(c).map(|p| (c, p))) {
        return Err(decimal_comma_error(
            line,
            &format!("'{text}' uses"),
            &with_point,
        ));
    }
    let numeric: Vec<usize> = record
        .iter()
        .enumerate()
        .filter(|(_, c)| c.parse::<f64>().is_ok())
        .map(|(i, _)| i)
        .take(2)
        .collect();
    match numeric[..] {
        [x, y] => Ok(Columns {
            x,
            y,
            x_name: format!("column {}", x + 1),
            y_name: format!("column {}", y + 1),
        }),
        _ => Err(DataError::at_line(
            line,
            "expected two numeric columns (x and y), or a header naming columns x and y",
        )),
    }
}

/// One cell as a finite number.
fn cell(
    record: &csv::StringRecord,
    index: usize,
    name: &str,
    line: usize,
) -> Result<f64, DataError> {
    let Some(text) = record.get(index) else {
        return Err(DataError::at_line(
            line,
            format!("the row has {} cells; {name} is missing", record.len()),
        ));
    };
    if text.is_empty() {
        return Err(DataError::at_line(line, format!("{name} is empty")));
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(DataError::at_line(
            line,
            format!("{name} is '{text}'; every value must be a finite number"),
        )),
        Err(_) => match decimal_comma(text) {
            Some(with_point) => Err(decimal_comma_error(
                line,
                &format!("{name} is '{text}', which uses"),
                &with_point,
            )),
            None => Err(DataError::at_line(
                line,
                format!("{name} is '{text}', which is not a number"),
            )),
        },
    }
}
