//! Key pairs. The private key leaves Spinneret once, in the create answer; nothing stores it.

use spinneret_drivers::model::{KeyPairInfo, KeyPairReqInfo, ResourceKind};

use spinneret_drivers::contract::Connection;

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
        let cloud = self.connect_to_add(connection).await?;
        let reserved = self
            .store()
            .reserve(
                connection,
                vec![NewRecord::creating(ResourceKind::KeyPair, "", &name)],
                &[],
            )
            .await?;
        let record = reserved.into_iter().next().expect("one reserved row");
        let core = self.clone();
        self.in_worker(record.id, async move {
            match cloud.create_key_pair(&record.cloud_name).await {
                Ok(created) => {
                    core.created_key_pair(cloud.as_ref(), &record, created)
                        .await
                }
                Err(err) => {
                    core.store().remove(record.id).await?;
                    Err(err.into())
                }
            }
        })
        .await
    }

    /// Stores a key pair the cloud made for `record`, keys hidden; if a forced delete
    /// cancelled the create meanwhile, deletes it at the cloud instead.
    async fn created_key_pair(
        &self,
        cloud: &dyn Connection,
        record: &Record,
        created: KeyPairInfo,
    ) -> Result<KeyPairInfo> {
        let mut created = self.names(&record.connection).await?.key_pair(created);
        created.iid.name_id.clone_from(&record.name);
        let hidden = created.clone().with_keys_hidden();
        self.finish_create(cloud, record, &created.iid.system_id, &hidden)
            .await?;
        Ok(created)
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

    /// Deletes a key pair: 409 while VMs use it or while it is being created, unless `force`.
    pub async fn delete_key_pair(&self, connection: &str, name: &str, force: bool) -> Result<()> {
        let cloud = self.connect(connection).await?;
        let record = self.find_key_pair(connection, name).await?;
        self.delete_managed(cloud, record, force).await
    }
}
