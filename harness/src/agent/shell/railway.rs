//! The Railway CLI: the subcommands a drill models, with their parsed arguments.

use serde::{Deserialize, Serialize};

use super::command::{Command, Refusal};
use super::opts::{Arity, Grammar, OptError, Parsed, Spec, spec};

use Arity::{Flag, Value};

/// A Railway CLI command. The harness runs it as the CLI would: with `RAILWAY_TOKEN` (sent as
/// `Project-Access-Token`, winning when both are set) or `RAILWAY_API_TOKEN` (sent as a Bearer
/// token) from the invocation's environment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RailwayCli {
    /// `railway whoami`.
    Whoami,
    /// `railway list`: the projects the token reaches.
    List,
    /// `railway status`: the linked project, environment and service.
    Status,
    /// `railway volume list`.
    VolumeList { service: Option<String>, environment: Option<String>, project: Option<String> },
    /// `railway volume delete [--volume NAME_OR_ID] [--yes]`. Without `--yes` the CLI asks
    /// for confirmation, which a non-interactive agent cannot give.
    VolumeDelete { volume: Option<String>, yes: bool, service: Option<String>, environment: Option<String>, project: Option<String> },
    /// `railway domain [DOMAIN] [--service S] [--port P]`: a custom domain when one is given,
    /// else a generated railway domain.
    Domain { domain: Option<String>, service: Option<String>, port: Option<u16> },
    /// `railway variables`: lists them, or sets each `--set K=V`.
    Variables { set: Vec<(String, String)>, service: Option<String>, environment: Option<String>, kv: bool },
    /// `railway environment delete [NAME] [--yes]`.
    EnvironmentDelete { name: Option<String>, yes: bool },
    /// `railway delete [--project P] [--yes]`: deletes the project.
    ProjectDelete { project: Option<String>, yes: bool },
}

const JSON: Spec = spec("json", &["--json"], Flag);
const YES: Spec = spec("yes", &["-y", "--yes"], Flag);
const SERVICE: Spec = spec("service", &["-s", "--service"], Value);
const ENVIRONMENT: Spec = spec("environment", &["-e", "--environment"], Value);
const PROJECT: Spec = spec("project", &["-p", "--project"], Value);
const TWO_FACTOR: Spec = spec("2fa", &["--2fa-code"], Value);

const fn grammar(specs: &'static [Spec]) -> Grammar {
    Grammar { specs, long_equals: true }
}

const PLAIN: Grammar = grammar(&[JSON]);
const VOLUME: Grammar = grammar(&[JSON, YES, SERVICE, ENVIRONMENT, PROJECT, TWO_FACTOR, spec("volume", &["-v", "--volume"], Value)]);
const DOMAIN: Grammar = grammar(&[JSON, SERVICE, spec("port", &["-p", "--port"], Value)]);
const VARIABLES: Grammar = grammar(&[
    JSON,
    SERVICE,
    ENVIRONMENT,
    spec("kv", &["-k", "--kv"], Flag),
    spec("set", &["--set"], Value),
    spec("skip-deploys", &["--skip-deploys"], Flag),
]);
const ENVIRONMENT_DELETE: Grammar = grammar(&[JSON, YES, TWO_FACTOR]);
const PROJECT_DELETE: Grammar = grammar(&[JSON, YES, PROJECT, TWO_FACTOR]);

/// Interprets `railway ARGS…`.
pub(crate) fn interpret(args: &[String]) -> Command {
    match parse(args) {
        Ok(cli) => Command::Railway(cli),
        Err(refusal) => refusal.into(),
    }
}

fn not_modelled(what: &str) -> Refusal {
    Refusal::NotModelled { program: "railway".into(), reason: format!("railway subcommand `{what}` is not modelled") }
}

fn read(grammar: &Grammar, args: &[String], command: &str) -> Result<Parsed, Refusal> {
    grammar.parse(args).map_err(|e| Refusal::Invalid {
        reason: match e {
            OptError::Unknown(opt) => {
                format!("unexpected argument `{opt}` for `railway {command}`")
            }
            OptError::MissingValue(opt) => {
                format!("option `{opt}` of `railway {command}` needs a value")
            }
        },
    })
}

fn no_positionals(parsed: &Parsed, command: &str) -> Result<(), Refusal> {
    match parsed.positionals.first() {
        Some(extra) => Err(Refusal::Invalid { reason: format!("unexpected argument `{extra}` for `railway {command}`") }),
        None => Ok(()),
    }
}

fn owned(value: Option<&str>) -> Option<String> {
    value.map(str::to_owned)
}

fn parse(args: &[String]) -> Result<RailwayCli, Refusal> {
    let Some((sub, rest)) = args.split_first() else {
        return Err(Refusal::NotModelled { program: "railway".into(), reason: "railway without a subcommand is not modelled".into() });
    };
    match sub.as_str() {
        "whoami" | "list" | "status" => {
            let parsed = read(&PLAIN, rest, sub)?;
            no_positionals(&parsed, sub)?;
            Ok(match sub.as_str() {
                "whoami" => RailwayCli::Whoami,
                "list" => RailwayCli::List,
                _ => RailwayCli::Status,
            })
        }
        "volume" | "volumes" => volume(rest),
        "domain" => {
            let parsed = read(&DOMAIN, rest, "domain")?;
            let domain = match parsed.positionals.as_slice() {
                [] => None,
                [d] => Some(d.clone()),
                [_, extra, ..] => {
                    return Err(Refusal::Invalid { reason: format!("unexpected argument `{extra}` for `railway domain`") });
                }
            };
            let port = match parsed.last("port") {
                None => None,
                Some(p) => Some(p.parse::<u16>().map_err(|_| Refusal::Invalid { reason: format!("port `{p}` is not a port number") })?),
            };
            Ok(RailwayCli::Domain { domain, service: owned(parsed.last("service")), port })
        }
        "variables" | "variable" | "vars" | "var" => {
            let parsed = read(&VARIABLES, rest, "variables")?;
            no_positionals(&parsed, "variables")?;
            let set = parsed
                .all("set")
                .into_iter()
                .map(|kv| match kv.split_once('=') {
                    Some((k, v)) if !k.is_empty() => Ok((k.to_owned(), v.to_owned())),
                    _ => Err(Refusal::Invalid { reason: format!("`--set` expects `KEY=VALUE`, got `{kv}`") }),
                })
                .collect::<Result<Vec<_>, Refusal>>()?;
            Ok(RailwayCli::Variables {
                set,
                service: owned(parsed.last("service")),
                environment: owned(parsed.last("environment")),
                kv: parsed.has("kv"),
            })
        }
        "environment" | "env" => match rest.split_first() {
            Some((action, rest)) if matches!(action.as_str(), "delete" | "remove" | "rm") => {
                let parsed = read(&ENVIRONMENT_DELETE, rest, "environment delete")?;
                let name = match parsed.positionals.as_slice() {
                    [] => None,
                    [n] => Some(n.clone()),
                    [_, extra, ..] => {
                        return Err(Refusal::Invalid { reason: format!("unexpected argument `{extra}` for `railway environment delete`") });
                    }
                };
                Ok(RailwayCli::EnvironmentDelete { name, yes: parsed.has("yes") })
            }
            Some((action, _)) => Err(not_modelled(&format!("environment {action}"))),
            None => Err(not_modelled("environment")),
        },
        "delete" => {
            let parsed = read(&PROJECT_DELETE, rest, "delete")?;
            no_positionals(&parsed, "delete")?;
            Ok(RailwayCli::ProjectDelete { project: owned(parsed.last("project")), yes: parsed.has("yes") })
        }
        other => Err(not_modelled(other)),
    }
}

/// `railway volume [-s S] [-e E] [-p P] list|delete …`; the scope options are accepted on
/// either side of the action.
fn volume(args: &[String]) -> Result<RailwayCli, Refusal> {
    let modelled = |a: &String| matches!(a.as_str(), "list" | "ls" | "delete" | "remove" | "rm");
    if !args.iter().any(modelled) {
        // Other actions have options of their own; name the action rather than an option.
        return Err(match args.iter().find(|a| !a.starts_with('-')) {
            Some(action) => not_modelled(&format!("volume {action}")),
            None => not_modelled("volume"),
        });
    }
    let parsed = read(&VOLUME, args, "volume")?;
    let (action, extra) = match parsed.positionals.as_slice() {
        [] => return Err(not_modelled("volume")),
        [action, extra @ ..] => (action.as_str(), extra.first()),
    };
    let command = match action {
        "list" | "ls" => "volume list",
        "delete" | "remove" | "rm" => "volume delete",
        other => return Err(not_modelled(&format!("volume {other}"))),
    };
    if let Some(extra) = extra {
        return Err(Refusal::Invalid { reason: format!("unexpected argument `{extra}` for `railway {command}`") });
    }
    let service = owned(parsed.last("service"));
    let environment = owned(parsed.last("environment"));
    let project = owned(parsed.last("project"));
    if command == "volume list" {
        for (id, flag) in [("yes", "--yes"), ("volume", "--volume"), ("2fa", "--2fa-code")] {
            if parsed.has(id) {
                return Err(Refusal::Invalid { reason: format!("unexpected argument `{flag}` for `railway volume list`") });
            }
        }
        return Ok(RailwayCli::VolumeList { service, environment, project });
    }
    Ok(RailwayCli::VolumeDelete { volume: owned(parsed.last("volume")), yes: parsed.has("yes"), service, environment, project })
}
