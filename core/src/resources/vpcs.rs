//! VPCs and their subnets.

use ipnet::Ipv4Net;
use spinneret_drivers::contract::{Connection, SubnetRequest, VpcRequest};
use spinneret_drivers::model::{ResourceKind, SubnetInfo, SubnetReqInfo, VPCInfo, VPCReqInfo};

use super::store::{NewRecord, Record, ResourceState};
use super::{deleted_at_cloud, network};
use crate::Core;
use crate::error::{Error, Result};
use crate::registry::validate;

/// A subnet request, checked.
struct CheckedSubnet {
    name: String,
    zone: String,
    cidr: Ipv4Net,
}

fn check_subnet(
    field: &str,
    subnet: &SubnetReqInfo,
    vpc: Ipv4Net,
    siblings: &[(String, Ipv4Net)],
) -> Result<CheckedSubnet> {
    let name = validate::name(&format!("{field}.Name"), &subnet.name)?;
    if siblings.iter().any(|(other, _)| *other == name) {
        return Err(Error::conflict(format!(
            "{field}.Name: subnet '{name}' already exists in this VPC"
        )));
    }
    let cidr_field = format!("{field}.IPv4_CIDR");
    let cidr = network::cidr(&cidr_field, &subnet.ipv4_cidr)?;
    network::subnet_fits(&cidr_field, &name, cidr, vpc, siblings)?;
    Ok(CheckedSubnet {
        name,
        zone: subnet.zone.trim().to_owned(),
        cidr,
    })
}

fn subnet_request(subnet: &CheckedSubnet, cloud_name: &str) -> SubnetRequest {
    SubnetRequest {
        name: cloud_name.to_owned(),
        zone: subnet.zone.clone(),
        ipv4_cidr: subnet.cidr.to_string(),
    }
}

fn subnet_record(vpc: &str, subnet: &CheckedSubnet) -> NewRecord {
    NewRecord::creating(ResourceKind::Subnet, vpc, &subnet.name)
}

/// The stored VPC's subnets as (name, CIDR) pairs, for the overlap checks.
fn subnet_cidrs(vpc: &VPCInfo) -> Vec<(String, Ipv4Net)> {
    vpc.subnet_info_list
        .iter()
        .filter_map(|subnet| {
            let cidr = subnet.ipv4_cidr.parse().ok()?;
            Some((subnet.iid.name_id.clone(), cidr))
        })
        .collect()
}

impl Core {
    pub async fn create_vpc(&self, connection: &str, request: VPCReqInfo) -> Result<VPCInfo> {
        let name = validate::name("ReqInfo.Name", &request.name)?;
        let vpc_cidr = network::cidr("ReqInfo.IPv4_CIDR", &request.ipv4_cidr)?;
        let mut subnets: Vec<CheckedSubnet> = Vec::new();
        for (index, subnet) in request.subnet_info_list.iter().enumerate() {
            let siblings: Vec<(String, Ipv4Net)> = subnets
                .iter()
                .map(|checked| (checked.name.clone(), checked.cidr))
                .collect();
            let field = format!("ReqInfo.SubnetInfoList[{index}]");
            subnets.push(check_subnet(&field, subnet, vpc_cidr, &siblings)?);
        }
        let cloud = self.connect_to_add(connection).await?;

        let mut records = vec![NewRecord::creating(ResourceKind::Vpc, "", &name)];
        records.extend(subnets.iter().map(|subnet| subnet_record(&name, subnet)));
        let reserved = self.store().reserve(connection, records, &[]).await?;
        let request = VpcRequest {
            name: reserved[0].cloud_name.clone(),
            ipv4_cidr: vpc_cidr.to_string(),
            subnets: subnets
                .iter()
                .zip(&reserved[1..])
                .map(|(subnet, record)| subnet_request(subnet, &record.cloud_name))
                .collect(),
        };
        let core = self.clone();
        self.in_worker(reserved[0].id, async move {
            match cloud.create_vpc(&request).await {
                Ok(created) => core.created_vpc(cloud.as_ref(), &reserved, created).await,
                Err(err) => {
                    // The driver leaves nothing behind when its create fails.
                    core.forget(&reserved[0]).await?;
                    Err(err.into())
                }
            }
        })
        .await
    }

    /// Stores a VPC the cloud made for the reserved rows (the VPC's, then its subnets'). If a
    /// forced delete cancelled the create meanwhile, the VPC is deleted at the cloud instead.
    pub(super) async fn created_vpc(
        &self,
        cloud: &dyn Connection,
        reserved: &[Record],
        created: VPCInfo,
    ) -> Result<VPCInfo> {
        let record = &reserved[0];
        self.store_subnets(&reserved[1..], &created).await?;
        let mut vpc = self.names(&record.connection).await?.vpc(created);
        // The row learns its cloud id only now, so the names above could not map it.
        vpc.iid.name_id.clone_from(&record.name);
        self.finish_create(cloud, record, &vpc.iid.system_id, &vpc)
            .await?;
        Ok(vpc)
    }

    /// Marks each reserved subnet ready with the cloud's id, matched by its cloud-side name.
    pub(super) async fn store_subnets(&self, reserved: &[Record], vpc: &VPCInfo) -> Result<()> {
        for record in reserved {
            if let Some(subnet) = vpc
                .subnet_info_list
                .iter()
                .find(|subnet| subnet.iid.name_id == record.cloud_name)
            {
                let mut subnet = subnet.clone();
                subnet.iid.name_id.clone_from(&record.name);
                self.store()
                    .finish(
                        record.id,
                        ResourceState::Creating,
                        ResourceState::Ready,
                        &subnet.iid.system_id,
                        &subnet,
                        None,
                    )
                    .await?;
            }
        }
        Ok(())
    }

    /// Stores the cloud's answer for a ready VPC and returns it with the user's names.
    async fn store_vpc(&self, record: &Record, vpc: VPCInfo) -> Result<VPCInfo> {
        let vpc = self.names(&record.connection).await?.vpc(vpc);
        self.store()
            .progress(record.id, &vpc.iid.system_id, &vpc)
            .await?;
        Ok(vpc)
    }

    pub async fn list_vpcs(&self, connection: &str) -> Result<Vec<VPCInfo>> {
        let cloud = self.connect(connection).await?;
        let listed = cloud.list_vpcs().await?;
        self.list_managed(connection, listed).await
    }

    pub async fn get_vpc(&self, connection: &str, name: &str) -> Result<VPCInfo> {
        let cloud = self.connect(connection).await?;
        let (record, names) = self
            .find_with_names(connection, ResourceKind::Vpc, name)
            .await?;
        if record.state != ResourceState::Ready {
            return Ok(record.info());
        }
        let vpc = cloud.get_vpc(&record.system_id).await?;
        Ok(names.vpc(vpc))
    }

    async fn find_vpc(&self, connection: &str, name: &str) -> Result<Record> {
        self.store()
            .find(connection, ResourceKind::Vpc, "", name)
            .await
    }

    /// Deletes a VPC and its subnets: 409 while security groups or VMs use it, or while it
    /// is being created, unless `force`.
    pub async fn delete_vpc(&self, connection: &str, name: &str, force: bool) -> Result<()> {
        let cloud = self.connect(connection).await?;
        let record = self.find_vpc(connection, name).await?;
        // Its own users first, then its subnets': the message names the VPC's.
        self.refuse_if_used(&record, force).await?;
        for subnet in self
            .store()
            .list(connection, Some(ResourceKind::Subnet))
            .await?
        {
            if subnet.parent == name {
                self.refuse_if_used(&subnet, force).await?;
            }
        }
        self.delete_managed(cloud, record, force).await
    }

    /// Adds a subnet inside the VPC's CIDR, overlapping none of its subnets.
    pub async fn add_subnet(
        &self,
        connection: &str,
        vpc_name: &str,
        request: SubnetReqInfo,
    ) -> Result<VPCInfo> {
        let cloud = self.connect_to_add(connection).await?;
        let vpc = self.find_vpc(connection, vpc_name).await?;
        let stored: VPCInfo = vpc.info();
        let vpc_cidr = network::cidr("IPv4_CIDR", &stored.ipv4_cidr)?;
        let subnet = check_subnet("ReqInfo", &request, vpc_cidr, &subnet_cidrs(&stored))?;
        let reserved = self
            .store()
            .reserve(connection, vec![subnet_record(vpc_name, &subnet)], &[])
            .await?;
        let request = subnet_request(&subnet, &reserved[0].cloud_name);
        let core = self.clone();
        self.in_worker(reserved[0].id, async move {
            match cloud.add_subnet(&vpc.system_id, &request).await {
                Ok(updated) => {
                    core.store_subnets(&reserved, &updated).await?;
                    core.store_vpc(&vpc, updated).await
                }
                Err(err) => {
                    core.store().remove(reserved[0].id).await?;
                    Err(err.into())
                }
            }
        })
        .await
    }

    pub async fn get_subnet(
        &self,
        connection: &str,
        vpc_name: &str,
        name: &str,
    ) -> Result<SubnetInfo> {
        let record = self
            .store()
            .find(connection, ResourceKind::Subnet, vpc_name, name)
            .await?;
        let vpc = self.get_vpc(connection, vpc_name).await?;
        Ok(vpc
            .subnet_info_list
            .into_iter()
            .find(|subnet| subnet.iid.system_id == record.system_id)
            .unwrap_or_else(|| record.info()))
    }

    /// Removes a subnet: 409 while VMs use it, unless `force`.
    pub async fn remove_subnet(
        &self,
        connection: &str,
        vpc_name: &str,
        name: &str,
        force: bool,
    ) -> Result<()> {
        let cloud = self.connect(connection).await?;
        let vpc = self.find_vpc(connection, vpc_name).await?;
        let record = self
            .store()
            .find(connection, ResourceKind::Subnet, vpc_name, name)
            .await?;
        if record.state != ResourceState::Ready {
            return Err(Error::conflict(format!(
                "subnet '{name}' is {}; try again once it is Ready",
                record.state.as_str()
            )));
        }
        self.refuse_if_used(&record, force).await?;
        self.begin_delete(&record).await?;
        let core = self.clone();
        self.in_worker(record.id, async move {
            let removed = core
                .remove_subnet_at_cloud(cloud.as_ref(), &vpc, &record, force)
                .await;
            if removed.is_err() {
                core.abandon_delete(&record).await;
            }
            removed
        })
        .await
    }

    /// Removes a subnet at the cloud (one already gone is fine) and forgets it, in its own row
    /// and in its VPC's.
    pub(super) async fn remove_subnet_at_cloud(
        &self,
        cloud: &dyn Connection,
        vpc: &Record,
        subnet: &Record,
        force: bool,
    ) -> Result<()> {
        deleted_at_cloud(
            cloud.remove_subnet(&vpc.system_id, &subnet.system_id).await,
            force,
        )?;
        self.store().remove(subnet.id).await?;
        // Read afresh: other subnets may have come or gone meanwhile.
        let vpc = self.find_vpc(&vpc.connection, &vpc.name).await?;
        let mut stored: VPCInfo = vpc.info();
        stored
            .subnet_info_list
            .retain(|listed| listed.iid.system_id != subnet.system_id);
        self.store().progress(vpc.id, &vpc.system_id, &stored).await
    }
}
