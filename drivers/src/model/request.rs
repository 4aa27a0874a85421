//! The `ReqInfo` bodies of the REST API's creates, with CB-Spider's key spellings. The
//! AdminWeb builds the same types, so both doors send the core one shape.

use serde::{Deserialize, Serialize};

use super::SecurityRuleInfo;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubnetReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
    /// Empty: the region's zone.
    #[serde(rename = "Zone")]
    pub zone: String,
    #[serde(rename = "IPv4_CIDR")]
    pub ipv4_cidr: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VPCReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "IPv4_CIDR")]
    pub ipv4_cidr: String,
    #[serde(rename = "SubnetInfoList")]
    pub subnet_info_list: Vec<SubnetReqInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SecurityReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "VPCName")]
    pub vpc_name: String,
    #[serde(rename = "SecurityRules")]
    pub security_rules: Vec<SecurityRuleInfo>,
}

/// The body of `POST` and `DELETE /securitygroup/:SGName/rules`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RuleReqInfo {
    #[serde(rename = "RuleInfoList")]
    pub rule_info_list: Vec<SecurityRuleInfo>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KeyPairReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VMReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "ImageName")]
    pub image_name: String,
    #[serde(rename = "VMSpecName")]
    pub vm_spec_name: String,
    #[serde(rename = "VPCName")]
    pub vpc_name: String,
    #[serde(rename = "SubnetName")]
    pub subnet_name: String,
    #[serde(rename = "SecurityGroupNames")]
    pub security_group_names: Vec<String>,
    #[serde(rename = "KeyPairName")]
    pub key_pair_name: String,
    #[serde(rename = "RootDiskType")]
    pub root_disk_type: String,
    #[serde(rename = "RootDiskSize")]
    pub root_disk_size: String,
    #[serde(rename = "VMUserId")]
    pub vm_user_id: String,
    #[serde(rename = "VMUserPasswd", skip_serializing_if = "String::is_empty")]
    pub vm_user_passwd: String,
}

impl std::fmt::Debug for VMReqInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VMReqInfo")
            .field("name", &self.name)
            .field("image_name", &self.image_name)
            .field("vm_spec_name", &self.vm_spec_name)
            .field("vpc_name", &self.vpc_name)
            .field("subnet_name", &self.subnet_name)
            .field("vm_user_passwd", &"<redacted>")
            .finish_non_exhaustive()
    }
}

/// The body of the `reg*` routes: adopt an existing cloud resource under a name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterReqInfo {
    #[serde(rename = "Name")]
    pub name: String,
    #[serde(rename = "CSPId")]
    pub csp_id: String,
    /// For security groups: the VPC they belong to.
    #[serde(rename = "VPCName", skip_serializing_if = "String::is_empty")]
    pub vpc_name: String,
}

/// What `GET /all*` answers: which resources Spinneret and the cloud each know.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllResourceList {
    #[serde(rename = "MappedList")]
    pub mapped_list: Vec<super::Iid>,
    #[serde(rename = "OnlySpiderList")]
    pub only_spider_list: Vec<super::Iid>,
    #[serde(rename = "OnlyCSPList")]
    pub only_csp_list: Vec<super::Iid>,
}
