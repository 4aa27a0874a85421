//! Security groups. EC2 gives a new group an allow-all egress rule; Spinneret's groups hold
//! exactly the rules asked for, so that default goes unless it was asked for.

use async_trait::async_trait;
use aws_sdk_ec2::types::{ResourceType, SecurityGroup};

use super::error::driver_error;
use super::mapping::{self, name_tag, permission};
use super::{AwsConnection, name_tags};
use crate::contract::{DriverError, DriverResult, SecurityGroupRequest, SecurityHandler};
use crate::model::{Iid, SecurityInfo, SecurityRuleInfo};

/// EC2's default egress rule of a new group.
fn default_egress() -> SecurityRuleInfo {
    SecurityRuleInfo {
        direction: "outbound".to_owned(),
        ip_protocol: "ALL".to_owned(),
        from_port: "-1".to_owned(),
        to_port: "-1".to_owned(),
        cidr: "0.0.0.0/0".to_owned(),
    }
}

fn security_info(group: &SecurityGroup) -> SecurityInfo {
    let name = match name_tag(group.tags()) {
        tag if tag.is_empty() => group.group_name().unwrap_or_default().to_owned(),
        tag => tag,
    };
    let mut rules = mapping::rules("inbound", group.ip_permissions());
    rules.extend(mapping::rules("outbound", group.ip_permissions_egress()));
    SecurityInfo {
        iid: Iid::new(name, group.group_id().unwrap_or_default()),
        vpc_iid: Iid::new("", group.vpc_id().unwrap_or_default()),
        security_rules: rules,
        ..SecurityInfo::default()
    }
}

/// Sends one of EC2's four rule calls (authorize or revoke, ingress or egress) when there are
/// rules for it. Their builders are distinct types, hence a macro rather than a function.
macro_rules! send_rules {
    ($connection:ident, $operation:ident, $api:literal, $id:expr, $rules:expr) => {
        if !$rules.is_empty() {
            $connection
                .client
                .$operation()
                .group_id($id)
                .set_ip_permissions(Some($rules.into_iter().map(permission).collect()))
                .send()
                .await
                .map_err(|err| driver_error($api, err))?;
        }
    };
}

/// Which rules go in through which door.
fn split(rules: &[SecurityRuleInfo]) -> (Vec<&SecurityRuleInfo>, Vec<&SecurityRuleInfo>) {
    rules.iter().partition(|rule| rule.direction == "inbound")
}

impl AwsConnection {
    pub(super) async fn describe_security_groups(
        &self,
        id: Option<&str>,
    ) -> DriverResult<Vec<SecurityInfo>> {
        let answer = self
            .client
            .describe_security_groups()
            .set_group_ids(id.map(|id| vec![id.to_owned()]))
            .send()
            .await
            .map_err(|err| driver_error("DescribeSecurityGroups", err))?;
        Ok(answer.security_groups().iter().map(security_info).collect())
    }

    async fn authorize(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()> {
        let (inbound, outbound) = split(rules);
        send_rules!(
            self,
            authorize_security_group_ingress,
            "AuthorizeSecurityGroupIngress",
            id,
            inbound
        );
        send_rules!(
            self,
            authorize_security_group_egress,
            "AuthorizeSecurityGroupEgress",
            id,
            outbound
        );
        Ok(())
    }

    async fn revoke(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()> {
        let (inbound, outbound) = split(rules);
        send_rules!(
            self,
            revoke_security_group_ingress,
            "RevokeSecurityGroupIngress",
            id,
            inbound
        );
        send_rules!(
            self,
            revoke_security_group_egress,
            "RevokeSecurityGroupEgress",
            id,
            outbound
        );
        Ok(())
    }
}

#[async_trait]
impl SecurityHandler for AwsConnection {
    async fn create_security_group(
        &self,
        request: &SecurityGroupRequest,
    ) -> DriverResult<SecurityInfo> {
        let answer = self
            .client
            .create_security_group()
            .group_name(&request.name)
            .description(format!("Spinneret security group {}", request.name))
            .vpc_id(&request.vpc_id)
            .tag_specifications(name_tags(ResourceType::SecurityGroup, &request.name))
            .send()
            .await
            .map_err(|err| driver_error("CreateSecurityGroup", err))?;
        let id = answer.group_id().unwrap_or_default().to_owned();
        let egress = default_egress();
        let keeps_default = request.rules.contains(&egress);
        let wanted: Vec<SecurityRuleInfo> = request
            .rules
            .iter()
            .filter(|rule| **rule != egress)
            .cloned()
            .collect();
        let configured = async {
            if !keeps_default {
                self.revoke(&id, std::slice::from_ref(&egress)).await?;
            }
            self.authorize(&id, &wanted).await
        };
        if let Err(err) = configured.await {
            if let Err(cleanup) = self.delete_security_group(&id).await {
                tracing::warn!(error = %cleanup, "could not remove a half-configured security group");
            }
            return Err(err);
        }
        Ok(SecurityInfo {
            iid: Iid::new(request.name.clone(), id),
            vpc_iid: Iid::new("", request.vpc_id.clone()),
            security_rules: request.rules.clone(),
            ..SecurityInfo::default()
        })
    }

    async fn list_security_groups(&self) -> DriverResult<Vec<SecurityInfo>> {
        self.describe_security_groups(None).await
    }

    async fn get_security_group(&self, id: &str) -> DriverResult<SecurityInfo> {
        self.describe_security_groups(Some(id))
            .await?
            .pop()
            .ok_or_else(|| {
                DriverError::not_found(format!(
                    "DescribeSecurityGroups: security group '{id}' does not exist"
                ))
            })
    }

    async fn delete_security_group(&self, id: &str) -> DriverResult<()> {
        self.client
            .delete_security_group()
            .group_id(id)
            .send()
            .await
            .map_err(|err| driver_error("DeleteSecurityGroup", err))?;
        Ok(())
    }

    async fn add_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<SecurityInfo> {
        self.authorize(id, rules).await?;
        self.get_security_group(id).await
    }

    async fn remove_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()> {
        // EC2 ignores revoking a rule it does not have; Spinneret reports it.
        let existing = self.get_security_group(id).await?.security_rules;
        if let Some(missing) = rules.iter().find(|rule| !existing.contains(rule)) {
            return Err(DriverError::not_found(format!(
                "RevokeSecurityGroup: security group '{id}' has no rule {} {} {}-{} {}",
                missing.direction,
                missing.ip_protocol,
                missing.from_port,
                missing.to_port,
                missing.cidr
            )));
        }
        self.revoke(id, rules).await
    }
}
