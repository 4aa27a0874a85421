//! Virtual networks and their subnets. A VNet's first subnets go in its own PUT, so creating a
//! VPC is one ARM operation; subnets added later are PUTs of their own.

use async_trait::async_trait;
use azure_core::StatusCode;
use azure_mgmt_network::models::{Subnet, VirtualNetwork};
use serde_json::json;

use super::arm::{Scope, model};
use super::{AzureConnection, name_of};
use crate::contract::{DriverError, DriverResult, SubnetRequest, VpcHandler, VpcRequest};
use crate::model::{Iid, KeyValue, SubnetInfo, VPCInfo};

fn subnet_body(subnet: &SubnetRequest) -> serde_json::Value {
    json!({ "name": subnet.name, "properties": { "addressPrefix": subnet.ipv4_cidr } })
}

/// A 204 DELETE: ARM had nothing by that name.
pub(super) fn gone_already(status: StatusCode, what: &str, name: &str) -> DriverResult<()> {
    if status == StatusCode::NoContent {
        return Err(DriverError::not_found(format!(
            "{what} '{name}' does not exist"
        )));
    }
    Ok(())
}

impl AzureConnection {
    pub(super) async fn list_vpcs_raw(&self) -> DriverResult<Vec<VirtualNetwork>> {
        let (group, subscription) = self.group_and_subscription();
        let pages = self
            .arm
            .network
            .virtual_networks_client()
            .list(group, subscription)
            .into_stream();
        self.arm
            .all("VirtualNetworks_List", pages, |page| page.value)
            .await
    }

    fn vpc_info(&self, vnet: VirtualNetwork) -> VPCInfo {
        let name = vnet.resource.name.unwrap_or_default();
        let properties = vnet.properties.unwrap_or_default();
        VPCInfo {
            iid: Iid::new(&name, &name),
            ipv4_cidr: properties
                .address_space
                .and_then(|space| space.address_prefixes.into_iter().next())
                .unwrap_or_default(),
            subnet_info_list: properties
                .subnets
                .into_iter()
                .map(|subnet| self.subnet_info(subnet))
                .collect(),
            key_value_list: vnet
                .resource
                .id
                .map(|id| vec![KeyValue::new("ResourceId", id)])
                .unwrap_or_default(),
            ..VPCInfo::default()
        }
    }

    fn subnet_info(&self, subnet: Subnet) -> SubnetInfo {
        let id = subnet.sub_resource.id.unwrap_or_default();
        let name = subnet.name.unwrap_or_else(|| name_of(&id).to_owned());
        let properties = subnet.properties.unwrap_or_default();
        SubnetInfo {
            iid: Iid::new(&name, &name),
            zone: self.zone.clone(),
            ipv4_cidr: properties
                .address_prefix
                .or_else(|| properties.address_prefixes.into_iter().next())
                .unwrap_or_default(),
            key_value_list: vec![KeyValue::new("ResourceId", id)],
            ..SubnetInfo::default()
        }
    }
}

#[async_trait]
impl VpcHandler for AzureConnection {
    async fn create_vpc(&self, request: &VpcRequest) -> DriverResult<VPCInfo> {
        self.ensure_group().await?;
        let Scope {
            subscription,
            group,
            location,
        } = self.scope();
        const API: &str = "VirtualNetworks_CreateOrUpdate";
        let body: VirtualNetwork = model(
            API,
            json!({
                "location": location,
                "properties": {
                    "addressSpace": { "addressPrefixes": [request.ipv4_cidr] },
                    "subnets": request.subnets.iter().map(subnet_body).collect::<Vec<_>>(),
                },
            }),
        )?;
        let client = self.arm.network.virtual_networks_client();
        self.arm
            .finish(
                API,
                client
                    .create_or_update(group, &request.name, body, subscription)
                    .send(),
            )
            .await?;
        self.get_vpc(&request.name).await
    }

    async fn list_vpcs(&self) -> DriverResult<Vec<VPCInfo>> {
        Ok(self
            .list_vpcs_raw()
            .await?
            .into_iter()
            .map(|vnet| self.vpc_info(vnet))
            .collect())
    }

    async fn get_vpc(&self, id: &str) -> DriverResult<VPCInfo> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.virtual_networks_client();
        let vnet: VirtualNetwork = self
            .arm
            .read(
                "VirtualNetworks_Get",
                client.get(group, id, subscription).send(),
            )
            .await?;
        Ok(self.vpc_info(vnet))
    }

    async fn delete_vpc(&self, id: &str) -> DriverResult<()> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.virtual_networks_client();
        let status = self
            .arm
            .finish(
                "VirtualNetworks_Delete",
                client.delete(group, id, subscription).send(),
            )
            .await?;
        gone_already(status, "virtual network", id)
    }

    async fn add_subnet(&self, vpc_id: &str, subnet: &SubnetRequest) -> DriverResult<VPCInfo> {
        let (group, subscription) = self.group_and_subscription();
        const API: &str = "Subnets_CreateOrUpdate";
        let body: Subnet = model(API, subnet_body(subnet))?;
        let client = self.arm.network.subnets_client();
        self.arm
            .finish(
                API,
                client
                    .create_or_update(group, vpc_id, &subnet.name, body, subscription)
                    .send(),
            )
            .await?;
        self.get_vpc(vpc_id).await
    }

    async fn remove_subnet(&self, vpc_id: &str, subnet_id: &str) -> DriverResult<()> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.subnets_client();
        let status = self
            .arm
            .finish(
                "Subnets_Delete",
                client.delete(group, vpc_id, subnet_id, subscription).send(),
            )
            .await?;
        gone_already(status, "subnet", subnet_id)
    }
}
