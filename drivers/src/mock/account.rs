//! One mock account's state, stored whole as one JSON document, and the rules that changes to
//! its networks, security groups and key pairs must keep. VMs are in `vm.rs`.
//!
//! Every error message here leaves out the API name: the connection puts it in front.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::network::{check_subnet_cidr, parse_cidr};
use super::vm::{Nic, VmRecord};
use crate::contract::{DriverError, DriverErrorKind, DriverResult, SubnetRequest, VpcRequest};
use crate::model::{
    Iid, KeyPairInfo, ResourceKind, SecurityInfo, SecurityRuleInfo, SubnetInfo, VMInfo, VPCInfo,
};
use crate::ssh_keys::generate;

/// The default user on the mock's Linux images.
pub(super) const VM_USER: &str = "cb-user";

/// Where a connection runs: its region's `Region` and `Zone` values.
pub(super) struct Location {
    pub(super) region: String,
    pub(super) zone: String,
}

/// A key pair as stored: public material only, never the private key.
#[derive(Clone, Serialize, Deserialize)]
pub(super) struct StoredKeyPair {
    public_key: String,
    fingerprint: String,
}

/// Everything one mock account holds. Each resource's id is the cloud-side name it was
/// created with, as in CB-Spider's mock.
#[derive(Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Account {
    pub(super) vpcs: BTreeMap<String, VPCInfo>,
    pub(super) security_groups: BTreeMap<String, SecurityInfo>,
    pub(super) key_pairs: BTreeMap<String, StoredKeyPair>,
    pub(super) vms: BTreeMap<String, VmRecord>,
    /// Network interfaces by id (`nic-<n>`).
    pub(super) nics: BTreeMap<String, Nic>,
    /// Public addresses allocated in this account.
    pub(super) public_ips: BTreeSet<Ipv4Addr>,
    /// How many NICs were ever created, so NIC ids never repeat.
    pub(super) nics_created: u64,
}

pub(super) fn missing(what: impl Display, id: impl Display) -> DriverError {
    DriverError::not_found(format!("{what} '{id}' does not exist in the mock cloud"))
}

pub(super) fn conflict(message: impl Display) -> DriverError {
    DriverError::new(DriverErrorKind::Conflict, message)
}

pub(super) fn find<'a, T>(
    resources: &'a BTreeMap<String, T>,
    kind: ResourceKind,
    id: &str,
) -> DriverResult<&'a T> {
    resources.get(id).ok_or_else(|| missing(kind, id))
}

pub(super) fn find_mut<'a, T>(
    resources: &'a mut BTreeMap<String, T>,
    kind: ResourceKind,
    id: &str,
) -> DriverResult<&'a mut T> {
    resources.get_mut(id).ok_or_else(|| missing(kind, id))
}

/// Removes a resource, or says it does not exist.
fn remove<T>(resources: &mut BTreeMap<String, T>, kind: ResourceKind, id: &str) -> DriverResult<T> {
    resources.remove(id).ok_or_else(|| missing(kind, id))
}

pub(super) fn ensure_absent<T>(
    resources: &BTreeMap<String, T>,
    kind: ResourceKind,
    id: &str,
) -> DriverResult<()> {
    if resources.contains_key(id) {
        return Err(conflict(format!(
            "{kind} '{id}' already exists in the mock cloud"
        )));
    }
    Ok(())
}

/// A rule as people read it, e.g. `inbound TCP 22-22 0.0.0.0/0`.
fn describe(rule: &SecurityRuleInfo) -> String {
    format!(
        "{} {} {}-{} {}",
        rule.direction, rule.ip_protocol, rule.from_port, rule.to_port, rule.cidr
    )
}

impl Account {
    pub(super) fn create_vpc(
        &mut self,
        request: &VpcRequest,
        location: &Location,
    ) -> DriverResult<VPCInfo> {
        ensure_absent(&self.vpcs, ResourceKind::Vpc, &request.name)?;
        parse_cidr(&request.ipv4_cidr)?;
        self.vpcs.insert(
            request.name.clone(),
            VPCInfo {
                iid: Iid::new(&request.name, &request.name),
                ipv4_cidr: request.ipv4_cidr.clone(),
                ..VPCInfo::default()
            },
        );
        for subnet in &request.subnets {
            self.add_subnet(&request.name, subnet, location)?;
        }
        self.vpc(&request.name).cloned()
    }

    pub(super) fn vpc(&self, id: &str) -> DriverResult<&VPCInfo> {
        find(&self.vpcs, ResourceKind::Vpc, id)
    }

    /// Deletes a VPC with its subnets; refused while security groups or VMs are in it, as
    /// AWS refuses with DependencyViolation.
    pub(super) fn delete_vpc(&mut self, id: &str) -> DriverResult<()> {
        self.vpc(id)?;
        if let Some(group) = self
            .security_groups
            .values()
            .find(|group| group.vpc_iid.system_id == id)
        {
            return Err(conflict(format!(
                "VPC '{id}' still has security group '{}'",
                group.iid.system_id
            )));
        }
        self.refuse_if_a_vm_uses(ResourceKind::Vpc, id, |vm| vm.vpc_iid.system_id == id)?;
        remove(&mut self.vpcs, ResourceKind::Vpc, id).map(drop)
    }

    /// Adds a subnet inside the VPC's CIDR, overlapping none of its other subnets. Subnet ids
    /// are unique in the whole account, as a cloud's subnet ids are.
    pub(super) fn add_subnet(
        &mut self,
        vpc_id: &str,
        request: &SubnetRequest,
        location: &Location,
    ) -> DriverResult<VPCInfo> {
        if self
            .vpcs
            .values()
            .flat_map(|vpc| &vpc.subnet_info_list)
            .any(|subnet| subnet.iid.system_id == request.name)
        {
            return Err(conflict(format!(
                "subnet '{}' already exists in the mock cloud",
                request.name
            )));
        }
        let vpc = find_mut(&mut self.vpcs, ResourceKind::Vpc, vpc_id)?;
        check_subnet_cidr(
            &vpc.ipv4_cidr,
            &request.ipv4_cidr,
            vpc.subnet_info_list
                .iter()
                .map(|subnet| (subnet.iid.system_id.as_str(), subnet.ipv4_cidr.as_str())),
        )?;
        let zone = if request.zone.is_empty() {
            &location.zone
        } else {
            &request.zone
        };
        vpc.subnet_info_list.push(SubnetInfo {
            iid: Iid::new(&request.name, &request.name),
            zone: zone.clone(),
            ipv4_cidr: request.ipv4_cidr.clone(),
            ..SubnetInfo::default()
        });
        Ok(vpc.clone())
    }

    pub(super) fn subnet(&self, vpc_id: &str, subnet_id: &str) -> DriverResult<&SubnetInfo> {
        self.vpc(vpc_id)?
            .subnet_info_list
            .iter()
            .find(|subnet| subnet.iid.system_id == subnet_id)
            .ok_or_else(|| {
                DriverError::not_found(format!(
                    "subnet '{subnet_id}' does not exist in VPC '{vpc_id}'"
                ))
            })
    }

    pub(super) fn remove_subnet(&mut self, vpc_id: &str, subnet_id: &str) -> DriverResult<()> {
        self.subnet(vpc_id, subnet_id)?;
        self.refuse_if_a_vm_uses(ResourceKind::Subnet, subnet_id, |vm| {
            vm.subnet_iid.system_id == subnet_id
        })?;
        find_mut(&mut self.vpcs, ResourceKind::Vpc, vpc_id)?
            .subnet_info_list
            .retain(|subnet| subnet.iid.system_id != subnet_id);
        Ok(())
    }

    pub(super) fn create_security_group(
        &mut self,
        name: &str,
        vpc_id: &str,
        rules: &[SecurityRuleInfo],
    ) -> DriverResult<SecurityInfo> {
        ensure_absent(&self.security_groups, ResourceKind::SecurityGroup, name)?;
        self.vpc(vpc_id)?;
        self.security_groups.insert(
            name.to_owned(),
            SecurityInfo {
                iid: Iid::new(name, name),
                vpc_iid: Iid::new(vpc_id, vpc_id),
                ..SecurityInfo::default()
            },
        );
        self.add_rules(name, rules)
    }

    pub(super) fn security_group(&self, id: &str) -> DriverResult<&SecurityInfo> {
        find(&self.security_groups, ResourceKind::SecurityGroup, id)
    }

    pub(super) fn delete_security_group(&mut self, id: &str) -> DriverResult<()> {
        self.security_group(id)?;
        self.refuse_if_a_vm_uses(ResourceKind::SecurityGroup, id, |vm| {
            vm.security_group_iids
                .iter()
                .any(|group| group.system_id == id)
        })?;
        remove(&mut self.security_groups, ResourceKind::SecurityGroup, id).map(drop)
    }

    /// Adds rules; one the group already has (or that the request repeats) is refused.
    pub(super) fn add_rules(
        &mut self,
        id: &str,
        rules: &[SecurityRuleInfo],
    ) -> DriverResult<SecurityInfo> {
        let group = find_mut(&mut self.security_groups, ResourceKind::SecurityGroup, id)?;
        for rule in rules {
            if group.security_rules.contains(rule) {
                return Err(conflict(format!(
                    "security group '{id}' already has the rule {}",
                    describe(rule)
                )));
            }
            group.security_rules.push(rule.clone());
        }
        Ok(group.clone())
    }

    /// Removes rules; one the group does not have is refused.
    pub(super) fn remove_rules(
        &mut self,
        id: &str,
        rules: &[SecurityRuleInfo],
    ) -> DriverResult<()> {
        let group = find_mut(&mut self.security_groups, ResourceKind::SecurityGroup, id)?;
        for rule in rules {
            let position = group
                .security_rules
                .iter()
                .position(|existing| existing == rule)
                .ok_or_else(|| {
                    DriverError::not_found(format!(
                        "security group '{id}' has no rule {}",
                        describe(rule)
                    ))
                })?;
            group.security_rules.remove(position);
        }
        Ok(())
    }

    /// Creates a key pair with a freshly generated key; the answer is the only place the
    /// private key ever appears.
    pub(super) fn create_key_pair(&mut self, name: &str) -> DriverResult<KeyPairInfo> {
        ensure_absent(&self.key_pairs, ResourceKind::KeyPair, name)?;
        let key = generate(name)?;
        self.key_pairs.insert(
            name.to_owned(),
            StoredKeyPair {
                public_key: key.public_key,
                fingerprint: key.fingerprint,
            },
        );
        Ok(KeyPairInfo {
            private_key: key.private_key,
            ..self.key_pair(name)?
        })
    }

    /// A stored key pair, without private key.
    pub(super) fn key_pair(&self, id: &str) -> DriverResult<KeyPairInfo> {
        find(&self.key_pairs, ResourceKind::KeyPair, id).map(|stored| key_pair_info(id, stored))
    }

    pub(super) fn key_pairs(&self) -> Vec<KeyPairInfo> {
        self.key_pairs
            .iter()
            .map(|(id, stored)| key_pair_info(id, stored))
            .collect()
    }

    /// Deletes a key pair; VMs started with it keep running, as on AWS.
    pub(super) fn delete_key_pair(&mut self, id: &str) -> DriverResult<()> {
        remove(&mut self.key_pairs, ResourceKind::KeyPair, id).map(drop)
    }

    /// The IIds of every resource of `kind` in the account.
    pub(super) fn ids(&self, kind: ResourceKind) -> Vec<Iid> {
        match kind {
            ResourceKind::Vpc => self.vpcs.values().map(|vpc| vpc.iid.clone()).collect(),
            ResourceKind::Subnet => self
                .vpcs
                .values()
                .flat_map(|vpc| &vpc.subnet_info_list)
                .map(|subnet| subnet.iid.clone())
                .collect(),
            ResourceKind::SecurityGroup => self
                .security_groups
                .values()
                .map(|group| group.iid.clone())
                .collect(),
            ResourceKind::KeyPair => self.key_pairs.keys().map(|id| Iid::new(id, id)).collect(),
            ResourceKind::Vm => self.vms.keys().map(|id| Iid::new(id, id)).collect(),
        }
    }

    /// Refuses to delete a resource that a VM (terminating ones included) still uses.
    fn refuse_if_a_vm_uses(
        &self,
        kind: ResourceKind,
        id: &str,
        uses: impl Fn(&VMInfo) -> bool,
    ) -> DriverResult<()> {
        match self.vms.iter().find(|(_, vm)| uses(vm.info())) {
            Some((vm_id, _)) => Err(conflict(format!("{kind} '{id}' is in use by VM '{vm_id}'"))),
            None => Ok(()),
        }
    }
}

fn key_pair_info(id: &str, stored: &StoredKeyPair) -> KeyPairInfo {
    KeyPairInfo {
        iid: Iid::new(id, id),
        fingerprint: stored.fingerprint.clone(),
        public_key: stored.public_key.clone(),
        vm_user_id: VM_USER.to_owned(),
        ..KeyPairInfo::default()
    }
}
