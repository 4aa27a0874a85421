//! The kinds of resource a connection manages.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ResourceKind {
    #[serde(rename = "VPC")]
    Vpc,
    Subnet,
    SecurityGroup,
    KeyPair,
    #[serde(rename = "VM")]
    Vm,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 5] = [
        ResourceKind::Vpc,
        ResourceKind::Subnet,
        ResourceKind::SecurityGroup,
        ResourceKind::KeyPair,
        ResourceKind::Vm,
    ];

    /// The name in the call history's `ResourceType` and in the database.
    pub const fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Vpc => "VPC",
            ResourceKind::Subnet => "Subnet",
            ResourceKind::SecurityGroup => "SecurityGroup",
            ResourceKind::KeyPair => "KeyPair",
            ResourceKind::Vm => "VM",
        }
    }

    /// How messages name the kind, e.g. "security group".
    pub const fn label(self) -> &'static str {
        match self {
            ResourceKind::Vpc => "VPC",
            ResourceKind::Subnet => "subnet",
            ResourceKind::SecurityGroup => "security group",
            ResourceKind::KeyPair => "key pair",
            ResourceKind::Vm => "VM",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == name)
    }
}

impl std::fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}
