//! torch `CyclicLR`'s rate at an iteration (without momentum cycling).

/// How the height of [`super::Schedule::Cyclic`]'s cycles changes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CyclicMode {
    /// Every cycle climbs to `max_lr`.
    #[default]
    Triangular,
    /// Each cycle climbs half as high as the one before.
    Triangular2,
    /// The height shrinks by `gamma` every iteration.
    ExpRange,
}

impl CyclicMode {
    /// Every mode, in the editor's order.
    pub const ALL: [CyclicMode; 3] = [Self::Triangular, Self::Triangular2, Self::ExpRange];

    /// The name in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Triangular => "triangular",
            Self::Triangular2 => "triangular2",
            Self::ExpRange => "exp_range",
        }
    }

    /// The mode of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// The numbers of one cyclic schedule.
pub(super) struct Cycle {
    pub base_lr: f64,
    pub max_lr: f64,
    pub step_size_up: u64,
    pub step_size_down: Option<u64>,
    pub mode: CyclicMode,
    pub gamma: f64,
}

impl Cycle {
    /// The rate after `t` scheduler steps (torch's `get_lr` with `last_epoch = t`).
    pub fn rate(&self, t: u64) -> f64 {
        let up = self.step_size_up as f64;
        let down = self.step_size_down.map_or(up, |d| d as f64);
        let total_size = up + down;
        let step_ratio = up / total_size;
        let t_f = t as f64;
        let cycle = (1.0 + t_f / total_size).floor();
        let x = 1.0 + t_f / total_size - cycle;
        let scale_factor = if x <= step_ratio {
            x / step_ratio
        } else {
            (x - 1.0) / (step_ratio - 1.0)
        };
        let base_height = (self.max_lr - self.base_lr) * scale_factor;
        let scale = match self.mode {
            CyclicMode::Triangular => 1.0,
            CyclicMode::Triangular2 => 1.0 / 2.0f64.powf(cycle - 1.0),
            CyclicMode::ExpRange => self.gamma.powf(t_f),
        };
        self.base_lr + base_height * scale
    }
}
