//! Saving replaces only the file asked for, through any symlink, keeping its permissions;
//! reading refuses what is not a regular file and never reads past its limit.
#![cfg(unix)]
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

use losscape::files::{read_limited, write_atomically};

/// The names in a folder, sorted.
fn names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect()
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_link_planted_at_a_temporary_name_is_never_followed() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let victim = elsewhere.path().join("victim.txt");
    std::fs::write(&victim, "precious").unwrap();
    let target = dir.path().join("out.toml");
    std::fs::write(&target, "old").unwrap();
    // Every temporary name a writer could predict: process id, common suffixes.
    let pid = std::process::id();
    let planted: Vec<PathBuf> = [
        format!(".out.toml.{pid}.part"),
        ".out.toml.part".to_owned(),
        ".out.toml.tmp".to_owned(),
        "out.toml.tmp".to_owned(),
        "out.toml~".to_owned(),
        format!("out.toml.{pid}.tmp"),
    ]
    .iter()
    .map(|n| dir.path().join(n))
    .collect();
    for link in &planted {
        symlink(&victim, link).unwrap();
    }
    let before = names(dir.path());

    write_atomically(&target, b"new contents").unwrap();

    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new contents");
    assert_eq!(names(dir.path()), before, "no file appeared or vanished");
    for link in &planted {
        let meta = std::fs::symlink_metadata(link).unwrap();
        assert!(meta.file_type().is_symlink(), "{}", link.display());
        assert_eq!(std::fs::read_link(link).unwrap(), victim);
    }
    assert_eq!(
        names(elsewhere.path()),
        BTreeSet::from(["victim.txt".to_owned()])
    );
}

#[test]
fn saving_through_a_symlink_keeps_the_link_and_updates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    std::fs::write(&real, "old").unwrap();
    let link = dir.path().join("link.csv");
    symlink("real.csv", &link).unwrap();
    // A chain of links: chain.csv -> link.csv -> real.csv.
    let chain = dir.path().join("chain.csv");
    symlink(&link, &chain).unwrap();
    let before = names(dir.path());

    write_atomically(&link, b"through the link").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new("real.csv"));
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "through the link");

    write_atomically(&chain, b"through the chain").unwrap();
    assert!(
        std::fs::symlink_metadata(&chain)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "through the chain");
    assert_eq!(names(dir.path()), before);
}

#[test]
fn a_link_into_another_folder_writes_there_and_leaves_no_temporary_file() {
    let here = tempfile::tempdir().unwrap();
    let there = tempfile::tempdir().unwrap();
    let real = there.path().join("data.csv");
    std::fs::write(&real, "old").unwrap();
    let link = here.path().join("data.csv");
    symlink(&real, &link).unwrap();

    write_atomically(&link, b"new").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    assert_eq!(names(here.path()), BTreeSet::from(["data.csv".to_owned()]));
    assert_eq!(names(there.path()), BTreeSet::from(["data.csv".to_owned()]));

    // A dangling link: the file it names is created, and the link stays.
    let dangling = here.path().join("new.csv");
    let missing = there.path().join("new.csv");
    symlink(&missing, &dangling).unwrap();
    write_atomically(&dangling, b"created").unwrap();
    assert!(
        std::fs::symlink_metadata(&dangling)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&missing).unwrap(), "created");
}

#[test]
fn the_permissions_of_the_replaced_file_are_kept() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("lesson.toml");
    std::fs::write(&path, "old").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    write_atomically(&path, b"new").unwrap();
    assert_eq!(mode(&path), 0o640);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o604)).unwrap();
    write_atomically(&path, b"newer").unwrap();
    assert_eq!(mode(&path), 0o604);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "newer");

    // A new file gets the mode any newly created file gets (the umask applies).
    let fresh = dir.path().join("fresh.toml");
    let plain = dir.path().join("plain.toml");
    write_atomically(&fresh, b"x").unwrap();
    std::fs::write(&plain, b"x").unwrap();
    assert_eq!(mode(&fresh), mode(&plain));
}

#[test]
fn what_is_not_a_regular_file_is_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    assert!(write_atomically(&folder, b"x").is_err());
    assert!(folder.is_dir());
    assert_eq!(names(dir.path()), BTreeSet::from(["folder".to_owned()]));
}

#[test]
fn a_regular_file_is_read_up_to_its_limit_and_no_further() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ten.txt");
    std::fs::write(&path, "0123456789").unwrap();
    assert_eq!(read_limited(&path, 10, "text file").unwrap(), b"0123456789");
    let e = read_limited(&path, 9, "text file").expect_err("one byte too many");
    assert!(e.contains("larger than 9 bytes"), "{e}");
    // A file that claims to be empty but is not (as files in /proc do) is still limited.
    let status = Path::new("/proc/self/status");
    if std::fs::metadata(status).is_ok_and(|m| m.len() == 0) {
        let e = read_limited(status, 16, "status file").expect_err("longer than 16 bytes");
        assert!(e.contains("larger than 16 bytes"), "{e}");
    }
    let e = read_limited(&dir.path().join("none.txt"), 10, "text file").expect_err("missing");
    assert!(e.contains("does not exist"), "{e}");
}

#[test]
fn what_is_not_a_regular_file_is_refused_before_it_is_read() {
    let e = read_limited(Path::new("/dev/zero"), 1 << 30, "scenario file").expect_err("device");
    assert_eq!(e, "it is a device, not a scenario file");
    let dir = tempfile::tempdir().unwrap();
    let e = read_limited(dir.path(), 1 << 30, "scenario file").expect_err("folder");
    assert_eq!(e, "it is a folder, not a scenario file");
    let pipe = dir.path().join("pipe");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    // Nobody writes to the pipe, so opening it to read would wait forever.
    let e = read_limited(&pipe, 1 << 30, "scenario file").expect_err("pipe");
    assert_eq!(e, "it is a named pipe, not a scenario file");
}
