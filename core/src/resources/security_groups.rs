//! Security groups and their rules.

use spinneret_drivers::contract::SecurityGroupRequest;
use spinneret_drivers::model::{ResourceKind, SecurityInfo, SecurityReqInfo, SecurityRuleInfo};

use super::store::{NewRecord, Record, ResourceState};
use super::{deleted_at_cloud, rules};
use crate::Core;
use crate::error::Result;
use crate::registry::validate;

impl Core {
    pub async fn create_security_group(
        &self,
        connection: &str,
        request: SecurityReqInfo,
    ) -> Result<SecurityInfo> {
        let name = validate::name("ReqInfo.Name", &request.name)?;
        let vpc_name = validate::name("ReqInfo.VPCName", &request.vpc_name)?;
        let rules = rules::normalise("ReqInfo.SecurityRules", &request.security_rules)?;
        let cloud = self.connect(connection).await?;
        let vpc = self
            .usable(connection, ResourceKind::Vpc, &vpc_name)
            .await?;
        let reserved = self
            .store()
            .reserve(
                connection,
                vec![NewRecord::creating(ResourceKind::SecurityGroup, "", &name)],
                &[vpc.id],
            )
            .await?;
        let record = &reserved[0];
        let request = SecurityGroupRequest {
            name: record.cloud_name.clone(),
            vpc_id: vpc.system_id,
            rules,
        };
        match cloud.create_security_group(&request).await {
            Ok(created) => self.store_security_group(record, connection, created).await,
            Err(err) => {
                self.store().remove(record.id).await?;
                Err(err.into())
            }
        }
    }

    async fn store_security_group(
        &self,
        record: &Record,
        connection: &str,
        group: SecurityInfo,
    ) -> Result<SecurityInfo> {
        let mut group = self.names(connection).await?.security_group(group);
        // The row learns its cloud id only now, so the names above could not map it.
        group.iid.name_id.clone_from(&record.name);
        self.store()
            .update(
                record.id,
                ResourceState::Ready,
                &group.iid.system_id,
                &group,
                None,
            )
            .await?;
        Ok(group)
    }

    pub async fn list_security_groups(&self, connection: &str) -> Result<Vec<SecurityInfo>> {
        let cloud = self.connect(connection).await?;
        let listed = cloud.list_security_groups().await?;
        self.list_managed(connection, listed).await
    }

    pub async fn get_security_group(&self, connection: &str, name: &str) -> Result<SecurityInfo> {
        let cloud = self.connect(connection).await?;
        let record = self.find_security_group(connection, name).await?;
        if record.state != ResourceState::Ready {
            return Ok(record.info());
        }
        let group = cloud.get_security_group(&record.system_id).await?;
        Ok(self.names(connection).await?.security_group(group))
    }

    async fn find_security_group(&self, connection: &str, name: &str) -> Result<Record> {
        self.store()
            .find(connection, ResourceKind::SecurityGroup, "", name)
            .await
    }

    /// Deletes a security group: 409 while VMs use it, unless `force`.
    pub async fn delete_security_group(
        &self,
        connection: &str,
        name: &str,
        force: bool,
    ) -> Result<()> {
        let cloud = self.connect(connection).await?;
        let record = self.find_security_group(connection, name).await?;
        self.refuse_if_used(&record, force).await?;
        if !record.system_id.is_empty() {
            deleted_at_cloud(cloud.delete_security_group(&record.system_id).await, force)?;
        }
        self.store().remove(record.id).await
    }

    /// Adds rules; one that already exists is a 409.
    pub async fn add_rules(
        &self,
        connection: &str,
        name: &str,
        rules: &[SecurityRuleInfo],
    ) -> Result<SecurityInfo> {
        let rules = rules::normalise("ReqInfo.RuleInfoList", rules)?;
        let cloud = self.connect(connection).await?;
        let record = self
            .usable(connection, ResourceKind::SecurityGroup, name)
            .await?;
        let group = cloud.add_rules(&record.system_id, &rules).await?;
        self.store_security_group(&record, connection, group).await
    }

    /// Removes rules; one that does not exist is a 404.
    pub async fn remove_rules(
        &self,
        connection: &str,
        name: &str,
        rules: &[SecurityRuleInfo],
    ) -> Result<()> {
        let rules = rules::normalise("ReqInfo.RuleInfoList", rules)?;
        let cloud = self.connect(connection).await?;
        let record = self
            .usable(connection, ResourceKind::SecurityGroup, name)
            .await?;
        cloud.remove_rules(&record.system_id, &rules).await?;
        let mut stored: SecurityInfo = record.info();
        stored.security_rules.retain(|rule| !rules.contains(rule));
        self.store()
            .update(record.id, record.state, &record.system_id, &stored, None)
            .await
    }
}
