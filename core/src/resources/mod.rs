//! Cloud resources managed through a connection: VPCs and subnets, security groups, key
//! pairs and VMs, plus adopting and listing what exists at the cloud.
//!
//! Every create follows one path: check the input, reserve the name (a unique row, 409 when
//! taken), call the cloud, then store what it answered with the user's names. A create that
//! fails before anything exists at the cloud frees the name again; a VM keeps a `Failed` row.

mod inventory;
mod key_pairs;
mod names;
mod network;
mod reconciler;
mod rules;
mod security_groups;
mod store;
mod vms;
mod vpcs;
mod wait;
mod worker;

#[cfg(test)]
mod lifecycle_tests;
#[cfg(test)]
mod tests;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use spinneret_drivers::contract::{Connection, DriverErrorKind, DriverResult};
use spinneret_drivers::model::ResourceKind;

pub use inventory::ResourceCounts;
pub(crate) use store::ResourceStore;
pub use vms::VmAction;

use crate::Core;
use crate::error::{Error, Result};
use names::Names;
use store::{Record, ResourceState};

/// A model type of a managed resource: its kind, its cloud id, and how its names map back.
pub(crate) trait Managed: Default + serde::de::DeserializeOwned {
    const KIND: ResourceKind;

    fn system_id(&self) -> &str;

    fn with_names(self, names: &Names) -> Self;
}

impl Core {
    /// Every managed resource of `T`'s kind: the cloud's answer where the cloud listed it
    /// (`listed`), else what was stored (a create under way, or gone at the cloud).
    async fn list_managed<T: Managed>(&self, connection: &str, listed: Vec<T>) -> Result<Vec<T>> {
        let records = self.store().list(connection, None).await?;
        let names = Names::new(&records);
        let mut by_id: HashMap<String, T> = listed
            .into_iter()
            .map(|item| (item.system_id().to_owned(), item))
            .collect();
        Ok(records
            .iter()
            .filter(|record| record.kind == T::KIND)
            .map(
                |record| match (record.state, by_id.remove(&record.system_id)) {
                    (ResourceState::Ready, Some(item)) => item.with_names(&names),
                    _ => record.info(),
                },
            )
            .collect())
    }

    /// Deletes a VPC, security group or key pair, or terminates a VM (answering once the
    /// cloud has accepted): one door for callers that hold the kind as a value.
    pub async fn delete_resource(
        &self,
        connection: &str,
        kind: ResourceKind,
        name: &str,
        force: bool,
    ) -> Result<()> {
        match kind {
            ResourceKind::Vpc => self.delete_vpc(connection, name, force).await,
            ResourceKind::SecurityGroup => {
                self.delete_security_group(connection, name, force).await
            }
            ResourceKind::KeyPair => self.delete_key_pair(connection, name, force).await,
            ResourceKind::Vm => self.terminate_vm(connection, name, force).await.map(|_| ()),
            ResourceKind::Subnet => Err(Error::invalid("a subnet is removed through its VPC")),
        }
    }

    /// The user's names of every resource in the connection.
    async fn names(&self, connection: &str) -> Result<Names> {
        Ok(self.store().names(connection).await?.into_iter().collect())
    }

    /// A top-level resource, with the user's names of every resource in its connection: what
    /// a GET needs, in one query.
    async fn find_with_names(
        &self,
        connection: &str,
        kind: ResourceKind,
        name: &str,
    ) -> Result<(Record, Names)> {
        let (record, names) = self.store().find_with_names(connection, kind, name).await?;
        Ok((record, names.into_iter().collect()))
    }

    /// A resource that other resources are about to use: it must exist and be ready.
    pub(super) async fn usable(
        &self,
        connection: &str,
        kind: ResourceKind,
        name: &str,
    ) -> Result<Record> {
        let record = self.store().find(connection, kind, "", name).await?;
        if record.state != ResourceState::Ready {
            return Err(Error::conflict(format!(
                "{kind} '{name}' is {}; it cannot be used yet",
                record.state.as_str()
            )));
        }
        Ok(record)
    }

    /// What a delete does with a row whose own operation is not settled: a create under way
    /// is refused (409), or with `force` cancelled, which its worker (or the reconciler) then
    /// undoes at the cloud; a delete under way is refused. True when the delete is done here.
    async fn settle_unfinished(&self, record: &Record, force: bool) -> Result<bool> {
        let subject = format!("{} '{}'", record.kind, record.name);
        match record.state {
            ResourceState::Ready | ResourceState::Failed => Ok(false),
            ResourceState::Creating if force => {
                if self.store().cancel_create(record.id).await? {
                    Ok(true)
                } else {
                    Err(Error::conflict(format!(
                        "{subject} changed while it was being deleted; try again"
                    )))
                }
            }
            ResourceState::Creating => Err(Error::conflict(format!(
                "{subject} is being created; delete it once it is Ready, or add ?force=true to cancel the create"
            ))),
            ResourceState::Deleting | ResourceState::Terminating => Err(Error::conflict(format!(
                "{subject} is already being deleted"
            ))),
        }
    }

    /// Runs `work`, the change `operation` of a Ready row at the cloud (`AddRules`,
    /// `Suspend`, ...), with its intent recorded on the row first: one change at a time, in a
    /// worker under the row's lease, so a hang-up cancels nothing and a crash leaves the row
    /// for the reconciler to settle.
    async fn change<T: Send + 'static>(
        &self,
        record: &Record,
        operation: &'static str,
        work: impl Future<Output = Result<T>> + Send + 'static,
    ) -> Result<T> {
        if !self.store().begin_change(record.id, operation).await? {
            return Err(Error::conflict(format!(
                "{} '{}' is being changed or deleted by another request; try again in a moment",
                record.kind, record.name
            )));
        }
        let store = self.store().clone();
        let id = record.id;
        self.in_worker(id, async move {
            let done = work.await;
            let ended = store.end_change(id, operation).await;
            let answer = done?;
            ended.map(|()| answer)
        })
        .await
    }

    /// Marks a Ready or Failed row Deleting under this replica's lease; 409 if it moved on.
    async fn begin_delete(&self, record: &Record) -> Result<()> {
        let from = [ResourceState::Ready, ResourceState::Failed];
        if self
            .store()
            .compare_and_set(record.id, &from, ResourceState::Deleting)
            .await?
        {
            Ok(())
        } else {
            Err(Error::conflict(format!(
                "{} '{}' changed while it was being deleted; try again",
                record.kind, record.name
            )))
        }
    }

    /// Puts a row back as it was when its delete failed at the cloud.
    async fn abandon_delete(&self, record: &Record) {
        let back = self
            .store()
            .compare_and_set(record.id, &[ResourceState::Deleting], record.state)
            .await;
        if let Err(err) = back {
            tracing::warn!(error = %err, resource = %record.name, "could not restore a row after a failed delete");
        }
    }

    /// Forgets a row whose resource is gone: a VPC with its subnets.
    async fn forget(&self, record: &Record) -> Result<()> {
        if record.kind == ResourceKind::Vpc {
            self.store()
                .remove_subnets(&record.connection, &record.name)
                .await?;
        }
        self.store().remove(record.id).await
    }

    /// Undoes a create that a forced delete cancelled while the cloud was making it.
    async fn undo_cancelled(
        &self,
        cloud: &dyn Connection,
        record: &Record,
        system_id: &str,
    ) -> Result<()> {
        if !system_id.is_empty() {
            deleted_at_cloud(delete_at_cloud(cloud, record.kind, system_id).await, false)?;
        }
        self.forget(record).await
    }

    /// Ends a create as Ready with what the cloud made. If a forced delete cancelled it
    /// meanwhile, the resource is deleted at the cloud instead, and the create answers 409.
    async fn finish_create(
        &self,
        cloud: &dyn Connection,
        record: &Record,
        system_id: &str,
        info: &impl serde::Serialize,
    ) -> Result<()> {
        let stored = self
            .store()
            .finish(
                record.id,
                ResourceState::Creating,
                ResourceState::Ready,
                system_id,
                info,
                None,
            )
            .await?;
        if stored {
            return Ok(());
        }
        self.undo_cancelled(cloud, record, system_id).await?;
        Err(cancelled(record))
    }

    /// Deletes a VPC, security group or key pair: refused while it is being created or while
    /// other resources use it, unless `force`. The cloud call runs in a worker, under the
    /// row's lease, so a client that hangs up leaves no half-done delete.
    async fn delete_managed(
        &self,
        cloud: Arc<dyn Connection>,
        record: Record,
        force: bool,
    ) -> Result<()> {
        if self.settle_unfinished(&record, force).await? {
            return Ok(());
        }
        self.refuse_if_used(&record, force).await?;
        self.begin_delete(&record).await?;
        let core = self.clone();
        self.in_worker(record.id, async move {
            let deleted = if record.system_id.is_empty() {
                Ok(())
            } else {
                deleted_at_cloud(
                    delete_at_cloud(cloud.as_ref(), record.kind, &record.system_id).await,
                    force,
                )
            };
            match deleted {
                Ok(()) => core.forget(&record).await,
                Err(err) => {
                    core.abandon_delete(&record).await;
                    Err(err)
                }
            }
        })
        .await
    }

    /// Refuses with 409 while other resources use `record`, unless `force`.
    async fn refuse_if_used(&self, record: &Record, force: bool) -> Result<()> {
        if force {
            return Ok(());
        }
        let users = self.store().users_of(record.id).await?;
        if users.is_empty() {
            return Ok(());
        }
        let named: Vec<String> = users
            .iter()
            .map(|user| format!("{} '{}'", user.kind, user.name))
            .collect();
        Err(Error::in_use(
            format_args!("{} '{}'", record.kind, record.name),
            named.join(", "),
        ))
    }
}

/// The answer to a create whose row a forced delete cancelled meanwhile.
fn cancelled(record: &Record) -> Error {
    Error::conflict(format!(
        "{} '{}' was deleted while it was being created",
        record.kind, record.name
    ))
}

/// Deletes (or terminates) a resource of `kind` at the cloud by its cloud id. A subnet goes
/// with its VPC.
async fn delete_at_cloud(cloud: &dyn Connection, kind: ResourceKind, id: &str) -> DriverResult<()> {
    match kind {
        ResourceKind::Vpc => cloud.delete_vpc(id).await,
        ResourceKind::SecurityGroup => cloud.delete_security_group(id).await,
        ResourceKind::KeyPair => cloud.delete_key_pair(id).await,
        ResourceKind::Vm => cloud.terminate_vm(id).await.map(|_| ()),
        ResourceKind::Subnet => Ok(()),
    }
}

/// A delete at the cloud: a resource already gone is fine; with `force` any failure is, since
/// the caller asked to forget the record whatever the cloud says.
fn deleted_at_cloud(result: DriverResult<()>, force: bool) -> Result<()> {
    match result {
        Ok(()) => Ok(()),
        Err(err) if err.kind == DriverErrorKind::NotFound => Ok(()),
        Err(err) if force => {
            tracing::warn!(error = %err, "forced delete: the cloud refused, forgetting the record anyway");
            Ok(())
        }
        Err(err) => Err(err.into()),
    }
}
