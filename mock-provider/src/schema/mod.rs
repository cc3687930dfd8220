//! The GraphQL face of the provider: async-graphql types and resolvers named exactly as in
//! Railway's public schema, each a thin translation onto `State` through `RequestCtx`.

use std::sync::{Arc, OnceLock};

use async_graphql::{Context, EmptySubscription, Object, Schema};

use crate::ops::Op;
use crate::request::RequestCtx;
use crate::state::{Command, Outcome, Target};

pub type ProviderSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema is data-free, so it is built once per process.
pub fn schema() -> &'static ProviderSchema {
    static SCHEMA: OnceLock<ProviderSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| Schema::build(Query, Mutation, EmptySubscription).limit_depth(16).limit_complexity(2000).finish())
}

pub(crate) fn req<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<RequestCtx>> {
    ctx.data::<Arc<RequestCtx>>()
}

pub struct Query;

#[Object]
impl Query {
    async fn project(&self, ctx: &Context<'_>, id: String) -> async_graphql::Result<String> {
        let r = req(ctx)?;
        r.read(ctx, Op::Project, Target::Project { id: id.clone() }, |s| Ok(s.project(&id)?.name.clone()))
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    async fn volume_delete(&self, ctx: &Context<'_>, volume_id: String) -> async_graphql::Result<bool> {
        match req(ctx)?.mutate(ctx, Command::VolumeDelete { volume_id })? {
            Outcome::Bool(b) => Ok(b),
            _ => Ok(true),
        }
    }
}
