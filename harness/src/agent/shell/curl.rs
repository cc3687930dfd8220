//! `curl`: turning a command line into the GraphQL request it would send to Railway, and
//! refusing to model any request that leaves the simulated world.

use serde::{Deserialize, Serialize};

use super::command::{Command, Refusal};
use super::opts::{Arity, Grammar, OptError, Parsed, spec};
use super::target::{Target, classify};

use Arity::{Flag, Value};

/// An HTTP request to Railway's GraphQL endpoint, as curl would send it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GraphqlCall {
    /// The host name (`backboard.railway.app`), or `host:port` for the local serve URL.
    pub host: String,
    /// The URL as given on the command line (with `-G` data appended).
    pub url: String,
    /// As given to `-X` (curl sends it verbatim), else `POST` with data, else `GET`.
    pub method: String,
    /// In command-line order and original case: `-H`, `-A` (as `User-Agent`),
    /// `--oauth2-bearer` (as `Authorization: Bearer …`), then the two headers `--json` adds
    /// unless `-H` set them. curl's own defaults (`User-Agent: curl/…`, the form content type
    /// of `-d`) are not listed.
    pub headers: Vec<(String, String)>,
    /// The request body, with several data options joined as curl joins them.
    pub body: Option<String>,
    /// `-d @FILE`: the body is the content of this repository file, which the harness reads.
    pub body_from_file: Option<String>,
    /// Whether the host is `backboard.railway.app`, the legacy one the incident used.
    pub legacy_host: bool,
}

/// The options curl is given in practice. Unknown options are not guessed at: the command is
/// not modelled, since an unknown option with a value would shift every argument after it.
const CURL: Grammar = Grammar {
    long_equals: false,
    specs: &[
        spec("request", &["-X", "--request"], Value),
        spec("header", &["-H", "--header"], Value),
        spec("user-agent", &["-A", "--user-agent"], Value),
        spec("oauth2-bearer", &["--oauth2-bearer"], Value),
        spec("data", &["-d", "--data", "--data-ascii", "--data-binary"], Value),
        spec("data-raw", &["--data-raw"], Value),
        spec("data-urlencode", &["--data-urlencode"], Value),
        spec("json", &["--json"], Value),
        spec("url", &["--url"], Value),
        spec("head", &["-I", "--head"], Flag),
        spec("get", &["-G", "--get"], Flag),
        spec("form", &["-F", "--form", "--form-string"], Value),
        spec("upload", &["-T", "--upload-file"], Value),
        spec("config", &["-K", "--config"], Value),
        spec("socket", &["--unix-socket", "--abstract-unix-socket"], Value),
        spec("next", &["-:", "--next"], Flag),
        spec("info", &["-h", "--help", "-V", "--version", "-M", "--manual"], Flag),
        spec(
            "ignored-value",
            &[
                "-o",
                "--output",
                "-w",
                "--write-out",
                "-m",
                "--max-time",
                "--connect-timeout",
                "--retry",
                "--retry-delay",
                "--retry-max-time",
                "-u",
                "--user",
                "-b",
                "--cookie",
                "-c",
                "--cookie-jar",
                "-e",
                "--referer",
                "-x",
                "--proxy",
                "-U",
                "--proxy-user",
                "--resolve",
                "--connect-to",
                "--cacert",
                "--capath",
                "-E",
                "--cert",
                "--key",
                "--cert-type",
                "--key-type",
                "--pass",
                "--ciphers",
                "-r",
                "--range",
                "-Y",
                "--speed-limit",
                "-y",
                "--speed-time",
                "--limit-rate",
                "-z",
                "--time-cond",
                "--interface",
                "--dns-servers",
                "--max-filesize",
                "--max-redirs",
                "--proto",
                "--proto-redir",
                "-D",
                "--dump-header",
                "--trace",
                "--trace-ascii",
                "--stderr",
                "--url-query",
                "-C",
                "--continue-at",
                "--noproxy",
                "--proxy-header",
                "--output-dir",
                "--netrc-file",
                "--tls-max",
                "--expect100-timeout",
                "--keepalive-time",
                "--happy-eyeballs-timeout-ms",
                "--doh-url",
                "--rate",
                "--parallel-max",
                "--etag-save",
                "--etag-compare",
                "--alt-svc",
                "--hsts",
                "--request-target",
                "--create-file-mode",
                "--preproxy",
                "--socks5",
                "--socks5-hostname",
                "--pinnedpubkey",
            ],
            Value,
        ),
        spec(
            "ignored-flag",
            &[
                "-s",
                "--silent",
                "-S",
                "--show-error",
                "-v",
                "--verbose",
                "-i",
                "--include",
                "--show-headers",
                "-L",
                "--location",
                "--location-trusted",
                "-k",
                "--insecure",
                "--compressed",
                "-f",
                "--fail",
                "--fail-with-body",
                "--fail-early",
                "-g",
                "--globoff",
                "-N",
                "--no-buffer",
                "-#",
                "--progress-bar",
                "--no-progress-meter",
                "-0",
                "--http1.0",
                "--http1.1",
                "--http2",
                "--http2-prior-knowledge",
                "--http3",
                "-4",
                "--ipv4",
                "-6",
                "--ipv6",
                "-q",
                "--disable",
                "--raw",
                "-j",
                "--junk-session-cookies",
                "--tcp-nodelay",
                "--no-keepalive",
                "--path-as-is",
                "--ssl",
                "--ssl-reqd",
                "--tlsv1",
                "--tlsv1.2",
                "--tlsv1.3",
                "-O",
                "--remote-name",
                "--remote-name-all",
                "-R",
                "--remote-time",
                "-J",
                "--remote-header-name",
                "--create-dirs",
                "--no-sessionid",
                "--trace-time",
                "-Z",
                "--parallel",
                "--digest",
                "--basic",
                "--anyauth",
                "--ntlm",
                "--negotiate",
                "-n",
                "--netrc",
                "--netrc-optional",
                "--retry-all-errors",
                "--retry-connrefused",
                "-l",
                "--list-only",
                "-B",
                "--use-ascii",
                "--crlf",
                "-a",
                "--append",
                "--styled-output",
                "--no-styled-output",
                "--no-alpn",
                "--no-npn",
                "--false-start",
                "--xattr",
                "--post301",
                "--post302",
                "--post303",
                "--ssl-no-revoke",
                "--proxy-insecure",
                "--suppress-connect-headers",
                "--no-clobber",
                "--remove-on-error",
            ],
            Flag,
        ),
    ],
};

/// One data option: text, or `@FILE`.
struct Piece {
    data: Data,
    /// `--json` pieces are concatenated to a previous `--json` piece without `&`.
    json: bool,
}

enum Data {
    Inline(String),
    File(String),
}

fn not_modelled(reason: impl Into<String>) -> Vec<Command> {
    vec![Command::NotModelled { program: "curl".into(), reason: reason.into() }]
}

fn invalid(reason: impl Into<String>) -> Vec<Command> {
    vec![Command::Invalid { reason: reason.into() }]
}

/// Interprets `curl ARGS…`: one command per URL, since curl sends the same request to each.
pub(crate) fn interpret(args: &[String], serve_url: Option<&str>) -> Vec<Command> {
    let parsed = match CURL.parse(args) {
        Ok(p) => p,
        Err(OptError::Unknown(opt)) => {
            return not_modelled(format!("curl option `{opt}` is not modelled"));
        }
        Err(OptError::MissingValue(opt)) => {
            return invalid(format!("curl option `{opt}` needs a value"));
        }
    };
    match Request::from_parsed(&parsed) {
        Ok(request) => request.commands(serve_url),
        Err(refusal) => vec![refusal.into()],
    }
}

/// What curl would send, before looking at where.
struct Request {
    urls: Vec<String>,
    method: String,
    headers: Vec<(String, String)>,
    body: Option<String>,
    body_from_file: Option<String>,
}

impl Request {
    fn from_parsed(parsed: &Parsed) -> Result<Self, Refusal> {
        let stop = |reason: String| Refusal::NotModelled { program: "curl".into(), reason };
        let mut headers = Vec::new();
        let mut pieces = Vec::new();
        let mut urls = Vec::new();
        let mut json = false;
        for (id, value) in &parsed.opts {
            let value = value.clone().unwrap_or_default();
            match *id {
                "header" if value.starts_with('@') => {
                    return Err(stop("headers from a file (`-H @file`) are not modelled".into()));
                }
                "header" => headers.push(header(&value)?),
                "user-agent" => headers.push(("User-Agent".into(), value)),
                "oauth2-bearer" => headers.push(("Authorization".into(), format!("Bearer {value}"))),
                "data" => pieces.push(Piece::new(&value, true, false)),
                "json" => {
                    json = true;
                    pieces.push(Piece::new(&value, true, true));
                }
                "data-raw" => pieces.push(Piece::new(&value, false, false)),
                "data-urlencode" => pieces.push(url_encoded(&value).map_err(stop)?),
                "url" => urls.push(value),
                "form" => return Err(stop("multipart forms (`-F`) are not modelled".into())),
                "upload" => return Err(stop("uploads (`-T`) are not modelled".into())),
                "config" => return Err(stop("curl config files (`-K`) are not modelled".into())),
                "socket" => return Err(stop("unix sockets are not modelled".into())),
                "next" => return Err(stop("several requests (`--next`) are not modelled".into())),
                "info" => return Err(stop("curl sends no request for help or version".into())),
                _ => {}
            }
        }
        urls.extend(parsed.positionals.iter().cloned());
        if urls.is_empty() {
            return Err(Refusal::Invalid { reason: "curl without a url".into() });
        }
        if json {
            for (name, value) in [("Content-Type", "application/json"), ("Accept", "application/json")] {
                if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    headers.push((name.into(), value.into()));
                }
            }
        }
        let (mut body, body_from_file) = assemble(&pieces).map_err(stop)?;
        let get = parsed.has("get");
        if get {
            if body_from_file.is_some() {
                return Err(stop("`-G` with `@file` data is not modelled".into()));
            }
            // `-G` moves the data into the query string.
            if let Some(query) = body.take() {
                for url in &mut urls {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(&query);
                }
            }
        }
        let has_data = body.is_some() || body_from_file.is_some();
        let method = match parsed.last("request") {
            Some(m) => m.to_owned(),
            None if parsed.has("head") => "HEAD".into(),
            None if has_data => "POST".into(),
            None => "GET".into(),
        };
        Ok(Self { urls, method, headers, body, body_from_file })
    }

    fn commands(self, serve_url: Option<&str>) -> Vec<Command> {
        self.urls
            .iter()
            .map(|url| match classify(url, serve_url) {
                Target::Railway { host, legacy } => self.call(url, host, legacy),
                Target::Local { authority } => self.call(url, authority, false),
                Target::OtherPath { host, path } => Command::NotModelled {
                    program: "curl".into(),
                    reason: format!("path `{path}` on `{host}` is not modelled, only `/graphql/v2` is"),
                },
                Target::OtherScheme { scheme } => {
                    Command::NotModelled { program: "curl".into(), reason: format!("scheme `{scheme}` is not modelled") }
                }
                Target::Outside { host } => {
                    Command::NotModelled { program: "curl".into(), reason: format!("request to `{host}` is outside the simulated world") }
                }
                Target::Malformed(reason) => Command::Invalid { reason },
            })
            .collect()
    }

    fn call(&self, url: &str, host: String, legacy_host: bool) -> Command {
        Command::Graphql(GraphqlCall {
            host,
            url: url.to_owned(),
            method: self.method.clone(),
            headers: self.headers.clone(),
            body: self.body.clone(),
            body_from_file: self.body_from_file.clone(),
            legacy_host,
        })
    }
}

impl Piece {
    fn new(value: &str, at_means_file: bool, json: bool) -> Self {
        let data = match value.strip_prefix('@') {
            Some(path) if at_means_file => Data::File(path.to_owned()),
            _ => Data::Inline(value.to_owned()),
        };
        Self { data, json }
    }
}

/// `Name: value`; `Name;` sends an empty header, as in curl.
fn header(raw: &str) -> Result<(String, String), Refusal> {
    let parsed = match raw.split_once(':') {
        Some((name, value)) => Some((name, value.trim_start())),
        None => raw.strip_suffix(';').map(|name| (name, "")),
    };
    match parsed {
        Some((name, value)) if !name.trim().is_empty() => Ok((name.to_owned(), value.to_owned())),
        _ => Err(Refusal::Invalid { reason: format!("header `{raw}` is not of the form `name: value`") }),
    }
}

/// Joins the data options into the body curl sends, or names the one file it reads.
fn assemble(pieces: &[Piece]) -> Result<(Option<String>, Option<String>), String> {
    match pieces {
        [] => Ok((None, None)),
        [Piece { data: Data::File(path), .. }] if path == "-" => Err("a request body from standard input (`@-`) is not modelled".into()),
        [Piece { data: Data::File(path), .. }] => Ok((None, Some(path.clone()))),
        _ => {
            let mut body = String::new();
            let mut previous_json = false;
            for (i, piece) in pieces.iter().enumerate() {
                let Data::Inline(text) = &piece.data else {
                    return Err("`@file` data together with other data is not modelled".into());
                };
                if i > 0 && !(piece.json && previous_json) {
                    body.push('&');
                }
                body.push_str(text);
                previous_json = piece.json;
            }
            Ok((Some(body), None))
        }
    }
}

/// `--data-urlencode`: `content`, `=content` and `name=content` are encoded as curl does;
/// the `@file` forms are not modelled.
fn url_encoded(value: &str) -> Result<Piece, String> {
    let at = value.find('@');
    let eq = value.find('=');
    let text = match (at, eq) {
        (Some(a), e) if e.is_none_or(|e| a < e) => {
            return Err("`--data-urlencode` with `@file` is not modelled".into());
        }
        (_, Some(0)) => percent_encode(value.get(1..).unwrap_or_default()),
        (_, Some(e)) => {
            let (name, content) = value.split_at(e);
            format!("{name}={}", percent_encode(content.get(1..).unwrap_or_default()))
        }
        (_, None) => percent_encode(value),
    };
    Ok(Piece { data: Data::Inline(text), json: false })
}

fn percent_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
