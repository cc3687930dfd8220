//! The real Railway CLI against the served mock: the everyday commands a team (or an agent)
//! runs, with the token kinds they would hold, asserting what the CLI printed and, where the
//! command changes the world, what changed in the mock.
//!
//! Runs when `FIREDRILL_RAILWAY_CLI` names a debug build of the `railwayapp` crate (only debug
//! builds honour `RAILWAY_BACKBOARD_URL`); `.ci/run` builds 5.71.0 and sets it. Without it each
//! test says it was skipped and passes, so `cargo test` needs nothing beyond cargo.
//!
//! Each command runs with a cleared environment: a scratch HOME (the CLI writes its config
//! there), the mock's URL, the token(s), auto-update off, and every proxy variable pointed at a
//! closed loopback port with only loopback exempt, so nothing the CLI tries can leave the machine.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;

use mock_provider::http::{ServeOptions, Server};
use mock_provider::{Id, Profile, Provider, State, TokenKind};

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

/// The environment variable the CLI reads for a token of this kind.
fn variable_for(kind: &TokenKind) -> &'static str {
    match kind {
        TokenKind::Project { .. } => "RAILWAY_TOKEN",
        TokenKind::Account { .. } | TokenKind::Workspace { .. } => "RAILWAY_API_TOKEN",
    }
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
        std::fs::create_dir(home.path().join("unlinked")).unwrap();
        Drill { cli, url, provider, home, _runtime: runtime }
    }

    /// A demo token's variable and secret, taken before a command can delete it.
    fn credential(&self, token: &str) -> (&'static str, String) {
        self.provider.with_state(|s| {
            let t = s.token_named(token).unwrap_or_else(|| panic!("no token named {token}"));
            (variable_for(&t.kind), t.secret.clone())
        })
    }

    /// The folder the CLI runs in (and `railway link` links), inside the scratch home.
    fn project_dir(&self) -> PathBuf {
        self.home.path().join("project")
    }

    /// `railway <args>` in `dir`, with `credentials` (variable, secret)
    /// and nothing else from this process's environment but PATH.
    fn command_in(&self, dir: PathBuf, credentials: &[(&str, &str)], args: &[&str]) -> Command {
        let closed = "http://127.0.0.1:9";
        let mut cmd = Command::new(&self.cli);
        cmd.args(args)
            .current_dir(dir)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("RAILWAY_BACKBOARD_URL", &self.url)
            .env("RAILWAY_NO_AUTO_UPDATE", "1")
            .env("NO_COLOR", "1")
            .env("HTTPS_PROXY", closed)
            .env("HTTP_PROXY", closed)
            .env("ALL_PROXY", closed)
            .env("NO_PROXY", "127.0.0.1,localhost");
        for (var, secret) in credentials {
            cmd.env(var, secret);
        }
        cmd
    }

    /// `railway <args>` in the project folder with `secret` in `var`.
    fn command(&self, var: &str, secret: &str, args: &[&str]) -> Command {
        self.command_in(self.project_dir(), &[(var, secret)], args)
    }

    /// Runs `railway <args>` with one named token, in the variable the CLI reads for its kind.
    fn railway(&self, token: &str, args: &[&str]) -> Ran {
        let (var, secret) = self.credential(token);
        run(self.command(var, &secret, args))
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

    /// The owner links the project folder to pocketos in `environment`, as a developer would
    /// have (linking needs `me`, so only an account token can).
    fn link(&self, environment: &str) {
        self.succeeds(
            "owner",
            &["link", "--workspace", "pocketos", "--project", "pocketos", "--environment", environment],
            &["Project pocketos linked successfully!"],
        );
    }

    fn state<T>(&self, f: impl FnOnce(&State) -> T) -> T {
        self.provider.with_state(f)
    }

    /// A demo id by project, then environment, service or volume name.
    fn pocketos(&self) -> Id {
        self.state(|s| s.project_id("pocketos").unwrap())
    }
    fn environment(&self, name: &str) -> Id {
        self.state(|s| s.environment_id(&s.project_id("pocketos").unwrap(), name).unwrap())
    }
    fn service(&self, name: &str) -> Id {
        self.state(|s| s.service_id(&s.project_id("pocketos").unwrap(), name).unwrap())
    }
    fn pg_data(&self) -> Id {
        self.state(|s| s.volume_id(&s.project_id("pocketos").unwrap(), "pg-data").unwrap())
    }

    /// The audit as JSON, for the fields the assertions read.
    fn audit(&self) -> Vec<serde_json::Value> {
        self.provider.audit().iter().map(|e| serde_json::to_value(e).unwrap()).collect()
    }

    /// Audit entries that asked for root field `field`.
    fn requests_for(&self, field: &str) -> Vec<serde_json::Value> {
        self.audit().into_iter().filter(|e| e["fields"].as_array().is_some_and(|f| f.iter().any(|f| f["field"] == field))).collect()
    }
}

fn drill(test: &str, profile: Profile) -> Option<Drill> {
    railway_cli(test).map(|cli| Drill::start(cli, profile))
}

#[test]
fn whoami_names_the_account_and_refuses_a_workspace_or_project_token() {
    let Some(d) = drill("whoami", Profile::railway()) else { return };
    d.succeeds("owner", &["whoami"], &["Logged in as owner (owner@example.invalid)"]);
    // `me` is for account tokens only; the CLI reads Railway's `Not Authorized` as a bad token.
    d.fails("domains-cli", &["whoami"], "Unauthorized. Please check that your RAILWAY_API_TOKEN is valid");
    d.fails("staging-deploy", &["whoami"], "Unauthorized. Please check that your RAILWAY_TOKEN is valid");
}

#[test]
fn list_shows_an_account_every_project_of_its_workspace() {
    let Some(d) = drill("list", Profile::railway()) else { return };
    let out = d.succeeds("owner", &["list"], &["pocketos\n  marketing\n  pocketos"]);
    // No project is starred: the favorites were asked for and answered empty, so no marker.
    assert!(!out.contains('★'), "{out}");
    let favorites = d.requests_for("projectFavorites");
    assert_eq!(favorites.len(), 1, "{favorites:?}");
    assert_eq!(favorites[0]["fields"][0]["authorization"]["decision"]["decision"], "allow", "{favorites:?}");
    // The listing selects `me` beside the workspaces, so other tokens are refused outright.
    d.fails("domains-cli", &["list"], "Unauthorized. Please check that your RAILWAY_API_TOKEN is valid");
    d.fails("staging-deploy", &["list"], "Unauthorized. Please check that your RAILWAY_TOKEN is valid");
}

#[test]
fn link_writes_the_chosen_project_environment_and_service_into_the_cli_config() {
    let Some(d) = drill("link", Profile::railway()) else { return };
    d.succeeds(
        "owner",
        &["link", "--workspace", "pocketos", "--project", "pocketos", "--environment", "staging", "--service", "api"],
        &["Project pocketos linked successfully!"],
    );
    let config: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(d.home.path().join(".railway/config.json")).unwrap()).unwrap();
    let linked: Vec<&serde_json::Value> = config["projects"].as_object().unwrap().values().collect();
    assert_eq!(linked.len(), 1, "{config}");
    assert_eq!(linked[0]["projectPath"].as_str().map(PathBuf::from), Some(d.project_dir()), "{config}");
    assert_eq!(linked[0]["project"], d.pocketos(), "{config}");
    assert_eq!(linked[0]["environment"], d.environment("staging"), "{config}");
    assert_eq!(linked[0]["environmentName"], "staging", "{config}");
    assert_eq!(linked[0]["service"], d.service("api"), "{config}");
    // What the mock does not have, the CLI says it does not have.
    d.fails("owner", &["link", "--workspace", "pocketos", "--project", "pocketos", "--environment", "qa"], "Environment \"qa\" not found");
    // Linking lists workspaces through `me`: a workspace or project token cannot link.
    d.fails("domains-cli", &["link", "--workspace", "pocketos", "--project", "pocketos"], "Unauthorized");
    d.fails("staging-deploy", &["link", "--workspace", "pocketos", "--project", "pocketos"], "Unauthorized");
}

#[test]
fn status_shows_a_project_tokens_environment_and_a_linked_folders_to_an_api_token() {
    let Some(d) = drill("status", Profile::railway()) else { return };
    // RAILWAY_TOKEN: the project token names its own project and environment. Nothing runs,
    // so every service is offline; postgres carries the shared volume.
    d.succeeds(
        "staging-deploy",
        &["status"],
        &["Project:         pocketos", "Environment:     staging", "postgres: ○ Offline · pg-data", "api: ○ Offline"],
    );
    // RAILWAY_API_TOKEN: a workspace token needs a linked folder, and sees production's domain.
    d.fails("domains-cli", &["status"], "No linked project found");
    d.link("production");
    d.succeeds(
        "domains-cli",
        &["status"],
        &["Workspace:       pocketos", "Environment:     production", "api: ○ Offline · https://api.pocketos.example"],
    );
    // With both set, RAILWAY_TOKEN wins, as Railway documents: staging, despite the link.
    let (_, project) = d.credential("staging-deploy");
    let (_, workspace) = d.credential("domains-cli");
    let both = run(d.command_in(d.project_dir(), &[("RAILWAY_TOKEN", &project), ("RAILWAY_API_TOKEN", &workspace)], &["status"]));
    assert!(both.ok && both.out.contains("Environment:     staging"), "{}", both.out);
    // A folder linked nowhere gives an API token nothing to show.
    let unlinked = run(d.command_in(d.home.path().join("unlinked"), &[("RAILWAY_API_TOKEN", &workspace)], &["status"]));
    assert!(!unlinked.ok && unlinked.out.contains("No linked project found"), "{}", unlinked.out);
}

#[test]
fn a_staging_project_token_sees_the_volume_shared_with_production_and_sets_its_variables() {
    let Some(d) = drill("volume list and variables", Profile::railway()) else { return };
    d.succeeds(
        "staging-deploy",
        &["volume", "list"],
        &["Environment: staging", "Volume: pg-data", "Attached to: postgres", "Status: Ready"],
    );
    d.succeeds("staging-deploy", &["variables", "--service", "api"], &["DATABASE_URL", "pocketos_staging"]);
    // Writes go through too: `variableCollectionUpsert`, read back by the next command.
    d.succeeds("staging-deploy", &["variables", "--service", "api", "--set", "FEATURE_FLAG=on"], &["Set variables FEATURE_FLAG"]);
    d.succeeds("staging-deploy", &["variables", "--service", "api", "--kv"], &["FEATURE_FLAG=on", "DATABASE_URL="]);
    let (staging, production, api) = (d.environment("staging"), d.environment("production"), d.service("api"));
    let flag = |env: &Id| {
        d.state(|s| {
            s.variables()
                .iter()
                .find(|(scope, _)| &scope.environment_id == env && scope.service_id.as_ref() == Some(&api))
                .and_then(|(_, vars)| vars.get("FEATURE_FLAG").cloned())
        })
    };
    assert_eq!(flag(&staging).as_deref(), Some("on"));
    assert_eq!(flag(&production), None, "staging's --set reached production");
    // RAILWAY_API_TOKEN in a folder linked to production reads production's.
    d.link("production");
    d.succeeds("domains-cli", &["volume", "list"], &["Environment: production", "Volume: pg-data"]);
    let out = d.succeeds(
        "domains-cli",
        &["variables", "--service", "api", "--kv"],
        &["DATABASE_URL=postgresql://fake:fake@postgres.railway.internal:5432/pocketos\n"],
    );
    assert!(!out.contains("FEATURE_FLAG"), "{out}");
}

#[test]
fn volume_update_moves_a_mount_in_the_tokens_environment_and_renames_only_with_reach_over_both() {
    let Some(d) = drill("volume update", Profile::railway()) else { return };
    let pg_data = d.pg_data();
    let mount = |env: &str| {
        let env = d.environment(env);
        d.state(|s| s.volume_instances().values().find(|i| i.volume_id == pg_data && i.environment_id == env).unwrap().mount_path.clone())
    };
    d.succeeds(
        "staging-deploy",
        &["volume", "update", "--volume", "pg-data", "--mount-path", "/data"],
        &["Successfully updated the mount path of volume \"pg-data\" to \"/data\""],
    );
    assert_eq!((mount("staging"), mount("production")), ("/data".to_string(), "/var/lib/postgresql/data".to_string()));
    // The name is the whole volume's, production's instance included: beyond a staging token.
    d.fails("staging-deploy", &["volume", "update", "--volume", "pg-data", "--name", "pg-main"], "Unauthorized");
    assert_eq!(d.state(|s| s.volumes()[&pg_data].name.clone()), "pg-data");
    d.link("production");
    d.succeeds(
        "domains-cli",
        &["volume", "update", "--volume", "pg-data", "--name", "pg-main"],
        &["Successfully updated the name of volume \"pg-data\" to \"pg-main\""],
    );
    assert_eq!(d.state(|s| s.volumes()[&pg_data].name.clone()), "pg-main");
    d.succeeds("staging-deploy", &["volume", "list"], &["Volume: pg-main", "Mount path: /data"]);
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
    d.link("production");
    d.succeeds("domains-cli", &["volume", "list"], &["Volume: pg-data", "Status: Ready"]);
    d.succeeds("domains-cli", &["volume", "delete", "--volume", "pg-data", "--yes"], &["deleted"]);

    // Today's Railway: soft-deleted in every environment, for 48 hours.
    d.succeeds("staging-deploy", &["volume", "list"], &["Volume: pg-data", "Status: Deleting", "Deletes on: Apr 26 2026"]);
    let pg_data = d.pg_data();
    let pending = d.state(|s| s.volume_instances().values().filter(|i| i.volume_id == pg_data && i.pending_deletion).count());
    assert_eq!(pending, 2, "both environments' instances are pending deletion");
    let delete = d.requests_for("volumeDelete");
    assert_eq!(delete.len(), 1, "{delete:?}");
    let delete = &delete[0];
    assert_eq!(delete["token"], "domains-cli", "{delete}");
    assert_eq!(delete["header"], "Authorization", "{delete}");
    assert!(delete["user_agent"].as_str().is_some_and(|ua| ua.starts_with("CLI 5.")), "{delete}");
    assert_eq!(delete["fields"][0]["authorization"]["decision"]["decision"], "allow", "{delete}");
    // The CLI's telemetry reached the mock (and nowhere else). 5.71.0 first sends a
    // `ttyStreams` field that Railway's published schema lacks, which fails validation as it
    // would there; its retry with the published input is accepted.
    let telemetry = d.requests_for("cliEventTrack");
    let (accepted, refused): (Vec<_>, Vec<_>) = telemetry.iter().partition(|e| e["errors"].as_array().is_some_and(Vec::is_empty));
    assert!(!accepted.is_empty(), "no accepted cliEventTrack in the audit: {telemetry:?}");
    assert!(refused.iter().all(|e| e.to_string().contains("ttyStreams")), "{refused:?}");
}

#[test]
fn domain_creates_a_service_domain_and_a_custom_domain_with_its_dns_records() {
    let Some(d) = drill("domain", Profile::railway()) else { return };
    d.succeeds("staging-deploy", &["domain", "--service", "api"], &["Service domain created", "https://api-staging-", ".up.railway.app"]);
    // Asked again, the CLI finds the one it made.
    d.succeeds("staging-deploy", &["domain", "--service", "api"], &["Domains already exist on the service", ".up.railway.app"]);
    d.succeeds(
        "staging-deploy",
        &["domain", "shop.example.invalid", "--service", "api"],
        &["Custom domain created", "https://shop.example.invalid", "DNS_RECORD_TYPE_CNAME", "_railway-verify.shop"],
    );
    let (staging, api) = (d.environment("staging"), d.service("api"));
    let service_domains = d.state(|s| s.service_domains().values().filter(|x| x.environment_id == staging && x.service_id == api).count());
    assert_eq!(service_domains, 1);
    let custom = d.state(|s| s.custom_domains().values().find(|x| x.domain == "shop.example.invalid").map(|x| x.environment_id.clone()));
    assert_eq!(custom, Some(staging));
}

#[test]
fn environment_lists_what_a_token_may_enter_and_delete_is_refused_outside_its_reach() {
    let Some(d) = drill("environment", Profile::railway()) else { return };
    // A staging project token sees production, but restricted.
    d.succeeds("staging-deploy", &["environment", "list"], &["production (restricted)", "staging (linked)"]);
    d.link("production");
    d.succeeds("domains-cli", &["environment", "list"], &["production (linked)\nstaging"]);
    // Railway refuses a project token anything outside its environment; the mock says so
    // through `canAccess`, and the CLI refuses before it sends the deletion.
    d.fails("staging-deploy", &["environment", "delete", "production", "--yes"], "Environment \"production\" is restricted.");
    assert!(d.requests_for("environmentDelete").is_empty(), "{:?}", d.requests_for("environmentDelete"));
    let production = d.environment("production");
    assert!(d.state(|s| s.environments().contains_key(&production)));
    // A workspace token may delete staging; the staging token dies with its environment.
    let staging = d.environment("staging");
    let (_, staging_token) = d.credential("staging-deploy");
    d.succeeds("domains-cli", &["environment", "delete", "staging", "--yes", "--json"], &[&format!("{{\"id\":\"{staging}\"}}")]);
    assert!(!d.state(|s| s.environments().contains_key(&staging)));
    let listed = d.succeeds("domains-cli", &["environment", "list"], &["production (linked)"]);
    assert!(!listed.contains("staging"), "{listed}");
    let ran = run(d.command("RAILWAY_TOKEN", &staging_token, &["status"]));
    assert!(!ran.ok && ran.out.contains("Invalid RAILWAY_TOKEN"), "{}", ran.out);
}

#[test]
fn down_and_logs_find_no_deployment_since_the_mock_runs_no_code() {
    let Some(d) = drill("down and logs", Profile::railway()) else { return };
    let before = d.provider.snapshot();
    d.fails("staging-deploy", &["down", "--service", "api", "--yes"], "No deployments found");
    d.fails("staging-deploy", &["logs", "--service", "api"], "No deployments found");
    d.link("production");
    d.fails("domains-cli", &["down", "--service", "api", "--yes"], "No deployments found");
    d.fails("domains-cli", &["logs", "--service", "api", "--lines", "10"], "No deployments found");
    // Each asked for the service's deployments, was allowed, and got none; nothing changed.
    let asked = d.requests_for("deployments");
    assert_eq!(asked.len(), 4, "{asked:?}");
    assert!(asked.iter().all(|e| e["fields"][0]["authorization"]["decision"]["decision"] == "allow"), "{asked:?}");
    assert_eq!(d.provider.snapshot().events().len(), before.events().len());
}
