//! `firedrill whatif FILE`: the scenario as written and under each mitigation firedrill derives
//! from it (and the scenario's own), with the smallest sets that save the team.

use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{say, tell, tell_raw};

use harness::runner::{Problem, run_file, runtime};
use harness::whatif::{Source, html_section, markdown, matrix, sufficient, text};

#[derive(clap::Args)]
pub struct Args {
    /// The scenario file.
    file: PathBuf,
    /// Output: a table (default), json, markdown (for a pull-request comment), or html (the
    /// incident's page with the matrix after its picture).
    #[arg(long, value_parser = ["text", "json", "markdown", "html"], default_value = "text")]
    format: String,
    /// Override the scenario's seed.
    #[arg(long)]
    seed: Option<u64>,
}

pub fn whatif(args: Args) -> ExitCode {
    match go(&args) {
        Ok(code) => code,
        Err(p) => {
            tell!("error {}", args.file.display());
            tell_raw!("{}", p.render());
            ExitCode::from(2)
        }
    }
}

fn go(args: &Args) -> Result<ExitCode, Problem> {
    let source = Source::read(&args.file, &args.file, args.seed)?;
    let rt = runtime()?;
    let m = rt.block_on(matrix(&source))?;
    match args.format.as_str() {
        "json" => say!("{}", serde_json::to_string_pretty(&m).unwrap_or_default()),
        "markdown" => say!("{}", markdown(&m)),
        "html" => {
            // A file with a boundary table is one scenario per row; the page shows the first.
            let reports = run_file(&args.file, &args.file, args.seed)?;
            if let Some(report) = reports.first() {
                say!("{}", harness::report::html_with(report, &html_section(&m)));
            }
        }
        _ => say!("{}", text(&m)),
    }
    // `[expect] sufficient_mitigations`: each must save the team on its own.
    let wanted = &source.scenario.expect.sufficient_mitigations;
    let mut failed = 0;
    for (name, result) in rt.block_on(sufficient(&source, wanted))? {
        match result {
            Ok(o) if o.saved => {}
            Ok(o) => {
                failed += 1;
                tell!("✗ expected `{name}` to be sufficient; under it: {}, worst loss {}", o.lost.join(", "), o.data_loss);
            }
            Err(why) => {
                failed += 1;
                tell!("✗ {why}");
            }
        }
    }
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
