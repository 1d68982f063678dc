//! A picture computed off the UI thread, uploaded as a texture by the frame that draws it (so
//! it goes to the context that draws, whoever waited for the result).

use egui::{ColorImage, TextureHandle, TextureId, TextureOptions};

/// The newest picture of one view and its texture.
pub struct LazyTexture {
    name: &'static str,
    handle: Option<TextureHandle>,
    pending: Option<ColorImage>,
}

impl LazyTexture {
    /// No picture yet; `name` names the texture for debugging.
    pub fn new(name: &'static str) -> Self {
        Self {
            name,
            handle: None,
            pending: None,
        }
    }

    /// A new picture, uploaded on the next [`LazyTexture::id`].
    pub fn set(&mut self, image: ColorImage) {
        self.pending = Some(image);
    }

    /// The texture to draw with `ctx`, the newest picture uploaded first.
    pub fn id(&mut self, ctx: &egui::Context) -> Option<TextureId> {
        if let Some(image) = self.pending.take() {
            let options = TextureOptions::NEAREST;
            match &mut self.handle {
                Some(t) => t.set(image, options),
                None => self.handle = Some(ctx.load_texture(self.name, image, options)),
            }
        }
        self.handle.as_ref().map(TextureHandle::id)
    }

    /// Forgets the picture.
    pub fn clear(&mut self) {
        self.handle = None;
        self.pending = None;
    }
}
