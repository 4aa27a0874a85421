//! VMs: start, watch, control and terminate, with the lifecycle persisted.
//!
//! `start_vm` answers once the VM is Running (or Failed), and `terminate_vm` once the cloud has
//! accepted the terminate, as CB-Spider does. Both run in their own task, so a caller that
//! goes away does not leave a half-done lifecycle. Reads never wait for them: they answer from
//! the row (`Creating`, `Failed`) or the cloud.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use spinneret_drivers::contract::{
    Connection, DriverErrorKind, DriverResult, StartPoll, VmRequest,
};
use spinneret_drivers::model::{Iid, KeyValue, ResourceKind, VMInfo, VMReqInfo, VMStatus};

use super::names::Names;
use super::store::{NewRecord, Record, ResourceState};
use super::wait::Backoff;
use crate::Core;
use crate::error::{Error, ErrorKind, Result};
use crate::history::about;
use crate::registry::validate;

/// How long a VM may take to reach Running, or to vanish after a terminate.
const LIFECYCLE_LIMIT: Duration = Duration::from_secs(600);

/// How long after a launch the cloud may still not list the VM (EC2's
/// `InvalidInstanceID.NotFound` is eventually consistent).
const NOT_LISTED_YET: Duration = Duration::from_secs(60);

/// What one status poll during a start means.
#[derive(Debug)]
enum Poll {
    Running(Box<VMInfo>),
    NotYet,
    Failed(Error),
}

/// Judges a status poll while waiting for Running: only a terminal state, or a VM still
/// unknown once it should be `listed`, fails the start. A cloud that throttles the polls, or
/// does not list a VM it just launched, is asked again.
fn judge_poll(answer: DriverResult<StartPoll>, listed: bool) -> Poll {
    match answer {
        Ok(StartPoll::Running(vm)) => Poll::Running(vm),
        Ok(StartPoll::Not(VMStatus::Creating)) => Poll::NotYet,
        Ok(StartPoll::Not(other)) => Poll::Failed(Error::new(
            ErrorKind::Cloud,
            format!("the VM became {} instead of Running", other.as_str()),
        )),
        Err(err) if err.retryable => Poll::NotYet,
        Err(err) if err.kind == DriverErrorKind::NotFound && !listed => Poll::NotYet,
        Err(err) => Poll::Failed(err.into()),
    }
}

/// A lifecycle action of `/controlvm`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VmAction {
    Suspend,
    Resume,
    Reboot,
}

impl VmAction {
    /// The operation a VM's row records while the action runs.
    const fn operation(self) -> &'static str {
        match self {
            VmAction::Suspend => "Suspend",
            VmAction::Resume => "Resume",
            VmAction::Reboot => "Reboot",
        }
    }
}

impl FromStr for VmAction {
    type Err = Error;

    fn from_str(action: &str) -> Result<Self> {
        match action.trim().to_ascii_lowercase().as_str() {
            "suspend" => Ok(VmAction::Suspend),
            "resume" => Ok(VmAction::Resume),
            "reboot" => Ok(VmAction::Reboot),
            _ => Err(Error::invalid(format!(
                "action '{action}' is unknown; use suspend, resume or reboot"
            ))),
        }
    }
}

/// Reads a required reference field.
fn required(field: &str, value: &str) -> Result<String> {
    validate::name(&format!("ReqInfo.{field}"), value)
}

/// What a VM row shows, given what the cloud says of it (`None`: the cloud has no such VM),
/// and whether the row is finished with (a terminate completed).
fn status_of(record: &Record, at_cloud: Option<VMStatus>) -> (VMStatus, bool) {
    match (record.state, at_cloud) {
        (ResourceState::Creating, _) => (VMStatus::Creating, false),
        (ResourceState::Failed, _) => (VMStatus::Failed, false),
        (ResourceState::Terminating, None | Some(VMStatus::Terminated)) => {
            (VMStatus::Terminated, true)
        }
        (ResourceState::Terminating, Some(_)) => (VMStatus::Terminating, false),
        // A start cancelled by a forced delete: its worker terminates it.
        (ResourceState::Deleting, _) => (VMStatus::Terminating, false),
        (ResourceState::Ready, None) => (VMStatus::NotExist, false),
        (ResourceState::Ready, Some(status)) => (status, false),
    }
}

/// A cloud answer with NotFound turned into `None`.
fn found<T>(answer: DriverResult<T>) -> Result<Option<T>> {
    match answer {
        Ok(value) => Ok(Some(value)),
        Err(err) if err.kind == DriverErrorKind::NotFound => Ok(None),
        Err(err) => Err(err.into()),
    }
}

impl Core {
    /// Starts a VM and answers once it is Running, with its addresses, or with the error once
    /// it has Failed. Meanwhile others see it `Creating`.
    pub async fn start_vm(&self, connection: &str, request: VMReqInfo) -> Result<VMInfo> {
        let name = validate::name("ReqInfo.Name", &request.name)?;
        let image = required("ImageName", &request.image_name)?;
        let spec = required("VMSpecName", &request.vm_spec_name)?;
        let vpc_name = required("VPCName", &request.vpc_name)?;
        let subnet_name = required("SubnetName", &request.subnet_name)?;
        let key_pair_name = required("KeyPairName", &request.key_pair_name)?;
        if request.security_group_names.is_empty() {
            return Err(Error::invalid(
                "ReqInfo.SecurityGroupNames needs at least one security group",
            ));
        }
        let cloud = self.connect_to_add(connection).await?;

        let vpc = self
            .usable(connection, ResourceKind::Vpc, &vpc_name)
            .await?;
        let subnet = self
            .store()
            .find(connection, ResourceKind::Subnet, &vpc_name, &subnet_name)
            .await?;
        let key_pair = self
            .usable(connection, ResourceKind::KeyPair, &key_pair_name)
            .await?;
        let mut groups = Vec::with_capacity(request.security_group_names.len());
        for group in &request.security_group_names {
            groups.push(
                self.usable(connection, ResourceKind::SecurityGroup, group.trim())
                    .await?,
            );
        }
        let mut uses = vec![vpc.id, subnet.id, key_pair.id];
        uses.extend(groups.iter().map(|group| group.id));
        let reserved = self
            .store()
            .reserve(
                connection,
                vec![NewRecord::creating(ResourceKind::Vm, "", &name)],
                &uses,
            )
            .await?;
        let record = reserved.into_iter().next().expect("one reserved row");

        let iid = |record: &Record| Iid::new(record.name.clone(), record.system_id.clone());
        let planned = VMInfo {
            iid: Iid::new(name.clone(), String::new()),
            image_type: "PublicImage".to_owned(),
            image_iid: Iid::new(image.clone(), image.clone()),
            vm_spec_name: spec.clone(),
            vpc_iid: iid(&vpc),
            subnet_iid: iid(&subnet),
            security_group_iids: groups.iter().map(iid).collect(),
            key_pair_iid: iid(&key_pair),
            root_disk_type: request.root_disk_type.trim().to_owned(),
            root_disk_size: request.root_disk_size.trim().to_owned(),
            vm_user_id: request.vm_user_id.trim().to_owned(),
            status: Some(VMStatus::Creating),
            ..VMInfo::default()
        };
        self.store().progress(record.id, "", &planned).await?;
        let launch = VmRequest {
            name: record.cloud_name.clone(),
            image_id: image,
            spec_name: spec,
            vpc_id: vpc.system_id,
            subnet_id: subnet.system_id,
            security_group_ids: groups.into_iter().map(|group| group.system_id).collect(),
            key_pair_id: key_pair.system_id,
            root_disk_type: planned.root_disk_type.clone(),
            root_disk_size: planned.root_disk_size.clone(),
            vm_user_id: planned.vm_user_id.clone(),
            vm_user_passwd: Some(request.vm_user_passwd)
                .filter(|passwd| !passwd.is_empty())
                .map(Into::into),
        };
        let core = self.clone();
        let connection = connection.to_owned();
        let id = record.id;
        let work = about(&name, async move {
            core.launch(cloud, &connection, record, planned, launch)
                .await
        });
        self.in_worker(id, work).await
    }

    /// The cloud half of a start: launch, wait for Running, and clean up on any failure.
    async fn launch(
        &self,
        cloud: Arc<dyn Connection>,
        connection: &str,
        record: Record,
        planned: VMInfo,
        request: VmRequest,
    ) -> Result<VMInfo> {
        let started = match cloud.start_vm(&request).await {
            Ok(started) => started,
            // The driver leaves nothing behind when its start fails.
            Err(err) => return Err(self.fail_vm(&record, planned, "", err.into()).await),
        };
        let system_id = started.iid.system_id.clone();
        // The cloud id first, so the names below map this VM too.
        self.store()
            .progress(record.id, &system_id, &planned)
            .await?;
        let mut shown = self.names(connection).await?.vm(started);
        shown.status = Some(VMStatus::Creating);
        self.store().progress(record.id, &system_id, &shown).await?;
        self.settle_start(cloud.as_ref(), &record, shown, &system_id)
            .await
    }

    /// Waits for a started VM to run and stores it. A VM that fails to run is terminated and
    /// its row marked Failed; one whose start a forced delete cancelled is terminated and
    /// forgotten. The reconciler carries on from here with a start it takes over.
    pub(super) async fn settle_start(
        &self,
        cloud: &dyn Connection,
        record: &Record,
        shown: VMInfo,
        system_id: &str,
    ) -> Result<VMInfo> {
        match self.wait_until_running(cloud, system_id).await {
            Ok(vm) => {
                let vm = self.names(&record.connection).await?.vm(vm);
                self.finish_create(cloud, record, system_id, &vm).await?;
                Ok(vm)
            }
            Err(err) => {
                if let Err(cleanup) = cloud.terminate_vm(system_id).await {
                    tracing::warn!(error = %cleanup, vm = %record.name, "could not terminate a VM whose start failed");
                }
                Err(self.fail_vm(record, shown, system_id, err).await)
            }
        }
    }

    /// The VM once it runs, as the last poll saw it.
    async fn wait_until_running(&self, cloud: &dyn Connection, id: &str) -> Result<VMInfo> {
        let mut backoff = Backoff::new(LIFECYCLE_LIMIT);
        let unlisted_until = tokio::time::Instant::now() + NOT_LISTED_YET;
        loop {
            let listed = tokio::time::Instant::now() >= unlisted_until;
            match judge_poll(cloud.poll_start(id).await, listed) {
                Poll::Running(vm) => return Ok(*vm),
                Poll::NotYet => {}
                Poll::Failed(err) => return Err(err),
            }
            if !backoff.next().await {
                return Err(Error::new(
                    ErrorKind::Timeout,
                    format!(
                        "the VM did not reach Running within {} s",
                        LIFECYCLE_LIMIT.as_secs()
                    ),
                ));
            }
        }
    }

    /// Marks the row Failed with the error, kept for list and get; returns the error.
    async fn fail_vm(
        &self,
        record: &Record,
        mut shown: VMInfo,
        system_id: &str,
        err: Error,
    ) -> Error {
        shown.status = Some(VMStatus::Failed);
        shown
            .key_value_list
            .push(KeyValue::new("Error", err.message()));
        let stored = self
            .store()
            .finish(
                record.id,
                ResourceState::Creating,
                ResourceState::Failed,
                system_id,
                &shown,
                Some(err.message().to_owned()),
            )
            .await;
        let outcome = match stored {
            Ok(true) => Ok(()),
            // A forced delete cancelled the start: nothing is left to keep.
            Ok(false) => self.store().remove(record.id).await,
            Err(store_err) => Err(store_err),
        };
        if let Err(store_err) = outcome {
            tracing::error!(error = %store_err, vm = %record.name, "could not mark a VM Failed");
        }
        err
    }

    pub async fn get_vm(&self, connection: &str, name: &str) -> Result<VMInfo> {
        let cloud = self.connect(connection).await?;
        let (record, names) = self
            .find_with_names(connection, ResourceKind::Vm, name)
            .await?;
        let at_cloud = if self.asks_cloud(&record) {
            found(about(name, cloud.get_vm(&record.system_id)).await)?
        } else {
            None
        };
        self.vm_view(&record, at_cloud, &names).await
    }

    pub async fn list_vms(&self, connection: &str) -> Result<Vec<VMInfo>> {
        let cloud = self.connect(connection).await?;
        // One query for the VMs and the names their answers need.
        let records = self.store().list(connection, None).await?;
        let names = Names::new(&records);
        let mut listed = cloud.list_vms().await?;
        let mut shown = Vec::new();
        for record in records
            .iter()
            .filter(|record| record.kind == ResourceKind::Vm)
        {
            let at_cloud = listed
                .iter()
                .position(|vm| vm.iid.system_id == record.system_id && self.asks_cloud(record))
                .map(|index| listed.swap_remove(index));
            let vm = self.vm_view(record, at_cloud, &names).await?;
            if vm.status != Some(VMStatus::Terminated) {
                shown.push(vm);
            }
        }
        Ok(shown)
    }

    /// Only a row past its create knows a cloud id worth asking about.
    fn asks_cloud(&self, record: &Record) -> bool {
        matches!(
            record.state,
            ResourceState::Ready | ResourceState::Terminating
        ) && !record.system_id.is_empty()
    }

    /// The VM as shown: the cloud's answer with the user's names, or the stored one with the
    /// row's status. A finished terminate frees the name.
    async fn vm_view(
        &self,
        record: &Record,
        at_cloud: Option<VMInfo>,
        names: &Names,
    ) -> Result<VMInfo> {
        let (status, finished) = status_of(record, at_cloud.as_ref().and_then(|vm| vm.status));
        if finished {
            self.store().remove(record.id).await?;
        }
        let mut vm = match at_cloud {
            Some(vm) if record.state == ResourceState::Ready => names.vm(vm),
            _ => record.info(),
        };
        vm.status = Some(status);
        Ok(vm)
    }

    pub async fn vm_status(&self, connection: &str, name: &str) -> Result<VMStatus> {
        let cloud = self.connect(connection).await?;
        let record = self.find_vm(connection, name).await?;
        let at_cloud = if self.asks_cloud(&record) {
            found(about(name, cloud.vm_status(&record.system_id)).await)?
        } else {
            None
        };
        let (status, finished) = status_of(&record, at_cloud);
        if finished {
            self.store().remove(record.id).await?;
        }
        Ok(status)
    }

    pub async fn list_vm_status(&self, connection: &str) -> Result<Vec<(Iid, VMStatus)>> {
        let cloud = self.connect(connection).await?;
        let records = self
            .store()
            .list(connection, Some(ResourceKind::Vm))
            .await?;
        let listed = cloud.list_vm_status().await?;
        let mut statuses = Vec::with_capacity(records.len());
        for record in &records {
            let at_cloud = listed
                .iter()
                .find(|(iid, _)| iid.system_id == record.system_id && self.asks_cloud(record))
                .map(|(_, status)| *status);
            let (status, finished) = status_of(record, at_cloud);
            if finished {
                self.store().remove(record.id).await?;
                continue;
            }
            statuses.push((
                Iid::new(record.name.clone(), record.system_id.clone()),
                status,
            ));
        }
        Ok(statuses)
    }

    async fn find_vm(&self, connection: &str, name: &str) -> Result<Record> {
        self.store()
            .find(connection, ResourceKind::Vm, "", name)
            .await
    }

    /// Suspends, resumes or reboots a VM; the cloud refuses what the VM's state does not allow.
    pub async fn control_vm(
        &self,
        connection: &str,
        name: &str,
        action: VmAction,
    ) -> Result<VMStatus> {
        let cloud = self.connect(connection).await?;
        let record = self.find_vm(connection, name).await?;
        if record.state != ResourceState::Ready {
            return Err(Error::conflict(format!(
                "VM '{name}' is {}; {} needs a Running or Suspended VM",
                status_of(&record, None).0.as_str(),
                format!("{action:?}").to_ascii_lowercase()
            )));
        }
        let id = record.system_id.clone();
        let status = about(name, async move {
            match action {
                VmAction::Suspend => cloud.suspend_vm(&id).await,
                VmAction::Resume => cloud.resume_vm(&id).await,
                VmAction::Reboot => cloud.reboot_vm(&id).await,
            }
            .map_err(Error::from)
        });
        self.change(&record, action.operation(), status).await
    }

    /// Terminates a VM and answers once the cloud has accepted: `Terminating` or `Terminated`.
    /// A Failed VM's row is simply forgotten.
    pub async fn terminate_vm(
        &self,
        connection: &str,
        name: &str,
        force: bool,
    ) -> Result<VMStatus> {
        let cloud = self.connect(connection).await?;
        let record = self.find_vm(connection, name).await?;
        if matches!(
            record.state,
            ResourceState::Creating | ResourceState::Deleting
        ) {
            self.settle_unfinished(&record, force).await?;
            return Ok(VMStatus::Terminating);
        }
        let from: &[ResourceState] = if force {
            &[
                ResourceState::Ready,
                ResourceState::Failed,
                ResourceState::Terminating,
            ]
        } else {
            &[ResourceState::Ready, ResourceState::Failed]
        };
        if !self
            .store()
            .compare_and_set(record.id, from, ResourceState::Terminating)
            .await?
        {
            let (status, _) = status_of(&record, None);
            return Err(Error::conflict(format!(
                "VM '{name}' is {}; it cannot be terminated now",
                status.as_str()
            )));
        }
        let core = self.clone();
        let id = record.id;
        let work = about(
            name,
            async move { core.terminate(cloud, record, force).await },
        );
        self.in_worker(id, work).await
    }

    async fn terminate(
        &self,
        cloud: Arc<dyn Connection>,
        record: Record,
        force: bool,
    ) -> Result<VMStatus> {
        if record.system_id.is_empty() {
            self.store().remove(record.id).await?;
            return Ok(VMStatus::Terminated);
        }
        match found(cloud.terminate_vm(&record.system_id).await) {
            Ok(None | Some(VMStatus::Terminated)) => {
                self.store().remove(record.id).await?;
                Ok(VMStatus::Terminated)
            }
            Ok(Some(status)) => {
                let core = self.clone();
                let id = record.id;
                self.spawn_leased(id, async move {
                    core.watch_until_gone(cloud.as_ref(), &record).await;
                });
                Ok(status)
            }
            Err(_) if force => {
                self.store().remove(record.id).await?;
                Ok(VMStatus::Terminated)
            }
            Err(err) => {
                self.store()
                    .compare_and_set(record.id, &[ResourceState::Terminating], record.state)
                    .await?;
                Err(err)
            }
        }
    }

    /// Frees the name once the cloud no longer has the VM. Reads do the same if this gives up.
    pub(super) async fn watch_until_gone(&self, cloud: &dyn Connection, record: &Record) {
        let mut backoff = Backoff::new(LIFECYCLE_LIMIT);
        while backoff.next().await {
            match found(cloud.vm_status(&record.system_id).await) {
                Ok(None | Some(VMStatus::Terminated)) => {
                    if let Err(err) = self.store().remove(record.id).await {
                        tracing::warn!(error = %err, vm = %record.name, "could not forget a terminated VM");
                    }
                    return;
                }
                Ok(Some(_)) => {}
                Err(err) => {
                    tracing::warn!(error = %err, vm = %record.name, "watching a terminate");
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_waits_out_throttling_and_a_vm_not_listed_yet() {
        use spinneret_drivers::contract::DriverError;
        let not_found = || DriverError::not_found("InvalidInstanceID.NotFound");
        let throttled = DriverError {
            retryable: true,
            ..DriverError::new(DriverErrorKind::Cloud, "RequestLimitExceeded")
        };
        assert!(matches!(judge_poll(Err(not_found()), false), Poll::NotYet));
        assert!(matches!(judge_poll(Err(throttled), true), Poll::NotYet));
        assert!(matches!(
            judge_poll(Ok(StartPoll::Not(VMStatus::Creating)), true),
            Poll::NotYet
        ));
        assert!(matches!(
            judge_poll(Ok(StartPoll::Running(Box::default())), true),
            Poll::Running(_)
        ));
        // Gone for good, or in a terminal state: the start fails.
        assert!(matches!(
            judge_poll(Err(not_found()), true),
            Poll::Failed(_)
        ));
        let Poll::Failed(err) = judge_poll(Ok(StartPoll::Not(VMStatus::Terminated)), false) else {
            panic!("a terminated VM fails the start");
        };
        assert_eq!(err.message(), "the VM became Terminated instead of Running");
    }

    #[test]
    fn actions_parse_in_any_case() {
        assert_eq!("SUSPEND".parse::<VmAction>().unwrap(), VmAction::Suspend);
        assert_eq!(" Reboot ".parse::<VmAction>().unwrap(), VmAction::Reboot);
        let err = "stop".parse::<VmAction>().unwrap_err();
        assert_eq!(
            err.message(),
            "action 'stop' is unknown; use suspend, resume or reboot"
        );
        assert_eq!(err.kind(), ErrorKind::Invalid);
    }
}
