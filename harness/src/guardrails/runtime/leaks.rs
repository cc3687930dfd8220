//! The known ways around a runtime's decision, worked out for one call: a `Read` deny that
//! `cat` through the shell walks past, a command wrapped in `sh -c` (or `env`, `xargs`,
//! `find -exec`, an interpreter, a brace group, a substitution) that the rules never see, an
//! allowed interpreter that runs anything, commands chained after an allowlisted one, a call
//! to the provider through the terminal that no MCP rule is consulted on.
//!
//! What really runs inside a command comes from `segments::nested` (the wrappers) and from the
//! project's shell interpreter, `agent::shell::interpret` (which files a command reads, and
//! whether it calls the provider).

use super::call::ToolCall;
use super::claude_code::{ClaudeCode, Prepared};
use super::claude_settings::List;
use super::cursor::Cursor;
use super::cursor_settings::CliRule;
use super::finding::FindingKind;
use super::rule::Target;
use super::segments::{Wrapper, nested, segments};
use crate::agent::shell::{Command, ShellContext, interpret};
use crate::guardrails::{Leak, LeakKind, Verdict};

/// Interpreter and wrapper invocations that run whatever they are given.
const RUN_ANYTHING: [&str; 12] = [
    "sh -c x",
    "bash -c x",
    "zsh -c x",
    "python -c x",
    "python3 -c x",
    "node -e x",
    "perl -e x",
    "ruby -e x",
    "env x",
    "xargs x",
    "eval x",
    "find . -exec x ;",
];

fn leak(kind: LeakKind, message: String) -> Leak {
    Leak { kind, message }
}

/// What a shell line does, by the project's shell interpreter: the files it reads, and whether
/// it calls the provider (a curl to Railway's API, the Railway CLI).
fn interpreted(command: &str) -> (Vec<String>, bool) {
    let mut reads = Vec::new();
    let mut provider = false;
    for inv in interpret(&super::call::opaque_expansions(command), &ShellContext::new()).commands {
        match inv.command {
            Command::ReadFile { path, .. } => reads.push(path),
            Command::Search { paths, .. } => reads.extend(paths),
            Command::Graphql(_) | Command::Railway(_) => provider = true,
            _ => {}
        }
    }
    (reads, provider)
}

/// What Claude Code's leaks depend on that is the same for every call: worked out once, when
/// the settings are read or the mode changes, instead of once per decision.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ClaudeFacts {
    /// Whether a deny rule names `Bash` (which inline code in an interpreter walks past).
    deny_bash: bool,
    /// The first MCP rule (which a call to the provider from the shell never meets).
    first_mcp: Option<usize>,
    /// The first deny rule that pins a URL inside a command.
    pinned_deny: Option<usize>,
    /// The first deny rule on `Read` (which a search reads past, best effort).
    read_deny: Option<usize>,
    /// The first allow rule on `Bash` that lets an interpreter or wrapper run without a
    /// prompt, and the invocation it lets run.
    interpreter: Option<(usize, &'static str)>,
}

/// The call-independent facts of `code` (its rules and its mode).
pub(super) fn claude_facts(code: &ClaudeCode) -> ClaudeFacts {
    let s = code.settings();
    let bash = |r: &&super::claude_settings::PlacedRule| matches!(&r.rule.target, Target::Tool { tool, .. } if tool == "Bash");
    let position = |f: &dyn Fn(&super::claude_settings::PlacedRule) -> bool| s.rules.iter().position(f);
    let probes: Vec<(&'static str, ToolCall)> = RUN_ANYTHING.iter().map(|p| (*p, ToolCall::Shell { command: (*p).to_string() })).collect();
    // A probe's own decision does not depend on the rule that matched it: decided once each,
    // and only for a probe some allow rule matches.
    let allowed: Vec<std::cell::OnceCell<bool>> = probes.iter().map(|_| std::cell::OnceCell::new()).collect();
    let interpreter = s.rules.iter().enumerate().filter(|(_, r)| r.list == List::Allow && bash(r)).find_map(|(i, r)| {
        probes
            .iter()
            .zip(&allowed)
            .find(|((_, c), allowed)| {
                r.rule.matches(c, s.boundary, &s.cwd, &s.home) && *allowed.get_or_init(|| code.by_rules(c).decision == Verdict::Allow)
            })
            .map(|((p, _), _)| (i, *p))
    });
    ClaudeFacts {
        deny_bash: s.rules.iter().any(|r| r.list == List::Deny && bash(&r)),
        first_mcp: position(&|r| matches!(&r.rule.target, Target::Mcp { .. })),
        pinned_deny: position(&|r| r.list == List::Deny && r.rule.problems.iter().any(|p| p.0 == FindingKind::EasilyBypassed)),
        read_deny: position(&|r| r.list == List::Deny && matches!(&r.rule.target, Target::Tool { tool, .. } if tool == "Read")),
        interpreter,
    }
}

/// The leaks of Claude Code's decision `verdict` on the call `p`.
pub(super) fn claude(code: &ClaudeCode, p: &Prepared<'_>, verdict: Verdict) -> Vec<Leak> {
    let s = code.settings();
    let facts = code.facts();
    let rule = |i: Option<usize>| i.and_then(|i| s.rules.get(i));
    let mut out = Vec::new();
    let by_rules = |c: &ToolCall| code.by_rules(c).decision;
    match p.call {
        ToolCall::Shell { command } => {
            for seg in &p.segments {
                for inner in nested(seg) {
                    if inner.how == Wrapper::Interpreter {
                        if verdict != Verdict::Deny && facts.deny_bash {
                            out.push(leak(
                                LeakKind::WrappedCommand,
                                format!("`{}` runs inline code no Bash rule reads: whatever it runs, the deny rules never see", inner.via),
                            ));
                        }
                        continue;
                    }
                    // What applies to a wrapped command: a deny rule unless the call was
                    // denied anyway, an ask rule only if it was allowed.
                    let lists: &[List] = match verdict {
                        Verdict::Allow => &[List::Deny, List::Ask],
                        Verdict::Deny => &[],
                        _ => &[List::Deny],
                    };
                    if lists.is_empty() {
                        continue;
                    }
                    let inner_call = ToolCall::Shell { command: inner.command.clone() };
                    let inner_p = code.prepare(&inner_call);
                    if let Some((list, r)) = lists.iter().find_map(|l| code.first_match(*l, &inner_p).map(|(r, _)| (*l, r))) {
                        out.push(leak(
                            LeakKind::WrappedCommand,
                            format!(
                                "`{}` runs inside {} (`{}`): Claude Code matches rules against the whole `{}`, so `{}` ({} in {}) does not apply",
                                inner.command,
                                inner.how.describe(),
                                inner.via,
                                seg.text,
                                r.rule.text,
                                list.name(),
                                r.file
                            ),
                        ));
                    }
                }
                if verdict != Verdict::Deny {
                    for path in &seg.writes {
                        let edit = ToolCall::Edit { path: path.clone() };
                        if let Some((r, _)) = code.first_match(List::Deny, &code.prepare(&edit)) {
                            out.push(leak(
                                LeakKind::ShellWrite,
                                format!(
                                    "the command writes `{path}` through the shell: `{}` (deny, {}) covers only the editing tools",
                                    r.rule.text, r.file
                                ),
                            ));
                        }
                    }
                }
            }
            if verdict != Verdict::Deny {
                let (reads, provider) = interpreted(command);
                for path in reads {
                    if let Some((r, _)) = code.first_match(List::Deny, &code.prepare(&ToolCall::Read { path: path.clone() })) {
                        out.push(leak(
                            LeakKind::ShellRead,
                            format!(
                                "the command reads `{path}` through Bash: `{}` (deny, {}) covers only the Read tool",
                                r.rule.text, r.file
                            ),
                        ));
                    }
                }
                if provider && let Some(r) = rule(facts.first_mcp) {
                    out.push(leak(
                        LeakKind::McpNeverConsulted,
                        format!(
                            "the command calls the provider's API from the shell: MCP rules such as `{}` ({}) are never consulted",
                            r.rule.text, r.file
                        ),
                    ));
                }
                if let Some(r) = rule(facts.pinned_deny) {
                    out.push(leak(
                        LeakKind::UrlPinned,
                        format!(
                            "`{}` ({}) pins a URL inside the command line: the same request written differently gets past it",
                            r.rule.text, r.file
                        ),
                    ));
                }
            }
        }
        ToolCall::Read { path } if verdict == Verdict::Deny => {
            let cat = ToolCall::Shell { command: format!("cat {path}") };
            let through = by_rules(&cat);
            if through != Verdict::Deny {
                out.push(leak(
                    LeakKind::ShellRead,
                    format!("a `Read` deny does not stop `cat {path}` through Bash, which these settings {}", answer(through)),
                ));
            }
        }
        ToolCall::Edit { path } if verdict == Verdict::Deny => {
            let tee = ToolCall::Shell { command: format!("tee {path}") };
            let through = by_rules(&tee);
            if through != Verdict::Deny {
                out.push(leak(
                    LeakKind::ShellWrite,
                    format!("an `Edit` deny does not stop `tee {path}` through Bash, which these settings {}", answer(through)),
                ));
            }
        }
        ToolCall::Search { .. } => {
            if let Some(r) = rule(facts.read_deny) {
                out.push(leak(
                    LeakKind::SearchReadsDenied,
                    format!(
                        "Read rules apply to searches best effort only: the search can show what `{}` ({}) denies",
                        r.rule.text, r.file
                    ),
                ));
            }
        }
        _ => {}
    }
    if verdict != Verdict::Allow
        && let Some((r, probe)) = facts.interpreter.and_then(|(i, probe)| s.rules.get(i).map(|r| (r, probe)))
    {
        let example = probe.trim_end_matches(" x").trim_end_matches(" x ;");
        out.push(leak(
            LeakKind::AllowedInterpreter,
            format!(
                "`{}` (allow, {}) lets `{example} …` run without a prompt, and it runs anything, past every deny rule",
                r.rule.text, r.file
            ),
        ));
    }
    out.dedup();
    out
}

fn answer(v: Verdict) -> &'static str {
    match v {
        Verdict::Allow => "allow",
        Verdict::Ask => "ask about (an approver can say yes)",
        _ => "stop",
    }
}

/// The leaks of Cursor's decision `verdict` on `call`.
pub fn cursor(c: &Cursor, call: &ToolCall, verdict: Verdict) -> Vec<Leak> {
    let s = &c.settings;
    let mut out = Vec::new();
    match call {
        ToolCall::Shell { command } => {
            let segs = segments(command);
            if let Some((first, rest)) = segs.split_first() {
                if verdict == Verdict::Allow && !rest.is_empty() {
                    out.push(leak(
                        LeakKind::ChainedCommand,
                        format!(
                            "Cursor's rules were applied to `{}`; what is chained after it (`{}`) rides along (Cursor does not document checking chained commands)",
                            first.text,
                            rest.iter().map(|s| s.text.as_str()).collect::<Vec<_>>().join("`, `")
                        ),
                    ));
                }
                for seg in rest {
                    if let Some(e) = c.cli_match("deny", &ToolCall::Shell { command: seg.text.clone() }) {
                        out.push(leak(
                            LeakKind::ChainedCommand,
                            format!(
                                "`{}` (deny, {}) would match the chained `{}`, which Cursor's check never sees",
                                e.text, e.file, seg.text
                            ),
                        ));
                    }
                }
            }
            for seg in &segs {
                for inner in nested(seg) {
                    if inner.how == Wrapper::Interpreter {
                        continue;
                    }
                    if let Some(e) = c.cli_match("deny", &ToolCall::Shell { command: inner.command.clone() })
                        && verdict != Verdict::Deny
                    {
                        out.push(leak(
                            LeakKind::WrappedCommand,
                            format!(
                                "`{}` runs inside {} (`{}`): `{}` (deny, {}) sees only `{}`",
                                inner.command,
                                inner.how.describe(),
                                inner.via,
                                e.text,
                                e.file,
                                seg.text
                            ),
                        ));
                    }
                }
            }
            if verdict != Verdict::Deny {
                let (reads, provider) = interpreted(command);
                for path in reads {
                    if let Some(e) = c.ignored(&path) {
                        out.push(leak(
                            LeakKind::ShellRead,
                            format!(
                                "the command reads `{path}` in the terminal: `{}` in {} hides it from the file tools only",
                                e.text, e.file
                            ),
                        ));
                    } else if let Some(e) = c.cli_match("deny", &ToolCall::Read { path: path.clone() }) {
                        out.push(leak(
                            LeakKind::ShellRead,
                            format!(
                                "the command reads `{path}` in the terminal: `{}` (deny, {}) covers the Read tool only",
                                e.text, e.file
                            ),
                        ));
                    }
                }
                if provider {
                    let mcp =
                        s.mcp.first().map(|e| (e.text.clone(), e.file.clone())).or_else(|| {
                            s.cli.iter().find(|e| matches!(e.rule, CliRule::Mcp { .. })).map(|e| (e.text.clone(), e.file.clone()))
                        });
                    if let Some((text, file)) = mcp {
                        out.push(leak(
                            LeakKind::McpNeverConsulted,
                            format!("the command calls the provider's API from the terminal: the MCP rules (`{text}` in {file}) are never consulted"),
                        ));
                    }
                }
            }
        }
        ToolCall::Read { path } if verdict == Verdict::Deny => {
            let through = c.by_rules(&ToolCall::Shell { command: format!("cat {path}") }).decision;
            if through != Verdict::Deny {
                out.push(leak(
                    LeakKind::ShellRead,
                    format!(
                        "hiding `{path}` from the file tools does not stop `cat {path}` in the terminal, which these settings {}",
                        answer(through)
                    ),
                ));
            }
        }
        _ => {}
    }
    if verdict != Verdict::Allow {
        let interpreter = |p: &super::command::CommandPattern| RUN_ANYTHING.iter().find(|probe| p.matches(probe, Default::default()));
        let found =
            s.terminal.iter().find_map(|e| interpreter(&e.rule).map(|p| (e.text.clone(), e.file.clone(), e.list, *p))).or_else(|| {
                s.cli.iter().filter(|e| e.list == "allow").find_map(|e| match &e.rule {
                    CliRule::Shell(p) => interpreter(p).map(|probe| (e.text.clone(), e.file.clone(), e.list, *probe)),
                    _ => None,
                })
            });
        if let Some((text, file, list, probe)) = found {
            let example = probe.trim_end_matches(" x").trim_end_matches(" x ;");
            out.push(leak(
                LeakKind::AllowedInterpreter,
                format!("`{text}` ({list}, {file}) lets `{example} …` run unattended, and it runs anything, past every deny rule"),
            ));
        }
    }
    out.dedup();
    out
}
