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
    /// The cloud operation under way (`Create`, `Delete`, `Terminate`), empty when none is.
    pub operation: String,
    /// How many times the operation was started, takeovers included.
    pub attempts: i32,
    /// The replica working the operation, and until when it holds it: a replica that dies
    /// stops renewing, and another takes the row over once this time has passed.
    pub lease_owner: String,
    pub lease_until_micros: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
