//! The remembered session: the [`State`] as a TOML file in the app's data folder, written
//! atomically (a crash mid-save leaves the last good session), read at start. The browser
//! build keeps the same text in the page's local storage, under the path as its key.

use std::path::PathBuf;

use super::state::State;

/// Largest session file read, in bytes.
const MAX_SESSION_BYTES: u64 = 16 * 1024 * 1024;

/// Where the session lives.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    path: PathBuf,
}

impl Session {
    /// The session kept in `path`.
    pub fn new(path: PathBuf) -> Self {
        Self { path }
    }

    /// The session file of this user (`losscape/session.toml` in the data folder).
    pub fn default_path() -> Option<PathBuf> {
        #[cfg(not(target_arch = "wasm32"))]
        return eframe::storage_dir("losscape").map(|dir| dir.join("session.toml"));
        #[cfg(target_arch = "wasm32")]
        return Some(PathBuf::from("losscape/session.toml"));
    }

    /// The file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The remembered state, or the default scene when there is none. A session that cannot
    /// be read is moved aside (to `session.toml.unreadable`, never lost) and the second
    /// value says so, for the user.
    pub fn load(&self) -> (State, Option<String>) {
        let read = match self.read() {
            Ok(None) => return (State::default(), None),
            Ok(Some(text)) => toml::from_str::<State>(&text).map_err(|e| e.message().to_owned()),
            Err(why) => Err(why),
        };
        match read {
            Ok(mut state) => {
                state.number_runs();
                (state, None)
            }
            Err(why) => {
                let mut message = format!(
                    "The remembered session could not be read ({why}); the default scene is shown."
                );
                if let Some(aside) = self.set_aside() {
                    message.push_str(&format!(" The old one was kept as {aside}."));
                }
                (State::default(), Some(message))
            }
        }
    }

    /// The session's text; None when there is none yet.
    #[cfg(not(target_arch = "wasm32"))]
    fn read(&self) -> Result<Option<String>, String> {
        if !self.path.exists() {
            return Ok(None);
        }
        crate::files::read_limited(&self.path, MAX_SESSION_BYTES, "session file")
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "it is not text".to_owned()))
            .map(Some)
    }

    /// Moves an unreadable session aside (never lost); where it went.
    #[cfg(not(target_arch = "wasm32"))]
    fn set_aside(&self) -> Option<String> {
        let aside = self.path.with_extension("toml.unreadable");
        std::fs::rename(&self.path, &aside)
            .is_ok()
            .then(|| aside.display().to_string())
    }

    #[cfg(not(target_arch = "wasm32"))]
    fn write(&self, text: &str) -> Result<(), String> {
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        crate::files::write_atomically(&self.path, text.as_bytes())
    }

    #[cfg(target_arch = "wasm32")]
    fn key(&self) -> String {
        self.path.display().to_string()
    }

    #[cfg(target_arch = "wasm32")]
    fn read(&self) -> Result<Option<String>, String> {
        let text = super::web::storage_get(&self.key())?;
        match text {
            Some(t) if t.len() as u64 > MAX_SESSION_BYTES => {
                Err(format!("it is over {MAX_SESSION_BYTES} bytes"))
            }
            other => Ok(other),
        }
    }

    #[cfg(target_arch = "wasm32")]
    fn set_aside(&self) -> Option<String> {
        let key = self.key();
        let aside = format!("{key}.unreadable");
        let text = super::web::storage_get(&key).ok().flatten()?;
        super::web::storage_set(&aside, &text).ok()?;
        super::web::storage_remove(&key);
        Some(format!("'{aside}' in this browser's storage"))
    }

    #[cfg(target_arch = "wasm32")]
    fn write(&self, text: &str) -> Result<(), String> {
        super::web::storage_set(&self.key(), text)
    }

    /// Writes `state` atomically.
    pub fn save(&self, state: &State) -> Result<(), String> {
        let mut saved = state.clone();
        saved.scene = state.scene_to_save();
        let text = toml::to_string(&saved).map_err(|e| e.to_string())?;
        self.write(&text)
    }
}
