//! Exports: a PNG of a view (the in-app screenshot cropped to the view) and a CSV of every
//! run's history. Files are written to a temporary file beside the target and renamed into
//! place, so a failed export (permission denied, disk full) never leaves a half-written
//! file or destroys an existing one. Every export ends with a message: where it was saved,
//! or what went wrong.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};

use egui::{Color32, ColorImage, Rect};

use crate::engine::run::{CSV_COLUMNS, History};
pub use crate::files::write_atomically;
use crate::ui::worker::Worker;

/// What a PNG export shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PngTarget {
    /// The contour plot.
    Contour,
    /// The 3D surface.
    Surface3d,
    /// The learning curve.
    LearningCurve,
    /// The whole window.
    Window,
}

impl PngTarget {
    /// Every target, in menu order.
    pub const ALL: [Self; 4] = [
        Self::Contour,
        Self::Surface3d,
        Self::LearningCurve,
        Self::Window,
    ];

    /// The menu text.
    pub fn label(self) -> &'static str {
        match self {
            Self::Contour => "PNG of the contour view…",
            Self::Surface3d => "PNG of the 3D view…",
            Self::LearningCurve => "PNG of the learning curve…",
            Self::Window => "PNG of the whole window…",
        }
    }

    fn file_name(self) -> &'static str {
        match self {
            Self::Contour => "losscape-contour.png",
            Self::Surface3d => "losscape-3d.png",
            Self::LearningCurve => "losscape-learning-curve.png",
            Self::Window => "losscape.png",
        }
    }
}

/// Where the views were drawn this frame (screen points), for cropping screenshots.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ViewRects {
    /// The contour plot, when shown.
    pub contour: Option<Rect>,
    /// The 3D view, when shown.
    pub surface3d: Option<Rect>,
    /// The learning curve, when shown.
    pub learning_curve: Option<Rect>,
}

impl ViewRects {
    /// The rectangle of `target` (None for the whole window or a view not shown).
    pub fn of(&self, target: PngTarget) -> Option<Rect> {
        match target {
            PngTarget::Contour => self.contour,
            PngTarget::Surface3d => self.surface3d,
            PngTarget::LearningCurve => self.learning_curve,
            PngTarget::Window => None,
        }
    }
}

/// Environment variable naming a folder exports go to without asking (systems without a
/// file dialog, scripted use).
pub const EXPORT_DIR_VARIABLE: &str = "LOSSCAPE_EXPORT_DIR";

/// What the app says of a file it wrote ("Saved x"): the browser build hands its files to
/// the browser's downloads.
pub const SAVED: &str = if cfg!(target_arch = "wasm32") {
    "Downloaded"
} else {
    "Saved"
};

/// Writes an exported file atomically to `path`; the browser build hands it to the browser
/// as a download named like the file.
pub fn write_export(path: &Path, bytes: &[u8]) -> Result<(), String> {
    #[cfg(target_arch = "wasm32")]
    {
        let mime = match path.extension().and_then(|e| e.to_str()) {
            Some("png") => "image/png",
            Some("gif") => "image/gif",
            Some("csv") => "text/csv",
            _ => "application/octet-stream",
        };
        super::web::download(&super::documents::file_name(path), bytes, mime)
    }
    #[cfg(not(target_arch = "wasm32"))]
    write_atomically(path, bytes)
}

/// How export paths are chosen.
#[derive(Clone, Debug, PartialEq)]
pub enum PathChooser {
    /// The native "save as" dialog (on its own thread, so the window keeps drawing).
    Dialog,
    /// Always this folder, with the default file name (tests and scripted use).
    Folder(PathBuf),
}

impl Default for PathChooser {
    /// The folder in `LOSSCAPE_EXPORT_DIR` when it is set, the dialog otherwise. The browser
    /// build has no folders: its exports are downloads under the default file name.
    fn default() -> Self {
        if cfg!(target_arch = "wasm32") {
            return Self::Folder(PathBuf::new());
        }
        match std::env::var_os(EXPORT_DIR_VARIABLE) {
            Some(dir) if !dir.is_empty() => Self::Folder(PathBuf::from(dir)),
            _ => Self::Dialog,
        }
    }
}

/// The outcome of the last export, shown to the user.
#[derive(Clone, Debug, PartialEq)]
pub struct ExportMessage {
    /// What happened.
    pub text: String,
    /// True when it failed.
    pub is_error: bool,
}

enum Job {
    Png(PngTarget),
    Csv(String),
    Gif,
}

/// The choices of Export > Animation.
#[derive(Clone, Debug, PartialEq)]
pub struct GifChoices {
    /// The view recorded: contour, 3D or both; None for the whole window.
    pub view: Option<crate::engine::scenario::ViewMode>,
    /// The first iteration.
    pub from: usize,
    /// The last iteration (None: where the runs end).
    pub to: Option<usize>,
    /// Frames per second.
    pub fps: u32,
    /// Turn the 3D view a quarter turn while it plays.
    pub turn: bool,
}

impl Default for GifChoices {
    fn default() -> Self {
        Self {
            view: Some(crate::engine::scenario::ViewMode::Contour),
            from: 0,
            to: None,
            fps: 20,
            turn: false,
        }
    }
}

/// Runs exports: asks for a path (on the shared background worker), takes the screenshot,
/// writes the file, reports.
#[derive(Default)]
pub struct Exporter {
    /// How paths are chosen.
    pub chooser: PathChooser,
    /// The export waiting for its path, the worker choosing it, and when it started.
    waiting_for_path: Option<(Job, Worker<Option<PathBuf>>, web_time::Instant)>,
    waiting_for_image: Option<(PathBuf, PngTarget, Receiver<Arc<ColorImage>>)>,
    /// The last export's outcome.
    pub message: Option<ExportMessage>,
    /// What Export > Animation records.
    pub gif: GifChoices,
    /// An animation whose path is chosen, for the app to record.
    pub animation_request: Option<crate::ui::animation::AnimationRequest>,
}

impl Exporter {
    /// True while an export is in progress (a dialog open or a screenshot on its way).
    pub fn is_busy(&self) -> bool {
        self.waiting_for_path.is_some() || self.waiting_for_image.is_some()
    }

    /// Starts a PNG export of `target`.
    pub fn export_png(&mut self, ctx: &egui::Context, target: PngTarget) {
        self.start(
            ctx,
            Job::Png(target),
            target.file_name(),
            ("PNG image", "png"),
        );
    }

    /// Starts a CSV export of `csv` (see [`histories_csv`]).
    pub fn export_csv(&mut self, ctx: &egui::Context, csv: String) {
        self.start(ctx, Job::Csv(csv), "losscape-runs.csv", ("CSV", "csv"));
    }

    fn start(
        &mut self,
        ctx: &egui::Context,
        job: Job,
        file_name: &'static str,
        filter: (&'static str, &'static str),
    ) {
        if self.is_busy() {
            return;
        }
        let mut paths = Worker::new(Some(ctx.clone()));
        let chooser = self.chooser.clone();
        paths.submit(move |job| {
            job.emit(match chooser {
                PathChooser::Folder(folder) => Some(folder.join(file_name)),
                #[cfg(not(target_arch = "wasm32"))]
                PathChooser::Dialog => rfd::FileDialog::new()
                    .set_title("Export")
                    .set_file_name(file_name)
                    .add_filter(filter.0, &[filter.1])
                    .save_file(),
                #[cfg(target_arch = "wasm32")]
                PathChooser::Dialog => {
                    let _ = filter;
                    Some(PathBuf::from(file_name))
                }
            });
        });
        self.waiting_for_path = Some((job, paths, web_time::Instant::now()));
        ctx.request_repaint();
    }

    fn fail(&mut self, text: String) {
        self.message = Some(ExportMessage {
            text,
            is_error: true,
        });
    }

    /// Moves exports along; call once per frame after the views are drawn, with where they
    /// were drawn.
    pub fn poll(&mut self, ctx: &egui::Context, rects: &ViewRects) {
        if let Some((_, paths, opened)) = &mut self.waiting_for_path {
            let opened = *opened;
            let chosen = paths.poll();
            let gone = chosen.is_none() && !paths.is_busy();
            match chosen {
                Some(Some(path)) => {
                    let Some((job, _, _)) = self.waiting_for_path.take() else {
                        return;
                    };
                    match job {
                        Job::Gif => {
                            self.animation_request = Some(crate::ui::animation::AnimationRequest {
                                path,
                                from: self.gif.from,
                                to: self.gif.to,
                                fps: self.gif.fps,
                                view: self.gif.view,
                                turn: self.gif.turn,
                            });
                        }
                        Job::Csv(text) => self.finish(write_export(&path, text.as_bytes()), &path),
                        Job::Png(target) => {
                            if target != PngTarget::Window && rects.of(target).is_none() {
                                self.fail(format!(
                                    "the {} is not shown: show it, then export again",
                                    view_name(target)
                                ));
                                return;
                            }
                            let receiver = screenshot_on_its_way(ctx);
                            self.waiting_for_image = Some((path, target, receiver));
                        }
                    }
                }
                Some(None) => {
                    self.waiting_for_path = None;
                    // A person takes longer than this to cancel: the dialog never opened.
                    if self.chooser == PathChooser::Dialog && opened.elapsed().as_millis() < 300 {
                        self.fail(format!(
                            "no file dialog could be opened on this system; set {EXPORT_DIR_VARIABLE} to a folder to export there"
                        ));
                    }
                }
                None if gone => {
                    self.waiting_for_path = None;
                    self.fail("the save dialog closed unexpectedly".to_owned());
                }
                None => {}
            }
        }
        if self.waiting_for_image.is_some() {
            let image = self
                .waiting_for_image
                .as_ref()
                .and_then(|(_, _, r)| r.try_recv().ok());
            if let Some(image) = image
                && let Some((path, target, _)) = self.waiting_for_image.take()
            {
                let cropped = match rects.of(target) {
                    Some(rect) => crop(&image, rect, ctx.pixels_per_point()),
                    None => Some((*image).clone()),
                };
                let result = match cropped {
                    Some(img) => png_bytes(&img).and_then(|bytes| write_export(&path, &bytes)),
                    None => Err(format!("the {} is outside the window", view_name(target))),
                };
                self.finish(result, &path);
            } else {
                ctx.request_repaint();
            }
        }
    }

    fn finish(&mut self, result: Result<(), String>, path: &Path) {
        self.message = Some(match result {
            Ok(()) => ExportMessage {
                text: format!("{SAVED} {}", path.display()),
                is_error: false,
            },
            Err(e) => ExportMessage {
                text: format!("Could not save {}: {e}", path.display()),
                is_error: true,
            },
        });
    }

    /// The export menu: one entry per PNG target and the CSV of all runs. `csv` makes the
    /// CSV text when that entry is chosen.
    pub fn menu_ui(&mut self, ui: &mut egui::Ui, csv: impl FnOnce() -> String) {
        let busy = self.is_busy();
        ui.add_enabled_ui(!busy, |ui| {
            ui.menu_button("Export", |ui| {
                for target in PngTarget::ALL {
                    if ui.button(target.label()).clicked() {
                        self.export_png(ui.ctx(), target);
                        ui.close();
                    }
                }
                ui.menu_button("Animation (GIF)", |ui| self.gif_menu_ui(ui));
                ui.separator();
                if ui.button("CSV of all runs…").clicked() {
                    self.export_csv(ui.ctx(), csv());
                    ui.close();
                }
            });
        });
        if let Some(m) = &self.message {
            let color = if m.is_error {
                Color32::from_rgb(255, 110, 100)
            } else {
                ui.visuals().weak_text_color()
            };
            ui.label(egui::RichText::new(&m.text).color(color));
            if ui
                .small_button("×")
                .on_hover_text("dismiss this message")
                .clicked()
            {
                self.message = None;
            }
        }
    }
}

impl Exporter {
    /// Export > Animation: which view, which iterations, how fast; then Record.
    fn gif_menu_ui(&mut self, ui: &mut egui::Ui) {
        use crate::engine::scenario::ViewMode;
        let choices = &mut self.gif;
        for (view, label) in [
            (Some(ViewMode::Contour), "Contour plot"),
            (Some(ViewMode::Surface3d), "3D surface"),
            (Some(ViewMode::Both), "Both side by side"),
            (None, "Whole window"),
        ] {
            ui.radio_value(&mut choices.view, view, label);
        }
        ui.horizontal(|ui| {
            let label = ui.label("from iteration");
            ui.add(egui::DragValue::new(&mut choices.from).range(0..=10_000_000))
                .labelled_by(label.id);
        });
        ui.horizontal(|ui| {
            let mut to_end = choices.to.is_none();
            if ui.checkbox(&mut to_end, "to the end").changed() {
                choices.to = (!to_end).then_some(choices.from + 100);
            }
            if let Some(to) = &mut choices.to {
                let label = ui.label("last iteration");
                ui.add(egui::DragValue::new(to).range(0..=10_000_000))
                    .labelled_by(label.id);
            }
        });
        ui.horizontal(|ui| {
            let label = ui.label("frames per second");
            ui.add(egui::DragValue::new(&mut choices.fps).range(1..=100))
                .labelled_by(label.id);
        });
        ui.checkbox(&mut choices.turn, "turn the 3D view while it plays");
        ui.weak(format!(
            "one frame per iteration, at most {}",
            crate::ui::animation::MAX_FRAMES
        ));
        if ui.button("Record…").clicked() {
            let ctx = ui.ctx().clone();
            self.start(&ctx, Job::Gif, "losscape.gif", ("GIF animation", "gif"));
            ui.close();
        }
    }
}

fn view_name(target: PngTarget) -> &'static str {
    match target {
        PngTarget::Contour => "contour view",
        PngTarget::Surface3d => "3D view",
        PngTarget::LearningCurve => "learning curve",
        PngTarget::Window => "window",
    }
}

/// Asks for a picture of the next frame; it arrives on the returned channel (and the
/// window repaints, so a caller polling each frame sees it).
pub fn screenshot_on_its_way(ctx: &egui::Context) -> Receiver<Arc<ColorImage>> {
    let (sender, receiver) = channel();
    let repaint = ctx.clone();
    ctx.request_screenshot(move |image| {
        let _ = sender.send(image);
        repaint.request_repaint();
    });
    receiver
}

/// The part of `image` (a screenshot in physical pixels) covered by `rect` (points);
/// None when they do not overlap.
pub fn crop(image: &ColorImage, rect: Rect, pixels_per_point: f32) -> Option<ColorImage> {
    let ppp = if pixels_per_point.is_finite() && pixels_per_point > 0.0 {
        pixels_per_point
    } else {
        1.0
    };
    let [width, height] = image.size;
    let clamp = |v: f32, max: usize| (v * ppp).round().clamp(0.0, max as f32) as usize;
    let (x0, x1) = (clamp(rect.min.x, width), clamp(rect.max.x, width));
    let (y0, y1) = (clamp(rect.min.y, height), clamp(rect.max.y, height));
    if x1 <= x0 || y1 <= y0 {
        return None;
    }
    Some(image.region_by_pixels([x0, y0], [x1 - x0, y1 - y0]))
}

/// `image` encoded as PNG.
pub fn png_bytes(image: &ColorImage) -> Result<Vec<u8>, String> {
    let [width, height] = image.size;
    let rgba: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(width as u32, height as u32, rgba)
        .ok_or_else(|| "the screenshot has an unexpected size".to_owned())?;
    let mut out = std::io::Cursor::new(Vec::new());
    buffer
        .write_to(&mut out, image::ImageFormat::Png)
        .map_err(|e| format!("could not encode the PNG: {e}"))?;
    Ok(out.into_inner())
}

/// Every run's history as CSV: `run,iteration,epoch,w,b,cost,grad_w,grad_b,lr` (the
/// columns of `losscape run`, after the run's name). `grad_*` is the full-data gradient at
/// the row's point and `lr` the learning rate the next update uses.
pub fn histories_csv(runs: &[(&str, &History)]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut rows = || -> Result<(), csv::Error> {
        writer.write_record(std::iter::once("run").chain(CSV_COLUMNS))?;
        for (name, history) in runs {
            for record in history.iter() {
                let fields = record.csv_fields();
                writer.write_record(
                    std::iter::once(*name).chain(fields.iter().map(String::as_str)),
                )?;
            }
        }
        Ok(())
    };
    // Writing to memory cannot fail; an error would only lose rows, never panic.
    let _ = rows();
    writer
        .into_inner()
        .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc as StdArc;

    use super::*;
    use crate::engine::objective::Objective;
    use crate::engine::run::{Initialization, Run, RunSettings};
    use crate::engine::{Derivatives, Domain, Point};

    struct Bowl;
    impl Objective for Bowl {
        fn value(&self, p: Point) -> f64 {
            p[0] * p[0] + 2.0 * p[1] * p[1]
        }
        fn value_gradient(&self, p: Point) -> (f64, [f64; 2]) {
            (self.value(p), [2.0 * p[0], 4.0 * p[1]])
        }
        fn derivatives(&self, p: Point) -> Derivatives {
            let (value, gradient) = self.value_gradient(p);
            Derivatives {
                value,
                gradient,
                hessian: [[2.0, 0.0], [0.0, 4.0]],
            }
        }
        fn domain(&self) -> Domain {
            Domain::new(-1.0, 1.0, -1.0, 1.0)
        }
    }

    // The CSV has the header, one row per recorded point per run, and parses back to the
    // recorded numbers; names with commas are quoted.
    #[test]
    fn csv_round_trips() {
        let settings = RunSettings {
            learning_rate: 0.1,
            init: Initialization::Manual { w: 0.5, b: -0.25 },
            max_iterations: 4,
            ..RunSettings::default()
        };
        let mut run = Run::new(StdArc::new(Bowl), settings).expect("valid");
        run.run_to_end();
        let history = run.history();
        let text = histories_csv(&[("GD", history), ("GD, copy", history)]);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .expect("header")
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(
            header,
            [
                "run",
                "iteration",
                "epoch",
                "w",
                "b",
                "cost",
                "grad_w",
                "grad_b",
                "lr"
            ]
        );
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 2 * history.len());
        assert_eq!(&rows[history.len()][0], "GD, copy");
        for (t, row) in rows[..history.len()].iter().enumerate() {
            let f = |k: usize| row[k].parse::<f64>().expect("number");
            assert_eq!(f(1), t as f64);
            assert_eq!([f(3), f(4)], history.params()[t]);
            assert_eq!(f(5), history.costs()[t]);
            assert_eq!([f(6), f(7)], history.gradients()[t]);
            assert_eq!(f(8), history.learning_rates()[t]);
        }
    }

    // A write lands complete; a failed write reports why and leaves no file behind.
    #[test]
    fn atomic_writes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out.csv");
        std::fs::write(&path, "old").expect("seed file");
        write_atomically(&path, b"new contents").expect("writes");
        assert_eq!(
            std::fs::read_to_string(&path).expect("reads"),
            "new contents"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(leftovers.len(), 1, "no temporary file remains");
        let missing = dir.path().join("no-such-folder").join("x.png");
        let err = write_atomically(&missing, b"x").expect_err("folder is missing");
        assert!(err.contains("does not exist"), "{err}");
        assert!(!missing.exists());
    }

    // Cropping takes the view's pixels (scaled by pixels per point) and clamps to the image.
    #[test]
    fn crop_to_view() {
        let mut image = ColorImage::filled([40, 30], Color32::BLACK);
        image.pixels[10 * 40 + 20] = Color32::RED;
        let rect = Rect::from_min_max(egui::pos2(5.0, 4.0), egui::pos2(15.0, 12.0));
        let c = crop(&image, rect, 2.0).expect("overlaps");
        assert_eq!(c.size, [20, 16]);
        assert_eq!(c.pixels[(10 - 8) * 20 + (20 - 10)], Color32::RED);
        let outside = Rect::from_min_max(egui::pos2(100.0, 100.0), egui::pos2(120.0, 130.0));
        assert!(crop(&image, outside, 1.0).is_none());
        let partly = Rect::from_min_max(egui::pos2(30.0, 20.0), egui::pos2(60.0, 60.0));
        assert_eq!(crop(&image, partly, 1.0).expect("overlaps").size, [10, 10]);
        let png = png_bytes(&c).expect("encodes");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    }
}
