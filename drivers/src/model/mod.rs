//! Model types with CB-Spider's exact JSON key spellings.

mod registry;

pub use registry::{
    CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, HIDDEN_SECRET, KeyValue, RegionInfo,
};
