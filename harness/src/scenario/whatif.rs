//! `WhatIf`: the `[whatif]` table: the loss the team tolerates, and mitigations of its own for
//! `firedrill whatif` to try beside the ones it derives from the scenario.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Duration;
use super::time_schema::DurationSchema;

/// What `firedrill whatif` tries, beyond its own catalogue.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIf {
    /// The data loss the team can live with: a mitigation (or a set of them) that brings the
    /// worst loss to this or less saves the team. Defaults to "0s".
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub tolerance: Option<Duration>,
    /// The team's own mitigations, each a patch of this scenario's own fields:
    /// `[[whatif.mitigation]]`.
    #[serde(default, rename = "mitigation")]
    pub mitigations: Vec<CustomMitigation>,
}

/// One mitigation the team wants weighed: a name, what it is, and the fields it changes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CustomMitigation {
    /// **Required.** Its name in the matrix and in `[expect] sufficient_mitigations`, such as
    /// `"hourly-offsite"`.
    pub name: String,
    /// What it changes, in words.
    #[serde(default)]
    pub title: Option<String>,
    /// **Required.** The scenario's own fields, as they would be written in it: tables merge
    /// key by key, any other value replaces what was there, such as
    /// `{ offsite_backup = { every = "1h" } }`.
    #[schemars(with = "std::collections::BTreeMap<String, serde_json::Value>")]
    pub patch: toml::Table,
}
