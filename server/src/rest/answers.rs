//! The shapes of the REST API's answers besides the model types: CB-Spider's list wrappers,
//! results, counts and statuses. Every answer is a JSON object (spctl cannot read a top-level
//! array), and every list in one is `[]` when empty, never `null`.

use serde::Serialize;
use serde_json::Value;
use spinneret_drivers::model::{
    AllResourceList, ApiStats, CallLogRecord, CloudDriverInfo, ConnectionConfigInfo,
    CredentialInfo, Iid, ImageInfo, KeyPairInfo, RegionInfo, SecurityInfo, VMInfo, VMSpecInfo,
    VMStatus, VPCInfo,
};
use utoipa::{IntoResponses, ToSchema};

/// Declares CB-Spider's `{"<key>": [...]}` list wrappers, one type per key.
macro_rules! list_wrappers {
    // The key is the field's own name: the document generator cannot read a `rename` whose
    // value comes from a macro.
    ($($(#[$meta:meta])* $name:ident { $key:ident: $item:ty })*) => {$(
        $(#[$meta])*
        #[derive(Serialize, ToSchema)]
        pub struct $name {
            pub $key: Vec<$item>,
        }

        impl From<Vec<$item>> for $name {
            fn from(items: Vec<$item>) -> Self {
                Self { $key: items }
            }
        }
    )*};
}

list_wrappers! {
    DriverList { driver: CloudDriverInfo }
    CredentialList { credential: CredentialInfo }
    RegionList { region: RegionInfo }
    ConnectionConfigList { connectionconfig: ConnectionConfigInfo }
    ImageList { image: ImageInfo }
    SpecList { vmspec: VMSpecInfo }
    /// Every spec as the cloud itself describes it.
    OrgSpecList { vmspec: Value }
    VpcList { vpc: VPCInfo }
    SecurityGroupList { securitygroup: SecurityInfo }
    KeyPairList { keypair: KeyPairInfo }
    VmList { vm: VMInfo }
    VmStatusList { vmstatus: VmStatusEntry }
    CallLogList { calllog: CallLogRecord }
    CallStatsList { stats: ApiStats }
    CloudOsList { cloudos: &'static str }
}

/// `{"Result":"true"}`: what a delete answers, the value a string as in CB-Spider.
#[derive(Serialize, ToSchema)]
pub struct BooleanResult {
    #[serde(rename = "Result")]
    #[schema(example = "true")]
    pub result: &'static str,
}

impl BooleanResult {
    pub const TRUE: BooleanResult = BooleanResult { result: "true" };
}

#[derive(Serialize, ToSchema)]
pub struct Count {
    pub count: u64,
}

/// A VM's status, e.g. what a lifecycle action moved it to.
#[derive(Serialize, ToSchema)]
pub struct StatusAnswer {
    #[serde(rename = "Status")]
    pub status: VMStatus,
}

#[derive(Serialize, ToSchema)]
pub struct VmStatusEntry {
    #[serde(rename = "IId")]
    pub iid: Iid,
    #[serde(rename = "VmStatus")]
    pub vm_status: VMStatus,
}

/// What `GET /all*` answers.
#[derive(Serialize, ToSchema)]
pub struct AllListAnswer {
    #[serde(rename = "AllList")]
    pub all_list: AllResourceList,
}

/// The keys a provider's credential and region records take.
#[derive(Serialize, ToSchema)]
pub struct CloudOsMetaInfo {
    #[serde(rename = "Credential")]
    pub credential: Vec<&'static str>,
    #[serde(rename = "CredentialOptional")]
    pub credential_optional: Vec<&'static str>,
    #[serde(rename = "Region")]
    pub region: Vec<&'static str>,
    #[serde(rename = "RegionOptional")]
    pub region_optional: Vec<&'static str>,
}

#[derive(Serialize, ToSchema)]
pub struct Message {
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct VersionAnswer {
    #[serde(rename = "Version")]
    pub version: &'static str,
}

/// The body of every error answer.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong, naming the field or resource; never a secret.
    pub message: String,
}

/// The errors any authenticated route may answer (`ErrorKind::http_status` maps them).
#[derive(IntoResponses)]
#[allow(dead_code)] // a description of answers for the API document, never built
pub enum ApiErrors {
    /// Malformed JSON, a missing or bad field (named in the message).
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No or wrong credentials (HTTP Basic).
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The connection config, record or resource is not registered.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The name is taken, the record is in use, or the resource's state forbids the change.
    #[response(status = 409)]
    Conflict(ErrorBody),
    /// The request body is larger than 1 MiB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// Too many failed sign-ins from this address; `Retry-After` says when to try again.
    #[response(status = 429)]
    TooManyRequests(ErrorBody),
    /// A bug: the server log has the details under the response's `X-Request-Id`.
    #[response(status = 500)]
    Internal(ErrorBody),
}

/// The further errors of routes that call a cloud.
#[derive(IntoResponses)]
#[allow(dead_code)] // a description of answers for the API document, never built
pub enum CloudErrors {
    /// The cloud's API refused or failed; the message says which API and why.
    #[response(status = 502)]
    Cloud(ErrorBody),
    /// The cloud's API did not answer in time.
    #[response(status = 504)]
    Timeout(ErrorBody),
}
