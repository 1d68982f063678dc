//! The command-line form of a schedule (`--schedule`): `NAME[:NUMBER...]`, torch's defaults
//! for the numbers left out at the end.

use std::fmt;
use std::str::FromStr;

use super::{Anneal, CyclicMode, Schedule};

/// Every form, for messages and `--help`.
pub const FORMS: &str = "constant, step:K:GAMMA, multistep:M1,M2,...[:GAMMA], exp:GAMMA, \
     cosine:TMAX[:ETAMIN], restarts:T0[:TMULT[:ETAMIN]], constantlr[:FACTOR[:TOTAL]], \
     linear[:START_FACTOR[:END_FACTOR[:TOTAL]]], poly[:TOTAL[:POWER]], \
     cyclic:BASE_LR:MAX_LR[:STEP_UP[:STEP_DOWN[:MODE[:GAMMA]]]], \
     onecycle:MAX_LR:TOTAL[:PCT_START[:ANNEAL[:DIV[:FINAL_DIV[:three_phase]]]]], \
     warmup:ITERS:THEN, plateau[:FACTOR[:PATIENCE[:THRESHOLD[:COOLDOWN[:MIN_LR]]]]]";

/// The numbers after a schedule's name, read one at a time.
struct Parts<'a> {
    name: &'a str,
    parts: &'a [&'a str],
    next: usize,
}

impl<'a> Parts<'a> {
    /// The next part, or None when it is left out.
    fn take(&mut self) -> Option<&'a str> {
        let part = self.parts.get(self.next).copied();
        self.next += 1;
        part
    }

    fn missing(&self, what: &str) -> String {
        format!("schedule {} needs {what}", self.name)
    }

    /// A whole number; `default` when left out (an error when there is none).
    fn count(&mut self, what: &str, default: Option<u64>) -> Result<u64, String> {
        match self.take() {
            Some(p) => p.parse::<u64>().map_err(|_| {
                format!(
                    "schedule {} {what} must be a whole number, got {p:?}",
                    self.name
                )
            }),
            None => default.ok_or_else(|| self.missing(what)),
        }
    }

    /// A number; `default` when left out (an error when there is none).
    fn number(&mut self, what: &str, default: Option<f64>) -> Result<f64, String> {
        match self.take() {
            Some(p) => p
                .parse::<f64>()
                .map_err(|_| format!("schedule {} {what} must be a number, got {p:?}", self.name)),
            None => default.ok_or_else(|| self.missing(what)),
        }
    }

    /// Fails when parts are left over.
    fn done(self) -> Result<(), String> {
        match self.parts.get(self.next..) {
            Some(rest) if !rest.is_empty() => Err(format!(
                "schedule {} has too many numbers: {:?} left over",
                self.name,
                rest.join(":")
            )),
            _ => Ok(()),
        }
    }
}

impl FromStr for Schedule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        // `warmup:ITERS:THEN`: THEN is a whole schedule of its own, colons and all.
        if let Some(rest) = s.strip_prefix("warmup:") {
            let (iters, then) = rest.split_once(':').ok_or_else(|| {
                "schedule warmup needs ITERS and THEN (warmup:ITERS:THEN, e.g. warmup:10:cosine:90)"
                    .to_owned()
            })?;
            let iters = iters.trim().parse::<u64>().map_err(|_| {
                format!("schedule warmup ITERS must be a whole number, got {iters:?}")
            })?;
            let then: Schedule = then.parse()?;
            let schedule = Self::Warmup {
                iters,
                then: Box::new(then),
            };
            schedule.validate()?;
            return Ok(schedule);
        }
        let all: Vec<&str> = s.split(':').map(str::trim).collect();
        let (name, rest) = all.split_first().map_or(("", &[][..]), |(n, r)| (*n, r));
        let mut p = Parts {
            name,
            parts: rest,
            next: 0,
        };
        let schedule = match name {
            "constant" => Self::Constant {},
            "step" => Self::Step {
                step_size: p.count("K", None)?,
                gamma: p.number("GAMMA", None)?,
            },
            "multistep" => {
                let list = p.take().ok_or_else(|| p.missing("milestones M1,M2,..."))?;
                let milestones = list
                    .split(',')
                    .map(|m| {
                        let m = m.trim();
                        m.parse::<u64>().map_err(|_| {
                            format!(
                                "schedule multistep milestone must be a whole number, got {m:?}"
                            )
                        })
                    })
                    .collect::<Result<Vec<u64>, String>>()?;
                Self::MultiStep {
                    milestones,
                    gamma: p.number("GAMMA", Some(0.1))?,
                }
            }
            "exp" => Self::Exponential {
                gamma: p.number("GAMMA", None)?,
            },
            "cosine" => Self::Cosine {
                t_max: p.count("TMAX", None)?,
                eta_min: p.number("ETAMIN", Some(0.0))?,
            },
            "restarts" => Self::WarmRestarts {
                t_0: p.count("T0", None)?,
                t_mult: p.count("TMULT", Some(1))?,
                eta_min: p.number("ETAMIN", Some(0.0))?,
            },
            "constantlr" => Self::ConstantLr {
                factor: p.number("FACTOR", Some(1.0 / 3.0))?,
                total_iters: p.count("TOTAL", Some(5))?,
            },
            "linear" => Self::Linear {
                start_factor: p.number("START_FACTOR", Some(1.0 / 3.0))?,
                end_factor: p.number("END_FACTOR", Some(1.0))?,
                total_iters: p.count("TOTAL", Some(5))?,
            },
            "poly" => Self::Polynomial {
                total_iters: p.count("TOTAL", Some(5))?,
                power: p.number("POWER", Some(1.0))?,
            },
            "cyclic" => {
                let base_lr = p.number("BASE_LR", None)?;
                let max_lr = p.number("MAX_LR", None)?;
                let step_size_up = p.count("STEP_UP", Some(2000))?;
                let step_size_down = match p.parts.get(p.next) {
                    Some(&"") | Some(&"none") => {
                        p.next += 1;
                        None
                    }
                    Some(_) => Some(p.count("STEP_DOWN", None)?),
                    None => None,
                };
                let mode = match p.take() {
                    Some(m) => CyclicMode::from_name(m).ok_or_else(|| {
                        format!(
                            "schedule cyclic MODE must be triangular, triangular2 or exp_range, got {m:?}"
                        )
                    })?,
                    None => CyclicMode::Triangular,
                };
                Self::Cyclic {
                    base_lr,
                    max_lr,
                    step_size_up,
                    step_size_down,
                    mode,
                    gamma: p.number("GAMMA", Some(1.0))?,
                }
            }
            "onecycle" => {
                let max_lr = p.number("MAX_LR", None)?;
                let total_steps = p.count("TOTAL", None)?;
                let pct_start = p.number("PCT_START", Some(0.3))?;
                let anneal_strategy = match p.take() {
                    Some(a) => Anneal::from_name(a).ok_or_else(|| {
                        format!("schedule onecycle ANNEAL must be cos or linear, got {a:?}")
                    })?,
                    None => Anneal::Cos,
                };
                let div_factor = p.number("DIV", Some(25.0))?;
                let final_div_factor = p.number("FINAL_DIV", Some(1e4))?;
                let three_phase = match p.take() {
                    Some("three_phase") => true,
                    Some(other) => {
                        return Err(format!(
                            "schedule onecycle's last part can only be three_phase, got {other:?}"
                        ));
                    }
                    None => false,
                };
                Self::OneCycle {
                    max_lr,
                    total_steps,
                    pct_start,
                    anneal_strategy,
                    div_factor,
                    final_div_factor,
                    three_phase,
                }
            }
            "plateau" => Self::Plateau {
                factor: p.number("FACTOR", Some(0.1))?,
                patience: p.count("PATIENCE", Some(10))?,
                threshold: p.number("THRESHOLD", Some(1e-4))?,
                cooldown: p.count("COOLDOWN", Some(0))?,
                min_lr: p.number("MIN_LR", Some(0.0))?,
            },
            "warmup" => {
                return Err(
                    "schedule warmup needs ITERS and THEN (warmup:ITERS:THEN, e.g. warmup:10:cosine:90)"
                        .into(),
                );
            }
            _ => return Err(format!("unknown schedule {s:?}; expected {FORMS}")),
        };
        p.done()?;
        schedule.validate()?;
        Ok(schedule)
    }
}

/// The command-line form, every number written out (parses back with
/// [`Schedule::from_str`]).
impl fmt::Display for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Constant {} => write!(f, "constant"),
            Self::Step { step_size, gamma } => write!(f, "step:{step_size}:{gamma}"),
            Self::MultiStep { milestones, gamma } => {
                f.write_str("multistep:")?;
                for (i, m) in milestones.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    write!(f, "{m}")?;
                }
                write!(f, ":{gamma}")
            }
            Self::Exponential { gamma } => write!(f, "exp:{gamma}"),
            Self::Cosine { t_max, eta_min } => write!(f, "cosine:{t_max}:{eta_min}"),
            Self::WarmRestarts {
                t_0,
                t_mult,
                eta_min,
            } => write!(f, "restarts:{t_0}:{t_mult}:{eta_min}"),
            Self::ConstantLr {
                factor,
                total_iters,
            } => write!(f, "constantlr:{factor}:{total_iters}"),
            Self::Linear {
                start_factor,
                end_factor,
                total_iters,
            } => write!(f, "linear:{start_factor}:{end_factor}:{total_iters}"),
            Self::Polynomial { total_iters, power } => write!(f, "poly:{total_iters}:{power}"),
            Self::Cyclic {
                base_lr,
                max_lr,
                step_size_up,
                step_size_down,
                mode,
                gamma,
            } => {
                write!(f, "cyclic:{base_lr}:{max_lr}:{step_size_up}:")?;
                match step_size_down {
                    Some(down) => write!(f, "{down}")?,
                    None => f.write_str("none")?,
                }
                write!(f, ":{}:{gamma}", mode.name())
            }
            Self::OneCycle {
                max_lr,
                total_steps,
                pct_start,
                anneal_strategy,
                div_factor,
                final_div_factor,
                three_phase,
            } => {
                write!(
                    f,
                    "onecycle:{max_lr}:{total_steps}:{pct_start}:{}:{div_factor}:{final_div_factor}",
                    anneal_strategy.name()
                )?;
                if *three_phase {
                    f.write_str(":three_phase")?;
                }
                Ok(())
            }
            Self::Warmup { iters, then } => write!(f, "warmup:{iters}:{then}"),
            Self::Plateau {
                factor,
                patience,
                threshold,
                cooldown,
                min_lr,
            } => write!(
                f,
                "plateau:{factor}:{patience}:{threshold}:{cooldown}:{min_lr}"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Schedule, String> {
        s.parse()
    }

    // Every form parses, shows as its full form and parses back to the same schedule.
    #[test]
    fn forms_round_trip() {
        for (text, full) in [
            ("constant", "constant"),
            ("step:3:0.5", "step:3:0.5"),
            ("multistep:30,80:0.5", "multistep:30,80:0.5"),
            ("multistep:10", "multistep:10:0.1"),
            ("exp:0.9", "exp:0.9"),
            ("cosine:10", "cosine:10:0"),
            ("restarts:4:2:0.01", "restarts:4:2:0.01"),
            ("constantlr", "constantlr:0.3333333333333333:5"),
            ("constantlr:0.5:20", "constantlr:0.5:20"),
            ("linear", "linear:0.3333333333333333:1:5"),
            ("linear:1:0.1:50", "linear:1:0.1:50"),
            ("poly:100:2", "poly:100:2"),
            ("poly", "poly:5:1"),
            (
                "cyclic:0.001:0.1",
                "cyclic:0.001:0.1:2000:none:triangular:1",
            ),
            (
                "cyclic:0.001:0.1:20:10",
                "cyclic:0.001:0.1:20:10:triangular:1",
            ),
            (
                "cyclic:0.001:0.1:20::exp_range:0.99",
                "cyclic:0.001:0.1:20:none:exp_range:0.99",
            ),
            ("onecycle:0.1:100", "onecycle:0.1:100:0.3:cos:25:10000"),
            (
                "onecycle:0.1:100:0.25:linear:10:100:three_phase",
                "onecycle:0.1:100:0.25:linear:10:100:three_phase",
            ),
            ("warmup:10:cosine:90", "warmup:10:cosine:90:0"),
            ("warmup:5:constant", "warmup:5:constant"),
            ("plateau", "plateau:0.1:10:0.0001:0:0"),
            ("plateau:0.5:3:0.01:2:0.001", "plateau:0.5:3:0.01:2:0.001"),
        ] {
            let s = parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(s.to_string(), full, "{text}");
            assert_eq!(parse(&s.to_string()), Ok(s), "{text}");
        }
    }

    // Torch's defaults fill what is left out.
    #[test]
    fn defaults_are_torchs() {
        assert_eq!(
            parse("onecycle:0.2:50"),
            Ok(Schedule::OneCycle {
                max_lr: 0.2,
                total_steps: 50,
                pct_start: 0.3,
                anneal_strategy: Anneal::Cos,
                div_factor: 25.0,
                final_div_factor: 1e4,
                three_phase: false,
            })
        );
        assert_eq!(
            parse("plateau"),
            Ok(Schedule::Plateau {
                factor: 0.1,
                patience: 10,
                threshold: 1e-4,
                cooldown: 0,
                min_lr: 0.0,
            })
        );
    }

    // A wrong number names itself and says why (the words of each message, split by |).
    #[test]
    fn errors_say_which_number_and_why() {
        for (text, words) in [
            (
                "multistep:30,20:0.5",
                "milestones must increase|20 follows 30",
            ),
            ("multistep:a,20", "milestone must be a whole number|\"a\""),
            ("constantlr:1.5", "constantlr factor|1.5"),
            ("constantlr:0:5", "constantlr factor|above 0"),
            ("linear:0:1:5", "start_factor|above 0"),
            ("linear:0.5:2:5", "end_factor|2"),
            ("linear:0.5:1:0", "linear total_iters|at least 1"),
            ("poly:10:-1", "poly power|-1"),
            ("cyclic:0.1", "cyclic needs MAX_LR"),
            ("cyclic:0.001:0.1:0", "cyclic step_size_up|at least 1"),
            ("cyclic:0.001:0.1:10:5:wobble", "MODE|wobble"),
            ("onecycle:0.1", "onecycle needs TOTAL"),
            ("onecycle:0.1:10:1.5", "pct_start|1.5"),
            ("onecycle:0.1:10:0.1", "no length"),
            ("onecycle:0.1:10:0.3:square", "ANNEAL|square"),
            ("warmup:0:constant", "warmup ITERS|at least 1"),
            ("warmup:10", "warmup needs ITERS and THEN"),
            ("warmup:10:plateau", "cannot be followed|reduce on plateau"),
            ("warmup:10:cosine:0", "T_max"),
            ("plateau:1", "plateau factor|below 1"),
            ("plateau:0.5:x", "PATIENCE|whole number"),
            ("plateau:0.5:2:0:0:0:9", "too many numbers"),
            ("step:3", "step needs GAMMA"),
            ("wobble", "unknown schedule|plateau"),
        ] {
            let err = parse(text).expect_err(text);
            for w in words.split('|') {
                assert!(err.contains(w), "{text}: {err:?} lacks {w:?}");
            }
        }
    }
}
