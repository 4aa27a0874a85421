//! The mock cloud's accounts, kept in Spinneret's database so the mock and Spinneret's own
//! records survive a restart together. Rows are keyed by the mock's keyed hash of the
//! account, never by its MockName.

use async_trait::async_trait;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{DatabaseConnection, EntityTrait};
use spinneret_drivers::contract::{DriverError, DriverErrorKind, DriverResult};
use spinneret_drivers::mock::MockStore;

use crate::entity::mock_account;

pub(crate) struct DatabaseMockStore {
    db: DatabaseConnection,
}

impl DatabaseMockStore {
    pub fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }
}

fn storage_error(err: sea_orm::DbErr) -> DriverError {
    tracing::error!(error = %err, "mock cloud storage");
    DriverError::new(
        DriverErrorKind::Cloud,
        "the mock cloud could not reach its storage",
    )
}

#[async_trait]
impl MockStore for DatabaseMockStore {
    async fn load(&self, account: &str) -> DriverResult<Option<String>> {
        let row = mock_account::Entity::find_by_id(account.to_owned())
            .one(&self.db)
            .await
            .map_err(storage_error)?;
        Ok(row.map(|row| row.state))
    }

    async fn save(&self, account: &str, state: &str) -> DriverResult<()> {
        let row = mock_account::ActiveModel {
            account: Set(account.to_owned()),
            state: Set(state.to_owned()),
        };
        mock_account::Entity::insert(row)
            .on_conflict(
                OnConflict::column(mock_account::Column::Account)
                    .update_column(mock_account::Column::State)
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(storage_error)?;
        Ok(())
    }
}
