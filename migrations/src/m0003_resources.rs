//! Cloud resources managed through a connection: the name reservations with their lifecycle
//! state, which resource uses which, and the mock cloud's per-account state.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Resource {
    Table,
    Id,
    ConnectionName,
    Kind,
    Parent,
    Name,
    CloudName,
    SystemId,
    State,
    Info,
    Error,
    CreatedMicros,
}

#[derive(DeriveIden)]
enum ResourceUse {
    Table,
    UserId,
    UsedId,
}

#[derive(DeriveIden)]
enum MockAccount {
    Table,
    Account,
    State,
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
                    .table(Resource::Table)
                    .col(big_integer(Resource::Id).primary_key().auto_increment())
                    .col(string(Resource::ConnectionName))
                    .col(string(Resource::Kind))
                    // A subnet's VPC name; empty for every other kind.
                    .col(string(Resource::Parent))
                    .col(string(Resource::Name))
                    .col(string(Resource::CloudName))
                    .col(string(Resource::SystemId))
                    .col(string(Resource::State))
                    .col(text(Resource::Info))
                    .col(text_null(Resource::Error))
                    .col(big_integer(Resource::CreatedMicros))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Resource::Table, Resource::ConnectionName)
                            .to(ConnectionConfig::Table, ConnectionConfig::Name)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The reservation: one name per connection, kind and parent, across every replica.
        manager
            .create_index(
                Index::create()
                    .name("resource_name_reserved")
                    .table(Resource::Table)
                    .col(Resource::ConnectionName)
                    .col(Resource::Kind)
                    .col(Resource::Parent)
                    .col(Resource::Name)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ResourceUse::Table)
                    .col(big_integer(ResourceUse::UserId))
                    .col(big_integer(ResourceUse::UsedId))
                    .primary_key(
                        Index::create()
                            .col(ResourceUse::UserId)
                            .col(ResourceUse::UsedId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceUse::Table, ResourceUse::UserId)
                            .to(Resource::Table, Resource::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ResourceUse::Table, ResourceUse::UsedId)
                            .to(Resource::Table, Resource::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("resource_use_by_used")
                    .table(ResourceUse::Table)
                    .col(ResourceUse::UsedId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MockAccount::Table)
                    .col(string(MockAccount::Account).primary_key())
                    .col(text(MockAccount::State))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MockAccount::Table.into_iden(),
            ResourceUse::Table.into_iden(),
            Resource::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
