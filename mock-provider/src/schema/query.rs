//! The root `Query`: each field authorizes and audits through `RequestCtx::read`, then reads.

use async_graphql::{Context, Object};

use super::connection::{PageArgs, connection};
use super::enums::{ProjectsOrderBy, WorkflowStatus};
use super::inputs::DeploymentListInput;
use super::objects::*;
use super::req;
use super::scalars::EnvironmentVariables;
use crate::auth::Reach;
use crate::error::ProviderError;
use crate::ops::Op;
use crate::state::{State, Target};

connection!(QueryProjectsConnection, QueryProjectsConnectionEdge, ProjectObj);
connection!(QueryEnvironmentsConnection, QueryEnvironmentsConnectionEdge, EnvironmentObj);
connection!(QueryProjectTokensConnection, QueryProjectTokensConnectionEdge, ProjectTokenObj);
connection!(QueryApiTokensConnection, QueryApiTokensConnectionEdge, ApiTokenObj);
connection!(QueryDeploymentsConnection, QueryDeploymentsConnectionEdge, DeploymentObj);

pub struct Query;

// Both variables queries: a scope's variables, a service's merged over the shared ones.
fn variables_of(
    ctx: &Context<'_>,
    op: Op,
    project_id: String,
    environment_id: String,
    service_id: Option<String>,
) -> async_graphql::Result<EnvironmentVariables> {
    let target = Target::Variables { project: project_id.clone(), environment: environment_id.clone(), service: service_id.clone() };
    req(ctx)?.read(ctx, op, target, |s| Ok(EnvironmentVariables(s.merged_variables(&project_id, &environment_id, service_id.as_deref()))))
}

#[Object]
impl Query {
    // The account behind an account token; every other caller gets `Not Authorized`.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<UserObj> {
        let r = req(ctx)?;
        let who = r.principal();
        r.read(ctx, Op::Me, Target::Global, |s| match &who.reach {
            Reach::Account { user_id, .. } => {
                s.users().get(user_id).cloned().map(UserObj).ok_or_else(|| ProviderError::not_found("User", user_id))
            }
            _ => Err(ProviderError::NotAuthorized { reason: "`me` is for account tokens only".into() }),
        })
    }

    async fn project(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<ProjectObj> {
        req(ctx)?.read(ctx, Op::Project, Target::Project { id: id.clone() }, |s| Ok(ProjectObj(s.project(&id)?.clone())))
    }

    // The projects the caller reaches: an account's in all its workspaces, a workspace token's
    // in its workspace, a project token's own project.
    #[allow(clippy::too_many_arguments)]
    async fn projects(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        include_deleted: Option<bool>,
        last: Option<i32>,
        order_by: Option<ProjectsOrderBy>,
        user_id: Option<String>,
        workspace_id: Option<String>,
    ) -> async_graphql::Result<QueryProjectsConnection> {
        // `userId` filters by membership; the mock has one user, who is a member of everything,
        // so beyond naming a user that exists (the target's check) it narrows nothing.
        let r = req(ctx)?;
        let who = r.principal();
        let target = State::projects_target(who, workspace_id.as_deref(), user_id.as_deref());
        let mut projects: Vec<ProjectObj> = r.read(ctx, Op::Projects, target, |s| {
            Ok(s.reached_projects(who, workspace_id.as_deref())
                .into_iter()
                .filter(|p| include_deleted == Some(true) || p.delete_scheduled_for.is_none())
                .cloned()
                .map(ProjectObj)
                .collect())
        })?;
        match order_by.unwrap_or(ProjectsOrderBy::UpdatedAtDesc) {
            ProjectsOrderBy::NameAsc => projects.sort_by(|a, b| a.0.name.cmp(&b.0.name)),
            ProjectsOrderBy::CreatedAtDesc => projects.sort_by(|a, b| (b.0.created_at, &a.0.name).cmp(&(a.0.created_at, &b.0.name))),
            ProjectsOrderBy::UpdatedAtDesc => projects.sort_by(|a, b| (b.0.updated_at, &a.0.name).cmp(&(a.0.updated_at, &b.0.name))),
        }
        Ok(QueryProjectsConnection::page(projects, &PageArgs::new(after, before, first, last)?))
    }

    async fn environment(&self, ctx: &Context<'_>, id: String, project_id: Option<String>) -> async_graphql::Result<EnvironmentObj> {
        let target = Target::together(Target::Environment { id: id.clone() }, [project_id.map(|id| Target::Project { id })]);
        req(ctx)?.read(ctx, Op::Environment, target, |s| Ok(EnvironmentObj(s.environment(&id)?.clone())))
    }

    #[allow(clippy::too_many_arguments)]
    async fn environments(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        is_ephemeral: Option<bool>,
        last: Option<i32>,
        project_id: String,
    ) -> async_graphql::Result<QueryEnvironmentsConnection> {
        let mut envs: Vec<EnvironmentObj> = req(ctx)?.read(ctx, Op::Environments, Target::Project { id: project_id.clone() }, |s| {
            Ok(s.environments_of(&project_id).into_iter().cloned().map(EnvironmentObj).collect())
        })?;
        // The mock has no ephemeral (PR) environments.
        if is_ephemeral == Some(true) {
            envs.clear();
        }
        envs.sort_by(|a, b| (a.0.created_at, &a.0.name).cmp(&(b.0.created_at, &b.0.name)));
        Ok(QueryEnvironmentsConnection::page(envs, &PageArgs::new(after, before, first, last)?))
    }

    async fn service(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<ServiceObj> {
        let target = Target::Service { id: id.clone(), environment: None, everywhere: false };
        req(ctx)?.read(ctx, Op::Service, target, |s| Ok(ServiceObj(s.service(&id)?.clone())))
    }

    async fn volume_instance(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<VolumeInstanceObj> {
        req(ctx)?
            .read(ctx, Op::VolumeInstance, Target::VolumeInstance { id: id.clone() }, |s| Ok(VolumeInstanceObj(s.instance(&id)?.clone())))
    }

    // Variables in clear text: whoever reaches the environment reads its secrets.
    async fn variables(
        &self,
        ctx: &Context<'_>,
        environment_id: String,
        project_id: String,
        service_id: Option<String>,
        unrendered: Option<bool>,
    ) -> async_graphql::Result<EnvironmentVariables> {
        // The mock stores no `${{ref}}` templates, so rendered and unrendered are the same.
        let _ = unrendered;
        variables_of(ctx, Op::Variables, project_id, environment_id, service_id)
    }

    async fn variables_for_service_deployment(
        &self,
        ctx: &Context<'_>,
        environment_id: String,
        project_id: String,
        service_id: String,
    ) -> async_graphql::Result<EnvironmentVariables> {
        variables_of(ctx, Op::VariablesForServiceDeployment, project_id, environment_id, Some(service_id))
    }

    // The caller's own project token.
    async fn project_token(&self, ctx: &Context<'_>) -> async_graphql::Result<ProjectTokenObj> {
        let r = req(ctx)?;
        let who = r.principal();
        r.read(ctx, Op::ProjectToken, Target::Global, |s| {
            who.token_id
                .as_ref()
                .and_then(|id| s.tokens().get(id))
                .cloned()
                .and_then(ProjectTokenObj::new)
                .ok_or(ProviderError::ProjectTokenNotFound)
        })
    }

    async fn project_tokens(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
        project_id: String,
    ) -> async_graphql::Result<QueryProjectTokensConnection> {
        let tokens = req(ctx)?.read(ctx, Op::ProjectTokens, Target::Project { id: project_id.clone() }, |s| {
            Ok(s.project_tokens_of(&project_id).into_iter().cloned().filter_map(ProjectTokenObj::new).collect())
        })?;
        Ok(QueryProjectTokensConnection::page(tokens, &PageArgs::new(after, before, first, last)?))
    }

    // The account's API tokens (its account tokens and its workspaces' tokens), minted ones
    // included, each as `displayToken` only. Railway lists them "for the authenticated user",
    // so, like `me`, this is for account tokens only.
    async fn api_tokens(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        last: Option<i32>,
    ) -> async_graphql::Result<QueryApiTokensConnection> {
        let r = req(ctx)?;
        let who = r.principal();
        let tokens = r.read(ctx, Op::ApiTokens, Target::Global, |s| match &who.reach {
            Reach::Account { user_id, workspaces } => {
                Ok(s.api_tokens_of(user_id, workspaces).into_iter().cloned().filter_map(ApiTokenObj::new).collect())
            }
            _ => Err(ProviderError::NotAuthorized { reason: "`apiTokens` lists a user's tokens; only an account token has a user".into() }),
        })?;
        Ok(QueryApiTokensConnection::page(tokens, &PageArgs::new(after, before, first, last)?))
    }

    // The workspaces the caller's token reaches.
    async fn api_token(&self, ctx: &Context<'_>) -> async_graphql::Result<ApiTokenContext> {
        let r = req(ctx)?;
        let who = r.principal();
        r.read(ctx, Op::ApiToken, Target::Global, |s| {
            let workspaces =
                s.reached_workspaces(who).into_iter().map(|w| ApiTokenWorkspace { id: w.id.clone(), name: w.name.clone() }).collect();
            Ok(ApiTokenContext { workspaces })
        })
    }

    async fn volume_instance_backup_list(&self, ctx: &Context<'_>, volume_instance_id: String) -> async_graphql::Result<Vec<BackupObj>> {
        let target = Target::VolumeInstance { id: volume_instance_id.clone() };
        req(ctx)?.read(ctx, Op::VolumeInstanceBackupList, target, |s| {
            Ok(s.backups_of(&volume_instance_id).into_iter().cloned().map(BackupObj).collect())
        })
    }

    async fn volume_instance_backup_schedule_list(
        &self,
        ctx: &Context<'_>,
        volume_instance_id: String,
    ) -> async_graphql::Result<Vec<ScheduleObj>> {
        let target = Target::VolumeInstance { id: volume_instance_id.clone() };
        req(ctx)?.read(ctx, Op::VolumeInstanceBackupScheduleList, target, |s| {
            Ok(s.schedules_of(&volume_instance_id).into_iter().cloned().map(ScheduleObj).collect())
        })
    }

    async fn custom_domain(&self, ctx: &Context<'_>, id: String, project_id: String) -> async_graphql::Result<CustomDomainObj> {
        let target =
            Target::together(Target::CustomDomain { id: id.clone(), environment: None }, [Some(Target::Project { id: project_id })]);
        req(ctx)?.read(ctx, Op::CustomDomain, target, |s| {
            s.custom_domains().get(&id).cloned().map(CustomDomainObj).ok_or_else(|| ProviderError::not_found("Custom domain", &id))
        })
    }

    // The custom and service domains of one service in one environment.
    async fn domains(
        &self,
        ctx: &Context<'_>,
        environment_id: String,
        project_id: String,
        service_id: String,
    ) -> async_graphql::Result<AllDomains> {
        let service = Target::Service { id: service_id.clone(), environment: Some(environment_id.clone()), everywhere: false };
        let target = Target::together(service, [Some(Target::Project { id: project_id })]);
        req(ctx)?.read(ctx, Op::Domains, target, |s| {
            Ok(AllDomains {
                custom_domains: s.custom_domains_of(&service_id, &environment_id).into_iter().cloned().map(CustomDomainObj).collect(),
                service_domains: s.service_domains_of(&service_id, &environment_id).into_iter().cloned().map(ServiceDomainObj).collect(),
            })
        })
    }

    // The deployments of a service, environment or project, narrowest first. The mock runs no
    // code, so there are none; the ids are still authorized and must belong together (the
    // target's check), so a caller out of reach gets Railway's refusal rather than an empty list.
    #[allow(clippy::too_many_arguments)]
    async fn deployments(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        before: Option<String>,
        first: Option<i32>,
        input: DeploymentListInput,
        last: Option<i32>,
    ) -> async_graphql::Result<QueryDeploymentsConnection> {
        // Deleted deployments and status filters narrow an empty list.
        let DeploymentListInput { environment_id, include_deleted: _, project_id, service_id, status: _ } = input;
        let project = project_id.map(|id| Target::Project { id });
        let target = match (service_id, environment_id) {
            (Some(s), e) => Target::together(Target::Service { id: s, everywhere: e.is_none(), environment: e }, [project]),
            (None, Some(e)) => Target::together(Target::Environment { id: e }, [project]),
            (None, None) => project.unwrap_or(Target::Global),
        };
        let deployments: Vec<DeploymentObj> = req(ctx)?.read(ctx, Op::Deployments, target, |_| Ok(Vec::new()))?;
        Ok(QueryDeploymentsConnection::page(deployments, &PageArgs::new(after, before, first, last)?))
    }

    // The regions services deploy to (a project's, with `projectId`). The mock deploys nothing
    // and models no region, so there are none; `railway status` asks, for labels only.
    async fn regions(&self, ctx: &Context<'_>, project_id: Option<String>) -> async_graphql::Result<Vec<RegionObj>> {
        let target = match project_id {
            Some(id) => Target::Project { id },
            None => Target::Global,
        };
        req(ctx)?.read(ctx, Op::Regions, target, |_| Ok(Vec::new()))
    }

    // The projects the user starred in a workspace: the mock's user has starred none. Railway
    // keeps favorites per user, so, like `me`, this is for account tokens only (the CLI's
    // `list` asks, and lists without stars when refused).
    async fn project_favorites(
        &self,
        ctx: &Context<'_>,
        order_by: Option<ProjectsOrderBy>,
        workspace_id: String,
    ) -> async_graphql::Result<Vec<String>> {
        // Ordering an empty list.
        let _ = order_by;
        let r = req(ctx)?;
        let who = r.principal();
        r.read(ctx, Op::ProjectFavorites, Target::Workspace { id: workspace_id }, |_| match &who.reach {
            Reach::Account { .. } => Ok(Vec::new()),
            _ => Err(ProviderError::NotAuthorized { reason: "`projectFavorites` are a user's; only an account token has a user".into() }),
        })
    }

    // A backup workflow's status; an unknown id is `NotFound`, not an error.
    async fn workflow_status(&self, ctx: &Context<'_>, workflow_id: String) -> async_graphql::Result<WorkflowResult> {
        req(ctx)?.read(ctx, Op::WorkflowStatus, Target::Global, |s| {
            Ok(match s.workflows().get(&workflow_id) {
                Some(w) => WorkflowResult { error: w.error.clone(), status: w.status.into() },
                None => WorkflowResult { error: None, status: WorkflowStatus::NotFound },
            })
        })
    }

    // The workspaces the caller reaches, each with the projects it reaches there; with
    // `projectId`, only that project's workspace. The Railway CLI lists projects this way.
    async fn external_workspaces(&self, ctx: &Context<'_>, project_id: Option<String>) -> async_graphql::Result<Vec<ExternalWorkspaceObj>> {
        let r = req(ctx)?;
        let who = r.principal();
        let target = Target::together(Target::Global, [project_id.clone().map(|id| Target::Project { id })]);
        r.read(ctx, Op::ExternalWorkspaces, target, |s| {
            let only = match &project_id {
                Some(p) => Some(s.project(p)?.workspace_id.clone()),
                None => None,
            };
            Ok(s.reached_workspaces(who)
                .into_iter()
                .filter(|w| only.as_ref().is_none_or(|o| o == &w.id))
                .cloned()
                .map(ExternalWorkspaceObj)
                .collect())
        })
    }
}
