//! The data view of a data-fit problem: the examples as a scatter plot with the model's
//! prediction at the selected run's current (w, b), the mini-batch of the current update
//! highlighted, and optionally each example's residual. A second, dashed curve follows the
//! point under the mouse in the contour view: "pick w and b, see the fit".

use egui::Color32;
use egui_plot::{Arrows, Line, LineStyle, MarkerShape, Plot, PlotPoints, Points};

use crate::engine::Point;
use crate::engine::data::Dataset;
use crate::engine::expr::{
    DEFAULT_CONSTANT, FIRST_CONSTANT_SLOT, Role, SLOT_B, SLOT_W, SLOT_X, Tape, compile,
};

/// Segment origins and tips.
type Segments = (Vec<[f64; 2]>, Vec<[f64; 2]>);

/// Samples of the model curve.
const CURVE_SAMPLES: usize = 240;
/// Most residual segments drawn.
const MAX_RESIDUALS: usize = 2000;

/// What the data view shows this frame.
pub struct DataViewInput<'a> {
    /// The examples.
    pub dataset: &'a Dataset,
    /// The model's prediction for input `x` at parameters `[w, b]`.
    pub predict: &'a dyn Fn(f64, Point) -> f64,
    /// The selected run's current (w, b).
    pub at: Option<Point>,
    /// A (w, b) picked in the contour view (hovered or clicked).
    pub pick: Option<Point>,
    /// Indices of the examples in the mini-batch of the current update, when known.
    pub batch: Option<&'a [usize]>,
    /// The run's color.
    pub color: Color32,
}

/// A data-fit model compiled from its text, ready to predict.
#[derive(Clone, Debug)]
pub struct Model {
    tape: Tape,
    slots: Vec<f64>,
}

impl Model {
    /// Compiles the model text; free constants take `constant(name)` (or their default).
    /// None when the text does not compile (the problem panel shows that error).
    pub fn compile(text: &str, constant: &dyn Fn(&str) -> Option<f64>) -> Option<Self> {
        let expression = compile(text, Role::Model).ok()?;
        let mut slots = vec![f64::NAN; FIRST_CONSTANT_SLOT + expression.constants.len()];
        for (k, name) in expression.constants.iter().enumerate() {
            slots[FIRST_CONSTANT_SLOT + k] = constant(name).unwrap_or(DEFAULT_CONSTANT);
        }
        Some(Self {
            tape: expression.tape,
            slots,
        })
    }

    /// The prediction for input `x` at parameters `[w, b]`.
    pub fn predict(&self, x: f64, p: Point) -> f64 {
        const STACK: usize = 16;
        let fill = |s: &mut [f64]| {
            s.copy_from_slice(&self.slots);
            s[SLOT_W] = p[0];
            s[SLOT_B] = p[1];
            s[SLOT_X] = x;
        };
        if self.slots.len() <= STACK {
            let mut s = [0.0; STACK];
            fill(&mut s[..self.slots.len()]);
            self.tape.value(&s[..self.slots.len()])
        } else {
            let mut s = self.slots.clone();
            fill(&mut s);
            self.tape.value(&s)
        }
    }
}

/// Largest magnitude drawn (beyond it a plot's bounds could overflow).
const MAX_PLOTTED: f64 = 1e100;

fn plottable(v: f64) -> bool {
    v.abs() < MAX_PLOTTED
}

/// The data view's own settings (runtime).
#[derive(Default)]
pub struct DataView {
    /// Draw a segment from each example to the model's prediction.
    pub residuals: bool,
}

/// `n` points of the model's curve over `[lo, hi]` at `p` (non-finite predictions left out).
pub fn model_curve(
    predict: &dyn Fn(f64, Point) -> f64,
    p: Point,
    lo: f64,
    hi: f64,
    n: usize,
) -> Vec<[f64; 2]> {
    let n = n.max(2);
    (0..n)
        .map(|k| lo + (hi - lo) * k as f64 / (n - 1) as f64)
        .map(|x| [x, predict(x, p)])
        .filter(|q| plottable(q[1]))
        .collect()
}

impl DataView {
    /// Draws the view filling the width of `ui`, `height` points high.
    pub fn ui(&mut self, ui: &mut egui::Ui, input: DataViewInput<'_>, height: f32) {
        let data = input.dataset;
        // Wrapped: a row wider than the details panel would widen it over the views.
        ui.horizontal_wrapped(|ui| {
            ui.checkbox(&mut self.residuals, "residuals");
            match input.batch {
                Some(batch) if batch.len() < data.len() => {
                    ui.weak(format!(
                        "mini-batch: {} of {} examples",
                        batch.len(),
                        data.len()
                    ));
                }
                _ => {
                    ui.weak(format!("{} examples", data.len()));
                }
            }
        });
        if data.is_empty() {
            ui.weak("The dataset has no examples.");
            return;
        }
        let (mut lo, mut hi) = data
            .x
            .iter()
            .filter(|v| plottable(**v))
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if !(lo.is_finite() && hi.is_finite()) {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.08).max(0.5);
        let (lo, hi) = (lo - pad, hi + pad);
        let in_batch: Vec<bool> = match input.batch {
            Some(batch) if batch.len() < data.len() => {
                let mut flags = vec![false; data.len()];
                for &i in batch {
                    if let Some(f) = flags.get_mut(i) {
                        *f = true;
                    }
                }
                flags
            }
            _ => Vec::new(),
        };
        let points = |keep: &dyn Fn(usize) -> bool| -> Vec<[f64; 2]> {
            data.x
                .iter()
                .zip(&data.y)
                .enumerate()
                .filter(|(i, (x, y))| keep(*i) && plottable(**x) && plottable(**y))
                .map(|(_, (&x, &y))| [x, y])
                .collect()
        };
        let others = points(&|i| !in_batch.get(i).copied().unwrap_or(false));
        let batch_points = points(&|i| in_batch.get(i).copied().unwrap_or(false));
        let residuals: Option<Segments> = match (self.residuals, input.at) {
            (true, Some(p)) => {
                let step = data.len().div_ceil(MAX_RESIDUALS).max(1);
                let pairs: Vec<([f64; 2], [f64; 2])> = data
                    .x
                    .iter()
                    .zip(&data.y)
                    .step_by(step)
                    .map(|(&x, &y)| ([x, y], [x, (input.predict)(x, p)]))
                    .filter(|(a, b)| plottable(a[0]) && plottable(a[1]) && plottable(b[1]))
                    .collect();
                Some(pairs.into_iter().unzip())
            }
            _ => None,
        };
        let current = input
            .at
            .map(|p| model_curve(input.predict, p, lo, hi, CURVE_SAMPLES));
        let picked = input
            .pick
            .map(|p| model_curve(input.predict, p, lo, hi, CURVE_SAMPLES));
        let ink_230 = crate::ui::theme::ink(ui, 230);
        let faded = if in_batch.is_empty() {
            crate::ui::theme::ink(ui, 200)
        } else {
            crate::ui::theme::ink(ui, 110)
        };
        // A vertical range even when every label and prediction is the same.
        let (y_lo, y_hi) = others
            .iter()
            .chain(&batch_points)
            .map(|p| p[1])
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), y| {
                (a.min(y), b.max(y))
            });
        let (y_lo, y_hi) = if y_lo.is_finite() {
            (y_lo - 0.5, y_hi + 0.5)
        } else {
            (-1.0, 1.0)
        };
        Plot::new("data view")
            .include_y(y_lo)
            .include_y(y_hi)
            .height(height)
            .x_axis_label("x")
            .y_axis_label("y")
            .allow_scroll(false)
            .allow_boxed_zoom(false)
            .include_x(lo)
            .include_x(hi)
            .show(ui, |plot_ui| {
                if let Some((origins, tips)) = residuals {
                    plot_ui.arrows(
                        Arrows::new("residuals", origins, tips)
                            .color(Color32::from_rgb(213, 94, 0).gamma_multiply(0.8))
                            .tip_length(0.0)
                            .allow_hover(false),
                    );
                }
                plot_ui.points(
                    Points::new("examples", others)
                        .radius(2.5)
                        .color(faded)
                        .filled(true),
                );
                if !batch_points.is_empty() {
                    plot_ui.points(
                        Points::new("mini-batch", batch_points)
                            .radius(4.0)
                            .shape(MarkerShape::Diamond)
                            .color(Color32::from_rgb(240, 228, 66))
                            .filled(true),
                    );
                }
                if let Some(curve) = picked {
                    plot_ui.line(
                        Line::new("model at the picked (w, b)", PlotPoints::from(curve))
                            .color(ink_230)
                            .style(LineStyle::dashed_loose())
                            .width(1.5)
                            .allow_hover(false),
                    );
                }
                if let Some(curve) = current {
                    plot_ui.line(
                        Line::new("model", PlotPoints::from(curve))
                            .color(input.color)
                            .width(2.5)
                            .allow_hover(false),
                    );
                }
            });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A compiled model predicts with the given parameters and constants.
    #[test]
    fn compiled_model_predicts() {
        let model =
            Model::compile("w*x + b + k", &|name| (name == "k").then_some(0.5)).expect("compiles");
        assert_eq!(model.predict(2.0, [3.0, -1.0]), 3.0 * 2.0 - 1.0 + 0.5);
        let sigmoid = Model::compile("sigmoid(w*x + b)", &|_| None).expect("compiles");
        assert!((sigmoid.predict(0.0, [1.0, 0.0]) - 0.5).abs() < 1e-15);
        assert!(Model::compile("w*x +", &|_| None).is_none());
    }

    // The curve is the model evaluated at evenly spaced inputs, skipping undefined values.
    #[test]
    fn curve_samples_the_model() {
        let line = |x: f64, p: Point| p[0] * x + p[1];
        let c = model_curve(&line, [2.0, -1.0], 0.0, 1.0, 3);
        assert_eq!(c, vec![[0.0, -1.0], [0.5, 0.0], [1.0, 1.0]]);
        let log = |x: f64, _: Point| x.ln();
        let c = model_curve(&log, [0.0, 0.0], -1.0, 1.0, 3);
        assert_eq!(c.len(), 1, "ln of -1 and of 0 are left out: {c:?}");
    }
}
