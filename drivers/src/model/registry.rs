//! The four records an operator registers to reach a cloud.

use serde::{Deserialize, Serialize};

/// Reads a list that may come as `null` as an empty one, so answers never carry `null` lists.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// What every response shows in place of a credential value or a key pair's key material.
pub const HIDDEN_SECRET: &str = "Hidden for security.";

/// One `{"Key","Value"}` pair, as CB-Spider spells it.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyValue {
    #[serde(rename = "Key")]
    pub key: String,
    #[serde(rename = "Value")]
    pub value: String,
}

impl KeyValue {
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Values may be credentials, so `Debug` shows only the key.
impl std::fmt::Debug for KeyValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyValue")
            .field("key", &self.key)
            .field("value", &"<redacted>")
            .finish()
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloudDriverInfo {
    #[serde(rename = "DriverName")]
    pub driver_name: String,
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    #[serde(rename = "DriverLibFileName")]
    pub driver_lib_file_name: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CredentialInfo {
    #[serde(rename = "CredentialName")]
    pub credential_name: String,
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    #[serde(rename = "KeyValueInfoList")]
    pub key_value_info_list: Vec<KeyValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionInfo {
    #[serde(rename = "RegionName")]
    pub region_name: String,
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    #[serde(rename = "KeyValueInfoList")]
    pub key_value_info_list: Vec<KeyValue>,
    /// `[]` when the region names no zones; a `null` from a CB-Spider client reads as `[]`.
    #[serde(rename = "AvailableZoneList", deserialize_with = "null_as_empty")]
    pub available_zone_list: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConnectionConfigInfo {
    #[serde(rename = "ConfigName")]
    pub config_name: String,
    #[serde(rename = "ProviderName")]
    pub provider_name: String,
    #[serde(rename = "DriverName")]
    pub driver_name: String,
    #[serde(rename = "CredentialName")]
    pub credential_name: String,
    #[serde(rename = "RegionName")]
    pub region_name: String,
}

/// The connection an AdminWeb page works on, with what an operator needs to tell it apart
/// from others before a destructive action: its provider and its cloud region.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionScope {
    pub name: String,
    pub provider: String,
    /// The region's `Region` key (e.g. `us-east-1`), or the region record's name without one.
    pub region: String,
}

impl ConnectionScope {
    /// How confirmations and notices name the connection, e.g. `aws-config (AWS, us-east-1)`.
    pub fn describe(&self) -> String {
        format!("{} ({}, {})", self.name, self.provider, self.region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credential_keys_are_spelled_like_cb_spider() {
        let info = CredentialInfo {
            credential_name: "mock-cred".into(),
            provider_name: "MOCK".into(),
            key_value_info_list: vec![KeyValue::new("MockName", "m1")],
        };
        let json = serde_json::to_value(&info).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "CredentialName": "mock-cred",
                "ProviderName": "MOCK",
                "KeyValueInfoList": [{"Key": "MockName", "Value": "m1"}]
            })
        );
    }

    #[test]
    fn a_region_without_zones_lists_none_and_reads_null_as_none() {
        let json = serde_json::to_value(RegionInfo::default()).unwrap();
        assert_eq!(json["AvailableZoneList"], serde_json::json!([]));
        let read: RegionInfo =
            serde_json::from_value(serde_json::json!({"AvailableZoneList": null})).unwrap();
        assert!(read.available_zone_list.is_empty());
    }

    #[test]
    fn key_value_debug_hides_the_value() {
        let shown = format!("{:?}", KeyValue::new("ClientSecret", "s3cr3t-value"));
        assert!(shown.contains("ClientSecret"));
        assert!(!shown.contains("s3cr3t-value"));
    }
}
