//! VPCs and subnets. A subnet goes to the region's zone unless it names its own.

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, ResourceType, Subnet, Vpc};

use super::error::{driver_error, missing};
use super::mapping::name_tag;
use super::{AwsConnection, name_tags};
use crate::contract::{DriverError, DriverResult, SubnetRequest, VpcHandler, VpcRequest};
use crate::model::{Iid, SubnetInfo, VPCInfo};

fn subnet_info(subnet: &Subnet) -> SubnetInfo {
    SubnetInfo {
        iid: Iid::new(
            name_tag(subnet.tags()),
            subnet.subnet_id().unwrap_or_default(),
        ),
        zone: subnet.availability_zone().unwrap_or_default().to_owned(),
        ipv4_cidr: subnet.cidr_block().unwrap_or_default().to_owned(),
        ..SubnetInfo::default()
    }
}

fn vpc_info(vpc: &Vpc) -> VPCInfo {
    VPCInfo {
        iid: Iid::new(name_tag(vpc.tags()), vpc.vpc_id().unwrap_or_default()),
        ipv4_cidr: vpc.cidr_block().unwrap_or_default().to_owned(),
        ..VPCInfo::default()
    }
}

impl AwsConnection {
    /// The VPCs (one when `id` is given), without their subnets.
    pub(super) async fn describe_vpcs(&self, id: Option<&str>) -> DriverResult<Vec<VPCInfo>> {
        let answer = self
            .client
            .describe_vpcs()
            .set_vpc_ids(id.map(|id| vec![id.to_owned()]))
            .send()
            .await
            .map_err(|err| driver_error("DescribeVpcs", err))?;
        Ok(answer.vpcs().iter().map(vpc_info).collect())
    }

    /// Subnets with their VPC id (of one VPC when `vpc_id` is given).
    pub(super) async fn describe_subnets(
        &self,
        vpc_id: Option<&str>,
    ) -> DriverResult<Vec<(String, SubnetInfo)>> {
        let filter = vpc_id.map(|id| vec![Filter::builder().name("vpc-id").values(id).build()]);
        let answer = self
            .client
            .describe_subnets()
            .set_filters(filter)
            .send()
            .await
            .map_err(|err| driver_error("DescribeSubnets", err))?;
        Ok(answer
            .subnets()
            .iter()
            .map(|subnet| {
                (
                    subnet.vpc_id().unwrap_or_default().to_owned(),
                    subnet_info(subnet),
                )
            })
            .collect())
    }

    async fn create_subnet(
        &self,
        vpc_id: &str,
        subnet: &SubnetRequest,
    ) -> DriverResult<SubnetInfo> {
        let zone = Some(subnet.zone.as_str())
            .filter(|zone| !zone.is_empty())
            .or(Some(self.zone.as_str()).filter(|zone| !zone.is_empty()));
        let answer = self
            .client
            .create_subnet()
            .vpc_id(vpc_id)
            .cidr_block(&subnet.ipv4_cidr)
            .set_availability_zone(zone.map(str::to_owned))
            .tag_specifications(name_tags(ResourceType::Subnet, &subnet.name))
            .send()
            .await
            .map_err(|err| driver_error("CreateSubnet", err))?;
        let created = answer
            .subnet()
            .ok_or_else(|| missing("CreateSubnet", "subnet"))?;
        let mut info = subnet_info(created);
        info.iid.name_id.clone_from(&subnet.name);
        Ok(info)
    }

    async fn delete_subnet(&self, subnet_id: &str) -> DriverResult<()> {
        self.client
            .delete_subnet()
            .subnet_id(subnet_id)
            .send()
            .await
            .map_err(|err| driver_error("DeleteSubnet", err))?;
        Ok(())
    }

    /// Removes what a failed create made; the create's error is what the caller sees.
    async fn undo_vpc(&self, vpc_id: &str, subnets: &[SubnetInfo]) {
        for subnet in subnets {
            if let Err(err) = self.delete_subnet(&subnet.iid.system_id).await {
                tracing::warn!(error = %err, "could not remove a subnet of a failed VPC create");
            }
        }
        if let Err(err) = self.client.delete_vpc().vpc_id(vpc_id).send().await {
            tracing::warn!(error = %driver_error("DeleteVpc", err), "could not remove a failed VPC");
        }
    }
}

#[async_trait]
impl VpcHandler for AwsConnection {
    async fn create_vpc(&self, request: &VpcRequest) -> DriverResult<VPCInfo> {
        let answer = self
            .client
            .create_vpc()
            .cidr_block(&request.ipv4_cidr)
            .tag_specifications(name_tags(ResourceType::Vpc, &request.name))
            .send()
            .await
            .map_err(|err| driver_error("CreateVpc", err))?;
        let vpc = answer.vpc().ok_or_else(|| missing("CreateVpc", "VPC"))?;
        let mut info = vpc_info(vpc);
        info.iid.name_id.clone_from(&request.name);
        for subnet in &request.subnets {
            match self.create_subnet(&info.iid.system_id, subnet).await {
                Ok(created) => info.subnet_info_list.push(created),
                Err(err) => {
                    self.undo_vpc(&info.iid.system_id, &info.subnet_info_list)
                        .await;
                    return Err(err);
                }
            }
        }
        Ok(info)
    }

    async fn list_vpcs(&self) -> DriverResult<Vec<VPCInfo>> {
        let mut vpcs = self.describe_vpcs(None).await?;
        for (vpc_id, subnet) in self.describe_subnets(None).await? {
            if let Some(vpc) = vpcs.iter_mut().find(|vpc| vpc.iid.system_id == vpc_id) {
                vpc.subnet_info_list.push(subnet);
            }
        }
        Ok(vpcs)
    }

    async fn get_vpc(&self, id: &str) -> DriverResult<VPCInfo> {
        let mut vpc = self.describe_vpcs(Some(id)).await?.pop().ok_or_else(|| {
            DriverError::not_found(format!("DescribeVpcs: VPC '{id}' does not exist"))
        })?;
        vpc.subnet_info_list = self
            .describe_subnets(Some(id))
            .await?
            .into_iter()
            .map(|(_, subnet)| subnet)
            .collect();
        Ok(vpc)
    }

    /// EC2 refuses to delete a VPC that still has subnets, so they go first.
    async fn delete_vpc(&self, id: &str) -> DriverResult<()> {
        for (_, subnet) in self.describe_subnets(Some(id)).await? {
            self.delete_subnet(&subnet.iid.system_id).await?;
        }
        self.client
            .delete_vpc()
            .vpc_id(id)
            .send()
            .await
            .map_err(|err| driver_error("DeleteVpc", err))?;
        Ok(())
    }

    async fn add_subnet(&self, vpc_id: &str, subnet: &SubnetRequest) -> DriverResult<VPCInfo> {
        self.create_subnet(vpc_id, subnet).await?;
        self.get_vpc(vpc_id).await
    }

    async fn remove_subnet(&self, _vpc_id: &str, subnet_id: &str) -> DriverResult<()> {
        self.delete_subnet(subnet_id).await
    }
}
