//! Tests of the GraphQL layer: conformance to Railway's schema, the SDL snapshot, the Railway
//! CLI's own documents, and behaviour through `Provider::execute_blocking`.

mod behaviour;
mod belonging;
mod classes;
mod cli;
mod conformance;
mod record;
mod snapshot;
mod support;
mod targets;
