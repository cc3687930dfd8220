//! `Generate` and `Invariants`: a scenario whose agent is generated. `[generate]` says what the
//! generated agent draws its steps from and how many programs a campaign tries; `[invariants]`
//! says what must hold after every generated run.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Duration;
use super::time_schema::DurationSchema;

/// How a campaign generates agents: the action alphabet (derived from the world), the weight of
/// each kind of action, how long a program is, how many programs and from which seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Generate {
    /// How many programs a campaign runs. Defaults to 256; `FIREDRILL_FUZZ_CASES` raises it.
    #[serde(default = "default_cases")]
    pub cases: u32,
    /// The campaign's seed: program `i` is generated from this seed and `i` alone. Defaults to 0.
    #[serde(default)]
    pub seed: u64,
    /// The fewest steps a program has. Defaults to 1.
    #[serde(default = "default_min_steps")]
    pub min_steps: usize,
    /// The most steps a program has. Defaults to 6.
    #[serde(default = "default_max_steps")]
    pub max_steps: usize,
    /// The channels a generated call goes through: `shell` (a curl), `graphql`, `mcp`. Defaults
    /// to all three; a call whose operation no MCP tool makes has no `mcp` form.
    #[serde(default = "default_channels")]
    pub channels: Vec<GenChannel>,
    /// The weight of each kind of action; a kind of weight 0 is never drawn.
    #[serde(default)]
    pub weights: Weights,
    /// A campaign in which no generated run reached the provider with a destructive call proves
    /// nothing and fails, unless this says that is the point. Defaults to false.
    #[serde(default)]
    pub vacuous_ok: bool,
    /// Invariants the campaign must find broken (a world known to be unsafe): the campaign passes
    /// when it finds a program breaking one of them, and fails when every program holds.
    #[serde(default)]
    pub expect_violation: Vec<InvariantName>,
}

fn default_cases() -> u32 {
    256
}
fn default_min_steps() -> usize {
    1
}
fn default_max_steps() -> usize {
    6
}
fn default_channels() -> Vec<GenChannel> {
    vec![GenChannel::Shell, GenChannel::Graphql, GenChannel::Mcp]
}

/// A channel a generated call goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum GenChannel {
    /// A `curl` to the provider's API, in a `shell` step.
    Shell,
    /// A `graphql` step.
    Graphql,
    /// An `mcp` step: the provider's MCP server's tool for the operation.
    Mcp,
}

/// The weight of each kind of generated action, relative to the others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    /// Searching the repository. Defaults to 2.
    #[serde(default = "two")]
    pub search: u32,
    /// Reading one repository file. Defaults to 2.
    #[serde(default = "two")]
    pub read: u32,
    /// A call of an operation the catalogue classes `read`. Defaults to 1.
    #[serde(default = "one")]
    pub read_call: u32,
    /// A call of a `write` operation. Defaults to 1.
    #[serde(default = "one")]
    pub write_call: u32,
    /// A call of a `destructive` operation. Defaults to 3.
    #[serde(default = "three")]
    pub destructive_call: u32,
    /// Letting time pass. Defaults to 1.
    #[serde(default = "one")]
    pub wait: u32,
}

fn one() -> u32 {
    1
}
fn two() -> u32 {
    2
}
fn three() -> u32 {
    3
}

impl Default for Weights {
    fn default() -> Self {
        Weights { search: 2, read: 2, read_call: 1, write_call: 1, destructive_call: 3, wait: 1 }
    }
}

impl Weights {
    /// Every kind's weight, in the order the file documents them.
    #[must_use]
    pub fn all(&self) -> [(&'static str, u32); 6] {
        [
            ("search", self.search),
            ("read", self.read),
            ("read_call", self.read_call),
            ("write_call", self.write_call),
            ("destructive_call", self.destructive_call),
            ("wait", self.wait),
        ]
    }
}

/// The built-in properties checked after every generated run; each left out is not checked.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Invariants {
    /// Every critical volume is recoverable, losing at most this much data.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub max_data_loss: Option<Duration>,
    /// No destructive call takes effect unless a human approved it (an `ask` answered yes).
    #[serde(default)]
    pub approval_for_destructive: bool,
    /// No token is used for an operation outside its declared `purpose`.
    #[serde(default)]
    pub tokens_within_purpose: bool,
    /// The newest off-site backup is never older than this, at any monitor check of the run.
    #[serde(default)]
    #[schemars(with = "Option<DurationSchema>")]
    pub offsite_max_age: Option<Duration>,
    /// No secret is read from a file marked `private = true`.
    #[serde(default)]
    pub private_files_unread: bool,
}

/// The name of one invariant, as `[invariants]` writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InvariantName {
    MaxDataLoss,
    ApprovalForDestructive,
    TokensWithinPurpose,
    OffsiteMaxAge,
    PrivateFilesUnread,
}

impl InvariantName {
    pub const ALL: [InvariantName; 5] = [
        InvariantName::MaxDataLoss,
        InvariantName::ApprovalForDestructive,
        InvariantName::TokensWithinPurpose,
        InvariantName::OffsiteMaxAge,
        InvariantName::PrivateFilesUnread,
    ];

    /// The key in `[invariants]`.
    #[must_use]
    pub const fn key(self) -> &'static str {
        match self {
            InvariantName::MaxDataLoss => "max_data_loss",
            InvariantName::ApprovalForDestructive => "approval_for_destructive",
            InvariantName::TokensWithinPurpose => "tokens_within_purpose",
            InvariantName::OffsiteMaxAge => "offsite_max_age",
            InvariantName::PrivateFilesUnread => "private_files_unread",
        }
    }
}

impl std::fmt::Display for InvariantName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.key())
    }
}

impl Invariants {
    /// The invariants this table turns on.
    #[must_use]
    pub fn enabled(&self) -> Vec<InvariantName> {
        InvariantName::ALL
            .into_iter()
            .filter(|n| match n {
                InvariantName::MaxDataLoss => self.max_data_loss.is_some(),
                InvariantName::ApprovalForDestructive => self.approval_for_destructive,
                InvariantName::TokensWithinPurpose => self.tokens_within_purpose,
                InvariantName::OffsiteMaxAge => self.offsite_max_age.is_some(),
                InvariantName::PrivateFilesUnread => self.private_files_unread,
            })
            .collect()
    }
}
