//! Security rules in, normalised: Direction lower-case, IPProtocol upper-case, ports checked
//! (`-1` for ALL and ICMP), an empty CIDR meaning `0.0.0.0/0`.

use spinneret_drivers::model::SecurityRuleInfo;

use super::network;
use crate::error::{Error, Result};

/// Normalises and checks each rule; `field` names the list in errors, e.g. `SecurityRules`.
pub(crate) fn normalise(field: &str, rules: &[SecurityRuleInfo]) -> Result<Vec<SecurityRuleInfo>> {
    let mut normalised: Vec<SecurityRuleInfo> = Vec::with_capacity(rules.len());
    for (index, rule) in rules.iter().enumerate() {
        let at = format!("{field}[{index}]");
        let rule = one(&at, rule)?;
        if normalised.contains(&rule) {
            return Err(Error::invalid(format!(
                "{at}: the same rule is given twice"
            )));
        }
        normalised.push(rule);
    }
    Ok(normalised)
}

fn one(at: &str, rule: &SecurityRuleInfo) -> Result<SecurityRuleInfo> {
    let direction = rule.direction.trim().to_ascii_lowercase();
    if direction != "inbound" && direction != "outbound" {
        return Err(Error::invalid(format!(
            "{at}.Direction '{}' must be inbound or outbound",
            rule.direction
        )));
    }
    let protocol = rule.ip_protocol.trim().to_ascii_uppercase();
    let (from_port, to_port) = match protocol.as_str() {
        "TCP" | "UDP" => {
            let from = port(at, "FromPort", &rule.from_port)?;
            let to = port(at, "ToPort", &rule.to_port)?;
            if from > to {
                return Err(Error::invalid(format!(
                    "{at}: FromPort {from} is greater than ToPort {to}"
                )));
            }
            (from.to_string(), to.to_string())
        }
        "ALL" | "ICMP" => {
            for (name, value) in [("FromPort", &rule.from_port), ("ToPort", &rule.to_port)] {
                let value = value.trim();
                if !value.is_empty() && value != "-1" {
                    return Err(Error::invalid(format!(
                        "{at}.{name} '{value}' must be -1 for protocol {protocol}"
                    )));
                }
            }
            ("-1".to_owned(), "-1".to_owned())
        }
        _ => {
            return Err(Error::invalid(format!(
                "{at}.IPProtocol '{}' must be TCP, UDP, ICMP or ALL",
                rule.ip_protocol
            )));
        }
    };
    let cidr = match rule.cidr.trim() {
        "" => "0.0.0.0/0".to_owned(),
        given => network::cidr(&format!("{at}.CIDR"), given)?.to_string(),
    };
    Ok(SecurityRuleInfo {
        direction,
        ip_protocol: protocol,
        from_port,
        to_port,
        cidr,
    })
}

fn port(at: &str, name: &str, value: &str) -> Result<u16> {
    let value = value.trim();
    match value.parse::<u16>() {
        Ok(port) if port >= 1 => Ok(port),
        _ => Err(Error::invalid(format!(
            "{at}.{name} '{value}' must be a port from 1 to 65535"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(direction: &str, protocol: &str, from: &str, to: &str, cidr: &str) -> SecurityRuleInfo {
        SecurityRuleInfo {
            direction: direction.into(),
            ip_protocol: protocol.into(),
            from_port: from.into(),
            to_port: to.into(),
            cidr: cidr.into(),
        }
    }

    #[test]
    fn rules_come_out_normalised() {
        let rules = normalise(
            "SecurityRules",
            &[
                rule("Inbound", "tcp", "22", "22", ""),
                rule("OUTBOUND", "all", "", "", "10.0.0.0/8"),
                rule("inbound", "icmp", "-1", "-1", "0.0.0.0/0"),
            ],
        )
        .unwrap();
        assert_eq!(rules[0], rule("inbound", "TCP", "22", "22", "0.0.0.0/0"));
        assert_eq!(rules[1], rule("outbound", "ALL", "-1", "-1", "10.0.0.0/8"));
        assert_eq!(rules[2].ip_protocol, "ICMP");
    }

    #[test]
    fn bad_rules_name_the_field() {
        let cases = [
            (
                rule("sideways", "TCP", "1", "2", ""),
                "SecurityRules[0].Direction 'sideways' must be inbound or outbound",
            ),
            (
                rule("inbound", "GRE", "1", "2", ""),
                "SecurityRules[0].IPProtocol 'GRE' must be TCP, UDP, ICMP or ALL",
            ),
            (
                rule("inbound", "TCP", "0", "2", ""),
                "SecurityRules[0].FromPort '0' must be a port from 1 to 65535",
            ),
            (
                rule("inbound", "UDP", "1", "70000", ""),
                "SecurityRules[0].ToPort '70000' must be a port from 1 to 65535",
            ),
            (
                rule("inbound", "TCP", "90", "80", ""),
                "SecurityRules[0]: FromPort 90 is greater than ToPort 80",
            ),
            (
                rule("inbound", "ALL", "22", "22", ""),
                "SecurityRules[0].FromPort '22' must be -1 for protocol ALL",
            ),
            (
                rule("inbound", "TCP", "22", "22", "300.1.1.1/8"),
                "SecurityRules[0].CIDR '300.1.1.1/8' is not an IPv4 CIDR such as 10.0.0.0/16",
            ),
        ];
        for (bad, message) in cases {
            let err = normalise("SecurityRules", &[bad]).unwrap_err();
            assert_eq!(err.message(), message);
        }
        let twice = rule("inbound", "TCP", "22", "22", "");
        let err = normalise("R", &[twice.clone(), twice]).unwrap_err();
        assert_eq!(err.message(), "R[1]: the same rule is given twice");
    }
}
