//! `firedrill`: run drills, check scenario files (and agent runtime settings files), explain what
//! a team's agent runtime settings decide, analyse what tokens and the agent can reach (`scope`),
//! run generated agents (`fuzz`), weigh mitigations (`whatif`), print the scenario JSON Schema and
//! the gateway's Cedar schema, and serve the mock Railway API.

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
    /// Validate scenario files without running them; a settings file (`.claude/settings.json`,
    /// `.cursor/cli.json`, …) is checked as its runtime reads it.
    Check {
        /// Scenario files or folders, or agent runtime settings files.
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Would my agent runtime's settings stop this? The decision, the rule that decided it, the
    /// leaks and the settings' findings, simulated from documented rules (exit 2: bad input).
    Explain(cmd::explain::Args),
    /// What every token, and the agent, can reach in a scenario's world, without running it;
    /// with `--baseline`, exit 1 when reach grew (2: bad input).
    Scope(cmd::scope::Args),
    /// Run a scenario's `[generate]` campaign: generated agents against its world, every
    /// `[invariants]` checked after each run, the first failing program shrunk to a scenario file
    /// (exit 0: every invariant held; 1: a violation, or no destructive call reached the
    /// provider; 2: bad input).
    Fuzz(cmd::fuzz::Args),
    /// Print the JSON Schema of the scenario file format, for editors.
    Schema,
    /// Print the Cedar schema a `[gateway] cedar` policy file is validated against.
    CedarSchema,
    /// Serve the mock Railway GraphQL API on 127.0.0.1.
    Serve(cmd::serve::Args),
    /// Which mitigation would have saved us? The scenario as written and under each mitigation
    /// derived from it, and the smallest sets that keep the loss within tolerance (exit 1: a
    /// mitigation `[expect] sufficient_mitigations` names is not; 2: bad input).
    Whatif(cmd::whatif::Args),
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Run(args) => cmd::run::run(args),
        Command::Check { paths } => cmd::check(&paths),
        Command::Explain(args) => cmd::explain::explain(args),
        Command::Scope(args) => cmd::scope::scope(args),
        Command::Fuzz(args) => cmd::fuzz::fuzz(args),
        Command::Schema => {
            say!("{}", serde_json::to_string_pretty(&harness::scenario::json_schema()).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Command::CedarSchema => cmd::cedar_schema(),
        Command::Serve(args) => cmd::serve::serve(args),
        Command::Whatif(args) => cmd::whatif::whatif(args),
    }
}
