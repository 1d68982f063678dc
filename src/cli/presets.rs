//! `losscape presets`: every preset with its kind, formula, domain and known points.

use std::fmt::Write as _;
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
    super::print_all("presets", &listing())
}

/// The text `losscape presets` prints.
pub fn listing() -> String {
    let mut out = String::new();
    for group in PresetGroup::ALL {
        let _ = writeln!(out, "# {}", group.label());
        for p in presets().iter().filter(|p| p.group == group) {
            let _ = writeln!(out, "{}  ({})", p.name, p.kind.label());
            match (p.loss, p.dataset) {
                (Some(loss), Some(dataset)) => {
                    let _ = writeln!(out, "  model    {}", p.formula);
                    let _ = writeln!(out, "  loss     {loss}");
                    let _ = writeln!(out, "  dataset  {dataset}");
                }
                _ => {
                    let _ = writeln!(out, "  formula  {}", p.formula);
                }
            }
            match p.domain {
                Some(d) => {
                    let _ = writeln!(
                        out,
                        "  domain   w in [{}, {}], b in [{}, {}]",
                        d.w_min, d.w_max, d.b_min, d.b_max
                    );
                }
                None => {
                    let _ = writeln!(out, "  domain   follows the data");
                }
            }
            for k in p.known_points {
                let _ = writeln!(
                    out,
                    "  {:<15} at ({}, {}), J = {}",
                    point_kind_label(k.kind),
                    k.at[0],
                    k.at[1],
                    k.value
                );
            }
        }
        out.push('\n');
    }
    out
}
