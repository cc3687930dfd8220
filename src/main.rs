//! `firedrill`: run drills, check scenario files, print the scenario JSON Schema and the gateway's
//! Cedar schema, and serve the mock Railway API.

mod cmd;

use cmd::out::say;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "firedrill", version, about = "Fire drills for your cloud setup: what survives an agent doing something destructive")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run scenario files and report what happened (exit 0: every expectation held; 1: one
    /// failed; 2: bad input).
    Run(cmd::run::Args),
    /// Validate scenario files without running them.
    Check {
        /// Scenario files or folders.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the scenario file format, for editors.
    Schema,
    /// Print the Cedar schema a `[gateway] cedar` policy file is validated against.
    CedarSchema,
    /// Serve the mock Railway GraphQL API on 127.0.0.1.
    Serve(cmd::serve::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => cmd::run::run(args),
        Command::Check { paths } => cmd::check(&paths),
        Command::Schema => {
            say!("{}", serde_json::to_string_pretty(&harness::scenario::json_schema()).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Command::CedarSchema => cmd::cedar_schema(),
        Command::Serve(args) => cmd::serve::serve(args),
    }
}
