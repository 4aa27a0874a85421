//! The AWS driver on `aws-sdk-ec2`. The EC2 client is built from the connection's own
//! credential and region (no profile files, no STS); the region key `Endpoint` points it at an
//! emulator such as moto_server or at a private endpoint. Every EC2 operation reaches the call
//! history through one SDK interceptor ([`recorder`]).

#[cfg(test)]
mod canned;
mod catalog;
mod error;
mod keys;
mod mapping;
#[cfg(any(test, feature = "conformance"))]
pub mod moto;
mod network;
mod recorder;
mod security;
#[cfg(test)]
mod tests;
mod vms;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::Client;
use aws_sdk_ec2::config::retry::RetryConfig;
use aws_sdk_ec2::config::timeout::TimeoutConfig;
use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::{ResourceType, Tag, TagSpecification};
use secrecy::ExposeSecret;

use self::error::driver_error;
use self::recorder::HistoryInterceptor;
use crate::Provider;
use crate::catalogs::Catalogs;
use crate::contract::{
    Capabilities, CloudAccount, Connection, ConnectionInfo, Driver, DriverError, DriverErrorKind,
    DriverResult, InventoryHandler,
};
use crate::model::{Iid, ResourceKind};

/// How long an EC2 operation may take, retries included, before it is a timeout (504).
const OPERATION_TIMEOUT: Duration = Duration::from_secs(60);

/// The AWS driver; it keeps the image and instance type catalogues per endpoint and region.
#[derive(Default)]
pub struct AwsDriver {
    catalogs: Arc<Catalogs>,
}

impl AwsDriver {
    pub fn new() -> Self {
        Self::default()
    }
}

#[async_trait]
impl Driver for AwsDriver {
    fn provider(&self) -> Provider {
        Provider::Aws
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    async fn connect(&self, info: ConnectionInfo) -> DriverResult<Box<dyn Connection>> {
        let region = info.required_region_value("Region")?.to_owned();
        let zone = info.region_value("Zone").unwrap_or_default().to_owned();
        let endpoint = info
            .region_value("Endpoint")
            .filter(|endpoint| !endpoint.is_empty())
            .map(str::to_owned);
        let key_id = info
            .required_credential_value("ClientId")?
            .expose_secret()
            .to_owned();
        let credentials = Credentials::new(
            key_id.clone(),
            info.required_credential_value("ClientSecret")?
                .expose_secret()
                .to_owned(),
            info.credential_value("SessionToken")
                .map(|token| token.expose_secret().to_owned())
                .filter(|token| !token.is_empty()),
            None,
            "spinneret-connection",
        );
        let mut config = aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(region.clone()))
            .credentials_provider(credentials)
            .retry_config(RetryConfig::standard().with_max_attempts(3))
            .timeout_config(
                TimeoutConfig::builder()
                    .operation_timeout(OPERATION_TIMEOUT)
                    .build(),
            )
            .interceptor(HistoryInterceptor::new(info.recorder.clone()));
        if let Some(endpoint) = &endpoint {
            config = config.endpoint_url(endpoint);
        }
        Ok(Box::new(AwsConnection {
            client: Client::from_conf(config.build()),
            catalog_key: format!("{}|{region}|{key_id}", endpoint.unwrap_or_default()),
            region,
            zone,
            catalogs: self.catalogs.clone(),
        }))
    }
}

/// One AWS account in one region.
pub(crate) struct AwsConnection {
    client: Client,
    region: String,
    /// The region's default zone for subnets.
    zone: String,
    /// Which catalogue entries this connection shares: same endpoint, region and account.
    catalog_key: String,
    catalogs: Arc<Catalogs>,
}

/// Tags a resource with its cloud-side name as it is created.
fn name_tags(kind: ResourceType, name: &str) -> TagSpecification {
    TagSpecification::builder()
        .resource_type(kind)
        .tags(Tag::builder().key("Name").value(name).build())
        .build()
}

#[async_trait]
impl InventoryHandler for AwsConnection {
    async fn list_ids(&self, kind: ResourceKind) -> DriverResult<Vec<Iid>> {
        let ids = match kind {
            ResourceKind::Vpc => self
                .describe_vpcs(None)
                .await?
                .into_iter()
                .map(|vpc| vpc.iid)
                .collect(),
            ResourceKind::Subnet => self
                .describe_subnets(None)
                .await?
                .into_iter()
                .map(|(_, subnet)| subnet.iid)
                .collect(),
            ResourceKind::SecurityGroup => self
                .describe_security_groups(None)
                .await?
                .into_iter()
                .map(|group| group.iid)
                .collect(),
            ResourceKind::KeyPair => self
                .describe_key_pairs(None)
                .await?
                .into_iter()
                .map(|key| key.iid)
                .collect(),
            ResourceKind::Vm => self
                .describe_instances(None)
                .await?
                .into_iter()
                .filter(|vm| vm.status != Some(crate::model::VMStatus::Terminated))
                .map(|vm| vm.iid)
                .collect(),
        };
        Ok(ids)
    }

    /// EC2 names no account itself; every VPC and security group carries its owner's id.
    /// A region has a default VPC unless someone deleted it, and then a group of our own.
    async fn account(&self) -> DriverResult<CloudAccount> {
        let vpcs = self
            .client
            .describe_vpcs()
            .max_results(5)
            .send()
            .await
            .map_err(|err| driver_error("DescribeVpcs", err))?;
        let mut owner = vpcs
            .vpcs()
            .iter()
            .find_map(|vpc| vpc.owner_id())
            .map(str::to_owned);
        if owner.is_none() {
            let groups = self
                .client
                .describe_security_groups()
                .max_results(5)
                .send()
                .await
                .map_err(|err| driver_error("DescribeSecurityGroups", err))?;
            owner = groups
                .security_groups()
                .iter()
                .find_map(|group| group.owner_id())
                .map(str::to_owned);
        }
        let account = owner.ok_or_else(|| {
            DriverError::new(DriverErrorKind::Cloud, format!(
                "cannot tell the account: region {} has no VPC nor security group to read its owner from",
                self.region
            ))
        })?;
        Ok(CloudAccount {
            account,
            region: self.region.clone(),
        })
    }
}
