//! `AgentRuntime`: the team's agent runtime (Claude Code or Cursor, with its real settings) as
//! the `agent-runtime` layer of the guardrail stack: it decides each action as the runtime's
//! documentation says, runs or reads the hooks, sends an `ask` to the declared approver (or the
//! runtime's classifier), and reports the rule, the leaks and the approval with the decision.

use std::sync::Mutex;

use super::approver::{Approver, Prompt};
use super::call::ToolCall;
use super::claude_code::ClaudeCode;
use super::cursor::Cursor;
use super::finding::Finding;
use super::hooks::{DeclaredHooks, HookOutcome, HookRunner};
use super::leaks;
use super::verdict::{Asker, RuntimeVerdict};
use crate::agent::Action;
use crate::guardrails::{Answer, Approval, Decision, Guardrail, Layer, Subject, Verdict};

/// Which runtime, with its settings and mode.
#[derive(Clone, Debug, PartialEq)]
pub enum Policy {
    ClaudeCode(ClaudeCode),
    Cursor(Cursor),
}

/// An approver nobody declared: simulated as approving, the weaker protection, and said so.
struct Undeclared(&'static str);

impl Approver for Undeclared {
    fn describe(&self) -> String {
        format!("no {} declared: simulated as approving everything (the weaker protection)", self.0)
    }
    fn answer(&self, _: &Prompt<'_>) -> super::approver::Reply {
        super::approver::Reply { answer: Answer::Approved, read: None }
    }
}

/// The runtime's facts as the report states them.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct RuntimeSummary {
    /// `claude-code` or `cursor`.
    pub runtime: &'static str,
    pub mode: String,
    /// Where the mode came from.
    pub mode_source: String,
    /// The settings files, as named to the harness.
    pub files: Vec<String>,
    /// How hooks were answered.
    pub hooks: String,
    pub approver: String,
    pub classifier: String,
    /// Always "simulated from documented rules".
    pub simulated: &'static str,
}

/// The agent-runtime layer.
pub struct AgentRuntime {
    policy: Policy,
    hooks: Box<dyn HookRunner>,
    approver: Box<dyn Approver>,
    classifier: Box<dyn Approver>,
    /// Prompts so far: to the person, to the classifier.
    prompts: Mutex<(u32, u32)>,
}

impl AgentRuntime {
    /// The runtime of `policy`. Hooks come to nothing until `hooks` says how to get their
    /// answers; asks go to an approver that approves everything until `approver` declares one.
    pub fn new(policy: Policy) -> Self {
        AgentRuntime {
            policy,
            hooks: Box::new(
                DeclaredHooks::new().otherwise(HookOutcome::NotStarted("no hook outcome declared and no hook runner given".into())),
            ),
            approver: Box::new(Undeclared("approver")),
            classifier: Box::new(Undeclared("classifier")),
            prompts: Mutex::new((0, 0)),
        }
    }

    /// The person who answers `ask`s.
    #[must_use]
    pub fn approver(mut self, approver: impl Approver + 'static) -> Self {
        self.approver = Box::new(approver);
        self
    }

    /// The runtime's classifier (Claude Code's `auto` mode, Cursor's Auto-review).
    #[must_use]
    pub fn classifier(mut self, classifier: impl Approver + 'static) -> Self {
        self.classifier = Box::new(classifier);
        self
    }

    /// How hooks are answered: `DeclaredHooks` or `RealHooks`.
    #[must_use]
    pub fn hooks(mut self, runner: impl HookRunner + 'static) -> Self {
        self.hooks = Box::new(runner);
        self
    }

    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The runtime in a few facts, for the report: which, in what mode, from which files, and who
    /// answers its prompts.
    pub fn summary(&self) -> RuntimeSummary {
        let (runtime, mode, mode_source, files, hooks) = match &self.policy {
            Policy::ClaudeCode(c) => {
                ("claude-code", c.mode().name(), c.mode_source().to_string(), c.settings().files.clone(), c.settings().hooks.len())
            }
            Policy::Cursor(c) => ("cursor", c.mode.name(), c.mode_source.clone(), c.settings.files.clone(), c.settings.hooks.len()),
        };
        let hooks = match hooks {
            0 => "none registered that decide a tool call".to_string(),
            n => format!("{n} that decide a tool call, {}", self.hooks.describe()),
        };
        RuntimeSummary {
            runtime,
            mode: mode.to_string(),
            mode_source,
            files,
            hooks,
            approver: self.approver.describe(),
            classifier: self.classifier.describe(),
            simulated: super::verdict::SIMULATED,
        }
    }

    /// Every finding of the team's settings.
    pub fn findings(&self) -> &[Finding] {
        match &self.policy {
            Policy::ClaudeCode(c) => &c.settings().findings,
            Policy::Cursor(c) => &c.settings.findings,
        }
    }

    /// The runtime's decision on `call`, before anyone is asked, with its leaks and the
    /// settings' findings.
    pub fn decide(&self, call: &ToolCall) -> RuntimeVerdict {
        let mut v = match &self.policy {
            Policy::ClaudeCode(c) => c.decide_with_leaks(call, self.hooks.as_ref()),
            Policy::Cursor(c) => {
                let mut v = c.decide(call, self.hooks.as_ref());
                let known = leaks::cursor(c, call, v.decision);
                // The hooks' own leaks (one that failed open) first, as they ran first.
                v.leaks.extend(known);
                v
            }
        };
        v.findings = self.findings().to_vec();
        v
    }

    /// The layer's decision on `action`, an `ask` answered by the approver. `None` for an
    /// action no runtime judges (waiting).
    pub fn judge(&self, action: &Action) -> Option<Decision> {
        let call = ToolCall::from_action(action)?;
        let v = self.decide(&call);
        let mut d = Decision::new(Layer::AgentRuntime, v.decision, v.reason.clone());
        d.matched = v.matched.clone();
        d.by = Some(v.by);
        d.leaks = v.leaks.clone();
        if v.decision == Verdict::Ask {
            let (approver, number) = {
                let mut counts = match self.prompts.lock() {
                    Ok(c) => c,
                    Err(poisoned) => poisoned.into_inner(),
                };
                match v.asker {
                    Asker::Person => {
                        counts.0 += 1;
                        (self.approver.as_ref(), counts.0)
                    }
                    Asker::Classifier => {
                        counts.1 += 1;
                        (self.classifier.as_ref(), counts.1)
                    }
                }
            };
            let shown = call.prompt_text();
            let reply = approver.answer(&Prompt { text: &shown, destructive: call.destructive(), number });
            d.approval = Some(Approval {
                approver: approver.describe(),
                shown,
                read: reply.read,
                answer: reply.answer,
                prompt: number,
                classifier: v.asker == Asker::Classifier,
            });
        }
        Some(d)
    }
}

impl Guardrail for AgentRuntime {
    fn layer(&self) -> Layer {
        Layer::AgentRuntime
    }
    fn check(&self, subject: Subject<'_>) -> Option<Decision> {
        match subject {
            Subject::Action(a) => self.judge(a),
            Subject::Call(_) => None,
        }
    }
}
