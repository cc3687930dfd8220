//! Provider profiles: Railway's deletion and authorization regimes as data, one named profile each.
//!
//! Why this shape: the incident hinged on semantics that changed over time (hard delete in April
//! 2026, a 48 h soft delete since). A profile is a plain struct of knobs so a scenario can pick a
//! regime by name and override any single knob to ask "what if only this were different".

use serde::{Deserialize, Serialize};

use crate::time::Duration;

/// The provider's semantics. Every field is a knob a scenario may override on its own.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    /// The profile's name, as reports show it.
    pub name: String,
    /// How long a deleted volume stays restorable out of band; zero means an immediate hard delete.
    pub delete_grace: Duration,
    /// Whether a volume's backups are deleted with it (at once, or at purge under a grace window).
    pub backups_die_with_volume: bool,
    /// When backups do not die with their volume: how long they outlive it.
    pub backups_outlive_volume: Duration,
    /// Whether the provider enforces per-token operation scopes (Railway has none).
    pub token_scopes: bool,
    /// Whether destructive operations touching an environment marked protected are refused.
    pub deletion_protection: bool,
    /// Whether a project token may delete a volume that also has instances in other environments
    /// of its project. Undocumented on Railway; "yes" is the default.
    pub project_token_cross_environment_volume_delete: bool,
    /// Manual backups may use at most this fraction of the volume's size (Railway: 50%).
    pub manual_backup_limit: f64,
    /// How long backup create, delete and restore workflows run before they complete.
    pub workflow_duration: Duration,
    /// How long `projectScheduleDelete` waits before the project is deleted.
    pub project_delete_grace: Duration,
    /// Whether an id that names nothing (or names resources that do not belong together) is
    /// answered `NOT_FOUND`. Railway answers `Not Authorized` for those as for ids out of reach,
    /// so a token cannot learn which ids exist; the clearer answer is a mock's knob, off in
    /// every named profile. The audit keeps the true reason either way.
    #[serde(default)]
    pub unknown_ids_not_found: bool,
}

/// The named profiles. The one mapping between a profile's name and its semantics: scenario
/// files, `serve --profile` and reports all go through it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProfileName {
    /// The API at the time of the incident (April 2026).
    Railway202604,
    /// Railway today.
    Railway,
    /// What a safer provider would offer.
    Hardened,
}

impl ProfileName {
    /// Every named profile, in the order documentation lists them.
    pub const ALL: [ProfileName; 3] = [ProfileName::Railway202604, ProfileName::Railway, ProfileName::Hardened];

    pub const fn name(self) -> &'static str {
        match self {
            ProfileName::Railway202604 => "railway-2026-04",
            ProfileName::Railway => "railway",
            ProfileName::Hardened => "hardened",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }

    /// The profile's semantics.
    pub fn profile(self) -> Profile {
        match self {
            ProfileName::Railway202604 => Profile::railway_2026_04(),
            ProfileName::Railway => Profile::railway(),
            ProfileName::Hardened => Profile::hardened(),
        }
    }
}

impl std::fmt::Display for ProfileName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl Serialize for ProfileName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for ProfileName {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let name = String::deserialize(d)?;
        ProfileName::from_name(&name).ok_or_else(|| serde::de::Error::unknown_variant(&name, &PROFILE_NAMES))
    }
}

/// The names of the named profiles, in the order documentation lists them.
pub const PROFILE_NAMES: [&str; 3] = [ProfileName::ALL[0].name(), ProfileName::ALL[1].name(), ProfileName::ALL[2].name()];

impl Profile {
    /// The API at the time of the incident: immediate hard delete, backups die with the volume.
    pub fn railway_2026_04() -> Self {
        Profile {
            name: ProfileName::Railway202604.name().into(),
            delete_grace: Duration::ZERO,
            backups_die_with_volume: true,
            backups_outlive_volume: Duration::ZERO,
            token_scopes: false,
            deletion_protection: false,
            project_token_cross_environment_volume_delete: true,
            manual_backup_limit: 0.5,
            workflow_duration: Duration::seconds(30),
            project_delete_grace: Duration::hours(48),
            unknown_ids_not_found: false,
        }
    }

    /// Railway today: API deletes are soft for 48 hours, then purged with their backups.
    pub fn railway() -> Self {
        Profile { name: ProfileName::Railway.name().into(), delete_grace: Duration::hours(48), ..Self::railway_2026_04() }
    }

    /// What a safer provider would offer: token scopes, deletion protection, and backups that
    /// outlive their volume by 30 days.
    pub fn hardened() -> Self {
        Profile {
            name: ProfileName::Hardened.name().into(),
            delete_grace: Duration::hours(48),
            backups_die_with_volume: false,
            backups_outlive_volume: Duration::days(30),
            token_scopes: true,
            deletion_protection: true,
            ..Self::railway_2026_04()
        }
    }

    /// Looks a profile up by name; `None` for an unknown name (see `PROFILE_NAMES`).
    pub fn named(name: &str) -> Option<Self> {
        ProfileName::from_name(name).map(ProfileName::profile)
    }

    /// This profile with the given knobs replaced.
    #[must_use]
    pub fn with(mut self, o: &ProfileOverrides) -> Self {
        if let Some(v) = o.delete_grace {
            self.delete_grace = v;
        }
        if let Some(v) = o.backups_die_with_volume {
            self.backups_die_with_volume = v;
        }
        if let Some(v) = o.backups_outlive_volume {
            self.backups_outlive_volume = v;
        }
        if let Some(v) = o.token_scopes {
            self.token_scopes = v;
        }
        if let Some(v) = o.deletion_protection {
            self.deletion_protection = v;
        }
        if let Some(v) = o.project_token_cross_environment_volume_delete {
            self.project_token_cross_environment_volume_delete = v;
        }
        if let Some(v) = o.manual_backup_limit {
            self.manual_backup_limit = v;
        }
        if let Some(v) = o.workflow_duration {
            self.workflow_duration = v;
        }
        if let Some(v) = o.project_delete_grace {
            self.project_delete_grace = v;
        }
        if let Some(v) = o.unknown_ids_not_found {
            self.unknown_ids_not_found = v;
        }
        self
    }

    /// True when `volumeDelete` removes data at once rather than after a grace window.
    pub fn hard_delete(&self) -> bool {
        self.delete_grace == Duration::ZERO
    }
}

/// Individually overridable knobs of a `Profile`; `None` keeps the profile's value.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProfileOverrides {
    pub delete_grace: Option<Duration>,
    pub backups_die_with_volume: Option<bool>,
    pub backups_outlive_volume: Option<Duration>,
    pub token_scopes: Option<bool>,
    pub deletion_protection: Option<bool>,
    pub project_token_cross_environment_volume_delete: Option<bool>,
    pub manual_backup_limit: Option<f64>,
    pub workflow_duration: Option<Duration>,
    pub project_delete_grace: Option<Duration>,
    #[serde(default)]
    pub unknown_ids_not_found: Option<bool>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_profile_resolves_and_unknown_names_do_not() {
        for name in PROFILE_NAMES {
            assert_eq!(Profile::named(name).map(|p| p.name), Some(name.to_string()));
        }
        assert!(Profile::named("aws").is_none());
    }

    #[test]
    fn the_incident_profile_hard_deletes_and_today_soft_deletes() {
        assert!(Profile::railway_2026_04().hard_delete());
        assert!(!Profile::railway().hard_delete());
        assert_eq!(Profile::railway().delete_grace, Duration::hours(48));
    }

    #[test]
    fn an_override_changes_only_its_knob() {
        let base = Profile::railway();
        let p = base.clone().with(&ProfileOverrides { token_scopes: Some(true), ..Default::default() });
        assert!(p.token_scopes);
        assert_eq!(Profile { token_scopes: false, ..p }, base);
    }
}
