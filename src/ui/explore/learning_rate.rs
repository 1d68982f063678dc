//! The learning-rate explorer: the stability map (cost by learning rate and iteration), the
//! sweep curve (cost after the last iteration by learning rate) with the selected run's rate
//! as a marker that can be dragged and the stability limit 2/lambda_max, and the bifurcation
//! diagram (where each learning rate's path ends up).

use std::sync::Arc;

use egui::{Color32, ColorImage, RichText, Vec2};
use egui_plot::{Line, PlotBounds, PlotImage, PlotPoint, PlotPoints, Points, Text, VLine};

use crate::engine::explore::{
    LearningRateScan, LearningRateScanSpec, StabilityLimit, stability_limit, with_learning_rate,
};
use crate::engine::map::CellStatus;
use crate::engine::objective::Objective;
use crate::engine::run::RunSettings;
use crate::engine::scenario::ExploreSettings;
use crate::engine::surface::Colormap;
use crate::engine::{Domain, Point};
use crate::ui::command::Command;
use crate::ui::view3d::ticks::format_number;
use crate::ui::views::slices::SliceAxis;

use super::computed::{Computed, progress_row};
use super::scale::{self, Scale};

/// Late iterates kept per learning rate for the bifurcation diagram.
const LATE: usize = 64;

/// A scan and its stability-map picture.
pub struct ScanPicture {
    /// The scan.
    pub scan: LearningRateScan,
    /// One pixel per (learning rate, iteration), iteration 0 at the bottom.
    image: ColorImage,
}

#[derive(Clone, Debug, PartialEq)]
struct Key {
    objective_version: u64,
    /// The run with learning rate 1 (the scan does not depend on the run's own rate).
    run: RunSettings,
    spec: (u64, u64, usize, u64),
    minima: Vec<Point>,
    domain: Domain,
}

/// The explorer's scan (shared by the learning-rate and bifurcation tabs).
pub struct LearningRateExplorer {
    scan: Computed<Key, ScanPicture>,
    texture: super::texture::LazyTexture,
    /// The scan whose picture the texture holds.
    shown: Option<Arc<ScanPicture>>,
}

/// What the explorer works on.
pub struct LearningRateInput<'a> {
    /// The scan's range and iterations.
    pub settings: &'a mut ExploreSettings,
    /// The problem.
    pub objective: &'a Arc<dyn Objective>,
    /// Its version.
    pub objective_version: u64,
    /// The selected run.
    pub run: &'a RunSettings,
    /// The selected run's color.
    pub color: Color32,
    /// Where the selected run starts (the limit is taken at the minimum nearest to it).
    pub start: Point,
    /// Known minima.
    pub minima: &'a [Point],
    /// The shown region.
    pub domain: Domain,
}

impl LearningRateExplorer {
    /// Nothing scanned yet; results wake `ctx`.
    pub fn new(ctx: Option<egui::Context>) -> Self {
        Self {
            scan: Computed::new(ctx),
            texture: super::texture::LazyTexture::new("stability"),
            shown: None,
        }
    }

    /// The newest scan (tests).
    pub fn scan(&self) -> Option<&LearningRateScan> {
        self.scan.result.as_ref().map(|p| &p.scan)
    }

    /// Blocks until the scan has finished (tests, `--screenshot`).
    pub fn wait(&mut self) {
        self.scan.wait();
    }

    fn update(&mut self, input: &LearningRateInput<'_>) {
        let s = &input.settings;
        let key = Key {
            objective_version: input.objective_version,
            run: with_learning_rate(input.run, 1.0),
            spec: (
                s.lr_lo.to_bits(),
                s.lr_hi.to_bits(),
                s.lr_count,
                s.lr_iterations,
            ),
            minima: input.minima.to_vec(),
            domain: input.domain,
        };
        let spec = LearningRateScanSpec {
            lo: s.lr_lo,
            hi: s.lr_hi,
            count: s.lr_count,
            iterations: s.lr_iterations,
            late: LATE,
        };
        let (objective, base) = (Arc::clone(input.objective), input.run.clone());
        let (minima, domain) = (input.minima.to_vec(), input.domain);
        self.scan.request(key, move |job| {
            let progress = |p: f32| job.set_progress(p);
            let cancel = Some(job.cancel_flag());
            let scan = LearningRateScan::compute(
                objective, &base, &minima, domain, &spec, cancel, &progress,
            )?;
            let image = stability_image(&scan);
            Ok(ScanPicture { scan, image })
        });
        self.scan.poll();
        if let Some(p) = &self.scan.result
            && !self.shown.as_ref().is_some_and(|s| Arc::ptr_eq(s, p))
        {
            self.texture.set(p.image.clone());
            self.shown = Some(Arc::clone(p));
        }
    }

    fn header(&mut self, ui: &mut egui::Ui, input: &mut LearningRateInput<'_>) -> bool {
        let s = &mut *input.settings;
        ui.horizontal_wrapped(|ui| {
            let label = ui.label("rates from");
            rate_field(ui, &mut s.lr_lo).labelled_by(label.id);
            let label = ui.label("to");
            rate_field(ui, &mut s.lr_hi).labelled_by(label.id);
            let label = ui.label("iterations");
            ui.add(egui::DragValue::new(&mut s.lr_iterations).range(10..=5000))
                .labelled_by(label.id);
        });
        if s.lr_lo >= s.lr_hi {
            s.lr_hi = s.lr_lo * 10.0;
        }
        if progress_row(ui, &self.scan) {
            self.scan.cancel();
        }
        if let Some(e) = &self.scan.error {
            crate::ui::panels::widgets::error_text(ui, e);
            return false;
        }
        true
    }

    /// The scan for `input` (started when needed), its header, and its rates' axis; None
    /// while it computes or when it cannot run.
    fn scanned(
        &mut self,
        ui: &mut egui::Ui,
        input: &mut LearningRateInput<'_>,
    ) -> Option<(Arc<ScanPicture>, Scale)> {
        self.update(input);
        if !self.header(ui, input) {
            return None;
        }
        let Some(picture) = self.scan.result.clone() else {
            ui.label("scanning...");
            return None;
        };
        let x = Scale {
            lo: input.settings.lr_lo,
            hi: input.settings.lr_hi,
            log: true,
        };
        Some((picture, x))
    }

    /// The stability map, the sweep curve and the markers.
    pub fn ui(
        &mut self,
        ui: &mut egui::Ui,
        mut input: LearningRateInput<'_>,
        commands: &mut Vec<Command>,
    ) {
        let Some((picture, x)) = self.scanned(ui, &mut input) else {
            return;
        };
        let scan = &picture.scan;
        let limit = stability_limit(
            input.objective.as_ref(),
            input.run,
            input.minima,
            input.start,
        );
        let limit_text = match limit {
            StabilityLimit::Rate {
                rate, lambda_max, ..
            } => format!(
                "limit {} (λmax = {} at the nearest minimum)",
                format_number(rate),
                format_number(lambda_max)
            ),
            StabilityLimit::DependsOnState => {
                "no fixed limit: this optimizer scales its steps by the gradients it has seen"
                    .to_owned()
            }
            StabilityLimit::None => "no limit to show (no known minimum with curvature)".to_owned(),
        };
        ui.label(RichText::new(limit_text).strong());
        let rate = input.run.learning_rate;
        let half = (ui.available_height() - 100.0).max(160.0) / 2.0;
        let iterations = scan.iterations as f64;
        let y = Scale {
            lo: 0.0,
            hi: iterations.max(1.0),
            log: false,
        };
        let texture = self.texture.id(ui.ctx());
        let limit_rate = match limit {
            StabilityLimit::Rate { rate, .. } => Some(rate),
            _ => None,
        };
        let markers = |plot_ui: &mut egui_plot::PlotUi<'_>, top: f64| {
            if let Some(l) = limit_rate.filter(|l| *l > x.lo && *l < x.hi) {
                plot_ui.vline(
                    VLine::new("limit", x.to_plot(l))
                        .color(Color32::from_rgb(230, 60, 60))
                        .style(egui_plot::LineStyle::dashed_loose())
                        .width(2.0),
                );
                plot_ui.text(
                    Text::new("", PlotPoint::new(x.to_plot(l), top), "2/λmax")
                        .anchor(egui::Align2::LEFT_TOP)
                        .color(Color32::from_rgb(230, 60, 60)),
                );
            }
            plot_ui.vline(
                VLine::new("learning rate", x.to_plot(rate))
                    .color(input.color)
                    .width(3.0),
            );
        };
        // Both plots' y axes as wide, so one learning rate is at one x in both.
        let axis_width = scale::y_axis_width(ui);
        let map = scale::with_axes(
            scale::fixed_plot("stability map", half)
                .id(stability_plot_id())
                .y_axis_min_width(axis_width)
                .x_axis_label("learning rate (log scale)")
                .y_axis_label(scale::y_title(ui, half, &["iteration", "iter."])),
            x,
            y,
        )
        .show(ui, |plot_ui| {
            let [a, b] = x.plot_range();
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([a, 0.0], [b, y.hi]));
            if let Some(texture) = texture {
                let n = scan.rates.len().max(2) as f64;
                let [ra, rb] = [
                    x.to_plot(scan.rates[0]),
                    x.to_plot(*scan.rates.last().unwrap_or(&1.0)),
                ];
                let dx = (rb - ra) / (n - 1.0);
                let center = PlotPoint::new((ra + rb) / 2.0, iterations / 2.0);
                let size = Vec2::new((rb - ra + dx) as f32, (iterations + 1.0) as f32);
                plot_ui.image(PlotImage::new("", texture, center, size).allow_hover(false));
            }
            markers(plot_ui, y.hi);
            plot_ui.pointer_coordinate()
        });
        let finals: Vec<f64> = scan
            .final_cost
            .iter()
            .filter(|c| c.is_finite())
            .map(|c| c.max(COST_FLOOR))
            .collect();
        let sweep_y = Scale::fitting(&finals, true);
        let points: Vec<[f64; 2]> = scan
            .rates
            .iter()
            .zip(&scan.final_cost)
            .filter(|(_, c)| c.is_finite())
            .map(|(&r, &c)| [x.to_plot(r), sweep_y.to_plot(c.max(COST_FLOOR))])
            .collect();
        let diverged: Vec<[f64; 2]> = scan
            .rates
            .iter()
            .zip(&scan.status)
            .filter(|(_, s)| **s == CellStatus::Diverged)
            .map(|(&r, _)| [x.to_plot(r), sweep_y.to_plot(sweep_y.hi)])
            .collect();
        let sweep = scale::with_axes(
            scale::fixed_plot("sweep", half)
                .id(sweep_plot_id())
                .y_axis_min_width(axis_width)
                .x_axis_label("learning rate (log scale)")
                .y_axis_label(scale::y_title(ui, half, &["final cost", "cost"])),
            x,
            sweep_y,
        )
        .show(ui, |plot_ui| {
            let [a, b] = x.plot_range();
            let [c, d] = sweep_y.plot_range();
            plot_ui.set_plot_bounds(PlotBounds::from_min_max([a, c], [b, d]));
            plot_ui.line(
                Line::new("cost", PlotPoints::new(points))
                    .width(2.0)
                    .color(Color32::LIGHT_GRAY),
            );
            plot_ui.points(
                Points::new("diverged", PlotPoints::new(diverged))
                    .shape(egui_plot::MarkerShape::Cross)
                    .radius(3.0)
                    .color(Color32::from_rgb(230, 60, 60)),
            );
            markers(plot_ui, d);
            plot_ui.pointer_coordinate()
        });
        ui.label(
            RichText::new(
                "top: cost by iteration (dark = low, black = diverged); bottom: cost at the \
                 end; drag across either to set the run's learning rate",
            )
            .weak(),
        );
        for (response, pointer) in [(&map.response, map.inner), (&sweep.response, sweep.inner)] {
            let dragging = response.dragged() || response.clicked();
            if dragging && let Some(p) = pointer {
                let new_rate = x.value_at(p.x).clamp(x.lo, x.hi);
                if (new_rate / rate - 1.0).abs() > 1e-9 {
                    commands.push(rate_command(input.run, new_rate));
                }
            }
        }
    }

    /// The bifurcation diagram: each learning rate's last iterates of w and b.
    pub fn bifurcation_ui(
        &mut self,
        ui: &mut egui::Ui,
        mut input: LearningRateInput<'_>,
        commands: &mut Vec<Command>,
    ) {
        let Some((picture, x)) = self.scanned(ui, &mut input) else {
            return;
        };
        let scan = &picture.scan;
        let rate = input.run.learning_rate;
        // w and b each in a plot of its own, each on its own scale.
        let height = ((ui.available_height() - 3.0 * ui.text_style_height(&egui::TextStyle::Body))
            / 2.0)
            .max(100.0);
        let mut pointer = None;
        for (k, axis, color) in [
            (0, SliceAxis::W, Color32::from_rgb(240, 170, 40)),
            (1, SliceAxis::B, Color32::from_rgb(90, 170, 240)),
        ] {
            let name = axis.name();
            let points: Vec<[f64; 2]> = scan
                .rates
                .iter()
                .zip(&scan.late)
                .flat_map(|(r, late)| late.iter().map(move |p| [x.to_plot(*r), p[k]]))
                .collect();
            let y = Scale::fitting(&values_in_reach(&points, input.domain, k), false);
            let shown = scale::with_axes(
                scale::fixed_plot(format!("bifurcation {name}"), height)
                    .id(bifurcation_plot_id(axis))
                    .y_axis_min_width(scale::y_axis_width(ui))
                    .x_axis_label("learning rate (log scale)")
                    .y_axis_label(scale::y_title(
                        ui,
                        height,
                        &[&format!("{name}, last {LATE} iterates"), name],
                    )),
                x,
                y,
            )
            .show(ui, |plot_ui| {
                let [a, b] = x.plot_range();
                plot_ui.set_plot_bounds(PlotBounds::from_min_max([a, y.lo], [b, y.hi]));
                plot_ui.points(
                    Points::new(name, PlotPoints::new(points))
                        .radius(1.2)
                        .color(color),
                );
                plot_ui.vline(
                    VLine::new("", x.to_plot(rate))
                        .color(input.color)
                        .width(2.0),
                );
                plot_ui.pointer_coordinate()
            });
            if shown.response.dragged() || shown.response.clicked() {
                pointer = pointer.or(shown.inner);
            }
        }
        ui.label(
            RichText::new(
                "one dot per late iterate: a single dot settles, two alternate, a smear is chaos; \
                 drag to set the run's learning rate",
            )
            .weak(),
        );
        if let Some(p) = pointer {
            commands.push(rate_command(input.run, x.value_at(p.x).clamp(x.lo, x.hi)));
        }
    }
}

/// The id of the stability map (its frame is in egui_plot's memory).
pub fn stability_plot_id() -> egui::Id {
    egui::Id::unique("stability map")
}

/// The id of the plot of the cost at the end against the learning rate.
pub fn sweep_plot_id() -> egui::Id {
    egui::Id::unique("learning-rate sweep")
}

/// The id of the bifurcation plot of `axis` (its bounds are in egui_plot's memory).
pub fn bifurcation_plot_id(axis: SliceAxis) -> egui::Id {
    egui::Id::unique(("bifurcation", axis.name()))
}

/// How far from the shown region, in its widths, a late iterate still sets the bifurcation
/// plot's range.
const REACH: f64 = 3.0;

/// The values along axis `k` of `points` ([rate, value]) that the plot's range holds: those
/// within [`REACH`] widths of the shown region's center (all of them when none is). A run
/// blowing up without having diverged yet would otherwise stretch the range until every
/// settled run lies on one line; its dots are cut at the plot's edge.
fn values_in_reach(points: &[[f64; 2]], domain: Domain, k: usize) -> Vec<f64> {
    let (lo, hi) = if k == 0 {
        (domain.w_min, domain.w_max)
    } else {
        (domain.b_min, domain.b_max)
    };
    let (center, reach) = (0.5 * (lo + hi), REACH * (hi - lo));
    let near: Vec<f64> = points
        .iter()
        .map(|p| p[1])
        .filter(|v| (v - center).abs() <= reach)
        .collect();
    if near.is_empty() {
        points.iter().map(|p| p[1]).collect()
    } else {
        near
    }
}

/// Sets `run`'s learning rate to `rate` (b's own rate keeps its ratio) and plays it again.
fn rate_command(run: &RunSettings, rate: f64) -> Command {
    let mut settings = with_learning_rate(run, rate);
    settings.max_iterations = run.max_iterations;
    Command::ApplyRunSettings {
        id: run.id,
        settings: Box::new(settings),
    }
}

/// Costs below this are drawn at it on the log scale.
const COST_FLOOR: f64 = 1e-30;

/// A learning-rate field (positive, log-scale drag).
fn rate_field(ui: &mut egui::Ui, rate: &mut f64) -> egui::Response {
    ui.add(
        egui::DragValue::new(rate)
            .range(1e-8..=1e4)
            .speed(0.0)
            .custom_formatter(|v, _| format_number(v)),
    )
}

/// The stability map: log of (cost - lowest cost) on viridis, from the lowest costs of the
/// map (its 2nd percentile, at most twelve decades down: dark) to a decade above the starting
/// cost (bright: the cost grew), diverged black, rows without a full cost (mini-batch rows)
/// transparent.
fn stability_image(scan: &LearningRateScan) -> ColorImage {
    let (columns, rows) = (scan.rates.len(), scan.iterations as usize + 1);
    let finite = scan.cost.iter().copied().filter(|c| c.is_finite());
    let min = finite.fold(f64::INFINITY, f64::min);
    let start = scan
        .cost
        .iter()
        .take(columns)
        .copied()
        .find(|c| c.is_finite());
    let top = start.map_or(0.0, |s| (s - min).max(f64::MIN_POSITIVE).log10()) + 1.0;
    let mut logs: Vec<f64> = scan
        .cost
        .iter()
        .map(|c| c - min)
        .filter(|d| d.is_finite() && *d > 0.0)
        .map(f64::log10)
        .collect();
    logs.sort_by(f64::total_cmp);
    let low = logs.get(logs.len() / 50).copied().unwrap_or(top - 13.0);
    let bottom = low.clamp(top - 13.0, top - 1.0);
    let mut pixels = vec![Color32::TRANSPARENT; columns * rows];
    for t in 0..rows {
        for i in 0..columns {
            let c = scan.cost.get(t * columns + i).copied().unwrap_or(f64::NAN);
            let color = if c == f64::INFINITY {
                Color32::BLACK
            } else if c.is_finite() {
                let level = ((c - min).max(f64::MIN_POSITIVE).log10() - bottom) / (top - bottom);
                let [r, g, b] = Colormap::Viridis.rgb(level.clamp(0.0, 1.0));
                Color32::from_rgb(r, g, b)
            } else {
                Color32::TRANSPARENT
            };
            pixels[(rows - 1 - t) * columns + i] = color;
        }
    }
    ColorImage::new([columns, rows], pixels)
}
