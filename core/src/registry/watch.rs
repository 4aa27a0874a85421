//! Writes committed by other replicas, heard on PostgreSQL's `spinneret_registry` channel: a
//! trigger on each registry table notifies it with the writer's `application_name` (migration
//! m0006). Another replica's notification advances this replica's generation, so its cached
//! records and open cloud connections are read again at once; its own writes advanced it
//! already. SQLite has no other replica to hear.

use std::time::Duration;

use sea_orm::sqlx::postgres::PgListener;
use sea_orm::sqlx::{Error, PgPool};
use sea_orm::{DatabaseBackend, DatabaseConnection};

use super::cache::Generation;

const CHANNEL: &str = "spinneret_registry";

/// How long to wait before listening again after the database refused.
const RETRY: Duration = Duration::from_secs(1);

/// On PostgreSQL, listens while the pool is open; `replica` is this replica's
/// `application_name`. The first subscription is made before this returns, so the registry
/// misses nothing from its first read on.
pub(super) async fn start(db: &DatabaseConnection, generation: Generation, replica: String) {
    if db.get_database_backend() != DatabaseBackend::Postgres {
        return;
    }
    let pool = db.get_postgres_connection_pool().clone();
    let mut subscription = subscribe(&pool).await;
    tokio::spawn(async move {
        loop {
            let err = match subscription {
                Ok(listener) => hear(listener, &generation, &replica).await,
                Err(err) => err,
            };
            if matches!(err, Error::PoolClosed) {
                return;
            }
            tracing::warn!(error = %err, "not hearing other replicas' registry writes; retrying");
            tokio::time::sleep(RETRY).await;
            subscription = subscribe(&pool).await;
            // Whatever was committed while no one listened is unknown.
            generation.advance();
        }
    });
}

async fn subscribe(pool: &PgPool) -> Result<PgListener, Error> {
    let mut listener = PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}

/// Advances the generation on each other replica's write, until the listener fails.
async fn hear(mut listener: PgListener, generation: &Generation, replica: &str) -> Error {
    loop {
        match listener.try_recv().await {
            Ok(Some(notification)) if notification.payload() == replica => {}
            Ok(Some(_)) => generation.advance(),
            // The connection was lost, and notifications with it; the next call reconnects.
            Ok(None) => {
                tracing::warn!("lost the registry notification channel; listening again");
                generation.advance();
            }
            Err(err) => return err,
        }
    }
}
