//! Running the binary as a reader that stops early would (`losscape ... | head -0`).

use std::io::Read;
use std::process::{Command, Stdio};

/// Runs `losscape ARGS`, closing our end of its stdout before reading anything; returns its
/// exit code and what it wrote to stderr.
pub fn run_with_closed_stdout(args: &[&str]) -> (Option<i32>, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_losscape"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starts");
    drop(child.stdout.take());
    let mut err = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut err)
        .expect("reads");
    let status = child.wait().expect("ends");
    (status.code(), err)
}
