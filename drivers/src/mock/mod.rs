//! The mock cloud (provider `MOCK`): a cloud inside Spinneret for new users, demos and tests.
//! Each credential's `MockName` is a separate mock account. Fixture names are CB-Spider's, so
//! CB-Spider scripts run unchanged (its fixtures are listed in the README).

mod account;
mod api;
mod connection;
mod faults;
mod fixtures;
mod network;
mod store;
mod vm;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use secrecy::ExposeSecret;

pub use store::{MemoryStore, MockStore, Stored, account_id};

use self::account::{Account, Location};
use self::connection::MockConnection;
use self::faults::{DELAY_KEY, FAIL_KEY, Faults};
use crate::Provider;
use crate::contract::{
    Capabilities, Connection, ConnectionInfo, Driver, DriverError, DriverErrorKind, DriverResult,
};

/// The mock cloud's driver. Its accounts' state lives in its [`MockStore`], read afresh by
/// every call and saved after each change, so replicas sharing the store share the cloud.
pub struct MockDriver {
    accounts: Arc<Accounts>,
}

#[derive(Clone)]
pub struct MockSettings {
    /// Keys the hash that names each account's stored state (never the MockName itself).
    pub account_key: [u8; 32],
    /// How long each transitional VM state (Creating, Suspending, Resuming, Rebooting,
    /// Terminating) lasts.
    pub transition: Duration,
}

impl MockDriver {
    pub fn new(store: Arc<dyn MockStore>, settings: MockSettings) -> Self {
        Self {
            accounts: Arc::new(Accounts {
                store,
                settings,
                locks: Mutex::default(),
            }),
        }
    }

    /// A [`MemoryStore`], no transition time and a fixed key: for tests and demos.
    pub fn in_memory() -> Self {
        Self::new(
            Arc::new(MemoryStore::default()),
            MockSettings {
                account_key: [0; 32],
                transition: Duration::ZERO,
            },
        )
    }
}

impl fmt::Debug for MockDriver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockDriver")
            .field("transition", &self.accounts.settings.transition)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Driver for MockDriver {
    fn provider(&self) -> Provider {
        Provider::Mock
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    async fn connect(&self, info: ConnectionInfo) -> DriverResult<Box<dyn Connection>> {
        let mock_name = info.required_credential_value("MockName")?;
        let region = info.required_region_value("Region")?;
        let value = |key| info.credential_value(key).map(ExposeSecret::expose_secret);
        let faults = Faults::parse(value(FAIL_KEY), value(DELAY_KEY)).map_err(|why| {
            DriverError::invalid(format!("connection '{}': {why}", info.connection_name))
        })?;
        Ok(Box::new(MockConnection {
            account_id: account_id(&self.accounts.settings, mock_name.expose_secret(), region),
            location: Location {
                region: region.to_owned(),
                zone: info.region_value("Zone").unwrap_or_default().to_owned(),
            },
            accounts: self.accounts.clone(),
            faults,
            recorder: info.recorder,
        }))
    }
}

/// Every account's state, in the store. Nothing is cached: another replica may have changed
/// it since.
struct Accounts {
    store: Arc<dyn MockStore>,
    settings: MockSettings,
    /// One lock per account, so this process's own writers take turns instead of racing.
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

impl Accounts {
    fn lock_of(&self, account_id: &str) -> Arc<tokio::sync::Mutex<()>> {
        self.locks
            .lock()
            .unwrap()
            .entry(account_id.to_owned())
            .or_default()
            .clone()
    }

    /// The account as stored now, and its version (`None` before its first save).
    async fn load(&self, account_id: &str) -> DriverResult<(Account, Option<u64>)> {
        match self.store.load(account_id).await? {
            Some(stored) => {
                let account = serde_json::from_str(&stored.state).map_err(|err| {
                    DriverError::new(
                        DriverErrorKind::Cloud,
                        format!("the stored mock account is unreadable: {err}"),
                    )
                })?;
                Ok((account, Some(stored.version)))
            }
            None => Ok((Account::default(), None)),
        }
    }

    /// Saves the account if nobody saved it since `version` was loaded.
    async fn save(
        &self,
        account_id: &str,
        account: &Account,
        version: Option<u64>,
    ) -> DriverResult<bool> {
        let state = serde_json::to_string(account).expect("an account serializes");
        self.store.save(account_id, &state, version).await
    }
}

#[cfg(test)]
mod tests;
