//! Server functions for a connection's resources: VPCs, security groups, key pairs and VMs,
//! and the dashboard's per-connection counts. Each is one call into the core, under the HTTP
//! request's id so the cloud calls it causes are traceable in the call history.
//!
//! The create forms have dynamic rows, so these take JSON bodies built from the page's state.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};
use spinneret_drivers::model::{
    KeyPairInfo, KeyPairReqInfo, ResourceKind, SecurityInfo, SecurityReqInfo, SecurityRuleInfo,
    SubnetReqInfo, VMInfo, VMReqInfo, VMStatus, VPCInfo, VPCReqInfo,
};

#[cfg(feature = "ssr")]
use super::ssr::{core, in_request, user_error};

#[server(endpoint = "vpcs/list")]
pub async fn list_vpcs(connection: String) -> Result<Vec<VPCInfo>, ServerFnError> {
    in_request(core()?.list_vpcs(&connection))
        .await
        .map_err(user_error)
}

#[server(endpoint = "vpcs/create", input = Json)]
pub async fn create_vpc(connection: String, info: VPCReqInfo) -> Result<VPCInfo, ServerFnError> {
    in_request(core()?.create_vpc(&connection, info))
        .await
        .map_err(user_error)
}

#[server(endpoint = "vpcs/add-subnet", input = Json)]
pub async fn add_subnet(
    connection: String,
    vpc: String,
    info: SubnetReqInfo,
) -> Result<VPCInfo, ServerFnError> {
    in_request(core()?.add_subnet(&connection, &vpc, info))
        .await
        .map_err(user_error)
}

#[server(endpoint = "security-groups/list")]
pub async fn list_security_groups(connection: String) -> Result<Vec<SecurityInfo>, ServerFnError> {
    in_request(core()?.list_security_groups(&connection))
        .await
        .map_err(user_error)
}

#[server(endpoint = "security-groups/create", input = Json)]
pub async fn create_security_group(
    connection: String,
    info: SecurityReqInfo,
) -> Result<SecurityInfo, ServerFnError> {
    in_request(core()?.create_security_group(&connection, info))
        .await
        .map_err(user_error)
}

#[server(endpoint = "security-groups/add-rules", input = Json)]
pub async fn add_rules(
    connection: String,
    name: String,
    rules: Vec<SecurityRuleInfo>,
) -> Result<SecurityInfo, ServerFnError> {
    in_request(core()?.add_rules(&connection, &name, &rules))
        .await
        .map_err(user_error)
}

#[server(endpoint = "security-groups/remove-rules", input = Json)]
pub async fn remove_rules(
    connection: String,
    name: String,
    rules: Vec<SecurityRuleInfo>,
) -> Result<(), ServerFnError> {
    in_request(core()?.remove_rules(&connection, &name, &rules))
        .await
        .map_err(user_error)
}

#[server(endpoint = "key-pairs/list")]
pub async fn list_key_pairs(connection: String) -> Result<Vec<KeyPairInfo>, ServerFnError> {
    in_request(core()?.list_key_pairs(&connection))
        .await
        .map_err(user_error)
}

/// The one answer that carries the private key.
#[server(endpoint = "key-pairs/create", input = Json)]
pub async fn create_key_pair(
    connection: String,
    info: KeyPairReqInfo,
) -> Result<KeyPairInfo, ServerFnError> {
    in_request(core()?.create_key_pair(&connection, info))
        .await
        .map_err(user_error)
}

#[server(endpoint = "vms/list")]
pub async fn list_vms(connection: String) -> Result<Vec<VMInfo>, ServerFnError> {
    in_request(core()?.list_vms(&connection))
        .await
        .map_err(user_error)
}

/// Answers once the VM is Running or Failed; the VM table shows it Creating meanwhile.
#[server(endpoint = "vms/start", input = Json)]
pub async fn start_vm(connection: String, info: VMReqInfo) -> Result<VMInfo, ServerFnError> {
    in_request(core()?.start_vm(&connection, info))
        .await
        .map_err(user_error)
}

/// `action` is `suspend`, `resume` or `reboot`.
#[server(endpoint = "vms/control", input = Json)]
pub async fn control_vm(
    connection: String,
    name: String,
    action: String,
) -> Result<VMStatus, ServerFnError> {
    let action = action.parse().map_err(user_error)?;
    in_request(core()?.control_vm(&connection, &name, action))
        .await
        .map_err(user_error)
}

/// How a delete ended: done, or refused because other resources use the record, which the
/// AdminWeb answers with "Delete anyway".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Deletion {
    Done {
        kind: ResourceKind,
    },
    InUse {
        kind: ResourceKind,
        name: String,
        /// The VPC of a subnet; empty for other kinds.
        vpc: String,
        /// Who uses it, e.g. `security group 'sg-01', VM 'vm-01'`.
        used_by: String,
    },
}

/// Deletes a VPC, security group or key pair, removes a subnet from its `vpc`, or terminates
/// a VM; with `force`, even while other resources use it.
#[server(endpoint = "resources/delete", input = Json)]
pub async fn delete_resource(
    connection: String,
    kind: ResourceKind,
    name: String,
    /// The VPC of a subnet; empty for other kinds.
    #[server(default)]
    vpc: String,
    force: bool,
) -> Result<Deletion, ServerFnError> {
    let core = core()?;
    let deleted = if kind == ResourceKind::Subnet {
        in_request(core.remove_subnet(&connection, &vpc, &name, force)).await
    } else {
        in_request(core.delete_resource(&connection, kind, &name, force)).await
    };
    match deleted {
        Ok(()) => Ok(Deletion::Done { kind }),
        Err(err) => match err.used_by() {
            Some(users) => Ok(Deletion::InUse {
                kind,
                name,
                vpc,
                used_by: users.to_owned(),
            }),
            None => Err(user_error(err)),
        },
    }
}

/// One connection's resources, for the dashboard.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConnectionResources {
    pub vpcs: u64,
    pub security_groups: u64,
    pub key_pairs: u64,
    /// Each VM status that occurs, with its count.
    pub vms_by_status: Vec<(VMStatus, u64)>,
}

/// One connection's counts. Each connection has its own call, so the dashboard shows every
/// connection as soon as its own cloud answers, whatever the others do.
#[server(endpoint = "dashboard/counts")]
pub async fn connection_counts(connection: String) -> Result<ConnectionResources, ServerFnError> {
    let counts = in_request(core()?.resource_counts(&connection))
        .await
        .map_err(user_error)?;
    Ok(ConnectionResources {
        vpcs: counts.vpcs,
        security_groups: counts.security_groups,
        key_pairs: counts.key_pairs,
        vms_by_status: counts.vms_by_status,
    })
}
