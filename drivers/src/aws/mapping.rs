//! Pure translations between EC2's types and Spinneret's model: states, firewall rules,
//! images, instance types and instances. No calls here, so all of it is unit-tested.

use aws_sdk_ec2::primitives::DateTimeFormat;
use aws_sdk_ec2::types::{
    Image, Instance, InstanceStateName, InstanceTypeInfo, IpPermission, IpRange, Tag,
};

use crate::model::{
    GpuInfo, Iid, ImageInfo, ImageStatus, OSArchitecture, OSPlatform, RegionZone, SecurityRuleInfo,
    VCpuInfo, VMInfo, VMSpecInfo, VMStatus,
};

/// The `Name` tag, where EC2 keeps the cloud-side name Spinneret gave a resource.
pub(super) fn name_tag(tags: &[Tag]) -> String {
    tags.iter()
        .find(|tag| tag.key() == Some("Name"))
        .and_then(Tag::value)
        .unwrap_or_default()
        .to_owned()
}

pub(super) fn vm_status(state: &InstanceStateName) -> VMStatus {
    match state {
        InstanceStateName::Pending => VMStatus::Creating,
        InstanceStateName::Running => VMStatus::Running,
        InstanceStateName::Stopping => VMStatus::Suspending,
        InstanceStateName::Stopped => VMStatus::Suspended,
        InstanceStateName::ShuttingDown => VMStatus::Terminating,
        InstanceStateName::Terminated => VMStatus::Terminated,
        _ => VMStatus::NotExist,
    }
}

/// A normalised rule as an EC2 permission: `ALL` is protocol `-1` without ports, ICMP keeps
/// EC2's `-1` type and code.
pub(super) fn permission(rule: &SecurityRuleInfo) -> IpPermission {
    let range = IpRange::builder().cidr_ip(&rule.cidr).build();
    let builder = IpPermission::builder().ip_ranges(range);
    match rule.ip_protocol.as_str() {
        "ALL" => builder.ip_protocol("-1"),
        "ICMP" => builder.ip_protocol("icmp").from_port(-1).to_port(-1),
        protocol => builder
            .ip_protocol(protocol.to_ascii_lowercase())
            .from_port(rule.from_port.parse().unwrap_or(-1))
            .to_port(rule.to_port.parse().unwrap_or(-1)),
    }
    .build()
}

/// EC2 permissions as rules, one per CIDR range, in Spinneret's normal form.
pub(super) fn rules(direction: &str, permissions: &[IpPermission]) -> Vec<SecurityRuleInfo> {
    permissions
        .iter()
        .flat_map(|permission| {
            let (protocol, from, to) = match permission.ip_protocol().unwrap_or("-1") {
                "-1" => ("ALL".to_owned(), "-1".to_owned(), "-1".to_owned()),
                "icmp" => ("ICMP".to_owned(), "-1".to_owned(), "-1".to_owned()),
                other => (
                    other.to_ascii_uppercase(),
                    permission.from_port().unwrap_or(-1).to_string(),
                    permission.to_port().unwrap_or(-1).to_string(),
                ),
            };
            permission
                .ip_ranges()
                .iter()
                .map(move |range| SecurityRuleInfo {
                    direction: direction.to_owned(),
                    ip_protocol: protocol.clone(),
                    from_port: from.clone(),
                    to_port: to.clone(),
                    cidr: range.cidr_ip().unwrap_or("0.0.0.0/0").to_owned(),
                })
        })
        .collect()
}

fn architecture(value: Option<&str>) -> OSArchitecture {
    match value {
        Some("x86_64") => OSArchitecture::X86_64,
        Some("arm64") => OSArchitecture::Arm64,
        Some("i386") => OSArchitecture::X86_32,
        Some("x86_64_mac") => OSArchitecture::X86_64Mac,
        Some("arm64_mac") => OSArchitecture::Arm64Mac,
        _ => OSArchitecture::NotApplicable,
    }
}

fn platform(details: Option<&str>) -> OSPlatform {
    match details {
        Some(details) if details.contains("Windows") => OSPlatform::Windows,
        Some(_) => OSPlatform::LinuxUnix,
        None => OSPlatform::NotApplicable,
    }
}

pub(super) fn image(image: &Image) -> ImageInfo {
    let id = image.image_id().unwrap_or_default();
    let root = image
        .block_device_mappings()
        .iter()
        .find_map(|mapping| mapping.ebs());
    ImageInfo {
        iid: Iid::new(id, id),
        name: image.name().unwrap_or_default().to_owned(),
        os_architecture: architecture(image.architecture().map(|arch| arch.as_str())),
        os_platform: platform(image.platform_details().or(Some("Linux/UNIX"))),
        os_distribution: image
            .description()
            .or(image.name())
            .unwrap_or_default()
            .to_owned(),
        os_disk_type: root
            .and_then(|ebs| ebs.volume_type())
            .map_or("NA", |volume| volume.as_str())
            .to_owned(),
        os_disk_size_gb: root
            .and_then(|ebs| ebs.volume_size())
            .map_or("-1".to_owned(), |size| size.to_string()),
        image_status: match image.state().map(|state| state.as_str()) {
            Some("available") => ImageStatus::Available,
            Some(_) => ImageStatus::Unavailable,
            None => ImageStatus::NotApplicable,
        },
        key_value_list: Vec::new(),
    }
}

fn or_na<T: ToString>(value: Option<T>) -> String {
    value.map_or("-1".to_owned(), |value| value.to_string())
}

pub(super) fn spec(region: &str, info: &InstanceTypeInfo) -> VMSpecInfo {
    let gpu = info
        .gpu_info()
        .map(|gpus| {
            gpus.gpus()
                .iter()
                .map(|gpu| {
                    let count = gpu.count().unwrap_or(0);
                    let memory_gb = gpu
                        .memory_info()
                        .and_then(|memory| memory.size_in_mib())
                        .map(|mib| mib / 1024);
                    GpuInfo {
                        count: count.to_string(),
                        mfr: gpu.manufacturer().unwrap_or("NA").to_owned(),
                        model: gpu.name().unwrap_or("NA").to_owned(),
                        mem_size_gb: or_na(memory_gb),
                        total_mem_size_gb: or_na(memory_gb.map(|gb| gb * count)),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    VMSpecInfo {
        region: region.to_owned(),
        name: info
            .instance_type()
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        vcpu: VCpuInfo {
            count: or_na(info.v_cpu_info().and_then(|cpu| cpu.default_v_cpus())),
            clock_ghz: or_na(
                info.processor_info()
                    .and_then(|cpu| cpu.sustained_clock_speed_in_ghz()),
            ),
        },
        mem_size_mib: or_na(info.memory_info().and_then(|memory| memory.size_in_mib())),
        disk_size_gb: or_na(
            info.instance_storage_info()
                .and_then(|storage| storage.total_size_in_gb()),
        ),
        gpu,
        key_value_list: Vec::new(),
    }
}

/// The instance type as the cloud describes it: its main facts as JSON.
pub(super) fn org_spec(info: &InstanceTypeInfo) -> serde_json::Value {
    serde_json::json!({
        "InstanceType": info.instance_type().map(|kind| kind.as_str()),
        "CurrentGeneration": info.current_generation(),
        "VCpuInfo": {
            "DefaultVCpus": info.v_cpu_info().and_then(|cpu| cpu.default_v_cpus()),
            "DefaultCores": info.v_cpu_info().and_then(|cpu| cpu.default_cores()),
        },
        "ProcessorInfo": {
            "SupportedArchitectures": info.processor_info().map(|cpu| {
                cpu.supported_architectures().iter().map(|arch| arch.as_str()).collect::<Vec<_>>()
            }),
            "SustainedClockSpeedInGhz": info.processor_info().and_then(|cpu| cpu.sustained_clock_speed_in_ghz()),
        },
        "MemoryInfo": { "SizeInMiB": info.memory_info().and_then(|memory| memory.size_in_mib()) },
        "InstanceStorageSupported": info.instance_storage_supported(),
        "GpuInfo": info.gpu_info().map(|gpus| {
            gpus.gpus().iter().map(|gpu| serde_json::json!({
                "Name": gpu.name(), "Manufacturer": gpu.manufacturer(), "Count": gpu.count(),
                "MemoryInfo": { "SizeInMiB": gpu.memory_info().and_then(|memory| memory.size_in_mib()) },
            })).collect::<Vec<_>>()
        }),
        "NetworkInfo": {
            "NetworkPerformance": info.network_info().and_then(|network| network.network_performance()),
        },
    })
}

pub(super) fn vm(region: &str, instance: &Instance) -> VMInfo {
    let id = instance.instance_id().unwrap_or_default();
    let public_ip = instance.public_ip_address().unwrap_or_default().to_owned();
    let image = instance.image_id().unwrap_or_default();
    let platform = platform(instance.platform_details().or(Some("Linux/UNIX")));
    VMInfo {
        iid: Iid::new(name_tag(instance.tags()), id),
        start_time: instance
            .launch_time()
            .and_then(|time| time.fmt(DateTimeFormat::DateTime).ok())
            .unwrap_or_default(),
        region: RegionZone {
            region: region.to_owned(),
            zone: instance
                .placement()
                .and_then(|placement| placement.availability_zone())
                .unwrap_or_default()
                .to_owned(),
        },
        image_type: "PublicImage".to_owned(),
        image_iid: Iid::new(image, image),
        vm_spec_name: instance
            .instance_type()
            .map(|kind| kind.as_str().to_owned())
            .unwrap_or_default(),
        vpc_iid: Iid::new("", instance.vpc_id().unwrap_or_default()),
        subnet_iid: Iid::new("", instance.subnet_id().unwrap_or_default()),
        // Groups given through the network interface may show only there.
        security_group_iids: Some(instance.security_groups())
            .filter(|groups| !groups.is_empty())
            .or_else(|| {
                instance
                    .network_interfaces()
                    .first()
                    .map(|nic| nic.groups())
            })
            .unwrap_or_default()
            .iter()
            .map(|group| {
                Iid::new(
                    group.group_name().unwrap_or_default(),
                    group.group_id().unwrap_or_default(),
                )
            })
            .collect(),
        key_pair_iid: instance
            .key_name()
            .map(|key| Iid::new(key, key))
            .unwrap_or_default(),
        root_device_name: instance.root_device_name().unwrap_or_default().to_owned(),
        vm_user_id: if platform == OSPlatform::Windows {
            "Administrator".to_owned()
        } else {
            "cb-user".to_owned()
        },
        network_interface: instance
            .network_interfaces()
            .first()
            .and_then(|nic| nic.network_interface_id())
            .unwrap_or_default()
            .to_owned(),
        ssh_access_point: if public_ip.is_empty() {
            String::new()
        } else {
            format!("{public_ip}:22")
        },
        public_ip,
        public_dns: instance.public_dns_name().unwrap_or_default().to_owned(),
        private_ip: instance.private_ip_address().unwrap_or_default().to_owned(),
        private_dns: instance.private_dns_name().unwrap_or_default().to_owned(),
        platform,
        status: instance
            .state()
            .and_then(|state| state.name())
            .map(vm_status),
        ..VMInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use aws_sdk_ec2::types::{
        BlockDeviceMapping, EbsBlockDevice, GpuDeviceInfo, GpuDeviceMemoryInfo, GpuInfo as Ec2Gpu,
        ImageState, InstanceState, InstanceType, MemoryInfo, ProcessorInfo, VCpuInfo as Ec2VCpu,
        VolumeType,
    };

    use super::*;

    fn rule(protocol: &str, from: &str, to: &str, cidr: &str) -> SecurityRuleInfo {
        SecurityRuleInfo {
            direction: "inbound".into(),
            ip_protocol: protocol.into(),
            from_port: from.into(),
            to_port: to.into(),
            cidr: cidr.into(),
        }
    }

    #[test]
    fn states_map_as_the_contract_says() {
        let cases = [
            (InstanceStateName::Pending, VMStatus::Creating),
            (InstanceStateName::Running, VMStatus::Running),
            (InstanceStateName::Stopping, VMStatus::Suspending),
            (InstanceStateName::Stopped, VMStatus::Suspended),
            (InstanceStateName::ShuttingDown, VMStatus::Terminating),
            (InstanceStateName::Terminated, VMStatus::Terminated),
        ];
        for (state, status) in cases {
            assert_eq!(vm_status(&state), status, "{state:?}");
        }
    }

    #[test]
    fn rules_round_trip_through_ec2_permissions() {
        for original in [
            rule("TCP", "22", "22", "0.0.0.0/0"),
            rule("UDP", "1000", "2000", "10.0.0.0/8"),
            rule("ICMP", "-1", "-1", "0.0.0.0/0"),
            rule("ALL", "-1", "-1", "192.168.0.0/16"),
        ] {
            let permission = permission(&original);
            let back = rules("inbound", std::slice::from_ref(&permission));
            assert_eq!(back, vec![original.clone()], "{permission:?}");
        }
        let all = permission(&rule("ALL", "-1", "-1", "0.0.0.0/0"));
        assert_eq!(all.ip_protocol(), Some("-1"));
        assert_eq!(all.from_port(), None);
        let two_ranges = IpPermission::builder()
            .ip_protocol("tcp")
            .from_port(80)
            .to_port(443)
            .ip_ranges(IpRange::builder().cidr_ip("10.0.0.0/8").build())
            .ip_ranges(IpRange::builder().cidr_ip("172.16.0.0/12").build())
            .build();
        let split = rules("outbound", &[two_ranges]);
        assert_eq!(split.len(), 2);
        assert_eq!(split[1].cidr, "172.16.0.0/12");
        assert_eq!(split[1].direction, "outbound");
    }

    #[test]
    fn images_map_architecture_platform_and_disk() {
        let image = Image::builder()
            .image_id("ami-0123")
            .name("ubuntu-22.04")
            .description("Ubuntu 22.04 LTS")
            .architecture("arm64".into())
            .platform_details("Linux/UNIX")
            .state(ImageState::Available)
            .block_device_mappings(
                BlockDeviceMapping::builder()
                    .ebs(
                        EbsBlockDevice::builder()
                            .volume_type(VolumeType::Gp3)
                            .volume_size(8)
                            .build(),
                    )
                    .build(),
            )
            .build();
        let info = image_info(&image);
        assert_eq!(info.iid, Iid::new("ami-0123", "ami-0123"));
        assert_eq!(info.os_architecture, OSArchitecture::Arm64);
        assert_eq!(info.os_platform, OSPlatform::LinuxUnix);
        assert_eq!(info.os_distribution, "Ubuntu 22.04 LTS");
        assert_eq!(
            (info.os_disk_type.as_str(), info.os_disk_size_gb.as_str()),
            ("gp3", "8")
        );
        assert_eq!(info.image_status, ImageStatus::Available);
        let windows = Image::builder()
            .image_id("ami-w")
            .platform_details("Windows with SQL Server")
            .build();
        assert_eq!(image_info(&windows).os_platform, OSPlatform::Windows);
    }

    fn image_info(image: &Image) -> ImageInfo {
        super::image(image)
    }

    #[test]
    fn instance_types_map_to_specs_with_gpus() {
        let info = InstanceTypeInfo::builder()
            .instance_type(InstanceType::P32xlarge)
            .v_cpu_info(Ec2VCpu::builder().default_v_cpus(8).build())
            .processor_info(
                ProcessorInfo::builder()
                    .sustained_clock_speed_in_ghz(2.7)
                    .build(),
            )
            .memory_info(MemoryInfo::builder().size_in_mib(62464).build())
            .gpu_info(
                Ec2Gpu::builder()
                    .gpus(
                        GpuDeviceInfo::builder()
                            .name("V100")
                            .manufacturer("NVIDIA")
                            .count(1)
                            .memory_info(GpuDeviceMemoryInfo::builder().size_in_mib(16384).build())
                            .build(),
                    )
                    .build(),
            )
            .build();
        let spec = spec("us-east-1", &info);
        assert_eq!(spec.name, "p3.2xlarge");
        assert_eq!(
            (spec.vcpu.count.as_str(), spec.vcpu.clock_ghz.as_str()),
            ("8", "2.7")
        );
        assert_eq!(spec.mem_size_mib, "62464");
        assert_eq!(spec.disk_size_gb, "-1");
        assert_eq!(spec.gpu[0].model, "V100");
        assert_eq!(spec.gpu[0].mem_size_gb, "16");
        assert_eq!(org_spec(&info)["InstanceType"], "p3.2xlarge");
    }

    #[test]
    fn instances_map_to_vm_info() {
        let instance = Instance::builder()
            .instance_id("i-0abc")
            .tags(Tag::builder().key("Name").value("vm-01-xyz").build())
            .state(
                InstanceState::builder()
                    .name(InstanceStateName::Stopped)
                    .build(),
            )
            .public_ip_address("54.1.2.3")
            .private_ip_address("10.0.1.10")
            .key_name("kp-01-abc")
            .build();
        let vm = vm("us-east-1", &instance);
        assert_eq!(vm.iid, Iid::new("vm-01-xyz", "i-0abc"));
        assert_eq!(vm.status, Some(VMStatus::Suspended));
        assert_eq!(vm.ssh_access_point, "54.1.2.3:22");
        assert_eq!(vm.key_pair_iid.system_id, "kp-01-abc");
        assert_eq!(vm.platform, OSPlatform::LinuxUnix);
    }
}
