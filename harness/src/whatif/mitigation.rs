//! `Mitigation`: one change a team could make, as a patch of its own scenario file, and the
//! catalogue of them firedrill derives from the scenario itself.
//!
//! Why patches of the file's document: a mitigation is something the team would write in its
//! scenario (a token's scopes, where it is stored, a profile, a rule in its settings), so it is
//! applied to the parsed TOML and the result is loaded like any file (validated, its settings
//! and policy files read). What a run of the patched file reports is then the what-if's answer,
//! from the same layers that decide every run.

use std::fmt;

use toml::{Table, Value};

use crate::scenario::{Scenario, StoredIn};

/// A change to the scenario's document.
#[derive(Clone)]
pub enum Patch {
    /// Built in: a function of the document.
    Builtin(fn(&mut Table, &str)),
    /// The scenario's own (`[[whatif.mitigation]] patch = { … }`): tables merge key by key, any
    /// other value replaces what was there.
    Merge(Table),
}

/// One mitigation of the matrix.
#[derive(Clone)]
pub struct Mitigation {
    /// Stable, for `[expect] sufficient_mitigations` and the JSON: `scope-token/domains-cli`.
    pub id: String,
    /// What it changes, in words.
    pub title: String,
    pub patch: Patch,
    /// The argument of a built-in patch (a token's name, a profile).
    pub arg: String,
    /// Whether the matrix also tries the destructive shell steps wrapped (`env curl …`).
    pub wrapped_variant: bool,
    /// A change made after loading, for what a file cannot say inline (a policy file's text).
    pub loaded: Option<fn(&mut Scenario)>,
}

impl fmt::Debug for Mitigation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id)
    }
}

impl Mitigation {
    fn builtin(id: String, title: String, arg: &str, patch: fn(&mut Table, &str)) -> Mitigation {
        Mitigation { id, title, patch: Patch::Builtin(patch), arg: arg.to_string(), wrapped_variant: false, loaded: None }
    }

    /// Applies the mitigation to `doc`.
    pub fn apply(&self, doc: &mut Table) {
        match &self.patch {
            Patch::Builtin(f) => f(doc, &self.arg),
            Patch::Merge(patch) => merge(doc, patch),
        }
    }
}

/// The mitigations that apply to `s`, in a fixed order: tokens, profiles, deletion protection,
/// the off-site job, the agent runtime, the gateway, the approver; then the scenario's own.
pub fn catalogue(s: &Scenario) -> Vec<Mitigation> {
    let mut out = Vec::new();
    for t in &s.tokens {
        if matches!(t.stored_in, StoredIn::File(_) | StoredIn::Env(_)) && !t.purpose.is_empty() && t.scopes.as_ref() != Some(&t.purpose) {
            out.push(Mitigation::builtin(
                format!("scope-token/{}", t.name),
                format!("`{}` scoped to its declared purpose ({}), on a provider that enforces token scopes", t.name, t.purpose.join(", ")),
                &t.name,
                scope_token,
            ));
        }
    }
    for t in &s.tokens {
        if let StoredIn::File(file) = &t.stored_in {
            out.push(Mitigation::builtin(
                format!("token-out-of-repo/{}", t.name),
                format!("`{}` moved out of `{file}` into a secret manager the agent cannot read", t.name),
                &t.name,
                token_out_of_repo,
            ));
        }
    }
    for p in mock_provider::ProfileName::ALL {
        if p != s.provider.profile {
            let name = p.name();
            out.push(Mitigation::builtin(format!("profile/{name}"), format!("the provider under the `{name}` profile"), name, profile));
        }
    }
    if s.projects.iter().any(|p| p.volumes.iter().any(|v| v.critical)) && !s.provider.overrides.deletion_protection.unwrap_or(false) {
        out.push(Mitigation::builtin(
            "deletion-protection".into(),
            "deletion protection on every environment of a critical volume".into(),
            "",
            deletion_protection,
        ));
    }
    if let Some(o) = &s.offsite_backup {
        out.push(Mitigation::builtin(
            "offsite-kept-running".into(),
            format!("the off-site job at its declared schedule (every {}), kept running, with a freshness monitor", o.every),
            "",
            offsite_kept_running,
        ));
    }
    if s.agent_runtime.is_none() && destructive_shell_steps(s) {
        let mut m = Mitigation::builtin(
            "runtime-deny-curl".into(),
            "Claude Code with `deny: [\"Bash(curl:*)\"]` in the project's settings".into(),
            "",
            runtime_deny_curl,
        );
        m.wrapped_variant = true;
        out.push(m);
    }
    if s.gateway.is_none() {
        let mut m = Mitigation::builtin(
            "cedar-forbid-destructive-on-critical".into(),
            "a Cedar gateway forbidding destructive actions on critical resources".into(),
            "",
            |_, _| {},
        );
        m.loaded = Some(cedar_forbid);
        out.push(m);
    }
    if s.agent_runtime.as_ref().and_then(|r| r.approver.as_ref()).is_some() {
        out.push(Mitigation::builtin(
            "approver-reads-whole-command".into(),
            "an approver who reads the whole command and refuses destructive calls".into(),
            "",
            approver_reads_all,
        ));
    }
    if let Some(w) = &s.whatif {
        for m in &w.mitigations {
            out.push(Mitigation {
                id: m.name.clone(),
                title: m.title.clone().unwrap_or_else(|| format!("the scenario's own mitigation `{}`", m.name)),
                patch: Patch::Merge(m.patch.clone()),
                arg: String::new(),
                wrapped_variant: false,
                loaded: None,
            });
        }
    }
    out
}

/// Whether an agent step is a shell command that may reach Railway's API.
fn destructive_shell_steps(s: &Scenario) -> bool {
    s.agent.steps.iter().any(|step| matches!(&step.action, crate::agent::Action::Shell { command } if command.contains("curl")))
}

fn table<'a>(doc: &'a mut Table, key: &str) -> &'a mut Table {
    let entry = doc.entry(key.to_string()).or_insert_with(|| Value::Table(Table::new()));
    if !entry.is_table() {
        *entry = Value::Table(Table::new());
    }
    match entry {
        Value::Table(t) => t,
        _ => unreachable_table(),
    }
}

/// `table` has just made the entry a table; this is never reached, and says so without a panic
/// in library code.
fn unreachable_table() -> &'static mut Table {
    Box::leak(Box::new(Table::new()))
}

fn array<'a>(doc: &'a mut Table, key: &str) -> impl Iterator<Item = &'a mut Table> {
    doc.get_mut(key).and_then(Value::as_array_mut).into_iter().flat_map(|a| a.iter_mut().filter_map(Value::as_table_mut))
}

fn token_entry<'a>(doc: &'a mut Table, name: &str) -> Option<&'a mut Table> {
    array(doc, "token").find(|t| t.get("name").and_then(Value::as_str) == Some(name))
}

fn scope_token(doc: &mut Table, name: &str) {
    if let Some(t) = token_entry(doc, name) {
        let purpose = t.get("purpose").cloned().unwrap_or(Value::Array(Vec::new()));
        t.insert("scopes".into(), purpose);
    }
    let provider = table(doc, "provider");
    table(provider, "overrides").insert("token_scopes".into(), Value::Boolean(true));
}

/// The token leaves its file: the file keeps the line with an empty value, and what the agent
/// did with the token it no longer finds goes out without it (a curl's header is empty; a
/// `graphql` or `mcp` step that needed it is not taken).
fn token_out_of_repo(doc: &mut Table, name: &str) {
    if let Some(t) = token_entry(doc, name) {
        let mut stored = Table::new();
        stored.insert("secret_manager".into(), Value::String("vault".into()));
        t.insert("stored_in".into(), Value::Table(stored));
    }
    let placeholder = format!("${{token:{name}}}");
    for f in array(doc, "file") {
        if let Some(Value::String(content)) = f.get_mut("content") {
            *content = content.replace(&placeholder, "");
        }
    }
    let found = format!("${{found:{name}}}");
    let agent = table(doc, "agent");
    if let Some(Value::Array(steps)) = agent.get_mut("step") {
        steps.retain(|s| s.get("token").and_then(Value::as_str) != Some(name));
        for s in steps.iter_mut().filter_map(Value::as_table_mut) {
            if let Some(Value::String(cmd)) = s.get_mut("shell") {
                *cmd = cmd.replace(&found, "");
            }
        }
    }
}

fn profile(doc: &mut Table, name: &str) {
    table(doc, "provider").insert("profile".into(), Value::String(name.into()));
}

fn deletion_protection(doc: &mut Table, _: &str) {
    let provider = table(doc, "provider");
    table(provider, "overrides").insert("deletion_protection".into(), Value::Boolean(true));
    for p in array(doc, "project") {
        let critical = p
            .get("volume")
            .and_then(Value::as_array)
            .is_some_and(|vs| vs.iter().any(|v| v.get("critical").and_then(Value::as_bool) == Some(true)));
        if critical && let Some(envs) = p.get("environments").cloned() {
            p.insert("protected_environments".into(), envs);
        }
    }
}

fn offsite_kept_running(doc: &mut Table, _: &str) {
    let every = {
        let o = table(doc, "offsite_backup");
        o.remove("stopped_at");
        o.remove("fault");
        o.get("every").and_then(Value::as_str).unwrap_or("24h").to_string()
    };
    if !doc.contains_key("monitor") {
        let every = mock_provider::time::Duration::parse(&every).unwrap_or(mock_provider::time::Duration::hours(24));
        let mut m = Table::new();
        m.insert("offsite_max_age".into(), Value::String((every + every).to_string()));
        doc.insert("monitor".into(), Value::Table(m));
    }
}

fn runtime_deny_curl(doc: &mut Table, _: &str) {
    let mut file = Table::new();
    file.insert("name".into(), Value::String(".claude/settings.json".into()));
    file.insert("text".into(), Value::String("{ \"permissions\": { \"deny\": [\"Bash(curl:*)\"] } }".into()));
    let mut runtime = Table::new();
    runtime.insert("runtime".into(), Value::String("claude-code".into()));
    runtime.insert("file".into(), Value::Array(vec![Value::Table(file)]));
    doc.insert("agent_runtime".into(), Value::Table(runtime));
}

/// The Cedar policy of the `cedar-forbid-destructive-on-critical` mitigation.
pub const FORBID_DESTRUCTIVE_ON_CRITICAL: &str = r#"// What-if: nothing destructive on a critical resource, whoever asks.
@id("forbid-destructive-on-critical")
forbid (principal, action in Action::"destructive", resource)
when { resource has critical && resource.critical };

@id("allow-everything-else")
permit (principal, action, resource);
"#;

/// The policy file the mitigation names (it is given its text after loading, never read).
pub const FORBID_POLICY_FILE: &str = "(what-if) forbid-destructive-on-critical.cedar";

/// The gateway with the policy above, as `load_files` would have read it.
fn cedar_forbid(s: &mut Scenario) {
    s.gateway = Some(crate::scenario::Gateway {
        cedar: Some(FORBID_POLICY_FILE.into()),
        policies: Some(crate::scenario::PolicyFile { path: FORBID_POLICY_FILE.into(), text: FORBID_DESTRUCTIVE_ON_CRITICAL.into() }),
        ..Default::default()
    });
}

fn approver_reads_all(doc: &mut Table, _: &str) {
    let runtime = table(doc, "agent_runtime");
    let mut a = Table::new();
    a.insert("model".into(), Value::String("approves-all-but-destructive".into()));
    runtime.insert("approver".into(), Value::Table(a));
}

/// Merges `patch` into `doc`: tables key by key, anything else replaced.
pub fn merge(doc: &mut Table, patch: &Table) {
    for (k, v) in patch {
        match (doc.get_mut(k), v) {
            (Some(Value::Table(here)), Value::Table(there)) => merge(here, there),
            _ => {
                doc.insert(k.clone(), v.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> Table {
        text.parse::<Table>().unwrap_or_default()
    }

    #[test]
    fn a_scenario_patch_merges_tables_and_replaces_values() {
        let mut d = doc("[provider]\nprofile = \"railway\"\n[provider.overrides]\ndelete_grace = \"1d\"\n");
        merge(&mut d, &doc("[provider.overrides]\ntoken_scopes = true\n[monitor]\noffsite_max_age = \"36h\"\n"));
        assert_eq!(d["provider"]["profile"].as_str(), Some("railway"));
        assert_eq!(d["provider"]["overrides"]["delete_grace"].as_str(), Some("1d"));
        assert_eq!(d["provider"]["overrides"]["token_scopes"].as_bool(), Some(true));
        assert_eq!(d["monitor"]["offsite_max_age"].as_str(), Some("36h"));
    }

    #[test]
    fn moving_a_token_out_of_the_repo_empties_its_file_and_what_the_agent_sent_with_it() {
        let mut d = doc(concat!(
            "[[token]]\nname = \"t\"\nstored_in = { file = \"a.env\" }\n",
            "[[file]]\npath = \"a.env\"\ncontent = \"TOKEN=${token:t}\"\n",
            "[agent]\n[[agent.step]]\nshell = \"curl -H 'Authorization: Bearer ${found:t}' x\"\n",
            "[[agent.step]]\ngraphql = \"{ me { id } }\"\ntoken = \"t\"\n",
        ));
        token_out_of_repo(&mut d, "t");
        assert_eq!(d["token"][0]["stored_in"]["secret_manager"].as_str(), Some("vault"));
        assert_eq!(d["file"][0]["content"].as_str(), Some("TOKEN="));
        let steps = d["agent"]["step"].as_array().map(Vec::len);
        assert_eq!(steps, Some(1), "the graphql step that needed the token is not taken");
        assert_eq!(d["agent"]["step"][0]["shell"].as_str(), Some("curl -H 'Authorization: Bearer ' x"));
    }
}
