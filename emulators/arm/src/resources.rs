//! What each resource type checks, refuses and fills in, the way ARM does.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::catalog;
use crate::error::{ArmError, ArmResult};
use crate::kind::Kind;
use crate::state::{Cloud, Effect, Stored};

/// A resource's address: its kind, its id as the client wrote it, and its resource group.
pub struct Addressed {
    pub kind: Kind,
    pub id: String,
    pub group: String,
}

impl Addressed {
    pub fn new(kind: Kind, id: String, group: String) -> Self {
        Self { kind, id, group }
    }

    fn key(&self) -> String {
        self.id.to_ascii_lowercase()
    }

    fn name(&self) -> &str {
        self.id.rsplit('/').next().unwrap_or_default()
    }

    /// The parent's id, for a child (`.../virtualNetworks/v` of `.../v/subnets/s`).
    fn parent(&self) -> Option<String> {
        self.kind.is_child().then(|| {
            let mut parts: Vec<&str> = self.id.split('/').collect();
            parts.truncate(parts.len() - 2);
            parts.join("/")
        })
    }

    fn group_key(&self) -> String {
        self.id
            .split('/')
            .take(5)
            .collect::<Vec<_>>()
            .join("/")
            .to_ascii_lowercase()
    }

    fn not_found(&self) -> ArmError {
        ArmError::not_found(self.kind.arm_type(), self.name(), &self.group)
    }
}

pub fn put_group(cloud: &mut Cloud, id: &str, body: Value) -> ArmResult<Response> {
    let location = body["location"].as_str().ok_or_else(|| {
        ArmError::bad_request(
            "LocationRequired",
            "The location property is required for this definition.",
        )
    })?;
    let name = id.rsplit('/').next().unwrap_or_default();
    let group = json!({
        "id": id, "name": name, "type": "Microsoft.Resources/resourceGroups", "location": location,
        "tags": body.get("tags").cloned().unwrap_or_else(|| json!({})),
        "properties": { "provisioningState": "Succeeded" },
    });
    let created = cloud
        .groups
        .insert(id.to_ascii_lowercase(), group.clone())
        .is_none();
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(group)).into_response())
}

pub fn get_group(cloud: &Cloud, id: &str) -> ArmResult<Response> {
    cloud
        .groups
        .get(&id.to_ascii_lowercase())
        .map(|group| Json(group.clone()).into_response())
        .ok_or_else(|| group_not_found(id))
}

fn group_not_found(id: &str) -> ArmError {
    let name = id.split('/').nth(4).unwrap_or_default();
    ArmError::new(
        StatusCode::NOT_FOUND,
        "ResourceGroupNotFound",
        format!("Resource group '{name}' could not be found."),
    )
}

/// Deletes a group and everything in it.
pub fn delete_group(cloud: &mut Cloud, id: &str) -> ArmResult<String> {
    let key = id.to_ascii_lowercase();
    if cloud.groups.remove(&key).is_none() {
        return Err(group_not_found(id));
    }
    Ok(cloud.begin(Effect::Deleted(key)))
}

/// Creates or replaces a resource. Returns whether it was created, what it reads as now and
/// the operation that provisions it.
pub fn put(cloud: &mut Cloud, at: &Addressed, body: Value) -> ArmResult<(bool, Value, String)> {
    if !cloud.groups.contains_key(&at.group_key()) {
        return Err(group_not_found(&at.id));
    }
    if let Some(parent) = at.parent()
        && !cloud.resources.contains_key(&parent.to_ascii_lowercase())
    {
        let kind = Kind::of_parent(at.kind);
        let name = parent.rsplit('/').next().unwrap_or_default();
        return Err(ArmError::not_found(kind.arm_type(), name, &at.group));
    }
    let existing = cloud.resources.get(&at.key()).cloned();
    let mut body = body;
    let properties = body.get("properties").cloned().unwrap_or_else(|| json!({}));
    let location = match at.kind.is_child() {
        true => None,
        false => Some(
            body["location"]
                .as_str()
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "LocationRequired",
                        "The location property is required for this definition.",
                    )
                })?
                .to_owned(),
        ),
    };
    let children = at.kind.child().and_then(|(_, field)| {
        body["properties"]
            .as_object_mut()
            .and_then(|properties| properties.remove(field))
    });
    let mut properties = check(cloud, at, properties, existing.as_ref())?;
    properties["provisioningState"] = if existing.is_some() {
        "Updating"
    } else {
        "Creating"
    }
    .into();
    let mut stored = json!({
        "id": at.id,
        "name": at.name(),
        "type": at.kind.arm_type(),
        "properties": properties,
    });
    if let Some(location) = location {
        stored["location"] = location.into();
        stored["tags"] = body.get("tags").cloned().unwrap_or_else(|| json!({}));
    }
    if at.kind == Kind::VirtualMachine {
        attach_vm(cloud, at, &mut stored)?;
    }
    cloud.resources.insert(
        at.key(),
        Stored {
            id: at.id.clone(),
            kind: at.kind,
            body: stored,
        },
    );
    if let (Some((child_kind, _)), Some(Value::Array(listed))) = (at.kind.child(), children) {
        for child in listed {
            let name = child["name"].as_str().unwrap_or_default().to_owned();
            let child_at = Addressed::new(
                child_kind,
                format!(
                    "{}/{}/{name}",
                    at.id,
                    child_kind.arm_type().rsplit('/').next().unwrap_or_default()
                ),
                at.group.clone(),
            );
            put(cloud, &child_at, child)?;
        }
    }
    let operation = cloud.begin(Effect::Provisioned(at.key()));
    Ok((
        existing.is_none(),
        render(cloud, &at.key(), false),
        operation,
    ))
}

/// The resource as ARM shows it: children embedded, a VM's instance view on request.
fn render(cloud: &Cloud, key: &str, instance_view: bool) -> Value {
    let Some(stored) = cloud.resources.get(key) else {
        return Value::Null;
    };
    let mut body = stored.body.clone();
    if let Some((child, field)) = stored.kind.child() {
        body["properties"][field] = Value::Array(
            cloud
                .resources
                .iter()
                .filter(|(id, found)| found.kind == child && id.starts_with(&format!("{key}/")))
                .map(|(_, found)| found.body.clone())
                .collect(),
        );
    }
    if instance_view && stored.kind == Kind::VirtualMachine {
        body["properties"]["instanceView"] = view_of(cloud, key, stored);
    }
    body
}

fn view_of(cloud: &Cloud, key: &str, stored: &Stored) -> Value {
    let provisioning = stored.body["properties"]["provisioningState"]
        .as_str()
        .unwrap_or("Succeeded")
        .to_ascii_lowercase();
    let mut statuses =
        vec![json!({ "code": format!("ProvisioningState/{provisioning}"), "level": "Info" })];
    if let Some(power) = cloud.power.get(key) {
        statuses.push(json!({ "code": format!("PowerState/{power}"), "level": "Info" }));
    }
    json!({ "statuses": statuses })
}

pub fn get(cloud: &Cloud, at: &Addressed, instance_view: bool) -> ArmResult<Value> {
    if cloud.resources.contains_key(&at.key()) {
        Ok(render(cloud, &at.key(), instance_view))
    } else {
        Err(at.not_found())
    }
}

pub fn instance_view(cloud: &Cloud, at: &Addressed) -> ArmResult<Value> {
    let stored = cloud
        .resources
        .get(&at.key())
        .ok_or_else(|| at.not_found())?;
    Ok(view_of(cloud, &at.key(), stored))
}

/// Every resource of `kind` under `scope` (a subscription, group or parent id); VMs with
/// their instance views on request (`statusOnly`, `$expand=instanceView`).
pub fn list(cloud: &Cloud, kind: Kind, scope: &str, instance_views: bool) -> Vec<Value> {
    let prefix = format!("{}/", scope.to_ascii_lowercase());
    cloud
        .resources
        .iter()
        .filter(|(id, stored)| stored.kind == kind && id.starts_with(&prefix))
        .map(|(id, _)| render(cloud, id, instance_views))
        .collect()
}

/// Starts a delete; `None` when there was nothing to delete (ARM's 204).
pub fn delete(cloud: &mut Cloud, at: &Addressed) -> ArmResult<Option<String>> {
    let key = at.key();
    let Some(stored) = cloud.resources.get(&key).cloned() else {
        return Ok(None);
    };
    refuse_in_use(cloud, at, &stored)?;
    if let Some(found) = cloud.resources.get_mut(&key) {
        found.body["properties"]["provisioningState"] = "Deleting".into();
    }
    Ok(Some(cloud.begin(Effect::Deleted(key))))
}

/// ARM's refusals to delete what others use: 400 with an `InUse*` code (409 for disks).
fn refuse_in_use(cloud: &Cloud, at: &Addressed, stored: &Stored) -> ArmResult<()> {
    let in_use = |code: &str, what: &str, users: &[&Stored]| {
        let names: Vec<&str> = users.iter().map(|user| user.id.as_str()).collect();
        Err(ArmError::bad_request(
            code,
            format!(
                "{what} {} is in use by {} and cannot be deleted.",
                at.id,
                names.join(", ")
            ),
        ))
    };
    match at.kind {
        Kind::Subnet => {
            let users = cloud.referrers(Kind::NetworkInterface, &at.id);
            if !users.is_empty() {
                return in_use("InUseSubnetCannotBeDeleted", "Subnet", &users);
            }
        }
        Kind::VirtualNetwork => {
            let prefix = format!("{}/", at.key());
            for (id, subnet) in &cloud.resources {
                if subnet.kind == Kind::Subnet && id.starts_with(&prefix) {
                    let users = cloud.referrers(Kind::NetworkInterface, &subnet.id);
                    if !users.is_empty() {
                        return in_use("InUseSubnetCannotBeDeleted", "Subnet", &users);
                    }
                }
            }
        }
        Kind::NetworkSecurityGroup => {
            let mut users = cloud.referrers(Kind::NetworkInterface, &at.id);
            users.extend(cloud.referrers(Kind::Subnet, &at.id));
            if !users.is_empty() {
                return in_use(
                    "InUseNetworkSecurityGroupCannotBeDeleted",
                    "Network security group",
                    &users,
                );
            }
        }
        Kind::PublicIp => {
            let users = cloud.referrers(Kind::NetworkInterface, &at.id);
            if !users.is_empty() {
                return in_use(
                    "PublicIPAddressCannotBeDeleted",
                    "Public IP address",
                    &users,
                );
            }
        }
        Kind::NetworkInterface if stored.body["properties"]["virtualMachine"].is_object() => {
            return Err(ArmError::bad_request(
                "NicInUse",
                format!(
                    "Network Interface {} is used by existing resource {}.",
                    at.id, stored.body["properties"]["virtualMachine"]["id"]
                ),
            ));
        }
        Kind::Disk if stored.body["managedBy"].is_string() => {
            return Err(ArmError::new(
                StatusCode::CONFLICT,
                "OperationNotAllowed",
                format!(
                    "Disk {} is attached to VM {}.",
                    at.name(),
                    stored.body["managedBy"]
                ),
            ));
        }
        _ => {}
    }
    Ok(())
}

/// A VM's power action: `powerOff`, `start`, `restart` or `deallocate`.
pub fn power(cloud: &mut Cloud, at: &Addressed, action: &str) -> ArmResult<String> {
    let key = at.key();
    if !cloud.resources.contains_key(&key) {
        return Err(at.not_found());
    }
    let now = cloud.power.get(&key).copied().unwrap_or("starting");
    let (allowed, during, after): (&[&str], &'static str, &'static str) =
        match action.to_ascii_lowercase().as_str() {
            "poweroff" => (&["running"], "stopping", "stopped"),
            "start" => (&["stopped", "deallocated"], "starting", "running"),
            "restart" => (&["running"], "starting", "running"),
            "deallocate" => (&["running", "stopped"], "deallocating", "deallocated"),
            _ => {
                return Err(ArmError::new(
                    StatusCode::NOT_FOUND,
                    "InvalidResourceType",
                    format!("The action '{action}' is not known for virtual machines."),
                ));
            }
        };
    if !allowed.contains(&now) {
        return Err(ArmError::new(
            StatusCode::CONFLICT,
            "OperationNotAllowed",
            format!(
                "Operation '{action}' is not allowed on VM '{}' since the VM is {now}.",
                at.name()
            ),
        ));
    }
    cloud.power.insert(key.clone(), during);
    Ok(cloud.begin(Effect::Power(key, after)))
}

/// Checks a resource's properties against ARM's rules and fills in what ARM assigns.
fn check(
    cloud: &mut Cloud,
    at: &Addressed,
    mut properties: Value,
    existing: Option<&Stored>,
) -> ArmResult<Value> {
    let reference_exists = |cloud: &Cloud, field: &str, value: &Value| -> ArmResult<()> {
        match value["id"].as_str() {
            Some(id) if !cloud.resources.contains_key(&id.to_ascii_lowercase()) => {
                Err(ArmError::bad_request(
                    "InvalidResourceReference",
                    format!("Resource {id} referenced by {field} was not found."),
                ))
            }
            _ => Ok(()),
        }
    };
    match at.kind {
        Kind::VirtualNetwork => {
            let prefixes = properties["addressSpace"]["addressPrefixes"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if prefixes.is_empty() || prefixes.iter().any(|prefix| cidr(prefix).is_none()) {
                return Err(ArmError::invalid(
                    "addressSpace.addressPrefixes must hold at least one IPv4 CIDR.",
                ));
            }
        }
        Kind::Subnet => {
            let prefix = cidr(&properties["addressPrefix"])
                .ok_or_else(|| ArmError::invalid("addressPrefix must be an IPv4 CIDR."))?;
            let parent = at.parent().unwrap_or_default().to_ascii_lowercase();
            let vnet = &cloud.resources[&parent].body;
            let inside = vnet["properties"]["addressSpace"]["addressPrefixes"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(cidr)
                .any(|range| contains(range, prefix));
            if !inside {
                return Err(ArmError::bad_request(
                    "NetcfgSubnetRangeOutsideVnet",
                    format!(
                        "Subnet '{}' is not valid because its IP address range is outside the IP address range of virtual network.",
                        at.name()
                    ),
                ));
            }
            let overlaps = cloud.resources.iter().any(|(id, sibling)| {
                sibling.kind == Kind::Subnet
                    && id.starts_with(&format!("{parent}/"))
                    && *id != at.key()
                    && cidr(&sibling.body["properties"]["addressPrefix"])
                        .is_some_and(|other| overlap(other, prefix))
            });
            if overlaps {
                return Err(ArmError::bad_request(
                    "NetcfgSubnetRangesOverlap",
                    format!(
                        "Subnet '{}' is not valid because its IP address range overlaps with that of another subnet.",
                        at.name()
                    ),
                ));
            }
            reference_exists(
                cloud,
                "networkSecurityGroup",
                &properties["networkSecurityGroup"],
            )?;
        }
        Kind::SecurityRule => {
            let priority = properties["priority"].as_u64().unwrap_or(0);
            if !(100..=4096).contains(&priority) {
                return Err(ArmError::bad_request(
                    "SecurityRuleInvalidPriority",
                    "Security rule priority must be between 100 and 4096.",
                ));
            }
            let direction = properties["direction"]
                .as_str()
                .unwrap_or_default()
                .to_owned();
            if !["Inbound", "Outbound"]
                .iter()
                .any(|d| d.eq_ignore_ascii_case(&direction))
            {
                return Err(ArmError::invalid("direction must be Inbound or Outbound."));
            }
            if !["Allow", "Deny"].iter().any(|a| {
                properties["access"]
                    .as_str()
                    .is_some_and(|v| a.eq_ignore_ascii_case(v))
            }) {
                return Err(ArmError::invalid("access must be Allow or Deny."));
            }
            if !["Tcp", "Udp", "Icmp", "*", "Esp", "Ah"].iter().any(|p| {
                properties["protocol"]
                    .as_str()
                    .is_some_and(|v| p.eq_ignore_ascii_case(v))
            }) {
                return Err(ArmError::invalid(
                    "protocol must be Tcp, Udp, Icmp, Esp, Ah or *.",
                ));
            }
            let parent = at.parent().unwrap_or_default().to_ascii_lowercase();
            let conflict = cloud.resources.iter().any(|(id, rule)| {
                rule.kind == Kind::SecurityRule
                    && id.starts_with(&format!("{parent}/"))
                    && *id != at.key()
                    && rule.body["properties"]["priority"].as_u64() == Some(priority)
                    && rule.body["properties"]["direction"]
                        .as_str()
                        .is_some_and(|d| d.eq_ignore_ascii_case(&direction))
            });
            if conflict {
                return Err(ArmError::bad_request(
                    "SecurityRuleConflict",
                    format!(
                        "Security rule {} conflicts with another rule of priority {priority} and direction {direction}.",
                        at.name()
                    ),
                ));
            }
        }
        Kind::PublicIp => {
            let address = existing
                .and_then(|stored| {
                    stored.body["properties"]["ipAddress"]
                        .as_str()
                        .map(str::to_owned)
                })
                .unwrap_or_else(|| cloud.address(20));
            properties["ipAddress"] = address.into();
        }
        Kind::NetworkInterface => {
            let configurations = properties["ipConfigurations"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if configurations.is_empty() {
                return Err(ArmError::invalid(
                    "ipConfigurations must hold at least one IP configuration.",
                ));
            }
            let mut filled = Vec::with_capacity(configurations.len());
            for mut configuration in configurations {
                let config = &configuration["properties"];
                reference_exists(cloud, "subnet", &config["subnet"])?;
                reference_exists(cloud, "publicIPAddress", &config["publicIPAddress"])?;
                if config["subnet"]["id"].as_str().is_none() {
                    return Err(ArmError::invalid(
                        "ipConfigurations[].properties.subnet.id is required.",
                    ));
                }
                let subnet = config["subnet"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                configuration["properties"]["privateIPAddress"] =
                    private_address(cloud, &subnet, at)?.into();
                filled.push(configuration);
            }
            properties["ipConfigurations"] = Value::Array(filled);
            reference_exists(
                cloud,
                "networkSecurityGroup",
                &properties["networkSecurityGroup"],
            )?;
            if let Some(vm) =
                existing.and_then(|stored| stored.body["properties"].get("virtualMachine"))
            {
                properties["virtualMachine"] = vm.clone();
            }
        }
        Kind::VirtualMachine => {
            let size = properties["hardwareProfile"]["vmSize"]
                .as_str()
                .unwrap_or_default();
            if !catalog::size_exists(size) {
                return Err(ArmError::invalid(format!(
                    "The requested VM size {size} is not available in the current region."
                )));
            }
            let image = &properties["storageProfile"]["imageReference"];
            let text = |field: &str| image[field].as_str().unwrap_or_default().to_owned();
            if catalog::image_os(
                &text("publisher"),
                &text("offer"),
                &text("sku"),
                &text("version"),
            )
            .is_none()
            {
                return Err(ArmError::new(
                    StatusCode::NOT_FOUND,
                    "PlatformImageNotFound",
                    format!(
                        "The platform image '{}:{}:{}:{}' is not available.",
                        text("publisher"),
                        text("offer"),
                        text("sku"),
                        text("version")
                    ),
                ));
            }
            if existing.is_none()
                && properties["osProfile"]["adminUsername"]
                    .as_str()
                    .is_none_or(str::is_empty)
            {
                return Err(ArmError::invalid("osProfile.adminUsername is required."));
            }
            let nics = properties["networkProfile"]["networkInterfaces"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            if nics.is_empty() {
                return Err(ArmError::invalid(
                    "networkProfile.networkInterfaces must name at least one network interface.",
                ));
            }
            for nic in &nics {
                reference_exists(cloud, "networkInterfaces", nic)?;
                let nic_key = nic["id"].as_str().unwrap_or_default().to_ascii_lowercase();
                if let Some(owner) =
                    cloud.resources[&nic_key].body["properties"]["virtualMachine"]["id"].as_str()
                    && !owner.eq_ignore_ascii_case(&at.id)
                {
                    return Err(ArmError::bad_request(
                        "NicInUse",
                        format!(
                            "Network Interface {} is used by existing resource {owner}.",
                            nic["id"]
                        ),
                    ));
                }
            }
        }
        Kind::SshPublicKey => {
            if !properties["publicKey"]
                .as_str()
                .is_some_and(|key| key.starts_with("ssh-"))
            {
                return Err(ArmError::invalid(
                    "publicKey must be an OpenSSH public key.",
                ));
            }
        }
        Kind::NetworkSecurityGroup | Kind::Disk => {}
    }
    Ok(properties)
}

/// A new VM takes its NICs and gets an OS disk of its own.
fn attach_vm(cloud: &mut Cloud, at: &Addressed, stored: &mut Value) -> ArmResult<()> {
    for nic in stored["properties"]["networkProfile"]["networkInterfaces"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let key = nic["id"].as_str().unwrap_or_default().to_ascii_lowercase();
        if let Some(found) = cloud.resources.get_mut(&key) {
            found.body["properties"]["virtualMachine"] = json!({ "id": at.id });
        }
    }
    let os_disk = &stored["properties"]["storageProfile"]["osDisk"];
    let disk_name = os_disk["name"]
        .as_str()
        .map_or_else(|| format!("{}_OsDisk_1", at.name()), str::to_owned);
    let group_id: String = at.id.split('/').take(5).collect::<Vec<_>>().join("/");
    let disk_id = format!("{group_id}/providers/Microsoft.Compute/disks/{disk_name}");
    stored["properties"]["storageProfile"]["osDisk"]["name"] = disk_name.clone().into();
    stored["properties"]["storageProfile"]["osDisk"]["managedDisk"] = json!({ "id": disk_id });
    cloud
        .resources
        .entry(disk_id.to_ascii_lowercase())
        .or_insert_with(|| Stored {
            id: disk_id.clone(),
            kind: Kind::Disk,
            body: json!({
                "id": disk_id, "name": disk_name, "type": Kind::Disk.arm_type(),
                "location": stored["location"], "managedBy": at.id,
                "properties": { "provisioningState": "Succeeded", "diskSizeGB": 30 },
            }),
        });
    cloud.power.insert(at.key(), "starting");
    Ok(())
}

/// The lowest free address of a subnet for a NIC, from the fifth on: Azure reserves a
/// subnet's first four. A NIC being updated keeps none of its own.
fn private_address(cloud: &Cloud, subnet_id: &str, nic: &Addressed) -> ArmResult<String> {
    let subnet = &cloud.resources[&subnet_id.to_ascii_lowercase()];
    let (network, length) = cidr(&subnet.body["properties"]["addressPrefix"])
        .ok_or_else(|| ArmError::invalid("the subnet has no addressPrefix."))?;
    let taken: Vec<&str> = cloud
        .referrers(Kind::NetworkInterface, subnet_id)
        .into_iter()
        .filter(|user| !user.id.eq_ignore_ascii_case(&nic.id))
        .flat_map(|user| {
            user.body["properties"]["ipConfigurations"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|config| config["properties"]["privateIPAddress"].as_str())
        })
        .collect();
    let last = network | !mask(length);
    (network + 4..last)
        .map(|address| std::net::Ipv4Addr::from(address).to_string())
        .find(|address| !taken.contains(&address.as_str()))
        .ok_or_else(|| {
            ArmError::bad_request(
                "SubnetIsFull",
                format!("Subnet {subnet_id} has no free address."),
            )
        })
}

/// An IPv4 CIDR as (network, prefix length).
fn cidr(value: &Value) -> Option<(u32, u32)> {
    let (address, length) = value.as_str()?.split_once('/')?;
    let address: std::net::Ipv4Addr = address.parse().ok()?;
    let length: u32 = length.parse().ok().filter(|length| *length <= 32)?;
    Some((u32::from(address), length))
}

fn mask(length: u32) -> u32 {
    u32::MAX.checked_shl(32 - length).unwrap_or(0)
}

fn contains(outer: (u32, u32), inner: (u32, u32)) -> bool {
    inner.1 >= outer.1 && (inner.0 & mask(outer.1)) == (outer.0 & mask(outer.1))
}

fn overlap(a: (u32, u32), b: (u32, u32)) -> bool {
    contains(a, b) || contains(b, a)
}
