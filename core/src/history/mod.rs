//! The CSP API call history: every call a driver makes to a cloud, queryable with latency
//! statistics. Drivers report calls to a per-connection [`recorder`]; a background writer
//! stores them in batches, so recording never slows a request down, and keeps the newest
//! `retention` records.

mod query;
mod recorder;
mod writer;

pub use query::CallFilter;
pub use recorder::{about, carry_context, with_request_id};

use std::sync::Arc;

use sea_orm::DatabaseConnection;
use secrecy::SecretString;
use spinneret_drivers::contract::CallRecorder;

use writer::Writer;

/// How many records the history keeps unless configured otherwise.
pub const DEFAULT_RETENTION: u64 = 100_000;

pub struct CallHistory {
    db: DatabaseConnection,
    writer: Writer,
}

/// Where a connection's calls go, and what they are labelled with.
pub(crate) struct CallSource {
    pub connection_name: String,
    pub cloud_os: String,
    pub region_zone: String,
    /// The credential's values, to be blanked out of stored error text.
    pub secrets: Vec<SecretString>,
}

impl CallHistory {
    /// Starts the background writer. Needs a Tokio runtime.
    pub(crate) fn start(db: DatabaseConnection, retention: u64) -> Self {
        Self {
            writer: Writer::spawn(db.clone(), retention),
            db,
        }
    }

    /// A recorder for one connection's driver.
    pub(crate) fn recorder(&self, source: CallSource) -> Arc<dyn CallRecorder> {
        Arc::new(recorder::ConnectionRecorder::new(
            source,
            self.writer.sender(),
        ))
    }

    /// Waits until every call recorded so far is stored.
    pub async fn flush(&self) {
        self.writer.flush().await;
    }
}

#[cfg(test)]
mod tests;
