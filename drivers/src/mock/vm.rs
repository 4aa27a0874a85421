//! VMs: the three steps of a launch (NIC, public IP, instance) and a lifecycle driven by the
//! clock. Each VM stores its status, when it settles and into what, so a read computes the
//! current status and nothing runs in the background: state survives a restart as it is.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::account::{
    Account, Location, VM_USER, conflict, ensure_absent, find, find_mut, missing,
};
use super::fixtures;
use super::network::{free_private_ip, free_public_ip};
use crate::contract::{DriverError, DriverResult, VmRequest};
use crate::model::{Iid, ImageInfo, RegionZone, ResourceKind, SubnetInfo, VMInfo, VMStatus};

/// What a step of a change sees of the clock: now, and how long a transition lasts.
#[derive(Clone, Copy)]
pub(super) struct Clock {
    pub(super) now_ms: u64,
    pub(super) transition_ms: u64,
}

impl Clock {
    pub(super) fn now(transition: Duration) -> Self {
        let since_epoch = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Self {
            now_ms: millis(since_epoch),
            transition_ms: millis(transition),
        }
    }
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// A network interface: a private address in a subnet, held from launch to terminate.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct Nic {
    subnet: String,
    private_ip: Ipv4Addr,
}

/// When a transitional status ends, and the status it ends in.
#[derive(Clone, Copy, Serialize, Deserialize)]
struct Settling {
    at_unix_ms: u64,
    into: VMStatus,
}

impl Settling {
    fn after(clock: Clock, into: VMStatus) -> Self {
        Self {
            at_unix_ms: clock.now_ms.saturating_add(clock.transition_ms),
            into,
        }
    }
}

/// A VM as stored: its VMInfo (never a password) and its lifecycle.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct VmRecord {
    info: VMInfo,
    status: VMStatus,
    settling: Option<Settling>,
}

impl VmRecord {
    pub(super) fn info(&self) -> &VMInfo {
        &self.info
    }

    pub(super) fn status(&self) -> VMStatus {
        self.status
    }

    /// The VMInfo as the API shows it, with its current status.
    pub(super) fn view(&self) -> VMInfo {
        VMInfo {
            status: Some(self.status),
            ..self.info.clone()
        }
    }

    /// Enters a transitional status that ends in `into` once the transition time has passed.
    fn begin(&mut self, during: VMStatus, into: VMStatus, clock: Clock) -> VMStatus {
        self.status = during;
        self.settling = Some(Settling::after(clock, into));
        during
    }
}

/// The actions that move a running or suspended VM through a transition.
#[derive(Clone, Copy)]
pub(super) enum Action {
    Suspend,
    Resume,
    Reboot,
}

impl Action {
    /// (verb, status needed, transitional status, status it settles into)
    const fn steps(self) -> (&'static str, VMStatus, VMStatus, VMStatus) {
        match self {
            Action::Suspend => (
                "suspend",
                VMStatus::Running,
                VMStatus::Suspending,
                VMStatus::Suspended,
            ),
            Action::Resume => (
                "resume",
                VMStatus::Suspended,
                VMStatus::Resuming,
                VMStatus::Running,
            ),
            Action::Reboot => (
                "reboot",
                VMStatus::Running,
                VMStatus::Rebooting,
                VMStatus::Running,
            ),
        }
    }
}

impl Account {
    /// Ends every transition due by `now_ms`; a VM that finished terminating is gone.
    pub(super) fn settle(&mut self, now_ms: u64) {
        for vm in self.vms.values_mut() {
            if let Some(settling) = vm.settling.filter(|settling| settling.at_unix_ms <= now_ms) {
                vm.status = settling.into;
                vm.settling = None;
            }
        }
        self.vms.retain(|_, vm| vm.status != VMStatus::Terminated);
    }

    pub(super) fn vm(&self, id: &str) -> DriverResult<&VmRecord> {
        find(&self.vms, ResourceKind::Vm, id)
    }

    /// Checks that everything a launch names exists: the image and spec among the fixtures,
    /// the VPC, the subnet in it, each security group in that VPC, and the key pair.
    fn check_launch(
        &self,
        request: &VmRequest,
        location: &Location,
    ) -> DriverResult<(ImageInfo, &SubnetInfo)> {
        ensure_absent(&self.vms, ResourceKind::Vm, &request.name)?;
        let image = fixtures::images()
            .into_iter()
            .find(|image| image.iid.system_id == request.image_id)
            .ok_or_else(|| missing("image", &request.image_id))?;
        if !fixtures::specs(&location.region)
            .iter()
            .any(|spec| spec.name == request.spec_name)
        {
            return Err(missing("spec", &request.spec_name));
        }
        let subnet = self.subnet(&request.vpc_id, &request.subnet_id)?;
        for group_id in &request.security_group_ids {
            let group = self.security_group(group_id)?;
            if group.vpc_iid.system_id != request.vpc_id {
                return Err(DriverError::invalid(format!(
                    "security group '{group_id}' is in VPC '{}', not in VPC '{}'",
                    group.vpc_iid.system_id, request.vpc_id
                )));
            }
        }
        self.key_pair(&request.key_pair_id)?;
        Ok((image, subnet))
    }

    /// Launch step 1: a NIC with the lowest free private address of the subnet.
    pub(super) fn create_nic(
        &mut self,
        request: &VmRequest,
        location: &Location,
    ) -> DriverResult<String> {
        let (_, subnet) = self.check_launch(request, location)?;
        let used: BTreeSet<Ipv4Addr> = self
            .nics
            .values()
            .filter(|nic| nic.subnet == subnet.iid.system_id)
            .map(|nic| nic.private_ip)
            .collect();
        let nic = Nic {
            subnet: subnet.iid.system_id.clone(),
            private_ip: free_private_ip(&subnet.ipv4_cidr, &used)?,
        };
        self.nics_created += 1;
        let id = format!("nic-{}", self.nics_created);
        self.nics.insert(id.clone(), nic);
        Ok(id)
    }

    pub(super) fn delete_nic(&mut self, id: &str) -> DriverResult<()> {
        self.nics
            .remove(id)
            .map(drop)
            .ok_or_else(|| missing("network interface", id))
    }

    /// Launch step 2: the lowest free public address.
    pub(super) fn allocate_public_ip(&mut self) -> DriverResult<Ipv4Addr> {
        let ip = free_public_ip(&self.public_ips)?;
        self.public_ips.insert(ip);
        Ok(ip)
    }

    pub(super) fn release_public_ip(&mut self, ip: Ipv4Addr) -> DriverResult<()> {
        if self.public_ips.remove(&ip) {
            Ok(())
        } else {
            Err(missing("public IP", ip))
        }
    }

    /// Launch step 3: the instance, on the NIC and public address of the steps before. The
    /// references are checked again: something may have gone since step 1.
    pub(super) fn start_vm(
        &mut self,
        request: &VmRequest,
        location: &Location,
        nic_id: &str,
        public_ip: Ipv4Addr,
        clock: Clock,
    ) -> DriverResult<VMInfo> {
        let (image, subnet) = self.check_launch(request, location)?;
        let nic = self
            .nics
            .get(nic_id)
            .ok_or_else(|| missing("network interface", nic_id))?;
        if !self.public_ips.contains(&public_ip) {
            return Err(missing("public IP", public_ip));
        }
        let zone = if subnet.zone.is_empty() {
            &location.zone
        } else {
            &subnet.zone
        };
        let info = VMInfo {
            iid: Iid::new(&request.name, &request.name),
            start_time: rfc3339(clock.now_ms),
            region: RegionZone {
                region: location.region.clone(),
                zone: zone.clone(),
            },
            image_type: "PublicImage".to_owned(),
            image_iid: image.iid.clone(),
            vm_spec_name: request.spec_name.clone(),
            vpc_iid: Iid::new(&request.vpc_id, &request.vpc_id),
            subnet_iid: subnet.iid.clone(),
            security_group_iids: request
                .security_group_ids
                .iter()
                .map(|id| Iid::new(id, id))
                .collect(),
            key_pair_iid: Iid::new(&request.key_pair_id, &request.key_pair_id),
            root_disk_type: or_default(&request.root_disk_type, "gp3"),
            root_disk_size: or_default(&request.root_disk_size, &image.os_disk_size_gb),
            root_device_name: "/dev/sda1".to_owned(),
            vm_user_id: or_default(&request.vm_user_id, VM_USER),
            network_interface: nic_id.to_owned(),
            public_ip: public_ip.to_string(),
            private_ip: nic.private_ip.to_string(),
            platform: image.os_platform,
            ssh_access_point: format!("{public_ip}:22"),
            ..VMInfo::default()
        };
        let record = VmRecord {
            info,
            status: VMStatus::Creating,
            settling: Some(Settling::after(clock, VMStatus::Running)),
        };
        let view = record.view();
        self.vms.insert(request.name.clone(), record);
        Ok(view)
    }

    /// Suspend, resume or reboot: answers the transitional status entered.
    pub(super) fn act(&mut self, id: &str, action: Action, clock: Clock) -> DriverResult<VMStatus> {
        let (verb, needs, during, into) = action.steps();
        let vm = find_mut(&mut self.vms, ResourceKind::Vm, id)?;
        if vm.status != needs {
            return Err(conflict(format!(
                "VM '{id}' is {}; {verb} needs {}",
                vm.status.as_str(),
                needs.as_str()
            )));
        }
        Ok(vm.begin(during, into, clock))
    }

    /// Terminates a VM from any state but Terminating, releasing its NIC and public address
    /// at once. With no transition time the VM is gone when this answers.
    pub(super) fn terminate(&mut self, id: &str, clock: Clock) -> DriverResult<VMStatus> {
        let vm = find_mut(&mut self.vms, ResourceKind::Vm, id)?;
        if vm.status == VMStatus::Terminating {
            return Err(conflict(format!("VM '{id}' is already Terminating")));
        }
        vm.begin(VMStatus::Terminating, VMStatus::Terminated, clock);
        let info = &mut vm.info;
        self.nics
            .remove(&std::mem::take(&mut info.network_interface));
        if let Ok(ip) = std::mem::take(&mut info.public_ip).parse::<Ipv4Addr>() {
            self.public_ips.remove(&ip);
        }
        info.private_ip.clear();
        info.ssh_access_point.clear();
        self.settle(clock.now_ms);
        Ok(if self.vms.contains_key(id) {
            VMStatus::Terminating
        } else {
            VMStatus::Terminated
        })
    }
}

fn or_default(value: &str, default: &str) -> String {
    if value.is_empty() { default } else { value }.to_owned()
}

fn rfc3339(unix_ms: u64) -> String {
    let nanos = i128::from(unix_ms) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos)
        .ok()
        .and_then(|time| time.format(&Rfc3339).ok())
        .unwrap_or_default()
}
