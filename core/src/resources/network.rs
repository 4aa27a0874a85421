//! Address checks made before anything reaches the cloud: CIDRs parse, subnets lie inside
//! their VPC and do not overlap.

use ipnet::Ipv4Net;

use crate::error::{Error, Result};

/// Parses an IPv4 CIDR such as `10.0.0.0/16`; `field` names it in the error.
pub(crate) fn cidr(field: &str, value: &str) -> Result<Ipv4Net> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(format!("{field} is required")));
    }
    let net: Ipv4Net = trimmed.parse().map_err(|_| {
        Error::invalid(format!(
            "{field} '{trimmed}' is not an IPv4 CIDR such as 10.0.0.0/16"
        ))
    })?;
    if net.network() != net.addr() {
        return Err(Error::invalid(format!(
            "{field} '{trimmed}' has host bits set; did you mean {}?",
            net.trunc()
        )));
    }
    Ok(net)
}

/// Checks a subnet against its VPC and the VPC's other subnets (`(name, cidr)` pairs).
pub(crate) fn subnet_fits(
    field: &str,
    name: &str,
    subnet: Ipv4Net,
    vpc: Ipv4Net,
    siblings: &[(String, Ipv4Net)],
) -> Result<()> {
    if !vpc.contains(&subnet) {
        return Err(Error::invalid(format!(
            "{field}: subnet '{name}' ({subnet}) lies outside its VPC's {vpc}"
        )));
    }
    if let Some((other, other_cidr)) = siblings
        .iter()
        .find(|(_, other)| other.contains(&subnet) || subnet.contains(other))
    {
        return Err(Error::invalid(format!(
            "{field}: subnet '{name}' ({subnet}) overlaps subnet '{other}' ({other_cidr})"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidrs_must_parse_and_be_network_addresses() {
        assert!(cidr("IPv4_CIDR", "10.0.0.0/16").is_ok());
        let err = cidr("IPv4_CIDR", "10.0.0.0/33").unwrap_err();
        assert_eq!(
            err.message(),
            "IPv4_CIDR '10.0.0.0/33' is not an IPv4 CIDR such as 10.0.0.0/16"
        );
        let err = cidr("IPv4_CIDR", "10.0.0.5/16").unwrap_err();
        assert!(err.message().contains("did you mean 10.0.0.0/16"));
        assert_eq!(cidr("X", " ").unwrap_err().message(), "X is required");
    }

    #[test]
    fn subnets_stay_inside_their_vpc_without_overlap() {
        let vpc = cidr("v", "10.0.0.0/16").unwrap();
        let a = cidr("a", "10.0.1.0/24").unwrap();
        assert!(subnet_fits("s", "a", a, vpc, &[]).is_ok());
        let outside = cidr("b", "10.1.0.0/24").unwrap();
        assert!(
            subnet_fits("s", "b", outside, vpc, &[])
                .unwrap_err()
                .message()
                .contains("outside")
        );
        let inner = cidr("c", "10.0.1.128/25").unwrap();
        let err = subnet_fits("s", "c", inner, vpc, &[("a".into(), a)]).unwrap_err();
        assert_eq!(
            err.message(),
            "s: subnet 'c' (10.0.1.128/25) overlaps subnet 'a' (10.0.1.0/24)"
        );
    }
}
