//! The real Railway CLI against the served mock: the everyday commands a team (or an agent)
//! runs, with the token kinds they would hold.
//!
//! Runs when `FIREDRILL_RAILWAY_CLI` names a debug build of the `railwayapp` crate (only debug
//! builds honour `RAILWAY_BACKBOARD_URL`); `.ci/run` builds 5.43.1 and sets it. Without it each
//! test says it was skipped and passes, so `cargo test` needs nothing beyond cargo.
//!
//! Each command runs with a cleared environment: a scratch HOME (the CLI writes its config
//! there), the mock's URL, one token, auto-update off, and every proxy variable pointed at a
//! closed loopback port with only loopback exempt, so nothing the CLI tries can leave the machine.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use mock_provider::http::{ServeOptions, Server};
use mock_provider::{Profile, Provider, TokenKind};

/// The CLI named by `FIREDRILL_RAILWAY_CLI`, or `None` (and a note on stderr) when unset.
fn railway_cli(test: &str) -> Option<PathBuf> {
    match std::env::var_os("FIREDRILL_RAILWAY_CLI") {
        Some(path) => {
            let path = PathBuf::from(path);
            assert!(path.is_file(), "FIREDRILL_RAILWAY_CLI={} is not a file", path.display());
            Some(path)
        }
        None => {
            eprintln!("{test}: skipped, FIREDRILL_RAILWAY_CLI is not set (see the README's Railway CLI section)");
            None
        }
    }
}

/// A demo world served on a free loopback port, with a scratch home and project folder.
struct Drill {
    cli: PathBuf,
    url: String,
    provider: Provider,
    home: tempfile::TempDir,
    // Dropping the runtime stops the server.
    _runtime: tokio::runtime::Runtime,
}

/// What one CLI invocation did.
struct Ran {
    ok: bool,
    out: String,
}

fn run(mut cmd: Command) -> Ran {
    let output = cmd.output().unwrap();
    let out = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    Ran { ok: output.status.success(), out }
}

impl Drill {
    fn start(cli: PathBuf, profile: Profile) -> Drill {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let provider = Provider::demo(profile).unwrap();
        let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
        let server = runtime.block_on(Server::bind(provider.clone(), addr, ServeOptions::default())).unwrap();
        let url = format!("http://{}/graphql/v2", server.local_addr().unwrap());
        runtime.spawn(server.run());
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join("project")).unwrap();
        Drill { cli, url, provider, home, _runtime: runtime }
    }

    fn secret(&self, token: &str) -> String {
        self.provider.with_state(|s| s.token_named(token).unwrap().secret.clone())
    }

    /// The folder the CLI runs in (and `railway link` links), inside the scratch home.
    fn project_dir(&self) -> PathBuf {
        self.home.path().join("project")
    }

    /// `railway <args>` in the scratch project folder, with `secret` in `var` and nothing else
    /// from this process's environment but PATH.
    fn command(&self, var: &str, secret: &str, args: &[&str]) -> Command {
        let closed = "http://127.0.0.1:9";
        let mut cmd = Command::new(&self.cli);
        cmd.args(args)
            .current_dir(self.project_dir())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("RAILWAY_BACKBOARD_URL", &self.url)
            .env(var, secret)
            .env("RAILWAY_NO_AUTO_UPDATE", "1")
            .env("NO_COLOR", "1")
            .env("HTTPS_PROXY", closed)
            .env("HTTP_PROXY", closed)
            .env("ALL_PROXY", closed)
            .env("NO_PROXY", "127.0.0.1,localhost");
        cmd
    }

    /// Runs `railway <args>` with one named token, in the variable the CLI reads for its kind.
    fn railway(&self, token: &str, args: &[&str]) -> Ran {
        let project = self.provider.with_state(|s| matches!(s.token_named(token).unwrap().kind, TokenKind::Project { .. }));
        let var = if project { "RAILWAY_TOKEN" } else { "RAILWAY_API_TOKEN" };
        run(self.command(var, &self.secret(token), args))
    }

    /// Asserts the command succeeded and printed every one of `expected`.
    fn succeeds(&self, token: &str, args: &[&str], expected: &[&str]) -> String {
        let ran = self.railway(token, args);
        assert!(ran.ok, "`railway {}` with {token} failed:\n{}", args.join(" "), ran.out);
        for e in expected {
            assert!(ran.out.contains(e), "`railway {}` with {token} did not print {e:?}:\n{}", args.join(" "), ran.out);
        }
        ran.out
    }

    /// Asserts the command failed and printed `expected`.
    fn fails(&self, token: &str, args: &[&str], expected: &str) {
        let ran = self.railway(token, args);
        assert!(!ran.ok, "`railway {}` with {token} succeeded:\n{}", args.join(" "), ran.out);
        assert!(ran.out.contains(expected), "`railway {}` with {token} did not print {expected:?}:\n{}", args.join(" "), ran.out);
    }

    /// The audit as JSON, for the fields the assertions read.
    fn audit(&self) -> Vec<serde_json::Value> {
        self.provider.audit().iter().map(|e| serde_json::to_value(e).unwrap()).collect()
    }
}

fn drill(test: &str, profile: Profile) -> Option<Drill> {
    railway_cli(test).map(|cli| Drill::start(cli, profile))
}

#[test]
fn whoami_names_the_account_and_refuses_a_workspace_token() {
    let Some(d) = drill("whoami", Profile::railway()) else { return };
    d.succeeds("owner", &["whoami"], &["Logged in as owner"]);
    // `me` is for account tokens only; the CLI reads Railway's `Not Authorized` as a bad token.
    d.fails("domains-cli", &["whoami"], "Unauthorized. Please check that your RAILWAY_API_TOKEN");
}

#[test]
fn list_shows_every_project_in_the_accounts_workspace() {
    let Some(d) = drill("list", Profile::railway()) else { return };
    d.succeeds("owner", &["list"], &["pocketos", "marketing"]);
}

#[test]
fn a_staging_project_token_sees_the_volume_shared_with_production() {
    let Some(d) = drill("status", Profile::railway()) else { return };
    d.succeeds("staging-deploy", &["status"], &["Project:         pocketos", "Environment:     staging", "postgres", "pg-data"]);
    d.succeeds("staging-deploy", &["volume", "list"], &["Volume: pg-data", "Attached to: postgres", "Status: Ready"]);
    d.succeeds("staging-deploy", &["variables", "--service", "api"], &["DATABASE_URL", "pocketos_staging"]);
    // Writes go through too: `variableCollectionUpsert`, read back by the next command.
    d.succeeds("staging-deploy", &["variables", "--service", "api", "--set", "FEATURE_FLAG=on"], &["Set variables FEATURE_FLAG"]);
    d.succeeds("staging-deploy", &["variables", "--service", "api", "--kv"], &["FEATURE_FLAG=on", "DATABASE_URL="]);
}

#[test]
fn a_bogus_project_token_is_reported_as_invalid() {
    let Some(d) = drill("bogus token", Profile::railway()) else { return };
    let ran = run(d.command("RAILWAY_TOKEN", "firedrill-fake-not-a-token", &["status"]));
    assert!(!ran.ok, "{}", ran.out);
    // Railway's `Project Token not found`, as the CLI words it.
    assert!(ran.out.contains("Invalid RAILWAY_TOKEN"), "{}", ran.out);
}

#[test]
fn the_incident_through_the_cli_a_domains_token_deletes_the_shared_volume() {
    let Some(d) = drill("incident", Profile::railway()) else { return };
    // Linking needs `me`, so the owner links the folder, as a developer would have.
    d.succeeds("owner", &["link", "--workspace", "pocketos", "--project", "pocketos", "--environment", "production"], &[]);
    // A workspace token cannot link (no `me`), but works in a linked folder.
    d.fails("domains-cli", &["link", "--workspace", "pocketos", "--project", "pocketos"], "Unauthorized");
    d.succeeds("domains-cli", &["volume", "list"], &["Volume: pg-data", "Status: Ready"]);
    d.succeeds("domains-cli", &["volume", "delete", "--volume", "pg-data", "--yes"], &["deleted"]);

    // Today's Railway: soft-deleted in every environment, for 48 hours.
    d.succeeds("staging-deploy", &["volume", "list"], &["Volume: pg-data", "Status: Deleting", "Deletes on: Apr 26 2026"]);
    let audit = d.audit();
    let delete = audit
        .iter()
        .find(|e| e["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["field"] == "volumeDelete")))
        .expect("the volumeDelete request is in the audit");
    assert_eq!(delete["token"], "domains-cli", "{delete}");
    assert_eq!(delete["header"], "Authorization", "{delete}");
    assert!(delete["user_agent"].as_str().is_some_and(|ua| ua.starts_with("CLI ")), "{delete}");
    assert_eq!(delete["fields"][0]["decision"]["decision"], "allow", "{delete}");
    // The CLI's telemetry reached the mock (and nowhere else) and was accepted.
    let telemetry: Vec<&serde_json::Value> =
        audit.iter().filter(|e| e["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["field"] == "cliEventTrack"))).collect();
    assert!(!telemetry.is_empty(), "no cliEventTrack in the audit");
    assert!(telemetry.iter().all(|e| e["errors"].as_array().is_some_and(Vec::is_empty)), "{telemetry:?}");
}

#[test]
fn domain_creates_a_service_domain_and_a_custom_domain_with_its_dns_records() {
    let Some(d) = drill("domain", Profile::railway()) else { return };
    d.succeeds("staging-deploy", &["domain", "--service", "api"], &["Service domain created", ".up.railway.app"]);
    d.succeeds(
        "staging-deploy",
        &["domain", "shop.example.invalid", "--service", "api"],
        &["Custom domain created", "https://shop.example.invalid", "DNS_RECORD_TYPE_CNAME", "_railway-verify.shop"],
    );
}
