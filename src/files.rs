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
