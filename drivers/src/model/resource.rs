//! Cloud resources as the REST API shows them: networks, security groups, key pairs, images,
//! specs and VMs, with CB-Spider's exact (and sometimes odd) key spellings.

use serde::{Deserialize, Serialize};

use super::{HIDDEN_SECRET, KeyValue};

/// A resource's IID: its two names: the user's (`NameId`) and the cloud's own id (`SystemId`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Iid {
    #[serde(rename = "NameId")]
    pub name_id: String,
    #[serde(rename = "SystemId")]
    pub system_id: String,
}

impl Iid {
    pub fn new(name_id: impl Into<String>, system_id: impl Into<String>) -> Self {
        Self {
            name_id: name_id.into(),
            system_id: system_id.into(),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubnetInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    /// Always present, possibly empty.
    #[serde(rename = "Zone")]
    pub zone: String,
    #[serde(rename = "IPv4_CIDR")]
    pub ipv4_cidr: String,
    #[serde(rename = "TagList", skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<KeyValue>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VPCInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    #[serde(rename = "IPv4_CIDR")]
    pub ipv4_cidr: String,
    #[serde(rename = "SubnetInfoList")]
    pub subnet_info_list: Vec<SubnetInfo>,
    #[serde(rename = "TagList", skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<KeyValue>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

/// One firewall rule. Ports are strings; `-1` means all (ALL and ICMP).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityRuleInfo {
    #[serde(rename = "Direction")]
    pub direction: String,
    #[serde(rename = "IPProtocol")]
    pub ip_protocol: String,
    #[serde(rename = "FromPort")]
    pub from_port: String,
    #[serde(rename = "ToPort")]
    pub to_port: String,
    #[serde(rename = "CIDR")]
    pub cidr: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    #[serde(rename = "VpcIID")]
    pub vpc_iid: Iid,
    #[serde(rename = "SecurityRules")]
    pub security_rules: Vec<SecurityRuleInfo>,
    #[serde(rename = "TagList", skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<KeyValue>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

/// A key pair. The key material is real only in the create response; `Debug` never shows
/// the private key.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyPairInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    #[serde(rename = "Fingerprint")]
    pub fingerprint: String,
    #[serde(rename = "PublicKey")]
    pub public_key: String,
    #[serde(rename = "PrivateKey")]
    pub private_key: String,
    /// Spelled `VMUserID` here but `VMUserId` in VMInfo, as in CB-Spider.
    #[serde(rename = "VMUserID")]
    pub vm_user_id: String,
    #[serde(rename = "TagList", skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<KeyValue>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

impl KeyPairInfo {
    /// The form every read after creation shows: both keys hidden.
    pub fn with_keys_hidden(mut self) -> Self {
        self.public_key = HIDDEN_SECRET.to_owned();
        self.private_key = HIDDEN_SECRET.to_owned();
        self
    }
}

impl std::fmt::Debug for KeyPairInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPairInfo")
            .field("iid", &self.iid)
            .field("fingerprint", &self.fingerprint)
            .field("private_key", &"<redacted>")
            .field("vm_user_id", &self.vm_user_id)
            .finish_non_exhaustive()
    }
}

/// CB-Spider's processor architectures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OSArchitecture {
    #[serde(rename = "arm32")]
    Arm32,
    #[serde(rename = "arm64")]
    Arm64,
    #[serde(rename = "arm64_mac")]
    Arm64Mac,
    #[serde(rename = "x86_32")]
    X86_32,
    #[serde(rename = "x86_64")]
    X86_64,
    #[serde(rename = "x86_32_mac")]
    X86_32Mac,
    #[serde(rename = "x86_64_mac")]
    X86_64Mac,
    #[default]
    #[serde(rename = "NA")]
    NotApplicable,
}

impl OSArchitecture {
    /// The value as the JSON spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            OSArchitecture::Arm32 => "arm32",
            OSArchitecture::Arm64 => "arm64",
            OSArchitecture::Arm64Mac => "arm64_mac",
            OSArchitecture::X86_32 => "x86_32",
            OSArchitecture::X86_64 => "x86_64",
            OSArchitecture::X86_32Mac => "x86_32_mac",
            OSArchitecture::X86_64Mac => "x86_64_mac",
            OSArchitecture::NotApplicable => "NA",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum OSPlatform {
    #[serde(rename = "Linux/UNIX")]
    LinuxUnix,
    #[serde(rename = "Windows")]
    Windows,
    #[default]
    #[serde(rename = "NA")]
    NotApplicable,
}

impl OSPlatform {
    /// The value as the JSON spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            OSPlatform::LinuxUnix => "Linux/UNIX",
            OSPlatform::Windows => "Windows",
            OSPlatform::NotApplicable => "NA",
        }
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ImageStatus {
    Available,
    Unavailable,
    #[default]
    #[serde(rename = "NA")]
    NotApplicable,
}

impl ImageStatus {
    /// The value as the JSON spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            ImageStatus::Available => "Available",
            ImageStatus::Unavailable => "Unavailable",
            ImageStatus::NotApplicable => "NA",
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImageInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "OSArchitecture")]
    pub os_architecture: OSArchitecture,
    #[serde(rename = "OSPlatform")]
    pub os_platform: OSPlatform,
    #[serde(rename = "OSDistribution")]
    pub os_distribution: String,
    #[serde(rename = "OSDiskType")]
    pub os_disk_type: String,
    #[serde(rename = "OSDiskSizeGB")]
    pub os_disk_size_gb: String,
    #[serde(rename = "ImageStatus")]
    pub image_status: ImageStatus,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VCpuInfo {
    #[serde(rename = "Count")]
    pub count: String,
    #[serde(rename = "ClockGHz")]
    pub clock_ghz: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GpuInfo {
    #[serde(rename = "Count")]
    pub count: String,
    #[serde(rename = "Mfr")]
    pub mfr: String,
    #[serde(rename = "Model")]
    pub model: String,
    #[serde(rename = "MemSizeGB")]
    pub mem_size_gb: String,
    #[serde(rename = "TotalMemSizeGB")]
    pub total_mem_size_gb: String,
}

/// An instance type. Every value is a string; `"-1"` means not applicable.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VMSpecInfo {
    #[serde(rename = "Region")]
    pub region: String,
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "VCpu")]
    pub vcpu: VCpuInfo,
    #[serde(rename = "MemSizeMiB")]
    pub mem_size_mib: String,
    #[serde(rename = "DiskSizeGB")]
    pub disk_size_gb: String,
    #[serde(rename = "Gpu", skip_serializing_if = "Vec::is_empty")]
    pub gpu: Vec<GpuInfo>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
}

/// Where a VM must run.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegionZone {
    #[serde(rename = "Region")]
    pub region: String,
    #[serde(rename = "Zone")]
    pub zone: String,
}

/// A VM's lifecycle state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum VMStatus {
    Creating,
    Running,
    Suspending,
    Suspended,
    Resuming,
    Rebooting,
    Terminating,
    Terminated,
    NotExist,
    Failed,
}

impl VMStatus {
    pub const ALL: [VMStatus; 10] = [
        VMStatus::Creating,
        VMStatus::Running,
        VMStatus::Suspending,
        VMStatus::Suspended,
        VMStatus::Resuming,
        VMStatus::Rebooting,
        VMStatus::Terminating,
        VMStatus::Terminated,
        VMStatus::NotExist,
        VMStatus::Failed,
    ];

    /// The value as the JSON spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            VMStatus::Creating => "Creating",
            VMStatus::Running => "Running",
            VMStatus::Suspending => "Suspending",
            VMStatus::Suspended => "Suspended",
            VMStatus::Resuming => "Resuming",
            VMStatus::Rebooting => "Rebooting",
            VMStatus::Terminating => "Terminating",
            VMStatus::Terminated => "Terminated",
            VMStatus::NotExist => "NotExist",
            VMStatus::Failed => "Failed",
        }
    }

    /// Whether the VM is between two steady states, so a watcher should look again soon.
    pub const fn is_transitional(self) -> bool {
        matches!(
            self,
            VMStatus::Creating
                | VMStatus::Suspending
                | VMStatus::Resuming
                | VMStatus::Rebooting
                | VMStatus::Terminating
        )
    }
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VMInfo {
    #[serde(rename = "IId")]
    pub iid: Iid,
    /// RFC 3339.
    #[serde(rename = "StartTime")]
    pub start_time: String,
    #[serde(rename = "Region")]
    pub region: RegionZone,
    #[serde(rename = "ImageType")]
    pub image_type: String,
    #[serde(rename = "ImageIId")]
    pub image_iid: Iid,
    #[serde(rename = "VMSpecName")]
    pub vm_spec_name: String,
    #[serde(rename = "VpcIID")]
    pub vpc_iid: Iid,
    #[serde(rename = "SubnetIID")]
    pub subnet_iid: Iid,
    #[serde(rename = "SecurityGroupIIds")]
    pub security_group_iids: Vec<Iid>,
    #[serde(rename = "KeyPairIId")]
    pub key_pair_iid: Iid,
    #[serde(rename = "RootDiskType")]
    pub root_disk_type: String,
    #[serde(rename = "RootDiskSize")]
    pub root_disk_size: String,
    #[serde(rename = "RootDeviceName")]
    pub root_device_name: String,
    #[serde(rename = "VMUserId")]
    pub vm_user_id: String,
    #[serde(rename = "VMUserPasswd", skip_serializing_if = "String::is_empty")]
    pub vm_user_passwd: String,
    #[serde(rename = "NetworkInterface")]
    pub network_interface: String,
    #[serde(rename = "PublicIP")]
    pub public_ip: String,
    #[serde(rename = "PublicDNS", skip_serializing_if = "String::is_empty")]
    pub public_dns: String,
    #[serde(rename = "PrivateIP")]
    pub private_ip: String,
    #[serde(rename = "PrivateDNS", skip_serializing_if = "String::is_empty")]
    pub private_dns: String,
    #[serde(rename = "Platform")]
    pub platform: OSPlatform,
    #[serde(rename = "SSHAccessPoint")]
    pub ssh_access_point: String,
    #[serde(rename = "AccessPoint", skip_serializing_if = "String::is_empty")]
    pub access_point: String,
    #[serde(rename = "TagList", skip_serializing_if = "Vec::is_empty")]
    pub tag_list: Vec<KeyValue>,
    #[serde(rename = "KeyValueList", skip_serializing_if = "Vec::is_empty")]
    pub key_value_list: Vec<KeyValue>,
    /// Spinneret's addition: CB-Spider's VMInfo has no status.
    #[serde(rename = "Status", skip_serializing_if = "Option::is_none")]
    pub status: Option<VMStatus>,
}

impl std::fmt::Debug for VMInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VMInfo")
            .field("iid", &self.iid)
            .field("status", &self.status)
            .field("vm_spec_name", &self.vm_spec_name)
            .field("public_ip", &self.public_ip)
            .field("private_ip", &self.private_ip)
            .field("vm_user_passwd", &"<redacted>")
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn vm_info_uses_cb_spider_spellings() {
        let vm = VMInfo {
            iid: Iid::new("vm-01", "i-0123"),
            image_iid: Iid::new("mock-vmimage-01", "mock-vmimage-01"),
            security_group_iids: vec![Iid::new("sg-01", "sg-0123")],
            key_pair_iid: Iid::new("kp-01", "kp-0123"),
            vm_user_id: "cb-user".into(),
            platform: OSPlatform::LinuxUnix,
            status: Some(VMStatus::Running),
            ..VMInfo::default()
        };
        let value = serde_json::to_value(&vm).unwrap();
        let object = value.as_object().unwrap();
        for key in [
            "IId",
            "StartTime",
            "Region",
            "ImageType",
            "ImageIId",
            "VMSpecName",
            "VpcIID",
            "SubnetIID",
            "SecurityGroupIIds",
            "KeyPairIId",
            "RootDiskType",
            "RootDiskSize",
            "RootDeviceName",
            "VMUserId",
            "NetworkInterface",
            "PublicIP",
            "PrivateIP",
            "Platform",
            "SSHAccessPoint",
            "Status",
        ] {
            assert!(object.contains_key(key), "{key} missing from {value}");
        }
        for omitted in [
            "VMUserPasswd",
            "PublicDNS",
            "PrivateDNS",
            "AccessPoint",
            "TagList",
            "KeyValueList",
        ] {
            assert!(
                !object.contains_key(omitted),
                "{omitted} should be omitted when empty"
            );
        }
        assert_eq!(value["Platform"], "Linux/UNIX");
        assert_eq!(value["Status"], "Running");
        assert_eq!(value["Region"], json!({"Region": "", "Zone": ""}));
        assert_eq!(serde_json::from_value::<VMInfo>(value).unwrap(), vm);
    }

    #[test]
    fn key_pair_spells_vm_user_id_differently_and_hides_keys() {
        let key_pair = KeyPairInfo {
            iid: Iid::new("kp-01", "kp-01-abc"),
            private_key: "-----BEGIN OPENSSH PRIVATE KEY-----".into(),
            vm_user_id: "cb-user".into(),
            ..KeyPairInfo::default()
        };
        assert!(!format!("{key_pair:?}").contains("BEGIN OPENSSH"));
        let hidden = serde_json::to_value(key_pair.with_keys_hidden()).unwrap();
        assert_eq!(hidden["VMUserID"], "cb-user");
        assert_eq!(hidden["PrivateKey"], HIDDEN_SECRET);
        assert_eq!(hidden["PublicKey"], HIDDEN_SECRET);
    }

    #[test]
    fn images_and_specs_round_trip() {
        let image = json!({"IId":{"NameId":"mock-vmimage-01","SystemId":"mock-vmimage-01"},
            "Name":"mock-vmimage-name-01","OSArchitecture":"x86_64","OSPlatform":"Linux/UNIX",
            "OSDistribution":"Ubuntu 18.04","OSDiskType":"gp3","OSDiskSizeGB":"35","ImageStatus":"Available"});
        let parsed: ImageInfo = serde_json::from_value(image.clone()).unwrap();
        assert_eq!(parsed.os_architecture, OSArchitecture::X86_64);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), image);

        let spec = json!({"Region":"default","Name":"mock-vmspec-01","VCpu":{"Count":"4","ClockGHz":"2.7"},
            "MemSizeMiB":"32768","DiskSizeGB":"-1",
            "Gpu":[{"Count":"2","Mfr":"NVIDIA","Model":"V100","MemSizeGB":"512","TotalMemSizeGB":"1024"}]});
        let parsed: VMSpecInfo = serde_json::from_value(spec.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), spec);
        let no_gpu = VMSpecInfo::default();
        assert!(serde_json::to_value(no_gpu).unwrap().get("Gpu").is_none());
    }

    #[test]
    fn vpc_and_security_group_keys() {
        let vpc = json!({"IId":{"NameId":"vpc-01","SystemId":"vpc-01-x"},"IPv4_CIDR":"192.168.0.0/16",
            "SubnetInfoList":[{"IId":{"NameId":"subnet-01","SystemId":"s-1"},"Zone":"","IPv4_CIDR":"192.168.1.0/24"}]});
        let parsed: VPCInfo = serde_json::from_value(vpc.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), vpc);

        let sg = json!({"IId":{"NameId":"sg-01","SystemId":"sg-x"},"VpcIID":{"NameId":"vpc-01","SystemId":"vpc-01-x"},
            "SecurityRules":[{"Direction":"inbound","IPProtocol":"ALL","FromPort":"-1","ToPort":"-1","CIDR":"0.0.0.0/0"}]});
        let parsed: SecurityInfo = serde_json::from_value(sg.clone()).unwrap();
        assert_eq!(serde_json::to_value(&parsed).unwrap(), sg);
    }

    #[test]
    fn enum_names_match_their_json() {
        for arch in [
            OSArchitecture::Arm64Mac,
            OSArchitecture::X86_64,
            OSArchitecture::NotApplicable,
        ] {
            assert_eq!(serde_json::to_value(arch).unwrap(), arch.as_str());
        }
        for platform in [
            OSPlatform::LinuxUnix,
            OSPlatform::Windows,
            OSPlatform::NotApplicable,
        ] {
            assert_eq!(serde_json::to_value(platform).unwrap(), platform.as_str());
        }
        for status in [
            ImageStatus::Available,
            ImageStatus::Unavailable,
            ImageStatus::NotApplicable,
        ] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }

    #[test]
    fn statuses_know_which_are_transitional() {
        assert!(VMStatus::Creating.is_transitional());
        assert!(!VMStatus::Suspended.is_transitional());
        for status in VMStatus::ALL {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }
}
