//! Checks of the agent's steps, with the static simulation of what the agent has found.
//!
//! Discovery rule: tokens kept in the agent's environment (`stored_in = { env = … }`) are
//! known from the start; every file a step reads is found, and a token is found once a found
//! file holds its `${token:NAME}`. Which files a step reads is decided by `agent::plan`, the
//! same function the run performs steps from: a `search` step and a shell `grep` find every
//! file containing the pattern, a `read` step and a shell `cat` their file. A step may only use
//! (`${found:NAME}` or `token = NAME`) tokens found by the steps before it.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::super::spans::{Seg, doc_path};
use super::super::{ErrorKind, PlaceholderKind, Scenario, StoredIn, placeholders};
use super::{Checker, Place};
use crate::agent::{self, Action, Actor, Effect, Keyring, Repo, Tools};

/// The agent's steps may use found tokens and ids; secrets appear only in files.
const STEP_PLACEHOLDERS: [PlaceholderKind; 10] = [
    PlaceholderKind::Found,
    PlaceholderKind::Volume,
    PlaceholderKind::Project,
    PlaceholderKind::Environment,
    PlaceholderKind::Service,
    PlaceholderKind::Instance,
    PlaceholderKind::Backup,
    PlaceholderKind::Workflow,
    PlaceholderKind::Domain,
    PlaceholderKind::Variable,
];

/// The team and CI hold their tokens: their steps may name a secret with `${token:…}` too.
const TEAM_PLACEHOLDERS: [PlaceholderKind; 11] = PlaceholderKind::ALL;

/// What the agent knows after some steps.
struct Knowledge<'s> {
    files: BTreeSet<&'s str>,
    tokens: BTreeSet<&'s str>,
    /// Tokens earlier steps would mint by name: their minter holds them.
    minted: BTreeSet<String>,
    /// Those the agent's own steps minted: the only minted tokens the agent holds.
    minted_by_agent: BTreeSet<String>,
}

impl<'s> Knowledge<'s> {
    /// Marks found every file `action` reads, as the run would perform it, and every token its
    /// calls would mint.
    fn perform(&mut self, scenario: &'s Scenario, repo: &Repo, actor: Actor, action: &Action) {
        let (env, keys) = (BTreeMap::new(), Keyring::default());
        for planned in agent::plan(action, Tools { repo, env: &env, keys: &keys }) {
            if let Effect::Call(call) = &planned.effect {
                let variables = call.request.variables.is_object().then_some(&call.request.variables);
                let names = mock_provider::minted_names(&call.request.query, variables);
                if actor == Actor::Agent {
                    self.minted_by_agent.extend(names.iter().cloned());
                }
                self.minted.extend(names);
            }
            let read: Vec<&str> = match &planned.effect {
                Effect::Search { pattern, ignore_case } => repo.search(pattern, *ignore_case),
                Effect::Read { path } => vec![path.trim_start_matches("./")],
                _ => Vec::new(),
            };
            for path in read {
                if let Some(file) = scenario.file(path) {
                    self.find_file(scenario, &file.path);
                }
            }
        }
    }

    fn start(scenario: &'s Scenario) -> Self {
        let tokens = scenario.tokens.iter().filter(|t| matches!(t.stored_in, StoredIn::Env(_))).map(|t| t.name.as_str()).collect();
        Self { files: BTreeSet::new(), tokens, minted: BTreeSet::new(), minted_by_agent: BTreeSet::new() }
    }

    /// Marks `path` found, and every token whose secret it holds.
    fn find_file(&mut self, scenario: &'s Scenario, path: &'s str) {
        self.files.insert(path);
        for file in scenario.files.iter().filter(|f| f.path == path) {
            for placeholder in placeholders(&file.content) {
                if placeholder.kind == PlaceholderKind::Token
                    && let Some(token) = scenario.token(placeholder.argument)
                {
                    self.tokens.insert(&token.name);
                }
            }
        }
    }
}

/// The names of the tokens the steps' calls would mint, as `check` reads them.
pub(super) fn minted_names(scenario: &Scenario) -> BTreeSet<String> {
    let mut knows = Knowledge::start(scenario);
    let repo = Repo::new(scenario.files.iter().map(|f| (f.path.clone(), f.content.clone())), BTreeMap::new());
    for step in &scenario.agent.steps {
        knows.perform(scenario, &repo, step.actor, &step.action);
    }
    knows.minted
}

pub(super) fn check(c: &mut Checker<'_>) {
    let scenario = c.scenario;
    let mut knows = Knowledge::start(scenario);
    // The files as written: what a step reads does not depend on the secrets in them.
    let repo = Repo::new(scenario.files.iter().map(|f| (f.path.clone(), f.content.clone())), BTreeMap::new());
    for (i, step) in scenario.agent.steps.iter().enumerate() {
        let key = step.action.key();
        // Every string of the step that may hold placeholders, with where it is written.
        let mut strings: Vec<(&str, Vec<Seg<'_>>)> = Vec::new();
        let base = vec![Seg::from("agent"), "step".into(), i.into()];
        match &step.action {
            Action::Search { pattern: text }
            | Action::Read { path: text }
            | Action::Shell { command: text }
            | Action::Graphql { query: text, .. } => strings.push((text, [base.clone(), vec![key.into()]].concat())),
            Action::Mcp { tool, args, .. } => {
                strings.push((tool, [base.clone(), vec!["mcp".into(), "tool".into()]].concat()));
                let mut at = [base.clone(), vec!["mcp".into(), "args".into()]].concat();
                for (name, value) in args {
                    at.push(Seg::from(name.as_str()));
                    json_strings(value, &mut at, &mut strings);
                    at.pop();
                }
            }
            Action::Wait(_) | Action::RunOffsiteJob => {}
            Action::Restore { .. } | Action::Revoke { .. } | Action::Rotate { .. } => {}
        }
        let agent = step.actor == Actor::Agent;
        let allowed: &[PlaceholderKind] = if agent { &STEP_PLACEHOLDERS } else { &TEAM_PLACEHOLDERS };
        for (text, path) in &strings {
            let found = c.placeholders(text, &Place { path, allowed });
            for (placeholder, span) in found {
                if matches!(placeholder.kind, PlaceholderKind::Found | PlaceholderKind::Token) {
                    uses_token(c, &knows, placeholder.argument, span, agent);
                }
            }
        }
        if let Some(token) = step.action.token() {
            let span = c.at(&[base.clone(), vec!["token".into()]].concat());
            uses_token(c, &knows, token, span, agent);
        }
        match &step.action {
            Action::Restore { volume } => {
                let span = c.at(doc_path!["agent", "step", i, "restore", "volume"]);
                c.volume(volume, span);
            }
            Action::Revoke { token } | Action::Rotate { token } => {
                let span = c.at(&[base.clone(), vec![step.action.key().into()]].concat());
                uses_token(c, &knows, token, span, false);
            }
            Action::RunOffsiteJob if scenario.offsite_backup.is_none() => {
                let error = c
                    .error(ErrorKind::Inconsistent, c.at(doc_path!["agent", "step", i, "offsite_job"]), "there is no off-site job to run")
                    .label("no `[offsite_backup]`")
                    .help("declare the job with `[offsite_backup]`, or remove the step");
                c.push(error);
            }
            _ => {}
        }
        knows.perform(scenario, &repo, step.actor, &step.action);
        match &step.action {
            Action::Read { path } if scenario.file(path.trim_start_matches("./")).is_none() => {
                let known = scenario.files.iter().map(|f| f.path.as_str());
                let span = c.at(doc_path!["agent", "step", i, "read"]);
                c.reference("file", path, known, span, "declare it with `[[file]]` and `path = \"…\"`");
            }
            Action::Wait(crate::agent::Wait::For(duration)) if duration.is_zero() => {
                let error = c
                    .error(ErrorKind::InvalidValue, c.at(doc_path!["agent", "step", i, "wait"]), "a `wait` step waits `0s`")
                    .label("no time passes")
                    .help("wait a positive duration such as `\"48h\"`, or remove the step");
                c.push(error);
            }
            _ => {}
        }
    }
}

/// Collects the strings inside an MCP argument with their paths.
fn json_strings<'a>(value: &'a serde_json::Value, at: &mut Vec<Seg<'a>>, out: &mut Vec<(&'a str, Vec<Seg<'a>>)>) {
    match value {
        serde_json::Value::String(text) => out.push((text, at.clone())),
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                at.push(Seg::from(index));
                json_strings(item, at, out);
                at.pop();
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, item) in fields {
                at.push(Seg::from(name.as_str()));
                json_strings(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Reports a step's use of token `name` unless it is declared (or minted by an earlier step)
/// and, for the agent (`must_find`), already found.
fn uses_token(c: &mut Checker<'_>, knows: &Knowledge<'_>, name: &str, span: Range<usize>, must_find: bool) {
    let scenario = c.scenario;
    // As in the run: a minted token is its minter's; the agent holds only those it minted.
    if knows.minted.contains(name) && scenario.token(name).is_none() {
        if must_find && !knows.minted_by_agent.contains(name) {
            let error = c
                .error(ErrorKind::TokenNotFound, span, format!("the agent never holds token `{name}`: the team or CI minted it"))
                .label("not the agent's")
                .help("let the agent mint it, or take this step as `actor = \"team\"`");
            c.push(error);
        }
        return;
    }
    let Some(token) = scenario.token(name) else {
        let known = scenario.tokens.iter().map(|t| t.name.as_str());
        c.reference("token", name, known, span, "declare it with `[[token]]`");
        return;
    };
    if !must_find || knows.tokens.contains(name) {
        return;
    }
    let placeholder = format!("${{token:{name}}}");
    let holders: Vec<&str> = scenario.files.iter().filter(|f| f.content.contains(&placeholder)).map(|f| f.path.as_str()).collect();
    let help = match (holders.first(), &token.stored_in) {
        (Some(first), _) if holders.len() == 1 => format!("add a step that reads `{first}` before this one"),
        (Some(_), _) => format!("add a step that reads one of {} before this one", super::suggest::list(holders.iter().copied())),
        (None, StoredIn::SecretManager(manager)) => format!(
            "`{name}` is kept in `{manager}`, which the agent cannot read; to rehearse a leak, store it with `stored_in = {{ env = \"VAR\" }}` or in a `[[file]]` the agent reads"
        ),
        (None, _) => format!(
            "no `[[file]]` holds `{placeholder}`; put it in a file's `content` and read that file first, or store the token with `stored_in = {{ env = \"VAR\" }}`"
        ),
    };
    let error = c
        .error(ErrorKind::TokenNotFound, span, format!("the agent has not found token `{name}` by this step"))
        .label("not found yet")
        .help(help);
    c.push(error);
}

#[cfg(test)]
mod tests {
    use super::super::check::check;

    #[test]
    fn a_token_is_usable_once_a_step_has_found_it() {
        // Read first, then use: fine.
        check(
            "[[agent.step]]\nread = \"ops/domains.env\"\n[[agent.step]]\nshell = \"curl -H 'Authorization: Bearer ${found:domains-cli}'\"\n",
            "",
        );
        // Search finds every file containing the pattern.
        check("[[agent.step]]\nsearch = \"RAILWAY\"\n[[agent.step]]\ngraphql = \"query { me { id } }\"\ntoken = \"domains-cli\"\n", "");
        // Use before reading.
        check(
            "[[agent.step]]\nshell = \"curl -H 'Authorization: Bearer ${found:domains-cli}'\"\n[[agent.step]]\nread = \"ops/domains.env\"\n",
            "2:41: the agent has not found token `domains-cli` by this step (add a step that reads `ops/domains.env` before this one)",
        );
        // A search that matches nothing finds nothing; a case-sensitive search.
        check(
            "[[agent.step]]\nsearch = \"railway\"\n[[agent.step]]\nmcp = { tool = \"volume_delete\", args = { volumeId = \"${volume:pg-data}\" } }\ntoken = \"domains-cli\"\n",
            "5:9: the agent has not found token `domains-cli` by this step (add a step that reads `ops/domains.env` before this one)",
        );
    }

    #[test]
    fn a_shell_cat_or_grep_finds_a_token_exactly_as_the_run_does() {
        // `check` and `run` agree: what a shell line reads is worked out by the same plan.
        for read in ["cat ops/domains.env", "grep -r RAILWAY .", "head -n 3 ./ops/domains.env | grep TOKEN"] {
            check(
                &format!(
                    "[[agent.step]]\nshell = \"{read}\"\n[[agent.step]]\ngraphql = \"query {{ me {{ id }} }}\"\ntoken = \"domains-cli\"\n"
                ),
                "",
            );
        }
        // A shell line that reads another file finds nothing.
        check(
            "[[agent.step]]\nshell = \"cat README.md\"\n[[agent.step]]\ngraphql = \"query { me { id } }\"\ntoken = \"domains-cli\"\n",
            "5:9: the agent has not found token `domains-cli` by this step (add a step that reads `ops/domains.env` before this one)",
        );
    }

    #[test]
    fn a_minted_token_is_its_minter_s() {
        let mint = |actor: &str| {
            format!(
                "[[agent.step]]\nread = \"ops/domains.env\"\n[[agent.step]]\nactor = \"{actor}\"\ngraphql = 'mutation {{ apiTokenCreate(input: {{ name: \"mine\" }}) }}'\ntoken = \"domains-cli\"\n[[agent.step]]\ngraphql = \"query {{ me {{ id }} }}\"\ntoken = \"mine\"\n"
            )
        };
        check(&mint("agent"), "");
        check(
            &mint("team"),
            "9:9: the agent never holds token `mine`: the team or CI minted it (let the agent mint it, or take this step as `actor = \"team\"`)",
        );
    }

    #[test]
    fn tokens_in_the_agent_s_environment_are_known_from_the_start() {
        check(
            "[[token]]\nname = \"ci\"\nkind = \"account\"\nstored_in = { env = \"RAILWAY_TOKEN\" }\n[[agent.step]]\ngraphql = \"mutation { volumeDelete(volumeId: \\\"${volume:pocketos/pg-data}\\\") }\"\ntoken = \"ci\"\n",
            "",
        );
    }

    #[test]
    fn the_hint_says_where_a_missing_token_could_come_from() {
        check(
            "[[token]]\nname = \"vault\"\nkind = \"account\"\nstored_in = { secret_manager = \"1password\" }\n[[agent.step]]\ngraphql = \"query { me { id } }\"\ntoken = \"vault\"\n",
            "7:9: the agent has not found token `vault` by this step (`vault` is kept in `1password`, which the agent cannot read; to rehearse a leak, store it with `stored_in = { env = \"VAR\" }` or in a `[[file]]` the agent reads)",
        );
        check(
            "[[agent.step]]\ngraphql = \"query { me { id } }\"\ntoken = \"domain-cli\"\n",
            "3:9: unknown token `domain-cli`, did you mean `domains-cli`? (declare it with `[[token]]`; declared: `domains-cli`)",
        );
    }

    #[test]
    fn steps_read_declared_files_and_use_step_placeholders_only() {
        check(
            "[[agent.step]]\nread = \"ops/domain.env\"\n",
            "2:8: unknown file `ops/domain.env`, did you mean `ops/domains.env`? (declare it with `[[file]]` and `path = \"…\"`; declared: `ops/domains.env`)",
        );
        check(
            "[[agent.step]]\nshell = \"echo ${token:domains-cli} ${project:pocketo} ${environment:staging} ${HOME}\"\n",
            "2:15: placeholder `${token:domains-cli}` is not allowed here (`${token:…}` is only allowed in `[[file]]` content; steps use a token the agent found with `${found:NAME}`)
2:36: unknown project `pocketo`, did you mean `pocketos`? (declare it with `[[project]]`; declared: `pocketos`)",
        );
        check(
            "[[agent.step]]\nwait = \"0s\"\nnote = \"pause\"\n",
            "2:8: a `wait` step waits `0s` (wait a positive duration such as `\"48h\"`, or remove the step)",
        );
    }

    #[test]
    fn placeholders_of_what_a_run_creates_are_checked_as_far_as_the_file_decides() {
        // Well-formed and resolvable by the file: fine; which backups and workflows exist is
        // the world's, when the step runs.
        check(
            "[[agent.step]]\nactor = \"team\"\nshell = \"echo ${instance:pocketos/pg-data@production} ${backup:pg-data@staging:manual:oldest} ${workflow:3} ${variable:pocketos/staging/api/NEW}\"\n",
            "",
        );
        check(
            "[[agent.step]]\nactor = \"team\"\nshell = \"echo ${instance:pocketos/pg-data@prod}\"\n",
            "3:15: unknown volume instance `pocketos/pg-data@prod`, did you mean `pocketos/pg-data@production`? (a volume has an instance in each of its `environments` (all of the project's when left out); declared: `pocketos/pg-data@production`, `pocketos/pg-data@staging`)",
        );
        check(
            "[[agent.step]]\nactor = \"team\"\nshell = \"echo ${backup:pocketos/pg-data@production:daily} ${backup:pg-data@production:newset}\"\n",
            "3:15: volume `pg-data` has no daily backups (its backups are `manual`; add the schedule to `native_backups`)
3:59: placeholder `${backup:pg-data@production:newset}`: `newset` is neither a kind, `newest`, `oldest`, a day nor an instant; did you mean `newest`? (write it as `PROJECT/VOLUME@ENVIRONMENT[:KIND][:PICK]`: KIND is `daily`, `weekly`, `monthly` or `manual`; PICK is `newest` (the default), `oldest`, a day such as `2026-04-20` or an instant such as `2026-04-20T06:00:00Z`)",
        );
        check(
            "[[agent.step]]\nactor = \"team\"\nshell = \"echo ${workflow:0} ${domain:api.pocketos.example} ${variable:pocketos/prod/X} ${instance:pg-data}\"\n",
            "3:15: placeholder `${workflow:0}`: `0` names no workflow (write `newest`, `oldest`, or the workflow's number in the order the run started them, from 1)
3:29: unknown domain `api.pocketos.example` (declare it with `[[project.domain]]`; none is declared)
3:60: unknown environment `pocketos/prod`, did you mean `pocketos/production`? (refer to it as `project/environment`; declared: `pocketos/production`, `pocketos/staging`)
3:88: placeholder `${instance:pg-data}`: `pg-data` names no volume instance (write it as `PROJECT/VOLUME@ENVIRONMENT`, such as `pocketos/pg-data@production`)",
        );
        // They name what exists when a step runs: not in files.
        check(
            "[[file]]\npath = \"x.env\"\ncontent = \"ID=${instance:pocketos/pg-data@production}\"\n",
            "3:15: placeholder `${instance:pocketos/pg-data@production}` is not allowed here (this placeholder names what exists when a step runs, so it is only allowed in steps)",
        );
    }

    #[test]
    fn placeholders_inside_mcp_arguments_are_checked() {
        check(
            "[[agent.step]]\nread = \"ops/domains.env\"\n[[agent.step]]\nmcp = { tool = \"volume_delete\", args = { ids = [\"${volume:pocketos/pg-data}\", \"${volume:pocketos/redis}\"] } }\ntoken = \"domains-cli\"\n",
            "4:80: unknown volume `pocketos/redis` (refer to volumes as `project/volume`, declared with `[[project.volume]]`; declared: `pocketos/pg-data`)",
        );
    }
}
