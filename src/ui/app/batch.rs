//! The batch modes: `--frame-stats` measures frames, `--screenshot` saves one and exits.

use std::path::Path;
use std::sync::atomic::Ordering;

use crate::engine::scenario::ViewMode;
use crate::ui::animation::AnimationRequest;

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
                turn,
            } => {
                // Start once the scene is ready; exit when the GIF is written or failed.
                if self.animation.is_none() && self.frames >= 2 && !self.is_busy() {
                    let request = AnimationRequest {
                        path,
                        from,
                        to,
                        fps,
                        view,
                        turn,
                    };
                    if let Err(message) = self.start_recording(request) {
                        eprintln!("error: {message}");
                        self.exit.store(1, Ordering::Relaxed);
                        ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                    }
                }
                if let Some(outcome) = self.recording_step(ctx) {
                    let code = match outcome {
                        Ok(message) => {
                            println!("{message}");
                            0
                        }
                        Err(message) => {
                            eprintln!("error: {message}");
                            1
                        }
                    };
                    self.exit.store(code, Ordering::Relaxed);
                    ctx.send_viewport_cmd(egui::ViewportCommand::Close);
                }
                ctx.request_repaint();
            }
        }
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
            let receiver = crate::ui::export::screenshot_on_its_way(ctx);
            self.screenshot = Some(receiver);
        }
    }
}

/// Writes an egui image as a PNG file (the same writer as the exports).
fn save_png(image: &egui::ColorImage, path: &Path) -> Result<(), String> {
    let bytes = crate::ui::export::png_bytes(image)?;
    crate::files::write_atomically(path, &bytes)
}
