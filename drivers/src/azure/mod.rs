//! The Azure driver on the `azure_mgmt_*` crates. A connection works in one subscription, one
//! resource group (the region key `ResourceGroup`, by default the region record's name, made
//! on first use) and one region. Resources are named by Spinneret's cloud-side names, so a
//! resource's SystemId is its name in the group; its full ARM id is in its KeyValueList.
//!
//! - VPC → virtual network with subnets;
//! - security group → network security group, tagged with its VPC;
//! - key pair → an SSH key Spinneret generates, its public half an SSH public key resource;
//! - VM → public IP, then NIC, then VM, undone in reverse when a step fails.
//!
//! The region keys `Endpoint` (the ARM base URL) and `AuthorityHost` (the token authority)
//! point the driver at an emulator or a sovereign cloud. Every ARM request reaches the call
//! history through one pipeline policy ([`recorder`]).

mod arm;
mod catalog;
mod error;
mod keys;
mod network;
mod recorder;
mod security;
#[cfg(test)]
mod tests;
mod vms;

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use azure_core::auth::TokenCredential;
use azure_core::{HttpClient, Url};
use azure_identity::ClientSecretCredential;
use secrecy::ExposeSecret;
use tokio::sync::OnceCell;

use self::arm::{Arm, Scope};
use self::error::arm_error;
use crate::Provider;
use crate::catalogs::Catalogs;
use crate::contract::{
    Capabilities, CloudAccount, Connection, ConnectionInfo, Driver, DriverError, DriverResult,
    InventoryHandler,
};
use crate::model::{Iid, ResourceKind};

const PUBLIC_ARM: &str = "https://management.azure.com/";
const PUBLIC_AUTHORITY: &str = "https://login.microsoftonline.com/";
/// How long one HTTP exchange with ARM or the token authority may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// The Azure driver. It keeps one HTTP client (one connection pool) for every connection, one
/// credential (and so one cached token) per service principal, and the catalogues.
pub struct AzureDriver {
    http: Arc<dyn HttpClient>,
    credentials: moka::sync::Cache<String, Arc<ClientSecretCredential>>,
    catalogs: Arc<Catalogs>,
}

impl Default for AzureDriver {
    fn default() -> Self {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self {
            http: Arc::new(http),
            credentials: moka::sync::Cache::builder()
                .max_capacity(1_000)
                .time_to_idle(Duration::from_secs(3_600))
                .build(),
            catalogs: Arc::default(),
        }
    }
}

impl AzureDriver {
    pub fn new() -> Self {
        Self::default()
    }

    /// The credential of one service principal at one authority; its token is reused until
    /// it expires. Keyed by a hash, so the cache holds no secret of its own.
    fn credential(
        &self,
        authority: &Url,
        tenant: &str,
        client_id: &str,
        secret: &str,
    ) -> Arc<ClientSecretCredential> {
        use sha2::{Digest, Sha256};
        let key = Sha256::digest(format!("{authority}\n{tenant}\n{client_id}\n{secret}"))
            .iter()
            .map(|byte| format!("{byte:02x}"))
            .collect::<String>();
        self.credentials.get_with(key, || {
            Arc::new(ClientSecretCredential::new(
                self.http.clone(),
                authority.clone(),
                tenant.to_owned(),
                client_id.to_owned(),
                secret.to_owned(),
            ))
        })
    }
}

/// A URL region key, or its public-cloud default.
fn url_key(info: &ConnectionInfo, key: &str, default: &str) -> DriverResult<Url> {
    let value = info
        .region_value(key)
        .filter(|value| !value.is_empty())
        .unwrap_or(default);
    Url::parse(value).map_err(|err| {
        DriverError::invalid(format!(
            "connection '{}': the region's '{key}' is not a URL: {err}",
            info.connection_name
        ))
    })
}

#[async_trait]
impl Driver for AzureDriver {
    fn provider(&self) -> Provider {
        Provider::Azure
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    async fn connect(&self, info: ConnectionInfo) -> DriverResult<Box<dyn Connection>> {
        let secret = |key: &str| {
            info.required_credential_value(key)
                .map(|value| value.expose_secret().to_owned())
        };
        let subscription = secret("SubscriptionId")?;
        let credential = self.credential(
            &url_key(&info, "AuthorityHost", PUBLIC_AUTHORITY)?,
            &secret("TenantId")?,
            &secret("ClientId")?,
            info.required_credential_value("ClientSecret")?
                .expose_secret(),
        );
        let location = info.required_region_value("Region")?.to_owned();
        let group = info
            .region_value("ResourceGroup")
            .filter(|group| !group.is_empty())
            .unwrap_or(&info.region_name)
            .to_owned();
        let endpoint = url_key(&info, "Endpoint", PUBLIC_ARM)?;
        let catalog_key = format!("{endpoint}|{location}|{subscription}");
        let arm = Arm::new(
            endpoint,
            credential as Arc<dyn TokenCredential>,
            self.http.clone(),
            info.recorder.clone(),
            Scope {
                subscription,
                group,
                location,
            },
        )?;
        Ok(Box::new(AzureConnection {
            arm,
            zone: info.region_value("Zone").unwrap_or_default().to_owned(),
            catalog_key,
            catalogs: self.catalogs.clone(),
            group_ready: OnceCell::new(),
        }))
    }
}

/// One subscription's resource group in one region.
pub(crate) struct AzureConnection {
    arm: Arm,
    /// The region's zone, reported on subnets and VMs (Azure's subnets span the region).
    zone: String,
    /// Which catalogue entries this connection shares: same endpoint, region and subscription.
    catalog_key: String,
    catalogs: Arc<Catalogs>,
    /// Set once the resource group is known to exist.
    group_ready: OnceCell<()>,
}

impl AzureConnection {
    fn scope(&self) -> &Scope {
        &self.arm.scope
    }

    /// The connection's resource group and subscription, as most ARM calls take them.
    fn group_and_subscription(&self) -> (&str, &str) {
        (&self.arm.scope.group, &self.arm.scope.subscription)
    }

    /// Makes the connection's resource group if it does not exist yet, as CB-Spider does.
    async fn ensure_group(&self) -> DriverResult<()> {
        self.group_ready
            .get_or_try_init(|| async {
                let Scope {
                    subscription,
                    group,
                    location,
                } = self.scope();
                let groups = self.arm.resources.resource_groups_client();
                let found = groups.get(group, subscription).send().await;
                match found {
                    Ok(_) => Ok(()),
                    Err(err) if error::is_group_missing(&err) => {
                        let request =
                            azure_mgmt_resources::models::ResourceGroup::new(location.clone());
                        self.arm
                            .finish(
                                "ResourceGroups_CreateOrUpdate",
                                groups.create_or_update(group, request, subscription).send(),
                            )
                            .await
                            .map(drop)
                    }
                    Err(err) => Err(arm_error("ResourceGroups_Get", err)),
                }
            })
            .await
            .map(drop)
    }

    /// The ARM id of a resource in the connection's group, e.g. `("Microsoft.Network",
    /// "virtualNetworks", "net-1")`.
    fn arm_id(&self, namespace: &str, kind: &str, name: &str) -> String {
        let (group, subscription) = self.group_and_subscription();
        format!(
            "/subscriptions/{subscription}/resourceGroups/{group}/providers/{namespace}/{kind}/{name}"
        )
    }
}

/// The resource name at the end of an ARM id.
fn name_of(id: &str) -> &str {
    id.rsplit('/').next().unwrap_or(id)
}

#[async_trait]
impl InventoryHandler for AzureConnection {
    async fn list_ids(&self, kind: ResourceKind) -> DriverResult<Vec<Iid>> {
        let names = match kind {
            ResourceKind::Vpc => self
                .list_vpcs_raw()
                .await?
                .into_iter()
                .filter_map(|vnet| vnet.resource.name)
                .collect(),
            ResourceKind::Subnet => self
                .list_vpcs_raw()
                .await?
                .into_iter()
                .filter_map(|vnet| vnet.properties)
                .flat_map(|properties| properties.subnets)
                .filter_map(|subnet| subnet.name)
                .collect(),
            ResourceKind::SecurityGroup => self
                .list_groups_raw()
                .await?
                .into_iter()
                .filter_map(|group| group.resource.name)
                .collect(),
            ResourceKind::KeyPair => self
                .list_keys_raw()
                .await?
                .into_iter()
                .filter_map(|key| key.resource.name)
                .collect(),
            ResourceKind::Vm => self.vm_names().await?,
        };
        Ok(names
            .into_iter()
            .map(|name: String| Iid::new(name.clone(), name))
            .collect())
    }

    /// ARM answers for the subscription the credential reaches; reading the connection's
    /// resource group proves the credential works there.
    async fn account(&self) -> DriverResult<CloudAccount> {
        let Scope {
            subscription,
            group,
            location,
        } = self.scope();
        let found = self
            .arm
            .resources
            .resource_groups_client()
            .get(group, subscription)
            .send()
            .await;
        match found {
            Ok(_) => {}
            Err(err) if error::is_group_missing(&err) => {}
            Err(err) => return Err(arm_error("ResourceGroups_Get", err)),
        }
        Ok(CloudAccount {
            account: subscription.clone(),
            region: location.clone(),
        })
    }
}
