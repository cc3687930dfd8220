//! Railway's error envelope on every non-2xx answer: `{"data": null, "errors": [{"message",
//! "extensions": {"code"}, "traceId"}]}`, whoever refused the request (a handler, the admin
//! guard, the rate limiter, or axum itself for an unknown path, a wrong method or a body over
//! the limit).
//!
//! Why a layer and not each handler: axum answers 404, 405 and 413 before any handler runs, with
//! empty or plain-text bodies. One layer outermost is the one place that decides what an error
//! answer looks like; handlers only say the status, the code and the message (`refuse`).

use axum::body::Body;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::provider::Provider;

/// Largest plain-text body of axum's own refusals kept as the envelope's message; longer ones
/// (never expected) are replaced by the status's reason.
const MAX_MESSAGE_BYTES: usize = 1024;

/// A refusal a handler decided: the layer turns it into the envelope with a trace id.
#[derive(Clone, Debug)]
pub(crate) struct Refusal {
    code: &'static str,
    message: String,
}

/// A refusal with `status`, Railway-style `code` and `message`.
pub(crate) fn refuse(status: StatusCode, code: &'static str, message: impl Into<String>) -> Response {
    let mut resp = status.into_response();
    resp.extensions_mut().insert(Refusal { code, message: message.into() });
    resp
}

/// The code for a status no handler named (axum's own refusals).
pub(crate) fn code_for(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "BAD_REQUEST",
        StatusCode::FORBIDDEN => "FORBIDDEN",
        StatusCode::NOT_FOUND => "NOT_FOUND",
        StatusCode::METHOD_NOT_ALLOWED => "METHOD_NOT_ALLOWED",
        StatusCode::CONFLICT => "CONFLICT",
        StatusCode::PAYLOAD_TOO_LARGE => "PAYLOAD_TOO_LARGE",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "UNSUPPORTED_MEDIA_TYPE",
        StatusCode::TOO_MANY_REQUESTS => "RATE_LIMITED",
        s if s.is_server_error() => "INTERNAL_SERVER_ERROR",
        _ => "BAD_REQUEST",
    }
}

/// The layer: every answer that is not a success leaves in the envelope, with a trace id.
pub(crate) async fn envelope(AxState(provider): AxState<Provider>, req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    if status.is_success() || status.is_redirection() || status.is_informational() {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let (code, message) = match parts.extensions.remove::<Refusal>() {
        Some(r) => (r.code, r.message),
        None => {
            // axum's own refusal: its plain text (for example "length limit exceeded") is kept.
            let bytes = axum::body::to_bytes(body, MAX_MESSAGE_BYTES).await.unwrap_or_default();
            let text = String::from_utf8_lossy(&bytes).trim().to_string();
            let reason = status.canonical_reason().unwrap_or("error").to_string();
            (code_for(status), if text.is_empty() { reason } else { text })
        }
    };
    let value = error_value(code, &message, &provider.refusal_trace_id());
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(serde_json::to_vec(&value).unwrap_or_default()))
}

/// The envelope's JSON.
fn error_value(code: &str, message: &str, trace_id: &str) -> Value {
    json!({"data": null, "errors": [{"message": message, "extensions": {"code": code}, "traceId": trace_id}]})
}
