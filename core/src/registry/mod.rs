//! The connection registry: cloud drivers, credentials, regions and the connection configs
//! that bundle one of each.
//!
//! Registering a name that exists updates it (CB-Spider's upsert). A record that a connection
//! config uses cannot be deleted, nor moved to another provider.

mod cache;
mod connections;
mod credentials;
mod drivers;
mod quick_start;
mod regions;
mod scope;
pub(crate) mod validate;
mod watch;

use std::sync::Arc;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait, PrimaryKeyTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr,
};
use spinneret_drivers::Provider;

pub(crate) use self::cache::Stamped;
use self::cache::{Cached, Generation, Records};
use crate::entity::connection_config;
use crate::error::{Error, Result};
use crate::vault::Vault;

/// The registry's records, stored in the database; credential values sealed by the vault.
pub struct Registry {
    db: DatabaseConnection,
    vault: Arc<Vault>,
    /// Advanced by every write, this replica's or (on PostgreSQL) another's, so what was
    /// derived from the records (a cached record, an open driver connection) is read again.
    generation: Generation,
    /// Records read by name, while the generation stands: a metadata GET or a cloud request
    /// needs no query for them.
    records: Records,
}

/// A record that passed its checks and may be saved as it is; only the registry makes one.
pub(crate) struct Checked<T>(T);

impl<T> std::ops::Deref for Checked<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

/// A kind of record that connection configs refer to, for messages and the "in use" checks.
#[derive(Clone, Copy)]
struct Referenced {
    /// How messages name the kind, e.g. "credential".
    kind: &'static str,
    /// The connection config column that holds its name.
    column: connection_config::Column,
}

/// How many records of each kind are registered, for the dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RegistryCounts {
    pub drivers: u64,
    pub credentials: u64,
    pub regions: u64,
    /// Every known provider with its number of connection configs.
    pub connections_by_provider: Vec<(Provider, u64)>,
}

impl Registry {
    /// Which version of the records this replica knows of; it changes with every write.
    pub(crate) fn generation(&self) -> u64 {
        self.generation.current()
    }

    fn changed(&self) {
        self.generation.advance();
    }

    /// Counts every kind of record, with one query each.
    pub async fn counts(&self) -> Result<RegistryCounts> {
        use crate::entity::{cloud_driver, credential, region};

        let grouped: Vec<(String, i64)> = connection_config::Entity::find()
            .select_only()
            .column(connection_config::Column::Provider)
            .column_as(connection_config::Column::Name.count(), "count")
            .group_by(connection_config::Column::Provider)
            .into_tuple()
            .all(&self.db)
            .await?;
        let connections_by_provider = Provider::ALL
            .into_iter()
            .map(|provider| {
                let count = grouped
                    .iter()
                    .find(|(name, _)| name == provider.name())
                    .map_or(0, |(_, count)| u64::try_from(*count).unwrap_or(0));
                (provider, count)
            })
            .collect();
        Ok(RegistryCounts {
            drivers: cloud_driver::Entity::find().count(&self.db).await?,
            credentials: credential::Entity::find().count(&self.db).await?,
            regions: region::Entity::find().count(&self.db).await?,
            connections_by_provider,
        })
    }

    /// Needs a Tokio runtime: on PostgreSQL it listens for the writes of replicas other than
    /// `replica` (this one's `application_name`).
    pub(crate) async fn new(db: DatabaseConnection, vault: Arc<Vault>, replica: String) -> Self {
        let generation = Generation::default();
        watch::start(&db, generation.clone(), replica).await;
        Self {
            db,
            vault,
            generation,
            records: Records::new(),
        }
    }

    /// The names of the connection configs whose `column` names `name`.
    async fn configs_using(
        &self,
        column: connection_config::Column,
        name: &str,
    ) -> Result<Vec<String>> {
        Ok(connection_config::Entity::find()
            .select_only()
            .column(connection_config::Column::Name)
            .filter(column.eq(name))
            .order_by_asc(connection_config::Column::Name)
            .into_tuple::<String>()
            .all(&self.db)
            .await?)
    }

    /// Refuses with 409 while any connection config uses the record.
    async fn refuse_if_used(&self, referenced: Referenced, name: &str, action: &str) -> Result<()> {
        let users = self.configs_using(referenced.column, name).await?;
        if users.is_empty() {
            return Ok(());
        }
        Err(Error::conflict(format!(
            "cannot {action} {} '{name}': it is used by connection config(s) {}",
            referenced.kind,
            users.join(", ")
        )))
    }

    /// An upsert may not move a record that connection configs use to another provider.
    async fn refuse_provider_change(
        &self,
        referenced: Referenced,
        name: &str,
        stored_provider: Option<String>,
        provider: Provider,
    ) -> Result<()> {
        match stored_provider.as_deref() {
            Some(stored) if stored != provider.name() => {
                let action = format!("change the provider from {stored} to {provider} of");
                self.refuse_if_used(referenced, name, &action).await
            }
            _ => Ok(()),
        }
    }

    /// Inserts or, when the name exists, replaces a record.
    async fn upsert<A>(
        &self,
        record: A,
        primary_key: <A::Entity as EntityTrait>::Column,
        columns: &[<A::Entity as EntityTrait>::Column],
    ) -> Result<()>
    where
        A: sea_orm::ActiveModelTrait + Send,
    {
        <A::Entity as EntityTrait>::insert(record)
            .on_conflict(
                OnConflict::column(primary_key)
                    .update_columns(columns.iter().copied())
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await
            .map_err(|err| dangling_reference_race(err, "save"))?;
        self.changed();
        Ok(())
    }

    /// Fetches one record by name, from memory unless the registry changed since it was
    /// read, or 404 naming it.
    async fn find<E>(&self, kind: &str, name: &str) -> Result<E::Model>
    where
        E: EntityTrait,
        E::Model: Cached,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
    {
        let cache = E::Model::cache(&self.records);
        let generation = self.generation.current();
        if let Some(record) = cache.get(generation, name) {
            return Ok(record);
        }
        let record = E::find_by_id(name.to_owned())
            .one(&self.db)
            .await?
            .ok_or_else(|| Error::not_found(format!("{kind} '{name}' is not registered")))?;
        cache.insert(generation, name.to_owned(), record.clone());
        Ok(record)
    }

    /// The provider a stored record belongs to, or `None` when the name is not registered.
    async fn stored_provider<E>(
        &self,
        provider_column: E::Column,
        name: &str,
    ) -> Result<Option<String>>
    where
        E: EntityTrait,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
    {
        Ok(E::find_by_id(name.to_owned())
            .select_only()
            .column(provider_column)
            .into_tuple::<String>()
            .one(&self.db)
            .await?)
    }

    /// Lists records, optionally of one provider, ordered by name.
    async fn list<E>(
        &self,
        provider_column: E::Column,
        name_column: E::Column,
        provider: Option<&str>,
    ) -> Result<Vec<E::Model>>
    where
        E: EntityTrait,
    {
        let mut query = E::find().order_by_asc(name_column);
        if let Some(provider) = provider {
            query = query.filter(provider_column.eq(validate::provider(provider)?.name()));
        }
        Ok(query.all(&self.db).await?)
    }

    /// Deletes a record that connection configs may refer to: 409 while one does, 404 if unknown.
    async fn delete_referenced<E>(&self, referenced: Referenced, name: &str) -> Result<()>
    where
        E: EntityTrait,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<String>,
    {
        self.refuse_if_used(referenced, name, "delete").await?;
        let deleted = E::delete_by_id(name.to_owned())
            .exec(&self.db)
            .await
            .map_err(|err| dangling_reference_race(err, "delete"))?;
        self.changed();
        if deleted.rows_affected == 0 {
            return Err(Error::not_found(format!(
                "{} '{name}' is not registered",
                referenced.kind
            )));
        }
        Ok(())
    }
}

/// The database's foreign keys catch what a concurrent request changed between our check and
/// our write; report it as the conflict it is.
fn dangling_reference_race(err: DbErr, action: &str) -> Error {
    match err.sql_err() {
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => Error::conflict(format!(
            "could not {action}: a referenced record was changed by a concurrent request; retry"
        )),
        _ => err.into(),
    }
}

#[cfg(test)]
pub(crate) mod tests;
