use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "call_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Unix microseconds when the call started.
    pub at_micros: i64,
    pub connection_name: String,
    pub cloud_os: String,
    pub region_zone: String,
    pub resource_type: String,
    pub resource_name: String,
    pub api: String,
    pub elapsed_micros: i64,
    #[sea_orm(column_type = "Text", nullable)]
    pub error_msg: Option<String>,
    pub request_id: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
