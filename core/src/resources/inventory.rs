//! What exists at the cloud, whoever made it: adopting a cloud resource under a name (`reg*`),
//! forgetting it (`unreg*`), comparing both sides (`all*`), deleting by cloud id (`csp*`) and
//! counting (`count*`).

use spinneret_drivers::contract::Connection;
use spinneret_drivers::model::{
    AllResourceList, Iid, KeyPairInfo, RegisterReqInfo, ResourceKind, SecurityInfo, VMInfo,
    VMStatus, VPCInfo,
};

use super::store::{NewRecord, Record, ResourceState};
use crate::Core;
use crate::error::{Error, Result};
use crate::registry::validate;

/// A connection's resources by kind, for the dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResourceCounts {
    pub vpcs: u64,
    pub security_groups: u64,
    pub key_pairs: u64,
    /// Each VM status that occurs, with its count.
    pub vms_by_status: Vec<(VMStatus, u64)>,
}

/// A resource to adopt: its kind, names, and the resources it uses.
struct Adopted {
    kind: ResourceKind,
    parent: String,
    name: String,
    iid: Iid,
    uses: Vec<i64>,
}

impl Core {
    /// Reserves a Ready row for a resource that already exists at the cloud.
    async fn adopt(
        &self,
        connection: &str,
        adopted: Adopted,
        info: &impl serde::Serialize,
    ) -> Result<Record> {
        let new = NewRecord {
            kind: adopted.kind,
            parent: adopted.parent,
            name: adopted.name,
            cloud_name: adopted.iid.name_id,
            system_id: adopted.iid.system_id,
            state: ResourceState::Ready,
            info: "{}".to_owned(),
        };
        let record = self
            .store()
            .reserve(connection, vec![new], &adopted.uses)
            .await?
            .remove(0);
        self.store()
            .progress(record.id, &record.system_id, info)
            .await?;
        Ok(record)
    }

    fn register_request(request: &RegisterReqInfo) -> Result<(String, String)> {
        let name = validate::name("ReqInfo.Name", &request.name)?;
        let csp_id = request.csp_id.trim();
        if csp_id.is_empty() {
            return Err(Error::invalid("ReqInfo.CSPId is required"));
        }
        Ok((name, csp_id.to_owned()))
    }

    /// Adopts a cloud VPC and its subnets (named as the cloud names them).
    pub async fn register_vpc(
        &self,
        connection: &str,
        request: RegisterReqInfo,
    ) -> Result<VPCInfo> {
        let (name, csp_id) = Self::register_request(&request)?;
        let cloud = self.connect_to_add(connection).await?;
        let mut vpc = cloud.get_vpc(&csp_id).await?;
        let adopted = Adopted {
            kind: ResourceKind::Vpc,
            parent: String::new(),
            name: name.clone(),
            iid: vpc.iid.clone(),
            uses: Vec::new(),
        };
        vpc.iid.name_id.clone_from(&name);
        self.adopt(connection, adopted, &vpc).await?;
        for subnet in &vpc.subnet_info_list {
            let adopted = Adopted {
                kind: ResourceKind::Subnet,
                parent: name.clone(),
                name: subnet.iid.name_id.clone(),
                iid: subnet.iid.clone(),
                uses: Vec::new(),
            };
            self.adopt(connection, adopted, subnet).await?;
        }
        Ok(vpc)
    }

    pub async fn register_security_group(
        &self,
        connection: &str,
        request: RegisterReqInfo,
    ) -> Result<SecurityInfo> {
        let (name, csp_id) = Self::register_request(&request)?;
        let vpc_name = validate::name("ReqInfo.VPCName", &request.vpc_name)?;
        let cloud = self.connect_to_add(connection).await?;
        let vpc = self
            .usable(connection, ResourceKind::Vpc, &vpc_name)
            .await?;
        let mut group = cloud.get_security_group(&csp_id).await?;
        let adopted = Adopted {
            kind: ResourceKind::SecurityGroup,
            parent: String::new(),
            name: name.clone(),
            iid: group.iid.clone(),
            uses: vec![vpc.id],
        };
        group.iid.name_id = name;
        group.vpc_iid = Iid::new(vpc.name, vpc.system_id);
        self.adopt(connection, adopted, &group).await?;
        Ok(group)
    }

    pub async fn register_key_pair(
        &self,
        connection: &str,
        request: RegisterReqInfo,
    ) -> Result<KeyPairInfo> {
        let (name, csp_id) = Self::register_request(&request)?;
        let cloud = self.connect_to_add(connection).await?;
        let mut key_pair = cloud.get_key_pair(&csp_id).await?.with_keys_hidden();
        let adopted = Adopted {
            kind: ResourceKind::KeyPair,
            parent: String::new(),
            name: name.clone(),
            iid: key_pair.iid.clone(),
            uses: Vec::new(),
        };
        key_pair.iid.name_id = name;
        self.adopt(connection, adopted, &key_pair).await?;
        Ok(key_pair)
    }

    /// Adopts a cloud VM; it uses whichever of its VPC, subnet, groups and key pair Spinneret
    /// knows.
    pub async fn register_vm(&self, connection: &str, request: RegisterReqInfo) -> Result<VMInfo> {
        let (name, csp_id) = Self::register_request(&request)?;
        let cloud = self.connect_to_add(connection).await?;
        let vm = cloud.get_vm(&csp_id).await?;
        let records = self.store().list(connection, None).await?;
        let mut used: Vec<(ResourceKind, &str)> = vec![
            (ResourceKind::Vpc, vm.vpc_iid.system_id.as_str()),
            (ResourceKind::Subnet, vm.subnet_iid.system_id.as_str()),
            (ResourceKind::KeyPair, vm.key_pair_iid.system_id.as_str()),
        ];
        used.extend(
            vm.security_group_iids
                .iter()
                .map(|group| (ResourceKind::SecurityGroup, group.system_id.as_str())),
        );
        let uses = records
            .iter()
            .filter(|record| {
                used.iter()
                    .any(|(kind, id)| record.kind == *kind && record.system_id == *id)
            })
            .map(|record| record.id)
            .collect();
        let adopted = Adopted {
            kind: ResourceKind::Vm,
            parent: String::new(),
            name: name.clone(),
            iid: vm.iid.clone(),
            uses,
        };
        let mut vm = super::names::Names::new(&records).vm(vm);
        vm.iid.name_id = name;
        self.adopt(connection, adopted, &vm).await?;
        Ok(vm)
    }

    /// Forgets a name; the cloud keeps the resource. Refused while other resources use it.
    pub async fn unregister(&self, connection: &str, kind: ResourceKind, name: &str) -> Result<()> {
        let record = self.store().find(connection, kind, "", name).await?;
        if record.state != ResourceState::Ready && record.state != ResourceState::Failed {
            return Err(Error::conflict(format!(
                "{kind} '{name}' is {}; unregister it once that is done",
                record.state.as_str()
            )));
        }
        self.refuse_if_used(&record, false).await?;
        self.forget(&record).await
    }

    /// Which resources of `kind` both sides know, and which only one side knows.
    pub async fn all_resources(
        &self,
        connection: &str,
        kind: ResourceKind,
    ) -> Result<AllResourceList> {
        let cloud = self.connect(connection).await?;
        let records = self.store().list(connection, Some(kind)).await?;
        let mut at_cloud = cloud.list_ids(kind).await?;
        let mut all = AllResourceList::default();
        for record in records {
            let iid = Iid::new(record.name, record.system_id);
            match at_cloud
                .iter()
                .position(|cloud_iid| cloud_iid.system_id == iid.system_id)
            {
                Some(index) => {
                    at_cloud.swap_remove(index);
                    all.mapped_list.push(iid);
                }
                None => all.only_spider_list.push(iid),
            }
        }
        all.only_csp_list = at_cloud;
        Ok(all)
    }

    /// Deletes a resource at the cloud by its own id, and forgets any name mapped to it.
    pub async fn delete_at_cloud(
        &self,
        connection: &str,
        kind: ResourceKind,
        id: &str,
    ) -> Result<()> {
        let cloud = self.connect(connection).await?;
        delete_by_id(cloud.as_ref(), kind, id).await?;
        let records = self.store().list(connection, Some(kind)).await?;
        for record in records.into_iter().filter(|record| record.system_id == id) {
            if kind == ResourceKind::Vpc {
                self.store()
                    .remove_subnets(connection, &record.name)
                    .await?;
            }
            self.store().remove(record.id).await?;
        }
        Ok(())
    }

    /// How many resources of `kind` Spinneret manages, in one connection or in all.
    pub async fn count_resources(
        &self,
        kind: ResourceKind,
        connection: Option<&str>,
    ) -> Result<u64> {
        if let Some(connection) = connection {
            self.registry().get_connection(connection).await?;
        }
        self.store().count(kind, connection).await
    }

    /// The dashboard's numbers for one connection: a count per kind, and VMs by status. The
    /// counts are read while the cloud lists the VMs' statuses, and a cloud that does not
    /// answer within `COUNTS_LIMIT` is a timeout rather than a dashboard that hangs.
    pub async fn resource_counts(&self, connection: &str) -> Result<ResourceCounts> {
        const COUNTS_LIMIT: std::time::Duration = std::time::Duration::from_secs(5);
        let statuses = async {
            tokio::time::timeout(COUNTS_LIMIT, self.list_vm_status(connection))
                .await
                .map_err(|_| {
                    Error::new(
                        crate::ErrorKind::Timeout,
                        format!(
                            "the cloud of connection '{connection}' did not list its VMs within {} s",
                            COUNTS_LIMIT.as_secs()
                        ),
                    )
                })?
        };
        let (statuses, by_kind) =
            tokio::try_join!(statuses, self.store().count_by_kind(connection))?;
        let mut vms_by_status: Vec<(VMStatus, u64)> = Vec::new();
        for (_, status) in statuses {
            match vms_by_status.iter_mut().find(|(seen, _)| *seen == status) {
                Some((_, count)) => *count += 1,
                None => vms_by_status.push((status, 1)),
            }
        }
        let count = |wanted| {
            by_kind
                .iter()
                .find(|(kind, _)| *kind == wanted)
                .map_or(0, |(_, count)| *count)
        };
        Ok(ResourceCounts {
            vpcs: count(ResourceKind::Vpc),
            security_groups: count(ResourceKind::SecurityGroup),
            key_pairs: count(ResourceKind::KeyPair),
            vms_by_status,
        })
    }
}

async fn delete_by_id(cloud: &dyn Connection, kind: ResourceKind, id: &str) -> Result<()> {
    if kind == ResourceKind::Subnet {
        return Err(Error::invalid("subnets are deleted through their VPC"));
    }
    Ok(super::delete_at_cloud(cloud, kind, id).await?)
}
