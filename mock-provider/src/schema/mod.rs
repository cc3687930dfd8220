//! The GraphQL face of the provider: async-graphql types and resolvers named exactly as in
//! Railway's public schema, each a thin translation onto `State` through `RequestCtx`.
//!
//! Why this shape: root query fields authorize and audit through `RequestCtx::read`, root
//! mutations build a `Command` and go through `RequestCtx::mutate`; nested fields only read
//! (`RequestCtx::state`), because authorization happened at the root. Object types wrap clones of
//! model records, so no lock is held while async-graphql walks the selection set.
//!
//! Comments on GraphQL items are `//`, never `///`: async-graphql publishes doc comments as
//! descriptions, and introspection must not tell an agent under test that it talks to a mock.

mod connection;
mod enums;
mod inputs;
mod mutation;
pub(crate) mod nulls;
mod objects;
mod query;
mod scalars;
#[cfg(test)]
mod tests;

use std::sync::{Arc, OnceLock};

use async_graphql::{Context, EmptySubscription, Schema};

use crate::request::RequestCtx;

pub use mutation::Mutation;
pub use query::Query;

pub type ProviderSchema = Schema<Query, Mutation, EmptySubscription>;

/// How deep a document may nest, and how many fields it may select: `limits` says why.
pub(crate) const DEPTH_LIMIT: usize = crate::limits::MAX_SELECTION_DEPTH;
pub(crate) const COMPLEXITY_LIMIT: usize = crate::limits::MAX_EXPANDED_FIELDS as usize;

/// The schema is data-free, so it is built once per process.
pub fn schema() -> &'static ProviderSchema {
    static SCHEMA: OnceLock<ProviderSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::build(Query, Mutation, EmptySubscription).limit_depth(DEPTH_LIMIT).limit_complexity(COMPLEXITY_LIMIT).finish()
    })
}

/// The same schema with only the checks execution needs for safety (depth, complexity,
/// fragment cycles). `Provider::execute` uses it solely for a document, operation and variables
/// that already passed full validation on `schema()`: validation is a pure function of those
/// and the schema, so the answer cannot differ, and it was a fifth of a request's cost.
pub(crate) fn prevalidated_schema() -> &'static ProviderSchema {
    static SCHEMA: OnceLock<ProviderSchema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        Schema::build(Query, Mutation, EmptySubscription)
            .limit_depth(DEPTH_LIMIT)
            .limit_complexity(COMPLEXITY_LIMIT)
            .validation_mode(async_graphql::ValidationMode::Fast)
            .finish()
    })
}

/// The request's context: its principal, the provider and the audit record of this request.
pub(crate) fn req<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a Arc<RequestCtx>> {
    ctx.data::<Arc<RequestCtx>>()
}
