//! Domains: `CustomDomain` (with its DNS status), `ServiceDomain` (`*.up.railway.app`) and
//! `AllDomains`, what `domains(...)` returns for one service in one environment.
//!
//! The mock resolves no DNS: a custom domain's records always read as still to be set up,
//! which is what a freshly added domain shows on Railway.

use async_graphql::{ID, Object, SimpleObject};

use super::CertificatePublicDataObj;
use crate::model::{CustomDomain, ServiceDomain};
use crate::schema::enums::{
    CdnProvider, CertificateErrorType, CertificateStatus, CertificateStatusDetailed, CnameCheckStatus, CustomDomainSyncStatus,
    DnsRecordPurpose, DnsRecordStatus, DnsRecordType, ServiceDomainSyncStatus,
};
use crate::schema::scalars::DateTime;

#[derive(SimpleObject)]
pub struct AllDomains {
    pub custom_domains: Vec<CustomDomainObj>,
    pub service_domains: Vec<ServiceDomainObj>,
}

#[derive(SimpleObject)]
#[graphql(name = "DNSRecords")]
pub struct DnsRecords {
    pub current_value: String,
    pub fqdn: String,
    pub hostlabel: String,
    pub purpose: DnsRecordPurpose,
    pub record_type: DnsRecordType,
    pub required_value: String,
    pub status: DnsRecordStatus,
    pub zone: String,
}

#[derive(SimpleObject)]
pub struct CustomDomainStatus {
    pub cdn_provider: Option<CdnProvider>,
    pub certificate_error_message: Option<String>,
    pub certificate_error_type: Option<CertificateErrorType>,
    pub certificate_retryable: Option<bool>,
    pub certificate_status: CertificateStatus,
    pub certificate_status_detailed: Option<CertificateStatusDetailed>,
    pub certificates: Option<Vec<CertificatePublicDataObj>>,
    pub dns_records: Vec<DnsRecords>,
    pub verification_dns_host: Option<String>,
    pub verification_token: Option<String>,
    pub verified: bool,
}

#[derive(SimpleObject)]
pub struct CnameCheck {
    pub link: Option<String>,
    pub message: String,
    pub status: CnameCheckStatus,
}

#[derive(Clone)]
pub struct CustomDomainObj(pub CustomDomain);

impl CustomDomainObj {
    // `api.example.com` → (`api`, `example.com`); an apex domain's host label is `@`.
    fn split(&self) -> (String, String) {
        let labels: Vec<&str> = self.0.domain.split('.').collect();
        if labels.len() <= 2 {
            return ("@".into(), self.0.domain.clone());
        }
        let cut = labels.len() - 2;
        (labels[..cut].join("."), labels[cut..].join("."))
    }

    // The CNAME target Railway asks for, derived from the domain's id so it is stable.
    fn target(&self) -> String {
        let short: String = self.0.id.chars().filter(|c| *c != '-').take(8).collect();
        format!("{short}.up.railway.app")
    }
}

#[Object(name = "CustomDomain")]
impl CustomDomainObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn domain(&self) -> &str {
        &self.0.domain
    }
    async fn environment_id(&self) -> &str {
        &self.0.environment_id
    }
    async fn project_id(&self) -> Option<&str> {
        Some(&self.0.project_id)
    }
    async fn service_id(&self) -> &str {
        &self.0.service_id
    }
    async fn target_port(&self) -> Option<i32> {
        self.0.target_port
    }
    async fn created_at(&self) -> Option<DateTime> {
        Some(DateTime(self.0.created_at))
    }
    async fn updated_at(&self) -> Option<DateTime> {
        Some(DateTime(self.0.updated_at))
    }
    async fn deleted_at(&self) -> Option<DateTime> {
        None
    }
    async fn edge_id(&self) -> Option<String> {
        None
    }
    async fn is_railway_domain(&self) -> bool {
        false
    }
    async fn sync_status(&self) -> CustomDomainSyncStatus {
        CustomDomainSyncStatus::Active
    }
    async fn cname_check(&self) -> CnameCheck {
        CnameCheck {
            link: None,
            message: format!("Waiting for {} to point at {}", self.0.domain, self.target()),
            status: CnameCheckStatus::Waiting,
        }
    }
    async fn status(&self) -> CustomDomainStatus {
        let (host, zone) = self.split();
        CustomDomainStatus {
            cdn_provider: None,
            certificate_error_message: None,
            certificate_error_type: None,
            certificate_retryable: None,
            certificate_status: CertificateStatus::CertificateStatusTypeValidatingOwnership,
            certificate_status_detailed: None,
            certificates: Some(Vec::new()),
            dns_records: vec![DnsRecords {
                current_value: String::new(),
                fqdn: self.0.domain.clone(),
                hostlabel: host.clone(),
                purpose: DnsRecordPurpose::DnsRecordPurposeTrafficRoute,
                record_type: DnsRecordType::DnsRecordTypeCname,
                required_value: self.target(),
                status: DnsRecordStatus::DnsRecordStatusRequiresUpdate,
                zone,
            }],
            verification_dns_host: Some(format!("_railway-verify.{host}")),
            verification_token: Some(self.0.verification_token.clone()),
            verified: false,
        }
    }
}

#[derive(Clone)]
pub struct ServiceDomainObj(pub ServiceDomain);

#[Object(name = "ServiceDomain")]
impl ServiceDomainObj {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }
    async fn domain(&self) -> &str {
        &self.0.domain
    }
    async fn environment_id(&self) -> &str {
        &self.0.environment_id
    }
    async fn project_id(&self) -> Option<&str> {
        Some(&self.0.project_id)
    }
    async fn service_id(&self) -> &str {
        &self.0.service_id
    }
    async fn target_port(&self) -> Option<i32> {
        self.0.target_port
    }
    async fn suffix(&self) -> Option<String> {
        Some("up.railway.app".into())
    }
    async fn created_at(&self) -> Option<DateTime> {
        Some(DateTime(self.0.created_at))
    }
    async fn updated_at(&self) -> Option<DateTime> {
        Some(DateTime(self.0.created_at))
    }
    async fn deleted_at(&self) -> Option<DateTime> {
        None
    }
    async fn sync_status(&self) -> ServiceDomainSyncStatus {
        ServiceDomainSyncStatus::Active
    }
}
