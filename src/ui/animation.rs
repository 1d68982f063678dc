//! Animations for slides: a view played over a range of iterations, one frame per shown
//! iteration, written as an animated GIF (`losscape FILE.toml --gif OUT.gif`).

use egui::ColorImage;

/// The most frames an animation holds; a longer range shows every k-th iteration.
pub const MAX_FRAMES: usize = 600;

/// What to record: iterations `from..=to` (to the runs' end when `to` is None) of a view
/// (contour, 3D or both; None for the whole window) at `fps` frames per second, into `path`.
#[derive(Clone, Debug, PartialEq)]
pub struct AnimationRequest {
    /// Where the GIF goes.
    pub path: std::path::PathBuf,
    /// The first iteration shown.
    pub from: usize,
    /// The last iteration shown.
    pub to: Option<usize>,
    /// Frames per second.
    pub fps: u32,
    /// The view recorded.
    pub view: Option<crate::engine::scenario::ViewMode>,
    /// Turn the 3D view a quarter turn over the animation.
    pub turn: bool,
}

/// How far the 3D view turns over a whole animation with [`AnimationRequest::turn`].
pub const TURN_RADIANS: f32 = std::f32::consts::FRAC_PI_2;

/// The camera's yaw on frame `k` of `n` when the animation turns it from `yaw`: evenly
/// around, a quarter turn in all (as a drag to the right turns it).
pub fn turned_yaw(yaw: f32, k: usize, n: usize) -> f32 {
    yaw - k as f32 * TURN_RADIANS / n.max(1) as f32
}

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

/// An animated GIF being written, frame by frame, in memory. After the first frame each
/// frame holds only the rectangle that changed (a path moving over a still heat map), so a
/// long animation stays small.
pub struct GifWriter {
    encoder: Option<gif::Encoder<Vec<u8>>>,
    previous: Vec<u8>,
    size: [usize; 2],
    frame_ms: u32,
    frames: usize,
}

impl GifWriter {
    /// A GIF that loops forever, each frame shown `frame_ms`.
    pub fn new(frame_ms: u32) -> Result<Self, String> {
        Ok(Self {
            encoder: None,
            previous: Vec::new(),
            size: [0, 0],
            frame_ms,
            frames: 0,
        })
    }

    /// Appends one frame (every frame has the first one's size).
    pub fn push(&mut self, image: &ColorImage) -> Result<(), String> {
        let failed = |e: gif::EncodingError| format!("could not encode a frame: {e}");
        let [width, height] = image.size;
        let too_big = || "a frame is larger than a GIF can hold".to_owned();
        let (w16, h16) = (
            u16::try_from(width).map_err(|_| too_big())?,
            u16::try_from(height).map_err(|_| too_big())?,
        );
        let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
        if self.encoder.is_none() {
            let mut encoder = gif::Encoder::new(Vec::new(), w16, h16, &[]).map_err(failed)?;
            encoder.set_repeat(gif::Repeat::Infinite).map_err(failed)?;
            self.encoder = Some(encoder);
            self.size = image.size;
        } else if image.size != self.size {
            return Err("the window changed size while recording".into());
        }
        // The rectangle that differs from the previous frame (all of the first one).
        let (mut x0, mut y0, mut x1, mut y1) = (0, 0, width, height);
        if !self.previous.is_empty() {
            (x0, y0, x1, y1) = (width, height, 0, 0);
            for y in 0..height {
                for x in 0..width {
                    let i = 4 * (y * width + x);
                    if rgba[i..i + 4] != self.previous[i..i + 4] {
                        (x0, y0) = (x0.min(x), y0.min(y));
                        (x1, y1) = (x1.max(x + 1), y1.max(y + 1));
                    }
                }
            }
            if x0 >= x1 {
                // Nothing changed: one pixel keeps the frame's time.
                (x0, y0, x1, y1) = (0, 0, 1, 1);
            }
        }
        let mut part: Vec<u8> = (y0..y1)
            .flat_map(|y| {
                rgba[4 * (y * width + x0)..4 * (y * width + x1)]
                    .iter()
                    .copied()
            })
            .collect();
        // Speed 10 of 30: good colors for a heat map at a few tens of ms per frame.
        let mut frame =
            gif::Frame::from_rgba_speed((x1 - x0) as u16, (y1 - y0) as u16, &mut part, 10);
        frame.left = x0 as u16;
        frame.top = y0 as u16;
        frame.delay = (self.frame_ms / 10).max(1) as u16;
        frame.dispose = gif::DisposalMethod::Keep;
        if let Some(encoder) = &mut self.encoder {
            encoder.write_frame(&frame).map_err(failed)?;
        }
        self.previous = rgba;
        self.frames += 1;
        Ok(())
    }

    /// Frames written so far.
    pub fn frames(&self) -> usize {
        self.frames
    }

    /// The GIF file's bytes.
    pub fn finish(self) -> Vec<u8> {
        self.encoder
            .and_then(|e| e.into_inner().ok())
            .unwrap_or_default()
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

    #[test]
    fn the_turn_is_a_quarter_in_even_steps() {
        assert_eq!(turned_yaw(0.5, 0, 100), 0.5);
        let last = turned_yaw(0.5, 100, 100);
        assert!((last - (0.5 - TURN_RADIANS)).abs() < 1e-6);
        let step = turned_yaw(0.5, 1, 100) - turned_yaw(0.5, 2, 100);
        assert!((step - TURN_RADIANS / 100.0).abs() < 1e-6);
    }

    // The GIF decodes to the frames written, in order, with their delay.
    #[test]
    fn gif_round_trip() {
        let mut gif = GifWriter::new(50).expect("a writer");
        for shade in [0u8, 128, 255] {
            let mut pixels = vec![egui::Color32::from_gray(shade); 48];
            pixels[20] = egui::Color32::RED;
            gif.push(&ColorImage::new([8, 6], pixels)).expect("a frame");
        }
        assert_eq!(gif.frames(), 3);
        let bytes = gif.finish();
        let decoder =
            image::codecs::gif::GifDecoder::new(std::io::Cursor::new(bytes)).expect("a GIF");
        let frames = decoder.into_frames().collect_frames().expect("frames");
        assert_eq!(frames.len(), 3);
        assert_eq!(frames[0].buffer().get_pixel(0, 0).0[0], 0);
        assert!(frames[2].buffer().get_pixel(0, 0).0[0] > 250);
        // A pixel that stayed the same through every frame is still there.
        assert_eq!(frames[2].buffer().get_pixel(4, 2).0, [255, 0, 0, 255]);
        assert_eq!(frames[1].delay().numer_denom_ms(), (50, 1));
    }
}
