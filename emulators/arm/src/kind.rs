//! The resource types the emulator knows, by their ARM type path.

/// A resource type: its ARM type, and the operation group its operations are named by
/// (`VirtualMachines_CreateOrUpdate`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    VirtualNetwork,
    Subnet,
    NetworkSecurityGroup,
    SecurityRule,
    PublicIp,
    NetworkInterface,
    VirtualMachine,
    Disk,
    SshPublicKey,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::VirtualNetwork,
        Kind::Subnet,
        Kind::NetworkSecurityGroup,
        Kind::SecurityRule,
        Kind::PublicIp,
        Kind::NetworkInterface,
        Kind::VirtualMachine,
        Kind::Disk,
        Kind::SshPublicKey,
    ];

    /// The ARM type, e.g. `Microsoft.Network/virtualNetworks/subnets`.
    pub const fn arm_type(self) -> &'static str {
        match self {
            Kind::VirtualNetwork => "Microsoft.Network/virtualNetworks",
            Kind::Subnet => "Microsoft.Network/virtualNetworks/subnets",
            Kind::NetworkSecurityGroup => "Microsoft.Network/networkSecurityGroups",
            Kind::SecurityRule => "Microsoft.Network/networkSecurityGroups/securityRules",
            Kind::PublicIp => "Microsoft.Network/publicIPAddresses",
            Kind::NetworkInterface => "Microsoft.Network/networkInterfaces",
            Kind::VirtualMachine => "Microsoft.Compute/virtualMachines",
            Kind::Disk => "Microsoft.Compute/disks",
            Kind::SshPublicKey => "Microsoft.Compute/sshPublicKeys",
        }
    }

    pub const fn operation_group(self) -> &'static str {
        match self {
            Kind::VirtualNetwork => "VirtualNetworks",
            Kind::Subnet => "Subnets",
            Kind::NetworkSecurityGroup => "NetworkSecurityGroups",
            Kind::SecurityRule => "SecurityRules",
            Kind::PublicIp => "PublicIPAddresses",
            Kind::NetworkInterface => "NetworkInterfaces",
            Kind::VirtualMachine => "VirtualMachines",
            Kind::Disk => "Disks",
            Kind::SshPublicKey => "SshPublicKeys",
        }
    }

    /// The child type, for a parent's embedded list (`subnets`, `securityRules`).
    pub const fn child(self) -> Option<(Kind, &'static str)> {
        match self {
            Kind::VirtualNetwork => Some((Kind::Subnet, "subnets")),
            Kind::NetworkSecurityGroup => Some((Kind::SecurityRule, "securityRules")),
            _ => None,
        }
    }

    /// The parent type of a child type.
    pub const fn of_parent(child: Kind) -> Kind {
        match child {
            Kind::SecurityRule => Kind::NetworkSecurityGroup,
            _ => Kind::VirtualNetwork,
        }
    }

    /// Child types have no location and live inside their parent's id.
    pub const fn is_child(self) -> bool {
        matches!(self, Kind::Subnet | Kind::SecurityRule)
    }

    /// The kind of `namespace/type[/child]`, matched case-insensitively.
    pub fn of(namespace: &str, types: &[&str]) -> Option<Kind> {
        let wanted = std::iter::once(namespace)
            .chain(types.iter().copied())
            .collect::<Vec<_>>()
            .join("/");
        Self::ALL
            .into_iter()
            .find(|kind| kind.arm_type().eq_ignore_ascii_case(&wanted))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_found_in_any_case() {
        assert_eq!(
            Kind::of("microsoft.network", &["VIRTUALNETWORKS", "subnets"]),
            Some(Kind::Subnet)
        );
        assert_eq!(
            Kind::of("Microsoft.Compute", &["virtualMachines"]),
            Some(Kind::VirtualMachine)
        );
        assert_eq!(Kind::of("Microsoft.Compute", &["galleries"]), None);
    }
}
