//! torch `OneCycleLR`'s rate at an iteration (without momentum cycling).

/// The shape of each phase of [`super::Schedule::OneCycle`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Anneal {
    /// Half a cosine from one rate to the next.
    #[default]
    Cos,
    /// A straight line.
    Linear,
}

impl Anneal {
    /// Both shapes, in the editor's order.
    pub const ALL: [Anneal; 2] = [Self::Cos, Self::Linear];

    /// The name in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Self::Cos => "cos",
            Self::Linear => "linear",
        }
    }

    /// The shape of a name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    /// From `start` to `end` as `pct` goes from 0 to 1.
    fn between(self, start: f64, end: f64, pct: f64) -> f64 {
        match self {
            Self::Cos => {
                let cos_out = (std::f64::consts::PI * pct).cos() + 1.0;
                end + (start - end) / 2.0 * cos_out
            }
            Self::Linear => (end - start) * pct + start,
        }
    }
}

/// Where each phase ends (torch's `end_step`s), for `total_steps` and `pct_start`.
fn phase_ends(total_steps: u64, pct_start: f64, three_phase: bool) -> ([f64; 3], usize) {
    let total = total_steps as f64;
    let last = total - 1.0;
    if three_phase {
        (
            [pct_start * total - 1.0, 2.0 * pct_start * total - 2.0, last],
            3,
        )
    } else {
        ([pct_start * total - 1.0, last, last], 2)
    }
}

/// True when some phase has no length, so torch would divide by zero in it.
pub(super) fn has_empty_phase(total_steps: u64, pct_start: f64, three_phase: bool) -> bool {
    let (ends, phases) = phase_ends(total_steps, pct_start, three_phase);
    let mut start = 0.0;
    for &end in &ends[..phases] {
        if end - start == 0.0 {
            return true;
        }
        start = end;
    }
    false
}

/// The numbers of one one-cycle schedule.
pub(super) struct OneCycle {
    pub max_lr: f64,
    pub total_steps: u64,
    pub pct_start: f64,
    pub anneal: Anneal,
    pub div_factor: f64,
    pub final_div_factor: f64,
    pub three_phase: bool,
}

impl OneCycle {
    /// The rate after `step` scheduler steps (torch's `get_lr` with `last_epoch = step`).
    /// torch refuses a step beyond `total_steps`; there the rate is the final one.
    pub fn rate(&self, step: u64) -> f64 {
        let initial_lr = self.max_lr / self.div_factor;
        let min_lr = initial_lr / self.final_div_factor;
        if step > self.total_steps {
            return min_lr;
        }
        let (ends, phases) = phase_ends(self.total_steps, self.pct_start, self.three_phase);
        let rates: [(f64, f64); 3] = if self.three_phase {
            [
                (initial_lr, self.max_lr),
                (self.max_lr, initial_lr),
                (initial_lr, min_lr),
            ]
        } else {
            [(initial_lr, self.max_lr), (self.max_lr, min_lr), (0.0, 0.0)]
        };
        let step = step as f64;
        let mut start_step = 0.0;
        for (i, (&end_step, &(start_lr, end_lr))) in ends.iter().zip(&rates).enumerate() {
            if step <= end_step || i + 1 == phases {
                let pct = (step - start_step) / (end_step - start_step);
                return self.anneal.between(start_lr, end_lr, pct);
            }
            start_step = end_step;
        }
        min_lr
    }
}
