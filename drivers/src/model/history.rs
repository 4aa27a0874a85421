//! The CSP API call history as the REST API shows it.

use serde::{Deserialize, Serialize};

/// One call to a cloud's API, with CB-Spider's log field names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CallLogRecord {
    /// RFC 3339.
    #[serde(rename = "Time")]
    pub time: String,
    #[serde(rename = "ConnectionName")]
    pub connection_name: String,
    #[serde(rename = "CloudOS")]
    pub cloud_os: String,
    #[serde(rename = "RegionZone")]
    pub region_zone: String,
    #[serde(rename = "ResourceType")]
    pub resource_type: String,
    #[serde(rename = "ResourceName")]
    pub resource_name: String,
    #[serde(rename = "CloudOSAPI")]
    pub cloud_os_api: String,
    /// Seconds with microsecond precision, as a string, e.g. `"0.012345"`.
    #[serde(rename = "ElapsedTime")]
    pub elapsed_time: String,
    #[serde(rename = "ErrorMSG")]
    pub error_msg: String,
    #[serde(rename = "RequestId")]
    pub request_id: String,
}

/// Latency and errors of one cloud API.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApiStats {
    #[serde(rename = "CloudOS")]
    pub cloud_os: String,
    #[serde(rename = "CloudOSAPI")]
    pub cloud_os_api: String,
    #[serde(rename = "Count")]
    pub count: u64,
    #[serde(rename = "Errors")]
    pub errors: u64,
    #[serde(rename = "P50Ms")]
    pub p50_ms: f64,
    #[serde(rename = "P99Ms")]
    pub p99_ms: f64,
}
