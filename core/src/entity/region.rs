use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "region")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub name: String,
    pub provider: String,
    /// JSON list of `KeyValue`.
    #[sea_orm(column_type = "Text")]
    pub key_values: String,
    /// JSON list of zone names, or NULL when none were given.
    #[sea_orm(column_type = "Text", nullable)]
    pub zones: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
