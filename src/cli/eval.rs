//! `losscape eval`: value, gradient and Hessian of J at one point.

use std::process::ExitCode;

use super::problem::{ProblemArgs, load_problem};

/// Arguments of `losscape eval`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The problem.
    #[command(flatten)]
    pub problem: ProblemArgs,
    /// The point W,B, e.g. --at -1.5,2.
    #[arg(long, value_name = "W,B", allow_hyphen_values = true)]
    pub at: String,
    /// Print exactly one JSON object: {"value": V, "gradient": [GW, GB], "hessian": [[HWW, HWB], [HBW, HBB]]}.
    #[arg(long)]
    pub json: bool,
}

/// Parses `W,B` into a point.
pub fn parse_point(text: &str) -> Result<[f64; 2], String> {
    let parts: Vec<&str> = text.split(',').map(str::trim).collect();
    let [w, b] = parts[..] else {
        return Err(format!(
            "--at expects two numbers W,B, e.g. --at -1.5,2, not `{text}`"
        ));
    };
    let num = |s: &str| -> Result<f64, String> {
        match s.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(format!("--at: `{s}` is not a finite number")),
        }
    };
    Ok([num(w)?, num(b)?])
}

/// A number as JSON (non-finite numbers, which JSON cannot hold, become null).
pub fn json_number(v: f64) -> String {
    if v.is_finite() {
        format!("{v:?}")
    } else {
        "null".to_string()
    }
}

/// Runs the subcommand.
pub fn execute(args: Args) -> ExitCode {
    let problem = match load_problem(&args.problem) {
        Ok(p) => p,
        Err(e) => {
            eprint!("{e}");
            if !e.ends_with('\n') {
                eprintln!();
            }
            return ExitCode::from(2);
        }
    };
    let at = match parse_point(&args.at) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let d = problem.objective.derivatives(at);
    let (g, h) = (d.gradient, d.hessian);
    let text = if args.json {
        format!(
            "{{\"value\": {}, \"gradient\": [{}, {}], \"hessian\": [[{}, {}], [{}, {}]]}}\n",
            json_number(d.value),
            json_number(g[0]),
            json_number(g[1]),
            json_number(h[0][0]),
            json_number(h[0][1]),
            json_number(h[1][0]),
            json_number(h[1][1])
        )
    } else {
        let mut text = format!("{}\n", problem.description);
        for (name, value) in &problem.constants {
            text.push_str(&format!("constant  {name} = {value}\n"));
        }
        text.push_str(&format!("at        w = {}, b = {}\n", at[0], at[1]));
        text.push_str(&format!("value     {}\n", d.value));
        text.push_str(&format!("gradient  [{}, {}]\n", g[0], g[1]));
        text.push_str(&format!(
            "hessian   [[{}, {}], [{}, {}]]\n",
            h[0][0], h[0][1], h[1][0], h[1][1]
        ));
        text
    };
    super::print_all("eval", &text)
}
