//! The provider's state machine: resources, the simulated clock, and everything that happens
//! as time passes (scheduled backups, expiry, purges, workflows).
//!
//! INVARIANT: this module does no IO, never reads the wall clock and draws every id from the
//! seeded `IdGen`. Time moves only through `advance_to`.

mod admin;
mod backups;
mod clock;
mod command;
mod config;
mod dump;
mod events;
mod lookup;
#[cfg(test)]
mod proptests;
mod queries;
mod resources;
mod volumes;

use std::collections::BTreeMap;

pub use command::{Command, Execution, Outcome, Placement};
pub use events::{Action, Cause, Change, ProviderEvent};
pub use lookup::Target;
pub use volumes::InstanceSeed;

use crate::auth::{self, Authorization, Principal};
use crate::ids::IdGen;
use crate::model::*;
use crate::ops::{Op, OpClass};
use crate::profile::Profile;
use crate::time::Instant;

/// Everything the provider holds. Clone it to fork a world.
#[derive(Clone, Debug)]
pub struct State {
    pub(crate) profile: Profile,
    pub(crate) now: Instant,
    pub(crate) ids: IdGen,
    pub(crate) users: BTreeMap<Id, User>,
    pub(crate) workspaces: BTreeMap<Id, Workspace>,
    pub(crate) projects: BTreeMap<Id, Project>,
    pub(crate) environments: BTreeMap<Id, Environment>,
    pub(crate) services: BTreeMap<Id, Service>,
    pub(crate) volumes: BTreeMap<Id, Volume>,
    pub(crate) instances: BTreeMap<Id, VolumeInstance>,
    pub(crate) backups: BTreeMap<Id, Backup>,
    pub(crate) schedules: BTreeMap<Id, Schedule>,
    pub(crate) workflows: BTreeMap<Id, Workflow>,
    pub(crate) custom_domains: BTreeMap<Id, CustomDomain>,
    pub(crate) service_domains: BTreeMap<Id, ServiceDomain>,
    pub(crate) tokens: BTreeMap<Id, Token>,
    pub(crate) token_by_secret: BTreeMap<String, Id>,
    pub(crate) variables: BTreeMap<VariableScope, BTreeMap<String, String>>,
    pub(crate) events: Vec<ProviderEvent>,
    pub(crate) stats: Stats,
    /// While `advance_to` runs with nothing pending: the instant it advances to.
    pub(crate) horizon: Option<Instant>,
    /// The request whose effects are being applied: set by `execute_request` for its command,
    /// and by the clock while it completes something a request started (a workflow, a purge).
    /// INVARIANT: `None` outside those two; `caused_by` restores it.
    pub(crate) origin: Option<RequestId>,
}

/// Who a request's credentials stand for, and the header that carried them.
#[derive(Clone, Debug, PartialEq)]
pub struct Resolved {
    pub header: Option<&'static str>,
    pub principal: Result<Principal, crate::error::ProviderError>,
    /// Why a credential the provider knows was not honoured, for the audit.
    pub note: Option<&'static str>,
}

/// Counters of what the clock did, including backups born and expired inside one advance.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Stats {
    pub backups_taken: u64,
    pub backups_expired: u64,
}

impl State {
    /// An empty world at `now`, with ids drawn from `seed`.
    pub fn new(profile: Profile, seed: u64, now: Instant) -> Self {
        State {
            profile,
            now,
            ids: IdGen::new(seed),
            users: BTreeMap::new(),
            workspaces: BTreeMap::new(),
            projects: BTreeMap::new(),
            environments: BTreeMap::new(),
            services: BTreeMap::new(),
            volumes: BTreeMap::new(),
            instances: BTreeMap::new(),
            backups: BTreeMap::new(),
            schedules: BTreeMap::new(),
            workflows: BTreeMap::new(),
            custom_domains: BTreeMap::new(),
            service_domains: BTreeMap::new(),
            tokens: BTreeMap::new(),
            token_by_secret: BTreeMap::new(),
            variables: BTreeMap::new(),
            events: Vec::new(),
            stats: Stats::default(),
            horizon: None,
            origin: None,
        }
    }

    pub fn profile(&self) -> &Profile {
        &self.profile
    }
    pub fn now(&self) -> Instant {
        self.now
    }
    /// Everything that changed, in order: requests' effects and the clock's.
    pub fn events(&self) -> &[ProviderEvent] {
        &self.events
    }
    pub fn stats(&self) -> Stats {
        self.stats
    }
    pub fn users(&self) -> &BTreeMap<Id, User> {
        &self.users
    }
    pub fn workspaces(&self) -> &BTreeMap<Id, Workspace> {
        &self.workspaces
    }
    pub fn projects(&self) -> &BTreeMap<Id, Project> {
        &self.projects
    }
    pub fn environments(&self) -> &BTreeMap<Id, Environment> {
        &self.environments
    }
    pub fn services(&self) -> &BTreeMap<Id, Service> {
        &self.services
    }
    pub fn volumes(&self) -> &BTreeMap<Id, Volume> {
        &self.volumes
    }
    /// Volume instances, deleted ones included (state `DELETED`), so history stays explainable.
    pub fn volume_instances(&self) -> &BTreeMap<Id, VolumeInstance> {
        &self.instances
    }
    pub fn backups(&self) -> &BTreeMap<Id, Backup> {
        &self.backups
    }
    pub fn schedules(&self) -> &BTreeMap<Id, Schedule> {
        &self.schedules
    }
    pub fn workflows(&self) -> &BTreeMap<Id, Workflow> {
        &self.workflows
    }
    pub fn custom_domains(&self) -> &BTreeMap<Id, CustomDomain> {
        &self.custom_domains
    }
    pub fn service_domains(&self) -> &BTreeMap<Id, ServiceDomain> {
        &self.service_domains
    }
    pub fn tokens(&self) -> &BTreeMap<Id, Token> {
        &self.tokens
    }
    pub fn variables(&self) -> &BTreeMap<VariableScope, BTreeMap<String, String>> {
        &self.variables
    }

    /// Resolves a secret to the principal it stands for. The kind comes from this lookup,
    /// never from the secret's shape.
    pub fn principal_for_secret(&self, secret: &str) -> Option<Principal> {
        let token = self.tokens.get(self.token_by_secret.get(secret)?)?;
        Some(self.principal_of(token))
    }

    /// Who a request's credentials stand for: the one place the provider works out identity,
    /// for its own requests and for anyone (a gateway, a report) that needs to know. A
    /// `Project-Access-Token` wins over `Authorization`; an unknown bearer is anonymous; an
    /// unknown project token is an error, as on Railway.
    pub fn resolve_credentials(&self, creds: &crate::request::Credentials) -> Resolved {
        let Some((header, secret)) = creds.secret() else {
            return Resolved { header: None, principal: Ok(Principal::anonymous()), note: None };
        };
        let found = self.principal_for_secret(secret);
        let project = found.as_ref().is_some_and(|p| p.kind_label() == "project");
        if header != "Authorization" {
            let principal = found.filter(|_| project).ok_or(crate::error::ProviderError::ProjectTokenNotFound);
            return Resolved { header: Some(header), principal, note: None };
        }
        if project {
            // Railway reads project tokens from `Project-Access-Token` only: in `Authorization`
            // one is a token Railway does not know, and the request runs as anonymous.
            return Resolved {
                header: Some(header),
                principal: Ok(Principal::anonymous()),
                note: Some(crate::provider::MISPLACED_PROJECT_TOKEN),
            };
        }
        Resolved { header: Some(header), principal: Ok(found.unwrap_or_else(Principal::anonymous)), note: None }
    }

    pub fn principal_of(&self, token: &Token) -> Principal {
        Principal {
            token_id: Some(token.id.clone()),
            token_name: Some(token.name.clone()),
            ..self.principal_of_kind(&token.kind, token.scopes.clone())
        }
    }

    /// Who a token of `kind` with `scopes` stands for, before it exists: a token a call would
    /// mint (`State::minted_kind`), for an analysis of what minting reaches.
    pub fn principal_of_kind(&self, kind: &TokenKind, scopes: Option<std::collections::BTreeSet<String>>) -> Principal {
        let workspaces = match kind {
            TokenKind::Account { user_id } => self.users.get(user_id).map(|u| u.workspaces.clone()).unwrap_or_default(),
            _ => Vec::new(),
        };
        let project_ws = match kind {
            TokenKind::Project { project_id, .. } => self.projects.get(project_id).map(|p| p.workspace_id.clone()),
            _ => None,
        };
        Principal { token_id: None, token_name: None, reach: Principal::from_kind(kind, workspaces, project_ws), scopes }
    }

    /// Decides, once, whether `who` may perform `op` on `target`: the target's scope is resolved
    /// here and the decision made by `auth::decide`, the only place that decides.
    pub fn authorize(&self, who: &Principal, op: Op, target: &Target) -> Authorization {
        self.authorize_call(who, op, op.class(), target)
    }

    /// `authorize` for one call of `op` classed `class` by its arguments (`Command::class`).
    pub fn authorize_call(&self, who: &Principal, op: Op, class: OpClass, target: &Target) -> Authorization {
        let resolved = self.scope_of(target);
        let decision = auth::decide_call(&self.profile, who, op, class, resolved.as_ref().ok());
        match resolved {
            Ok(scope) => Authorization { decision, scope: Some(scope), unresolved: None },
            Err(e) => Authorization { decision, scope: None, unresolved: Some(e) },
        }
    }

    fn push(&mut self, cause: Cause, change: Change) {
        self.events.push(ProviderEvent { at: self.now, cause, change, origin: self.origin });
    }

    /// Runs `f` with `origin` as the request its effects belong to.
    pub(crate) fn caused_by<T>(&mut self, origin: Option<RequestId>, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.origin, origin);
        let out = f(self);
        self.origin = saved;
        out
    }

    /// Checks the state's structural invariants; returns every violation found.
    pub fn invariant_violations(&self) -> Vec<String> {
        let mut v = Vec::new();
        for p in self.projects.values() {
            if !self.workspaces.contains_key(&p.workspace_id) {
                v.push(format!("project {} points at a missing workspace", p.id));
            }
        }
        for e in self.environments.values() {
            if !self.projects.contains_key(&e.project_id) {
                v.push(format!("environment {} points at a missing project", e.id));
            }
        }
        for s in self.services.values() {
            if !self.projects.contains_key(&s.project_id) {
                v.push(format!("service {} points at a missing project", s.id));
            }
        }
        for vol in self.volumes.values().filter(|v| v.deleted_at.is_none()) {
            if !self.projects.contains_key(&vol.project_id) {
                v.push(format!("volume {} points at a missing project", vol.id));
            }
        }
        for i in self.instances.values() {
            if !self.volumes.contains_key(&i.volume_id) {
                v.push(format!("volume instance {} points at a missing volume", i.id));
            }
            if i.is_live() && !self.environments.contains_key(&i.environment_id) {
                v.push(format!("live volume instance {} points at a missing environment", i.id));
            }
        }
        for b in self.backups.values() {
            match self.instances.get(&b.volume_instance_id) {
                None => v.push(format!("backup {} points at a missing volume instance", b.id)),
                Some(i) if i.is_deleted() && self.profile.backups_die_with_volume => {
                    v.push(format!("backup {} outlives its deleted volume instance {}", b.id, i.id));
                }
                Some(_) => {}
            }
            if let Some(exp) = b.expires_at
                && exp <= self.now
            {
                v.push(format!("backup {} is past its expiry", b.id));
            }
        }
        for s in self.schedules.values() {
            match self.instances.get(&s.volume_instance_id) {
                Some(i) if !i.is_deleted() => {}
                _ => v.push(format!("schedule {} points at a missing or deleted volume instance", s.id)),
            }
        }
        for t in self.tokens.values() {
            let ok = match &t.kind {
                TokenKind::Account { user_id } => self.users.contains_key(user_id),
                TokenKind::Workspace { workspace_id } => self.workspaces.contains_key(workspace_id),
                TokenKind::Project { project_id, environment_id } => {
                    self.projects.contains_key(project_id) && self.environments.contains_key(environment_id)
                }
            };
            if !ok {
                v.push(format!("token {} reaches a missing resource", t.name));
            }
        }
        for d in self.custom_domains.values() {
            if !self.services.contains_key(&d.service_id) || !self.environments.contains_key(&d.environment_id) {
                v.push(format!("custom domain {} points at a missing service or environment", d.domain));
            }
        }
        for d in self.service_domains.values() {
            if !self.services.contains_key(&d.service_id) || !self.environments.contains_key(&d.environment_id) {
                v.push(format!("service domain {} points at a missing service or environment", d.domain));
            }
        }
        for scope in self.variables.keys() {
            if !self.environments.contains_key(&scope.environment_id) {
                v.push(format!("variables point at missing environment {}", scope.environment_id));
            }
        }
        v
    }
}
