//! Scenes as links: every bundled lesson round-trips (file -> link -> the same scene), and a
//! damaged or hostile link gives a message, never a panic or a scene.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use losscape::engine::scenario::{
    BUNDLED_LESSONS, DEFAULT_WEB_ADDRESS, LinkTarget, MAX_LINK_CHARS, Scenario, read_link,
    scene_link,
};
use proptest::prelude::*;

fn deflated(bytes: &[u8]) -> String {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(bytes).expect("compress");
    URL_SAFE_NO_PAD.encode(e.finish().expect("compress"))
}

#[test]
fn every_lesson_round_trips_through_a_link() {
    for lesson in BUNDLED_LESSONS {
        let scene = Scenario::from_toml(lesson.text, None).expect("a lesson");
        let link = scene_link(DEFAULT_WEB_ADDRESS, &scene).expect("a link");
        assert!(link.len() <= MAX_LINK_CHARS);
        match read_link(&link) {
            Ok(LinkTarget::Scene(back)) => assert_eq!(*back, scene, "{}", lesson.file_name),
            other => panic!("{}: {other:?}", lesson.file_name),
        }
    }
}

#[test]
fn damaged_links_say_what_is_wrong() {
    let scene = Scenario::from_toml(BUNDLED_LESSONS[3].text, None).expect("a lesson");
    let link = scene_link("https://example.org/", &scene).expect("a link");
    let cut = &link[..link.len() - 40];
    let big = "x".repeat(MAX_LINK_CHARS + 1);
    let bomb = deflated(&vec![b'#'; 5 << 20]);
    let csv = deflated(
        b"version = 1\n[problem.data]\ndataset = { kind = \"csv\", path = \"/etc/passwd\" }\n",
    );
    let cases: Vec<(String, &str)> = vec![
        ("https://example.org/".into(), "no #scene="),
        (cut.to_owned(), "damaged"),
        ("x#scene=%%%".into(), "damaged"),
        ("x#scene=AAAA".into(), "damaged"),
        (
            format!("x#scene={}", deflated(&[0xff, 0xfe, 0x00])),
            "not text",
        ),
        (
            format!(
                "x#scene={}",
                deflated(b"version = 1\n[problem]\npreset = \"nope\"\n")
            ),
            "nope",
        ),
        (
            format!("x#scene={}", deflated(b"version = 99\n")),
            "version",
        ),
        (format!("x#scene={bomb}"), "unpacks to more than"),
        (format!("x#scene={csv}"), "file"),
        (big, "over the"),
        ("x#lesson=99".into(), "numbered 01 to"),
    ];
    for (text, needle) in cases {
        let err = read_link(&text).expect_err(needle);
        assert!(err.contains(needle), "{needle:?} not in {err:?}");
    }
}

proptest! {
    // Any text at all gives a scene, a lesson or a message, never a panic.
    #[test]
    fn any_text_is_read_without_panicking(s in ".{0,200}", code in "[A-Za-z0-9_-]{0,300}") {
        let _ = read_link(&s);
        let _ = read_link(&format!("x#scene={code}"));
    }
}

// `losscape link FILE` prints a link that opens the file's scene, pointing at
// LOSSCAPE_WEB_URL; `--lesson N` prints the short form; a lesson that does not exist exits 2.
#[test]
fn the_link_command_round_trips_a_file() {
    let bin = env!("CARGO_BIN_EXE_losscape");
    let file = "assets/scenarios/07-momentum.toml";
    let out = std::process::Command::new(bin)
        .args(["link", file])
        .env("LOSSCAPE_WEB_URL", "https://example.org/losscape/")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let link = String::from_utf8(out.stdout).expect("text");
    assert!(
        link.starts_with("https://example.org/losscape/#scene="),
        "{link}"
    );
    let expected = Scenario::load(std::path::Path::new(file)).expect("the lesson file");
    match read_link(link.trim()) {
        Ok(LinkTarget::Scene(back)) => assert_eq!(*back, expected),
        other => panic!("{other:?}"),
    }
    let short = std::process::Command::new(bin)
        .args(["link", "--lesson", "4"])
        .env_remove("LOSSCAPE_WEB_URL")
        .output()
        .expect("runs");
    assert_eq!(
        String::from_utf8_lossy(&short.stdout),
        format!("{DEFAULT_WEB_ADDRESS}#lesson=04\n")
    );
    let missing = std::process::Command::new(bin)
        .args(["link", "--lesson", "99"])
        .output()
        .expect("runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no lesson 99"));
}
