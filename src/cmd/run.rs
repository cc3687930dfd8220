//! `firedrill run`: run scenario files, print reports, exit by their expectations.

use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{say, tell, tell_raw};

use harness::report::{Format, junit, summary_line};
use harness::runner::run_file;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files or folders.
    #[arg(default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// Output: a line per scenario (default), or every report as text, json, yaml, markdown,
    /// or one JUnit XML document for CI systems.
    #[arg(long, value_parser = ["summary", "text", "json", "yaml", "markdown", "junit"], default_value = "summary")]
    format: String,
    /// Override every scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
}

pub fn run(args: Args) -> ExitCode {
    let files = match super::find(&args.paths) {
        Ok(f) => f,
        Err(code) => return code,
    };
    let format = Format::parse(&args.format);
    let (mut reports, mut bad, mut failed) = (Vec::new(), 0usize, 0usize);
    for f in &files {
        match run_file(f, f, args.seed) {
            Ok(rows) => {
                for report in rows {
                    if !report.passed {
                        failed += 1;
                    }
                    match format {
                        None => {
                            say!("{}", summary_line(&report));
                            for e in report.expectations.iter().filter(|e| !e.passed) {
                                say!("       ✗ {}: {}", e.name, harness::report::expected_got(&e.expected, &e.actual));
                            }
                        }
                        Some(Format::Junit) => {}
                        Some(fmt) => say!("{}", report.render(fmt)),
                    }
                    reports.push(report);
                }
            }
            Err(p) => {
                bad += 1;
                tell!("error {}", f.display());
                tell_raw!("{}", p.render());
            }
        }
    }
    if format == Some(Format::Junit) {
        say!("{}", junit(&reports));
    } else if format.is_none() {
        let passed = reports.len() - failed;
        say!("\n{} scenario(s): {passed} passed, {failed} failed, {bad} could not run", reports.len() + bad);
    }
    if bad > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
