//! The durable lifecycle: each resource row records the cloud operation under way, how often
//! it was tried, and which replica holds it until when (its lease); the mock cloud's account
//! state gets a version for optimistic concurrency between replicas.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resource {
    Table,
    State,
    Operation,
    Attempts,
    LeaseOwner,
    LeaseUntilMicros,
}

#[derive(DeriveIden)]
enum MockAccount {
    Table,
    Version,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        let columns = [
            string(Resource::Operation).default("").to_owned(),
            integer(Resource::Attempts).default(0).to_owned(),
            string(Resource::LeaseOwner).default("").to_owned(),
            big_integer(Resource::LeaseUntilMicros)
                .default(0)
                .to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Resource::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // The reconciler's scan: rows in flight whose lease ran out.
        manager
            .create_index(
                Index::create()
                    .name("resource_in_flight")
                    .table(Resource::Table)
                    .col(Resource::State)
                    .col(Resource::LeaseUntilMicros)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MockAccount::Table)
                    .add_column(big_integer(MockAccount::Version).default(0))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("resource_in_flight")
                    .table(Resource::Table)
                    .to_owned(),
            )
            .await?;
        for column in [
            Resource::Operation,
            Resource::Attempts,
            Resource::LeaseOwner,
            Resource::LeaseUntilMicros,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Resource::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(MockAccount::Table)
                    .drop_column(MockAccount::Version)
                    .to_owned(),
            )
            .await
    }
}
