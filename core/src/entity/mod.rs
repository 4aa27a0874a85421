//! sea-orm entities, one per table of `spinneret-migrations`.

pub mod admin_account;
pub mod call_log;
pub mod cloud_driver;
pub mod connection_account;
pub mod connection_config;
pub mod credential;
pub mod mock_account;
pub mod region;
pub mod resource;
pub mod resource_use;
pub mod web_session;
