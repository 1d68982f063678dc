//! torch `ReduceLROnPlateau`'s bookkeeping (mode min, relative threshold).

/// What a plateau schedule remembers between steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Plateau {
    /// The lowest cost seen (torch's `best`, infinite at first).
    best: f64,
    /// Iterations in a row without a better cost.
    bad_iterations: u64,
    /// Iterations of cooldown left.
    cooldown_left: u64,
}

impl Default for Plateau {
    fn default() -> Self {
        Self {
            best: f64::INFINITY,
            bad_iterations: 0,
            cooldown_left: 0,
        }
    }
}

/// The numbers of one plateau schedule.
pub(super) struct Rules {
    pub factor: f64,
    pub patience: u64,
    pub threshold: f64,
    pub cooldown: u64,
    pub min_lr: f64,
}

impl Plateau {
    /// One step with the cost `cost`: the new rate from `lr`.
    pub fn step(&mut self, rules: &Rules, cost: f64, lr: f64) -> f64 {
        if cost < self.best * (1.0 - rules.threshold) {
            self.best = cost;
            self.bad_iterations = 0;
        } else {
            self.bad_iterations += 1;
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.bad_iterations = 0;
        }
        if self.bad_iterations <= rules.patience {
            return lr;
        }
        self.cooldown_left = rules.cooldown;
        self.bad_iterations = 0;
        // Python's max(lr * factor, min_lr): the first unless the second is larger.
        let reduced = lr * rules.factor;
        let new_lr = if rules.min_lr > reduced {
            rules.min_lr
        } else {
            reduced
        };
        if lr - new_lr > super::PLATEAU_EPS {
            new_lr
        } else {
            lr
        }
    }
}
