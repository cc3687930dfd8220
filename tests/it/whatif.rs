//! `firedrill whatif`: the incident under each mitigation firedrill derives from it, the
//! scenario's own mitigations, the smallest sets that save the team, and `[expect]
//! sufficient_mitigations`.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn firedrill(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_firedrill")).args(args).current_dir(env!("CARGO_MANIFEST_DIR")).output().unwrap()
}

fn text(o: &[u8]) -> String {
    String::from_utf8_lossy(o).into_owned()
}

fn matrix(file: &str) -> Value {
    let out = firedrill(&["whatif", file, "--format", "json"]);
    assert!(out.status.code().is_some_and(|c| c < 2), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

fn row<'a>(m: &'a Value, id: &str) -> &'a Value {
    m["rows"].as_array().unwrap().iter().find(|r| r["id"] == id).unwrap_or_else(|| panic!("no row {id}: {m:#}"))
}

/// The incident with `extra` appended, in a scratch folder.
fn incident_with(extra: &str) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let source = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/pocketos-2026-04.toml")).unwrap();
    let file = dir.path().join("incident.toml");
    std::fs::write(&file, format!("{source}\n{extra}")).unwrap();
    let file = file.to_string_lossy().into_owned();
    (dir, file)
}

#[test]
fn the_incidents_matrix_names_the_layer_each_mitigation_stops_it_at() {
    let m = matrix("scenarios/pocketos-2026-04.toml");
    assert_eq!(m["baseline"]["saved"], false);
    for (id, layer) in [
        ("scope-token/domains-cli", "provider-auth"),
        ("token-out-of-repo/domains-cli", "provider-auth"),
        ("deletion-protection", "provider-auth"),
        ("runtime-deny-curl", "agent-runtime"),
        ("cedar-forbid-destructive-on-critical", "gateway"),
    ] {
        let r = row(&m, id);
        assert_eq!(r["outcome"]["saved"], true, "{id}: {r:#}");
        assert_eq!(r["outcome"]["stopped_by"][0], layer, "{id}: {r:#}");
    }
    // The off-site job kept running restores production, but staging's instance went with the
    // same delete and nothing backs it up: not enough on its own.
    assert_eq!(row(&m, "offsite-kept-running")["outcome"]["saved"], false);
    // A rule on `curl` is beaten by the same command behind `env`.
    assert_eq!(row(&m, "runtime-deny-curl")["wrapped"]["saved"], false);
    let sets: Vec<&Value> = m["minimal_sets"].as_array().unwrap().iter().collect();
    assert!(sets.iter().all(|s| s.as_array().unwrap().len() == 1), "single mitigations save the team: {sets:?}");
    assert!(sets.iter().any(|s| s[0] == "scope-token/domains-cli"));
    assert!(!sets.iter().any(|s| s[0] == "offsite-kept-running"));
}

#[test]
fn the_matrix_is_byte_identical_run_after_run() {
    let a = firedrill(&["whatif", "scenarios/pocketos-2026-04.toml", "--format", "json"]);
    let b = firedrill(&["whatif", "scenarios/pocketos-2026-04.toml", "--format", "json"]);
    assert_eq!(a.stdout, b.stdout);
}

#[test]
fn the_incidents_matrix_as_a_person_reads_it() {
    let out = firedrill(&["whatif", "scenarios/pocketos-2026-04.toml"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn a_patch_that_breaks_the_file_is_bad_input_named_as_the_patched_copy() {
    let (_dir, file) =
        incident_with(concat!("[whatif]\n", "[[whatif.mitigation]]\n", "name = \"no-projects\"\n", "patch = { project = [] }\n",));
    let out = firedrill(&["whatif", &file, "--format", "json"]);
    // Without projects, the scenario's own references name nothing: bad input, exit 2.
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stdout));
    assert!(text(&out.stderr).contains("under no-projects"), "{}", text(&out.stderr));
}

#[test]
fn the_scenarios_own_mitigation_is_a_patch_of_its_fields_and_gets_its_row() {
    let (_dir, file) = incident_with(concat!(
        "[whatif]\n",
        "tolerance = \"1d\"\n",
        "[[whatif.mitigation]]\n",
        "name = \"soft-delete-provider\"\n",
        "title = \"move to today's Railway, whose deletes are soft for 48 hours\"\n",
        "patch = { provider = { profile = \"railway\" } }\n",
    ));
    let m = matrix(&file);
    assert_eq!(m["tolerance"], "1d");
    let r = row(&m, "soft-delete-provider");
    assert_eq!(r["title"], "move to today's Railway, whose deletes are soft for 48 hours");
    assert_eq!(r["outcome"]["saved"], true, "{r:#}");
    assert_eq!(r["outcome"], row(&m, "profile/railway")["outcome"], "the same change as the built-in one, the same outcome");
}

#[test]
fn an_expect_that_a_mitigation_is_sufficient_fails_when_it_is_not() {
    let (_dir, file) = incident_with("");
    let text_of = std::fs::read_to_string(&file).unwrap();
    let patched =
        text_of.replace("[expect]\n", "[expect]\nsufficient_mitigations = [\"scope-token/domains-cli\", \"offsite-kept-running\"]\n");
    std::fs::write(&file, patched).unwrap();
    let out = firedrill(&["whatif", &file]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains("expected `offsite-kept-running` to be sufficient"), "{err}");
    assert!(!err.contains("scope-token/domains-cli` to be"), "{err}");
    let run = firedrill(&["run", &file]);
    assert_eq!(run.status.code(), Some(1), "`run` judges it too: {}", text(&run.stdout));
    assert!(text(&run.stdout).contains("mitigation `offsite-kept-running` is sufficient"), "{}", text(&run.stdout));
}

#[test]
fn an_unknown_mitigation_name_lists_the_catalogue() {
    let (_dir, file) = incident_with("");
    let patched =
        std::fs::read_to_string(&file).unwrap().replace("[expect]\n", "[expect]\nsufficient_mitigations = [\"scope-token/owner\"]\n");
    std::fs::write(&file, patched).unwrap();
    let out = firedrill(&["whatif", &file]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("the catalogue has scope-token/domains-cli"), "{}", text(&out.stderr));
}

#[test]
fn the_html_page_carries_the_matrix_after_the_picture() {
    let out = firedrill(&["whatif", "scenarios/pocketos-2026-04.toml", "--format", "html"]);
    let page = text(&out.stdout);
    let picture = page.find("<svg").unwrap();
    let matrix = page.find("<h2 id=\"what-if\">What if</h2>").unwrap();
    let summary = page.find("<h2>Summary</h2>").unwrap();
    assert!(picture < matrix && matrix < summary);
    assert!(page.contains("runtime-deny-curl"));
}
