//! `--frame-stats N`: per-frame timings collected while the app plays, summarised as
//! percentiles.

/// Timings of the frames seen so far, in milliseconds.
#[derive(Debug, Default, Clone)]
pub struct FrameStats {
    /// eframe's `cpu_usage` of each frame (includes rendering).
    frame_cpu_ms: Vec<f32>,
    /// Time spent inside the app's own ui code, per frame.
    ui_ms: Vec<f32>,
    /// Number of frames to record before reporting.
    target: usize,
}

/// The 50th and 95th percentile and the maximum of a set of samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// Median.
    pub p50: f32,
    /// 95th percentile.
    pub p95: f32,
    /// Largest sample.
    pub max: f32,
}

impl Summary {
    /// Percentiles of `samples` (nearest-rank); all zero when there are none.
    pub fn of(samples: &[f32]) -> Self {
        let mut sorted: Vec<f32> = samples.iter().copied().filter(|v| v.is_finite()).collect();
        if sorted.is_empty() {
            return Self {
                p50: 0.0,
                p95: 0.0,
                max: 0.0,
            };
        }
        sorted.sort_by(f32::total_cmp);
        let rank = |q: f32| {
            let r = (q * sorted.len() as f32).ceil() as usize;
            sorted[r.clamp(1, sorted.len()) - 1]
        };
        Self {
            p50: rank(0.50),
            p95: rank(0.95),
            max: sorted[sorted.len() - 1],
        }
    }

    /// `name p50=.. p95=.. max=..` with two decimals.
    pub fn line(&self, name: &str) -> String {
        format!(
            "{name} p50={:.2} p95={:.2} max={:.2}",
            self.p50, self.p95, self.max
        )
    }
}

impl FrameStats {
    /// Collects `target` frames.
    pub fn new(target: usize) -> Self {
        Self {
            frame_cpu_ms: Vec::with_capacity(target),
            ui_ms: Vec::with_capacity(target),
            target,
        }
    }

    /// Records one frame. `frame_cpu_ms` is `None` on the first frame (eframe has no
    /// measurement yet); such frames count for the ui time only.
    pub fn record(&mut self, frame_cpu_ms: Option<f32>, ui_ms: f32) {
        if let Some(cpu) = frame_cpu_ms {
            self.frame_cpu_ms.push(cpu);
        }
        self.ui_ms.push(ui_ms);
    }

    /// True once `target` frames have been recorded.
    pub fn is_done(&self) -> bool {
        self.ui_ms.len() >= self.target
    }

    /// Number of frames recorded.
    pub fn frames(&self) -> usize {
        self.ui_ms.len()
    }

    /// The two report lines: `frame_cpu_ms p50=.. p95=.. max=..` and `ui_ms ...`.
    pub fn report(&self) -> [String; 2] {
        [
            Summary::of(&self.frame_cpu_ms).line("frame_cpu_ms"),
            Summary::of(&self.ui_ms).line("ui_ms"),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Nearest-rank percentiles of 1..=100 are 50, 95 and 100.
    #[test]
    fn percentiles_nearest_rank() {
        let samples: Vec<f32> = (1..=100).map(|v| v as f32).collect();
        assert_eq!(
            Summary::of(&samples),
            Summary {
                p50: 50.0,
                p95: 95.0,
                max: 100.0
            }
        );
        assert_eq!(
            Summary::of(&[7.0]),
            Summary {
                p50: 7.0,
                p95: 7.0,
                max: 7.0
            }
        );
        assert_eq!(
            Summary::of(&[]),
            Summary {
                p50: 0.0,
                p95: 0.0,
                max: 0.0
            }
        );
    }

    // The report has exactly the two documented lines.
    #[test]
    fn report_format() {
        let mut stats = FrameStats::new(2);
        stats.record(None, 1.0);
        assert!(!stats.is_done());
        stats.record(Some(3.5), 2.0);
        assert!(stats.is_done());
        let [a, b] = stats.report();
        assert_eq!(a, "frame_cpu_ms p50=3.50 p95=3.50 max=3.50");
        assert_eq!(b, "ui_ms p50=1.00 p95=2.00 max=2.00");
    }
}
