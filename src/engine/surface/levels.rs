//! Choosing contour levels for a grid.

use super::Grid;

/// How contour levels are spread between a grid's smallest and largest value.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LevelSpacing {
    /// Equal steps of J: `min + k * (max - min) / (n + 1)` for k = 1..=n.
    #[default]
    #[serde(alias = "Even")]
    Even,
    /// Equal ratios of J, for surfaces whose values span decades (Rosenbrock). The levels are
    /// geometric between the minimum and the maximum; when the minimum is 0 or negative, they
    /// are geometric in `J - min + eps` with `eps = (max - min) * 1e-6` instead, so the lowest
    /// levels hug the minimum.
    #[serde(alias = "Log")]
    Log,
    /// Levels at the quantiles `k / (n + 1)` of the finite grid values, so each band between
    /// neighbouring lines covers about the same area.
    #[serde(alias = "Quantile")]
    Quantile,
}

impl LevelSpacing {
    /// Every spacing, for menus.
    pub const ALL: [LevelSpacing; 3] = [
        LevelSpacing::Even,
        LevelSpacing::Log,
        LevelSpacing::Quantile,
    ];

    /// A short lowercase name: `even`, `log`, `quantile`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Even => "even",
            Self::Log => "log",
            Self::Quantile => "quantile",
        }
    }
}

/// Relative size of the offset used by log spacing (see [`LevelSpacing::Log`]).
const LOG_OFFSET: f64 = 1e-6;

/// Up to `n` contour levels strictly between the grid's finite minimum and maximum, in
/// increasing order without repeats. Empty when the grid has no finite values or is flat.
pub fn levels(spacing: LevelSpacing, n: usize, grid: &Grid) -> Vec<f64> {
    let (min, max) = (grid.min, grid.max);
    if n == 0 || !min.is_finite() || !max.is_finite() || max <= min {
        return Vec::new();
    }
    let fractions = (1..=n).map(|k| k as f64 / (n + 1) as f64);
    let mut out: Vec<f64> = match spacing {
        LevelSpacing::Even => fractions.map(|f| min + f * (max - min)).collect(),
        LevelSpacing::Log => {
            let span = max - min;
            if min > 0.0 && max / min > 1.0 + LOG_OFFSET {
                let lo = min.max(max * LOG_OFFSET);
                let ratio = (max / lo).ln();
                fractions.map(|f| lo * (f * ratio).exp()).collect()
            } else {
                let eps = span * LOG_OFFSET;
                let ratio = ((span + eps) / eps).ln();
                fractions
                    .map(|f| min - eps + eps * (f * ratio).exp())
                    .collect()
            }
        }
        LevelSpacing::Quantile => {
            let mut finite: Vec<f64> = grid
                .values
                .iter()
                .copied()
                .filter(|v| v.is_finite())
                .collect();
            finite.sort_unstable_by(f64::total_cmp);
            let last = finite.len() - 1;
            fractions
                .map(|f| {
                    let pos = f * last as f64;
                    let k = pos.floor() as usize;
                    let t = pos - k as f64;
                    let hi = finite[(k + 1).min(last)];
                    finite[k] + t * (hi - finite[k])
                })
                .collect()
        }
    };
    out.retain(|l| l.is_finite() && *l > min && *l < max);
    out.dedup();
    out
}
