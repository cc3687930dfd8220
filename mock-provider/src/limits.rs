//! Every bound the provider enforces, in one place, so the HTTP server, the in-process API and the
//! harness's scenario validation refuse the same things for the same reasons.
//!
//! Why this shape: firedrill faces agents that do unexpected things. Each limit here is checked
//! before the work it bounds (a document is measured before async-graphql validates it, a span
//! before the clock moves), and each is far above what a real client sends, so only documents
//! built to be expensive meet them. The README's "Limits" section lists them with their answers.

use crate::time::Duration;

// ---------------------------------------------------------------------------------------------
// Requests over HTTP.

/// Largest HTTP request body `POST /graphql/v2` and the admin routes accept; larger ones get 413.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// How long a connection may take to send a request's headers (wall-clock time, the one place
/// the server uses it): a connection that opens and never finishes its headers is closed.
pub const HEADER_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

// ---------------------------------------------------------------------------------------------
// GraphQL documents, checked before parsing (text) or before validation (parsed document).

/// Largest GraphQL document text. The Railway CLI's largest document is about 1.2 KB.
pub const MAX_DOCUMENT_BYTES: usize = 64 * 1024;

/// Deepest nesting of `{`, `[` and `(` outside strings and comments. The parser recurses per
/// bracket, so this is what keeps a document from overflowing its stack. The Railway CLI's
/// deepest document nests 12 levels.
pub const MAX_BRACKET_DEPTH: usize = 64;

/// Field selections in a document once every fragment spread is expanded (a fragment spread
/// twice counts twice). Bounds validation and execution, which both walk the expanded tree; it is
/// also async-graphql's complexity limit. The Railway CLI's largest documents select under 100
/// fields and the standard introspection query about 60; beyond a thousand a document is
/// aliasing fields to amplify one request.
pub const MAX_EXPANDED_FIELDS: u64 = 1000;

/// How deep fields may nest, fragments expanded (also async-graphql's depth limit). The CLI's
/// deepest document (`UserProjects`) nests 12 fields and the introspection query 13; beyond 16 a
/// document is walking cycles (project → environments → volumeInstances → volume → project …)
/// rather than asking for data.
pub const MAX_SELECTION_DEPTH: usize = 16;

/// Longest chain of fragment spreads (`...a` in an operation, `...b` inside `a`, ...).
/// Validation and execution recurse through spreads.
pub const MAX_FRAGMENT_DEPTH: usize = 16;

/// Fragment definitions in one document.
pub const MAX_FRAGMENTS: usize = 256;

/// Aliased fields in a document once fragments are expanded.
pub const MAX_ALIASES: u64 = 256;

/// Directives in a document once fragments are expanded. Separately, a directive the schema
/// does not declare `repeatable` (`@include`, `@skip`, `@deprecated`, ...) may appear at most
/// once per location, as the GraphQL spec requires.
pub const MAX_DIRECTIVES: u64 = 256;

/// Longest id argument (`id`, `volumeId`, `projectId`, ... as literal or variable). Railway's
/// ids are 36-character UUIDs; nothing longer can name a resource.
pub const MAX_ID_BYTES: usize = 256;

/// Longest string value anywhere in a request (document literal or variable).
pub const MAX_STRING_BYTES: usize = 32 * 1024;

/// Largest `variables` object, measured as its JSON text would be.
pub const MAX_VARIABLES_BYTES: usize = 128 * 1024;

// ---------------------------------------------------------------------------------------------
// Simulated time.

/// The longest span one clock advance may cover, and the longest history a world may have.
/// Checked by `POST /_firedrill/clock/advance` (400), by `ProviderBuilder::build` and by the
/// harness's scenario validation (`history`, `wait`). `State::advance_to` itself stays cheap for
/// any span, so a caller that skips the check waits for nothing.
pub const MAX_SIMULATED_SPAN: Duration = Duration::days(2 * 366);

/// The most runs an off-site backup job may make over a run (history plus the agent's steps
/// divided by `every`). The harness checks it when it validates a scenario file.
pub const MAX_OFFSITE_RUNS: u64 = 10_000;

// ---------------------------------------------------------------------------------------------
// Memory held across requests.

/// Audit entries kept before the oldest are dropped (and counted as dropped).
pub const AUDIT_MAX_ENTRIES: usize = 100_000;

/// Bytes of audit entries kept (estimated from their strings) before the oldest are dropped.
pub const AUDIT_MAX_BYTES: usize = 64 * 1024 * 1024;

/// Longest string the audit keeps whole (an argument value, an error message); longer ones are
/// kept as a prefix ending in a note of how many bytes were dropped.
pub const AUDIT_MAX_STRING_BYTES: usize = 1024;

/// Bytes of one root field's recorded arguments; past it the rest is replaced by a note.
pub const AUDIT_MAX_ARGUMENTS_BYTES: usize = 8 * 1024;

/// Bytes of document text (plus operation and variables) the cache of validated requests keeps.
pub const VALIDATION_CACHE_BYTES: usize = 4 * 1024 * 1024;

/// Bytes of document text the cache of parsed documents keeps (a parsed document takes a few
/// times its text).
pub const PARSED_CACHE_BYTES: usize = 2 * 1024 * 1024;

/// Largest request (document, operation and variables) either cache keeps; larger ones are
/// parsed and validated every time.
pub const CACHED_REQUEST_MAX_BYTES: usize = 16 * 1024;
