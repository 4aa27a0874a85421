//! Network security groups. An NSG belongs to no VNet in Azure, so the group records its VPC
//! in a tag. CB-Spider's rules (direction, protocol, port range, CIDR) become Allow rules with
//! priorities allocated per direction, and read back the same way; Deny rules and Azure's
//! default rules are not CB-Spider rules and are not shown.

use async_trait::async_trait;
use azure_mgmt_network::models::{NetworkSecurityGroup, SecurityRule};
use serde_json::{Value, json};

use super::AzureConnection;
use super::arm::{Scope, model};
use super::network::gone_already;
use crate::contract::{
    DriverError, DriverErrorKind, DriverResult, SecurityGroupRequest, SecurityHandler, VpcHandler,
};
use crate::model::{Iid, KeyValue, SecurityInfo, SecurityRuleInfo};

/// The tag naming the VPC a group was made for.
const VPC_TAG: &str = "spinneret-vpc";
/// Allocated priorities: the first, and the step between two rules of one direction.
const FIRST_PRIORITY: i64 = 100;
const PRIORITY_STEP: i64 = 10;
const LAST_PRIORITY: i64 = 4096;

/// A rule as CB-Spider shows it, from ARM's rule JSON; `None` for a Deny rule.
fn rule_info(rule: &Value) -> Option<SecurityRuleInfo> {
    let properties = &rule["properties"];
    let text = |field: &str| properties[field].as_str().unwrap_or_default();
    if !text("access").eq_ignore_ascii_case("Allow") {
        return None;
    }
    let inbound = text("direction").eq_ignore_ascii_case("Inbound");
    let protocol = match text("protocol") {
        "*" => "ALL".to_owned(),
        other => other.to_ascii_uppercase(),
    };
    let ports = match properties["destinationPortRange"].as_str() {
        Some(range) => range.to_owned(),
        None => properties["destinationPortRanges"][0]
            .as_str()
            .unwrap_or("*")
            .to_owned(),
    };
    let (from_port, to_port) = match (protocol.as_str(), ports.split_once('-')) {
        ("ALL" | "ICMP", _) => ("-1".to_owned(), "-1".to_owned()),
        (_, Some((from, to))) => (from.to_owned(), to.to_owned()),
        _ if ports == "*" => ("1".to_owned(), "65535".to_owned()),
        _ => (ports.clone(), ports),
    };
    let cidr = match text(if inbound {
        "sourceAddressPrefix"
    } else {
        "destinationAddressPrefix"
    }) {
        "*" | "Internet" | "" => "0.0.0.0/0".to_owned(),
        prefix => prefix.to_owned(),
    };
    Some(SecurityRuleInfo {
        direction: if inbound { "inbound" } else { "outbound" }.to_owned(),
        ip_protocol: protocol,
        from_port,
        to_port,
        cidr,
    })
}

/// A rule's name: derived from what it allows, so the same rule always has the same name.
fn rule_name(rule: &SecurityRuleInfo) -> String {
    let part = |text: &str| -> String {
        match text {
            "-1" => "any".to_owned(),
            text => text
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect(),
        }
    };
    format!(
        "spn-{}-{}-{}-{}-{}",
        &rule.direction[..rule.direction.len().min(3)],
        part(&rule.ip_protocol.to_ascii_lowercase()),
        part(&rule.from_port),
        part(&rule.to_port),
        part(&rule.cidr)
    )
}

/// ARM's JSON for a CB-Spider rule at `priority`.
fn arm_rule(rule: &SecurityRuleInfo, priority: i64) -> Value {
    let inbound = rule.direction == "inbound";
    let protocol = match rule.ip_protocol.as_str() {
        "ALL" => "*",
        "TCP" => "Tcp",
        "UDP" => "Udp",
        "ICMP" => "Icmp",
        other => other,
    };
    let ports = match (rule.from_port.as_str(), rule.to_port.as_str()) {
        ("-1", _) | (_, "-1") => "*".to_owned(),
        (from, to) if from == to => from.to_owned(),
        (from, to) => format!("{from}-{to}"),
    };
    let (source, destination) = if inbound {
        (rule.cidr.as_str(), "*")
    } else {
        ("*", rule.cidr.as_str())
    };
    json!({
        "name": rule_name(rule),
        "properties": {
            "protocol": protocol,
            "access": "Allow",
            "direction": if inbound { "Inbound" } else { "Outbound" },
            "priority": priority,
            "sourcePortRange": "*",
            "destinationPortRange": ports,
            "sourceAddressPrefix": source,
            "destinationAddressPrefix": destination,
        },
    })
}

/// Priorities for `rules`, after those `taken`: the lowest free steps, per direction.
fn allocate(taken: &[Value], rules: &[SecurityRuleInfo]) -> DriverResult<Vec<i64>> {
    let mut used: Vec<(String, i64)> = taken
        .iter()
        .filter_map(|rule| {
            let properties = &rule["properties"];
            Some((
                properties["direction"].as_str()?.to_ascii_lowercase(),
                properties["priority"].as_i64()?,
            ))
        })
        .collect();
    let mut priorities = Vec::with_capacity(rules.len());
    for rule in rules {
        let free = (FIRST_PRIORITY..=LAST_PRIORITY)
            .step_by(PRIORITY_STEP as usize)
            .find(|priority| {
                !used
                    .iter()
                    .any(|(direction, used)| *direction == rule.direction && used == priority)
            })
            .ok_or_else(|| {
                DriverError::invalid(format!(
                    "a network security group holds at most {} {} rules",
                    (LAST_PRIORITY - FIRST_PRIORITY) / PRIORITY_STEP + 1,
                    rule.direction
                ))
            })?;
        used.push((rule.direction.clone(), free));
        priorities.push(free);
    }
    Ok(priorities)
}

/// An NSG's own rules as ARM's JSON.
fn rules_of(group: &NetworkSecurityGroup) -> Vec<Value> {
    group
        .properties
        .as_ref()
        .map(|properties| {
            properties
                .security_rules
                .iter()
                .filter_map(|rule| serde_json::to_value(rule).ok())
                .collect()
        })
        .unwrap_or_default()
}

impl AzureConnection {
    pub(super) async fn list_groups_raw(&self) -> DriverResult<Vec<NetworkSecurityGroup>> {
        let (group, subscription) = self.group_and_subscription();
        let pages = self
            .arm
            .network
            .network_security_groups_client()
            .list(group, subscription)
            .into_stream();
        self.arm
            .all("NetworkSecurityGroups_List", pages, |page| page.value)
            .await
    }

    async fn group(&self, id: &str) -> DriverResult<NetworkSecurityGroup> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.network_security_groups_client();
        self.arm
            .read(
                "NetworkSecurityGroups_Get",
                client.get(group, id, subscription).send(),
            )
            .await
    }

    fn security_info(group: NetworkSecurityGroup) -> SecurityInfo {
        let name = group.resource.name.clone().unwrap_or_default();
        let vpc = group
            .resource
            .tags
            .as_ref()
            .and_then(|tags| tags[VPC_TAG].as_str())
            .unwrap_or_default()
            .to_owned();
        SecurityInfo {
            iid: Iid::new(&name, &name),
            vpc_iid: Iid::new(&vpc, &vpc),
            security_rules: rules_of(&group).iter().filter_map(rule_info).collect(),
            key_value_list: group
                .resource
                .id
                .map(|id| vec![KeyValue::new("ResourceId", id)])
                .unwrap_or_default(),
            ..SecurityInfo::default()
        }
    }
}

#[async_trait]
impl SecurityHandler for AzureConnection {
    async fn create_security_group(
        &self,
        request: &SecurityGroupRequest,
    ) -> DriverResult<SecurityInfo> {
        self.ensure_group().await?;
        // The VPC must exist, as on every other cloud.
        self.get_vpc(&request.vpc_id).await?;
        let Scope {
            subscription,
            group,
            location,
        } = self.scope();
        const API: &str = "NetworkSecurityGroups_CreateOrUpdate";
        let priorities = allocate(&[], &request.rules)?;
        let rules: Vec<Value> = request
            .rules
            .iter()
            .zip(priorities)
            .map(|(rule, priority)| arm_rule(rule, priority))
            .collect();
        let body: NetworkSecurityGroup = model(
            API,
            json!({
                "location": location,
                "tags": { VPC_TAG: request.vpc_id },
                "properties": { "securityRules": rules },
            }),
        )?;
        let client = self.arm.network.network_security_groups_client();
        self.arm
            .finish(
                API,
                client
                    .create_or_update(group, &request.name, body, subscription)
                    .send(),
            )
            .await?;
        self.get_security_group(&request.name).await
    }

    async fn list_security_groups(&self) -> DriverResult<Vec<SecurityInfo>> {
        Ok(self
            .list_groups_raw()
            .await?
            .into_iter()
            .map(Self::security_info)
            .collect())
    }

    async fn get_security_group(&self, id: &str) -> DriverResult<SecurityInfo> {
        self.group(id).await.map(Self::security_info)
    }

    async fn delete_security_group(&self, id: &str) -> DriverResult<()> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.network_security_groups_client();
        let status = self
            .arm
            .finish(
                "NetworkSecurityGroups_Delete",
                client.delete(group, id, subscription).send(),
            )
            .await?;
        gone_already(status, "network security group", id)
    }

    async fn add_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<SecurityInfo> {
        let existing = rules_of(&self.group(id).await?);
        let shown: Vec<SecurityRuleInfo> = existing.iter().filter_map(rule_info).collect();
        if let Some(rule) = rules.iter().find(|rule| shown.contains(rule)) {
            return Err(DriverError::new(
                DriverErrorKind::Conflict,
                format!("network security group '{id}' already has the rule {rule:?}"),
            ));
        }
        let (group, subscription) = self.group_and_subscription();
        const API: &str = "SecurityRules_CreateOrUpdate";
        let client = self.arm.network.security_rules_client();
        for (rule, priority) in rules.iter().zip(allocate(&existing, rules)?) {
            let body: SecurityRule = model(API, arm_rule(rule, priority))?;
            self.arm
                .finish(
                    API,
                    client
                        .create_or_update(group, id, rule_name(rule), body, subscription)
                        .send(),
                )
                .await?;
        }
        self.get_security_group(id).await
    }

    async fn remove_rules(&self, id: &str, rules: &[SecurityRuleInfo]) -> DriverResult<()> {
        let existing = rules_of(&self.group(id).await?);
        let mut names = Vec::with_capacity(rules.len());
        for rule in rules {
            let name = existing
                .iter()
                .find(|found| rule_info(found).as_ref() == Some(rule))
                .and_then(|found| found["name"].as_str())
                .ok_or_else(|| {
                    DriverError::not_found(format!(
                        "network security group '{id}' has no rule {rule:?}"
                    ))
                })?;
            names.push(name.to_owned());
        }
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.network.security_rules_client();
        for name in names {
            self.arm
                .finish(
                    "SecurityRules_Delete",
                    client.delete(group, id, name, subscription).send(),
                )
                .await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(direction: &str, protocol: &str, from: &str, to: &str, cidr: &str) -> SecurityRuleInfo {
        SecurityRuleInfo {
            direction: direction.to_owned(),
            ip_protocol: protocol.to_owned(),
            from_port: from.to_owned(),
            to_port: to.to_owned(),
            cidr: cidr.to_owned(),
        }
    }

    #[test]
    fn cb_spider_rules_survive_the_trip_through_arm() {
        for shown in [
            rule("inbound", "TCP", "22", "22", "0.0.0.0/0"),
            rule("inbound", "TCP", "8000", "8080", "10.0.0.0/8"),
            rule("outbound", "ALL", "-1", "-1", "0.0.0.0/0"),
            rule("inbound", "ICMP", "-1", "-1", "192.168.0.0/16"),
            rule("outbound", "UDP", "1", "65535", "0.0.0.0/0"),
        ] {
            let arm = arm_rule(&shown, 100);
            assert_eq!(rule_info(&arm), Some(shown.clone()), "{arm}");
        }
    }

    #[test]
    fn azure_rules_read_as_cb_spider_rules() {
        let azure = json!({ "name": "SSH", "properties": {
            "protocol": "Tcp", "access": "Allow", "direction": "Inbound", "priority": 300,
            "sourcePortRange": "*", "destinationPortRange": "*",
            "sourceAddressPrefix": "Internet", "destinationAddressPrefix": "*",
        }});
        assert_eq!(
            rule_info(&azure),
            Some(rule("inbound", "TCP", "1", "65535", "0.0.0.0/0"))
        );
        let mut deny = azure.clone();
        deny["properties"]["access"] = "Deny".into();
        assert_eq!(rule_info(&deny), None);
    }

    #[test]
    fn priorities_take_the_lowest_free_step_per_direction() {
        let taken = vec![
            arm_rule(&rule("inbound", "TCP", "22", "22", "0.0.0.0/0"), 100),
            arm_rule(&rule("inbound", "TCP", "80", "80", "0.0.0.0/0"), 120),
        ];
        let wanted = [
            rule("inbound", "TCP", "443", "443", "0.0.0.0/0"),
            rule("inbound", "TCP", "8080", "8080", "0.0.0.0/0"),
            rule("outbound", "ALL", "-1", "-1", "0.0.0.0/0"),
        ];
        assert_eq!(allocate(&taken, &wanted).unwrap(), [110, 130, 100]);
    }

    #[test]
    fn rule_names_are_stable_and_valid_for_arm() {
        let name = rule_name(&rule("outbound", "ALL", "-1", "-1", "0.0.0.0/0"));
        assert_eq!(name, "spn-out-all-any-any-0.0.0.0_0");
        assert!(name.len() <= 80);
    }
}
