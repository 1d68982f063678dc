//! The remembered session: the [`State`] as a TOML file in the app's data folder, written
//! atomically (a crash mid-save leaves the last good session), read at start.

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
        eframe::storage_dir("losscape").map(|dir| dir.join("session.toml"))
    }

    /// The file.
    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// The remembered state, or the default scene when there is none. A session that cannot
    /// be read is moved aside (to `session.toml.unreadable`, never lost) and the second
    /// value says so, for the user.
    pub fn load(&self) -> (State, Option<String>) {
        if !self.path.exists() {
            return (State::default(), None);
        }
        let read = crate::files::read_limited(&self.path, MAX_SESSION_BYTES, "session file")
            .and_then(|bytes| String::from_utf8(bytes).map_err(|_| "it is not text".to_owned()))
            .and_then(|text| toml::from_str::<State>(&text).map_err(|e| e.message().to_owned()));
        match read {
            Ok(mut state) => {
                state.number_runs();
                (state, None)
            }
            Err(why) => {
                let aside = self.path.with_extension("toml.unreadable");
                let kept = std::fs::rename(&self.path, &aside).is_ok();
                let mut message = format!(
                    "The remembered session could not be read ({why}); the default scene is shown."
                );
                if kept {
                    message.push_str(&format!(" The old file was kept as {}.", aside.display()));
                }
                (State::default(), Some(message))
            }
        }
    }

    /// Writes `state` atomically.
    pub fn save(&self, state: &State) -> Result<(), String> {
        let mut saved = state.clone();
        saved.scene = state.scene_to_save();
        let text = toml::to_string(&saved).map_err(|e| e.to_string())?;
        if let Some(dir) = self.path.parent() {
            std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        }
        crate::files::write_atomically(&self.path, text.as_bytes())
    }
}
