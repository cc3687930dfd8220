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
    /// one JUnit XML document for CI systems, or html (one self-contained page per scenario).
    #[arg(long, value_parser = ["summary", "text", "json", "yaml", "markdown", "junit", "html"], default_value = "summary")]
    format: String,
    /// With `--format html`: write each scenario's page to DIR/<scenario>.html (needed for more
    /// than one scenario; one scenario's page goes to standard output without it).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
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
    if format == Some(Format::Html) && args.out.is_none() && files.len() > 1 {
        tell!("error: --format html writes one page per scenario, and {} scenarios were given", files.len());
        tell!("  help: add `--out DIR` to write DIR/<scenario>.html for each, or name one scenario file");
        return ExitCode::from(2);
    }
    if let Some(dir) = args.out.as_ref().filter(|_| format == Some(Format::Html))
        && let Err(e) = std::fs::create_dir_all(dir)
    {
        tell!("error: cannot create the folder {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let (mut reports, mut bad, mut failed) = (Vec::new(), 0usize, 0usize);
    for f in &files {
        match run_file(f, f, args.seed) {
            Ok(rows) => {
                for report in rows {
                    if !report.passed {
                        failed += 1;
                    }
                    match (format, &args.out) {
                        (None, _) => {
                            say!("{}", summary_line(&report));
                            for e in report.expectations.iter().filter(|e| !e.passed) {
                                say!("       ✗ {}: {}", e.name, harness::report::expected_got(&e.expected, &e.actual));
                            }
                        }
                        (Some(Format::Junit), _) => {}
                        (Some(Format::Html), Some(dir)) => {
                            let path = dir.join(format!("{}.html", report.scenario));
                            match std::fs::write(&path, report.render(Format::Html)) {
                                Ok(()) => say!("wrote {}", path.display()),
                                Err(e) => {
                                    tell!("error: cannot write {}: {e}", path.display());
                                    bad += 1;
                                }
                            }
                        }
                        (Some(fmt), _) => say!("{}", report.render(fmt)),
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
