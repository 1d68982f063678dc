//! The named internal state of an optimizer, for a step inspector.

/// The most numbers any rule records per update (Adam with AMSGrad: m, v and max v).
pub const MAX_STATE_SLOTS: usize = 6;

/// An optimizer's internal state after some number of updates, with the derived
/// quantities a learner wants to see beside the update rule. Pairs are `[w, b]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerState {
    /// Gradient descent keeps no state: every step is `-lr * g`.
    Stateless,
    /// Momentum and Nesterov: the velocity (torch's momentum buffer), zero before the
    /// first update.
    Momentum {
        /// v = g at the first update, then v = mu * v + g.
        velocity: [f64; 2],
    },
    /// AdaGrad's running sum of squared gradients.
    AdaGrad {
        /// s = sum of g^2 over all updates.
        sum_of_squares: [f64; 2],
        /// lr / (sqrt(s) + eps): the learning rate each parameter effectively had.
        effective_learning_rate: [f64; 2],
    },
    /// RMSProp's moving average of squared gradients.
    RmsProp {
        /// s = alpha * s + (1 - alpha) * g^2.
        square_average: [f64; 2],
        /// lr / (sqrt(s) + eps): the learning rate each parameter effectively had.
        effective_learning_rate: [f64; 2],
    },
    /// Adam's and AdamW's moment estimates.
    Adam {
        /// Number of updates t (the bias corrections use it).
        step_count: u64,
        /// First moment m (moving average of g).
        m: [f64; 2],
        /// Second moment v (moving average of g^2).
        v: [f64; 2],
        /// AMSGrad's running maximum of v, when enabled.
        v_max: Option<[f64; 2]>,
        /// m / (1 - beta1^t).
        m_hat: [f64; 2],
        /// v / (1 - beta2^t) (of `v_max` with AMSGrad).
        v_hat: [f64; 2],
        /// lr / (sqrt(v_hat) + eps): the step is this times `m_hat`.
        effective_learning_rate: [f64; 2],
    },
    /// Newton's damping.
    Newton {
        /// lambda of the last update: 0 where the Hessian was already positive definite.
        damping: f64,
    },
}

impl OptimizerState {
    /// Every named pair of the state, in display order (`("m_hat", [..])`); Newton's damping
    /// appears as `("damping", [lambda, lambda])`.
    pub fn named_values(&self) -> Vec<(&'static str, [f64; 2])> {
        match *self {
            Self::Stateless => Vec::new(),
            Self::Momentum { velocity } => vec![("velocity", velocity)],
            Self::AdaGrad {
                sum_of_squares,
                effective_learning_rate,
            } => vec![
                ("sum_of_squares", sum_of_squares),
                ("effective_learning_rate", effective_learning_rate),
            ],
            Self::RmsProp {
                square_average,
                effective_learning_rate,
            } => vec![
                ("square_average", square_average),
                ("effective_learning_rate", effective_learning_rate),
            ],
            Self::Adam {
                m,
                v,
                v_max,
                m_hat,
                v_hat,
                effective_learning_rate,
                ..
            } => {
                let mut out = vec![("m", m), ("v", v)];
                if let Some(v_max) = v_max {
                    out.push(("v_max", v_max));
                }
                out.extend([
                    ("m_hat", m_hat),
                    ("v_hat", v_hat),
                    ("effective_learning_rate", effective_learning_rate),
                ]);
                out
            }
            Self::Newton { damping } => vec![("damping", [damping, damping])],
        }
    }
}
