//! On PostgreSQL, every committed change to the registry's tables notifies the channel
//! `spinneret_registry` with the writer's `application_name` (each replica names its
//! connections), so the other replicas drop what they keep from the registry (cached
//! records, open cloud connections) at once instead of after a timeout. SQLite, one process,
//! needs nothing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables whose rows the replicas keep; the channel's name is the core's too.
const TABLES: [&str; 4] = ["cloud_driver", "credential", "region", "connection_config"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        // Statement-level, so a bulk change is one notification; delivered on commit only.
        db.execute_unprepared(
            "CREATE FUNCTION spinneret_registry_changed() RETURNS trigger LANGUAGE plpgsql AS $$ \
             BEGIN PERFORM pg_notify('spinneret_registry', current_setting('application_name')); \
             RETURN NULL; END $$",
        )
        .await?;
        for table in TABLES {
            db.execute_unprepared(&format!(
                "CREATE TRIGGER {table}_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE \
                 ON {table} FOR EACH STATEMENT EXECUTE FUNCTION spinneret_registry_changed()"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let db = manager.get_connection();
        for table in TABLES {
            db.execute_unprepared(&format!("DROP TRIGGER {table}_changed ON {table}"))
                .await?;
        }
        db.execute_unprepared("DROP FUNCTION spinneret_registry_changed()")
            .await?;
        Ok(())
    }
}
