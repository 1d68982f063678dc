//! The batch modes: `--frame-stats` measures frames, `--screenshot` saves one and exits.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::mpsc::channel;

use crate::engine::scenario::ViewMode;
use crate::ui::animation::{self, AnimationPlan, GifWriter};
use crate::ui::export::{PngTarget, crop};

use super::LosscapeApp;
use crate::ui::Mode;

/// Frames drawn before `--frame-stats` starts measuring (first surface, texture upload).
const WARM_UP_FRAMES: usize = 10;

impl LosscapeApp {
    pub(super) fn after_frame(&mut self, ctx: &egui::Context, cpu_usage: Option<f32>, ui_ms: f32) {
        self.frames += 1;
        match self.mode.clone() {
            Mode::Interactive => {}
            Mode::FrameStats { .. } => {
                if self.state.scene.view.mode != ViewMode::Contour {
                    // Measure the 3D view while it turns (the worst case: a new projection
                    // and draw order every frame).
                    self.state.scene.view.camera.rotate_by_drag(2.0, 0.0);
                }
                if self.frames > WARM_UP_FRAMES
                    && !self.is_busy()
                    && let Some(stats) = &mut self.stats
                {
                    stats.record(cpu_usage.map(|s| s * 1000.0), ui_ms);
                    if stats.is_done() {
                        for line in stats.report() {
                            println!("{line}");
                        }
                        self.stats = None;
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                // Playing paints at the playback's pace; keep going while it is not.
                if !self.state.scene.playback.playing {
                    ctx.request_repaint();
                }
            }
            Mode::Screenshot { path, frames } => {
                self.screenshot_step(ctx, &path, frames);
                ctx.request_repaint();
            }
            Mode::Animation {
                path,
                from,
                to,
                fps,
                view,
            } => {
                let code = self.animation_step(ctx, &path, (from, to, fps), view);
                if let Some(code) = code {
                    self.exit.store(code, Ordering::Relaxed);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                ctx.request_repaint();
            }
        }
    }

    /// One frame of `--gif`: once the scene is ready, shows each planned iteration, takes
    /// its picture on the next frame and adds it to the GIF; the exit code when done.
    fn animation_step(
        &mut self,
        ctx: &egui::Context,
        path: &Path,
        (from, to, fps): (usize, Option<usize>, u32),
        view: Option<ViewMode>,
    ) -> Option<u8> {
        let fail = |message: String| {
            eprintln!("error: {message}");
            Some(1)
        };
        if self.animation.is_none() {
            if self.frames < 2 || self.is_busy() {
                return None;
            }
            let plan = match animation::plan(from, to, fps, self.last_iteration()) {
                Ok(plan) => plan,
                Err(message) => return fail(message),
            };
            let gif = match GifWriter::new(plan.frame_ms) {
                Ok(gif) => gif,
                Err(message) => return fail(message),
            };
            self.animation = Some(Recording {
                plan,
                gif,
                shown: None,
                waiting: None,
            });
        }
        let rects = self.view_rects;
        let busy = self.is_busy();
        let recording = self.animation.as_mut()?;
        if let Some(receiver) = &recording.waiting {
            let Ok(image) = receiver.try_recv() else {
                return None;
            };
            recording.waiting = None;
            let frame = match view {
                None => Some((*image).clone()),
                Some(ViewMode::Contour) => rects
                    .of(PngTarget::Contour)
                    .and_then(|r| crop(&image, r, ctx.pixels_per_point())),
                Some(ViewMode::Surface3d) => rects
                    .of(PngTarget::Surface3d)
                    .and_then(|r| crop(&image, r, ctx.pixels_per_point())),
                Some(_) => rects
                    .of(PngTarget::Contour)
                    .zip(rects.of(PngTarget::Surface3d))
                    .and_then(|(a, b)| crop(&image, a.union(b), ctx.pixels_per_point())),
            };
            let Some(frame) = frame else {
                return fail("the view to record is not on screen (pick it with --view)".into());
            };
            if let Err(message) = recording.gif.push(&frame) {
                return fail(message);
            }
            if recording.gif.frames() == recording.plan.iterations.len() {
                let recording = self.animation.take()?;
                let frames = recording.gif.frames();
                let bytes = recording.gif.finish();
                return match crate::files::write_atomically(path, &bytes) {
                    Ok(()) => {
                        println!(
                            "saved {} ({frames} frames, {} bytes)",
                            path.display(),
                            bytes.len()
                        );
                        Some(0)
                    }
                    Err(e) => fail(format!("could not save {}: {e}", path.display())),
                };
            }
            return None;
        }
        let next = recording.plan.iterations[recording.gif.frames()];
        if recording.shown != Some(next) {
            // Show the iteration on this frame, picture it on the next.
            self.state.scene.playback.iteration = next;
            recording.shown = Some(next);
        } else if !busy {
            let (sender, receiver) = channel();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let _ = sender.send(image);
                repaint.request_repaint();
            });
            recording.waiting = Some(receiver);
        }
        None
    }

    fn screenshot_step(&mut self, ctx: &egui::Context, path: &Path, frames: usize) {
        if let Some(receiver) = &self.screenshot {
            if let Ok(image) = receiver.try_recv() {
                let code = match save_png(&image, path) {
                    Ok(()) => {
                        println!(
                            "saved {} ({}x{})",
                            path.display(),
                            image.size[0],
                            image.size[1]
                        );
                        0
                    }
                    Err(err) => {
                        eprintln!("error: could not save {}: {err}", path.display());
                        1
                    }
                };
                self.exit.store(code, Ordering::Relaxed);
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            return;
        }
        // Shoot once the requested frames have passed and the surface is final.
        if self.frames >= frames.max(2) && !self.is_busy() {
            let (sender, receiver) = channel();
            let repaint = ctx.clone();
            ctx.request_screenshot(move |image| {
                let _ = sender.send(image);
                repaint.request_repaint();
            });
            self.screenshot = Some(receiver);
        }
    }
}

/// A `--gif` animation being recorded.
pub(super) struct Recording {
    plan: AnimationPlan,
    gif: GifWriter,
    /// The iteration put on screen for the next frame to record.
    shown: Option<usize>,
    /// The picture of the shown iteration, on its way.
    waiting: Option<std::sync::mpsc::Receiver<std::sync::Arc<egui::ColorImage>>>,
}

/// Writes an egui image as a PNG file (the same writer as the exports).
fn save_png(image: &egui::ColorImage, path: &Path) -> Result<(), String> {
    let bytes = crate::ui::export::png_bytes(image)?;
    crate::files::write_atomically(path, &bytes)
}
