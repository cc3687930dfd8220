//! Railway's enums, with Railway's names and every value Railway lists, so that any value a real
//! client sends parses even where the mock only ever returns a few of them.

// Railway's values repeat their enum's name (`DNS_RECORD_TYPE_A`); the variants mirror them so
// async-graphql's renaming produces exactly Railway's spelling.
#![expect(clippy::enum_variant_names, reason = "variants mirror Railway's value names")]

use async_graphql::Enum;

use crate::model;

// Railway's `VolumeState`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "VolumeState")]
pub enum VolumeState {
    Deleted,
    Deleting,
    Error,
    Migrating,
    MigrationPending,
    Ready,
    Restoring,
    Updating,
}

impl From<model::VolumeState> for VolumeState {
    fn from(s: model::VolumeState) -> Self {
        match s {
            model::VolumeState::Ready => VolumeState::Ready,
            model::VolumeState::Deleting => VolumeState::Deleting,
            model::VolumeState::Deleted => VolumeState::Deleted,
            model::VolumeState::Restoring => VolumeState::Restoring,
        }
    }
}

// Railway's `VolumeInstanceBackupScheduleKind`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "VolumeInstanceBackupScheduleKind")]
pub enum ScheduleKind {
    Daily,
    Monthly,
    Weekly,
}

impl From<model::ScheduleKind> for ScheduleKind {
    fn from(k: model::ScheduleKind) -> Self {
        match k {
            model::ScheduleKind::Daily => ScheduleKind::Daily,
            model::ScheduleKind::Weekly => ScheduleKind::Weekly,
            model::ScheduleKind::Monthly => ScheduleKind::Monthly,
        }
    }
}

impl From<ScheduleKind> for model::ScheduleKind {
    fn from(k: ScheduleKind) -> Self {
        match k {
            ScheduleKind::Daily => model::ScheduleKind::Daily,
            ScheduleKind::Weekly => model::ScheduleKind::Weekly,
            ScheduleKind::Monthly => model::ScheduleKind::Monthly,
        }
    }
}

// Railway's `WorkflowStatus`; unlike most of Railway's enums its values are PascalCase.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "WorkflowStatus", rename_items = "PascalCase")]
pub enum WorkflowStatus {
    Complete,
    Error,
    NotFound,
    Running,
}

impl From<model::WorkflowStatus> for WorkflowStatus {
    fn from(s: model::WorkflowStatus) -> Self {
        match s {
            model::WorkflowStatus::Running => WorkflowStatus::Running,
            model::WorkflowStatus::Complete => WorkflowStatus::Complete,
            model::WorkflowStatus::Error => WorkflowStatus::Error,
        }
    }
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "DNSRecordType")]
pub enum DnsRecordType {
    DnsRecordTypeA,
    DnsRecordTypeCname,
    DnsRecordTypeNs,
    DnsRecordTypeTxt,
    DnsRecordTypeUnspecified,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "DNSRecordStatus")]
pub enum DnsRecordStatus {
    DnsRecordStatusPropagated,
    DnsRecordStatusRequiresUpdate,
    DnsRecordStatusUnspecified,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "DNSRecordPurpose")]
pub enum DnsRecordPurpose {
    #[graphql(name = "DNS_RECORD_PURPOSE_ACME_DNS01_CHALLENGE")]
    DnsRecordPurposeAcmeDns01Challenge,
    DnsRecordPurposeTrafficRoute,
    DnsRecordPurposeUnspecified,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "CertificateStatus")]
pub enum CertificateStatus {
    CertificateStatusTypeIssueFailed,
    CertificateStatusTypeIssuing,
    CertificateStatusTypeUnspecified,
    CertificateStatusTypeValid,
    CertificateStatusTypeValidatingOwnership,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "CDNProvider")]
pub enum CdnProvider {
    DetectedCdnProviderCloudflare,
    DetectedCdnProviderUnspecified,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "KeyType")]
pub enum KeyType {
    KeyTypeEcdsa,
    #[graphql(name = "KEY_TYPE_RSA_2048")]
    KeyTypeRsa2048,
    #[graphql(name = "KEY_TYPE_RSA_4096")]
    KeyTypeRsa4096,
    KeyTypeUnspecified,
    Unrecognized,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "CustomDomainSyncStatus")]
pub enum CustomDomainSyncStatus {
    Active,
    Creating,
    Deleted,
    Deleting,
    Unspecified,
    Updating,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "ServiceDomainSyncStatus")]
pub enum ServiceDomainSyncStatus {
    Active,
    Creating,
    Deleted,
    Deleting,
    Unspecified,
    Updating,
}

#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "CnameCheckStatus")]
pub enum CnameCheckStatus {
    Error,
    Info,
    Invalid,
    Valid,
    Waiting,
}

// `projects(orderBy:)`.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "ProjectsOrderBy")]
pub enum ProjectsOrderBy {
    CreatedAtDesc,
    NameAsc,
    UpdatedAtDesc,
}

// `Project.environments(sort:)`; Railway spells these values in lower case.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "SortOrder", rename_items = "lowercase")]
pub enum SortOrder {
    Asc,
    Desc,
}

// `ProjectCreateInput.runtime`; accepted and ignored.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
#[graphql(name = "PublicRuntime")]
pub enum PublicRuntime {
    Legacy,
    Unspecified,
    V2,
}

// Railway's `CertificateErrorType`; the mock issues no certificates, so it never fails to.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateErrorType {
    CertificateErrorTypeAuthorizationFailed,
    CertificateErrorTypeDnsValidation,
    CertificateErrorTypeInternal,
    CertificateErrorTypeKeyGeneration,
    CertificateErrorTypeOrderCreation,
    CertificateErrorTypeRateLimit,
    CertificateErrorTypeUnspecified,
    Unrecognized,
}

// Railway's `CertificateStatusDetailed`; the mock reports none (`null`).
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertificateStatusDetailed {
    CertificateStatusTypeDetailedCleaningUp,
    CertificateStatusTypeDetailedComplete,
    CertificateStatusTypeDetailedCreatingOrder,
    CertificateStatusTypeDetailedDownloadingCertificate,
    CertificateStatusTypeDetailedFailed,
    CertificateStatusTypeDetailedFetchingAuthorizations,
    CertificateStatusTypeDetailedFinalizingOrder,
    CertificateStatusTypeDetailedGeneratingKeys,
    CertificateStatusTypeDetailedInitiatingChallenges,
    CertificateStatusTypeDetailedPollingAuthorizations,
    CertificateStatusTypeDetailedPresentingChallenges,
    CertificateStatusTypeDetailedUnspecified,
    Unrecognized,
}

// Railway's `DeploymentStatus`, for the (never built) `Deployment` type.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentStatus {
    Building,
    Crashed,
    Deploying,
    Failed,
    Initializing,
    NeedsApproval,
    Queued,
    Removed,
    Removing,
    Skipped,
    Sleeping,
    Success,
    Waiting,
}

// Railway's `DeploymentInstanceStatus`, for the (never built) deployment instances.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeploymentInstanceStatus {
    Crashed,
    Created,
    Exited,
    Initializing,
    Removed,
    Removing,
    Restarting,
    Running,
    Skipped,
    Stopped,
}
