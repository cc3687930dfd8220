//! `Provider`: which provider regime the mock runs, and overrides of its knobs.

use mock_provider::ProfileName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Duration;
use super::time_schema::DurationSchema;

/// The mock provider's behaviour.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Provider {
    /// The named regime the provider follows.
    #[schemars(with = "ProfileSchema")]
    pub profile: ProfileName,
    /// Individual knobs of the profile set to other values; every knob is optional.
    #[serde(default)]
    pub overrides: Overrides,
}

/// A named provider regime. The format reads `mock_provider::ProfileName` itself; this shape
/// only describes its names to editors (a test keeps the two in step).
#[derive(JsonSchema)]
#[schemars(rename = "Profile")]
#[expect(dead_code, reason = "only its JSON Schema is used")]
pub(crate) enum ProfileSchema {
    /// Railway as of the April 2026 incident: hard delete, backups die with the volume, no token
    /// scopes.
    #[serde(rename = "railway-2026-04")]
    Railway202604,
    /// Railway today: API deletes are soft for 48 hours, still no token scopes.
    #[serde(rename = "railway")]
    Railway,
    /// A safer provider: per-operation token scopes, deletion protection, backups that outlive
    /// their volume.
    #[serde(rename = "hardened")]
    Hardened,
}

/// Overrides of a profile's knobs; a knob left out keeps the profile's value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Overrides {
    /// How long a deleted volume stays restorable; "0s" makes deletes hard.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub delete_grace: Option<Duration>,
    /// Whether a volume's backups are deleted together with the volume.
    #[serde(default)]
    pub backups_die_with_volume: Option<bool>,
    /// How long backups outlive a deleted volume (when they do not die with it).
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub backups_outlive_volume: Option<Duration>,
    /// Whether the provider enforces each token's `scopes`.
    #[serde(default)]
    pub token_scopes: Option<bool>,
    /// Whether destructive operations touching a protected environment are refused.
    #[serde(default)]
    pub deletion_protection: Option<bool>,
    /// Whether a project token may delete a volume whose instances span other environments than
    /// its own.
    #[serde(default)]
    pub project_token_cross_environment_volume_delete: Option<bool>,
    /// The total size of manual backups a volume may hold, as a fraction of its size (0 to 1).
    #[serde(default)]
    pub manual_backup_limit: Option<f64>,
    /// How long create, delete and restore workflows take to finish.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub workflow_duration: Option<Duration>,
    /// Whether unknown ids are answered `NOT_FOUND` rather than Railway's `Not Authorized`.
    #[serde(default)]
    pub unknown_ids_not_found: Option<bool>,
}
