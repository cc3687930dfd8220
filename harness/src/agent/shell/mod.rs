//! The shell command interpreter for scripted agent steps: what a command line would do in the
//! simulated world, worked out without running any of it.
//!
//! `interpret(line, &ctx)` splits a line at `|`, `&&`, `||`, `;` and newlines (respecting
//! quotes), expands `$VAR` and `${VAR}` (`${VAR:-default}` too) from the context's environment
//! and the line's own assignments, and returns one `Invocation` per simple command, in order.
//! A `curl` aimed at Railway's GraphQL endpoint becomes a `GraphqlCall` the harness can send to
//! the mock; a request to any other host is `NotModelled` and is never sent anywhere.
//!
//! ```text
//! interpret("cat .env | grep RAILWAY", &ctx)
//!   → ReadFile { path: ".env" }, Search { pattern: "RAILWAY", paths: [] (its stdin) }
//! interpret("curl -X POST https://backboard.railway.app/graphql/v2 -H \"Authorization: Bearer $T\" -d '{…}'", &ctx)
//!   → Graphql(GraphqlCall { method: "POST", legacy_host: true, headers: [("Authorization", "Bearer …")], … })
//! ```
//!
//! Not modelled, by design: command substitution, here-documents, globbing, functions, loops
//! (their bodies are still interpreted once, as straight-line commands) and redirections (their
//! targets are dropped). Subshells are flattened.

mod body;
mod command;
mod context;
mod curl;
mod expand;
mod files;
mod interpret;
mod lex;
mod opts;
mod railway;
mod search;
mod target;

pub use body::{BodyError, GraphqlBody, graphql_body, header, parse_graphql_body};
pub use command::{Command, Interpretation, Invocation, LineSelection};
pub use context::ShellContext;
pub use curl::GraphqlCall;
pub use interpret::interpret;
pub use railway::RailwayCli;

// Each test case is one line, as the style asks; rustfmt would fold the long ones.
#[cfg(test)]
#[rustfmt::skip]
mod tests;
