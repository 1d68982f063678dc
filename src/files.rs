//! Writing files safely: a save that fails leaves the previous file as it was.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place
/// when complete: a failure leaves any existing file as it was and no partial file behind.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| "the file name is missing".to_owned())?;
    let mut temp_name = std::ffi::OsString::from(".");
    temp_name.push(name);
    temp_name.push(format!(".{}.part", std::process::id()));
    let temp = folder.join(temp_name);
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)
    })();
    result.map_err(|e| {
        let _ = std::fs::remove_file(&temp);
        describe_io_error(&e, &folder)
    })
}

/// A short, plain description of a failed write in `folder`.
pub fn describe_io_error(e: &std::io::Error, folder: &Path) -> String {
    use std::io::ErrorKind;
    match e.kind() {
        ErrorKind::PermissionDenied => {
            format!("permission denied (cannot write in {})", folder.display())
        }
        ErrorKind::StorageFull => "the disk is full".to_owned(),
        ErrorKind::NotFound => format!("the folder {} does not exist", folder.display()),
        ErrorKind::ReadOnlyFilesystem => "the disk is read-only".to_owned(),
        _ => e.to_string(),
    }
}

/// Reads a regular file of at most `max_bytes` (`what` names it in messages: "a scenario").
/// Anything else (a folder, a pipe, a device) is refused before it is read, and no more than
/// `max_bytes` are read whatever the file claims.
pub fn read_limited(path: &Path, max_bytes: u64, what: &str) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let describe = |e: &std::io::Error| match e.kind() {
        std::io::ErrorKind::NotFound => "the file does not exist".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => format!("could not read the file: {e}"),
    };
    let meta = std::fs::metadata(path).map_err(|e| describe(&e))?;
    if !meta.is_file() {
        return Err(format!("this is not a regular file; {what} is a file"));
    }
    let file = std::fs::File::open(path).map_err(|e| describe(&e))?;
    let mut bytes = Vec::new();
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| describe(&e))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "the file is larger than {max_bytes} bytes; {what} is smaller (is this the right file?)"
        ));
    }
    Ok(bytes)
}
