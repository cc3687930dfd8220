//! `firedrill scope FILE`: what every token, and the agent, can reach in a scenario's world,
//! without running it; `--baseline` fails (exit 1) when reach grew since a committed baseline,
//! `--write-baseline` writes one.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use harness::runner::scope_file;
use harness::scope::{Baseline, markdown, text};

use super::out::{say, tell, tell_raw};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file.
    file: PathBuf,
    /// Output: text, json or markdown.
    #[arg(long, value_parser = ["text", "json", "markdown"], default_value = "text")]
    format: String,
    /// Compare with this baseline (JSON): exit 1, printing the new paths, when reach grew.
    #[arg(long, value_name = "BASELINE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Write the baseline of this world to this file.
    #[arg(long, value_name = "BASELINE")]
    write_baseline: Option<PathBuf>,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
}

/// A miette diagnostic, rendered for a terminal.
fn render(e: &dyn miette::Diagnostic) -> String {
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    if handler.render_report(&mut out, e).is_err() {
        out = e.to_string();
    }
    out
}

/// Reads the baseline at `path`; `Err` is the exit code, after saying why.
fn read_baseline(path: &Path) -> Result<Option<Baseline>, ExitCode> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            tell!("error: cannot read `{}`: {e}", path.display());
            return Err(ExitCode::from(2));
        }
    };
    match Baseline::parse(&path.display().to_string(), &text) {
        Ok(b) => Ok(Some(b)),
        Err(e) => {
            tell_raw!("{}", render(&*e));
            Err(ExitCode::from(2))
        }
    }
}

pub fn scope(args: Args) -> ExitCode {
    let report = match scope_file(&args.file, &args.file, args.seed) {
        Ok(r) => r,
        Err(p) => {
            tell!("error {}", args.file.display());
            tell_raw!("{}", p.render());
            return ExitCode::from(2);
        }
    };
    let current = Baseline::of(&report);
    if let Some(path) = &args.write_baseline {
        // A file that is there and is not a baseline is someone's: never replace it.
        if let Err(code) = read_baseline(path) {
            tell!("  help: `{}` is not a scope baseline, so it is left as it is; name another file", path.display());
            return code;
        }
        let text = current.to_text();
        let tmp = path.with_extension("json.tmp");
        let written = std::fs::write(&tmp, &text).and_then(|()| std::fs::rename(&tmp, path));
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            tell!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
        let lines: usize = current.tokens.values().map(|l| l.len()).sum();
        say!("wrote {}: {} token reach lines, {} agent paths", path.display(), lines, current.agent.len());
        return ExitCode::SUCCESS;
    }
    if let Some(path) = &args.baseline {
        let baseline = match read_baseline(path) {
            Ok(Some(b)) => b,
            Ok(None) => {
                tell!(
                    "error: no baseline at `{}`\n  help: write one with `firedrill scope {} --write-baseline {}`",
                    path.display(),
                    args.file.display(),
                    path.display()
                );
                return ExitCode::from(2);
            }
            Err(code) => return code,
        };
        let growth = baseline.compare(&current);
        if !growth.grew() {
            let shrank = if growth.shrank > 0 {
                format!(" ({} lines no longer reached: refresh it with `--write-baseline`)", growth.shrank)
            } else {
                String::new()
            };
            say!("reach within the baseline {}{shrank}", path.display());
            return ExitCode::SUCCESS;
        }
        say!("reach grew since the baseline {}:", path.display());
        for p in &growth.agent {
            say!("  new agent path: {p}");
        }
        for t in &growth.tokens {
            say!("  new token reach: {t}");
        }
        return ExitCode::from(1);
    }
    match args.format.as_str() {
        "json" => say!("{}", serde_json::to_string_pretty(&report).unwrap_or_default()),
        "markdown" => say!("{}", markdown(&report)),
        _ => say!("{}", text(&report)),
    }
    ExitCode::SUCCESS
}
