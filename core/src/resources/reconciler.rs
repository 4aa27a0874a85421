//! The reconciler finishes what a dead replica left under way. It runs at start-up and then
//! periodically, and takes every row whose lease ran out: a create is adopted when the cloud
//! has the resource (found by its deterministic cloud-side name) or marked Failed; a delete,
//! terminate or subnet removal is finished; a change (rules, a VM action) is settled by
//! reading what the cloud has. Leases live in the database, so each row goes to one replica.

use std::time::Duration;

use spinneret_drivers::contract::Connection;
use spinneret_drivers::model::{KeyValue, ResourceKind, VMInfo, VMStatus};
use tokio::task::JoinHandle;

use super::delete_at_cloud;
use super::deleted_at_cloud;
use super::store::{Record, ResourceState};
use crate::Core;
use crate::error::{ErrorKind, Result};
use crate::history::about;

/// Why a create the cloud never finished is Failed.
const NEVER_MADE: &str = "the create was interrupted (Spinneret stopped) before the cloud made the resource; delete it and create it again";

impl Core {
    /// Takes over every row whose operation's lease has run out, and finishes each one,
    /// side by side. Returns how many rows it took.
    pub async fn reconcile(&self) -> Result<usize> {
        let taken = self.store().take_expired().await?;
        metrics::counter!("spinneret_reconciler_runs_total").increment(1);
        let mut running = Vec::with_capacity(taken.len());
        for record in taken {
            metrics::counter!("spinneret_reconciler_takeovers_total",
                "kind" => record.kind.as_str(), "state" => record.state.as_str())
            .increment(1);
            tracing::info!(connection = %record.connection, kind = %record.kind, name = %record.name, state = record.state.as_str(), "taking over an interrupted operation");
            let core = self.clone();
            let id = record.id;
            let work = about(&record.name.clone(), async move {
                if let Err(err) = core.resume(&record).await {
                    tracing::warn!(error = %err, name = %record.name, "an interrupted operation could not be finished yet; it is retried once its lease runs out");
                }
            });
            running.push(self.spawn_leased(id, work));
        }
        let count = running.len();
        for task in running {
            if let Err(err) = task.await {
                tracing::error!(error = %err, "a takeover task failed");
            }
        }
        Ok(count)
    }

    /// Runs the reconciler now and then every `every`, until the process ends.
    pub fn start_reconciler(&self, every: Duration) -> JoinHandle<()> {
        let core = self.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(every);
            loop {
                ticks.tick().await;
                if let Err(err) = core.reconcile().await {
                    tracing::warn!(error = %err, "the reconciler could not read the rows in flight");
                }
            }
        })
    }

    /// Finishes one taken-over row.
    async fn resume(&self, record: &Record) -> Result<()> {
        let cloud = self.connect(&record.connection).await?;
        let cloud = cloud.as_ref();
        match record.state {
            ResourceState::Creating => self.resume_create(cloud, record).await,
            ResourceState::Deleting if record.kind == ResourceKind::Subnet => {
                self.resume_subnet_removal(cloud, record).await
            }
            ResourceState::Deleting | ResourceState::Terminating => {
                let system_id = match self.at_cloud(cloud, record).await? {
                    Some(id) => id,
                    None => return self.forget(record).await,
                };
                deleted_at_cloud(delete_at_cloud(cloud, record.kind, &system_id).await, false)?;
                if record.kind == ResourceKind::Vm {
                    self.watch_until_gone(cloud, record).await;
                    return Ok(());
                }
                self.forget(record).await
            }
            ResourceState::Ready => self.resume_change(cloud, record).await,
            ResourceState::Failed => Ok(()),
        }
    }

    /// A change of a Ready row, cut off: whether the cloud made it or not, the row takes
    /// what the cloud has now. A VM's status is always read live, so it needs nothing.
    async fn resume_change(&self, cloud: &dyn Connection, record: &Record) -> Result<()> {
        if record.kind == ResourceKind::SecurityGroup {
            let group = cloud.get_security_group(&record.system_id).await?;
            self.store_security_group(record, group).await?;
        }
        self.store().end_change(record.id, &record.operation).await
    }

    /// A subnet removal, cut off: finished, unless its VPC went first (and the subnet with it).
    async fn resume_subnet_removal(&self, cloud: &dyn Connection, record: &Record) -> Result<()> {
        let vpc = self
            .store()
            .find(&record.connection, ResourceKind::Vpc, "", &record.parent)
            .await;
        match vpc {
            Ok(vpc) => {
                self.remove_subnet_at_cloud(cloud, &vpc, record, false)
                    .await
            }
            Err(err) if err.kind() == ErrorKind::NotFound => self.store().remove(record.id).await,
            Err(err) => Err(err),
        }
    }

    /// The resource's cloud id: the one the row learned, or the one the cloud lists under the
    /// row's cloud-side name (a create may have made it before Spinneret stopped).
    async fn at_cloud(&self, cloud: &dyn Connection, record: &Record) -> Result<Option<String>> {
        if !record.system_id.is_empty() {
            return Ok(Some(record.system_id.clone()));
        }
        let kind = match record.kind {
            ResourceKind::Subnet => return Ok(None),
            kind => kind,
        };
        Ok(cloud
            .list_ids(kind)
            .await?
            .into_iter()
            .find(|iid| iid.name_id == record.cloud_name)
            .map(|iid| iid.system_id))
    }

    async fn resume_create(&self, cloud: &dyn Connection, record: &Record) -> Result<()> {
        if record.kind == ResourceKind::Subnet {
            return self.resume_subnet(cloud, record).await;
        }
        let Some(system_id) = self.at_cloud(cloud, record).await? else {
            return self.fail_interrupted(record, NEVER_MADE).await;
        };
        match record.kind {
            ResourceKind::Vpc => {
                let subnets: Vec<Record> = self
                    .store()
                    .list(&record.connection, Some(ResourceKind::Subnet))
                    .await?
                    .into_iter()
                    .filter(|subnet| subnet.parent == record.name)
                    .collect();
                let mut rows = vec![record.clone()];
                rows.extend(subnets);
                let created = cloud.get_vpc(&system_id).await?;
                self.created_vpc(cloud, &rows, created).await.map(drop)
            }
            ResourceKind::SecurityGroup => {
                let created = cloud.get_security_group(&system_id).await?;
                self.created_security_group(cloud, record, created)
                    .await
                    .map(drop)
            }
            // The private key went with the interrupted request: a key pair nobody can use
            // is deleted rather than adopted.
            ResourceKind::KeyPair => {
                deleted_at_cloud(delete_at_cloud(cloud, record.kind, &system_id).await, false)?;
                self.fail_interrupted(
                    record,
                    "the create was interrupted after the cloud made the key pair; its private key was lost, so Spinneret deleted it; delete this entry and create it again",
                )
                .await
            }
            ResourceKind::Vm => {
                let mut shown: VMInfo = record.info();
                shown.status = Some(VMStatus::Creating);
                self.store().progress(record.id, &system_id, &shown).await?;
                // A start that fails now is recorded on the row, as for any start.
                let _ = self.settle_start(cloud, record, shown, &system_id).await;
                Ok(())
            }
            ResourceKind::Subnet => Ok(()),
        }
    }

    /// A subnet added to a VPC: adopted if the cloud's VPC has it, else its row is dropped.
    async fn resume_subnet(&self, cloud: &dyn Connection, record: &Record) -> Result<()> {
        let vpc = self
            .store()
            .find(&record.connection, ResourceKind::Vpc, "", &record.parent)
            .await?;
        if vpc.state == ResourceState::Creating {
            // The VPC's own takeover stores its subnets.
            return Ok(());
        }
        let at_cloud = cloud.get_vpc(&vpc.system_id).await?;
        let made = at_cloud
            .subnet_info_list
            .iter()
            .any(|subnet| subnet.iid.name_id == record.cloud_name);
        if made {
            self.store_subnets(std::slice::from_ref(record), &at_cloud)
                .await?;
            let mut vpc_info = self.names(&record.connection).await?.vpc(at_cloud);
            vpc_info.iid.name_id.clone_from(&vpc.name);
            self.store()
                .progress(vpc.id, &vpc.system_id, &vpc_info)
                .await
        } else {
            self.store().remove(record.id).await
        }
    }

    /// Marks an interrupted create Failed with `reason`; the row keeps no references.
    async fn fail_interrupted(&self, record: &Record, reason: &str) -> Result<()> {
        let mut info: serde_json::Value =
            serde_json::from_str(&record.info).unwrap_or_else(|_| serde_json::json!({}));
        if record.kind == ResourceKind::Vm {
            let mut vm: VMInfo = record.info();
            vm.status = Some(VMStatus::Failed);
            info = serde_json::to_value(vm).unwrap_or(info);
        }
        if info.get("IId").is_none_or(|iid| iid["NameId"] == "") {
            info["IId"] = serde_json::json!({ "NameId": record.name, "SystemId": "" });
        }
        // Every model type lists its extra facts as key/values: the reason goes there.
        let error = serde_json::to_value(KeyValue::new("Error", reason)).unwrap_or_default();
        match info
            .get_mut("KeyValueList")
            .and_then(serde_json::Value::as_array_mut)
        {
            Some(pairs) => pairs.push(error),
            None => info["KeyValueList"] = serde_json::json!([error]),
        }
        let failed = self
            .store()
            .finish(
                record.id,
                ResourceState::Creating,
                ResourceState::Failed,
                "",
                &info,
                Some(reason.to_owned()),
            )
            .await?;
        if record.kind == ResourceKind::Vpc {
            self.store()
                .remove_subnets(&record.connection, &record.name)
                .await?;
        }
        if !failed {
            // Cancelled meanwhile: nothing exists at the cloud, so nothing is left to keep.
            self.forget(record).await?;
        }
        Ok(())
    }
}
