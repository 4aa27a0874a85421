//! Key pairs. Spinneret generates an ed25519 key, hands out its private half once and keeps
//! none of it, and stores the public half as an SSH public key resource that VMs name at start.

use async_trait::async_trait;
use azure_mgmt_compute::models::SshPublicKeyResource;
use serde_json::json;
use ssh_key::{HashAlg, PublicKey};

use super::AzureConnection;
use super::arm::{Scope, model};
use super::error::missing;
use super::network::gone_already;
use crate::contract::{DriverResult, KeyPairHandler};
use crate::model::{Iid, KeyPairInfo, KeyValue};
use crate::ssh_keys::generate;

/// The VM user Spinneret's key pairs log in as, as CB-Spider names it.
pub(super) const VM_USER: &str = "cb-user";

fn key_pair_info(key: SshPublicKeyResource) -> KeyPairInfo {
    let name = key.resource.name.unwrap_or_default();
    let public_key = key
        .properties
        .and_then(|properties| properties.public_key)
        .unwrap_or_default();
    let fingerprint = PublicKey::from_openssh(&public_key)
        .map(|key| key.fingerprint(HashAlg::Sha256).to_string())
        .unwrap_or_default();
    KeyPairInfo {
        iid: Iid::new(&name, &name),
        fingerprint,
        public_key,
        vm_user_id: VM_USER.to_owned(),
        key_value_list: key
            .resource
            .id
            .map(|id| vec![KeyValue::new("ResourceId", id)])
            .unwrap_or_default(),
        ..KeyPairInfo::default()
    }
}

impl AzureConnection {
    pub(super) async fn list_keys_raw(&self) -> DriverResult<Vec<SshPublicKeyResource>> {
        let (group, subscription) = self.group_and_subscription();
        let pages = self
            .arm
            .compute
            .ssh_public_keys_client()
            .list_by_resource_group(group, subscription)
            .into_stream();
        self.arm
            .all("SshPublicKeys_ListByResourceGroup", pages, |page| {
                page.value
            })
            .await
    }

    /// The OpenSSH public key a VM started with key pair `id` accepts.
    pub(super) async fn public_key(&self, id: &str) -> DriverResult<String> {
        let key = self.get_key_pair(id).await?;
        if key.public_key.is_empty() {
            return Err(missing("SshPublicKeys_Get", "public key"));
        }
        Ok(key.public_key)
    }
}

#[async_trait]
impl KeyPairHandler for AzureConnection {
    async fn create_key_pair(&self, name: &str) -> DriverResult<KeyPairInfo> {
        self.ensure_group().await?;
        let generated = generate(name)?;
        let Scope {
            subscription,
            group,
            location,
        } = self.scope();
        const API: &str = "SshPublicKeys_CreateOrUpdate";
        let body: SshPublicKeyResource = model(
            API,
            json!({ "location": location, "properties": { "publicKey": generated.public_key } }),
        )?;
        let client = self.arm.compute.ssh_public_keys_client();
        self.arm
            .finish(API, client.create(group, name, body, subscription).send())
            .await?;
        let mut created = self.get_key_pair(name).await?;
        created.private_key = generated.private_key;
        Ok(created)
    }

    async fn list_key_pairs(&self) -> DriverResult<Vec<KeyPairInfo>> {
        Ok(self
            .list_keys_raw()
            .await?
            .into_iter()
            .map(key_pair_info)
            .collect())
    }

    async fn get_key_pair(&self, id: &str) -> DriverResult<KeyPairInfo> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.compute.ssh_public_keys_client();
        let key: SshPublicKeyResource = self
            .arm
            .read(
                "SshPublicKeys_Get",
                client.get(group, id, subscription).send(),
            )
            .await?;
        Ok(key_pair_info(key))
    }

    async fn delete_key_pair(&self, id: &str) -> DriverResult<()> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.compute.ssh_public_keys_client();
        let status = self
            .arm
            .finish(
                "SshPublicKeys_Delete",
                client.delete(group, id, subscription).send(),
            )
            .await?;
        gone_already(status, "SSH public key", id)
    }
}
