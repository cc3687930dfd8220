//! The agent runtime a scenario declares (`[agent_runtime]`), built: the team's settings files
//! loaded as the runtime loads them (anchored at the drill's working folder), the mode and the
//! version's behaviour, the hooks (declared answers, or the real commands run on a scratch copy
//! of the repository), the approver and the classifier, the probabilistic one seeded by the run.

use std::collections::BTreeMap;
use std::path::Path;

use crate::agent::Repo;
use crate::guardrails::runtime::{
    AgentRuntime, Approver, ClaudeCode, ClaudeMode, Cursor, DRILL_CWD, DRILL_HOME, DeclaredHooks, Finding, HookOutcome, Policy,
    PrefixBoundary, RealHooks, RunMode, SettingsFile, approves_all_but_destructive, approves_everything, approves_nothing,
    approves_when_tired, approves_with_probability, classifier, hook_scripts, load_claude, load_cursor, reads_first,
};
use crate::scenario::{AgentRuntimeSpec, ApproverModel, ApproverSpec, LoadedSettings, RuntimeKind, Scenario};

/// The approver a spec declares; the probabilistic one draws from `seed`.
pub fn approver(a: &ApproverSpec, seed: u64) -> Result<Box<dyn Approver>, String> {
    Ok(match a.model {
        ApproverModel::ApprovesEverything => Box::new(approves_everything()),
        ApproverModel::ApprovesNothing => Box::new(approves_nothing()),
        ApproverModel::ApprovesAllButDestructive => Box::new(approves_all_but_destructive()),
        ApproverModel::ReadsFirst => Box::new(reads_first(a.characters.ok_or("`reads-first` needs `characters`")?)),
        ApproverModel::Probability => Box::new(approves_with_probability(a.p.ok_or("`probability` needs `p`")?, seed)?),
        ApproverModel::UntilTired => Box::new(approves_when_tired(a.prompts.ok_or("`until-tired` needs `prompts`")?)),
    })
}

/// An approver behind a box, as the runtime's builder takes it.
struct Boxed(Box<dyn Approver>);

impl Approver for Boxed {
    fn describe(&self) -> String {
        self.0.describe()
    }
    fn answer(&self, prompt: &crate::guardrails::runtime::Prompt<'_>) -> crate::guardrails::runtime::Reply {
        self.0.answer(prompt)
    }
}

/// The scenario's agent runtime over the world's repository; `None` when it declares none.
///
/// # Errors
///
/// The settings were not read with the scenario, or they disable the mode the scenario asks for.
pub fn agent_runtime(s: &Scenario, repo: &Repo) -> Result<Option<AgentRuntime>, String> {
    let Some(spec) = &s.agent_runtime else { return Ok(None) };
    Ok(Some(build(spec, s.seed, repo)?))
}

/// The findings of the scenario's settings files as the runtime loads them, for `firedrill
/// check`: the repository is the scenario's files as written. Empty when it declares no runtime.
///
/// # Errors
///
/// As `agent_runtime`.
pub fn settings_findings(s: &Scenario) -> Result<Vec<Finding>, String> {
    let Some(spec) = &s.agent_runtime else { return Ok(Vec::new()) };
    let repo = Repo::new(s.files.iter().map(|f| (f.path.clone(), f.content.clone())), BTreeMap::new());
    Ok(build(spec, s.seed, &repo)?.findings().to_vec())
}

fn roots(loaded: &[LoadedSettings]) -> Vec<&Path> {
    loaded.iter().filter_map(|l| l.root.as_deref()).collect()
}

fn build(spec: &AgentRuntimeSpec, seed: u64, repo: &Repo) -> Result<AgentRuntime, String> {
    if spec.loaded.is_empty() && !spec.settings.is_empty() {
        return Err("the agent runtime's settings files were not read: load the scenario from its file".into());
    }
    let mut repo_files: BTreeMap<String, String> =
        repo.paths().filter_map(|p| repo.read(p).map(|t| (p.to_string(), t.to_string()))).collect();
    let (policy, env) = match spec.runtime {
        RuntimeKind::ClaudeCode => {
            let files: Vec<SettingsFile> = spec.loaded.iter().map(LoadedSettings::claude_file).collect();
            let first = load_claude(&files, DRILL_CWD, DRILL_HOME, &repo_files);
            let commands: Vec<String> = first.hooks.iter().chain(&first.other_hooks).map(|h| h.command.clone()).collect();
            repo_files.extend(hook_scripts(&commands, &roots(&spec.loaded)));
            let mut settings = load_claude(&files, DRILL_CWD, DRILL_HOME, &repo_files);
            if let Some(b) = spec.prefix_boundary.as_deref() {
                settings.boundary = PrefixBoundary::parse(b).ok_or_else(|| format!("unknown prefix behaviour `{b}`"))?;
            }
            let env = settings.env.clone();
            let mut code = ClaudeCode::new(settings);
            if let Some(m) = spec.mode.as_deref() {
                code = code.with_mode(ClaudeMode::parse(m).ok_or_else(|| format!("unknown Claude Code mode `{m}`"))?)?;
            }
            (Policy::ClaudeCode(code), env)
        }
        RuntimeKind::Cursor => {
            let mut files = Vec::new();
            for l in &spec.loaded {
                files.push(l.cursor_file().ok_or_else(|| format!("`{}` is not one of Cursor's files", l.name))?);
            }
            let settings = load_cursor(&files, DRILL_CWD, DRILL_HOME);
            let commands: Vec<String> = settings.hooks.iter().map(|h| h.command.clone()).collect();
            repo_files.extend(hook_scripts(&commands, &roots(&spec.loaded)));
            let mode = match spec.mode.as_deref() {
                Some(m) => Some(RunMode::parse(m).ok_or_else(|| format!("unknown Cursor run mode `{m}`"))?),
                None => None,
            };
            (Policy::Cursor(Cursor::new(settings, mode)), BTreeMap::new())
        }
    };
    let mut runtime = AgentRuntime::new(policy);
    runtime = if spec.run_hooks {
        let mut real = RealHooks::new(repo_files);
        for (k, v) in &env {
            real = real.env(k, v);
        }
        runtime.hooks(real)
    } else {
        let mut declared = DeclaredHooks::new()
            .otherwise(HookOutcome::NotStarted("the scenario declares no answer for this hook and does not run hooks".into()));
        for h in &spec.hooks {
            let stdout = h.json.as_ref().map(ToString::to_string).unwrap_or_default();
            declared =
                declared.hook(&h.command, HookOutcome::Exited { code: h.exit, stdout, stderr: h.stderr.clone().unwrap_or_default() });
        }
        runtime.hooks(declared)
    };
    if let Some(a) = &spec.approver {
        runtime = runtime.approver(Boxed(approver(a, seed)?));
    }
    if let Some(c) = &spec.classifier {
        let name = match spec.runtime {
            RuntimeKind::ClaudeCode => "Claude Code's auto-mode classifier",
            RuntimeKind::Cursor => "Cursor's Auto-review classifier",
        };
        // The classifier draws from its own stream, so adding one does not change the person's answers.
        runtime = runtime.classifier(classifier(name, Boxed(approver(c, seed ^ 0x9e37_79b9_7f4a_7c15)?)));
    }
    Ok(runtime)
}
