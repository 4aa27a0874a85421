//! The resource rows: each reserves a (connection, kind, parent, name) by a unique index, holds
//! the lifecycle state, and records which resources it uses. State changes that race use a
//! compare-and-set, so exactly one caller wins; reads never wait.
//!
//! A row whose cloud operation is under way (Creating, Deleting, Terminating) carries a lease:
//! the replica working it and until when. The worker renews it; once it runs out (the replica
//! died), the reconciler of any replica takes the row over.

use std::sync::Arc;
use std::time::Duration;

use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DbErr, EntityTrait, Iterable, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SqlErr, TransactionTrait,
};
use serde::Serialize;
use spinneret_drivers::model::ResourceKind;

use crate::entity::{resource, resource_use};
use crate::error::{Error, Result};

/// Where a resource is in its life, as Spinneret knows it. A ready VM's finer status
/// (Running, Suspended, ...) comes from the cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ResourceState {
    /// The name is reserved and the cloud create is under way.
    Creating,
    /// The resource exists at the cloud.
    Ready,
    /// The create failed; the row keeps the cloud's error until it is deleted.
    Failed,
    /// A VM's terminate is under way.
    Terminating,
    /// A delete is under way, or a create was cancelled by a forced delete.
    Deleting,
}

impl ResourceState {
    const ALL: [ResourceState; 5] = [
        ResourceState::Creating,
        ResourceState::Ready,
        ResourceState::Failed,
        ResourceState::Terminating,
        ResourceState::Deleting,
    ];

    /// The states whose cloud operation is under way, and held by a lease.
    pub(crate) const IN_FLIGHT: [ResourceState; 3] = [
        ResourceState::Creating,
        ResourceState::Terminating,
        ResourceState::Deleting,
    ];

    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            ResourceState::Creating => "Creating",
            ResourceState::Ready => "Ready",
            ResourceState::Failed => "Failed",
            ResourceState::Terminating => "Terminating",
            ResourceState::Deleting => "Deleting",
        }
    }

    fn parse(name: &str) -> Self {
        Self::ALL
            .into_iter()
            .find(|state| state.as_str() == name)
            .unwrap_or(ResourceState::Failed)
    }
}

/// One resource row.
#[derive(Clone, Debug)]
pub(crate) struct Record {
    pub id: i64,
    pub connection: String,
    pub kind: ResourceKind,
    pub parent: String,
    pub name: String,
    pub cloud_name: String,
    pub system_id: String,
    pub state: ResourceState,
    /// The operation under way: `Create`, `Delete`, `Terminate`, or a change of a Ready row
    /// (`AddRules`, `Suspend`, ...); empty when none is.
    pub operation: String,
    /// The model type as JSON, with the user's names.
    pub info: String,
}

impl Record {
    /// The stored model type.
    pub fn info<T: serde::de::DeserializeOwned + Default>(&self) -> T {
        serde_json::from_str(&self.info).unwrap_or_default()
    }
}

impl From<resource::Model> for Record {
    fn from(row: resource::Model) -> Self {
        Self {
            id: row.id,
            connection: row.connection_name,
            kind: ResourceKind::parse(&row.kind).unwrap_or(ResourceKind::Vm),
            parent: row.parent,
            name: row.name,
            cloud_name: row.cloud_name,
            system_id: row.system_id,
            state: ResourceState::parse(&row.state),
            operation: row.operation,
            info: row.info,
        }
    }
}

/// A row to reserve.
pub(crate) struct NewRecord {
    pub kind: ResourceKind,
    pub parent: String,
    pub name: String,
    pub cloud_name: String,
    pub system_id: String,
    pub state: ResourceState,
    /// The model type as JSON until the cloud answers.
    pub info: String,
}

impl NewRecord {
    /// A reservation for a create that is about to start, with a fresh cloud-side name.
    pub fn creating(kind: ResourceKind, parent: &str, name: &str) -> Self {
        Self {
            kind,
            parent: parent.to_owned(),
            name: name.to_owned(),
            cloud_name: super::names::cloud_name(name),
            system_id: String::new(),
            state: ResourceState::Creating,
            // Every model type has an IId: lists show the name while the create runs.
            info: serde_json::json!({ "IId": { "NameId": name, "SystemId": "" } }).to_string(),
        }
    }
}

pub(crate) fn to_json(info: &impl Serialize) -> String {
    serde_json::to_string(info).expect("model types serialize")
}

/// The operation a state's lease is for, as the row records it.
fn operation_of(state: ResourceState) -> &'static str {
    match state {
        ResourceState::Creating => "Create",
        ResourceState::Terminating => "Terminate",
        ResourceState::Deleting => "Delete",
        ResourceState::Ready | ResourceState::Failed => "",
    }
}

#[derive(Clone)]
pub(crate) struct ResourceStore {
    db: DatabaseConnection,
    /// This replica's name in leases: random per process.
    owner: Arc<str>,
    lease: Duration,
}

impl ResourceStore {
    pub fn new(db: DatabaseConnection, lease: Duration) -> Self {
        Self {
            db,
            owner: uuid_like().into(),
            lease,
        }
    }

    /// How long a lease lasts unless renewed.
    pub fn lease(&self) -> Duration {
        self.lease
    }

    fn lease_until(&self) -> i64 {
        now_micros().saturating_add(i64::try_from(self.lease.as_micros()).unwrap_or(i64::MAX))
    }

    /// Reserves the names of `records` in one transaction; the first record uses `uses`.
    /// A name that is taken, also by a concurrent request, is a 409.
    pub async fn reserve(
        &self,
        connection: &str,
        records: Vec<NewRecord>,
        uses: &[i64],
    ) -> Result<Vec<Record>> {
        let txn = self.db.begin().await?;
        let mut reserved = Vec::with_capacity(records.len());
        for new in records {
            let refused = |err| taken(err, connection, &new.kind, &new.parent, &new.name);
            let leased = ResourceState::IN_FLIGHT.contains(&new.state);
            let row = resource::ActiveModel {
                id: NotSet,
                connection_name: Set(connection.to_owned()),
                kind: Set(new.kind.as_str().to_owned()),
                parent: Set(new.parent.clone()),
                name: Set(new.name.clone()),
                cloud_name: Set(new.cloud_name.clone()),
                system_id: Set(new.system_id.clone()),
                state: Set(new.state.as_str().to_owned()),
                info: Set(new.info.clone()),
                error: Set(None),
                created_micros: Set(now_micros()),
                operation: Set(operation_of(new.state).to_owned()),
                attempts: Set(1),
                lease_owner: Set(if leased {
                    self.owner.to_string()
                } else {
                    String::new()
                }),
                lease_until_micros: Set(if leased { self.lease_until() } else { 0 }),
            };
            let inserted = resource::Entity::insert(row)
                .exec_with_returning(&txn)
                .await
                .map_err(refused)?;
            reserved.push(Record::from(inserted));
        }
        if let Some(first) = reserved.first() {
            for used in uses {
                resource_use::Entity::insert(resource_use::ActiveModel {
                    user_id: Set(first.id),
                    used_id: Set(*used),
                })
                .exec_without_returning(&txn)
                .await?;
            }
        }
        txn.commit().await?;
        Ok(reserved)
    }

    /// The named resource, or 404 naming it and its connection.
    pub async fn find(
        &self,
        connection: &str,
        kind: ResourceKind,
        parent: &str,
        name: &str,
    ) -> Result<Record> {
        resource::Entity::find()
            .filter(resource::Column::ConnectionName.eq(connection))
            .filter(resource::Column::Kind.eq(kind.as_str()))
            .filter(resource::Column::Parent.eq(parent))
            .filter(resource::Column::Name.eq(name))
            .one(&self.db)
            .await?
            .map(Record::from)
            .ok_or_else(|| not_found(connection, kind, parent, name))
    }

    /// Every resource of `kind` in the connection (every kind when `None`), oldest first.
    pub async fn list(&self, connection: &str, kind: Option<ResourceKind>) -> Result<Vec<Record>> {
        let mut query = resource::Entity::find()
            .filter(resource::Column::ConnectionName.eq(connection))
            .order_by_asc(resource::Column::Id);
        if let Some(kind) = kind {
            query = query.filter(resource::Column::Kind.eq(kind.as_str()));
        }
        Ok(query
            .all(&self.db)
            .await?
            .into_iter()
            .map(Record::from)
            .collect())
    }

    /// The top-level resource of `kind` named `name`, and (kind, cloud id, user's name) of
    /// every resource in its connection: what a GET needs, in one query that reads the JSON
    /// of that one row, so it does not grow with the other resources' descriptions.
    pub async fn find_with_names(
        &self,
        connection: &str,
        kind: ResourceKind,
        name: &str,
    ) -> Result<(Record, Vec<(ResourceKind, String, String)>)> {
        let wanted = Condition::all()
            .add(resource::Column::Kind.eq(kind.as_str()))
            .add(resource::Column::Parent.eq(""))
            .add(resource::Column::Name.eq(name));
        let rows = resource::Entity::find()
            .select_only()
            .columns(
                resource::Column::iter().filter(|column| !matches!(column, resource::Column::Info)),
            )
            .expr_as(
                Expr::case(wanted, Expr::col(resource::Column::Info)).finally(""),
                "info",
            )
            .filter(resource::Column::ConnectionName.eq(connection))
            .into_model::<resource::Model>()
            .all(&self.db)
            .await?;
        let names = rows
            .iter()
            .filter_map(|row| named(&row.kind, row.system_id.clone(), row.name.clone()))
            .collect();
        let record = rows
            .into_iter()
            .find(|row| row.kind == kind.as_str() && row.parent.is_empty() && row.name == name)
            .map(Record::from)
            .ok_or_else(|| not_found(connection, kind, "", name))?;
        Ok((record, names))
    }

    /// (kind, cloud id, user's name) of each resource in a connection that has a cloud id:
    /// what mapping a cloud's answer back to names needs, without the rows' JSON.
    pub async fn names(&self, connection: &str) -> Result<Vec<(ResourceKind, String, String)>> {
        let rows: Vec<(String, String, String)> = resource::Entity::find()
            .select_only()
            .column(resource::Column::Kind)
            .column(resource::Column::SystemId)
            .column(resource::Column::Name)
            .filter(resource::Column::ConnectionName.eq(connection))
            .filter(resource::Column::SystemId.ne(""))
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(kind, system_id, name)| named(&kind, system_id, name))
            .collect())
    }

    /// Stores what the cloud answered so far, leaving the state and the lease as they are.
    pub async fn progress(&self, id: i64, system_id: &str, info: &impl Serialize) -> Result<()> {
        resource::Entity::update_many()
            .col_expr(resource::Column::SystemId, Expr::value(system_id))
            .col_expr(resource::Column::Info, Expr::value(to_json(info)))
            .filter(resource::Column::Id.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Ends the row's operation: moves it from `from` to `to` with what the cloud answered,
    /// and releases its lease. False when the row had left `from` (a forced delete cancelled
    /// the create), which changes nothing.
    pub async fn finish(
        &self,
        id: i64,
        from: ResourceState,
        to: ResourceState,
        system_id: &str,
        info: &impl Serialize,
        error: Option<String>,
    ) -> Result<bool> {
        let updated = resource::Entity::update_many()
            .col_expr(resource::Column::State, Expr::value(to.as_str()))
            .col_expr(resource::Column::SystemId, Expr::value(system_id))
            .col_expr(resource::Column::Info, Expr::value(to_json(info)))
            .col_expr(resource::Column::Error, Expr::value(error))
            .col_expr(resource::Column::Operation, Expr::value(""))
            .col_expr(resource::Column::LeaseOwner, Expr::value(""))
            .col_expr(resource::Column::LeaseUntilMicros, Expr::value(0i64))
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::State.eq(from.as_str()))
            .exec(&self.db)
            .await?;
        if updated.rows_affected == 1 && to == ResourceState::Failed {
            // A failed create holds on to nothing it meant to use.
            self.drop_uses(id).await?;
        }
        Ok(updated.rows_affected == 1)
    }

    /// Moves the row to `to` only if it is in one of `from`; true when this caller won. An
    /// operation state takes this replica's lease; a settled state releases it.
    pub async fn compare_and_set(
        &self,
        id: i64,
        from: &[ResourceState],
        to: ResourceState,
    ) -> Result<bool> {
        let (owner, until) = if ResourceState::IN_FLIGHT.contains(&to) {
            (self.owner.to_string(), self.lease_until())
        } else {
            (String::new(), 0)
        };
        let updated = resource::Entity::update_many()
            .col_expr(resource::Column::State, Expr::value(to.as_str()))
            .col_expr(resource::Column::Operation, Expr::value(operation_of(to)))
            .col_expr(
                resource::Column::Attempts,
                Expr::col(resource::Column::Attempts).add(1),
            )
            .col_expr(resource::Column::LeaseOwner, Expr::value(owner))
            .col_expr(resource::Column::LeaseUntilMicros, Expr::value(until))
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::State.is_in(from.iter().map(|state| state.as_str())))
            .exec(&self.db)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// An update giving a row to this replica under a fresh lease, counting an attempt.
    fn take_lease(&self) -> sea_orm::UpdateMany<resource::Entity> {
        resource::Entity::update_many()
            .col_expr(
                resource::Column::LeaseOwner,
                Expr::value(self.owner.as_ref()),
            )
            .col_expr(
                resource::Column::LeaseUntilMicros,
                Expr::value(self.lease_until()),
            )
            .col_expr(
                resource::Column::Attempts,
                Expr::col(resource::Column::Attempts).add(1),
            )
    }

    /// Records on a Ready row that `operation` (e.g. `AddRules`, `Suspend`) is about to run
    /// at the cloud, under this replica's lease. False while another change is under way or
    /// the row is not Ready: one change at a time.
    pub async fn begin_change(&self, id: i64, operation: &str) -> Result<bool> {
        let updated = self
            .take_lease()
            .col_expr(resource::Column::Operation, Expr::value(operation))
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::State.eq(ResourceState::Ready.as_str()))
            .filter(resource::Column::Operation.eq(""))
            .exec(&self.db)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// Ends a change begun by `begin_change` and releases the lease. Nothing happens if a
    /// delete took the row over meanwhile.
    pub async fn end_change(&self, id: i64, operation: &str) -> Result<()> {
        resource::Entity::update_many()
            .col_expr(resource::Column::Operation, Expr::value(""))
            .col_expr(resource::Column::LeaseOwner, Expr::value(""))
            .col_expr(resource::Column::LeaseUntilMicros, Expr::value(0i64))
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::State.eq(ResourceState::Ready.as_str()))
            .filter(resource::Column::Operation.eq(operation))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Cancels a create: Creating becomes Deleting, the lease left to whoever works the
    /// create, which then undoes it. True when the row was still being created.
    pub async fn cancel_create(&self, id: i64) -> Result<bool> {
        let updated = resource::Entity::update_many()
            .col_expr(
                resource::Column::State,
                Expr::value(ResourceState::Deleting.as_str()),
            )
            .col_expr(
                resource::Column::Operation,
                Expr::value(operation_of(ResourceState::Deleting)),
            )
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::State.eq(ResourceState::Creating.as_str()))
            .exec(&self.db)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// Extends this replica's lease on the row; false when another replica holds it now.
    pub async fn renew(&self, id: i64) -> Result<bool> {
        let updated = resource::Entity::update_many()
            .col_expr(
                resource::Column::LeaseUntilMicros,
                Expr::value(self.lease_until()),
            )
            .filter(resource::Column::Id.eq(id))
            .filter(resource::Column::LeaseOwner.eq(self.owner.as_ref()))
            .exec(&self.db)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// Takes over the rows whose operation's lease has run out: each row goes to exactly one
    /// replica, which then holds a fresh lease on it.
    pub async fn take_expired(&self) -> Result<Vec<Record>> {
        let now = now_micros();
        let in_flight = resource::Column::State
            .is_in(ResourceState::IN_FLIGHT.iter().map(|state| state.as_str()));
        let changing = resource::Column::State
            .eq(ResourceState::Ready.as_str())
            .and(resource::Column::Operation.ne(""));
        let expired = resource::Entity::find()
            .filter(in_flight.or(changing))
            .filter(resource::Column::LeaseUntilMicros.lt(now))
            .order_by_asc(resource::Column::Id)
            .all(&self.db)
            .await?;
        let mut taken = Vec::with_capacity(expired.len());
        for row in expired {
            let won = self
                .take_lease()
                .filter(resource::Column::Id.eq(row.id))
                .filter(resource::Column::LeaseUntilMicros.eq(row.lease_until_micros))
                .exec(&self.db)
                .await?;
            if won.rows_affected == 1 {
                taken.push(Record::from(row));
            }
        }
        Ok(taken)
    }

    /// Forgets what the row uses, so it blocks no delete.
    pub async fn drop_uses(&self, id: i64) -> Result<()> {
        resource_use::Entity::delete_many()
            .filter(resource_use::Column::UserId.eq(id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Forgets a row (and what it uses); its name is free again.
    pub async fn remove(&self, id: i64) -> Result<()> {
        resource::Entity::delete_by_id(id).exec(&self.db).await?;
        Ok(())
    }

    /// Forgets every subnet row of a VPC.
    pub async fn remove_subnets(&self, connection: &str, vpc: &str) -> Result<()> {
        resource::Entity::delete_many()
            .filter(resource::Column::ConnectionName.eq(connection))
            .filter(resource::Column::Kind.eq(ResourceKind::Subnet.as_str()))
            .filter(resource::Column::Parent.eq(vpc))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The resources that use the row `used_id`, e.g. the VMs in a subnet.
    pub async fn users_of(&self, used_id: i64) -> Result<Vec<Record>> {
        let user_ids: Vec<i64> = resource_use::Entity::find()
            .filter(resource_use::Column::UsedId.eq(used_id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|edge| edge.user_id)
            .collect();
        if user_ids.is_empty() {
            return Ok(Vec::new());
        }
        Ok(resource::Entity::find()
            .filter(resource::Column::Id.is_in(user_ids))
            .order_by_asc(resource::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(Record::from)
            .collect())
    }

    /// How many resources of `kind` exist, in one connection or in all.
    pub async fn count(&self, kind: ResourceKind, connection: Option<&str>) -> Result<u64> {
        let mut query = resource::Entity::find().filter(resource::Column::Kind.eq(kind.as_str()));
        if let Some(connection) = connection {
            query = query.filter(resource::Column::ConnectionName.eq(connection));
        }
        Ok(query.count(&self.db).await?)
    }

    /// How many resources one connection has of each kind, in one query; every kind is
    /// listed, with 0 where there are none.
    pub async fn count_by_kind(&self, connection: &str) -> Result<Vec<(ResourceKind, u64)>> {
        let rows: Vec<(String, i64)> = resource::Entity::find()
            .select_only()
            .column(resource::Column::Kind)
            .column_as(resource::Column::Id.count(), "rows")
            .filter(resource::Column::ConnectionName.eq(connection))
            .group_by(resource::Column::Kind)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(ResourceKind::ALL
            .into_iter()
            .map(|kind| {
                let rows = rows.iter().find(|(k, _)| k == kind.as_str());
                (
                    kind,
                    rows.map_or(0, |(_, rows)| u64::try_from(*rows).unwrap_or(0)),
                )
            })
            .collect())
    }

    /// How many rows there are of each kind in each state, over every connection; every
    /// pair is listed, with 0 where there are none.
    pub async fn census(&self) -> Result<Vec<(ResourceKind, &'static str, u64)>> {
        let rows: Vec<(String, String, i64)> = resource::Entity::find()
            .select_only()
            .column(resource::Column::Kind)
            .column(resource::Column::State)
            .column_as(resource::Column::Id.count(), "rows")
            .group_by(resource::Column::Kind)
            .group_by(resource::Column::State)
            .into_tuple()
            .all(&self.db)
            .await?;
        let rows_of = |kind: ResourceKind, state: ResourceState| {
            rows.iter()
                .find(|(k, s, _)| k == kind.as_str() && s == state.as_str())
                .map_or(0, |(_, _, rows)| u64::try_from(*rows).unwrap_or(0))
        };
        Ok(ResourceKind::ALL
            .into_iter()
            .flat_map(|kind| {
                ResourceState::ALL
                    .into_iter()
                    .map(move |state| (kind, state.as_str(), rows_of(kind, state)))
            })
            .collect())
    }
}

/// A row's (kind, cloud id, user's name), as `Names` takes them; `None` for a kind this
/// build does not know.
fn named(kind: &str, system_id: String, name: String) -> Option<(ResourceKind, String, String)> {
    Some((ResourceKind::parse(kind)?, system_id, name))
}

/// A random name for this replica in leases.
fn uuid_like() -> String {
    use rand::Rng;
    let bytes: [u8; 12] = rand::thread_rng().r#gen();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn now_micros() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_micros()).unwrap_or(i64::MAX)
}

fn where_(connection: &str, kind: ResourceKind, parent: &str) -> String {
    if kind == ResourceKind::Subnet {
        format!("VPC '{parent}' of connection '{connection}'")
    } else {
        format!("connection '{connection}'")
    }
}

pub(crate) fn not_found(connection: &str, kind: ResourceKind, parent: &str, name: &str) -> Error {
    Error::not_found(format!(
        "{kind} '{name}' does not exist in {}",
        where_(connection, kind, parent)
    ))
}

fn taken(err: DbErr, connection: &str, kind: &ResourceKind, parent: &str, name: &str) -> Error {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(_)) => Error::conflict(format!(
            "{kind} '{name}' already exists in {}",
            where_(connection, *kind, parent)
        )),
        Some(SqlErr::ForeignKeyConstraintViolation(_)) => Error::not_found(format!(
            "connection config '{connection}' is not registered"
        )),
        _ => err.into(),
    }
}
