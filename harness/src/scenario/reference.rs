//! The arguments of the placeholders that name what a run creates or finds: a volume instance
//! (`pocketos/pg-data@production`), a backup of one (`…@production:daily:newest`), a workflow
//! (`newest`, `2`), a variable (`pocketos/production/api/DATABASE_URL`). Parsed here once, so
//! `check` and the run read them alike.

use std::fmt;

use super::Instant;

/// `PROJECT/VOLUME@ENVIRONMENT` (or `VOLUME@ENVIRONMENT` when the volume name is unique).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstanceRef<'a> {
    /// The volume, as a volume reference (`project/volume` or a unique bare name).
    pub volume: &'a str,
    /// The environment's name.
    pub environment: &'a str,
}

/// Which schedule made a backup, or `manual`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupKind {
    Daily,
    Weekly,
    Monthly,
    Manual,
}

impl BackupKind {
    const ALL: [Self; 4] = [Self::Daily, Self::Weekly, Self::Monthly, Self::Manual];

    /// The word written in a placeholder.
    #[must_use]
    pub const fn word(self) -> &'static str {
        match self {
            Self::Daily => "daily",
            Self::Weekly => "weekly",
            Self::Monthly => "monthly",
            Self::Manual => "manual",
        }
    }
}

impl fmt::Display for BackupKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.word())
    }
}

/// Which of several backups: the newest (the default), the oldest, the newest taken on a day,
/// or the newest taken at or before an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackupPick {
    Newest,
    Oldest,
    /// The newest taken during this UTC day, given by its first instant.
    Day(Instant),
    /// The newest taken at or before this instant.
    AtOrBefore(Instant),
}

/// `INSTANCE[:KIND][:newest|oldest|DATE]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackupRef<'a> {
    pub instance: InstanceRef<'a>,
    pub kind: Option<BackupKind>,
    pub pick: BackupPick,
}

/// `newest`, `oldest`, or `N` (the N-th workflow started during the run, from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkflowRef {
    Newest,
    Oldest,
    Nth(usize),
}

/// `PROJECT/ENVIRONMENT/NAME` (shared) or `PROJECT/ENVIRONMENT/SERVICE/NAME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VariableRef<'a> {
    pub project: &'a str,
    pub environment: &'a str,
    pub service: Option<&'a str>,
    pub name: &'a str,
}

/// Why an argument does not parse: a message and how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefError {
    pub message: String,
    pub help: String,
}

fn fail(message: String, help: &str) -> RefError {
    RefError { message, help: help.to_owned() }
}

const INSTANCE_HELP: &str = "write it as `PROJECT/VOLUME@ENVIRONMENT`, such as `pocketos/pg-data@production`";
const BACKUP_HELP: &str = "write it as `PROJECT/VOLUME@ENVIRONMENT[:KIND][:PICK]`: KIND is `daily`, `weekly`, `monthly` or `manual`; PICK is `newest` (the default), `oldest`, a day such as `2026-04-20` or an instant such as `2026-04-20T06:00:00Z`";

/// Parses `PROJECT/VOLUME@ENVIRONMENT`.
///
/// # Errors
///
/// When there is no `@`, or either side is empty.
pub fn instance(argument: &str) -> Result<InstanceRef<'_>, RefError> {
    match argument.split_once('@') {
        Some((volume, environment)) if !volume.trim().is_empty() && !environment.trim().is_empty() && !environment.contains('@') => {
            Ok(InstanceRef { volume, environment })
        }
        _ => Err(fail(format!("`{argument}` names no volume instance"), INSTANCE_HELP)),
    }
}

/// Parses `INSTANCE[:KIND][:newest|oldest|DATE]`.
///
/// # Errors
///
/// When the instance, the kind or the pick is malformed.
pub fn backup(argument: &str) -> Result<BackupRef<'_>, RefError> {
    let (head, rest) = argument.split_once(':').map_or((argument, None), |(h, r)| (h, Some(r)));
    let instance = instance(head).map_err(|e| RefError { help: BACKUP_HELP.to_owned(), ..e })?;
    let mut kind = None;
    let mut pick_text = rest;
    if let Some(rest) = rest {
        let (first, after) = rest.split_once(':').map_or((rest, None), |(f, a)| (f, Some(a)));
        if let Some(k) = BackupKind::ALL.into_iter().find(|k| k.word() == first) {
            kind = Some(k);
            pick_text = after;
        }
    }
    let pick = match pick_text {
        None | Some("newest") => BackupPick::Newest,
        Some("oldest") => BackupPick::Oldest,
        Some(text) if text.len() == 10 && !text.contains('T') => match Instant::parse(&format!("{text}T00:00:00Z")) {
            Ok(day) => BackupPick::Day(day),
            Err(_) => return Err(fail(format!("`{text}` is not a day such as `2026-04-20`"), BACKUP_HELP)),
        },
        Some(text) => match Instant::parse(text) {
            Ok(t) => BackupPick::AtOrBefore(t),
            Err(_) => {
                let message = match super::suggest::closest(text, ["newest", "oldest", "daily", "weekly", "monthly", "manual"]) {
                    Some(near) => format!("`{text}` is neither a kind, `newest`, `oldest`, a day nor an instant; did you mean `{near}`?"),
                    None => format!("`{text}` is neither a kind, `newest`, `oldest`, a day nor an instant"),
                };
                return Err(fail(message, BACKUP_HELP));
            }
        },
    };
    Ok(BackupRef { instance, kind, pick })
}

/// Parses `newest`, `oldest` or a number from 1.
///
/// # Errors
///
/// For anything else, `0` included.
pub fn workflow(argument: &str) -> Result<WorkflowRef, RefError> {
    match argument {
        "newest" => Ok(WorkflowRef::Newest),
        "oldest" => Ok(WorkflowRef::Oldest),
        n => match n.parse::<usize>() {
            Ok(n) if n >= 1 => Ok(WorkflowRef::Nth(n)),
            _ => Err(fail(
                format!("`{argument}` names no workflow"),
                "write `newest`, `oldest`, or the workflow's number in the order the run started them, from 1",
            )),
        },
    }
}

/// Parses `PROJECT/ENVIRONMENT/NAME` or `PROJECT/ENVIRONMENT/SERVICE/NAME`.
///
/// # Errors
///
/// For any other number of parts, or an empty one.
pub fn variable(argument: &str) -> Result<VariableRef<'_>, RefError> {
    let parts: Vec<&str> = argument.split('/').collect();
    let help = "write it as `PROJECT/ENVIRONMENT/NAME` for a shared variable or `PROJECT/ENVIRONMENT/SERVICE/NAME` for a service's";
    if parts.iter().any(|p| p.trim().is_empty()) {
        return Err(fail(format!("`{argument}` has an empty part"), help));
    }
    match parts.as_slice() {
        [project, environment, name] => Ok(VariableRef { project, environment, service: None, name }),
        [project, environment, service, name] => Ok(VariableRef { project, environment, service: Some(service), name }),
        _ => Err(fail(format!("`{argument}` names no variable"), help)),
    }
}

#[cfg(test)]
mod tests {
    use super::{BackupKind, BackupPick, WorkflowRef, backup, instance, variable, workflow};
    use crate::scenario::Instant;

    #[test]
    fn arguments_parse_into_their_parts() {
        let i = instance("pocketos/pg-data@production").unwrap();
        assert_eq!((i.volume, i.environment), ("pocketos/pg-data", "production"));
        assert!(instance("pocketos/pg-data").is_err());
        assert!(instance("@production").is_err());

        let b = backup("pocketos/pg-data@production").unwrap();
        assert_eq!((b.kind, b.pick), (None, BackupPick::Newest));
        let b = backup("pg-data@staging:weekly:oldest").unwrap();
        assert_eq!((b.instance.environment, b.kind, b.pick), ("staging", Some(BackupKind::Weekly), BackupPick::Oldest));
        let b = backup("pg-data@production:2026-04-20").unwrap();
        assert_eq!(b.pick, BackupPick::Day(Instant::parse("2026-04-20T00:00:00Z").unwrap()));
        let b = backup("pg-data@production:daily:2026-04-20T06:00:00Z").unwrap();
        assert_eq!((b.kind, b.pick), (Some(BackupKind::Daily), BackupPick::AtOrBefore(Instant::parse("2026-04-20T06:00:00Z").unwrap())));
        assert_eq!(
            backup("pg-data@production:newset").unwrap_err().message,
            "`newset` is neither a kind, `newest`, `oldest`, a day nor an instant; did you mean `newest`?"
        );
        assert!(backup("pg-data@production:2026-13-40").is_err());

        assert_eq!(workflow("2").unwrap(), WorkflowRef::Nth(2));
        assert_eq!(workflow("newest").unwrap(), WorkflowRef::Newest);
        assert!(workflow("0").is_err());

        let v = variable("pocketos/production/api/DATABASE_URL").unwrap();
        assert_eq!((v.project, v.environment, v.service, v.name), ("pocketos", "production", Some("api"), "DATABASE_URL"));
        assert_eq!(variable("pocketos/production/SHARED").unwrap().service, None);
        assert!(variable("pocketos/SHARED").is_err());
        assert!(variable("pocketos//x").is_err());
    }
}
