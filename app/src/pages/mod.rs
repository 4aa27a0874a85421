//! One module per AdminWeb page.

pub mod catalog;
pub mod connections;
pub mod credentials;
pub mod dashboard;
pub mod drivers;
pub mod history;
pub mod key_pairs;
pub mod layout;
pub mod login;
pub mod regions;
pub mod security_groups;
pub mod topology;
pub mod vms;
pub mod vpcs;
