//! Spinneret's schema. Each change is a new migration; applied ones are never edited.

pub use sea_orm_migration::prelude::*;

mod m0001_registry_and_admin;
mod m0002_call_history;
mod m0003_resources;
mod m0004_durable_lifecycle;
mod m0005_connection_account;
mod m0006_registry_notify;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_registry_and_admin::Migration),
            Box::new(m0002_call_history::Migration),
            Box::new(m0003_resources::Migration),
            Box::new(m0004_durable_lifecycle::Migration),
            Box::new(m0005_connection_account::Migration),
            Box::new(m0006_registry_notify::Migration),
        ]
    }
}
