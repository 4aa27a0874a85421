//! Spinneret's control plane. The REST handlers and the AdminWeb's server functions both call
//! into [`Core`]; nothing else touches the database or the vault.

mod accounts;
pub mod auth;
mod catalog;
pub mod cloud;
pub mod db;
mod entity;
pub mod error;
pub mod history;
mod mock_store;
pub mod registry;
mod resources;
pub mod vault;

#[cfg(test)]
mod test_support;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::DatabaseConnection;

pub use error::{Error, ErrorKind, Result};
pub use resources::{ResourceCounts, VmAction};

use crate::auth::Admins;
use crate::cloud::Drivers;
use crate::history::CallHistory;
use crate::registry::Registry;
use crate::resources::ResourceStore;
use crate::vault::{MasterKey, Vault};

/// How the control plane runs; every field has a sensible default.
#[derive(Clone, Debug)]
pub struct CoreOptions {
    /// How many cloud API calls the call history keeps.
    pub call_history_retention: u64,
    /// How long each transitional VM state lasts in the mock cloud.
    pub mock_transition: Duration,
    /// How long a replica holds a row whose cloud operation it works, unless it renews.
    pub lease: Duration,
}

impl Default for CoreOptions {
    fn default() -> Self {
        Self {
            call_history_retention: history::DEFAULT_RETENTION,
            mock_transition: Duration::ZERO,
            lease: Duration::from_secs(30),
        }
    }
}

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
    history: CallHistory,
    store: ResourceStore,
    /// Every worker doing cloud work, so a shutdown can give them time to finish.
    workers: tokio_util::task::TaskTracker,
}

impl Core {
    /// Opens the database at `database_url`, migrates it, and seals credentials under `key`.
    /// Needs a Tokio runtime.
    pub async fn open(database_url: &str, key: &MasterKey, options: CoreOptions) -> Result<Self> {
        let replica = format!("spinneret-{:08x}", rand::random::<u32>());
        let db = db::connect(database_url, &replica).await?;
        let vault = Arc::new(Vault::new(key));
        Ok(Self {
            inner: Arc::new(Inner {
                registry: Registry::new(db.clone(), vault, replica).await,
                admins: Admins::new(db.clone()),
                drivers: Drivers::builtin(&db, key, &options),
                history: CallHistory::start(db.clone(), options.call_history_retention),
                store: ResourceStore::new(db.clone(), options.lease),
                workers: tokio_util::task::TaskTracker::new(),
                db,
            }),
        })
    }

    fn store(&self) -> &ResourceStore {
        &self.inner.store
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
    ) -> Result<Arc<dyn spinneret_drivers::contract::Connection>> {
        let inner = &self.inner;
        inner
            .drivers
            .connect(&inner.registry, &inner.history, connection)
            .await
    }

    /// Waits up to `bound` for the workers still doing cloud work, for a shutdown. What is
    /// left is not lost: its lease runs out and the reconciler finishes it after a restart
    /// (or on another replica). True when every worker finished.
    pub async fn drain(&self, bound: Duration) -> bool {
        let workers = &self.inner.workers;
        workers.close();
        let finished = tokio::time::timeout(bound, workers.wait()).await.is_ok();
        if !finished {
            tracing::warn!(
                left = workers.len(),
                "stopping with cloud operations under way; they are taken over after their lease"
            );
        }
        finished
    }

    /// The CSP API call history.
    pub fn history(&self) -> &CallHistory {
        &self.inner.history
    }

    /// How the database's connection pool is used right now.
    pub fn pool_usage(&self) -> db::PoolUsage {
        db::pool_usage(&self.inner.db)
    }

    /// How many resource rows there are of each kind in each state (`Creating`, `Ready`,
    /// `Failed`, ...), over every connection: `(kind, state, rows)`, with every pair listed.
    pub async fn resource_census(
        &self,
    ) -> Result<Vec<(spinneret_drivers::model::ResourceKind, &'static str, u64)>> {
        self.store().census().await
    }

    /// Whether the database answers: the readiness check.
    pub async fn ready(&self) -> Result<()> {
        db::ping(&self.inner.db).await
    }
}
