//! Who may use the admin surface (`/_firedrill/*`): a loopback peer, naming a loopback host,
//! from no origin or a loopback one, and sending JSON to the routes that change state.
//!
//! Why each check: the peer check keeps other machines out; the `Host` check defeats DNS
//! rebinding (a web page whose name resolves to 127.0.0.1 still sends its own name as `Host`);
//! the `Origin` check refuses a page on another site that the browser lets through anyway; and
//! requiring `Content-Type: application/json` on POST turns every cross-site form or `fetch` into
//! a CORS preflight, which this server never approves.

use std::net::{IpAddr, SocketAddr};

use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The admin surface's gatekeeper, as axum middleware.
pub(crate) async fn admin_only(ConnectInfo(peer): ConnectInfo<SocketAddr>, req: axum::extract::Request, next: Next) -> Response {
    match refusal(peer, req.method(), req.uri(), req.headers()) {
        Some((status, message)) => super::envelope::refuse(status, super::envelope::code_for(status), message),
        None => next.run(req).await,
    }
}

/// Why a request to the admin surface is refused, if it is.
fn refusal(peer: SocketAddr, method: &Method, uri: &axum::http::Uri, headers: &HeaderMap) -> Option<(StatusCode, String)> {
    if !peer.ip().is_loopback() {
        return Some((StatusCode::FORBIDDEN, "the admin surface answers on loopback only".into()));
    }
    // An absolute-form request line names its host too; both must be loopback.
    let host = uri
        .authority()
        .map(|a| a.as_str().to_string())
        .or_else(|| headers.get(header::HOST).and_then(|h| h.to_str().ok()).map(str::to_string));
    match host {
        Some(h) if is_loopback_host(&h) => {}
        Some(h) => {
            return Some((
                StatusCode::FORBIDDEN,
                format!("the admin surface answers to a loopback host (localhost, 127.0.0.1, [::1]), not `{}`", shorten(&h)),
            ));
        }
        None => return Some((StatusCode::FORBIDDEN, "the admin surface needs a `Host` header naming a loopback host".into())),
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        let origin = origin.to_str().unwrap_or("");
        if !is_loopback_origin(origin) {
            return Some((StatusCode::FORBIDDEN, format!("the admin surface refuses requests from the web origin `{}`", shorten(origin))));
        }
    }
    if method == Method::POST {
        let json = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(is_json);
        if !json {
            return Some((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "the admin surface's POST routes take `Content-Type: application/json`".into(),
            ));
        }
    }
    None
}

fn shorten(s: &str) -> String {
    s.chars().take(80).collect()
}

/// `localhost`, `127.x.y.z` or `[::1]`, with or without a port.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    let name = match host.strip_prefix('[') {
        // `[::1]` or `[::1]:4000`
        Some(rest) => match rest.split_once(']') {
            Some((ip, port)) if port.is_empty() || port.strip_prefix(':').is_some_and(valid_port) => {
                return ip.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
            }
            _ => return false,
        },
        None => match host.rsplit_once(':') {
            Some((name, port)) if valid_port(port) => name,
            Some(_) => return false,
            None => host,
        },
    };
    name.eq_ignore_ascii_case("localhost") || name.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

fn valid_port(port: &str) -> bool {
    port.parse::<u16>().is_ok()
}

/// `http://` or `https://` followed by a loopback host, nothing after it.
fn is_loopback_origin(origin: &str) -> bool {
    let rest = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://"));
    rest.is_some_and(|host| !host.contains('/') && is_loopback_host(host))
}

/// `application/json`, with parameters such as `charset=utf-8` allowed.
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_names_and_addresses_of_this_machine_with_any_port() {
        for (host, ok) in [
            ("localhost", true),
            ("localhost:4000", true),
            ("LOCALHOST:4000", true),
            ("127.0.0.1", true),
            ("127.0.0.1:4000", true),
            ("127.1.2.3:80", true),
            ("[::1]", true),
            ("[::1]:4000", true),
            ("evil.example", false),
            ("evil.example:4000", false),
            ("localhost.evil.example", false),
            ("127.0.0.1.evil.example", false),
            ("10.0.0.1:4000", false),
            ("[2001:db8::1]:4000", false),
            ("localhost:notaport", false),
            ("[::1]x", false),
            ("", false),
        ] {
            assert_eq!(is_loopback_host(host), ok, "{host}");
        }
    }

    #[test]
    fn loopback_origins_are_http_or_https_on_a_loopback_host() {
        for (origin, ok) in [
            ("http://localhost:4000", true),
            ("https://127.0.0.1", true),
            ("http://[::1]:4000", true),
            ("null", false),
            ("http://evil.example", false),
            ("http://localhost.evil.example", false),
            ("file://", false),
            ("http://localhost:4000/path", false),
        ] {
            assert_eq!(is_loopback_origin(origin), ok, "{origin}");
        }
    }

    #[test]
    fn json_content_types_may_carry_parameters() {
        for (ct, ok) in [
            ("application/json", true),
            ("application/json; charset=utf-8", true),
            ("Application/JSON", true),
            ("text/plain", false),
            ("application/x-www-form-urlencoded", false),
            ("multipart/form-data; boundary=x", false),
            ("application/jsonx", false),
        ] {
            assert_eq!(is_json(ct), ok, "{ct}");
        }
    }
}
