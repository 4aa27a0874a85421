//! VMs. A start makes a public IP, then a NIC (in the subnet, with the security group), then
//! the VM, each part named and tagged after the VM; a step that fails removes the parts made
//! before it. The VM is made so that deleting it deletes its NIC, public IP and OS disk; a
//! terminate with no VM removes the parts a cut-off start left. Status is the instance view's.

use async_trait::async_trait;
use azure_core::StatusCode;
use azure_mgmt_compute::models::VirtualMachine;
use azure_mgmt_network::models::{NetworkInterface, PublicIpAddress};
use serde_json::{Value, json};

use super::arm::{Scope, model};
use super::catalog::Urn;
use super::keys::VM_USER;
use super::{AzureConnection, name_of};
use crate::contract::{DriverError, DriverResult, VmHandler, VmRequest};
use crate::model::{Iid, KeyValue, OSPlatform, RegionZone, VMInfo, VMStatus};

/// The tag that names the VM a NIC or public IP was made for, so a start cut off between its
/// steps still shows, under the VM's name, what it left.
const VM_TAG: &str = "spinneret-vm";
/// The tag that names the key pair a VM was started with.
const KEY_PAIR_TAG: &str = "spinneret-keypair";

/// The parts a start makes besides the VM, named after it.
struct Parts {
    nic: String,
    public_ip: String,
    disk: String,
}

impl Parts {
    fn of(vm: &str) -> Self {
        Self {
            nic: format!("{vm}-nic"),
            public_ip: format!("{vm}-ip"),
            disk: format!("{vm}-osdisk"),
        }
    }
}

/// The instance view's status codes as a contract status.
fn vm_status(statuses: &Value) -> VMStatus {
    let state = |prefix: &str| {
        statuses
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|status| {
                status["code"]
                    .as_str()?
                    .strip_prefix(prefix)
                    .and_then(|state| state.split('/').next())
                    .map(str::to_ascii_lowercase)
            })
    };
    match (
        state("ProvisioningState/").as_deref(),
        state("PowerState/").as_deref(),
    ) {
        (Some("failed"), _) => VMStatus::Failed,
        (Some("deleting"), _) => VMStatus::Terminating,
        (_, Some("running")) => VMStatus::Running,
        (_, Some("stopping" | "deallocating")) => VMStatus::Suspending,
        (_, Some("stopped" | "deallocated")) => VMStatus::Suspended,
        (Some("creating"), _) | (_, None) => VMStatus::Creating,
        (_, Some(_)) => VMStatus::Resuming,
    }
}

/// The resource group's VMs' parts: NICs and public IPs, to join with VMs by id.
#[derive(Default)]
struct Network {
    nics: Vec<Value>,
    public_ips: Vec<Value>,
}

fn by_id<'a>(items: &'a [Value], id: &Value) -> Option<&'a Value> {
    let id = id.as_str()?;
    items.iter().find(|item| {
        item["id"]
            .as_str()
            .is_some_and(|found| found.eq_ignore_ascii_case(id))
    })
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

impl AzureConnection {
    fn vm_info(&self, vm: &Value, network: &Network) -> VMInfo {
        let properties = &vm["properties"];
        let name = text(&vm["name"]);
        let nic = by_id(
            &network.nics,
            &properties["networkProfile"]["networkInterfaces"][0]["id"],
        );
        let ip_configuration =
            nic.map(|nic| &nic["properties"]["ipConfigurations"][0]["properties"]);
        let public_ip = ip_configuration
            .and_then(|config| by_id(&network.public_ips, &config["publicIPAddress"]["id"]))
            .map(|ip| text(&ip["properties"]["ipAddress"]))
            .unwrap_or_default();
        // `.../virtualNetworks/{vpc}/subnets/{subnet}`
        let subnet_id = ip_configuration
            .map(|config| text(&config["subnet"]["id"]))
            .unwrap_or_default();
        let mut path = subnet_id.rsplit('/');
        let subnet = path.next().unwrap_or_default().to_owned();
        let vpc = path.nth(1).unwrap_or_default().to_owned();
        let groups: Vec<Iid> = nic
            .and_then(|nic| nic["properties"]["networkSecurityGroup"]["id"].as_str())
            .map(|id| vec![Iid::new(name_of(id), name_of(id))])
            .unwrap_or_default();
        let image = &properties["storageProfile"]["imageReference"];
        let urn = Urn::of_reference(image).to_string();
        let os_disk = &properties["storageProfile"]["osDisk"];
        let key_pair = text(&vm["tags"][KEY_PAIR_TAG]);
        let vm_user = text(&properties["osProfile"]["adminUsername"]);
        VMInfo {
            iid: Iid::new(&name, &name),
            start_time: text(&properties["timeCreated"]),
            region: RegionZone {
                region: self.scope().location.clone(),
                zone: vm["zones"][0]
                    .as_str()
                    .map_or_else(|| self.zone.clone(), str::to_owned),
            },
            image_type: "PublicImage".to_owned(),
            image_iid: Iid::new(&urn, &urn),
            vm_spec_name: text(&properties["hardwareProfile"]["vmSize"]),
            vpc_iid: Iid::new(&vpc, &vpc),
            subnet_iid: Iid::new(&subnet, &subnet),
            security_group_iids: groups,
            key_pair_iid: Iid::new(&key_pair, &key_pair),
            root_disk_type: text(&os_disk["managedDisk"]["storageAccountType"]),
            root_disk_size: os_disk["diskSizeGB"]
                .as_i64()
                .map(|size| size.to_string())
                .unwrap_or_default(),
            root_device_name: text(&os_disk["name"]),
            vm_user_id: vm_user,
            network_interface: nic.map(|nic| text(&nic["name"])).unwrap_or_default(),
            ssh_access_point: if public_ip.is_empty() {
                String::new()
            } else {
                format!("{public_ip}:22")
            },
            public_ip,
            private_ip: ip_configuration
                .map(|config| text(&config["privateIPAddress"]))
                .unwrap_or_default(),
            platform: OSPlatform::LinuxUnix,
            key_value_list: vec![KeyValue::new("ResourceId", text(&vm["id"]))],
            status: Some(vm_status(&properties["instanceView"]["statuses"])),
            ..VMInfo::default()
        }
    }

    /// The group's VMs with their instance views, as ARM's JSON.
    async fn vms_raw(&self) -> DriverResult<Vec<Value>> {
        let (group, subscription) = self.group_and_subscription();
        let pages = self
            .arm
            .compute
            .virtual_machines_client()
            .list_all(subscription)
            .status_only("true")
            .into_stream();
        let prefix =
            format!("/subscriptions/{subscription}/resourceGroups/{group}/").to_ascii_lowercase();
        let vms = self
            .arm
            .all("VirtualMachines_ListAll", pages, |page| {
                page.value
                    .into_iter()
                    .filter_map(|vm| serde_json::to_value(vm).ok())
                    .collect()
            })
            .await?;
        Ok(vms
            .into_iter()
            .filter(|vm| text(&vm["id"]).to_ascii_lowercase().starts_with(&prefix))
            .collect())
    }

    /// The group's NICs and public IPs.
    async fn network_raw(&self) -> DriverResult<Network> {
        let (group, subscription) = self.group_and_subscription();
        let nics = self
            .arm
            .network
            .network_interfaces_client()
            .list(group, subscription)
            .into_stream();
        let nics = self
            .arm
            .all("NetworkInterfaces_List", nics, |page| {
                page.value
                    .into_iter()
                    .filter_map(|nic| serde_json::to_value(nic).ok())
                    .collect()
            })
            .await?;
        let ips = self
            .arm
            .network
            .public_ip_addresses_client()
            .list(group, subscription)
            .into_stream();
        let public_ips = self
            .arm
            .all("PublicIPAddresses_List", ips, |page| {
                page.value
                    .into_iter()
                    .filter_map(|ip| serde_json::to_value(ip).ok())
                    .collect()
            })
            .await?;
        Ok(Network { nics, public_ips })
    }

    /// One VM with its instance view, NIC and public IP.
    async fn vm(&self, id: &str) -> DriverResult<(Value, Network)> {
        let (group, subscription) = self.group_and_subscription();
        let vm: Value = self
            .arm
            .read(
                "VirtualMachines_Get",
                self.arm
                    .compute
                    .virtual_machines_client()
                    .get(group, id, subscription)
                    .expand("instanceView")
                    .send(),
            )
            .await?;
        let mut network = Network::default();
        if let Some(nic_id) =
            vm["properties"]["networkProfile"]["networkInterfaces"][0]["id"].as_str()
        {
            let nic: Value = self
                .arm
                .read(
                    "NetworkInterfaces_Get",
                    self.arm
                        .network
                        .network_interfaces_client()
                        .get(group, name_of(nic_id), subscription)
                        .send(),
                )
                .await?;
            if let Some(ip_id) =
                nic["properties"]["ipConfigurations"][0]["properties"]["publicIPAddress"]["id"]
                    .as_str()
            {
                let ip: Value = self
                    .arm
                    .read(
                        "PublicIPAddresses_Get",
                        self.arm
                            .network
                            .public_ip_addresses_client()
                            .get(group, name_of(ip_id), subscription)
                            .send(),
                    )
                    .await?;
                network.public_ips.push(ip);
            }
            network.nics.push(nic);
        }
        Ok((vm, network))
    }

    /// The names of the group's VMs, and of VMs whose start left parts behind.
    pub(super) async fn vm_names(&self) -> DriverResult<Vec<String>> {
        let mut names: Vec<String> = self
            .vms_raw()
            .await?
            .iter()
            .map(|vm| text(&vm["name"]))
            .collect();
        let network = self.network_raw().await?;
        for part in network.nics.iter().chain(&network.public_ips) {
            if let Some(vm) = part["tags"][VM_TAG].as_str()
                && !names.iter().any(|name| name.eq_ignore_ascii_case(vm))
            {
                names.push(vm.to_owned());
            }
        }
        Ok(names)
    }

    /// Deletes a VM's parts, in order; parts already gone are skipped. Answers whether any
    /// part was there.
    async fn delete_parts(&self, parts: &Parts) -> DriverResult<bool> {
        let (group, subscription) = self.group_and_subscription();
        let nics = self.arm.network.network_interfaces_client();
        let ips = self.arm.network.public_ip_addresses_client();
        let disks = self.arm.compute.disks_client();
        // In this order: a NIC holds its public IP.
        let statuses = [
            self.arm
                .finish(
                    "NetworkInterfaces_Delete",
                    nics.delete(group, &parts.nic, subscription).send(),
                )
                .await?,
            self.arm
                .finish(
                    "PublicIPAddresses_Delete",
                    ips.delete(group, &parts.public_ip, subscription).send(),
                )
                .await?,
            self.arm
                .finish(
                    "Disks_Delete",
                    disks.delete(subscription, group, &parts.disk).send(),
                )
                .await?,
        ];
        Ok(statuses
            .into_iter()
            .any(|status| status != StatusCode::NoContent))
    }

    /// Sends a power action; ARM answers 202 and works on, and the VM's status shows how far
    /// it got.
    async fn power(&self, action: Power, id: &str) -> DriverResult<VMStatus> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.compute.virtual_machines_client();
        let api = action.api();
        match action {
            Power::Off => {
                self.arm
                    .send(api, client.power_off(group, id, subscription).send())
                    .await
            }
            Power::On => {
                self.arm
                    .send(api, client.start(group, id, subscription).send())
                    .await
            }
            Power::Restart => {
                self.arm
                    .send(api, client.restart(group, id, subscription).send())
                    .await
            }
        }?;
        Ok(action.entered())
    }
}

#[derive(Clone, Copy)]
enum Power {
    Off,
    On,
    Restart,
}

impl Power {
    fn api(self) -> &'static str {
        match self {
            Power::Off => "VirtualMachines_PowerOff",
            Power::On => "VirtualMachines_Start",
            Power::Restart => "VirtualMachines_Restart",
        }
    }

    fn entered(self) -> VMStatus {
        match self {
            Power::Off => VMStatus::Suspending,
            Power::On => VMStatus::Resuming,
            Power::Restart => VMStatus::Rebooting,
        }
    }
}

#[async_trait]
impl VmHandler for AzureConnection {
    async fn start_vm(&self, request: &VmRequest) -> DriverResult<VMInfo> {
        let image: Urn = request.image_id.parse()?;
        let security_group = match request.security_group_ids.as_slice() {
            [] => None,
            [one] => Some(one.as_str()),
            _ => {
                return Err(DriverError::invalid(
                    "an Azure VM's network interface takes one security group; give one",
                ));
            }
        };
        let public_key = self.public_key(&request.key_pair_id).await?;
        let parts = Parts::of(&request.name);
        let started = self
            .start_parts(request, &image, security_group, &public_key, &parts)
            .await;
        match started {
            Ok(vm) => {
                let mut shown = self.vm_info(&vm, &Network::default());
                shown.vpc_iid = Iid::new(&request.vpc_id, &request.vpc_id);
                shown.subnet_iid = Iid::new(&request.subnet_id, &request.subnet_id);
                shown.security_group_iids = request
                    .security_group_ids
                    .iter()
                    .map(|id| Iid::new(id, id))
                    .collect();
                Ok(shown)
            }
            Err(err) => {
                if let Err(cleanup) = self.delete_parts(&parts).await {
                    tracing::warn!(error = %cleanup, vm = %request.name, "could not remove the parts of a VM whose start failed");
                }
                Err(err)
            }
        }
    }

    async fn suspend_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.power(Power::Off, id).await
    }

    async fn resume_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.power(Power::On, id).await
    }

    async fn reboot_vm(&self, id: &str) -> DriverResult<VMStatus> {
        self.power(Power::Restart, id).await
    }

    /// Deleting the VM deletes its NIC, public IP and OS disk with it (their `deleteOption`).
    /// With no VM, the parts a start left behind are deleted.
    async fn terminate_vm(&self, id: &str) -> DriverResult<VMStatus> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.compute.virtual_machines_client();
        let status = self
            .arm
            .send(
                "VirtualMachines_Delete",
                client.delete(group, id, subscription).send(),
            )
            .await?;
        if status != StatusCode::NoContent {
            return Ok(VMStatus::Terminating);
        }
        if self.delete_parts(&Parts::of(id)).await? {
            return Ok(VMStatus::Terminated);
        }
        Err(DriverError::not_found(format!("VM '{id}' does not exist")))
    }

    async fn get_vm(&self, id: &str) -> DriverResult<VMInfo> {
        let (vm, network) = self.vm(id).await?;
        Ok(self.vm_info(&vm, &network))
    }

    async fn list_vms(&self) -> DriverResult<Vec<VMInfo>> {
        let vms = self.vms_raw().await?;
        let network = if vms.is_empty() {
            Network::default()
        } else {
            self.network_raw().await?
        };
        Ok(vms.iter().map(|vm| self.vm_info(vm, &network)).collect())
    }

    async fn vm_status(&self, id: &str) -> DriverResult<VMStatus> {
        let (group, subscription) = self.group_and_subscription();
        let client = self.arm.compute.virtual_machines_client();
        let view: Value = self
            .arm
            .read(
                "VirtualMachines_InstanceView",
                client.instance_view(group, id, subscription).send(),
            )
            .await?;
        Ok(vm_status(&view["statuses"]))
    }

    async fn list_vm_status(&self) -> DriverResult<Vec<(Iid, VMStatus)>> {
        Ok(self
            .vms_raw()
            .await?
            .iter()
            .map(|vm| {
                let name = text(&vm["name"]);
                (
                    Iid::new(&name, &name),
                    vm_status(&vm["properties"]["instanceView"]["statuses"]),
                )
            })
            .collect())
    }
}

impl AzureConnection {
    /// Makes the public IP and the NIC, waiting for each, then asks for the VM; answers ARM's
    /// first view of the VM.
    async fn start_parts(
        &self,
        request: &VmRequest,
        image: &Urn,
        security_group: Option<&str>,
        public_key: &str,
        parts: &Parts,
    ) -> DriverResult<Value> {
        let Scope {
            subscription,
            group,
            location,
        } = self.scope();
        let tags = json!({ VM_TAG: request.name });

        const IP_API: &str = "PublicIPAddresses_CreateOrUpdate";
        let ip_name = &parts.public_ip;
        let ip: PublicIpAddress = model(
            IP_API,
            json!({
                "location": location, "tags": tags, "sku": { "name": "Standard" },
                "properties": { "publicIPAllocationMethod": "Static", "deleteOption": "Delete" },
            }),
        )?;
        let ips = self.arm.network.public_ip_addresses_client();
        self.arm
            .finish(
                IP_API,
                ips.create_or_update(group, ip_name, ip, subscription)
                    .send(),
            )
            .await?;

        const NIC_API: &str = "NetworkInterfaces_CreateOrUpdate";
        let nic_name = &parts.nic;
        let subnet_id = format!(
            "{}/subnets/{}",
            self.arm_id("Microsoft.Network", "virtualNetworks", &request.vpc_id),
            request.subnet_id
        );
        let mut nic = json!({
            "location": location, "tags": tags,
            "properties": { "ipConfigurations": [{
                "name": "ipconfig1",
                "properties": {
                    "primary": true,
                    "privateIPAllocationMethod": "Dynamic",
                    "subnet": { "id": subnet_id },
                    "publicIPAddress": { "id": self.arm_id("Microsoft.Network", "publicIPAddresses", ip_name) },
                },
            }]},
        });
        if let Some(group_id) = security_group {
            nic["properties"]["networkSecurityGroup"] = json!({ "id": self.arm_id("Microsoft.Network", "networkSecurityGroups", group_id) });
        }
        let nic: NetworkInterface = model(NIC_API, nic)?;
        let nics = self.arm.network.network_interfaces_client();
        self.arm
            .finish(
                NIC_API,
                nics.create_or_update(group, nic_name, nic, subscription)
                    .send(),
            )
            .await?;

        const VM_API: &str = "VirtualMachines_CreateOrUpdate";
        let user = if request.vm_user_id.is_empty() {
            VM_USER
        } else {
            request.vm_user_id.as_str()
        };
        let mut os_disk =
            json!({ "name": parts.disk, "createOption": "FromImage", "deleteOption": "Delete" });
        if !request.root_disk_type.is_empty() {
            os_disk["managedDisk"] = json!({ "storageAccountType": request.root_disk_type });
        }
        if !request.root_disk_size.is_empty() {
            let size: u32 = request.root_disk_size.parse().map_err(|_| {
                DriverError::invalid(format!(
                    "RootDiskSize '{}' must be a whole number of GB",
                    request.root_disk_size
                ))
            })?;
            os_disk["diskSizeGB"] = size.into();
        }
        let mut vm = json!({
            "location": location,
            "tags": { KEY_PAIR_TAG: request.key_pair_id },
            "properties": {
                "hardwareProfile": { "vmSize": request.spec_name },
                "storageProfile": { "imageReference": image.reference(), "osDisk": os_disk },
                "osProfile": {
                    "computerName": request.name,
                    "adminUsername": user,
                    "linuxConfiguration": {
                        "disablePasswordAuthentication": true,
                        "ssh": { "publicKeys": [{
                            "path": format!("/home/{user}/.ssh/authorized_keys"),
                            "keyData": public_key,
                        }]},
                    },
                },
                "networkProfile": { "networkInterfaces": [{
                    "id": self.arm_id("Microsoft.Network", "networkInterfaces", nic_name),
                    "properties": { "primary": true, "deleteOption": "Delete" },
                }]},
            },
        });
        if !self.zone.is_empty() && self.zone.bytes().all(|byte| byte.is_ascii_digit()) {
            vm["zones"] = json!([self.zone]);
        }
        let vm: VirtualMachine = model(VM_API, vm)?;
        let vms = self.arm.compute.virtual_machines_client();
        // ARM has accepted the VM once it answers; the status shows the rest.
        self.arm
            .read(
                VM_API,
                vms.create_or_update(group, &request.name, vm, subscription)
                    .send(),
            )
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn statuses(codes: &[&str]) -> Value {
        Value::Array(codes.iter().map(|code| json!({ "code": code })).collect())
    }

    #[test]
    fn instance_views_map_to_the_contract_states() {
        for (codes, status) in [
            (&["ProvisioningState/creating"][..], VMStatus::Creating),
            (
                &["ProvisioningState/creating", "PowerState/starting"],
                VMStatus::Creating,
            ),
            (
                &["ProvisioningState/succeeded", "PowerState/running"],
                VMStatus::Running,
            ),
            (
                &["ProvisioningState/updating", "PowerState/stopping"],
                VMStatus::Suspending,
            ),
            (
                &["ProvisioningState/succeeded", "PowerState/stopped"],
                VMStatus::Suspended,
            ),
            (
                &["ProvisioningState/succeeded", "PowerState/deallocated"],
                VMStatus::Suspended,
            ),
            (
                &["ProvisioningState/succeeded", "PowerState/starting"],
                VMStatus::Resuming,
            ),
            (
                &[
                    "ProvisioningState/failed/InternalError",
                    "PowerState/running",
                ],
                VMStatus::Failed,
            ),
            (
                &["ProvisioningState/deleting", "PowerState/running"],
                VMStatus::Terminating,
            ),
        ] {
            assert_eq!(vm_status(&statuses(codes)), status, "{codes:?}");
        }
    }
}
