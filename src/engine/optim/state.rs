//! The named internal state of an optimizer, for a step inspector.

/// The most numbers any rule records per update (L-BFGS: direction, step, H_diag and its
/// counters).
pub const MAX_STATE_SLOTS: usize = 8;

/// An optimizer's internal state after some number of updates, with the derived
/// quantities a learner wants to see beside the update rule. Pairs are `[w, b]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerState {
    /// Gradient descent keeps no state: every step is `-lr * g`.
    Stateless,
    /// SGD with momentum (heavy-ball or Nesterov): the velocity (torch's momentum
    /// buffer), zero before the first update.
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
        /// Centered only: the moving average m of g.
        grad_average: Option<[f64; 2]>,
        /// With momentum only: buf = momentum * buf + g / a.
        momentum_buffer: Option<[f64; 2]>,
        /// lr / a (a = sqrt(s) + eps, or sqrt(s - m^2) + eps centered): the learning rate
        /// each parameter effectively had.
        effective_learning_rate: [f64; 2],
    },
    /// Adadelta's two moving averages.
    Adadelta {
        /// s = rho * s + (1 - rho) * g^2.
        square_average: [f64; 2],
        /// u = rho * u + (1 - rho) * delta^2, of the steps taken.
        delta_average: [f64; 2],
    },
    /// Adamax's moment and infinity norm.
    Adamax {
        /// Number of updates t.
        step_count: u64,
        /// First moment m.
        m: [f64; 2],
        /// u = max(beta2 * u, |g| + eps).
        u: [f64; 2],
        /// lr / ((1 - beta1^t) u): the step is this times m.
        effective_learning_rate: [f64; 2],
    },
    /// NAdam's moments and momentum schedule.
    NAdam {
        /// Number of updates t.
        step_count: u64,
        /// First moment m.
        m: [f64; 2],
        /// Second moment v.
        v: [f64; 2],
        /// mu_t = beta1 (1 - 0.5 * 0.96^(t * momentum_decay)).
        mu: f64,
        /// mu_{t+1}.
        mu_next: f64,
        /// The product mu_1 ... mu_t.
        mu_product: f64,
    },
    /// RAdam's moments and rectification.
    RAdam {
        /// Number of updates t.
        step_count: u64,
        /// First moment m.
        m: [f64; 2],
        /// Second moment v.
        v: [f64; 2],
        /// rho_t, the length of the approximated moving average; the adaptive step is on
        /// when it exceeds 5.
        rho_t: f64,
        /// The rectification r_t when the adaptive step is on, `None` while the update is
        /// plain momentum.
        rectification: Option<f64>,
    },
    /// Adafactor's second moment and relative step.
    Adafactor {
        /// Number of updates t.
        step_count: u64,
        /// v = lerp(v, g^2, t^beta2_decay).
        variance: [f64; 2],
        /// alpha = max(eps2, |theta|) * min(lr, 1/sqrt(t)): the step's scale.
        step_scale: [f64; 2],
        /// max(1, |update| / d): how much the update was clipped.
        clip: [f64; 2],
    },
    /// Rprop's step sizes.
    Rprop {
        /// The gradient the next update compares signs with (0 after a sign change).
        previous_gradient: [f64; 2],
        /// Each parameter's step size.
        step_size: [f64; 2],
    },
    /// ASGD's step size and average.
    Asgd {
        /// eta_t = lr / (1 + lambd lr t)^alpha.
        eta: [f64; 2],
        /// mu_t = 1 / max(1, t - t0): the averaging weight.
        mu: [f64; 2],
        /// The averaged parameters.
        average: [f64; 2],
    },
    /// The backtracking line search of one update.
    Armijo {
        /// The step size accepted.
        step_size: f64,
        /// How many step sizes were tried.
        trials: u32,
    },
    /// L-BFGS after one step.
    Lbfgs {
        /// The last search direction d.
        direction: [f64; 2],
        /// The last step size t along it.
        step_size: f64,
        /// H_diag = s.y / y.y: the scale of the starting inverse Hessian.
        h_diag: f64,
        /// Curvature pairs (s, y) held.
        pairs: u32,
        /// Evaluations of J in the step.
        evaluations: u32,
        /// Inner iterations in the step.
        inner_iterations: u32,
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
            Self::RmsProp {
                square_average,
                grad_average,
                momentum_buffer,
                effective_learning_rate,
            } => {
                let mut out = vec![("square_average", square_average)];
                if let Some(m) = grad_average {
                    out.push(("grad_average", m));
                }
                if let Some(buf) = momentum_buffer {
                    out.push(("momentum_buffer", buf));
                }
                out.push(("effective_learning_rate", effective_learning_rate));
                out
            }
            Self::Adadelta {
                square_average,
                delta_average,
            } => vec![
                ("square_average", square_average),
                ("delta_average", delta_average),
            ],
            Self::Adamax {
                m,
                u,
                effective_learning_rate,
                ..
            } => vec![
                ("m", m),
                ("u", u),
                ("effective_learning_rate", effective_learning_rate),
            ],
            Self::NAdam {
                m,
                v,
                mu,
                mu_next,
                mu_product,
                ..
            } => vec![
                ("m", m),
                ("v", v),
                ("mu", [mu; 2]),
                ("mu_next", [mu_next; 2]),
                ("mu_product", [mu_product; 2]),
            ],
            Self::RAdam {
                m,
                v,
                rho_t,
                rectification,
                ..
            } => {
                let mut out = vec![("m", m), ("v", v), ("rho_t", [rho_t; 2])];
                if let Some(r) = rectification {
                    out.push(("rectification", [r; 2]));
                }
                out
            }
            Self::Adafactor {
                variance,
                step_scale,
                clip,
                ..
            } => vec![
                ("variance", variance),
                ("step_scale", step_scale),
                ("clip", clip),
            ],
            Self::Rprop {
                previous_gradient,
                step_size,
            } => vec![
                ("previous_gradient", previous_gradient),
                ("step_size", step_size),
            ],
            Self::Asgd { eta, mu, average } => {
                vec![("eta", eta), ("mu", mu), ("average", average)]
            }
            Self::Armijo { step_size, trials } => vec![
                ("step_size", [step_size; 2]),
                ("trials", [f64::from(trials); 2]),
            ],
            Self::Lbfgs {
                direction,
                step_size,
                h_diag,
                pairs,
                evaluations,
                ..
            } => vec![
                ("direction", direction),
                ("step_size", [step_size; 2]),
                ("h_diag", [h_diag; 2]),
                ("pairs", [f64::from(pairs); 2]),
                ("evaluations", [f64::from(evaluations); 2]),
            ],
        }
    }
}
