//! Where a URL points: Railway's GraphQL endpoint, the local mock, or outside the simulated
//! world (which the harness must never contact).

/// The hosts that answer Railway's public API.
const RAILWAY_HOSTS: &[&str] = &["backboard.railway.com", "backboard.railway.app", "backboard.railway-develop.com"];

/// The legacy host the incident's curl used.
const LEGACY_HOST: &str = "backboard.railway.app";

/// The only path the simulated provider answers.
const GRAPHQL_PATH: &str = "/graphql/v2";

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Railway's GraphQL endpoint on a real host name.
    Railway { host: String, legacy: bool },
    /// The local serve URL; `authority` is `host:port`.
    Local { authority: String },
    /// A Railway or local host, but a path the simulation does not serve.
    OtherPath { host: String, path: String },
    /// A Railway or local host over a scheme other than HTTP(S).
    OtherScheme { scheme: String },
    /// Anything else.
    Outside { host: String },
    /// Not a URL curl could send.
    Malformed(String),
}

struct Url {
    scheme: Option<String>,
    host: String,
    port: Option<u16>,
    path: String,
}

impl Url {
    fn parse(url: &str) -> Result<Self, String> {
        let (scheme, rest) = match url.split_once("://") {
            Some((s, r)) => (Some(s.to_ascii_lowercase()), r),
            // curl guesses `http://` for a URL without a scheme.
            None => (None, url),
        };
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let (authority, tail) = rest.split_at(end);
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (h, after) = v6.split_once(']').ok_or_else(|| format!("url `{url}` has an unbalanced `[`"))?;
            (format!("[{h}]"), after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h.to_owned(), Some(p)),
                None => (authority.to_owned(), None),
            }
        };
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        if host.is_empty() {
            return Err(format!("url `{url}` has no host"));
        }
        let port = match port {
            None | Some("") => None,
            Some(p) => Some(p.parse::<u16>().map_err(|_| format!("url `{url}` has an invalid port"))?),
        };
        let path_end = tail.find(['?', '#']).unwrap_or(tail.len());
        let path = match tail.get(..path_end) {
            Some("") | None => "/".to_owned(),
            Some(p) => p.to_owned(),
        };
        Ok(Self { scheme, host, port, path })
    }

    fn effective_port(&self) -> u16 {
        self.port.unwrap_or(if self.scheme.as_deref() == Some("https") { 443 } else { 80 })
    }

    /// The host as the local mock would be reached: `localhost` is the loopback address the
    /// mock binds.
    fn loopback_host(&self) -> &str {
        match self.host.as_str() {
            "localhost" => "127.0.0.1",
            h => h,
        }
    }
}

/// Classifies `url` against Railway's hosts and the local serve URL.
pub(crate) fn classify(url: &str, serve_url: Option<&str>) -> Target {
    let parsed = match Url::parse(url) {
        Ok(p) => p,
        Err(reason) => return Target::Malformed(reason),
    };
    let local = serve_url
        .and_then(|s| Url::parse(s).ok())
        .filter(|s| s.loopback_host() == parsed.loopback_host() && s.effective_port() == parsed.effective_port());
    let railway = RAILWAY_HOSTS.contains(&parsed.host.as_str());
    if local.is_none() && !railway {
        return Target::Outside { host: parsed.host };
    }
    if let Some(scheme) = parsed.scheme.as_deref().filter(|s| !matches!(*s, "http" | "https")) {
        return Target::OtherScheme { scheme: scheme.to_owned() };
    }
    let expected_path = local.as_ref().map_or(GRAPHQL_PATH, |l| l.path.as_str());
    let shown_host = match parsed.port {
        Some(port) if local.is_some() => format!("{}:{port}", parsed.host),
        _ => parsed.host.clone(),
    };
    if parsed.path != expected_path {
        return Target::OtherPath { host: shown_host, path: parsed.path };
    }
    if local.is_some() {
        Target::Local { authority: format!("{}:{}", parsed.host, parsed.effective_port()) }
    } else {
        Target::Railway { legacy: parsed.host == LEGACY_HOST, host: parsed.host }
    }
}
