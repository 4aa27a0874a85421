//! The driver contract shared by the control plane and the AdminWeb.
//!
//! With default features off this crate holds only plain data (model types and provider
//! metadata), so it compiles for `wasm32-unknown-unknown` and the AdminWeb renders the very
//! types the REST API returns.

#[cfg(feature = "aws")]
pub mod aws;
#[cfg(feature = "azure")]
pub mod azure;
#[cfg(any(feature = "aws", feature = "azure"))]
mod catalogs;
#[cfg(any(test, feature = "conformance"))]
pub mod conformance;
pub mod contract;
#[cfg(feature = "mock")]
pub mod mock;
pub mod model;
pub mod provider;
#[cfg(any(feature = "mock", feature = "azure"))]
mod ssh_keys;

pub use provider::Provider;
