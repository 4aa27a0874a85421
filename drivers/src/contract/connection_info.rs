//! What a driver connects with. Built by the core's vault when a driver connects; the only
//! place credential values exist in clear, and its `Debug` hides them.

use std::sync::Arc;

use secrecy::SecretString;

use super::{CallRecorder, DriverError, DriverResult};
use crate::Provider;
use crate::model::KeyValue;

pub struct ConnectionInfo {
    /// The connection config's name, for messages and call history.
    pub connection_name: String,
    pub provider: Provider,
    /// The region record's name: Azure's default resource group, as in CB-Spider.
    pub region_name: String,
    /// The region record's keys, e.g. `Region`, `Zone`.
    pub region: Vec<KeyValue>,
    /// The credential's keys with their decrypted values.
    pub credential: Vec<(String, SecretString)>,
    /// Where the driver reports each call it makes to the cloud.
    pub recorder: Arc<dyn CallRecorder>,
}

impl ConnectionInfo {
    /// A region key's value; keys match case-insensitively.
    pub fn region_value(&self, key: &str) -> Option<&str> {
        self.region
            .iter()
            .find(|kv| kv.key.eq_ignore_ascii_case(key))
            .map(|kv| kv.value.as_str())
    }

    /// A credential key's value; keys match case-insensitively.
    pub fn credential_value(&self, key: &str) -> Option<&SecretString> {
        self.credential
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(key))
            .map(|(_, value)| value)
    }

    /// A region value the driver cannot work without.
    pub fn required_region_value(&self, key: &str) -> DriverResult<&str> {
        self.region_value(key)
            .filter(|value| !value.is_empty())
            .ok_or_else(|| {
                DriverError::invalid(format!(
                    "connection '{}': the region has no '{key}'",
                    self.connection_name
                ))
            })
    }

    /// A credential value the driver cannot work without.
    pub fn required_credential_value(&self, key: &str) -> DriverResult<&SecretString> {
        self.credential_value(key).ok_or_else(|| {
            DriverError::invalid(format!(
                "connection '{}': the credential has no '{key}'",
                self.connection_name
            ))
        })
    }
}

impl std::fmt::Debug for ConnectionInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let credential_keys: Vec<&str> = self
            .credential
            .iter()
            .map(|(key, _)| key.as_str())
            .collect();
        f.debug_struct("ConnectionInfo")
            .field("connection_name", &self.connection_name)
            .field("provider", &self.provider)
            .field("region_name", &self.region_name)
            .field("region", &self.region)
            .field("credential_keys", &credential_keys)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_credential_keys_but_not_values() {
        let info = ConnectionInfo {
            connection_name: "c".into(),
            provider: Provider::Mock,
            region_name: "r".into(),
            region: vec![KeyValue::new("Region", "default")],
            credential: vec![(
                "MockName".into(),
                SecretString::from("tenant-secret-42".to_owned()),
            )],
            recorder: Arc::new(crate::contract::NoRecorder),
        };
        let shown = format!("{info:?}");
        assert!(
            shown.contains("MockName") && !shown.contains("tenant-secret-42"),
            "{shown}"
        );
        assert_eq!(info.region_value("region"), Some("default"));
        let err = info.required_region_value("Zone").unwrap_err();
        assert_eq!(err.message, "connection 'c': the region has no 'Zone'");
    }
}
