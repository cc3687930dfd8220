//! Claude Code's permission rule grammar: `Tool`, `Tool(specifier)`, `mcp__server`,
//! `mcp__server__tool`, `mcp__server__*`, read as the runtime reads them, messy shapes included.
//! What a rule would not do as written is a finding; the rule is still kept, matching what the
//! runtime would make it match (often nothing).

use super::call::ToolCall;
use super::command::{CommandPattern, PrefixBoundary};
use super::finding::FindingKind;
use super::glob;

/// The tools a rule can name (Claude Code's current names).
pub const TOOLS: [&str; 30] = [
    "Agent",
    "Artifact",
    "Bash",
    "Cd",
    "Edit",
    "EnterWorktree",
    "ExitPlanMode",
    "Glob",
    "Grep",
    "KillShell",
    "LSP",
    "Monitor",
    "MultiEdit",
    "NotebookEdit",
    "PowerShell",
    "Read",
    "ShareOnboardingGuide",
    "Skill",
    "TaskCreate",
    "TaskGet",
    "TaskList",
    "TaskOutput",
    "TaskStop",
    "TaskUpdate",
    "TodoWrite",
    "ToolSearch",
    "WebFetch",
    "WebSearch",
    "Workflow",
    "Write",
];

/// Names teams still write: older names of tools, and other runtimes' names. `Some` is the
/// current tool the runtime still honours the alias for.
const LEGACY: [(&str, &str, bool); 14] = [
    ("Task", "Agent", true),
    ("LS", "Glob", false),
    ("View", "Read", false),
    ("Replace", "Write", false),
    ("BashTool", "Bash", false),
    ("FileReadTool", "Read", false),
    ("FileEditTool", "Edit", false),
    ("FileWriteTool", "Write", false),
    ("GlobTool", "Glob", false),
    ("GrepTool", "Grep", false),
    ("LSTool", "Glob", false),
    ("WebFetchTool", "WebFetch", false),
    ("NotebookEditCell", "NotebookEdit", false),
    ("Shell", "Bash", false),
];

/// What a rule's specifier means.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Spec {
    /// The whole tool.
    Any,
    Command(CommandPattern),
    /// A gitignore path pattern, made absolute and compiled.
    Path(glob::Glob),
    Domain(String),
    /// Matches nothing as written.
    Nothing,
}

/// What a rule names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    Tool {
        tool: String,
        spec: Spec,
    },
    /// `mcp__server` or `mcp__server__*` (`tool: None`), or `mcp__server__tool`.
    Mcp {
        server: String,
        tool: Option<String>,
    },
    /// Nothing at all (a divider, an unknown tool, `mcp__*`).
    Nothing,
}

/// A rule as the runtime reads it, with what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub text: String,
    pub target: Target,
    pub problems: Vec<(FindingKind, String)>,
}

/// Where paths in rules are anchored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchors {
    pub cwd: String,
    pub home: String,
    /// What `/path` is relative to: the project root for project and local settings.
    pub settings_root: String,
}

impl Rule {
    /// Reads `text` as a rule in `list` (`allow`, `ask`, `deny`, or `if` for a hook filter).
    pub fn parse(text: &str, list: &str, anchors: &Anchors) -> Rule {
        let mut problems = Vec::new();
        let target = target(text, list, anchors, &mut problems);
        Rule { text: text.to_string(), target, problems }
    }

    /// Whether the rule matches `call`; for `Bash` rules, `command` is one subcommand.
    pub fn matches(&self, call: &ToolCall, boundary: PrefixBoundary, cwd: &str, home: &str) -> bool {
        Subject::of(call, cwd, home, |subject| self.matches_subject(subject, boundary))
    }

    /// Whether the rule matches a call already worked out (`Subject::of`): what a decision
    /// against many rules does once, not once per rule.
    pub(crate) fn matches_subject(&self, subject: &Subject<'_>, boundary: PrefixBoundary) -> bool {
        match (&self.target, subject) {
            (Target::Nothing, _) => false,
            (Target::Mcp { server, tool }, Subject::Mcp { server: s, tool: t }) => {
                server == s && tool.as_ref().is_none_or(|tool| tool == t)
            }
            (Target::Mcp { .. }, _) => false,
            (Target::Tool { tool, spec }, subject) => {
                if !subject.kind().is_some_and(|k| k.names().contains(&tool.as_str())) {
                    return false;
                }
                match (spec, subject) {
                    (Spec::Any, _) => true,
                    (Spec::Nothing, _) => false,
                    (Spec::Command(p), Subject::Command(c)) => p.matches(c, boundary),
                    // Path rules on Write, MultiEdit and NotebookEdit are accepted and never
                    // consulted (their problems say so); Edit rules cover the edit.
                    (Spec::Path(pattern), Subject::Read(p) | Subject::Edit(p)) => (tool == "Read" || tool == "Edit") && pattern.matches(p),
                    (Spec::Domain(d), Subject::Url(host)) => host.is_some_and(|h| domain_matches(d, h)),
                    _ => false,
                }
            }
        }
    }

    /// The first byte a Bash subcommand must start with for the rule to match it, if the rule
    /// demands one (its pattern starts with a literal).
    pub(crate) fn lead(&self) -> Option<u8> {
        match &self.target {
            Target::Tool { spec: Spec::Command(p), .. } => p.lead(),
            _ => None,
        }
    }

    /// Which kind of call the rule can match, if any: rules are indexed by it, so a decision
    /// only reads the rules of its own tool.
    pub(crate) fn kind(&self) -> Option<Kind> {
        match &self.target {
            Target::Nothing | Target::Tool { spec: Spec::Nothing, .. } => None,
            Target::Mcp { .. } => Some(Kind::Mcp),
            Target::Tool { tool, .. } => Kind::ALL.into_iter().find(|k| k.names().contains(&tool.as_str())),
        }
    }
}

/// The kinds of call, as rules name their tools.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Bash,
    Read,
    Edit,
    Search,
    Fetch,
    Mcp,
}

impl Kind {
    pub(crate) const ALL: [Kind; 6] = [Kind::Bash, Kind::Read, Kind::Edit, Kind::Search, Kind::Fetch, Kind::Mcp];

    pub(crate) fn of(call: &ToolCall) -> Kind {
        match call {
            ToolCall::Shell { .. } => Kind::Bash,
            ToolCall::Read { .. } => Kind::Read,
            ToolCall::Edit { .. } => Kind::Edit,
            ToolCall::Search { .. } => Kind::Search,
            ToolCall::Fetch { .. } => Kind::Fetch,
            ToolCall::Mcp { .. } => Kind::Mcp,
        }
    }

    /// The tools whose rules apply to this kind of call. Edit rules apply to every built-in
    /// tool that edits files; a bare `Write` or `MultiEdit` names the tool itself.
    fn names(self) -> &'static [&'static str] {
        match self {
            Kind::Bash => &["Bash"],
            Kind::Read => &["Read"],
            Kind::Edit => &["Edit", "Write", "MultiEdit", "NotebookEdit"],
            Kind::Search => &["Grep", "Glob"],
            Kind::Fetch => &["WebFetch"],
            Kind::Mcp => &[],
        }
    }
}

/// A call as rules match it, worked out once: a Bash subcommand, a path made absolute and
/// normalized, a URL's host, an MCP tool.
pub(crate) enum Subject<'a> {
    Command(&'a str),
    Read(&'a str),
    Edit(&'a str),
    Search,
    Url(Option<&'a str>),
    Mcp { server: &'a str, tool: &'a str },
}

impl Subject<'_> {
    /// `f` on the subject of `call`, paths anchored at `cwd` and `home`.
    pub(crate) fn of<R>(call: &ToolCall, cwd: &str, home: &str, f: impl FnOnce(&Subject<'_>) -> R) -> R {
        match call {
            ToolCall::Shell { command } => f(&Subject::Command(command)),
            ToolCall::Read { path } => f(&Subject::Read(&glob::normalize(cwd, home, path))),
            ToolCall::Edit { path } => f(&Subject::Edit(&glob::normalize(cwd, home, path))),
            ToolCall::Search { .. } => f(&Subject::Search),
            ToolCall::Fetch { url, .. } => f(&Subject::Url(host(url).as_deref())),
            ToolCall::Mcp { server, tool, .. } => f(&Subject::Mcp { server, tool }),
        }
    }

    fn kind(&self) -> Option<Kind> {
        match self {
            Subject::Command(_) => Some(Kind::Bash),
            Subject::Read(_) => Some(Kind::Read),
            Subject::Edit(_) => Some(Kind::Edit),
            Subject::Search => Some(Kind::Search),
            Subject::Url(_) => Some(Kind::Fetch),
            Subject::Mcp { .. } => None,
        }
    }
}

/// The host of an `http(s)` URL.
pub fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    let host = host.split(':').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

fn domain_matches(domain: &str, host: &str) -> bool {
    match domain.strip_prefix("*.") {
        Some(parent) => host.ends_with(&format!(".{parent}")),
        None => host == domain,
    }
}

fn is_tool_name(name: &str) -> bool {
    let mut c = name.chars();
    c.next().is_some_and(|f| f.is_ascii_alphabetic()) && c.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn target(text: &str, list: &str, anchors: &Anchors, problems: &mut Vec<(FindingKind, String)>) -> Target {
    let ignores = "the runtime matches no tool by it";
    if text.trim() != text {
        problems.push((
            FindingKind::SpacesInRule,
            format!("spaces around `{}`: Claude Code reads them as part of the tool name, so the rule matches nothing", text.trim()),
        ));
        return Target::Nothing;
    }
    if let Some(rest) = text.strip_prefix("mcp__") {
        return mcp(text, rest, list, problems);
    }
    let (name, spec) = match text.split_once('(') {
        Some((name, rest)) => match rest.strip_suffix(')') {
            Some(spec) => (name, Some(spec)),
            None => {
                problems.push((FindingKind::NotARule, format!("`{text}` is not a rule (no closing parenthesis): {ignores}")));
                return Target::Nothing;
            }
        },
        None => (text, None),
    };
    if !is_tool_name(name) {
        problems.push((FindingKind::NotARule, format!("`{text}` is not a rule (a divider or a note?): {ignores}")));
        return Target::Nothing;
    }
    let tool = match TOOLS.iter().find(|t| **t == name) {
        Some(t) => (*t).to_string(),
        None => match LEGACY.iter().find(|(old, _, _)| *old == name) {
            Some((old, new, true)) => {
                problems.push((FindingKind::LegacyToolName, format!("`{old}` is the old name of `{new}`; Claude Code still honours it")));
                (*new).to_string()
            }
            Some((old, new, false)) => {
                problems.push((FindingKind::LegacyToolName, format!("`{old}` is a legacy tool name (now `{new}`): {ignores}")));
                return Target::Nothing;
            }
            None => {
                let hint = TOOLS
                    .iter()
                    .find(|t| t.eq_ignore_ascii_case(name))
                    .map(|t| format!("; did you mean `{t}`? (tool names are case-sensitive)"))
                    .unwrap_or_default();
                problems.push((FindingKind::UnknownTool, format!("`{name}` is not a Claude Code tool: {ignores}{hint}")));
                return Target::Nothing;
            }
        },
    };
    let Some(spec) = spec else { return Target::Tool { tool, spec: Spec::Any } };
    if spec.is_empty() {
        problems.push((FindingKind::MatchesNothing, format!("`{text}` has an empty specifier and matches nothing")));
        return Target::Tool { tool, spec: Spec::Nothing };
    }
    if spec.trim() != spec {
        problems.push((
            FindingKind::SpacesInRule,
            format!(
                "spaces inside the parentheses of `{text}`: Claude Code keeps them, so it matches nothing; write `{}({})`",
                tool,
                spec.trim()
            ),
        ));
        return Target::Tool { tool, spec: Spec::Nothing };
    }
    let spec = match tool.as_str() {
        "Bash" | "PowerShell" => command_spec(text, spec, problems),
        "Read" | "Edit" => Spec::Path(glob::Glob::new(&path_spec(spec, anchors))),
        "Write" | "MultiEdit" | "NotebookEdit" | "Glob" => {
            problems.push((
                FindingKind::NeverConsulted,
                format!("path rules on `{tool}` are accepted and never consulted: use `Edit(...)` (or `Read(...)` for `Glob`)"),
            ));
            Spec::Path(glob::Glob::new(&path_spec(spec, anchors)))
        }
        "WebFetch" => match spec.strip_prefix("domain:") {
            Some(d) => Spec::Domain(d.to_ascii_lowercase()),
            None => {
                problems
                    .push((FindingKind::MatchesNothing, format!("`{text}`: WebFetch rules name a domain, `WebFetch(domain:example.com)`")));
                Spec::Nothing
            }
        },
        _ if spec == "*" => Spec::Any,
        // Specifiers of other tools (`Agent(Explore)`, `Skill(x)`) name things no drill action is.
        _ => Spec::Nothing,
    };
    Target::Tool { tool, spec }
}

fn command_spec(text: &str, spec: &str, problems: &mut Vec<(FindingKind, String)>) -> Spec {
    if spec.contains(":*") && !spec.ends_with(":*") {
        problems.push((
            FindingKind::MatchesNothing,
            format!("`{text}`: the legacy `:*` works only at the end; here the `:` is literal, so `{spec}` hardly matches anything"),
        ));
    }
    let program = spec.split_whitespace().next().unwrap_or_default().trim_end_matches(":*");
    if matches!(program, "curl" | "wget" | "http" | "xh") && spec.contains("://") {
        problems.push((
            FindingKind::EasilyBypassed,
            format!("`{text}` pins a URL inside the command: `-X GET` first, another scheme, a variable or a redirect gets past it"),
        ));
    }
    Spec::Command(CommandPattern::parse(spec))
}

fn path_spec(spec: &str, a: &Anchors) -> String {
    if let Some(rest) = spec.strip_prefix("//") {
        format!("/{rest}")
    } else if let Some(rest) = spec.strip_prefix("~/") {
        format!("{}/{rest}", a.home.trim_end_matches('/'))
    } else if let Some(rest) = spec.strip_prefix('/') {
        format!("{}/{rest}", a.settings_root.trim_end_matches('/'))
    } else {
        glob::anchored(&a.cwd, spec)
    }
}

fn mcp(text: &str, rest: &str, list: &str, problems: &mut Vec<(FindingKind, String)>) -> Target {
    let (server, tool) = match rest.split_once("__") {
        Some((s, t)) => (s, Some(t)),
        None => (rest, None),
    };
    if server.is_empty() || server.contains('*') || server.contains('(') {
        let what =
            if list == "allow" { "approves nothing" } else { "matches nothing (documentation is silent; the weaker protection is taken)" };
        problems.push((
            FindingKind::MatchesNothing,
            format!("`{text}` is not anchored to a server: it {what}; name the server, `mcp__railway`"),
        ));
        return Target::Nothing;
    }
    match tool {
        None | Some("*") => Target::Mcp { server: server.into(), tool: None },
        Some(t) if t.contains('*') => {
            problems.push((FindingKind::MatchesNothing, format!("`{text}`: only `mcp__{server}__*` is a wildcard; `{t}` matches no tool")));
            Target::Nothing
        }
        Some(t) => Target::Mcp { server: server.into(), tool: Some(t.into()) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn anchors() -> Anchors {
        Anchors { cwd: "/repo".into(), home: "/home/dev".into(), settings_root: "/repo".into() }
    }

    fn shell(c: &str) -> ToolCall {
        ToolCall::Shell { command: c.into() }
    }
    fn read(p: &str) -> ToolCall {
        ToolCall::Read { path: p.into() }
    }
    fn edit(p: &str) -> ToolCall {
        ToolCall::Edit { path: p.into() }
    }
    fn mcp(server: &str, tool: &str) -> ToolCall {
        ToolCall::Mcp { server: server.into(), tool: tool.into(), input: serde_json::json!({}) }
    }
    fn fetch(url: &str) -> ToolCall {
        ToolCall::Fetch { url: url.into(), body: None }
    }

    /// One row: the rule, the call, whether it matches, and the finding the rule gives (if any).
    fn check(rule: &str, call: ToolCall, expected: bool, finding: Option<FindingKind>) {
        let r = Rule::parse(rule, "deny", &anchors());
        assert_eq!(r.matches(&call, PrefixBoundary::WordBoundary, "/repo", "/home/dev"), expected, "{rule} vs {call:?}: {r:?}");
        assert_eq!(r.problems.first().map(|p| p.0), finding, "{rule}: {:?}", r.problems);
    }

    #[test]
    fn the_rule_grammar_matches_as_documented() {
        use FindingKind as F;
        let table: Vec<(&str, ToolCall, bool, Option<FindingKind>)> = vec![
            ("Bash", shell("rm -rf /"), true, None),
            ("Bash(*)", shell("anything"), true, None),
            ("Bash(npm run build)", shell("npm run build"), true, None),
            ("Bash(npm run build)", shell("npm run build:prod"), false, None),
            ("Bash(curl:*)", shell("curl -X POST https://backboard.railway.app/graphql/v2"), true, None),
            ("Bash(ls *)", shell("lsof"), false, None),
            ("Bash(ls*)", shell("lsof"), true, None),
            ("Bash(git * main)", shell("git push origin main"), true, None),
            ("Bash(curl:*)", read(".env"), false, None),
            ("Read", read("anything"), true, None),
            ("Read(./.env)", read(".env"), true, None),
            ("Read(./.env)", read("sub/.env"), false, None),
            ("Read(.env)", read("sub/.env"), true, None),
            ("Read(*.env)", read("config/prod.env"), true, None),
            ("Read(./secrets/**)", read("secrets/a/key.pem"), true, None),
            ("Read(//etc/passwd)", read("/etc/passwd"), true, None),
            ("Read(~/.ssh/**)", read("/home/dev/.ssh/id_ed25519"), true, None),
            ("Read(/config/*.json)", read("config/railway.json"), true, None),
            ("Edit(/src/**/*.ts)", edit("src/a/b.ts"), true, None),
            ("Edit", edit("x"), true, None),
            ("Write", edit("x"), true, None),
            ("WebFetch", fetch("https://backboard.railway.com/graphql/v2"), true, None),
            ("WebFetch(domain:backboard.railway.com)", fetch("https://backboard.railway.com/graphql/v2"), true, None),
            ("WebFetch(domain:*.railway.com)", fetch("https://backboard.railway.com/graphql/v2"), true, None),
            ("WebFetch(domain:railway.com)", fetch("https://backboard.railway.com/graphql/v2"), false, None),
            ("mcp__railway", mcp("railway", "volume_delete"), true, None),
            ("mcp__railway__*", mcp("railway", "volume_delete"), true, None),
            ("mcp__railway__volume_delete", mcp("railway", "volume_delete"), true, None),
            ("mcp__railway__volume_list", mcp("railway", "volume_delete"), false, None),
            ("mcp__github", mcp("railway", "volume_delete"), false, None),
            ("Grep", ToolCall::Search { pattern: "TOKEN".into() }, true, None),
            // The messy shapes.
            ("Bash( curl:* )", shell("curl x"), false, Some(F::SpacesInRule)),
            (" Bash(curl:*)", shell("curl x"), false, Some(F::SpacesInRule)),
            ("Read( ./.env )", read(".env"), false, Some(F::SpacesInRule)),
            ("// ---- network ----", shell("curl x"), false, Some(F::NotARule)),
            ("=== dangerous ===", shell("rm x"), false, Some(F::NotARule)),
            ("# secrets", read(".env"), false, Some(F::NotARule)),
            ("Bash(curl:*", shell("curl x"), false, Some(F::NotARule)),
            ("BashTool(curl:*)", shell("curl x"), false, Some(F::LegacyToolName)),
            ("Shell(curl)", shell("curl"), false, Some(F::LegacyToolName)),
            ("LS", read("x"), false, Some(F::LegacyToolName)),
            ("bash(curl:*)", shell("curl x"), false, Some(F::UnknownTool)),
            ("Write(./.env)", edit(".env"), false, Some(F::NeverConsulted)),
            ("MultiEdit(./.env)", edit(".env"), false, Some(F::NeverConsulted)),
            ("Bash()", shell("x"), false, Some(F::MatchesNothing)),
            ("mcp__*", mcp("railway", "volume_delete"), false, Some(F::MatchesNothing)),
            ("mcp__railway__volume_*", mcp("railway", "volume_delete"), false, Some(F::MatchesNothing)),
            ("WebFetch(backboard.railway.com)", fetch("https://backboard.railway.com/x"), false, Some(F::MatchesNothing)),
            (
                "Bash(curl https://backboard.railway.app/:*)",
                shell("curl https://backboard.railway.app/graphql/v2"),
                true,
                Some(F::EasilyBypassed),
            ),
            (
                "Bash(curl https://backboard.railway.app/:*)",
                shell("curl -X POST https://backboard.railway.app/graphql/v2"),
                false,
                Some(F::EasilyBypassed),
            ),
            ("Bash(npm:* test)", shell("npm test"), false, Some(F::MatchesNothing)),
        ];
        for (rule, call, expected, finding) in table {
            check(rule, call, expected, finding);
        }
    }

    #[test]
    fn the_old_agent_tool_name_is_honoured_with_a_finding() {
        let r = Rule::parse("Task", "deny", &anchors());
        assert_eq!(r.target, Target::Tool { tool: "Agent".into(), spec: Spec::Any });
        assert_eq!(r.problems[0].0, FindingKind::LegacyToolName);
    }

    #[test]
    fn hosts_are_read_from_urls() {
        assert_eq!(host("https://user@Backboard.Railway.com:443/graphql/v2?x").as_deref(), Some("backboard.railway.com"));
        assert_eq!(host("backboard.railway.com/x").as_deref(), Some("backboard.railway.com"));
    }
}
