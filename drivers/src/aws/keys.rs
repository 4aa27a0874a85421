//! Key pairs. EC2 names a key pair by its name, which is also what RunInstances takes, so the
//! key name is the SystemId.

use async_trait::async_trait;
use aws_sdk_ec2::types::{KeyPairInfo as Ec2KeyPair, KeyType, ResourceType};

use super::error::driver_error;
use super::{AwsConnection, name_tags};
use crate::contract::{DriverError, DriverResult, KeyPairHandler};
use crate::model::{Iid, KeyPairInfo};

fn key_pair_info(key: &Ec2KeyPair) -> KeyPairInfo {
    let name = key.key_name().unwrap_or_default();
    KeyPairInfo {
        iid: Iid::new(name, name),
        fingerprint: key.key_fingerprint().unwrap_or_default().to_owned(),
        public_key: key.public_key().unwrap_or_default().to_owned(),
        vm_user_id: "cb-user".to_owned(),
        ..KeyPairInfo::default()
    }
}

/// The OpenSSH public key of a private key EC2 returned, when it can be read.
fn public_key_of(private_key: &str) -> String {
    ssh_key::PrivateKey::from_openssh(private_key)
        .ok()
        .and_then(|key| key.public_key().to_openssh().ok())
        .unwrap_or_default()
}

impl AwsConnection {
    pub(super) async fn describe_key_pairs(
        &self,
        name: Option<&str>,
    ) -> DriverResult<Vec<KeyPairInfo>> {
        let answer = self
            .client
            .describe_key_pairs()
            .set_key_names(name.map(|name| vec![name.to_owned()]))
            .include_public_key(true)
            .send()
            .await
            .map_err(|err| driver_error("DescribeKeyPairs", err))?;
        Ok(answer.key_pairs().iter().map(key_pair_info).collect())
    }
}

#[async_trait]
impl KeyPairHandler for AwsConnection {
    async fn create_key_pair(&self, name: &str) -> DriverResult<KeyPairInfo> {
        let answer = self
            .client
            .create_key_pair()
            .key_name(name)
            .key_type(KeyType::Ed25519)
            .tag_specifications(name_tags(ResourceType::KeyPair, name))
            .send()
            .await
            .map_err(|err| driver_error("CreateKeyPair", err))?;
        let private_key = answer.key_material().unwrap_or_default().to_owned();
        Ok(KeyPairInfo {
            iid: Iid::new(name, answer.key_name().unwrap_or(name)),
            fingerprint: answer.key_fingerprint().unwrap_or_default().to_owned(),
            public_key: public_key_of(&private_key),
            private_key,
            vm_user_id: "cb-user".to_owned(),
            ..KeyPairInfo::default()
        })
    }

    async fn list_key_pairs(&self) -> DriverResult<Vec<KeyPairInfo>> {
        self.describe_key_pairs(None).await
    }

    async fn get_key_pair(&self, id: &str) -> DriverResult<KeyPairInfo> {
        self.describe_key_pairs(Some(id))
            .await?
            .pop()
            .ok_or_else(|| {
                DriverError::not_found(format!("DescribeKeyPairs: key pair '{id}' does not exist"))
            })
    }

    async fn delete_key_pair(&self, id: &str) -> DriverResult<()> {
        // EC2 answers success for a key pair it does not have; Spinneret reports it.
        self.get_key_pair(id).await?;
        self.client
            .delete_key_pair()
            .key_name(id)
            .send()
            .await
            .map_err(|err| driver_error("DeleteKeyPair", err))?;
        Ok(())
    }
}
