//! The account and region each connection with resources was found to reach, so a registry
//! change that would move it elsewhere can be refused. A connection's provider needs no
//! column: it cannot change while the connection has resources.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ConnectionAccount {
    Table,
    ConnectionName,
    Account,
    Region,
}

#[derive(DeriveIden)]
enum ConnectionConfig {
    Table,
    Name,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ConnectionAccount::Table)
                    .col(string(ConnectionAccount::ConnectionName).primary_key())
                    .col(string(ConnectionAccount::Account))
                    .col(string(ConnectionAccount::Region))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ConnectionAccount::Table, ConnectionAccount::ConnectionName)
                            .to(ConnectionConfig::Table, ConnectionConfig::Name)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ConnectionAccount::Table).to_owned())
            .await
    }
}
