use sea_orm::entity::prelude::*;

/// A cloud resource managed through a connection; the row reserves its name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "resource")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub connection_name: String,
    /// A `ResourceKind` name, e.g. `VPC`.
    pub kind: String,
    /// A subnet's VPC name; empty for every other kind.
    pub parent: String,
    pub name: String,
    /// The name sent to the cloud: the user's name plus a short unique suffix.
    pub cloud_name: String,
    /// The cloud's own id; empty until the cloud has answered.
    pub system_id: String,
    /// A `ResourceState` name.
    pub state: String,
    /// The model type as JSON, with the user's names and secrets hidden.
    #[sea_orm(column_type = "Text")]
    pub info: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub error: Option<String>,
    pub created_micros: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
