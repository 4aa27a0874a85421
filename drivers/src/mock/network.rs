//! Address arithmetic: CIDR checks for subnets and the allocation of private and public IPs.

use std::collections::BTreeSet;
use std::net::Ipv4Addr;

use ipnet::Ipv4Net;

use crate::contract::{DriverError, DriverErrorKind, DriverResult};

/// Hosts at the start of each subnet the cloud keeps for itself (router, DNS, future use),
/// as AWS does.
const RESERVED_HOSTS: usize = 3;

/// Public addresses come from the documentation range 203.0.113.0/24, .1 to .254.
const PUBLIC_RANGE: (Ipv4Addr, Ipv4Addr) = (
    Ipv4Addr::new(203, 0, 113, 1),
    Ipv4Addr::new(203, 0, 113, 254),
);

pub(super) fn parse_cidr(cidr: &str) -> DriverResult<Ipv4Net> {
    cidr.trim()
        .parse::<Ipv4Net>()
        .map_err(|_| DriverError::invalid(format!("'{cidr}' is not an IPv4 CIDR block")))
}

/// Checks that a new subnet lies inside its VPC and overlaps none of the VPC's other subnets,
/// given as (name, CIDR).
pub(super) fn check_subnet_cidr<'a>(
    vpc_cidr: &str,
    subnet_cidr: &str,
    siblings: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> DriverResult<()> {
    let vpc = parse_cidr(vpc_cidr)?;
    let subnet = parse_cidr(subnet_cidr)?;
    if !vpc.contains(&subnet) {
        return Err(DriverError::invalid(format!(
            "subnet CIDR '{subnet_cidr}' is not inside the VPC's CIDR '{vpc_cidr}'"
        )));
    }
    for (name, cidr) in siblings {
        let sibling = parse_cidr(cidr)?;
        if sibling.contains(&subnet.network()) || subnet.contains(&sibling.network()) {
            return Err(DriverError::invalid(format!(
                "subnet CIDR '{subnet_cidr}' overlaps subnet '{name}' ({cidr})"
            )));
        }
    }
    Ok(())
}

/// The lowest host of the subnet that is neither reserved nor in `used`.
pub(super) fn free_private_ip(
    subnet_cidr: &str,
    used: &BTreeSet<Ipv4Addr>,
) -> DriverResult<Ipv4Addr> {
    parse_cidr(subnet_cidr)?
        .hosts()
        .skip(RESERVED_HOSTS)
        .find(|ip| !used.contains(ip))
        .ok_or_else(|| {
            DriverError::new(
                DriverErrorKind::Cloud,
                format!("subnet CIDR '{subnet_cidr}' has no free address left"),
            )
            .with_code("InsufficientFreeAddressesInSubnet")
        })
}

/// The lowest public address not in `used`.
pub(super) fn free_public_ip(used: &BTreeSet<Ipv4Addr>) -> DriverResult<Ipv4Addr> {
    let (first, last) = PUBLIC_RANGE;
    (u32::from(first)..=u32::from(last))
        .map(Ipv4Addr::from)
        .find(|ip| !used.contains(ip))
        .ok_or_else(|| {
            DriverError::new(
                DriverErrorKind::Cloud,
                "every public address of the mock cloud is in use",
            )
            .with_code("AddressLimitExceeded")
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subnets_must_lie_inside_the_vpc_and_not_overlap() {
        let siblings = [("a", "10.77.1.0/24")];
        check_subnet_cidr("10.77.0.0/16", "10.77.2.0/24", siblings).unwrap();
        for (cidr, why) in [
            ("10.78.0.0/24", "is not inside"),
            ("10.77.1.128/25", "overlaps subnet 'a'"),
            ("10.77.0.0/20", "overlaps subnet 'a'"),
            ("10.77.300.0/24", "is not an IPv4 CIDR"),
        ] {
            let err = check_subnet_cidr("10.77.0.0/16", cidr, siblings).unwrap_err();
            assert_eq!(err.kind, DriverErrorKind::Invalid);
            assert!(err.message.contains(why), "{cidr}: {err}");
        }
    }

    #[test]
    fn private_ips_skip_reserved_hosts_and_used_ones() {
        let mut used = BTreeSet::new();
        let first = free_private_ip("10.0.0.0/28", &used).unwrap();
        assert_eq!(first, Ipv4Addr::new(10, 0, 0, 4));
        used.insert(first);
        assert_eq!(
            free_private_ip("10.0.0.0/28", &used).unwrap(),
            Ipv4Addr::new(10, 0, 0, 5)
        );

        // A /29 has hosts .1 to .6: .4, .5 and .6 are usable, never the broadcast .7.
        let used: BTreeSet<_> = (4..=6).map(|host| Ipv4Addr::new(10, 0, 0, host)).collect();
        let err = free_private_ip("10.0.0.0/29", &used).unwrap_err();
        assert_eq!(
            err.code.as_deref(),
            Some("InsufficientFreeAddressesInSubnet")
        );
    }

    #[test]
    fn public_ips_come_from_the_documentation_range() {
        let mut used = BTreeSet::new();
        assert_eq!(
            free_public_ip(&used).unwrap(),
            Ipv4Addr::new(203, 0, 113, 1)
        );
        used.insert(Ipv4Addr::new(203, 0, 113, 1));
        used.insert(Ipv4Addr::new(203, 0, 113, 3));
        assert_eq!(
            free_public_ip(&used).unwrap(),
            Ipv4Addr::new(203, 0, 113, 2)
        );
        let full: BTreeSet<_> = (1..=254)
            .map(|host| Ipv4Addr::new(203, 0, 113, host))
            .collect();
        assert!(free_public_ip(&full).is_err());
    }
}
