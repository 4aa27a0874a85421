use sea_orm::entity::prelude::*;

/// The account and region a connection with resources reaches, as its driver reported them.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "connection_account")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub connection_name: String,
    pub account: String,
    pub region: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
