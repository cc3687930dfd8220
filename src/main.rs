//! `firedrill`: run drills, check scenario files, and serve the mock Railway API.

use std::net::SocketAddr;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mock_provider::http::{RateLimit, ServeOptions, Server};
use mock_provider::{PROFILE_NAMES, Profile, Provider};

#[derive(Parser)]
#[command(name = "firedrill", version, about = "Fire drills for your cloud setup: what survives an agent doing something destructive")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the mock Railway GraphQL API on 127.0.0.1.
    Serve(ServeArgs),
}

#[derive(clap::Args)]
struct ServeArgs {
    /// Serve the demo world (the April 2026 incident's workspace).
    #[arg(long)]
    demo: bool,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4000)]
    port: u16,
    /// Provider profile: railway-2026-04, railway or hardened.
    #[arg(long, default_value = "railway")]
    profile: String,
    /// Enforce Railway's hourly API limit on the simulated clock.
    #[arg(long, value_enum)]
    rate_limit: Option<Plan>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Plan {
    Hobby,
    Pro,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(args) => serve(args),
    }
}

fn serve(args: ServeArgs) -> ExitCode {
    let Some(profile) = Profile::named(&args.profile) else {
        eprintln!("error: unknown profile `{}`\n  help: choose one of {}", args.profile, PROFILE_NAMES.join(", "));
        return ExitCode::from(2);
    };
    if !args.demo {
        eprintln!("error: nothing to serve\n  help: pass `--demo` to serve the demo world");
        return ExitCode::from(2);
    }
    let provider = match Provider::demo(profile.clone()) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("error: the demo world could not be built: {e}");
            return ExitCode::from(2);
        }
    };
    let options = ServeOptions {
        rate_limit: args.rate_limit.map(|p| match p {
            Plan::Hobby => RateLimit::HOBBY,
            Plan::Pro => RateLimit::PRO,
        }),
        ..ServeOptions::default()
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async move {
        let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
        let server = match Server::bind(provider.clone(), addr, options).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot listen on {addr}: {e}\n  help: pass `--port 0` to pick a free port");
                return ExitCode::from(2);
            }
        };
        // Build the schema before announcing readiness, so the first request is as fast as the rest.
        let _ = mock_provider::schema();
        let local = server.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| addr.to_string());
        println!("firedrill: mock Railway API ({} profile) at http://{local}/graphql/v2", profile.name);
        println!("  clock: {}  (advance: POST http://{local}/_firedrill/clock/advance {{\"by\": \"48h\"}})", provider.now());
        println!("  tokens (fake secrets; account/workspace: Authorization: Bearer, project: Project-Access-Token):");
        provider.with_state(|s| {
            for t in s.tokens().values() {
                println!("    {:<18} {:<10} {}", t.name, t.kind.label(), t.secret);
            }
        });
        println!("ready");
        match server.run().await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: server stopped: {e}");
                ExitCode::FAILURE
            }
        }
    })
}
