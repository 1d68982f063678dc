//! `losscape run`: run an optimizer on a problem and print its trajectory as CSV.
//!
//! ```text
//! losscape run [EXPR|PRESET] [--dataset NAME|FILE.csv] [--model EXPR] [--loss NAME|EXPR]
//!              [--const NAME=VALUE]... --optimizer NAME [--lr F] [--lr-b F]
//!              [OPTIONS of the rule, torch's names: --momentum F --dampening F --nesterov
//!               --beta1 F --beta2 F --eps F --alpha F --weight-decay F --amsgrad
//!               --lr-decay F --initial-accumulator-value F --centered --rho F
//!               --momentum-decay F --decoupled-weight-decay --etas MINUS,PLUS
//!               --step-sizes MIN,MAX --lambd F --t0 F --beta2-decay F --eps2 F --d F
//!               --history-size N --max-iter N --max-eval N --tolerance-grad F
//!               --tolerance-change F --line-search none|strong_wolfe --shrink F --c1 F]
//!              [--batch-size N] [--steps N | --epochs N]   (--iterations N = --steps N)
//!              [--start W,B | --init zero|uniform|xavier] [--seed N]
//!              [--schedule SCHEDULE]   (constant, step:K:GAMMA, multistep:M1,M2,...[:GAMMA],
//!                exp:GAMMA, cosine:TMAX[:ETAMIN], restarts:T0[:TMULT[:ETAMIN]],
//!                constantlr[:FACTOR[:TOTAL]], linear[:START_FACTOR[:END_FACTOR[:TOTAL]]],
//!                poly[:TOTAL[:POWER]], cyclic:BASE_LR:MAX_LR[:STEP_UP[:STEP_DOWN[:MODE[:GAMMA]]]],
//!                onecycle:MAX_LR:TOTAL[:PCT_START[:ANNEAL[:DIV[:FINAL_DIV[:three_phase]]]]],
//!                warmup:ITERS:THEN, plateau[:FACTOR[:PATIENCE[:THRESHOLD[:COOLDOWN[:MIN_LR]]]]])
//!              [--tol EPS] [--grad-tol EPS] [--noise SIGMA] [--clip NORM] [--out FILE.csv]
//! ```
//!
//! Output: CSV with header `iteration,epoch,w,b,cost,grad_w,grad_b,lr`, row t holding the
//! parameters after t updates, the completed epochs, the full-data cost and gradient there
//! and the learning rate the next update uses (for gd-armijo, the step its line search
//! accepted); numbers in shortest round-trip form. For lbfgs one row is one
//! `optimizer.step(closure)`, however many times it evaluated J. The final status goes to
//! stderr as `status: ...`.
//!
//! Every iteration gets a row, but the full-data cost and gradient only where the run
//! computed them (`History::full_cost_stride`): on every row for function problems, mse fits
//! of affine models, full batches and newton; otherwise, when one full-data pass costs more
//! than 4 mini-batches (m > 4 B), every ceil(m / (4 B)) rows, at each epoch's end and on the
//! last row. The other rows leave `cost`, `grad_w` and `grad_b` empty, so an epoch costs a
//! few passes over the data rather than one per iteration (hours for B = 1 on 100,000 rows).

use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::optimizer_flags::OptimizerFlags;
use crate::cli::problem::{ProblemArgs, load_problem};
use crate::engine::optim::OptimizerKind;
use crate::engine::run::{
    CSV_COLUMNS, Initialization, MAX_ITERATIONS, Record, Run, RunSettings, Schedule,
};

/// Arguments of `losscape run`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The problem.
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// The update rule: gd, sgd, momentum, nesterov, asgd, adagrad, rmsprop, adadelta, adam,
    /// adamw, adamax, nadam, radam, adafactor, rprop, newton, lbfgs, gd-armijo.
    #[arg(long, value_name = "NAME")]
    pub optimizer: Option<String>,
    /// Learning rate (default: PyTorch's for the rule; gd/sgd/momentum/nesterov need one).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub lr: Option<f64>,
    /// A learning rate of b's own: w and b as two parameter groups (w's rate is --lr).
    #[arg(long, value_name = "F", allow_hyphen_values = true)]
    pub lr_b: Option<f64>,
    /// The rule's hyper-parameters.
    #[command(flatten)]
    pub hyper: OptimizerFlags,
    /// Examples per mini-batch of a data fit (default: all, batch gradient descent).
    #[arg(long, value_name = "N")]
    pub batch_size: Option<usize>,
    /// Number of iterations (default 100).
    #[arg(
        long,
        visible_alias = "iterations",
        value_name = "N",
        conflicts_with = "epochs"
    )]
    pub steps: Option<u64>,
    /// Number of epochs (passes over the data; one iteration each for a function).
    #[arg(long, value_name = "N")]
    pub epochs: Option<u64>,
    /// Starting point, e.g. --start -1.5,2.
    #[arg(
        long,
        value_name = "W,B",
        allow_hyphen_values = true,
        conflicts_with = "init"
    )]
    pub start: Option<String>,
    /// Initialization: zero (default), uniform (over the domain) or xavier (N(0, 1)).
    #[arg(long, value_name = "zero|uniform|xavier")]
    pub init: Option<String>,
    /// Seed of the random initialization, shuffles and simulated noise (default 0).
    #[arg(long, value_name = "N", default_value_t = 0)]
    pub seed: u64,
    /// Learning-rate schedule (torch's lr_scheduler, stepped after every update): constant,
    /// step:K:GAMMA, multistep:M1,M2,...[:GAMMA], exp:GAMMA, cosine:TMAX[:ETAMIN],
    /// restarts:T0[:TMULT[:ETAMIN]], constantlr[:FACTOR[:TOTAL]],
    /// linear[:START_FACTOR[:END_FACTOR[:TOTAL]]], poly[:TOTAL[:POWER]],
    /// cyclic:BASE_LR:MAX_LR[:STEP_UP[:STEP_DOWN[:MODE[:GAMMA]]]] (MODE triangular,
    /// triangular2 or exp_range), onecycle:MAX_LR:TOTAL[:PCT_START[:ANNEAL[:DIV[:FINAL_DIV]]]]
    /// (ANNEAL cos or linear; add :three_phase for three phases), warmup:ITERS:THEN (e.g.
    /// warmup:10:cosine:90), plateau[:FACTOR[:PATIENCE[:THRESHOLD[:COOLDOWN[:MIN_LR]]]]] (fed
    /// the full-data cost). Numbers left out take torch's defaults.
    #[arg(long, value_name = "SCHEDULE")]
    pub schedule: Option<String>,
    /// Stop when |J(t) - J(t-1)| < EPS.
    #[arg(long, value_name = "EPS", allow_hyphen_values = true)]
    pub tol: Option<f64>,
    /// Stop when the gradient norm < EPS.
    #[arg(long, value_name = "EPS", allow_hyphen_values = true)]
    pub grad_tol: Option<f64>,
    /// Simulated Gaussian gradient noise (standard deviation) for function problems.
    #[arg(long, value_name = "SIGMA", allow_hyphen_values = true)]
    pub noise: Option<f64>,
    /// Clip each gradient to this norm.
    #[arg(long, value_name = "NORM", allow_hyphen_values = true)]
    pub clip: Option<f64>,
    /// Write the CSV here instead of standard output.
    #[arg(long, value_name = "FILE.csv")]
    pub out: Option<PathBuf>,
}

/// Runs the subcommand: exit 0 with a finished run (whatever its status), 2 for bad
/// arguments, 1 when the output cannot be written.
pub fn execute(args: Args) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(message) => return fail(&message),
    };
    let data_fit = problem.objective.example_count() > 0;
    let settings = match settings_from(&args, data_fit) {
        Ok(s) => s,
        Err(message) => return fail(&message),
    };
    let mut run = match Run::new(problem.objective, settings) {
        Ok(run) => run,
        Err(e) => return fail(&e.to_string()),
    };
    let written = match &args.out {
        Some(path) => match std::fs::File::create(path) {
            Ok(file) => write_csv(&mut run, BufWriter::new(file)),
            Err(e) => Err(e),
        },
        None => write_csv(&mut run, BufWriter::new(std::io::stdout().lock())),
    };
    if let Err(e) = written {
        return super::write_failed("run", args.out.as_deref(), &e);
    }
    eprintln!("status: {}", run.status());
    ExitCode::SUCCESS
}

fn fail(message: &str) -> ExitCode {
    eprintln!("losscape run: {message}");
    ExitCode::from(2)
}

/// Steps the run to its end, writing each row as it is made.
fn write_csv(run: &mut Run, mut out: impl Write) -> std::io::Result<()> {
    writeln!(out, "{}", CSV_COLUMNS.join(","))?;
    let row = |out: &mut dyn Write, r: Record| writeln!(out, "{}", r.csv_fields().join(","));
    // A row is written once the update from it is done: a line search sets the row's
    // learning rate to the step it accepted.
    let mut written = 0;
    while run.step() {
        let history = run.history();
        while written + 1 < history.len()
            && let Some(r) = history.get(written)
        {
            row(&mut out, r)?;
            written += 1;
        }
    }
    let history = run.history();
    while let Some(r) = history.get(written) {
        row(&mut out, r)?;
        written += 1;
    }
    out.flush()
}

/// The rule `--optimizer` names (it is required wherever one rule runs).
pub(crate) fn optimizer_kind(args: &Args) -> Result<OptimizerKind, String> {
    match &args.optimizer {
        Some(name) => name.parse(),
        None => {
            let names: Vec<&str> = OptimizerKind::ALL.iter().map(|k| k.name()).collect();
            Err(format!(
                "--optimizer is required: one of {}",
                names.join(", ")
            ))
        }
    }
}

/// How [`settings_for`] treats flags the commands that pick the learning rate themselves
/// (range-test, race) do not need.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Leniency {
    /// The learning rate when `--lr` is absent and the rule has no default.
    pub learning_rate: Option<f64>,
    /// Skip hyper-parameter flags of other rules instead of refusing them.
    pub other_rules_flags: bool,
}

/// Turns the flags into run settings, rejecting flags that do not apply to the rule.
/// The base run's settings from the arguments (`losscape map` shares them).
pub(crate) fn settings_from(args: &Args, data_fit: bool) -> Result<RunSettings, String> {
    settings_for(args, data_fit, optimizer_kind(args)?, Leniency::default())
}

/// [`settings_from`] for the rule `kind`, with `leniency`.
pub(crate) fn settings_for(
    args: &Args,
    data_fit: bool,
    kind: OptimizerKind,
    leniency: Leniency,
) -> Result<RunSettings, String> {
    let optimizer = args.hyper.settings(kind, leniency.other_rules_flags)?;
    let learning_rate = match args
        .lr
        .or(kind.default_learning_rate())
        .or(leniency.learning_rate)
    {
        Some(lr) => lr,
        None => {
            return Err(format!(
                "{kind} needs a learning rate: add --lr, e.g. --lr 0.01"
            ));
        }
    };
    let init = match (&args.start, args.init.as_deref()) {
        (Some(text), _) => parse_start(text)?,
        (None, None | Some("zero")) => Initialization::Zero {},
        (None, Some("uniform")) => Initialization::Uniform {},
        (None, Some("xavier")) => Initialization::Xavier { fan_in: 1 },
        (None, Some(other)) => {
            return Err(format!(
                "unknown --init {other:?}; expected zero, uniform or xavier"
            ));
        }
    };
    let schedule = match &args.schedule {
        Some(text) => text.parse::<Schedule>()?,
        None => Schedule::Constant {},
    };
    if !data_fit && args.batch_size.is_some() {
        return Err(
            "--batch-size applies to data fits (--dataset); a function has no examples".into(),
        );
    }
    if data_fit && args.noise.is_some() {
        return Err(
            "--noise simulates mini-batch noise for function problems; a data fit gets real noise from --batch-size"
                .into(),
        );
    }
    let (max_iterations, max_epochs) = match (args.steps, args.epochs) {
        (_, Some(epochs)) => (MAX_ITERATIONS, Some(epochs)),
        (Some(steps), None) => (steps, None),
        (None, None) => (100, None),
    };
    if max_iterations > MAX_ITERATIONS {
        return Err(format!("--steps is limited to {MAX_ITERATIONS}"));
    }
    let settings = RunSettings {
        optimizer,
        learning_rate,
        learning_rate_b: args.lr_b,
        batch_size: args.batch_size,
        init,
        seed: args.seed,
        schedule,
        clip_norm: args.clip,
        simulated_noise: args.noise.unwrap_or(0.0),
        epsilon: args.tol,
        grad_tol: args.grad_tol,
        max_iterations,
        max_epochs,
        ..RunSettings::default()
    };
    settings
        .check()
        .map_err(|(field, m)| format!("{}: {m}", cli_option(field)))?;
    Ok(settings)
}

/// The option that sets a run field.
fn cli_option(field: crate::engine::run::RunField) -> &'static str {
    use crate::engine::run::RunField as F;
    match field {
        F::Name => "the run's name",
        F::Optimizer => "--optimizer",
        F::LearningRate => "--lr",
        F::LearningRateB => "--lr-b",
        F::BatchSize => "--batch-size",
        F::Init => "--start/--init",
        F::Seed => "--seed",
        F::Schedule => "--schedule",
        F::ClipNorm => "--clip",
        F::SimulatedNoise => "--noise",
        F::Epsilon => "--tol",
        F::GradTol => "--grad-tol",
        F::MaxIterations => "--steps",
        F::MaxEpochs => "--epochs",
    }
}

/// `W,B`, e.g. `-1.5,2`.
fn parse_start(text: &str) -> Result<Initialization, String> {
    let bad = || format!("--start expects W,B (two numbers), e.g. --start -1.5,2, not {text:?}");
    let (w, b) = text.split_once(',').ok_or_else(bad)?;
    let w: f64 = w.trim().parse().map_err(|_| bad())?;
    let b: f64 = b.trim().parse().map_err(|_| bad())?;
    if !(w.is_finite() && b.is_finite()) {
        return Err(bad());
    }
    Ok(Initialization::Manual { w, b })
}
