//! Instances. RunInstances carries the Name tag, key pair, security groups and subnet and asks
//! for a public IP; suspend is StopInstances, resume StartInstances, reboot RebootInstances,
//! terminate TerminateInstances. Waiting for Running is the core's bounded backoff.

use async_trait::async_trait;
use aws_sdk_ec2::types::{
    InstanceNetworkInterfaceSpecification, InstanceStateChange, InstanceType, ResourceType,
};

use super::error::{driver_error, missing};
use super::mapping::{self, vm_status};
use super::{AwsConnection, name_tags};
use crate::contract::{
    DriverError, DriverErrorKind, DriverResult, StartPoll, VmHandler, VmRequest,
};
use crate::model::{Iid, VMInfo, VMStatus};

/// RunInstances' idempotency token for a VM's cloud-side name, which is unique per Spinneret
/// row: a start retried after a crash gets the instance the first attempt launched, not a
/// second one. EC2 takes at most 64 characters.
fn client_token(name: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(name.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// The state an instance entered, from a Start/Stop/Terminate answer.
fn entered(api: &str, changes: &[InstanceStateChange]) -> DriverResult<VMStatus> {
    changes
        .first()
        .and_then(|change| change.current_state())
        .and_then(|state| state.name())
        .map(vm_status)
        .ok_or_else(|| missing(api, "instance state"))
}

impl AwsConnection {
    /// The instances (one when `id` is given).
    pub(super) async fn describe_instances(&self, id: Option<&str>) -> DriverResult<Vec<VMInfo>> {
        let mut pages = self
            .client
            .describe_instances()
            .set_instance_ids(id.map(|id| vec![id.to_owned()]))
            .into_paginator()
            .send();
        let mut vms = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|err| driver_error("DescribeInstances", err))?;
            for reservation in page.reservations() {
                vms.extend(
                    reservation
                        .instances()
                        .iter()
                        .map(|instance| mapping::vm(&self.region, instance)),
                );
            }
        }
        Ok(vms)
    }

    async fn instance(&self, id: &str) -> DriverResult<VMInfo> {
        self.describe_instances(Some(id))
            .await?
            .pop()
            .ok_or_else(|| {
                DriverError::not_found(format!("DescribeInstances: instance '{id}' does not exist"))
            })
    }
}

#[async_trait]
impl VmHandler for AwsConnection {
    async fn start_vm(&self, request: &VmRequest) -> DriverResult<VMInfo> {
        let interface = InstanceNetworkInterfaceSpecification::builder()
            .device_index(0)
            .subnet_id(&request.subnet_id)
            .set_groups(Some(request.security_group_ids.clone()))
            .associate_public_ip_address(true)
            .build();
        let answer = self
            .client
            .run_instances()
            .client_token(client_token(&request.name))
            .image_id(&request.image_id)
            .instance_type(InstanceType::from(request.spec_name.as_str()))
            .key_name(&request.key_pair_id)
            .min_count(1)
            .max_count(1)
            .network_interfaces(interface)
            .tag_specifications(name_tags(ResourceType::Instance, &request.name))
            .send()
            .await
            .map_err(|err| driver_error("RunInstances", err))?;
        let instance = answer
            .instances()
            .first()
            .ok_or_else(|| missing("RunInstances", "instance"))?;
        let mut vm = mapping::vm(&self.region, instance);
        vm.iid.name_id.clone_from(&request.name);
        Ok(vm)
    }

    async fn suspend_vm(&self, id: &str) -> DriverResult<VMStatus> {
        let answer = self
            .client
            .stop_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|err| driver_error("StopInstances", err))?;
        entered("StopInstances", answer.stopping_instances())
    }

    async fn resume_vm(&self, id: &str) -> DriverResult<VMStatus> {
        let answer = self
            .client
            .start_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|err| driver_error("StartInstances", err))?;
        entered("StartInstances", answer.starting_instances()).map(|status| match status {
            VMStatus::Creating => VMStatus::Resuming,
            other => other,
        })
    }

    /// EC2 accepts a reboot of a stopped instance and does nothing; Spinneret refuses it.
    async fn reboot_vm(&self, id: &str) -> DriverResult<VMStatus> {
        let status = self.vm_status(id).await?;
        if status != VMStatus::Running {
            return Err(DriverError::new(
                DriverErrorKind::Conflict,
                format!(
                    "RebootInstances: instance '{id}' is {}; reboot needs Running",
                    status.as_str()
                ),
            ));
        }
        self.client
            .reboot_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|err| driver_error("RebootInstances", err))?;
        Ok(VMStatus::Rebooting)
    }

    async fn terminate_vm(&self, id: &str) -> DriverResult<VMStatus> {
        let answer = self
            .client
            .terminate_instances()
            .instance_ids(id)
            .send()
            .await
            .map_err(|err| driver_error("TerminateInstances", err))?;
        entered("TerminateInstances", answer.terminating_instances())
    }

    async fn get_vm(&self, id: &str) -> DriverResult<VMInfo> {
        self.instance(id).await
    }

    async fn list_vms(&self) -> DriverResult<Vec<VMInfo>> {
        self.describe_instances(None).await
    }

    async fn vm_status(&self, id: &str) -> DriverResult<VMStatus> {
        let vm = self.instance(id).await?;
        vm.status
            .ok_or_else(|| missing("DescribeInstances", "instance state"))
    }

    /// DescribeInstances already describes the whole instance: a start needs no second look.
    async fn poll_start(&self, id: &str) -> DriverResult<StartPoll> {
        StartPoll::of(self.instance(id).await?)
            .ok_or_else(|| missing("DescribeInstances", "instance state"))
    }

    async fn list_vm_status(&self) -> DriverResult<Vec<(Iid, VMStatus)>> {
        Ok(self
            .describe_instances(None)
            .await?
            .into_iter()
            .filter_map(|vm| Some((vm.iid, vm.status?)))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::client_token;

    #[test]
    fn client_tokens_fit_ec2_and_follow_the_name() {
        let token = client_token(&format!("{}-k3j9", "a".repeat(255)));
        assert_eq!(token.len(), 64);
        assert_eq!(token, client_token(&format!("{}-k3j9", "a".repeat(255))));
        assert_ne!(client_token("vm-01-k3j9"), client_token("vm-01-x8q2"));
    }
}
