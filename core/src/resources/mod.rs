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
mod rules;
mod security_groups;
mod store;
mod vms;
mod vpcs;
mod wait;

#[cfg(test)]
mod tests;

use std::collections::HashMap;

use spinneret_drivers::contract::{DriverErrorKind, DriverResult};
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
        Ok(Names::new(&self.store().list(connection, None).await?))
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
