//! Where the mock keeps each account's state: one JSON document per account, named by a keyed
//! hash so the store never sees a credential value.

use std::collections::HashMap;
use std::sync::Mutex;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;

use super::MockSettings;
use crate::contract::DriverResult;

/// An account's stored state and the version it was saved at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stored {
    pub state: String,
    pub version: u64,
}

/// Keeps each mock account's state; the core stores it in its database, shared by every
/// replica. Saves are compare-and-set on the version, so two writers never lose a change.
#[async_trait]
pub trait MockStore: Send + Sync {
    async fn load(&self, account: &str) -> DriverResult<Option<Stored>>;

    /// Saves `state` if the account is still at `version` (`None`: not stored yet). False
    /// when another writer saved first; the caller then reloads and tries again.
    async fn save(&self, account: &str, state: &str, version: Option<u64>) -> DriverResult<bool>;
}

/// A store in memory, for tests and demos: state lasts as long as the store.
#[derive(Default)]
pub struct MemoryStore {
    accounts: Mutex<HashMap<String, Stored>>,
}

impl MemoryStore {
    /// The state last saved for `account`.
    pub fn snapshot(&self, account: &str) -> Option<String> {
        self.accounts
            .lock()
            .unwrap()
            .get(account)
            .map(|stored| stored.state.clone())
    }
}

#[async_trait]
impl MockStore for MemoryStore {
    async fn load(&self, account: &str) -> DriverResult<Option<Stored>> {
        Ok(self.accounts.lock().unwrap().get(account).cloned())
    }

    async fn save(&self, account: &str, state: &str, version: Option<u64>) -> DriverResult<bool> {
        let mut accounts = self.accounts.lock().unwrap();
        let current = accounts.get(account).map(|stored| stored.version);
        if current != version {
            return Ok(false);
        }
        accounts.insert(
            account.to_owned(),
            Stored {
                state: state.to_owned(),
                version: version.map_or(0, |version| version + 1),
            },
        );
        Ok(true)
    }
}

/// The name an account's state is stored under: hex HMAC-SHA256 of the mock name and the
/// region, keyed by the settings' account key, so a leaked store names no tenant.
pub fn account_id(settings: &MockSettings, mock_name: &str, region: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(&settings.account_key)
        .expect("HMAC takes a key of any length");
    mac.update(mock_name.as_bytes());
    mac.update(b"\n");
    mac.update(region.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn settings(key_byte: u8) -> MockSettings {
        MockSettings {
            account_key: [key_byte; 32],
            transition: Duration::ZERO,
        }
    }

    #[test]
    fn account_ids_are_keyed_hashes_of_name_and_region() {
        let id = account_id(&settings(1), "tenant-a", "default");
        assert_eq!(id.len(), 64);
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
        assert_eq!(id, account_id(&settings(1), "tenant-a", "default"));
        assert_ne!(id, account_id(&settings(2), "tenant-a", "default"));
        assert_ne!(id, account_id(&settings(1), "tenant-a", "eu"));
        // The separator keeps the name and the region apart.
        assert_ne!(id, account_id(&settings(1), "tenant-adefault", ""));
    }

    #[tokio::test]
    async fn memory_store_saves_only_over_the_version_it_was_read_at() {
        let store = MemoryStore::default();
        assert_eq!(store.load("a").await.unwrap(), None);
        assert!(store.save("a", "1", None).await.unwrap());
        assert!(
            !store.save("a", "lost", None).await.unwrap(),
            "already stored"
        );
        assert!(store.save("a", "2", Some(0)).await.unwrap());
        assert!(
            !store.save("a", "stale", Some(0)).await.unwrap(),
            "a stale writer loses"
        );
        let stored = store.load("a").await.unwrap().unwrap();
        assert_eq!((stored.state.as_str(), stored.version), ("2", 1));
        assert_eq!(store.snapshot("b"), None);
    }
}
