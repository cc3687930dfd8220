//! Authorization, decided in one place: token × operation × resource scope → decision and reason.
//!
//! `decide` is pure. The GraphQL layer calls it (through `State::authorize`) once for every root
//! field, and the harness calls it for static blast-radius analysis, so the two can never
//! disagree. Every rule lives here, the anonymous caller's and the unknown target's included.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::model::{Id, TokenKind};
use crate::ops::{Op, OpClass};
use crate::profile::Profile;

/// Who is calling, as the provider resolved it from the request's headers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Principal {
    pub token_id: Option<Id>,
    pub token_name: Option<String>,
    pub reach: Reach,
    pub scopes: Option<BTreeSet<String>>,
}

/// What a principal can reach, independent of operation scopes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Reach {
    /// No credential, or one the provider does not know.
    Anonymous,
    /// An account token: every workspace its user belongs to.
    Account {
        user_id: Id,
        workspaces: Vec<Id>,
    },
    Workspace {
        workspace_id: Id,
    },
    Project {
        workspace_id: Id,
        project_id: Id,
        environment_id: Id,
    },
}

impl Principal {
    pub fn anonymous() -> Self {
        Principal { token_id: None, token_name: None, reach: Reach::Anonymous, scopes: None }
    }

    pub fn kind_label(&self) -> &'static str {
        match self.reach {
            Reach::Anonymous => "anonymous",
            Reach::Account { .. } => "account",
            Reach::Workspace { .. } => "workspace",
            Reach::Project { .. } => "project",
        }
    }

    pub fn from_kind(kind: &TokenKind, workspaces_of_user: Vec<Id>, project_workspace: Option<Id>) -> Reach {
        match kind {
            TokenKind::Account { user_id } => Reach::Account { user_id: user_id.clone(), workspaces: workspaces_of_user },
            TokenKind::Workspace { workspace_id } => Reach::Workspace { workspace_id: workspace_id.clone() },
            TokenKind::Project { project_id, environment_id } => Reach::Project {
                workspace_id: project_workspace.unwrap_or_default(),
                project_id: project_id.clone(),
                environment_id: environment_id.clone(),
            },
        }
    }
}

/// Where an operation lands, resolved from its arguments by `State::scope_of`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Scope {
    /// Not tied to a workspace: `me`, `apiToken`, `workflowStatus`, telemetry, listings.
    pub global: bool,
    pub workspace_id: Option<Id>,
    pub project_id: Option<Id>,
    /// The environments the operation touches; empty for project-level operations.
    pub environments: Vec<Id>,
    /// Names of touched environments that are marked protected.
    pub protected: Vec<String>,
    /// Human names for reasons: "volume `pg-data`".
    pub describe: String,
}

/// Why a request was refused; stable, for tests and reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DenyRule {
    NoCredential,
    AccountOnly,
    OtherWorkspace,
    OtherProject,
    OtherEnvironment,
    ProjectLevel,
    OutOfScope,
    DeletionProtection,
    /// The operation names a resource that does not exist (or does not belong with the others
    /// it names).
    UnknownTarget,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "lowercase")]
pub enum Decision {
    Allow { reason: String },
    Deny { rule: DenyRule, reason: String },
}

impl Decision {
    pub fn allowed(&self) -> bool {
        matches!(self, Decision::Allow { .. })
    }
    pub fn reason(&self) -> &str {
        match self {
            Decision::Allow { reason } | Decision::Deny { reason, .. } => reason,
        }
    }
}

fn deny(rule: DenyRule, reason: String) -> Decision {
    Decision::Deny { rule, reason }
}

/// One root field's authorization as the provider decided it: the decision, and the scope the
/// operation lands in (none when its target does not resolve).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Authorization {
    pub decision: Decision,
    pub scope: Option<Scope>,
    /// Why the target did not resolve, when it did not: the error a caller with reach is told.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub unresolved: Option<crate::error::ProviderError>,
}

impl Authorization {
    pub fn allowed(&self) -> bool {
        self.decision.allowed()
    }

    /// The decision as the caller is answered: `Ok` when allowed; Railway's `Not Authorized`
    /// for a denial, a target that does not exist included (Railway does not tell the two
    /// apart, so no token learns which ids exist); the lookup's own error instead for a target
    /// that does not exist when the profile's `unknown_ids_not_found` asks for it. The decision
    /// itself, kept in the audit, says which it was.
    pub fn permit(&self, profile: &Profile) -> Result<(), crate::error::ProviderError> {
        use crate::error::ProviderError;
        match &self.decision {
            Decision::Allow { .. } => Ok(()),
            Decision::Deny { rule: DenyRule::UnknownTarget, reason } if profile.unknown_ids_not_found => {
                Err(self.unresolved.clone().unwrap_or_else(|| ProviderError::InvalidInput(reason.clone())))
            }
            Decision::Deny { reason, .. } => Err(ProviderError::NotAuthorized { reason: reason.clone() }),
        }
    }
}

fn no_credential(op: Op) -> Decision {
    deny(DenyRule::NoCredential, format!("no valid token for `{op}`"))
}

/// The one authorization decision, for a call of `op` classed as the catalogue classes it. See
/// `decide_call` for a call whose arguments decide its class.
pub fn decide(profile: &Profile, who: &Principal, op: Op, scope: Option<&Scope>) -> Decision {
    decide_call(profile, who, op, op.class(), scope)
}

/// The one authorization decision, for one call of `op` whose class (`Command::class`) may be
/// its arguments' (a `variableCollectionUpsert` that replaces is destructive). `scope` is `None`
/// when the operation's target does not resolve. Order: telemetry, credential, target, reach,
/// operation scopes, deletion protection.
pub fn decide_call(profile: &Profile, who: &Principal, op: Op, class: OpClass, scope: Option<&Scope>) -> Decision {
    // Telemetry needs no reach; Railway accepts it from any caller.
    if matches!(op, Op::CliEventTrack) {
        return Decision::Allow { reason: "telemetry is accepted from any caller".into() };
    }
    // Unknown callers learn nothing, not even which ids exist: this comes before the target.
    if who.reach == Reach::Anonymous {
        return no_credential(op);
    }
    let Some(scope) = scope else {
        return deny(DenyRule::UnknownTarget, format!("`{op}` names a resource that does not exist"));
    };
    let what = if scope.describe.is_empty() { String::new() } else { format!(" on {}", scope.describe) };
    let reach_reason = match &who.reach {
        Reach::Anonymous => return no_credential(op),
        Reach::Account { workspaces, .. } => {
            if let Some(ws) = &scope.workspace_id
                && !workspaces.contains(ws)
            {
                return deny(DenyRule::OtherWorkspace, format!("account token's user is not a member of the workspace of `{op}`{what}"));
            }
            "account token reaches every workspace of its user".to_string()
        }
        Reach::Workspace { workspace_id } => {
            if op == Op::Me {
                return deny(DenyRule::AccountOnly, "`me` is for account tokens only".into());
            }
            // An account-level target (an account token) is the user's, not the workspace's.
            if scope.global && op == Op::ApiTokenDelete {
                return deny(DenyRule::AccountOnly, format!("a workspace token cannot delete an account token{what}"));
            }
            if let Some(ws) = &scope.workspace_id
                && ws != workspace_id
            {
                return deny(DenyRule::OtherWorkspace, format!("workspace token does not reach the workspace of `{op}`{what}"));
            }
            "workspace token reaches everything in its workspace".to_string()
        }
        Reach::Project { project_id, environment_id, .. } => {
            if op == Op::Me {
                return deny(DenyRule::AccountOnly, "`me` is for account tokens only".into());
            }
            if scope.global {
                if matches!(op, Op::ProjectToken | Op::WorkflowStatus | Op::ApiToken | Op::Projects | Op::ExternalWorkspaces) {
                    "project token resolves its own context".to_string()
                } else {
                    return deny(DenyRule::ProjectLevel, format!("project token cannot perform `{op}` outside its project"));
                }
            } else {
                match &scope.project_id {
                    Some(p) if p == project_id => {}
                    _ => {
                        return deny(DenyRule::OtherProject, format!("project token is bound to another project than `{op}`{what}"));
                    }
                }
                if scope.environments.is_empty() {
                    // Project-level writes (creating environments, deleting the project) are
                    // beyond a token bound to one environment; reads of the project are not.
                    if class != OpClass::Read && !matches!(op, Op::ServiceCreate | Op::VolumeCreate) {
                        return deny(
                            DenyRule::ProjectLevel,
                            format!("project token is bound to one environment and `{op}` acts on the whole project"),
                        );
                    }
                    "project token reaches its project".to_string()
                } else if scope.environments.iter().all(|e| e == environment_id) {
                    "project token reaches its own environment".to_string()
                } else if op == Op::VolumeDelete
                    && profile.project_token_cross_environment_volume_delete
                    && scope.environments.contains(environment_id)
                {
                    "project token's environment holds an instance of the volume, and volumeDelete takes the whole volume".to_string()
                } else {
                    return deny(DenyRule::OtherEnvironment, format!("project token is bound to another environment than `{op}`{what}"));
                }
            }
        }
    };
    if profile.token_scopes
        && let Some(scopes) = &who.scopes
        && !scopes.contains(op.name())
    {
        return deny(DenyRule::OutOfScope, format!("token scopes do not include `{op}`"));
    }
    if profile.deletion_protection && class == OpClass::Destructive && !scope.protected.is_empty() {
        return deny(
            DenyRule::DeletionProtection,
            format!("deletion protection: `{op}`{what} touches protected environment `{}`", scope.protected.join("`, `")),
        );
    }
    Decision::Allow { reason: reach_reason }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(reach: Reach) -> Principal {
        Principal { token_id: Some("t".into()), token_name: Some("t".into()), reach, scopes: None }
    }
    fn volume_scope(envs: &[&str]) -> Scope {
        Scope {
            workspace_id: Some("ws".into()),
            project_id: Some("p".into()),
            environments: envs.iter().map(|e| e.to_string()).collect(),
            describe: "volume `pg-data`".into(),
            ..Scope::default()
        }
    }
    fn staging_token() -> Principal {
        principal(Reach::Project { workspace_id: "ws".into(), project_id: "p".into(), environment_id: "staging".into() })
    }

    /// Each case: profile, principal, operation, scope, expected rule (`None` = allowed).
    fn check(profile: Profile, who: Principal, op: Op, scope: Scope, expected: Option<DenyRule>) {
        let d = decide(&profile, &who, op, Some(&scope));
        let got = match &d {
            Decision::Allow { .. } => None,
            Decision::Deny { rule, .. } => Some(*rule),
        };
        assert_eq!(got, expected, "{op} by {who:?}: {}", d.reason());
    }

    #[test]
    fn a_domains_token_can_delete_a_volume_under_railway_profiles() {
        let ws = principal(Reach::Workspace { workspace_id: "ws".into() });
        check(Profile::railway_2026_04(), ws.clone(), Op::VolumeDelete, volume_scope(&["prod", "staging"]), None);
        check(Profile::railway(), ws, Op::VolumeDelete, volume_scope(&["prod", "staging"]), None);
    }

    #[test]
    fn scopes_bind_only_under_the_hardened_profile() {
        let mut ws = principal(Reach::Workspace { workspace_id: "ws".into() });
        ws.scopes = Some(["customDomainCreate".to_string()].into());
        check(Profile::railway(), ws.clone(), Op::VolumeDelete, volume_scope(&["staging"]), None);
        check(Profile::hardened(), ws, Op::VolumeDelete, volume_scope(&["staging"]), Some(DenyRule::OutOfScope));
    }

    #[test]
    fn project_token_cannot_reach_other_environment() {
        check(Profile::railway(), staging_token(), Op::VolumeInstance, volume_scope(&["prod"]), Some(DenyRule::OtherEnvironment));
    }

    #[test]
    fn project_token_bound_to_staging_deletes_a_shared_volume_by_default() {
        check(Profile::railway(), staging_token(), Op::VolumeDelete, volume_scope(&["prod", "staging"]), None);
        let strict = Profile { project_token_cross_environment_volume_delete: false, ..Profile::railway() };
        check(strict, staging_token(), Op::VolumeDelete, volume_scope(&["prod", "staging"]), Some(DenyRule::OtherEnvironment));
    }

    #[test]
    fn me_is_for_account_tokens_only() {
        let global = Scope { global: true, ..Scope::default() };
        check(
            Profile::railway(),
            principal(Reach::Workspace { workspace_id: "ws".into() }),
            Op::Me,
            global.clone(),
            Some(DenyRule::AccountOnly),
        );
        check(Profile::railway(), staging_token(), Op::Me, global.clone(), Some(DenyRule::AccountOnly));
        check(Profile::railway(), principal(Reach::Account { user_id: "u".into(), workspaces: vec![] }), Op::Me, global, None);
    }

    #[test]
    fn deletion_protection_refuses_destructive_ops_on_protected_environments() {
        let mut scope = volume_scope(&["prod"]);
        scope.protected = vec!["production".into()];
        let ws = principal(Reach::Workspace { workspace_id: "ws".into() });
        check(Profile::hardened(), ws.clone(), Op::VolumeDelete, scope.clone(), Some(DenyRule::DeletionProtection));
        check(Profile::hardened(), ws.clone(), Op::VolumeInstance, scope.clone(), None);
        check(Profile::railway(), ws, Op::VolumeDelete, scope, None);
    }

    #[test]
    fn deletion_protection_goes_by_the_calls_class_not_the_operations() {
        let mut scope = volume_scope(&["prod"]);
        scope.protected = vec!["production".into()];
        let ws = principal(Reach::Workspace { workspace_id: "ws".into() });
        let rule = |class| match decide_call(&Profile::hardened(), &ws, Op::VariableCollectionUpsert, class, Some(&scope)) {
            Decision::Deny { rule, .. } => Some(rule),
            Decision::Allow { .. } => None,
        };
        assert_eq!(rule(OpClass::Destructive), Some(DenyRule::DeletionProtection), "a replacing upsert wipes a protected environment");
        assert_eq!(rule(OpClass::Write), None);
    }

    #[test]
    fn tokens_do_not_reach_other_workspaces_or_projects() {
        let other = Scope { workspace_id: Some("other".into()), project_id: Some("q".into()), ..Scope::default() };
        check(
            Profile::railway(),
            principal(Reach::Workspace { workspace_id: "ws".into() }),
            Op::ProjectDelete,
            other.clone(),
            Some(DenyRule::OtherWorkspace),
        );
        check(
            Profile::railway(),
            principal(Reach::Account { user_id: "u".into(), workspaces: vec!["ws".into()] }),
            Op::ProjectDelete,
            other.clone(),
            Some(DenyRule::OtherWorkspace),
        );
        check(Profile::railway(), staging_token(), Op::Project, other, Some(DenyRule::OtherProject));
        check(Profile::railway(), Principal::anonymous(), Op::Project, volume_scope(&[]), Some(DenyRule::NoCredential));
    }

    #[test]
    fn an_unknown_target_is_refused_but_an_anonymous_caller_learns_nothing_about_it() {
        let ws = principal(Reach::Workspace { workspace_id: "ws".into() });
        let rule = |who: &Principal| match decide(&Profile::railway(), who, Op::VolumeDelete, None) {
            Decision::Deny { rule, .. } => Some(rule),
            Decision::Allow { .. } => None,
        };
        assert_eq!(rule(&ws), Some(DenyRule::UnknownTarget));
        assert_eq!(rule(&Principal::anonymous()), Some(DenyRule::NoCredential));
    }
}
