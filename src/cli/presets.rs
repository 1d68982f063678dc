//! `losscape presets`: every preset with its kind, formula, domain and known points.

use std::process::ExitCode;

use crate::engine::PointKind;
use crate::engine::objective::{PresetGroup, presets};

/// Arguments of `losscape presets`.
#[derive(clap::Args, Debug)]
pub struct Args {}

/// The words for a kind of stationary point.
pub fn point_kind_label(kind: PointKind) -> &'static str {
    match kind {
        PointKind::GlobalMinimum => "global minimum",
        PointKind::LocalMinimum => "local minimum",
        PointKind::Maximum => "maximum",
        PointKind::Saddle => "saddle",
    }
}

/// Runs the subcommand.
pub fn execute(_args: Args) -> ExitCode {
    for group in PresetGroup::ALL {
        println!("# {}", group.label());
        for p in presets().iter().filter(|p| p.group == group) {
            println!("{}  ({})", p.name, p.kind.label());
            match (p.loss, p.dataset) {
                (Some(loss), Some(dataset)) => {
                    println!("  model    {}", p.formula);
                    println!("  loss     {loss}");
                    println!("  dataset  {dataset}");
                }
                _ => println!("  formula  {}", p.formula),
            }
            match p.domain {
                Some(d) => println!(
                    "  domain   w in [{}, {}], b in [{}, {}]",
                    d.w_min, d.w_max, d.b_min, d.b_max
                ),
                None => println!("  domain   follows the data"),
            }
            for k in p.known_points {
                println!(
                    "  {:<15} at ({}, {}), J = {}",
                    point_kind_label(k.kind),
                    k.at[0],
                    k.at[1],
                    k.value
                );
            }
        }
        println!();
    }
    ExitCode::SUCCESS
}
