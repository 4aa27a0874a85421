//! Key pairs. The private key leaves Spinneret once, in the create answer; nothing stores it.

use spinneret_drivers::model::{KeyPairInfo, KeyPairReqInfo, ResourceKind};

use super::deleted_at_cloud;
use super::store::{NewRecord, Record, ResourceState};
use crate::Core;
use crate::error::Result;
use crate::registry::validate;

impl Core {
    /// Creates a key pair; the answer is the only one that carries the private key.
    pub async fn create_key_pair(
        &self,
        connection: &str,
        request: KeyPairReqInfo,
    ) -> Result<KeyPairInfo> {
        let name = validate::name("ReqInfo.Name", &request.name)?;
        let cloud = self.connect(connection).await?;
        let reserved = self
            .store()
            .reserve(
                connection,
                vec![NewRecord::creating(ResourceKind::KeyPair, "", &name)],
                &[],
            )
            .await?;
        let record = &reserved[0];
        match cloud.create_key_pair(&record.cloud_name).await {
            Ok(created) => {
                let mut created = self.names(connection).await?.key_pair(created);
                created.iid.name_id.clone_from(&record.name);
                let hidden = created.clone().with_keys_hidden();
                self.store()
                    .update(
                        record.id,
                        ResourceState::Ready,
                        &created.iid.system_id,
                        &hidden,
                        None,
                    )
                    .await?;
                Ok(created)
            }
            Err(err) => {
                self.store().remove(record.id).await?;
                Err(err.into())
            }
        }
    }

    pub async fn list_key_pairs(&self, connection: &str) -> Result<Vec<KeyPairInfo>> {
        let cloud = self.connect(connection).await?;
        let listed = cloud
            .list_key_pairs()
            .await?
            .into_iter()
            .map(KeyPairInfo::with_keys_hidden)
            .collect();
        self.list_managed(connection, listed).await
    }

    pub async fn get_key_pair(&self, connection: &str, name: &str) -> Result<KeyPairInfo> {
        let cloud = self.connect(connection).await?;
        let record = self.find_key_pair(connection, name).await?;
        if record.state != ResourceState::Ready {
            return Ok(record.info());
        }
        let key_pair = cloud.get_key_pair(&record.system_id).await?;
        Ok(self
            .names(connection)
            .await?
            .key_pair(key_pair)
            .with_keys_hidden())
    }

    async fn find_key_pair(&self, connection: &str, name: &str) -> Result<Record> {
        self.store()
            .find(connection, ResourceKind::KeyPair, "", name)
            .await
    }

    /// Deletes a key pair: 409 while VMs use it, unless `force`.
    pub async fn delete_key_pair(&self, connection: &str, name: &str, force: bool) -> Result<()> {
        let cloud = self.connect(connection).await?;
        let record = self.find_key_pair(connection, name).await?;
        self.refuse_if_used(&record, force).await?;
        if !record.system_id.is_empty() {
            deleted_at_cloud(cloud.delete_key_pair(&record.system_id).await, force)?;
        }
        self.store().remove(record.id).await
    }
}
