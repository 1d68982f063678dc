//! Scenes as links: the whole scenario file, deflated and written in URL-safe base64 in the
//! link's fragment (`...#scene=CODE`), so it never reaches a server; a bundled lesson is
//! `...#lesson=04`. A link is read with the same checks as a file, and never names a file
//! on the computer that opens it.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::{BUNDLED_LESSONS, MAX_FILE_BYTES, Scenario};

/// The longest link read or made, in characters (most chat and mail programs keep links
/// of this length whole).
pub const MAX_LINK_CHARS: usize = 32 * 1024;

/// Where links point when `LOSSCAPE_WEB_URL` is not set: the browser build served by
/// `python3 -m http.server` from `dist/`, as the README shows.
pub const DEFAULT_WEB_ADDRESS: &str = "http://localhost:8000/";

/// The web address links point to: `LOSSCAPE_WEB_URL`, or [`DEFAULT_WEB_ADDRESS`].
pub fn web_address() -> String {
    std::env::var("LOSSCAPE_WEB_URL")
        .ok()
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_WEB_ADDRESS.to_owned())
}

/// What a link opens.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkTarget {
    /// A whole scene.
    Scene(Box<Scenario>),
    /// Bundled lesson at this index of [`BUNDLED_LESSONS`].
    Lesson(usize),
}

/// True when `text` looks like a losscape link rather than a file name.
pub fn is_link(text: &str) -> bool {
    text.contains("#scene=") || text.contains("#lesson=")
}

/// A link to `scenario` at `address`, e.g. `http://localhost:8000/#scene=...`.
pub fn scene_link(address: &str, scenario: &Scenario) -> Result<String, String> {
    if scenario.names_a_file() {
        return Err(
            "this scene reads a CSV file, which a link cannot carry; save it as a \
                    scenario file and share the file with its data instead"
                .into(),
        );
    }
    let text = scenario
        .for_file(None)
        .and_then(|s| {
            s.validate()?;
            s.to_toml()
        })
        .map_err(|e| e.to_string())?;
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(text.as_bytes())
        .map_err(|e| format!("could not compress the scene: {e}"))?;
    let packed = encoder
        .finish()
        .map_err(|e| format!("could not compress the scene: {e}"))?;
    let link = format!(
        "{}#scene={}",
        address.split('#').next().unwrap_or(address),
        URL_SAFE_NO_PAD.encode(packed)
    );
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link would be {} characters, over the {MAX_LINK_CHARS} a link may have; \
             share the scenario file instead",
            link.len()
        ));
    }
    Ok(link)
}

/// A short link to bundled lesson `index` (0-based): `...#lesson=04` for the fourth.
pub fn lesson_link(address: &str, index: usize) -> String {
    format!(
        "{}#lesson={:02}",
        address.split('#').next().unwrap_or(address),
        index + 1
    )
}

/// Reads a link made by [`scene_link`] or [`lesson_link`] (the address before `#` is not
/// looked at). Every failure says what is wrong with the link.
pub fn read_link(link: &str) -> Result<LinkTarget, String> {
    let link = link.trim();
    if link.len() > MAX_LINK_CHARS {
        return Err(format!(
            "the link is {} characters long, over the {MAX_LINK_CHARS} a scene link may have",
            link.len()
        ));
    }
    let Some((_, fragment)) = link.split_once('#') else {
        return Err("this is not a losscape link: it has no #scene= or #lesson= part".into());
    };
    if let Some(number) = fragment.strip_prefix("lesson=") {
        let count = BUNDLED_LESSONS.len();
        return match number.parse::<usize>() {
            Ok(n) if (1..=count).contains(&n) => Ok(LinkTarget::Lesson(n - 1)),
            _ => Err(format!(
                "the link asks for lesson {number:?}; the lessons are numbered 01 to {count:02}"
            )),
        };
    }
    let Some(code) = fragment.strip_prefix("scene=") else {
        return Err("this is not a losscape link: it has no #scene= or #lesson= part".into());
    };
    let damaged = |why: &str| format!("the link is damaged ({why}); ask for it again");
    let packed = URL_SAFE_NO_PAD
        .decode(code.trim_end_matches('='))
        .map_err(|_| damaged("it has characters a scene link does not use, or was cut"))?;
    let mut text = Vec::new();
    flate2::read::DeflateDecoder::new(packed.as_slice())
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut text)
        .map_err(|_| damaged("its scene does not unpack"))?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "the link's scene unpacks to more than {} MiB, more than a scenario file may hold",
            MAX_FILE_BYTES >> 20
        ));
    }
    let text = String::from_utf8(text).map_err(|_| damaged("its scene is not text"))?;
    // Refused before the problem is resolved, which would read the file.
    if toml::from_str::<Scenario>(&text).is_ok_and(|s| s.names_a_file()) {
        return Err(
            "the link's scene reads a file on this computer, which a link may not do".into(),
        );
    }
    let scenario =
        Scenario::from_toml(&text, None).map_err(|e| format!("the link's scene: {e}"))?;
    Ok(LinkTarget::Scene(Box::new(scenario)))
}

#[cfg(test)]
mod tests {
    use super::*;

    // A scene made into a link reads back as the same scene.
    #[test]
    fn a_scene_round_trips() {
        let lesson = Scenario::from_toml(BUNDLED_LESSONS[6].text, None).expect("lesson 7");
        let link = scene_link(DEFAULT_WEB_ADDRESS, &lesson).expect("a link");
        assert!(link.starts_with("http://localhost:8000/#scene="), "{link}");
        assert!(is_link(&link));
        let LinkTarget::Scene(back) = read_link(&link).expect("reads") else {
            panic!("a scene");
        };
        assert_eq!(*back, lesson);
    }

    #[test]
    fn lesson_links_are_short() {
        let link = lesson_link("https://example.org/losscape/", 3);
        assert_eq!(link, "https://example.org/losscape/#lesson=04");
        assert_eq!(read_link(&link), Ok(LinkTarget::Lesson(3)));
        let too_far = format!("x#lesson={}", BUNDLED_LESSONS.len() + 1);
        assert!(read_link(&too_far).is_err());
        assert!(read_link("x#lesson=0").is_err());
        assert!(read_link("x#lesson=four").is_err());
    }
}
