//! Recording an animation (Export > Animation, `--gif`): each planned iteration is put on
//! screen, pictured on the next frame and added to the GIF, while the window stays live.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::Receiver;

use crate::engine::scenario::ViewMode;
use crate::ui::animation::{self, AnimationPlan, AnimationRequest, GifWriter};
use crate::ui::export::{PngTarget, crop};

use super::LosscapeApp;

/// An animation being recorded.
pub(super) struct Recording {
    plan: AnimationPlan,
    gif: GifWriter,
    path: PathBuf,
    view: Option<ViewMode>,
    /// The iteration put on screen for the next frame to record.
    shown: Option<usize>,
    /// The picture of the shown iteration, on its way.
    waiting: Option<Receiver<Arc<egui::ColorImage>>>,
    /// Where playback stood before recording (put back afterwards).
    iteration_before: usize,
    /// The 3D camera before recording, when the animation turns it (put back afterwards).
    camera_before: Option<crate::engine::scenario::Camera3d>,
}

impl LosscapeApp {
    /// Starts recording `request` over the runs as simulated now.
    pub fn start_recording(&mut self, request: AnimationRequest) -> Result<(), String> {
        let plan = animation::plan(request.from, request.to, request.fps, self.last_iteration())?;
        let gif = GifWriter::new(plan.frame_ms)?;
        self.state.scene.playback.playing = false;
        self.animation = Some(Recording {
            plan,
            gif,
            path: request.path,
            view: request.view,
            shown: None,
            waiting: None,
            iteration_before: self.state.scene.playback.iteration,
            camera_before: request.turn.then_some(self.state.scene.view.camera),
        });
        Ok(())
    }

    /// Frames recorded and planned, while recording.
    pub fn recording_progress(&self) -> Option<(usize, usize)> {
        self.animation
            .as_ref()
            .map(|r| (r.gif.frames(), r.plan.iterations.len()))
    }

    /// Stops recording without writing anything.
    pub fn cancel_recording(&mut self) {
        if let Some(recording) = self.animation.take() {
            self.put_back(&recording);
        }
    }

    /// Playback and camera as they were before `recording`.
    fn put_back(&mut self, recording: &Recording) {
        self.state.scene.playback.iteration = recording.iteration_before;
        if let Some(camera) = recording.camera_before {
            self.state.scene.view.camera = camera;
        }
    }

    /// Moves the recording along by one frame: the outcome (what was saved, or why not)
    /// once it is over.
    pub(super) fn recording_step(&mut self, ctx: &egui::Context) -> Option<Result<String, String>> {
        let rects = self.view_rects;
        let busy = self.is_busy();
        let recording = self.animation.as_mut()?;
        self.state.scene.playback.playing = false;
        ctx.request_repaint();
        if let Some(receiver) = &recording.waiting {
            let image = receiver.try_recv().ok()?;
            recording.waiting = None;
            let ppp = ctx.pixels_per_point();
            let shown = |target| rects.of(target).and_then(|r| crop(&image, r, ppp));
            let frame = match recording.view {
                None => Some((*image).clone()),
                Some(ViewMode::Contour) => shown(PngTarget::Contour),
                Some(ViewMode::Surface3d) => shown(PngTarget::Surface3d),
                Some(_) => rects
                    .of(PngTarget::Contour)
                    .zip(rects.of(PngTarget::Surface3d))
                    .and_then(|(a, b)| crop(&image, a.union(b), ppp)),
            };
            let pushed = match frame {
                Some(frame) => recording.gif.push(&frame),
                None => Err("the view to record is not on screen".to_owned()),
            };
            if let Err(message) = pushed {
                self.cancel_recording();
                return Some(Err(message));
            }
            if recording.gif.frames() < recording.plan.iterations.len() {
                return None;
            }
            let recording = self.animation.take()?;
            self.put_back(&recording);
            let frames = recording.gif.frames();
            let bytes = recording.gif.finish();
            let path = recording.path;
            return Some(
                crate::ui::export::write_export(&path, &bytes)
                    .map(|()| {
                        format!(
                            "{} {} ({frames} frames, {} bytes)",
                            crate::ui::export::SAVED.to_lowercase(),
                            path.display(),
                            bytes.len()
                        )
                    })
                    .map_err(|e| format!("could not save {}: {e}", path.display())),
            );
        }
        let next = recording.plan.iterations[recording.gif.frames()];
        if recording.shown != Some(next) {
            // Show the iteration on this frame, picture it on the next.
            self.state.scene.playback.iteration = next;
            recording.shown = Some(next);
            if let Some(camera) = recording.camera_before {
                self.state.scene.view.camera.yaw = animation::turned_yaw(
                    camera.yaw,
                    recording.gif.frames(),
                    recording.plan.iterations.len(),
                );
            }
        } else if !busy {
            let receiver = crate::ui::export::screenshot_on_its_way(ctx);
            recording.waiting = Some(receiver);
        }
        None
    }
}

impl LosscapeApp {
    /// While recording: a progress bar and Cancel at the bottom of the window.
    pub(super) fn recording_ui(&mut self, ui: &egui::Ui) {
        let Some((done, total)) = self.recording_progress() else {
            return;
        };
        let mut cancel = false;
        egui::Area::new(egui::Id::unique("recording"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -24.0))
            .order(egui::Order::Foreground)
            .show(ui.ctx(), |ui| {
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.horizontal(|ui| {
                        ui.label("Recording the animation");
                        ui.add(
                            egui::ProgressBar::new(done as f32 / total.max(1) as f32)
                                .desired_width(220.0)
                                .text(format!("{done} / {total} frames")),
                        );
                        cancel = ui.button("Cancel").clicked();
                    });
                });
            });
        if cancel {
            self.cancel_recording();
            self.exporter.message = Some(crate::ui::export::ExportMessage {
                text: "The animation was cancelled; nothing was saved".to_owned(),
                is_error: false,
            });
        }
    }
}

/// While the app records an animation, the pointer is kept off the recorded views `rects`
/// (no hover readout in the frames): pointer events over them are dropped, and a pointer
/// resting on one (`latest`) is reported gone. Elsewhere (Cancel) it works as usual.
pub(super) fn keep_pointer_off(
    events: &mut Vec<egui::Event>,
    latest: Option<egui::Pos2>,
    rects: &[Option<egui::Rect>],
) {
    let over_a_view = |pos: egui::Pos2| rects.iter().flatten().any(|r| r.contains(pos));
    events.retain(|e| match e {
        egui::Event::PointerMoved(pos) | egui::Event::PointerButton { pos, .. } => {
            !over_a_view(*pos)
        }
        _ => true,
    });
    if latest.is_some_and(over_a_view) {
        events.push(egui::Event::PointerGone);
    }
}

#[cfg(test)]
mod tests {
    use super::keep_pointer_off;
    use egui::{Event, Modifiers, PointerButton, Pos2, Rect, pos2};

    // Over the recorded view the pointer is gone; outside it (the Cancel button) clicks
    // still arrive.
    #[test]
    fn the_pointer_stays_off_the_recorded_view() {
        let view = Some(Rect::from_min_max(pos2(100.0, 100.0), pos2(500.0, 400.0)));
        let click = |pos: Pos2| Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed: true,
            modifiers: Modifiers::NONE,
        };
        let mut events = vec![
            Event::PointerMoved(pos2(200.0, 200.0)),
            click(pos2(200.0, 200.0)),
            Event::PointerMoved(pos2(600.0, 700.0)),
            click(pos2(600.0, 700.0)),
        ];
        keep_pointer_off(&mut events, Some(pos2(200.0, 200.0)), &[view, None]);
        assert_eq!(
            events,
            vec![
                Event::PointerMoved(pos2(600.0, 700.0)),
                click(pos2(600.0, 700.0)),
                Event::PointerGone,
            ]
        );
        let mut elsewhere = vec![];
        keep_pointer_off(&mut elsewhere, Some(pos2(600.0, 700.0)), &[view]);
        assert!(elsewhere.is_empty());
    }
}
