//! Model types with CB-Spider's exact JSON key spellings.

mod history;
mod kind;
mod registry;
mod request;
mod resource;

pub use history::{ApiStats, CallLogRecord};
pub use kind::ResourceKind;
pub use registry::{
    CloudDriverInfo, ConnectionConfigInfo, ConnectionScope, CredentialInfo, HIDDEN_SECRET,
    KeyValue, RegionInfo,
};
pub use request::{
    AllResourceList, KeyPairReqInfo, RegisterReqInfo, RuleReqInfo, SecurityReqInfo, SubnetReqInfo,
    VMReqInfo, VPCReqInfo,
};
pub use resource::{
    GpuInfo, Iid, ImageInfo, ImageStatus, KeyPairInfo, OSArchitecture, OSPlatform, RegionZone,
    SecurityInfo, SecurityRuleInfo, SubnetInfo, VCpuInfo, VMInfo, VMSpecInfo, VMStatus, VPCInfo,
};
