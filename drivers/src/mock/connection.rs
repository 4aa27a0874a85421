//! One open connection to a mock account: every handler, each operation one recorded call.
//!
//! A call waits its injected delay, may fail by injection, then reads the account from the
//! store. A change saves it only if no other writer (another replica) saved it meanwhile, and
//! otherwise runs again on the newer state; a failed save changes nothing.

use std::future::Future;
use std::net::Ipv4Addr;
use std::sync::Arc;

use async_trait::async_trait;

use super::account::{Account, Location, missing};
use super::api::Api;
use super::faults::Faults;
use super::vm::{Action, Clock};
use super::{Accounts, fixtures};
use crate::contract::{
    CallRecorder, CloudAccount, DriverError, DriverErrorKind, DriverResult, ImageHandler,
    InventoryHandler, KeyPairHandler, SecurityGroupRequest, SecurityHandler, SpecHandler,
    SubnetRequest, VmHandler, VmRequest, VpcHandler, VpcRequest, recorded,
};
use crate::model::{
    Iid, ImageInfo, KeyPairInfo, ResourceKind, SecurityInfo, SecurityRuleInfo, VMInfo, VMSpecInfo,
    VMStatus, VPCInfo,
};

const IMAGE: &str = "VMImage";
const SPEC: &str = "VMSpec";
const VPC: &str = "VPC";
const SUBNET: &str = "Subnet";
const SECURITY_GROUP: &str = "SecurityGroup";
const KEY_PAIR: &str = "KeyPair";
const VM: &str = "VM";

/// How often a change is tried against a store other replicas keep changing.
const SAVE_ATTEMPTS: usize = 8;

pub(super) struct MockConnection {
    pub(super) accounts: Arc<Accounts>,
    /// The keyed hash naming this connection's account.
    pub(super) account_id: String,
    pub(super) location: Location,
    pub(super) faults: Faults,
    pub(super) recorder: Arc<dyn CallRecorder>,
}

impl MockConnection {
    /// One recorded call: injected delay and fault first, then the operation. Errors name the
    /// API.
    async fn call<T>(
        &self,
        resource_type: &'static str,
        name: &str,
        api: Api,
        operation: impl Future<Output = DriverResult<T>>,
    ) -> DriverResult<T> {
        let outcome = async {
            self.faults.inject(api).await?;
            operation.await
        };
        let named = async {
            outcome.await.map_err(|err| DriverError {
                message: format!("{api}: {}", err.message),
                ..err
            })
        };
        recorded(
            self.recorder.as_ref(),
            resource_type,
            name,
            api.as_str(),
            named,
        )
        .await
    }

    /// The account as stored now, with every transition due by now settled, and its version.
    /// Settling needs no save: it follows from the clock, so any reader settles it the same.
    async fn load(&self) -> DriverResult<(Account, Option<u64>)> {
        let (mut account, version) = self.accounts.load(&self.account_id).await?;
        account.settle(self.clock().now_ms);
        Ok((account, version))
    }

    fn clock(&self) -> Clock {
        Clock::now(self.accounts.settings.transition)
    }

    /// A recorded call that reads the account.
    async fn read<T>(
        &self,
        resource_type: &'static str,
        name: &str,
        api: Api,
        operation: impl FnOnce(&Account) -> DriverResult<T>,
    ) -> DriverResult<T> {
        self.call(resource_type, name, api, async {
            operation(&self.load().await?.0)
        })
        .await
    }

    /// A recorded call that changes the account, saved only if nobody (another replica)
    /// saved it meanwhile; otherwise it runs again on the newer state.
    async fn change<T>(
        &self,
        resource_type: &'static str,
        name: &str,
        api: Api,
        mut operation: impl FnMut(&mut Account) -> DriverResult<T>,
    ) -> DriverResult<T> {
        self.call(resource_type, name, api, async {
            let lock = self.accounts.lock_of(&self.account_id);
            let _turn = lock.lock().await;
            for _ in 0..SAVE_ATTEMPTS {
                let (mut account, version) = self.load().await?;
                let answer = operation(&mut account)?;
                if self
                    .accounts
                    .save(&self.account_id, &account, version)
                    .await?
                {
                    return Ok(answer);
                }
            }
            Err(DriverError::new(
                DriverErrorKind::Conflict,
                "the mock account kept changing under other writers; try again",
            ))
        })
        .await
    }

    /// Suspend, resume or reboot.
    async fn act(&self, id: &str, api: Api, action: Action) -> DriverResult<VMStatus> {
        self.change(VM, id, api, |account| account.act(id, action, self.clock()))
            .await
    }

    fn spec(&self, name: &str) -> DriverResult<VMSpecInfo> {
        fixtures::specs(&self.location.region)
            .into_iter()
            .find(|spec| spec.name == name)
            .ok_or_else(|| missing("spec", name))
    }

    /// Undoes launch steps after a later one failed, newest first. The launch's own error is
    /// what the caller sees; an undo that fails is in the call history.
    async fn undo_launch(&self, name: &str, nic_id: &str, public_ip: Option<Ipv4Addr>) {
        if let Some(ip) = public_ip {
            let _ = self
                .change(VM, name, Api::ReleasePublicIP, |account| {
                    account.release_public_ip(ip)
                })
                .await;
        }
        let _ = self
            .change(VM, name, Api::DeleteNIC, |account| {
                account.delete_nic(nic_id)
            })
            .await;
    }
}

#[async_trait]
impl ImageHandler for MockConnection {
    async fn list_images(&self) -> DriverResult<Vec<ImageInfo>> {
        self.call(IMAGE, "", Api::ListImage, async { Ok(fixtures::images()) })
            .await
    }

    async fn get_image(&self, name: &str) -> DriverResult<ImageInfo> {
        self.call(IMAGE, name, Api::GetImage, async {
            fixtures::images()
                .into_iter()
                .find(|image| image.iid.system_id == name)
                .ok_or_else(|| missing("image", name))
        })
        .await
    }
}

#[async_trait]
impl SpecHandler for MockConnection {
    async fn list_specs(&self) -> DriverResult<Vec<VMSpecInfo>> {
        self.call(SPEC, "", Api::ListVMSpec, async {
            Ok(fixtures::specs(&self.location.region))
        })
        .await
    }

    async fn get_spec(&self, name: &str) -> DriverResult<VMSpecInfo> {
        self.call(SPEC, name, Api::GetVMSpec, async { self.spec(name) })
            .await
    }

    async fn list_org_specs(&self) -> DriverResult<String> {
        self.call(SPEC, "", Api::ListOrgVMSpec, async {
            let specs = fixtures::specs(&self.location.region);
            Ok(serde_json::to_string(&specs).expect("specs serialize"))
        })
        .await
    }

    async fn get_org_spec(&self, name: &str) -> DriverResult<String> {
        self.call(SPEC, name, Api::GetOrgVMSpec, async {
            let spec = self.spec(name)?;
            Ok(serde_json::to_string(&spec).expect("a spec serializes"))
        })
        .await
    }
}

#[async_trait]
impl VpcHandler for MockConnection {
    async fn create_vpc(&self, request: &VpcRequest) -> DriverResult<VPCInfo> {
        self.change(VPC, &request.name, Api::CreateVPC, |account| {
            account.create_vpc(request, &self.location)
        })
        .await
    }

    async fn list_vpcs(&self) -> DriverResult<Vec<VPCInfo>> {
        self.read(VPC, "", Api::ListVPC, |account| {
            Ok(account.vpcs.values().cloned().collect())
        })
        .await
    }

    async fn get_vpc(&self, id: &str) -> DriverResult<VPCInfo> {
        self.read(VPC, id, Api::GetVPC, |account| account.vpc(id).cloned())
            .await
    }

    async fn delete_vpc(&self, id: &str) -> DriverResult<()> {
        self.change(VPC, id, Api::DeleteVPC, |account| account.delete_vpc(id))
            .await
    }

    async fn add_subnet(&self, vpc_id: &str, subnet: &SubnetRequest) -> DriverResult<VPCInfo> {
        self.change(SUBNET, &subnet.name, Api::AddSubnet, |account| {
            account.add_subnet(vpc_id, subnet, &self.location)
        })
        .await
    }

    async fn remove_subnet(&self, vpc_id: &str, subnet_id: &str) -> DriverResult<()> {
        self.change(SUBNET, subnet_id, Api::RemoveSubnet, |account| {
            account.remove_subnet(vpc_id, subnet_id)
        })
        .await
    }
}

#[async_trait]
impl SecurityHandler for MockConnection {
    async fn create_security_group(
        &self,
        request: &SecurityGroupRequest,
    ) -> DriverResult<SecurityInfo> {
        self.change(
            SECURITY_GROUP,
            &request.name,
            Api::CreateSecurity,
            |account| account.create_security_group(&request.name, &request.vpc_id, &request.rules),
        )
        .await
    }

    async fn list_security_groups(&self) -> DriverResult<Vec<SecurityInfo>> {
        self.read(SECURITY_GROUP, "", Api::ListSecurity, |account| {
            Ok(account.security_groups.values().cloned().collect())
        })
        .await
    }

    async fn get_security_group(&self, id: &str) -> DriverResult<SecurityInfo> {
        self.read(SECURITY_GROUP, id, Api::GetSecurity, |account| {
            account.security_group(id).cloned()
        })
        .await
    }

    async fn delete_security_group(&self, id: &str) -> DriverResult<()> {
        self.change(SECURITY_GROUP, id, Api::DeleteSecurity, |account| {
            account.delete_security_group(id)
        })
        .await
    }

    async fn add_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<SecurityInfo> {
        self.change(SECURITY_GROUP, id, Api::AddRules, |account| {
            account.add_rules(id, rules)
        })
        .await
    }

    async fn remove_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()> {
        self.change(SECURITY_GROUP, id, Api::RemoveRules, |account| {
            account.remove_rules(id, rules)
        })
        .await
    }
}

#[async_trait]
impl KeyPairHandler for MockConnection {
    async fn create_key_pair(&self, name: &str) -> DriverResult<KeyPairInfo> {
        self.change(KEY_PAIR, name, Api::CreateKey, |account| {
            account.create_key_pair(name)
        })
        .await
    }

    async fn list_key_pairs(&self) -> DriverResult<Vec<KeyPairInfo>> {
        self.read(
            KEY_PAIR,
            "",
            Api::ListKey,
            |account| Ok(account.key_pairs()),
        )
        .await
    }

    async fn get_key_pair(&self, id: &str) -> DriverResult<KeyPairInfo> {
        self.read(KEY_PAIR, id, Api::GetKey, |account| account.key_pair(id))
            .await
    }

    async fn delete_key_pair(&self, id: &str) -> DriverResult<()> {
        self.change(KEY_PAIR, id, Api::DeleteKey, |account| {
            account.delete_key_pair(id)
        })
        .await
    }
}

#[async_trait]
impl VmHandler for MockConnection {
    /// Three recorded steps, as a real cloud takes them; a failed step undoes the ones before.
    async fn start_vm(&self, request: &VmRequest) -> DriverResult<VMInfo> {
        let name = &request.name;
        let nic_id = self
            .change(VM, name, Api::CreateNIC, |account| {
                account.create_nic(request, &self.location)
            })
            .await?;
        let public_ip = match self
            .change(VM, name, Api::AllocatePublicIP, Account::allocate_public_ip)
            .await
        {
            Ok(ip) => ip,
            Err(err) => {
                self.undo_launch(name, &nic_id, None).await;
                return Err(err);
            }
        };
        let started = self
            .change(VM, name, Api::StartVM, |account| {
                account.start_vm(request, &self.location, &nic_id, public_ip, self.clock())
            })
            .await;
        if started.is_err() {
            self.undo_launch(name, &nic_id, Some(public_ip)).await;
        }
        started
    }

    async fn suspend_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.act(id, Api::SuspendVM, Action::Suspend).await
    }

    async fn resume_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.act(id, Api::ResumeVM, Action::Resume).await
    }

    async fn reboot_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.act(id, Api::RebootVM, Action::Reboot).await
    }

    async fn terminate_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.change(VM, id, Api::TerminateVM, |account| {
            account.terminate(id, self.clock())
        })
        .await
    }

    async fn get_vm(&self, id: &str) -> DriverResult<VMInfo> {
        self.read(VM, id, Api::GetVM, |account| Ok(account.vm(id)?.view()))
            .await
    }

    async fn list_vms(&self) -> DriverResult<Vec<VMInfo>> {
        self.read(VM, "", Api::ListVM, |account| {
            Ok(account.vms.values().map(|vm| vm.view()).collect())
        })
        .await
    }

    async fn vm_status(&self, id: &str) -> DriverResult<VMStatus> {
        self.read(VM, id, Api::GetVMStatus, |account| {
            Ok(account.vm(id)?.status())
        })
        .await
    }

    async fn list_vm_status(&self) -> DriverResult<Vec<(Iid, VMStatus)>> {
        self.read(VM, "", Api::ListVMStatus, |account| {
            Ok(account
                .vms
                .iter()
                .map(|(id, vm)| (Iid::new(id, id), vm.status()))
                .collect())
        })
        .await
    }
}

#[async_trait]
impl InventoryHandler for MockConnection {
    async fn list_ids(&self, kind: ResourceKind) -> DriverResult<Vec<Iid>> {
        self.read(kind.as_str(), "", Api::ListIID, |account| {
            Ok(account.ids(kind))
        })
        .await
    }

    /// The account is named by its key hash, which needs no call.
    async fn account(&self) -> DriverResult<CloudAccount> {
        Ok(CloudAccount {
            account: self.account_id.clone(),
            region: self.location.region.clone(),
        })
    }
}
