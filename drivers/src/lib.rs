//! The driver contract shared by the control plane and the AdminWeb.
//!
//! With default features off this crate holds only plain data (model types and provider
//! metadata), so it compiles for `wasm32-unknown-unknown` and the AdminWeb renders the very
//! types the REST API returns.

pub mod model;
pub mod provider;

pub use provider::Provider;
