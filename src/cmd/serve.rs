//! `firedrill serve`: the mock Railway API over HTTP, for people, the Railway CLI and real agents.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use super::out::{say, tell, tell_raw};
use std::sync::Arc;

use clap::ValueEnum;
use harness::Run;
use harness::runner::report_hook;
use mock_provider::http::{RateLimit, ServeOptions, Server};
use mock_provider::{PROFILE_NAMES, ProfileName};

/// The demo world: the incident's scenario file, built into the binary.
const DEMO: &str = include_str!("../../scenarios/pocketos-2026-04.toml");

#[derive(clap::Args)]
pub struct Args {
    /// Serve the demo world: `scenarios/pocketos-2026-04.toml` under `--profile`.
    #[arg(long, conflicts_with = "scenario")]
    demo: bool,
    /// Serve a scenario's world, tokens and clock; `GET /_firedrill/report` reports on it.
    #[arg(long)]
    scenario: Option<PathBuf>,
    /// Port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 4000)]
    port: u16,
    /// Provider profile for `--demo`: railway-2026-04, railway or hardened.
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

pub fn serve(args: Args) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            tell!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(serve_async(args))
}

async fn serve_async(args: Args) -> ExitCode {
    let mut options = ServeOptions {
        rate_limit: args.rate_limit.map(|p| match p {
            Plan::Hobby => RateLimit::HOBBY,
            Plan::Pro => RateLimit::PRO,
        }),
        ..ServeOptions::default()
    };
    // `--demo` is the incident's scenario, built into the binary, under the chosen profile.
    let (shown, text) = if let Some(path) = &args.scenario {
        match std::fs::read_to_string(path) {
            Ok(t) => (path.display().to_string(), t),
            Err(e) => {
                tell!("error: cannot read `{}`: {e}", path.display());
                return ExitCode::from(2);
            }
        }
    } else if args.demo {
        ("scenarios/pocketos-2026-04.toml".to_string(), DEMO.to_string())
    } else {
        tell!("error: nothing to serve\n  help: pass `--demo`, or `--scenario scenarios/pocketos-2026-04.toml`");
        return ExitCode::from(2);
    };
    let mut scenario = match harness::scenario::load(&shown, &text) {
        Ok(s) => s,
        Err(errors) => {
            tell_raw!("{}", harness::runner::Problem::Invalid(errors).render());
            return ExitCode::from(2);
        }
    };
    if args.demo {
        scenario.provider.profile = match ProfileName::from_name(&args.profile) {
            Some(p) => p,
            None => {
                tell!("error: unknown profile `{}`\n  help: choose one of {}", args.profile, PROFILE_NAMES.join(", "));
                return ExitCode::from(2);
            }
        };
    }
    let what = if args.demo { "the demo world (the April 2026 incident)".to_string() } else { format!("scenario `{}`", scenario.name) };
    let run = match Run::start(scenario, &shown).await {
        Ok(r) => Arc::new(r),
        Err(e) => {
            tell!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let provider = run.provider().clone();
    options.report = Some(report_hook(run));
    let addr = SocketAddr::from(([127, 0, 0, 1], args.port));
    let server = match Server::bind(provider.clone(), addr, options).await {
        Ok(s) => s,
        Err(e) => {
            tell!("error: cannot listen on {addr}: {e}\n  help: pass `--port 0` to pick a free port");
            return ExitCode::from(2);
        }
    };
    // Build the schema before announcing readiness, so the first request is as fast as the rest.
    let _ = mock_provider::schema();
    let local = server.local_addr().map(|a| a.to_string()).unwrap_or_else(|_| addr.to_string());
    let profile = provider.with_state(|s| s.profile().name.clone());
    say!("firedrill: mock Railway API serving {what} ({profile} profile) at http://{local}/graphql/v2");
    say!(
        "  clock: {}  (advance: curl -X POST http://{local}/_firedrill/clock/advance -H 'content-type: application/json' -d '{{\"by\": \"48h\"}}')",
        provider.now()
    );
    say!("  tokens (fake secrets; account/workspace: `Authorization: Bearer`, project: `Project-Access-Token`):");
    provider.with_state(|s| {
        let mut tokens: Vec<_> = s.tokens().values().collect();
        tokens.sort_by(|a, b| (a.created_at, &a.name).cmp(&(b.created_at, &b.name)));
        for t in tokens {
            say!("    {:<18} {:<10} {}", t.name, t.kind.label(), t.secret);
        }
    });
    say!("ready");
    match server.run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tell!("error: server stopped: {e}");
            ExitCode::FAILURE
        }
    }
}
