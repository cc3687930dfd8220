//! The console at `GET /graphql/v2`: a small GraphQL page (query, variables, a token, the
//! pretty-printed answer) served entirely from the binary.
//!
//! Why not GraphiQL: it loads React and its own scripts from a CDN, so opening it would send a
//! request off this machine. This page references no URL but the endpoint itself, and its
//! Content-Security-Policy tells the browser to load nothing from anywhere else.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// The page, as served.
pub(crate) const PAGE: &str = include_str!("console.html");

/// Only this page's own inline script and style, and requests to this origin.
const POLICY: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; base-uri 'none'; form-action 'none'";

pub(crate) async fn console() -> Response {
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CONTENT_SECURITY_POLICY, POLICY)], PAGE).into_response()
}
