//! The `losscape` binary: with no subcommand it opens the app; subcommands compute on the
//! command line (see README.md).
#![forbid(unsafe_code)]

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use losscape::cli;

/// See gradient descent: loss surfaces, exact derivatives and optimizers moving live.
#[derive(Parser)]
#[command(
    name = "losscape",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    app: cli::app::Args,
}

#[derive(Subcommand)]
enum Command {
    /// List every preset problem: name, kind, formula, domain and known minima.
    Presets(cli::presets::Args),
    /// Value, gradient and Hessian of J at one point.
    Eval(cli::eval::Args),
    /// Sample J on a grid; print min, max, argmin and the time taken.
    Grid(cli::grid::Args),
    /// List the stationary points of J with their type.
    Critical(cli::critical::Args),
    /// Run an optimizer and print its trajectory as CSV.
    Run(Box<cli::run::Args>),
    /// Many runs at once: one or two settings (start, learning rate, momentum...) varied
    /// over a grid; one CSV row per run with how it ended.
    Map(Box<cli::map::Args>),
    /// A learning-rate range test: one run whose learning rate grows every update; prints
    /// the cost per rate as CSV and suggests a rate.
    RangeTest(Box<cli::range_test::Args>),
    /// Several optimizers on one problem, each with its tuned learning rate, best first.
    Race(Box<cli::race::Args>),
    /// Print the link to a scenario file or a bundled lesson (the scene travels in the
    /// link; LOSSCAPE_WEB_URL is the page it points to).
    Link(cli::link::Args),
    /// Read scenario files (or the built-in lessons), simulate every run and step, and test
    /// what each lesson says the runs do.
    Check(cli::check::Args),
}

fn main() -> ExitCode {
    let parsed = Cli::parse();
    match parsed.command {
        Some(Command::Presets(a)) => cli::presets::execute(a),
        Some(Command::Eval(a)) => cli::eval::execute(a),
        Some(Command::Grid(a)) => cli::grid::execute(a),
        Some(Command::Critical(a)) => cli::critical::execute(a),
        Some(Command::Run(a)) => cli::run::execute(*a),
        Some(Command::Map(a)) => cli::map::execute(*a),
        Some(Command::RangeTest(a)) => cli::range_test::execute(*a),
        Some(Command::Race(a)) => cli::race::execute(*a),
        Some(Command::Link(a)) => cli::link::execute(a),
        Some(Command::Check(a)) => cli::check::execute(a),
        None => cli::app::execute(parsed.app),
    }
}
