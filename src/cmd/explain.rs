//! `firedrill explain`: would my agent runtime's settings stop this? The decision (allow, ask,
//! deny), the rule and file that decided it (or the mode, or the hook), every known leak and
//! every settings finding, simulated from the runtime's documented rules. Also the settings half
//! of `firedrill check`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use harness::guardrails::runtime::{
    AgentRuntime, ClaudeCode, ClaudeLayer, ClaudeMode, Cursor, CursorFile, CursorFileKind, DeclaredHooks, Finding, HookOutcome, Policy,
    PrefixBoundary, RealHooks, RunMode, RuntimeVerdict, SettingsFile, ToolCall, hook_scripts, load_claude, load_cursor,
};

use super::out::{say, tell};

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("action").required(true).args(["shell", "read", "edit", "mcp", "fetch"])))]
pub struct Args {
    /// A settings file: Claude Code's (`.claude/settings.json`, `settings.local.json`,
    /// `managed-settings.json`, a user file) or Cursor's (`.cursor/cli.json`,
    /// `permissions.json`, `hooks.json`, `.cursorignore`). Prefix `LAYER=` to name its layer
    /// (`managed`, `flags`, `local`, `project`, `user`; `cli`, `permissions`, `hooks`, `ignore`).
    #[arg(long = "settings", value_name = "[LAYER=]PATH", required = true)]
    settings: Vec<String>,
    /// The permission mode: Claude Code's `default`, `acceptEdits`, `plan`, `auto`, `dontAsk`,
    /// `bypassPermissions`; Cursor's `auto-review`, `allowlist`, `run-everything`.
    #[arg(long)]
    mode: Option<String>,
    /// A shell command the agent runs.
    #[arg(long)]
    shell: Option<String>,
    /// A file the agent reads (relative to the project root: the folder holding `.claude/`).
    #[arg(long)]
    read: Option<String>,
    /// A file the agent edits.
    #[arg(long)]
    edit: Option<String>,
    /// An MCP tool the agent calls, as `SERVER/TOOL`.
    #[arg(long, value_name = "SERVER/TOOL")]
    mcp: Option<String>,
    /// A URL the agent fetches with its own web tool.
    #[arg(long)]
    fetch: Option<String>,
    /// `text` or `json`.
    #[arg(long, default_value = "text")]
    format: String,
    /// Claude Code's legacy `:*` as a version had it: `word-boundary` (current) or
    /// `plain-prefix` (earlier releases).
    #[arg(long, value_name = "BEHAVIOUR")]
    prefix_boundary: Option<String>,
    /// Run the team's real hook commands (on a scratch copy of the files they name) instead of
    /// reporting that they were not run.
    #[arg(long)]
    run_hooks: bool,
}

/// The files of one runtime, read from disk.
pub enum Loaded {
    Claude(Vec<SettingsFile>),
    Cursor(Vec<CursorFile>),
}

/// Where paths are anchored: the project root and the home folder.
pub struct Place {
    pub root: String,
    pub home: String,
}

fn error(message: &str, help: Option<&str>) -> ExitCode {
    tell!("error: {message}");
    if let Some(help) = help {
        tell!("  help: {help}");
    }
    ExitCode::from(2)
}

/// Whether `path` names a runtime settings file rather than a scenario.
pub fn is_settings_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
    path.is_file() && (name.ends_with(".json") || name == ".cursorignore")
}

/// Reads `specs` (`[LAYER=]PATH`): all Claude Code's or all Cursor's.
pub fn read(specs: &[String]) -> Result<(Loaded, Place), String> {
    let home = std::env::var("HOME").unwrap_or_default();
    let mut claude = Vec::new();
    let mut cursor = Vec::new();
    let mut root: Option<PathBuf> = None;
    for spec in specs {
        let (layer, path) = match spec.split_once('=') {
            Some((l, p)) if !l.contains('/') && (ClaudeLayer::parse(l).is_some() || CursorFileKind::parse(l).is_some()) => (Some(l), p),
            _ => (None, spec.as_str()),
        };
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let abs = std::fs::canonicalize(path).map_err(|e| format!("cannot read `{path}`: {e}"))?;
        let parent = abs.parent().map(Path::to_path_buf).unwrap_or_default();
        let in_dir = |dir: &str| parent.file_name().is_some_and(|n| n == dir);
        let here = if in_dir(".claude") || in_dir(".cursor") {
            parent.parent().map(Path::to_path_buf).unwrap_or(parent.clone())
        } else {
            parent.clone()
        };
        let kind = match layer {
            Some(l) => CursorFileKind::parse(l),
            None if in_dir(".cursor") || path.ends_with(".cursorignore") => CursorFileKind::of_path(path),
            None => None,
        };
        match (kind, layer.and_then(ClaudeLayer::parse)) {
            (Some(kind), _) => {
                root.get_or_insert(here);
                cursor.push(CursorFile { name: path.to_string(), kind, text });
            }
            (None, named) => {
                let layer = named.unwrap_or_else(|| ClaudeLayer::of_path(&abs.to_string_lossy(), &home));
                if layer != ClaudeLayer::User && layer != ClaudeLayer::Managed {
                    root.get_or_insert(here);
                }
                claude.push(SettingsFile { name: path.to_string(), layer, text });
            }
        }
    }
    if !claude.is_empty() && !cursor.is_empty() {
        return Err("these are Claude Code's and Cursor's files together: explain one runtime at a time".into());
    }
    let root = match root {
        Some(r) => r,
        None => std::env::current_dir().map_err(|e| format!("no working directory: {e}"))?,
    };
    let place = Place { root: root.to_string_lossy().into_owned(), home };
    Ok((if cursor.is_empty() { Loaded::Claude(claude) } else { Loaded::Cursor(cursor) }, place))
}

/// The files hook commands name, relative to the project root, with their contents.
fn hook_files(commands: &[String], root: &str) -> BTreeMap<String, String> {
    hook_scripts(commands, &[Path::new(root)])
}

/// The runtime the files make, in `mode`.
pub fn runtime(loaded: Loaded, place: &Place, mode: Option<&str>, boundary: Option<&str>, run_hooks: bool) -> Result<AgentRuntime, String> {
    let boundary = match boundary {
        None => None,
        Some(b) => {
            Some(PrefixBoundary::parse(b).ok_or_else(|| format!("unknown prefix behaviour `{b}`: use `word-boundary` or `plain-prefix`"))?)
        }
    };
    let (policy, files) = match loaded {
        Loaded::Claude(files) => {
            let first = load_claude(&files, &place.root, &place.home, &BTreeMap::new());
            let commands: Vec<String> = first.hooks.iter().chain(&first.other_hooks).map(|h| h.command.clone()).collect();
            let scripts = hook_files(&commands, &place.root);
            let mut settings = load_claude(&files, &place.root, &place.home, &scripts);
            if let Some(b) = boundary {
                settings.boundary = b;
            }
            let mut code = ClaudeCode::new(settings);
            if let Some(m) = mode {
                let parsed = ClaudeMode::parse(m).ok_or_else(|| {
                    format!("unknown Claude Code mode `{m}`: use one of {}", ClaudeMode::ALL.map(|m| format!("`{}`", m.name())).join(", "))
                })?;
                code = code.with_mode(parsed)?;
            }
            (Policy::ClaudeCode(code), scripts)
        }
        Loaded::Cursor(files) => {
            let settings = load_cursor(&files, &place.root, &place.home);
            let mode = match mode {
                None => None,
                Some(m) => Some(RunMode::parse(m).ok_or_else(|| {
                    format!("unknown Cursor run mode `{m}`: use one of {}", RunMode::ALL.map(|m| format!("`{}`", m.name())).join(", "))
                })?),
            };
            let commands: Vec<String> = settings.hooks.iter().map(|h| h.command.clone()).collect();
            let scripts = hook_files(&commands, &place.root);
            (Policy::Cursor(Cursor::new(settings, mode)), scripts)
        }
    };
    let runtime = AgentRuntime::new(policy);
    Ok(if run_hooks {
        runtime.hooks(RealHooks::new(files))
    } else {
        runtime.hooks(DeclaredHooks::new().otherwise(HookOutcome::NotStarted("explain runs hooks only with `--run-hooks`".into())))
    })
}

fn call(args: &Args) -> Result<ToolCall, String> {
    Ok(if let Some(c) = &args.shell {
        ToolCall::Shell { command: c.clone() }
    } else if let Some(p) = &args.read {
        ToolCall::Read { path: p.clone() }
    } else if let Some(p) = &args.edit {
        ToolCall::Edit { path: p.clone() }
    } else if let Some(u) = &args.fetch {
        ToolCall::Fetch { url: u.clone(), body: None }
    } else if let Some(m) = &args.mcp {
        let (server, tool) = m
            .split_once('/')
            .filter(|(s, t)| !s.is_empty() && !t.is_empty())
            .ok_or_else(|| format!("`--mcp {m}` names `SERVER/TOOL`, e.g. `railway/volume_delete`"))?;
        ToolCall::Mcp { server: server.into(), tool: tool.into(), input: serde_json::json!({}) }
    } else {
        return Err("no action given".into());
    })
}

/// `firedrill explain`.
pub fn explain(args: Args) -> ExitCode {
    if !matches!(args.format.as_str(), "text" | "json") {
        return error(&format!("unknown format `{}`", args.format), Some("use `--format text` or `--format json`"));
    }
    let call = match call(&args) {
        Ok(c) => c,
        Err(e) => return error(&e, None),
    };
    let (loaded, place) = match read(&args.settings) {
        Ok(x) => x,
        Err(e) => return error(&e, Some("give settings files with `--settings PATH`")),
    };
    let runtime = match runtime(loaded, &place, args.mode.as_deref(), args.prefix_boundary.as_deref(), args.run_hooks) {
        Ok(r) => r,
        Err(e) => return error(&e, None),
    };
    let verdict = runtime.decide(&call);
    if args.format == "json" {
        say!("{}", serde_json::to_string_pretty(&verdict).unwrap_or_default());
    } else {
        text(&verdict);
    }
    ExitCode::SUCCESS
}

fn text(v: &RuntimeVerdict) {
    say!("runtime:  {}", v.runtime);
    say!("decision: {}", v.decision_name());
    match &v.matched {
        Some(m) => say!("by:       {} `{}` in {} ({})", v.by.name(), m.rule, m.list, m.file),
        None => say!("by:       {}", v.by.name()),
    }
    say!("reason:   {}", v.reason);
    if v.leaks.is_empty() {
        say!("leaks:    none known");
    } else {
        say!("leaks:");
        for l in &v.leaks {
            say!("  - {}: {}", l.kind_name(), l.message);
        }
    }
    findings(&v.findings);
}

fn findings(list: &[Finding]) {
    if list.is_empty() {
        say!("findings: none");
    } else {
        say!("findings:");
        for f in list {
            say!("  {f}");
        }
    }
}

/// `firedrill check` on settings files: their findings with positions; exit 2 only if the
/// runtime itself would refuse one of them.
pub fn check(paths: &[PathBuf]) -> ExitCode {
    let specs: Vec<String> = paths.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let mut claude = Vec::new();
    let mut cursor = Vec::new();
    for s in &specs {
        let is_cursor = s.ends_with(".cursorignore") || Path::new(s).parent().and_then(Path::file_name).is_some_and(|n| n == ".cursor");
        if is_cursor { cursor.push(s.clone()) } else { claude.push(s.clone()) }
    }
    let mut all = Vec::new();
    for group in [claude, cursor].into_iter().filter(|g| !g.is_empty()) {
        let (loaded, place) = match read(&group) {
            Ok(x) => x,
            Err(e) => return error(&e, None),
        };
        match runtime(loaded, &place, None, None, false) {
            Ok(r) => all.extend(r.findings().iter().cloned()),
            Err(e) => return error(&e, None),
        }
    }
    let refused: std::collections::BTreeSet<&str> = all.iter().filter(|f| f.refuses_file()).map(|f| f.file.as_str()).collect();
    for p in &specs {
        let n = all.iter().filter(|f| &f.file == p).count();
        let status = if refused.contains(p.as_str()) {
            "refused"
        } else if n == 0 {
            "ok"
        } else {
            "loads"
        };
        say!("{status:<7} {p}{}", if n > 0 { format!(" ({n} finding(s))") } else { String::new() });
    }
    for f in &all {
        say!("  {f}");
    }
    say!("{} settings file(s) checked, {} the runtime would refuse", specs.len(), refused.len());
    if refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(2) }
}
