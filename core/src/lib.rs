//! Spinneret's control plane. The REST handlers and the AdminWeb's server functions both call
//! into [`Core`]; nothing else touches the database or the vault.

pub mod auth;
mod catalog;
pub mod cloud;
pub mod db;
mod entity;
pub mod error;
pub mod registry;
pub mod vault;

#[cfg(test)]
mod test_support;

use std::sync::Arc;

use sea_orm::DatabaseConnection;

pub use error::{Error, ErrorKind, Result};
pub use spinneret_drivers as drivers;

use crate::auth::Admins;
use crate::cloud::Drivers;
use crate::registry::Registry;
use crate::vault::{MasterKey, Vault};

/// The control plane: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Core {
    inner: Arc<Inner>,
}

struct Inner {
    db: DatabaseConnection,
    registry: Registry,
    admins: Admins,
    drivers: Drivers,
}

impl Core {
    /// Opens the database at `database_url`, migrates it, and seals credentials under `key`.
    pub async fn open(database_url: &str, key: &MasterKey) -> Result<Self> {
        let db = db::connect(database_url).await?;
        Ok(Self::with_database(db, key))
    }

    /// Builds the core on a connected, migrated database.
    pub fn with_database(db: DatabaseConnection, key: &MasterKey) -> Self {
        let vault = Arc::new(Vault::new(key));
        Self {
            inner: Arc::new(Inner {
                registry: Registry::new(db.clone(), vault),
                admins: Admins::new(db.clone()),
                drivers: Drivers::builtin(),
                db,
            }),
        }
    }

    pub fn registry(&self) -> &Registry {
        &self.inner.registry
    }

    pub fn admins(&self) -> &Admins {
        &self.inner.admins
    }

    /// What the named connection's driver can do.
    pub async fn capabilities(
        &self,
        connection: &str,
    ) -> Result<spinneret_drivers::contract::Capabilities> {
        self.inner
            .drivers
            .capabilities(&self.inner.registry, connection)
            .await
    }

    async fn connect(
        &self,
        connection: &str,
    ) -> Result<Box<dyn spinneret_drivers::contract::Connection>> {
        self.inner
            .drivers
            .connect(&self.inner.registry, connection)
            .await
    }

    /// Whether the database answers: the readiness check.
    pub async fn ready(&self) -> Result<()> {
        db::ping(&self.inner.db).await
    }
}
