//! Opening the database: SQLite by default (one file, WAL), PostgreSQL by URL.

use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use spinneret_migrations::{Migrator, MigratorTrait};

use crate::error::{Error, Result};

/// Connects and brings the schema up to date. On PostgreSQL the connections carry
/// `replica` as their `application_name`: `pg_stat_activity` shows which replica holds them,
/// and the registry's notifications say which replica wrote.
pub async fn connect(url: &str, replica: &str) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    let replica = replica.to_owned();
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        .map_sqlx_postgres_opts(move |postgres| postgres.application_name(&replica))
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                // With WAL, NORMAL syncs at checkpoints instead of every commit: a killed
                // process loses nothing; only a power cut can lose the last commits.
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options).await.map_err(|err| {
        Error::internal(
            format!("connecting to the database at {}", redact_url(url)),
            err,
        )
    })?;
    migrate(&db)
        .await
        .map_err(|err| Error::internal("running database migrations", err))?;
    Ok(db)
}

/// Any number, the same in every replica: the PostgreSQL advisory lock migrations run under.
const MIGRATION_LOCK: i64 = 0x53_5049_4E4E_4552; // "SPINNER"

/// Brings the schema up to date. On PostgreSQL the migrations run in one transaction under an
/// advisory lock, so replicas starting together migrate one after the other, and a second
/// finds nothing left to do.
async fn migrate(db: &DatabaseConnection) -> std::result::Result<(), sea_orm::DbErr> {
    if db.get_database_backend() != sea_orm::DatabaseBackend::Postgres {
        return Migrator::up(db, None).await;
    }
    let txn = sea_orm::TransactionTrait::begin(db).await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Answers whether the database is reachable right now.
pub async fn ping(db: &DatabaseConnection) -> Result<()> {
    db.execute_unprepared("SELECT 1").await?;
    Ok(())
}

/// A database URL for logs: the password, if any, replaced.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{user}:***@{}", &url[..scheme_end], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://spin:hunter2@db:5432/spin"),
            "postgres://spin:***@db:5432/spin"
        );
        assert_eq!(
            redact_url("sqlite://data/spinneret.db?mode=rwc"),
            "sqlite://data/spinneret.db?mode=rwc"
        );
    }
}

/// How the connection pool is used right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUsage {
    /// Open connections, idle or not.
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

pub(crate) fn pool_usage(db: &DatabaseConnection) -> PoolUsage {
    fn usage<D: sea_orm::sqlx::Database>(pool: &sea_orm::sqlx::Pool<D>) -> PoolUsage {
        PoolUsage {
            open: pool.size(),
            idle: u32::try_from(pool.num_idle()).unwrap_or(u32::MAX),
            max: pool.options().get_max_connections(),
        }
    }
    match db.get_database_backend() {
        sea_orm::DatabaseBackend::Postgres => usage(db.get_postgres_connection_pool()),
        _ => usage(db.get_sqlite_connection_pool()),
    }
}
