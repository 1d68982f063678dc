//! The browser build's ties to the page: the entry point that starts the app on the page's
//! canvas, the page's storage (the remembered session), downloads (Save, Export) and the
//! file picker (Open). Nothing here touches a file system.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU8;

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::wasm_bindgen;

use super::{LosscapeApp, Mode, session::Session};

/// The id of the canvas the app draws on (see `web/index.html`).
const CANVAS_ID: &str = "losscape";

/// Starts the app on the page's canvas once the module is loaded. The scene or lesson in the
/// address's fragment (`#scene=...`, `#lesson=04`) opens instead of the remembered session.
#[wasm_bindgen(start)]
pub fn start() {
    wasm_bindgen_futures::spawn_local(async {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let Some(canvas) = document
            .get_element_by_id(CANVAS_ID)
            .and_then(|e| e.dyn_into::<web_sys::HtmlCanvasElement>().ok())
        else {
            show_status("losscape: the page has no canvas to draw on.");
            return;
        };
        let address = page_href();
        let options = eframe::WebOptions::default();
        let started = eframe::WebRunner::new()
            .start(
                canvas,
                options,
                Box::new(move |cc| {
                    let exit = Arc::new(AtomicU8::new(0));
                    let session = Session::default_path();
                    let mut app =
                        LosscapeApp::with_session(&cc.egui_ctx, session, Mode::Interactive, exit);
                    if let Some(address) = address
                        && crate::engine::scenario::is_link(&address)
                    {
                        app.open_link(&address);
                        // Opened once: a reload shows the remembered session, edits included.
                        forget_fragment();
                    }
                    Ok(Box::new(app))
                }),
            )
            .await;
        match started {
            Ok(()) => show_status(""),
            Err(e) => show_status(&format!(
                "losscape could not start in this browser: {}",
                e.as_string().unwrap_or_else(|| format!("{e:?}"))
            )),
        }
    });
}

/// Frames whose time is kept for [`frame_times_ms`].
const KEPT_FRAMES: usize = 600;

thread_local! {
    static FRAME_MS: std::cell::RefCell<std::collections::VecDeque<f32>> =
        const { std::cell::RefCell::new(std::collections::VecDeque::new()) };
}

/// Keeps the time the page spent on the last frame (eframe's `cpu_usage`: the app's code,
/// layout and handing the frame to WebGL; not the browser's drawing of it).
pub fn record_frame(cpu_usage: Option<f32>) {
    if let Some(seconds) = cpu_usage {
        FRAME_MS.with_borrow_mut(|kept| {
            if kept.len() == KEPT_FRAMES {
                kept.pop_front();
            }
            kept.push_back(seconds * 1000.0);
        });
    }
}

/// The page's time per frame over the last frames, in milliseconds, oldest first, and
/// forgets them: what `--frame-stats` measures on the desktop, for the end-to-end test.
#[wasm_bindgen]
pub fn frame_times_ms() -> Vec<f32> {
    FRAME_MS.with_borrow_mut(|kept| kept.drain(..).collect())
}

/// Writes `text` in the page's status line (hidden when empty).
fn show_status(text: &str) {
    let status = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("status"));
    if let Some(status) = status {
        status.set_text_content(Some(text));
        let _ = status.set_attribute("data-started", if text.is_empty() { "yes" } else { "no" });
    }
}

/// The page's whole address, fragment included.
fn page_href() -> Option<String> {
    web_sys::window().and_then(|w| w.location().href().ok())
}

/// The page's address without its fragment: where links to a scene point.
pub fn page_address() -> Option<String> {
    let href = page_href()?;
    Some(match href.split_once('#') {
        Some((before, _)) => before.to_owned(),
        None => href,
    })
}

/// Drops the link's fragment from the address bar (without reloading the page).
fn forget_fragment() {
    let (Some(window), Some(address)) = (web_sys::window(), page_address()) else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// Names the scene in the browser tab.
pub fn set_page_title(title: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(title);
    }
}

fn local_storage() -> Result<web_sys::Storage, String> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or_else(|| "this browser keeps no local storage for the page".to_owned())
}

/// The text kept under `key` in the page's local storage.
pub fn storage_get(key: &str) -> Result<Option<String>, String> {
    local_storage()?
        .get_item(key)
        .map_err(|_| "the browser's storage cannot be read".to_owned())
}

/// Keeps `text` under `key` in the page's local storage.
pub fn storage_set(key: &str, text: &str) -> Result<(), String> {
    local_storage()?
        .set_item(key, text)
        .map_err(|_| "the browser's storage is full or refused the write".to_owned())
}

/// Forgets `key` in the page's local storage.
pub fn storage_remove(key: &str) {
    if let Ok(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}

/// Hands `bytes` to the browser as a download named `name`.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let fail = |what: &str| format!("the browser refused the download ({what})");
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or_else(|| fail("no document"))?;
    let parts = js_sys::Array::new();
    parts.push(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| fail("blob"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|_| fail("address"))?;
    let anchor = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| fail("link"))?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The browser may still be reading this download: its address is let go at the next one.
    if let Some(previous) = LAST_DOWNLOAD.replace(Some(url)) {
        let _ = web_sys::Url::revoke_object_url(&previous);
    }
    Ok(())
}

thread_local! {
    /// The address of the last download's contents.
    static LAST_DOWNLOAD: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// A file the person picked in the browser's file picker: its name and contents.
pub struct PickedFile {
    /// The file's name (the page never sees its folder).
    pub name: PathBuf,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Asks the person for a file with one of `extensions`; None when they cancel.
pub async fn pick_file(title: &str, filter: &str, extensions: &[&str]) -> Option<PickedFile> {
    let file = rfd::AsyncFileDialog::new()
        .set_title(title)
        .add_filter(filter, extensions)
        .pick_file()
        .await?;
    let name = PathBuf::from(file.file_name());
    let bytes = file.read().await;
    Some(PickedFile { name, bytes })
}
