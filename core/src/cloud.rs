//! Reaching a cloud: the built-in drivers by provider, and opening a connection config's
//! connection with its credential decrypted by the vault.

use std::collections::HashMap;
use std::sync::Arc;

use spinneret_drivers::Provider;
use spinneret_drivers::contract::{
    Capabilities, Connection, ConnectionInfo, Driver, DriverError, DriverErrorKind,
};
use spinneret_drivers::mock::{MockDriver, MockSettings};

use crate::CoreOptions;
use crate::error::{Error, ErrorKind, Result};
use crate::history::{CallHistory, CallSource};
use crate::mock_store::DatabaseMockStore;
use crate::registry::{Registry, Stamped};
use crate::vault::MasterKey;

/// The drivers compiled into this build, one per provider, and the connections they opened.
pub struct Drivers {
    by_provider: HashMap<Provider, Arc<dyn Driver>>,
    /// Open connections by connection config name, kept while the registry's generation
    /// they were opened at stands: a request reuses one instead of reading four records,
    /// decrypting the credential and building a cloud client (an HTTP pool, TLS) again.
    open: Stamped<String, Arc<dyn Connection>>,
}

impl Drivers {
    /// The drivers of this build; the mock keeps its accounts in the database.
    pub(crate) fn builtin(
        db: &sea_orm::DatabaseConnection,
        key: &MasterKey,
        options: &CoreOptions,
    ) -> Self {
        let mock = MockDriver::new(
            Arc::new(DatabaseMockStore::new(db.clone())),
            MockSettings {
                account_key: key.derive("spinneret mock cloud account"),
                transition: options.mock_transition,
            },
        );
        let drivers: Vec<Arc<dyn Driver>> = vec![
            Arc::new(mock),
            #[cfg(feature = "aws")]
            Arc::new(spinneret_drivers::aws::AwsDriver::new()),
            #[cfg(feature = "azure")]
            Arc::new(spinneret_drivers::azure::AzureDriver::new()),
        ];
        Self {
            by_provider: drivers
                .into_iter()
                .map(|driver| (driver.provider(), driver))
                .collect(),
            open: Stamped::new(),
        }
    }

    fn get(&self, provider: Provider) -> Result<&Arc<dyn Driver>> {
        self.by_provider.get(&provider).ok_or_else(|| {
            Error::invalid(format!("no {provider} driver is built into this server"))
        })
    }

    /// The named connection config's connection, its calls recorded in `history`: the one
    /// open already, unless the registry changed since it was opened.
    pub async fn connect(
        &self,
        registry: &Registry,
        history: &CallHistory,
        connection: &str,
    ) -> Result<Arc<dyn Connection>> {
        // Read before the records: a write racing the open leaves an entry that is already stale.
        let generation = registry.generation();
        if let Some(open) = self.open.get(generation, connection) {
            return Ok(open);
        }
        let info = registry.connection_info(connection).await?;
        let open = self.open(history, info).await?;
        self.open
            .insert(generation, connection.to_owned(), open.clone());
        Ok(open)
    }

    /// Opens a connection with `info`, saved in the registry or not, its calls recorded in
    /// `history`.
    pub async fn open(
        &self,
        history: &CallHistory,
        mut info: ConnectionInfo,
    ) -> Result<Arc<dyn Connection>> {
        let driver = self.get(info.provider)?;
        let region_zone = match (info.region_value("Region"), info.region_value("Zone")) {
            (Some(region), Some(zone)) if !zone.is_empty() => format!("{region}/{zone}"),
            (region, _) => region.unwrap_or_default().to_owned(),
        };
        info.recorder = history.recorder(CallSource {
            connection_name: info.connection_name.clone(),
            cloud_os: info.provider.name().to_owned(),
            region_zone,
            secrets: info
                .credential
                .iter()
                .map(|(_, value)| value.clone())
                .collect(),
        });
        Ok(driver.connect(info).await?.into())
    }

    /// What the named connection's driver can do.
    pub async fn capabilities(
        &self,
        registry: &Registry,
        connection: &str,
    ) -> Result<Capabilities> {
        let config = registry.get_connection(connection).await?;
        let provider = crate::registry::validate::provider(&config.provider_name)?;
        Ok(self.get(provider)?.capabilities())
    }
}

impl From<DriverError> for Error {
    fn from(err: DriverError) -> Self {
        let kind = match err.kind {
            DriverErrorKind::Invalid => ErrorKind::Invalid,
            DriverErrorKind::NotFound => ErrorKind::NotFound,
            DriverErrorKind::Conflict => ErrorKind::Conflict,
            DriverErrorKind::Timeout => ErrorKind::Timeout,
            // The cloud refusing our stored credentials is the cloud's answer, not the caller's 401.
            DriverErrorKind::Cloud | DriverErrorKind::Unauthorized => ErrorKind::Cloud,
        };
        let message = match &err.code {
            Some(code) => format!("{} ({code})", err.message),
            None => err.message,
        };
        Error::new(kind, message)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use spinneret_drivers::model::KeyValue;

    use crate::registry::tests::{mock_credential, register_mock_connection};
    use crate::test_support::storage_tests;
    use crate::{Core, ErrorKind};

    async fn an_open_connection_serves_until_the_registry_changes(core: Core) {
        register_mock_connection(&core).await;
        let first = core.connect("mock-config").await.unwrap();
        let again = core.connect("mock-config").await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "reopened without a change");

        // A changed credential takes effect on the next request, not after the cache's TTL.
        let mut failing = mock_credential("mock-cred", "tenant-a");
        failing
            .key_value_info_list
            .push(KeyValue::new("FailAPI", "ListImage"));
        core.put_credential(failing).await.unwrap();
        let reopened = core.connect("mock-config").await.unwrap();
        assert!(!Arc::ptr_eq(&first, &reopened));
        let err = core.list_images("mock-config").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cloud, "{err}");

        // So does a deleted connection config.
        core.registry()
            .delete_connection("mock-config")
            .await
            .unwrap();
        let err = core.connect("mock-config").await.err().unwrap();
        assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    }

    storage_tests!(an_open_connection_serves_until_the_registry_changes);
}
