//! Opening the database: SQLite by default (one file, WAL), PostgreSQL by URL.

use std::time::Duration;

use sea_orm::sqlx::sqlite::SqliteJournalMode;
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection};
use spinneret_migrations::{Migrator, MigratorTrait};

use crate::error::{Error, Result};

/// Connects and brings the schema up to date.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(5))
        .map_sqlx_sqlite_opts(|sqlite| {
            sqlite
                .journal_mode(SqliteJournalMode::Wal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
        });
    let db = Database::connect(options).await.map_err(|err| {
        Error::internal(
            format!("connecting to the database at {}", redact_url(url)),
            err,
        )
    })?;
    Migrator::up(&db, None)
        .await
        .map_err(|err| Error::internal("running database migrations", err))?;
    Ok(db)
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
