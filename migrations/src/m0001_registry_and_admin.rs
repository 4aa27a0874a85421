//! Admin accounts, AdminWeb sessions and the connection registry.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AdminAccount {
    Table,
    Username,
    PasswordHash,
}

#[derive(DeriveIden)]
enum WebSession {
    Table,
    TokenHash,
    Username,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum CloudDriver {
    Table,
    Name,
    Provider,
    LibFileName,
}

#[derive(DeriveIden)]
enum Credential {
    Table,
    Name,
    Provider,
    SealedValues,
}

#[derive(DeriveIden)]
enum Region {
    Table,
    Name,
    Provider,
    KeyValues,
    Zones,
}

#[derive(DeriveIden)]
enum ConnectionConfig {
    Table,
    Name,
    Provider,
    DriverName,
    CredentialName,
    RegionName,
}

/// A connection config's reference to a registry record. RESTRICT backs up the core's
/// friendlier "in use" check against a concurrent delete.
fn reference(
    column: ConnectionConfig,
    table: impl IntoIden,
    key: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(ConnectionConfig::Table, column)
        .to(table, key)
        .on_delete(ForeignKeyAction::Restrict)
        .on_update(ForeignKeyAction::Restrict)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AdminAccount::Table)
                    .col(string(AdminAccount::Username).primary_key())
                    .col(text(AdminAccount::PasswordHash))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(WebSession::Table)
                    .col(string(WebSession::TokenHash).primary_key())
                    .col(string(WebSession::Username))
                    .col(big_integer(WebSession::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(WebSession::Table, WebSession::Username)
                            .to(AdminAccount::Table, AdminAccount::Username)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CloudDriver::Table)
                    .col(string(CloudDriver::Name).primary_key())
                    .col(string(CloudDriver::Provider))
                    .col(string(CloudDriver::LibFileName))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Credential::Table)
                    .col(string(Credential::Name).primary_key())
                    .col(string(Credential::Provider))
                    .col(text(Credential::SealedValues))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Region::Table)
                    .col(string(Region::Name).primary_key())
                    .col(string(Region::Provider))
                    .col(text(Region::KeyValues))
                    .col(text_null(Region::Zones))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ConnectionConfig::Table)
                    .col(string(ConnectionConfig::Name).primary_key())
                    .col(string(ConnectionConfig::Provider))
                    .col(string(ConnectionConfig::DriverName))
                    .col(string(ConnectionConfig::CredentialName))
                    .col(string(ConnectionConfig::RegionName))
                    .foreign_key(&mut reference(
                        ConnectionConfig::DriverName,
                        CloudDriver::Table,
                        CloudDriver::Name,
                    ))
                    .foreign_key(&mut reference(
                        ConnectionConfig::CredentialName,
                        Credential::Table,
                        Credential::Name,
                    ))
                    .foreign_key(&mut reference(
                        ConnectionConfig::RegionName,
                        Region::Table,
                        Region::Name,
                    ))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ConnectionConfig::Table.into_iden(),
            Region::Table.into_iden(),
            Credential::Table.into_iden(),
            CloudDriver::Table.into_iden(),
            WebSession::Table.into_iden(),
            AdminAccount::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
