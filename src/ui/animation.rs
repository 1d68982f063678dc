//! Animations for slides: a view played over a range of iterations, one frame per shown
//! iteration, written as an animated GIF (`losscape FILE.toml --gif OUT.gif`).

use std::io::Write;
use std::sync::{Arc, Mutex};

use egui::ColorImage;
use image::codecs::gif::{GifEncoder, Repeat};
use image::{Delay, Frame, RgbaImage};

/// The most frames an animation holds; a longer range shows every k-th iteration.
pub const MAX_FRAMES: usize = 600;

/// Which iterations become frames, and how long each is shown.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationPlan {
    /// The iteration shown on each frame, in order.
    pub iterations: Vec<usize>,
    /// How long each frame stays, in milliseconds.
    pub frame_ms: u32,
}

/// Frames for iterations `from..=to` (`to` defaults to, and is capped at, `last`), at most
/// [`MAX_FRAMES`] of them (evenly spaced, first and last kept), shown at `fps` per second.
pub fn plan(
    from: usize,
    to: Option<usize>,
    fps: u32,
    last: usize,
) -> Result<AnimationPlan, String> {
    let to = to.unwrap_or(last).min(last);
    if from > to {
        return Err(format!(
            "--from {from} is after the last iteration shown ({to}); the runs end at {last}"
        ));
    }
    if !(1..=100).contains(&fps) {
        return Err(format!("--fps must be from 1 to 100, not {fps}"));
    }
    let span = to - from;
    let count = (span + 1).min(MAX_FRAMES);
    let iterations = (0..count)
        .map(|k| match count {
            1 => from,
            _ => from + (k * span + (count - 1) / 2) / (count - 1),
        })
        .collect();
    Ok(AnimationPlan {
        iterations,
        frame_ms: 1000 / fps,
    })
}

/// Bytes written by the encoder, kept where [`GifWriter::finish`] can take them.
#[derive(Clone, Default)]
struct Sink(Arc<Mutex<Vec<u8>>>);

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut bytes = self
            .0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?;
        bytes.extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// An animated GIF being written, frame by frame, in memory.
pub struct GifWriter {
    encoder: GifEncoder<Sink>,
    sink: Sink,
    frame_ms: u32,
    frames: usize,
}

impl GifWriter {
    /// A GIF that loops forever, each frame shown `frame_ms`.
    pub fn new(frame_ms: u32) -> Result<Self, String> {
        // Speed 10 of 30: good colors for a heat map at a few tens of ms per frame.
        let sink = Sink::default();
        let mut encoder = GifEncoder::new_with_speed(sink.clone(), 10);
        encoder
            .set_repeat(Repeat::Infinite)
            .map_err(|e| format!("could not start the GIF: {e}"))?;
        Ok(Self {
            encoder,
            sink,
            frame_ms,
            frames: 0,
        })
    }

    /// Appends one frame.
    pub fn push(&mut self, image: &ColorImage) -> Result<(), String> {
        let [width, height] = image.size;
        let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
        let buffer = RgbaImage::from_raw(width as u32, height as u32, rgba)
            .ok_or_else(|| "a frame has an unexpected size".to_owned())?;
        let delay = Delay::from_numer_denom_ms(self.frame_ms, 1);
        self.encoder
            .encode_frame(Frame::from_parts(buffer, 0, 0, delay))
            .map_err(|e| format!("could not encode a frame: {e}"))?;
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The GIF file's bytes.
    pub fn finish(self) -> Vec<u8> {
        // Dropping the encoder writes the GIF's trailer.
        drop(self.encoder);
        let bytes = self.sink.0.lock().map(|b| b.clone());
        bytes.unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use image::AnimationDecoder;

    use super::*;

    #[test]
    fn plans_keep_both_ends_and_at_most_max_frames() {
        let p = plan(0, Some(9), 20, 100).expect("a plan");
        assert_eq!(p.iterations, (0..=9).collect::<Vec<_>>());
        assert_eq!(p.frame_ms, 50);
        let p = plan(5, None, 10, 5000).expect("a plan");
        assert_eq!(p.iterations.len(), MAX_FRAMES);
        assert_eq!(p.iterations.first(), Some(&5));
        assert_eq!(p.iterations.last(), Some(&5000));
        assert!(p.iterations.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            plan(3, Some(99), 20, 7).expect("capped").iterations.last(),
            Some(&7)
        );
        assert!(plan(8, None, 20, 7).is_err());
        assert!(plan(0, None, 0, 7).is_err());
    }

    // The GIF decodes to the frames written, in order, with their delay.
    #[test]
    fn gif_round_trip() {
        let mut gif = GifWriter::new(50).expect("a writer");
        for shade in [0u8, 128, 255] {
            let image = ColorImage::new([8, 6], vec![egui::Color32::from_gray(shade); 48]);
            gif.push(&image).expect("a frame");
        }
        assert_eq!(gif.frames(), 3);
        let bytes = gif.finish();
        let decoder =
            image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes)).expect("a GIF");
        let frames = decoder.into_frames().collect_frames().expect("frames");
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].buffer().get_pixel(0, 0).0[0], 0);
        assert!(frames[2].buffer().get_pixel(0, 0).0[0] > 250);
        assert_eq!(frames[1].delay().numer_denom_ms(), (50, 1));
    }
}
