//! Security groups and their rules.

use spinneret_drivers::contract::{Connection, SecurityGroupRequest};
use spinneret_drivers::model::{ResourceKind, SecurityInfo, SecurityReqInfo, SecurityRuleInfo};

use super::rules;
use super::store::{NewRecord, Record, ResourceState};
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
        let cloud = self.connect_to_add(connection).await?;
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
        let record = reserved.into_iter().next().expect("one reserved row");
        let request = SecurityGroupRequest {
            name: record.cloud_name.clone(),
            vpc_id: vpc.system_id,
            rules,
        };
        let core = self.clone();
        self.in_worker(record.id, async move {
            match cloud.create_security_group(&request).await {
                Ok(created) => {
                    core.created_security_group(cloud.as_ref(), &record, created)
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

    /// Stores a group the cloud made for `record`; if a forced delete cancelled the create
    /// meanwhile, deletes it at the cloud instead.
    pub(super) async fn created_security_group(
        &self,
        cloud: &dyn Connection,
        record: &Record,
        created: SecurityInfo,
    ) -> Result<SecurityInfo> {
        let mut group = self
            .names(&record.connection)
            .await?
            .security_group(created);
        // The row learns its cloud id only now, so the names above could not map it.
        group.iid.name_id.clone_from(&record.name);
        self.finish_create(cloud, record, &group.iid.system_id, &group)
            .await?;
        Ok(group)
    }

    /// Stores a ready group's rules as the cloud answered them.
    pub(super) async fn store_security_group(
        &self,
        record: &Record,
        group: SecurityInfo,
    ) -> Result<SecurityInfo> {
        let group = self.names(&record.connection).await?.security_group(group);
        self.store()
            .progress(record.id, &group.iid.system_id, &group)
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
        let (record, names) = self
            .find_with_names(connection, ResourceKind::SecurityGroup, name)
            .await?;
        if record.state != ResourceState::Ready {
            return Ok(record.info());
        }
        let group = cloud.get_security_group(&record.system_id).await?;
        Ok(names.security_group(group))
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
        self.delete_managed(cloud, record, force).await
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
        let (core, group) = (self.clone(), record.clone());
        self.change(&record, "AddRules", async move {
            let changed = cloud.add_rules(&group.system_id, &rules).await?;
            core.store_security_group(&group, changed).await
        })
        .await
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
        let (store, group) = (self.store().clone(), record.clone());
        self.change(&record, "RemoveRules", async move {
            cloud.remove_rules(&group.system_id, &rules).await?;
            let mut stored: SecurityInfo = group.info();
            stored.security_rules.retain(|rule| !rules.contains(rule));
            store.progress(group.id, &group.system_id, &stored).await
        })
        .await
    }
}
