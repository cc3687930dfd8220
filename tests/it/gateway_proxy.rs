//! The team's own proxy as the gateway layer, played by a real off-the-shelf reverse proxy:
//! HAProxy from Debian's packages, configured (`testdata/haproxy/haproxy.cfg`) to buffer each
//! request body and refuse bodies naming a destructive mutation. The run starts it on loopback,
//! tells it where the mock listens, and stops it at the end. Without HAProxy installed the
//! tests say so and pass; CI installs it.

use std::path::{Path, PathBuf};

use firedrill::{Drill, IncidentReport, Layer, StoppedBy};

/// HAProxy's binary: on `PATH`, or where Debian puts it (`/usr/sbin` is not on every `PATH`).
fn haproxy() -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>());
    on_path.chain([PathBuf::from("/usr/sbin")]).map(|dir| dir.join("haproxy")).find(|p| p.is_file())
}

/// The incident with the team's HAProxy in front of the provider, and the agent's extra
/// `steps` before the delete; in a scratch folder with the proxy's configuration beside it.
fn incident_behind_haproxy(binary: &Path, steps: &str) -> (tempfile::TempDir, PathBuf) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scratch = tempfile::tempdir().unwrap();
    std::fs::copy(repo.join("tests/it/testdata/haproxy/haproxy.cfg"), scratch.path().join("haproxy.cfg")).unwrap();
    let incident = std::fs::read_to_string(repo.join("scenarios/pocketos-2026-04.toml")).unwrap();
    let (world, rest) = incident.split_once("[[agent.step]]").expect("the incident has agent steps");
    let (incident_steps, _expectations) = rest.split_once("[expect]").expect("the incident has expectations");
    let delete = format!("[[agent.step]]{incident_steps}");
    let (search, delete) = delete.split_once("\n[[agent.step]]").unwrap();
    let gateway = format!("[gateway]\nproxy = {{ command = [{:?}, \"-db\", \"-f\", \"haproxy.cfg\"] }}\n\n", binary.to_string_lossy());
    let text = format!("{world}{search}\n{steps}\n[[agent.step]]{delete}\n{gateway}");
    let file = scratch.path().join("incident.toml");
    std::fs::write(&file, text).unwrap();
    (scratch, file)
}

fn run(file: &Path) -> IncidentReport {
    Drill::from_file(file).unwrap().run().unwrap_or_else(|e| panic!("{e:?}"))
}

const LIST_PROJECTS: &str = r#"
[[agent.step]]
shell = '''curl -X POST https://backboard.railway.app/graphql/v2 -H "Authorization: Bearer ${found:domains-cli}" -d '{"query":"query { projects { edges { node { name } } } }"}' '''
"#;

#[test]
fn haproxy_refusing_destructive_bodies_stops_the_incident_and_the_report_quotes_its_answer() {
    let Some(binary) = haproxy() else {
        eprintln!("skipped: HAProxy is not installed (apt-get install haproxy)");
        return;
    };
    let (_scratch, file) = incident_behind_haproxy(&binary, "");
    let report = run(&file);
    assert_eq!(report.stopped_by(), [StoppedBy::from(Layer::Gateway)]);
    let attempt = &report.destructive_attempts[0];
    assert!(attempt.reason.contains("HTTP 403"), "{}", attempt.reason);
    assert!(attempt.reason.contains("blocked by the team's proxy"), "the proxy's own answer is quoted: {}", attempt.reason);
    assert!(report.lost_volumes().is_empty(), "nothing reached the provider: {:?}", report.lost_volumes());
    assert!(attempt.effect.is_empty(), "{:?}", attempt.effect);
}

#[test]
fn a_read_passes_through_haproxy_and_the_report_records_what_came_out_the_other_side() {
    let Some(binary) = haproxy() else {
        eprintln!("skipped: HAProxy is not installed (apt-get install haproxy)");
        return;
    };
    let (_scratch, file) = incident_behind_haproxy(&binary, LIST_PROJECTS);
    let report = run(&file);
    let read = report
        .timeline
        .iter()
        .find(|e| e.step == Some(2) && e.decisions.iter().any(|d| d.layer == Layer::Gateway))
        .unwrap_or_else(|| panic!("the read met the gateway: {:#?}", report.timeline));
    let gateway = read.decisions.iter().find(|d| d.layer == Layer::Gateway).unwrap();
    assert!(gateway.reason.contains("the proxy passed it on (HTTP 200)"), "{}", gateway.reason);
    assert!(gateway.reason.contains("token `domains-cli`"), "the provider's own record names the token: {}", gateway.reason);
    assert!(read.decisions.iter().any(|d| d.layer == Layer::Provider), "the provider answered it: {:?}", read.decisions);
    assert_eq!(report.stopped_by(), [StoppedBy::from(Layer::Gateway)], "and the delete after it is still refused");
}

#[test]
fn a_proxy_that_cannot_start_is_an_error_naming_what_it_printed_not_a_pass() {
    let Some(binary) = haproxy() else {
        eprintln!("skipped: HAProxy is not installed (apt-get install haproxy)");
        return;
    };
    let (scratch, file) = incident_behind_haproxy(&binary, "");
    std::fs::write(scratch.path().join("haproxy.cfg"), "frontend broken\n    bind not-an-address\n").unwrap();
    let err = Drill::from_file(&file).unwrap().run().expect_err("a proxy that exits is bad input");
    let shown = format!("{err:?}");
    assert!(shown.contains("haproxy.cfg:2"), "HAProxy's own complaint, with its line, is in the error: {shown}");
}
