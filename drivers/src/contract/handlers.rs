//! The handler traits a connection offers, one per kind of resource, and the requests they
//! take. Every id a handler takes or returns is the cloud's own (`IId.SystemId`); a request's
//! `name` is the cloud-side name the core derived from the user's name. Handlers return IIds
//! with the cloud-side name in `NameId`; the core maps them back to the user's names.

use async_trait::async_trait;
use secrecy::SecretString;

use super::DriverResult;
use crate::model::{
    Iid, ImageInfo, KeyPairInfo, ResourceKind, SecurityInfo, SecurityRuleInfo, VMInfo, VMSpecInfo,
    VMStatus, VPCInfo,
};

/// The images the cloud offers in the connection's region.
#[async_trait]
pub trait ImageHandler: Send + Sync {
    async fn list_images(&self) -> DriverResult<Vec<ImageInfo>>;

    /// The image whose cloud-side name (`IId.SystemId`) is `name`.
    async fn get_image(&self, name: &str) -> DriverResult<ImageInfo>;
}

/// The instance types the cloud offers in the connection's region.
#[async_trait]
pub trait SpecHandler: Send + Sync {
    async fn list_specs(&self) -> DriverResult<Vec<VMSpecInfo>>;

    async fn get_spec(&self, name: &str) -> DriverResult<VMSpecInfo>;

    /// Every spec as the cloud itself describes them, as one JSON text.
    async fn list_org_specs(&self) -> DriverResult<String>;

    /// The spec as the cloud itself describes it, as JSON text.
    async fn get_org_spec(&self, name: &str) -> DriverResult<String>;
}

/// A subnet to create: its cloud-side name, zone (empty: the region's zone) and CIDR.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SubnetRequest {
    pub name: String,
    pub zone: String,
    pub ipv4_cidr: String,
}

/// A VPC to create with its first subnets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VpcRequest {
    pub name: String,
    pub ipv4_cidr: String,
    pub subnets: Vec<SubnetRequest>,
}

#[async_trait]
pub trait VpcHandler: Send + Sync {
    async fn create_vpc(&self, request: &VpcRequest) -> DriverResult<VPCInfo>;

    async fn list_vpcs(&self) -> DriverResult<Vec<VPCInfo>>;

    async fn get_vpc(&self, id: &str) -> DriverResult<VPCInfo>;

    async fn delete_vpc(&self, id: &str) -> DriverResult<()>;

    /// Adds a subnet and returns the whole VPC.
    async fn add_subnet(&self, vpc_id: &str, subnet: &SubnetRequest) -> DriverResult<VPCInfo>;

    async fn remove_subnet(&self, vpc_id: &str, subnet_id: &str) -> DriverResult<()>;
}

/// A security group to create in a VPC, with rules already normalised by the core.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SecurityGroupRequest {
    pub name: String,
    pub vpc_id: String,
    pub rules: Vec<SecurityRuleInfo>,
}

#[async_trait]
pub trait SecurityHandler: Send + Sync {
    async fn create_security_group(
        &self,
        request: &SecurityGroupRequest,
    ) -> DriverResult<SecurityInfo>;

    async fn list_security_groups(&self) -> DriverResult<Vec<SecurityInfo>>;

    async fn get_security_group(&self, id: &str) -> DriverResult<SecurityInfo>;

    async fn delete_security_group(&self, id: &str) -> DriverResult<()>;

    /// Adds rules; a rule that already exists is refused (Conflict).
    async fn add_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<SecurityInfo>;

    /// Removes rules; a rule that does not exist is refused (NotFound).
    async fn remove_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()>;
}

#[async_trait]
pub trait KeyPairHandler: Send + Sync {
    /// Creates a key pair; the only answer that carries the private key.
    async fn create_key_pair(&self, name: &str) -> DriverResult<KeyPairInfo>;

    async fn list_key_pairs(&self) -> DriverResult<Vec<KeyPairInfo>>;

    async fn get_key_pair(&self, id: &str) -> DriverResult<KeyPairInfo>;

    async fn delete_key_pair(&self, id: &str) -> DriverResult<()>;
}

/// A VM to start. Every reference is the cloud's own id.
#[derive(Clone, Default)]
pub struct VmRequest {
    pub name: String,
    pub image_id: String,
    pub spec_name: String,
    pub vpc_id: String,
    pub subnet_id: String,
    pub security_group_ids: Vec<String>,
    pub key_pair_id: String,
    /// Empty: the cloud's default.
    pub root_disk_type: String,
    /// Empty: the cloud's default.
    pub root_disk_size: String,
    pub vm_user_id: String,
    pub vm_user_passwd: Option<SecretString>,
}

impl std::fmt::Debug for VmRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VmRequest")
            .field("name", &self.name)
            .field("image_id", &self.image_id)
            .field("spec_name", &self.spec_name)
            .field("subnet_id", &self.subnet_id)
            .finish_non_exhaustive()
    }
}

/// One look at a VM being started.
#[derive(Clone, Debug, PartialEq)]
pub enum StartPoll {
    /// It runs: the whole VM, addresses and all.
    Running(Box<VMInfo>),
    /// Any other status.
    Not(VMStatus),
}

impl StartPoll {
    /// A look at a VM described with its status; `None` when the cloud gave no status.
    pub fn of(vm: VMInfo) -> Option<Self> {
        match vm.status? {
            VMStatus::Running => Some(Self::Running(Box::new(vm))),
            status => Some(Self::Not(status)),
        }
    }
}

#[async_trait]
pub trait VmHandler: Send + Sync {
    /// Launches a VM and answers once the cloud has accepted it: its status may still be
    /// `Creating`. A failure leaves nothing behind at the cloud.
    async fn start_vm(&self, request: &VmRequest) -> DriverResult<VMInfo>;

    /// Suspend, resume and reboot answer with the transitional status the VM entered; an
    /// action the VM's state does not allow is refused (Conflict).
    async fn suspend_vm(&self, id: &str) -> DriverResult<VMStatus>;

    async fn resume_vm(&self, id: &str) -> DriverResult<VMStatus>;

    async fn reboot_vm(&self, id: &str) -> DriverResult<VMStatus>;

    /// Answers once the cloud has accepted the terminate: `Terminating` or `Terminated`.
    async fn terminate_vm(&self, id: &str) -> DriverResult<VMStatus>;

    /// The VM with its current `Status`.
    async fn get_vm(&self, id: &str) -> DriverResult<VMInfo>;

    async fn list_vms(&self) -> DriverResult<Vec<VMInfo>>;

    async fn vm_status(&self, id: &str) -> DriverResult<VMStatus>;

    /// What a start waits on: the VM once it runs, otherwise its status. By default a status
    /// call, then a get once it runs; a cloud whose status call describes the whole VM
    /// answers from that one call.
    async fn poll_start(&self, id: &str) -> DriverResult<StartPoll> {
        Ok(match self.vm_status(id).await? {
            VMStatus::Running => StartPoll::Running(Box::new(self.get_vm(id).await?)),
            status => StartPoll::Not(status),
        })
    }

    async fn list_vm_status(&self) -> DriverResult<Vec<(Iid, VMStatus)>>;
}

/// The account and region a connection reaches: the same for every key of one account, so
/// the control plane can tell a key rotation from a move to another account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudAccount {
    /// The cloud's id of the account (AWS's owner id, the mock's account hash).
    pub account: String,
    pub region: String,
}

impl std::fmt::Display for CloudAccount {
    /// Long ids (the mock's hashes) are shortened: enough to tell two accounts apart.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const SHOWN: usize = 12;
        match self.account.get(..SHOWN) {
            Some(start) if self.account.len() > SHOWN + 4 => write!(f, "account {start}…"),
            _ => write!(f, "account {}", self.account),
        }?;
        write!(f, " in region {}", self.region)
    }
}

/// What exists at the cloud, whoever created it: for the `all*` routes, and whose it is.
#[async_trait]
pub trait InventoryHandler: Send + Sync {
    /// The IIds (cloud-side name and id) of every resource of `kind` in the region.
    async fn list_ids(&self, kind: ResourceKind) -> DriverResult<Vec<Iid>>;

    /// The account and region behind this connection, as the cloud reports them.
    async fn account(&self) -> DriverResult<CloudAccount>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_poll_carries_the_vm_only_once_it_runs() {
        let vm = |status| VMInfo {
            status,
            ..VMInfo::default()
        };
        let running = vm(Some(VMStatus::Running));
        assert_eq!(
            StartPoll::of(running.clone()),
            Some(StartPoll::Running(Box::new(running)))
        );
        assert_eq!(
            StartPoll::of(vm(Some(VMStatus::Creating))),
            Some(StartPoll::Not(VMStatus::Creating))
        );
        assert_eq!(StartPoll::of(vm(None)), None);
    }
}
