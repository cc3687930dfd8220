//! `Variable`: an environment variable of a service, or shared by an environment.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A variable set in one environment of a project.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Variable {
    /// The environment the variable is set in; one of the project's `environments`.
    pub environment: String,
    /// The service the variable belongs to; a shared variable of the environment when left out.
    #[serde(default)]
    pub service: Option<String>,
    /// The variable's name, such as `DATABASE_URL`.
    pub name: String,
    /// The variable's value. May hold id placeholders such as `${volume:app/pg-data}`.
    pub value: String,
}
