//! Reading and writing files safely: a save that fails leaves the previous file as it was and
//! changes nothing else on disk; a read never blocks on a pipe, never reads a device and never
//! reads past its limit.

use std::ffi::{OsStr, OsString};
use std::fs::{File, FileType, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

/// How many symbolic links a save follows from the path it is given (as Linux does).
const MAX_LINKS: usize = 40;

/// How many temporary names a save tries before giving up (each has 64 random bits, so a
/// second try only happens when someone else made a file of that name).
const TEMP_ATTEMPTS: usize = 16;

/// Writes `bytes` to `path` through a temporary file in the same folder, renamed into place
/// when complete: a failure leaves any existing file as it was and no partial file behind.
///
/// - When `path` is a symbolic link (or a chain of them), the file it points to is replaced
///   and the link stays a link.
/// - The temporary file is created exclusively (it never follows a link planted at its
///   name, and never opens a file someone else made), beside the file replaced, and flushed
///   to disk before the rename; the folder is flushed after it.
/// - A replaced file keeps its permission bits (read, write, execute for owner, group and
///   others); its owner becomes the user saving. A new file gets the usual mode (the umask
///   applies).
/// - What is not a regular file (a folder, a device, a pipe) is refused, not replaced.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), String> {
    replace_file(path, temp_names, |file| file.write_all(bytes))
}

/// [`write_atomically`] with the content streamed by `write` into the temporary file (which is
/// renamed into place only when `write` succeeds).
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), String> {
    replace_file(path, temp_names, write)
}

/// [`write_atomically`] with the content written by `write` and the temporary names made by
/// `names` from the name of the file replaced (so tests can choose them).
fn replace_file<N: IntoIterator<Item = OsString>>(
    path: &Path,
    names: impl FnOnce(&OsStr) -> N,
    write: impl FnOnce(&mut File) -> io::Result<()>,
) -> Result<(), String> {
    let given_folder = folder_of(path);
    let resolved = resolve_links(path).map_err(|e| describe_io_error(&e, &given_folder))?;
    let Some(name) = resolved.file_name() else {
        return Err("the file name is missing".to_owned());
    };
    let folder = folder_of(&resolved);
    let folder = std::fs::canonicalize(&folder).map_err(|e| describe_io_error(&e, &folder))?;
    let target = folder.join(name);
    let existing = match std::fs::symlink_metadata(&target) {
        Ok(meta) if meta.is_file() => Some(meta),
        Ok(meta) => {
            return Err(format!(
                "{} is {}, not a regular file, so it is not replaced",
                target.display(),
                kind_of(&meta.file_type())
            ));
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(describe_io_error(&e, &folder)),
    };

    let (mut file, temp) = create_temp(&folder, names(name), existing.as_ref())?;
    let written = (|| {
        keep_permissions(&file, existing.as_ref())?;
        write(&mut file)?;
        file.sync_all()?;
        // The browser build's File closes nothing (it has no files).
        #[cfg_attr(target_arch = "wasm32", allow(clippy::drop_non_drop))]
        drop(file);
        std::fs::rename(&temp, &target)
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_file(&temp);
        return Err(describe_io_error(&e, &folder));
    }
    sync_folder(&folder).map_err(|e| {
        format!(
            "the file was saved, but the folder could not be flushed to disk: {}",
            describe_io_error(&e, &folder)
        )
    })
}

/// The folder a path is in (`.` for a bare file name).
fn folder_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// `path` with its symbolic links followed to the file they name (which may not exist yet).
fn resolve_links(path: &Path) -> io::Result<PathBuf> {
    let mut current = path.to_path_buf();
    for _ in 0..MAX_LINKS {
        match std::fs::symlink_metadata(&current) {
            Ok(meta) if meta.file_type().is_symlink() => {
                // A relative link is relative to the folder holding the link.
                let destination = std::fs::read_link(&current)?;
                current = folder_of(&current).join(destination);
            }
            Ok(_) => return Ok(current),
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(current),
            Err(e) => return Err(e),
        }
    }
    Err(io::Error::other(format!(
        "more than {MAX_LINKS} symbolic links lead from {}",
        path.display()
    )))
}

/// Names `.NAME.RANDOM.part` for the temporary file of a save of the file `name`.
fn temp_names(name: &OsStr) -> impl Iterator<Item = OsString> + use<> {
    use std::hash::{BuildHasher, RandomState};
    let name = name.to_owned();
    // Each RandomState is keyed from the system's random source once per thread, then
    // stepped; hashing the time and process id in as well makes names hard to predict.
    let state = RandomState::new();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let pid = std::process::id();
    (0..TEMP_ATTEMPTS).map(move |attempt| {
        let random = state.hash_one((nanos, pid, attempt));
        let mut temp = OsString::from(".");
        temp.push(&name);
        temp.push(format!(".{random:016x}.part"));
        temp
    })
}

/// Creates a new file in `folder` under the first of `names` that nobody has taken.
fn create_temp(
    folder: &Path,
    names: impl IntoIterator<Item = OsString>,
    existing: Option<&Metadata>,
) -> Result<(File, PathBuf), String> {
    for name in names {
        let temp = folder.join(name);
        let mut options = OpenOptions::new();
        // `create_new` fails on any existing name, a symbolic link included (O_EXCL).
        options.write(true).create_new(true);
        #[cfg(not(unix))]
        let _ = existing;
        #[cfg(unix)]
        if existing.is_some() {
            // Private until it gets the replaced file's permissions.
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        }
        match options.open(&temp) {
            Ok(file) => return Ok((file, temp)),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(describe_io_error(&e, folder)),
        }
    }
    Err(format!(
        "could not make a temporary file in {} (every name tried was taken)",
        folder.display()
    ))
}

/// Gives the new file the permission bits of the file it replaces.
#[cfg(unix)]
fn keep_permissions(file: &File, existing: Option<&Metadata>) -> io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    match existing {
        Some(meta) => file.set_permissions(std::fs::Permissions::from_mode(
            meta.permissions().mode() & 0o777,
        )),
        None => Ok(()),
    }
}

#[cfg(not(unix))]
fn keep_permissions(_file: &File, _existing: Option<&Metadata>) -> io::Result<()> {
    Ok(())
}

/// Flushes a folder's entries (the rename) to disk. File systems that cannot flush a
/// folder are not an error.
#[cfg(unix)]
fn sync_folder(folder: &Path) -> io::Result<()> {
    match File::open(folder)?.sync_all() {
        Err(e)
            if matches!(
                e.kind(),
                io::ErrorKind::InvalidInput | io::ErrorKind::Unsupported
            ) =>
        {
            Ok(())
        }
        other => other,
    }
}

#[cfg(not(unix))]
fn sync_folder(_folder: &Path) -> io::Result<()> {
    Ok(())
}

/// Reads a whole regular file of at most `max_bytes` bytes.
///
/// What is not a regular file (a folder, a named pipe, a device such as `/dev/zero`, a
/// socket) is refused before it is opened, so a pipe nobody writes to cannot block the read;
/// the file opened is checked again. At most `max_bytes + 1` bytes are ever read, whatever
/// size the file claims, and a file with more is refused. `what` names what the file should
/// be, without an article (`"CSV file"`); messages say it ("it is a device, not a CSV
/// file") but do not name the path: the caller adds it.
pub fn read_limited(path: &Path, max_bytes: u64, what: &str) -> Result<Vec<u8>, String> {
    let open_error = |e: io::Error| match e.kind() {
        io::ErrorKind::NotFound => format!("cannot open the {what}: it does not exist"),
        io::ErrorKind::PermissionDenied => format!("cannot open the {what}: permission denied"),
        _ => format!("cannot open the {what}: {e}"),
    };
    let too_big = || {
        format!(
            "the {what} is larger than {}, the most losscape reads",
            describe_size(max_bytes)
        )
    };
    let check = |meta: &Metadata| {
        if !meta.is_file() {
            return Err(format!(
                "it is {}, not a {what}",
                kind_of(&meta.file_type())
            ));
        }
        if meta.len() > max_bytes {
            return Err(too_big());
        }
        Ok(())
    };
    check(&std::fs::metadata(path).map_err(open_error)?)?;
    let file = File::open(path).map_err(open_error)?;
    // The file opened may not be the one looked at (it can be swapped in between).
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the {what}: {e}"))?;
    check(&meta)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the {what}: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(too_big());
    }
    Ok(bytes)
}

/// A size in bytes as people write it: `64 MiB`, `512 KiB`, `1000 bytes`.
pub fn describe_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else if bytes == 1 {
        "1 byte".to_owned()
    } else {
        format!("{bytes} bytes")
    }
}

/// A short, plain description of a failed write in `folder`.
pub fn describe_io_error(e: &io::Error, folder: &Path) -> String {
    use io::ErrorKind;
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

/// What kind of thing a file that is not a regular file is, in words ("a folder").
fn kind_of(file_type: &FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
        if file_type.is_socket() {
            return "a socket";
        }
    }
    if file_type.is_dir() {
        "a folder"
    } else if file_type.is_symlink() {
        "a symbolic link"
    } else if file_type.is_file() {
        "a file"
    } else {
        "a special file"
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    // A failed write leaves the old file as it was and no temporary file behind.
    #[test]
    fn a_failed_write_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("scenario.toml");
        std::fs::write(&path, "old").unwrap();
        let err = replace_file(&path, temp_names, |file| {
            file.write_all(b"half")?;
            Err(io::Error::other("the write broke"))
        })
        .expect_err("the write fails");
        assert!(err.contains("the write broke"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "only the old file remains");
    }

    // Taken temporary names, links included, are skipped without being opened.
    #[cfg(unix)]
    #[test]
    fn taken_temporary_names_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        std::os::unix::fs::symlink(&victim, dir.path().join("t1")).unwrap();
        std::os::unix::fs::symlink("missing", dir.path().join("t2")).unwrap();
        std::fs::write(dir.path().join("t3"), "someone's").unwrap();
        let path = dir.path().join("out");
        let names = ["t1", "t2", "t3", "t4"].map(OsString::from);
        write_via(&path, names.clone()).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(
            std::fs::read_to_string(dir.path().join("t3")).unwrap(),
            "someone's"
        );
        assert!(!dir.path().join("missing").exists());
        assert!(!dir.path().join("t4").exists(), "t4 was renamed into place");

        // When every name is taken the save fails and nothing changes.
        std::fs::write(dir.path().join("t4"), "taken too").unwrap();
        let err = write_via(&path, names).expect_err("no free name");
        assert!(err.contains("temporary file"), "{err}");
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    }

    #[cfg(unix)]
    fn write_via(path: &Path, names: [OsString; 4]) -> Result<(), String> {
        replace_file(path, |_| names, |file| file.write_all(b"new"))
    }

    // Temporary names differ from one save to the next and hide the file.
    #[test]
    fn temporary_names_are_hidden_and_unpredictable() {
        let a: Vec<OsString> = temp_names(OsStr::new("out.csv")).collect();
        let b: Vec<OsString> = temp_names(OsStr::new("out.csv")).collect();
        assert_eq!(a.len(), TEMP_ATTEMPTS);
        assert!(a.iter().all(|n| {
            let n = n.to_string_lossy();
            n.starts_with(".out.csv.") && n.ends_with(".part")
        }));
        assert!(a.iter().all(|n| !b.contains(n)));
    }
}
