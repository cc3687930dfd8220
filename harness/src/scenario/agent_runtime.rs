//! `AgentRuntimeSpec`: the team's agent runtime, the `[agent_runtime]` table: which runtime
//! (Claude Code or Cursor), the team's settings files (paths relative to the scenario file, or
//! inline), the mode, the version's behaviour, how hooks are answered (declared outcomes or the
//! real commands) and who answers the runtime's prompts (an approver model, the classifier).
//!
//! The settings files are read when the scenario is loaded (`load_files`), relative to the
//! scenario file, as `[gateway] cedar` is. A settings file the runtime itself would refuse (not
//! JSON) is not an error here: the runtime loads the others and ignores it, and the report and
//! `firedrill check` say so.

use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::error::SourceFile;
use super::spans::{Seg, Spans, doc_path};
use super::{ErrorKind, ScenarioError};
use crate::guardrails::runtime::{ClaudeLayer, ClaudeMode, CursorFileKind, PrefixBoundary, RunMode};

/// The team's agent runtime as the `agent-runtime` layer. Without it, the layer allows
/// everything and says so.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgentRuntimeSpec {
    /// **Required.** `claude-code` or `cursor`.
    pub runtime: RuntimeKind,
    /// The team's settings files, relative to the scenario file, as `[LAYER=]PATH`. Claude
    /// Code's layer comes from the file's name (`managed-settings.json` is managed,
    /// `settings.local.json` local, any other `settings.json` the project's) unless a prefix
    /// names it: `managed`, `flags`, `local`, `project`, `user`. Cursor's kind likewise
    /// (`cli.json`, `permissions.json`, `hooks.json`, `.cursorignore`) or `cli`,
    /// `permissions`, `hooks`, `ignore`.
    #[serde(default)]
    pub settings: Vec<String>,
    /// Settings written in the scenario itself, for small cases: `[[agent_runtime.file]]`.
    #[serde(default, rename = "file")]
    pub files: Vec<InlineSettings>,
    /// The permission mode the agent runs in, as `--permission-mode` sets it. Claude Code:
    /// `default`, `acceptEdits`, `plan`, `auto`, `dontAsk`, `bypassPermissions` (defaults to the
    /// settings' `defaultMode`); Cursor: `auto-review`, `allowlist`, `run-everything` (defaults
    /// to `allowlist`).
    #[serde(default)]
    pub mode: Option<String>,
    /// Claude Code's legacy `:*` as the team's version has it: `word-boundary` (current
    /// releases: `Bash(rm:*)` does not match `rmdir`) or `plain-prefix` (earlier releases).
    #[serde(default)]
    pub prefix_boundary: Option<String>,
    /// Run the team's real hook commands (with the documented JSON on stdin, on a scratch copy
    /// of the scenario's repository files and the files the hooks name, under their timeout)
    /// instead of declaring what they answer. Defaults to false.
    #[serde(default)]
    pub run_hooks: bool,
    /// What a hook answers, by its command: `[[agent_runtime.hook]]`. A hook with no declared
    /// answer (and `run_hooks` off) is reported as not run, which blocks nothing.
    #[serde(default, rename = "hook")]
    pub hooks: Vec<HookAnswer>,
    /// Who answers when the runtime asks. Defaults to one who approves everything (the weaker
    /// protection), and the report says so.
    #[serde(default)]
    pub approver: Option<ApproverSpec>,
    /// The runtime's classifier (Claude Code's `auto` mode, Cursor's Auto-review), declared as
    /// an approver model.
    #[serde(default)]
    pub classifier: Option<ApproverSpec>,
    /// The settings files as read by `load_files`.
    #[serde(skip)]
    pub loaded: Vec<LoadedSettings>,
    /// The folder of the scenario file.
    #[serde(skip)]
    pub dir: Option<PathBuf>,
}

/// Which agent runtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RuntimeKind {
    /// Anthropic's Claude Code.
    ClaudeCode,
    /// Cursor's agent (editor and CLI).
    Cursor,
}

impl RuntimeKind {
    pub const fn name(self) -> &'static str {
        match self {
            RuntimeKind::ClaudeCode => "claude-code",
            RuntimeKind::Cursor => "cursor",
        }
    }
}

/// A settings file written inline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct InlineSettings {
    /// **Required.** The file's name as the runtime finds it, such as `.claude/settings.json`
    /// or `.cursor/permissions.json`: it gives the layer (or kind), and reports name it so.
    pub name: String,
    /// The layer (Claude Code) or kind (Cursor), when the name does not say it.
    #[serde(default)]
    pub layer: Option<String>,
    /// **Required.** The file's text, exactly as the team wrote it.
    pub text: String,
}

/// What one hook answers, declared.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HookAnswer {
    /// **Required.** The hook's `command`, exactly as the settings write it.
    pub command: String,
    /// The exit code. Defaults to 0.
    #[serde(default)]
    pub exit: i32,
    /// What it prints on stderr (Claude Code shows it to the agent when the hook blocks).
    #[serde(default)]
    pub stderr: Option<String>,
    /// The JSON it prints on stdout, as a table, such as
    /// `{ hookSpecificOutput = { hookEventName = "PreToolUse", permissionDecision = "deny" } }`.
    #[serde(default)]
    pub json: Option<serde_json::Value>,
}

/// An approver model: who answers the runtime's `ask`s.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ApproverSpec {
    /// **Required.** `approves-everything`, `approves-nothing`, `approves-all-but-destructive`,
    /// `reads-first` (with `characters`), `probability` (with `p`, drawn from the run's seed),
    /// `until-tired` (with `prompts`).
    pub model: ApproverModel,
    /// For `reads-first`: how many characters of the prompt the person reads before answering.
    #[serde(default)]
    pub characters: Option<usize>,
    /// For `probability`: the chance each prompt is approved, from 0 to 1.
    #[serde(default)]
    pub p: Option<f64>,
    /// For `until-tired`: how many prompts the person answers carefully (refusing destructive
    /// calls) before approving everything.
    #[serde(default)]
    pub prompts: Option<u32>,
}

/// The approver models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ApproverModel {
    /// Approves every prompt.
    ApprovesEverything,
    /// Refuses every prompt.
    ApprovesNothing,
    /// Approves everything but calls that name a destructive operation.
    ApprovesAllButDestructive,
    /// Reads only the first `characters` characters and approves unless those look destructive.
    ReadsFirst,
    /// Approves each prompt with probability `p`, drawn from the run's seed.
    Probability,
    /// Careful for `prompts` prompts, then approves everything.
    UntilTired,
}

impl ApproverModel {
    const fn name(self) -> &'static str {
        match self {
            ApproverModel::ApprovesEverything => "approves-everything",
            ApproverModel::ApprovesNothing => "approves-nothing",
            ApproverModel::ApprovesAllButDestructive => "approves-all-but-destructive",
            ApproverModel::ReadsFirst => "reads-first",
            ApproverModel::Probability => "probability",
            ApproverModel::UntilTired => "until-tired",
        }
    }
}

/// One settings file as read: the name the runtime and the report know it by, its layer or
/// kind, its text, and the folder that stands for the project root (for the hook scripts it
/// names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadedSettings {
    pub name: String,
    pub layer: Option<String>,
    pub text: String,
    pub root: Option<PathBuf>,
}

impl LoadedSettings {
    /// The file as Claude Code loads it: its layer from its prefix, else from its path.
    pub fn claude_file(&self) -> crate::guardrails::runtime::SettingsFile {
        use crate::guardrails::runtime::DRILL_HOME;
        crate::guardrails::runtime::SettingsFile {
            name: self.name.clone(),
            layer: self.layer.as_deref().and_then(ClaudeLayer::parse).unwrap_or_else(|| ClaudeLayer::of_path(&self.name, DRILL_HOME)),
            text: self.text.clone(),
        }
    }

    /// The file as Cursor loads it, or `None` when it is not one of Cursor's files.
    pub fn cursor_file(&self) -> Option<crate::guardrails::runtime::CursorFile> {
        let kind = self.layer.as_deref().and_then(CursorFileKind::parse).or_else(|| CursorFileKind::of_path(&self.name))?;
        Some(crate::guardrails::runtime::CursorFile { name: self.name.clone(), kind, text: self.text.clone() })
    }
}

/// `LAYER=PATH` split, when the prefix is a layer or kind name.
pub fn split_layer(spec: &str) -> (Option<&str>, &str) {
    match spec.split_once('=') {
        Some((l, p)) if !l.contains('/') && (ClaudeLayer::parse(l).is_some() || CursorFileKind::parse(l).is_some()) => (Some(l), p),
        _ => (None, spec),
    }
}

/// Checks the `[agent_runtime]` table's values (not the files it names; `load_files` reads
/// those).
pub(crate) fn check(file: &SourceFile, spans: &Spans<'_>, spec: &AgentRuntimeSpec) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    let error = |kind, at: &[Seg<'_>], message: &str| ScenarioError::new(kind, file, spans.at(at), message);
    if spec.settings.is_empty() && spec.files.is_empty() {
        errors.push(
            error(ErrorKind::InvalidValue, doc_path!["agent_runtime"], "the `[agent_runtime]` table names no settings")
                .label("no settings")
                .help("list the team's files, `settings = [\"settings/team/.claude/settings.json\"]`, or write one in `[[agent_runtime.file]]`"),
        );
    }
    let layer_ok = |l: &str| match spec.runtime {
        RuntimeKind::ClaudeCode => ClaudeLayer::parse(l).is_some(),
        RuntimeKind::Cursor => CursorFileKind::parse(l).is_some(),
    };
    let layers = match spec.runtime {
        RuntimeKind::ClaudeCode => "`managed`, `flags`, `local`, `project`, `user`",
        RuntimeKind::Cursor => "`cli`, `permissions`, `hooks`, `ignore`",
    };
    for (i, s) in spec.settings.iter().enumerate() {
        let (layer, path) = split_layer(s);
        if path.trim().is_empty() {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["agent_runtime", "settings", i], "the settings file's path is empty")
                    .label("empty path")
                    .help("write the path of a settings file, relative to this file"),
            );
        }
        if let Some(l) = layer.filter(|l| !layer_ok(l)) {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["agent_runtime", "settings", i],
                    &format!("`{l}` is not a {} layer", spec.runtime.name()),
                )
                .label("another runtime's layer")
                .help(format!("use one of {layers}")),
            );
        }
        if spec.runtime == RuntimeKind::Cursor && layer.is_none() && CursorFileKind::of_path(path).is_none() && !path.trim().is_empty() {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["agent_runtime", "settings", i],
                    &format!("`{path}` is not one of Cursor's files"),
                )
                .label("which file is this?")
                .help(
                    "Cursor reads `cli.json`, `permissions.json`, `hooks.json` and `.cursorignore`; or prefix the kind, `permissions=PATH`",
                ),
            );
        }
    }
    for (i, f) in spec.files.iter().enumerate() {
        if let Some(l) = f.layer.as_deref().filter(|l| !layer_ok(l)) {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["agent_runtime", "file", i, "layer"],
                    &format!("`{l}` is not a {} layer", spec.runtime.name()),
                )
                .label("unknown layer")
                .help(format!("use one of {layers}")),
            );
        }
        if spec.runtime == RuntimeKind::Cursor && f.layer.is_none() && CursorFileKind::of_path(&f.name).is_none() {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["agent_runtime", "file", i, "name"],
                    &format!("`{}` is not one of Cursor's files", f.name),
                )
                .label("which file is this?")
                .help("name it `.cursor/cli.json`, `.cursor/permissions.json`, `.cursor/hooks.json` or `.cursorignore`, or set `layer`"),
            );
        }
    }
    if let Some(mode) = &spec.mode {
        let (known, names) = match spec.runtime {
            RuntimeKind::ClaudeCode => (ClaudeMode::parse(mode).is_some(), ClaudeMode::ALL.map(|m| format!("`{}`", m.name())).join(", ")),
            RuntimeKind::Cursor => (RunMode::parse(mode).is_some(), RunMode::ALL.map(|m| format!("`{}`", m.name())).join(", ")),
        };
        if !known {
            errors.push(
                error(
                    ErrorKind::InvalidValue,
                    doc_path!["agent_runtime", "mode"],
                    &format!("`{mode}` is not a {} mode", spec.runtime.name()),
                )
                .label("unknown mode")
                .help(format!("use one of {names}")),
            );
        }
    }
    if let Some(b) = &spec.prefix_boundary {
        if spec.runtime != RuntimeKind::ClaudeCode {
            errors.push(
                error(ErrorKind::Inconsistent, doc_path!["agent_runtime", "prefix_boundary"], "`prefix_boundary` is Claude Code's")
                    .label("not a Cursor setting")
                    .help("remove it: Cursor's rules have no legacy `:*`"),
            );
        } else if PrefixBoundary::parse(b).is_none() {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["agent_runtime", "prefix_boundary"], &format!("unknown prefix behaviour `{b}`"))
                    .label("unknown behaviour")
                    .help("use `word-boundary` (current releases) or `plain-prefix` (earlier releases)"),
            );
        }
    }
    let mut seen: Vec<&str> = Vec::new();
    for (i, h) in spec.hooks.iter().enumerate() {
        if seen.contains(&h.command.as_str()) {
            errors.push(
                error(ErrorKind::Duplicate, doc_path!["agent_runtime", "hook", i, "command"], "this hook's answer is declared twice")
                    .label("again")
                    .help("declare each hook command once"),
            );
        }
        seen.push(&h.command);
        if h.json.as_ref().is_some_and(|j| !j.is_object()) {
            errors.push(
                error(ErrorKind::InvalidValue, doc_path!["agent_runtime", "hook", i, "json"], "a hook's JSON answer is an object")
                    .label("not a table")
                    .help("write it as a table, `json = { permission = \"deny\" }`"),
            );
        }
    }
    if spec.run_hooks && !spec.hooks.is_empty() {
        errors.push(
            error(ErrorKind::Inconsistent, doc_path!["agent_runtime", "run_hooks"], "hooks are both run and declared")
                .label("runs the real commands")
                .help("either run the team's hooks (`run_hooks = true`) or declare their answers (`[[agent_runtime.hook]]`)"),
        );
    }
    for (key, a) in [("approver", &spec.approver), ("classifier", &spec.classifier)] {
        if let Some(a) = a {
            errors.extend(check_approver(&error, key, a));
        }
    }
    errors
}

fn check_approver(error: &dyn Fn(ErrorKind, &[Seg<'_>], &str) -> ScenarioError, key: &'static str, a: &ApproverSpec) -> Vec<ScenarioError> {
    let mut errors = Vec::new();
    let model = a.model.name();
    let needs = |field: &'static str, present: bool, help: &str| {
        (!present).then(|| {
            error(ErrorKind::InvalidValue, doc_path!["agent_runtime", key, "model"], &format!("`{model}` needs `{field}`"))
                .label(format!("no `{field}`"))
                .help(help.to_string())
        })
    };
    let extra = |field: &'static str, present: bool| {
        present.then(|| {
            error(ErrorKind::Inconsistent, doc_path!["agent_runtime", key, field], &format!("`{field}` means nothing to `{model}`"))
                .label("ignored by this model")
                .help("remove it, or pick the model it belongs to")
        })
    };
    errors.extend(match a.model {
        ApproverModel::ReadsFirst => needs("characters", a.characters.is_some(), "`characters = 40`: how much of the prompt they read"),
        ApproverModel::Probability => needs("p", a.p.is_some(), "`p = 0.9`: the chance each prompt is approved"),
        ApproverModel::UntilTired => needs("prompts", a.prompts.is_some(), "`prompts = 3`: careful prompts before approving everything"),
        _ => None,
    });
    errors.extend(extra("characters", a.characters.is_some() && a.model != ApproverModel::ReadsFirst));
    errors.extend(extra("p", a.p.is_some() && a.model != ApproverModel::Probability));
    errors.extend(extra("prompts", a.prompts.is_some() && a.model != ApproverModel::UntilTired));
    if let Some(p) = a.p.filter(|p| !(0.0..=1.0).contains(p)) {
        errors.push(
            error(ErrorKind::InvalidValue, doc_path!["agent_runtime", key, "p"], &format!("a probability is between 0 and 1, not {p}"))
                .label("out of range")
                .help("`p = 0.9` approves nine prompts in ten"),
        );
    }
    errors
}

/// The folder that stands for the project root of a settings file at `path`: the parent of
/// its `.claude` or `.cursor` folder, else its own folder.
fn project_root(path: &Path) -> Option<PathBuf> {
    let parent = path.parent()?;
    let named = parent.file_name().and_then(|n| n.to_str());
    Some(if matches!(named, Some(".claude" | ".cursor")) { parent.parent()?.to_path_buf() } else { parent.to_path_buf() })
}

/// Reads the settings files the table names, relative to `dir` (the scenario file's folder),
/// and keeps their text in the scenario. Errors point at the `settings` entry of a file that
/// cannot be read; a file that reads but the runtime would refuse is kept (with its finding).
pub(crate) fn load_files(dir: &Path, path: &str, source: &str, spec: &mut AgentRuntimeSpec) -> Vec<ScenarioError> {
    spec.dir = Some(dir.to_path_buf());
    let scenario_file = SourceFile::new(path, source);
    let spans = Spans::new(source);
    let shown_dir = Path::new(path).parent().unwrap_or(Path::new(""));
    let max = super::limits::MAX_SCENARIO_BYTES;
    let mut errors = Vec::new();
    let mut loaded = Vec::new();
    for (i, s) in spec.settings.iter().enumerate() {
        let (layer, rel) = split_layer(s);
        let shown = shown_dir.join(rel).display().to_string();
        let real = dir.join(rel);
        let text = match std::fs::metadata(&real) {
            Ok(m) if m.len() > max as u64 => Err(format!("`{shown}` is {} bytes; a settings file is at most {max} bytes", m.len())),
            Ok(_) => std::fs::read_to_string(&real).map_err(|e| format!("cannot read `{shown}`: {e}")),
            Err(e) => Err(format!("cannot read `{shown}`: {e}")),
        };
        match text {
            Ok(text) => loaded.push(LoadedSettings { name: shown, layer: layer.map(str::to_string), text, root: project_root(&real) }),
            Err(message) => errors.push(
                ScenarioError::new(
                    ErrorKind::UnknownReference,
                    &scenario_file,
                    spans.at(doc_path!["agent_runtime", "settings", i]),
                    message,
                )
                .label("no settings file here")
                .help("the path is relative to the scenario file's folder"),
            ),
        }
    }
    for f in &spec.files {
        loaded.push(LoadedSettings { name: f.name.clone(), layer: f.layer.clone(), text: f.text.clone(), root: None });
    }
    spec.loaded = loaded;
    if errors.is_empty() {
        errors.extend(unknown_hooks(&scenario_file, &spans, spec));
    }
    errors
}

/// A declared hook answer whose command no hook in the settings has: it would answer nothing.
fn unknown_hooks(file: &SourceFile, spans: &Spans<'_>, spec: &AgentRuntimeSpec) -> Vec<ScenarioError> {
    use crate::guardrails::runtime::{CursorFile, DRILL_CWD, DRILL_HOME, SettingsFile, load_claude, load_cursor};
    if spec.hooks.is_empty() {
        return Vec::new();
    }
    let commands: Vec<String> = match spec.runtime {
        RuntimeKind::ClaudeCode => {
            let files: Vec<SettingsFile> = spec.loaded.iter().map(LoadedSettings::claude_file).collect();
            let s = load_claude(&files, DRILL_CWD, DRILL_HOME, &std::collections::BTreeMap::new());
            s.hooks.iter().chain(&s.other_hooks).map(|h| h.command.clone()).collect()
        }
        RuntimeKind::Cursor => {
            let files: Vec<CursorFile> = spec.loaded.iter().filter_map(LoadedSettings::cursor_file).collect();
            load_cursor(&files, DRILL_CWD, DRILL_HOME).hooks.iter().map(|h| h.command.clone()).collect()
        }
    };
    let known = if commands.is_empty() {
        "the settings register no hook".to_string()
    } else {
        format!("the settings' hook commands: {}", commands.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "))
    };
    spec.hooks
        .iter()
        .enumerate()
        .filter(|(_, h)| !commands.contains(&h.command))
        .map(|(i, h)| {
            ScenarioError::new(
                ErrorKind::UnknownReference,
                file,
                spans.at(doc_path!["agent_runtime", "hook", i, "command"]),
                format!("no hook in the settings runs `{}`", h.command),
            )
            .label("answers no hook")
            .help(format!("write the command exactly as the settings do; {known}"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = include_str!("testdata/pocketos-2026-04.toml");

    fn errors(table: &str) -> Vec<(ErrorKind, usize, String, String)> {
        let text = format!("{BASE}\n{table}");
        match super::super::load("s.toml", &text) {
            Ok(_) => Vec::new(),
            Err(es) => es.iter().map(|e| (e.kind(), e.line(), e.message().to_string(), e.hint().unwrap_or_default().to_string())).collect(),
        }
    }

    fn line_of(table: &str, needle: &str) -> usize {
        BASE.lines().count() + 1 + table.lines().position(|l| l.contains(needle)).unwrap_or(usize::MAX - 1) + 1
    }

    const INLINE: &str = "[[agent_runtime.file]]\nname = \".claude/settings.json\"\ntext = '{\"permissions\": {\"deny\": [\"Bash(curl:*)\"]}, \"hooks\": {\"PreToolUse\": [{\"matcher\": \"Bash\", \"hooks\": [{\"type\": \"command\", \"command\": \"./guard.sh\"}]}]}}'\n";

    #[test]
    fn an_inline_claude_code_runtime_loads_with_its_file() {
        let text = format!(
            "{BASE}\n[agent_runtime]\nruntime = \"claude-code\"\nmode = \"dontAsk\"\napprover = {{ model = \"probability\", p = 0.5 }}\n[[agent_runtime.hook]]\ncommand = \"./guard.sh\"\nexit = 2\n{INLINE}"
        );
        let s = super::super::load("s.toml", &text).map_err(|e| e.iter().map(ToString::to_string).collect::<Vec<_>>());
        let spec = s.ok().and_then(|s| s.agent_runtime);
        assert_eq!(spec.map(|r| r.loaded.len()), Some(1));
    }

    #[test]
    fn each_bad_value_is_a_diagnostic_at_its_line_with_a_hint() {
        let cases = [
            ("mode = \"yolo\"\n", "mode", ErrorKind::InvalidValue, "`yolo` is not a claude-code mode", "`dontAsk`"),
            ("prefix_boundary = \"prefix\"\n", "prefix_boundary", ErrorKind::InvalidValue, "unknown prefix behaviour", "plain-prefix"),
            (
                "approver = { model = \"reads-first\" }\n",
                "approver",
                ErrorKind::InvalidValue,
                "`reads-first` needs `characters`",
                "characters = 40",
            ),
            ("approver = { model = \"probability\", p = 1.5 }\n", "approver", ErrorKind::InvalidValue, "between 0 and 1", "p = 0.9"),
            (
                "approver = { model = \"approves-nothing\", prompts = 3 }\n",
                "approver",
                ErrorKind::Inconsistent,
                "`prompts` means nothing",
                "remove it",
            ),
            (
                "settings = [\"cli=x/settings.json\"]\n",
                "settings",
                ErrorKind::InvalidValue,
                "`cli` is not a claude-code layer",
                "`managed`",
            ),
        ];
        for (line, key, kind, message, hint) in cases {
            let table = format!("[agent_runtime]\nruntime = \"claude-code\"\n{line}{INLINE}");
            let got = errors(&table);
            let want_line = line_of(&table, key);
            assert!(
                got.iter().any(|(k, l, m, h)| *k == kind && *l == want_line && m.contains(message) && h.contains(hint)),
                "{line}: {got:?} (line {want_line})"
            );
        }
    }

    #[test]
    fn cursor_has_no_prefix_behaviour_and_hooks_are_run_or_declared_not_both() {
        let table = "[agent_runtime]\nruntime = \"cursor\"\nprefix_boundary = \"plain-prefix\"\nsettings = [\"x/notes.txt\"]\nrun_hooks = true\n[[agent_runtime.hook]]\ncommand = \"x\"\n";
        let got = errors(table);
        for message in
            ["`prefix_boundary` is Claude Code's", "`x/notes.txt` is not one of Cursor's files", "hooks are both run and declared"]
        {
            assert!(got.iter().any(|(_, _, m, _)| m.contains(message)), "{message}: {got:?}");
        }
    }

    #[test]
    fn a_declared_answer_for_a_hook_the_settings_do_not_have_is_an_unknown_reference() {
        let table =
            format!("[agent_runtime]\nruntime = \"claude-code\"\n[[agent_runtime.hook]]\ncommand = \"./gaurd.sh\"\nexit = 2\n{INLINE}");
        let got = errors(&table);
        assert!(
            got.iter().any(|(k, l, m, h)| *k == ErrorKind::UnknownReference
                && *l == line_of(&table, "gaurd")
                && m.contains("no hook in the settings runs `./gaurd.sh`")
                && h.contains("`./guard.sh`")),
            "{got:?}"
        );
    }

    #[test]
    fn a_table_without_settings_and_a_missing_file_are_errors() {
        let got = errors("[agent_runtime]\nruntime = \"claude-code\"\n");
        assert!(got.iter().any(|(_, _, m, h)| m.contains("names no settings") && h.contains("settings = [")), "{got:?}");
        let got = errors("[agent_runtime]\nruntime = \"claude-code\"\nsettings = [\"no/such/settings.json\"]\n");
        assert!(
            got.iter().any(|(k, _, m, _)| *k == ErrorKind::UnknownReference && m.contains("cannot read `no/such/settings.json`")),
            "{got:?}"
        );
    }

    #[test]
    fn expectations_about_the_runtime_need_one() {
        let got = errors("[[expect.attempt]]\ndecided_by = \"hook\"\n");
        assert!(
            got.iter().any(|(k, _, m, _)| *k == ErrorKind::Inconsistent && m.contains("`decided_by` is about the agent runtime")),
            "{got:?}"
        );
    }

    #[test]
    fn a_layer_prefix_is_split_only_when_it_names_a_layer() {
        assert_eq!(split_layer("user=settings/home.json"), (Some("user"), "settings/home.json"));
        assert_eq!(split_layer("permissions=x/p.json"), (Some("permissions"), "x/p.json"));
        assert_eq!(split_layer("settings/a=b/settings.json"), (None, "settings/a=b/settings.json"));
        assert_eq!(split_layer("team=x.json"), (None, "team=x.json"));
    }

    #[test]
    fn the_project_root_is_the_folder_holding_dot_claude() {
        assert_eq!(project_root(Path::new("s/team/.claude/settings.json")), Some(PathBuf::from("s/team")));
        assert_eq!(project_root(Path::new("s/team/.cursorignore")), Some(PathBuf::from("s/team")));
    }
}
