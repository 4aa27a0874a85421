use sea_orm::entity::prelude::*;

/// One mock cloud account's state, keyed by a keyed hash of its MockName and region.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "mock_account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub account: String,
    #[sea_orm(column_type = "Text")]
    pub state: String,
    /// Bumped by every save: a save names the version it read, so concurrent writers (two
    /// replicas) never overwrite each other's change.
    pub version: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
