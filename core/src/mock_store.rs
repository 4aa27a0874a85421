//! The mock cloud's accounts, kept in Spinneret's database so the mock and Spinneret's own
//! records survive a restart together. Rows are keyed by the mock's keyed hash of the
//! account, never by its MockName.

use async_trait::async_trait;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use spinneret_drivers::contract::{DriverError, DriverErrorKind, DriverResult};
use spinneret_drivers::mock::{MockStore, Stored};

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
    async fn load(&self, account: &str) -> DriverResult<Option<Stored>> {
        let row = mock_account::Entity::find_by_id(account.to_owned())
            .one(&self.db)
            .await
            .map_err(storage_error)?;
        Ok(row.map(|row| Stored {
            state: row.state,
            version: u64::try_from(row.version).unwrap_or_default(),
        }))
    }

    async fn save(&self, account: &str, state: &str, version: Option<u64>) -> DriverResult<bool> {
        let Some(version) = version else {
            // The first save: whoever inserts first wins; the other reloads.
            let row = mock_account::ActiveModel {
                account: Set(account.to_owned()),
                state: Set(state.to_owned()),
                version: Set(0),
            };
            let inserted = mock_account::Entity::insert(row)
                .on_conflict(
                    OnConflict::column(mock_account::Column::Account)
                        .do_nothing()
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await;
            return match inserted {
                Ok(rows) => Ok(rows == 1),
                Err(sea_orm::DbErr::RecordNotInserted) => Ok(false),
                Err(err) => Err(storage_error(err)),
            };
        };
        let version = i64::try_from(version).unwrap_or(i64::MAX);
        let updated = mock_account::Entity::update_many()
            .col_expr(mock_account::Column::State, Expr::value(state))
            .col_expr(mock_account::Column::Version, Expr::value(version + 1))
            .filter(mock_account::Column::Account.eq(account))
            .filter(mock_account::Column::Version.eq(version))
            .exec(&self.db)
            .await
            .map_err(storage_error)?;
        Ok(updated.rows_affected == 1)
    }
}
