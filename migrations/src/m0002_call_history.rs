//! The CSP API call history.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CallLog {
    Table,
    Id,
    AtMicros,
    ConnectionName,
    CloudOs,
    RegionZone,
    ResourceType,
    ResourceName,
    Api,
    ElapsedMicros,
    ErrorMsg,
    RequestId,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CallLog::Table)
                    .col(big_integer(CallLog::Id).primary_key().auto_increment())
                    .col(big_integer(CallLog::AtMicros))
                    .col(string(CallLog::ConnectionName))
                    .col(string(CallLog::CloudOs))
                    .col(string(CallLog::RegionZone))
                    .col(string(CallLog::ResourceType))
                    .col(string(CallLog::ResourceName))
                    .col(string(CallLog::Api))
                    .col(big_integer(CallLog::ElapsedMicros))
                    .col(text_null(CallLog::ErrorMsg))
                    .col(string(CallLog::RequestId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("call_log_by_time")
                    .table(CallLog::Table)
                    .col(CallLog::AtMicros)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CallLog::Table).to_owned())
            .await
    }
}
