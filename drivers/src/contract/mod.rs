//! The contract between the control plane and a cloud driver.
//!
//! A [`Driver`] connects with a connection's decrypted [`ConnectionInfo`] and hands back a
//! [`Connection`]: the union of small handler traits, one per kind of resource. The traits are
//! object-safe (`async_trait`), so the core holds drivers as `Arc<dyn Driver>`. Capabilities
//! are reported, never guessed, so the UI can disable what a driver lacks.

mod connection_info;
mod error;
mod handlers;
mod recorder;

pub use connection_info::ConnectionInfo;
pub use error::{DriverError, DriverErrorKind, DriverResult};
pub use handlers::{
    CloudAccount, ImageHandler, InventoryHandler, KeyPairHandler, SecurityGroupRequest,
    SecurityHandler, SpecHandler, StartPoll, SubnetRequest, VmHandler, VmRequest, VpcHandler,
    VpcRequest,
};
#[cfg(test)]
pub(crate) use recorder::RecordedCalls;
pub use recorder::{CallRecorder, CloudCall, NoRecorder, recorded};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::Provider;

/// Which handlers a driver implements, as `GET /driver/capability` reports them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Capabilities {
    #[serde(rename = "ImageHandler")]
    pub image: bool,
    #[serde(rename = "VMSpecHandler")]
    pub vm_spec: bool,
    #[serde(rename = "VPCHandler")]
    pub vpc: bool,
    #[serde(rename = "SecurityHandler")]
    pub security: bool,
    #[serde(rename = "KeyPairHandler")]
    pub key_pair: bool,
    #[serde(rename = "VMHandler")]
    pub vm: bool,
}

impl Capabilities {
    /// Every handler: what a full driver reports.
    pub const ALL: Capabilities = Capabilities {
        image: true,
        vm_spec: true,
        vpc: true,
        security: true,
        key_pair: true,
        vm: true,
    };
}

/// A cloud driver: knows one provider and opens connections to it.
#[async_trait]
pub trait Driver: Send + Sync {
    fn provider(&self) -> Provider;

    fn capabilities(&self) -> Capabilities;

    /// Checks the connection's keys and opens a session with the cloud.
    async fn connect(&self, info: ConnectionInfo) -> DriverResult<Box<dyn Connection>>;
}

/// An open connection to one cloud account in one region: every handler.
pub trait Connection:
    ImageHandler
    + SpecHandler
    + VpcHandler
    + SecurityHandler
    + KeyPairHandler
    + VmHandler
    + InventoryHandler
{
}

impl<T> Connection for T where
    T: ImageHandler
        + SpecHandler
        + VpcHandler
        + SecurityHandler
        + KeyPairHandler
        + VmHandler
        + InventoryHandler
{
}
