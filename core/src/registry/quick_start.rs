//! "Try the mock cloud": a whole MOCK connection in one step, because registering four records
//! before seeing anything is CB-Spider's most common complaint.

use spinneret_drivers::Provider;
use spinneret_drivers::model::{
    CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, KeyValue, RegionInfo,
};

use super::Registry;
use crate::error::{Error, Result};

pub const MOCK_DRIVER: &str = "mock-driver";
pub const MOCK_CREDENTIAL: &str = "mock-credential";
pub const MOCK_REGION: &str = "mock-region";
pub const MOCK_CONNECTION: &str = "mock-config";

/// Refuses to take over a name the operator already uses for another provider.
fn require_mock(kind: &str, name: &str, stored: Option<String>) -> Result<bool> {
    match stored.as_deref() {
        None => Ok(false),
        Some(provider) if provider == Provider::Mock.name() => Ok(true),
        Some(provider) => Err(Error::conflict(format!(
            "{kind} '{name}' is already registered for {provider}; the mock cloud needs that name"
        ))),
    }
}

impl Registry {
    /// Registers a mock driver, credential, region and connection config, keeping any of them
    /// that already exist for MOCK. Returns the connection config.
    pub async fn register_mock_cloud(&self) -> Result<ConnectionConfigInfo> {
        use crate::entity::{cloud_driver, credential, region};

        let driver = self
            .stored_provider::<cloud_driver::Entity>(cloud_driver::Column::Provider, MOCK_DRIVER)
            .await?;
        let credential_stored = self
            .stored_provider::<credential::Entity>(credential::Column::Provider, MOCK_CREDENTIAL)
            .await?;
        let region_stored = self
            .stored_provider::<region::Entity>(region::Column::Provider, MOCK_REGION)
            .await?;
        let connection = self.get_connection(MOCK_CONNECTION).await.ok();
        let has_driver = require_mock("driver", MOCK_DRIVER, driver)?;
        let has_credential = require_mock("credential", MOCK_CREDENTIAL, credential_stored)?;
        let has_region = require_mock("region", MOCK_REGION, region_stored)?;
        require_mock(
            "connection config",
            MOCK_CONNECTION,
            connection.as_ref().map(|c| c.provider_name.clone()),
        )?;

        let mock = Provider::Mock.name().to_owned();
        if !has_driver {
            self.put_driver(CloudDriverInfo {
                driver_name: MOCK_DRIVER.into(),
                provider_name: mock.clone(),
                driver_lib_file_name: String::new(),
            })
            .await?;
        }
        if !has_credential {
            self.put_credential(CredentialInfo {
                credential_name: MOCK_CREDENTIAL.into(),
                provider_name: mock.clone(),
                key_value_info_list: vec![KeyValue::new("MockName", "mock-account")],
            })
            .await?;
        }
        if !has_region {
            self.put_region(RegionInfo {
                region_name: MOCK_REGION.into(),
                provider_name: mock.clone(),
                key_value_info_list: vec![KeyValue::new("Region", "default")],
                available_zone_list: Vec::new(),
            })
            .await?;
        }
        match connection {
            Some(existing) => Ok(existing),
            None => {
                self.put_connection(ConnectionConfigInfo {
                    config_name: MOCK_CONNECTION.into(),
                    provider_name: mock,
                    driver_name: MOCK_DRIVER.into(),
                    credential_name: MOCK_CREDENTIAL.into(),
                    region_name: MOCK_REGION.into(),
                })
                .await
            }
        }
    }
}
