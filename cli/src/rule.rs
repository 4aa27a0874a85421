//! Security rules on the command line: `PROTOCOL/PORTS[/CIDR][/DIRECTION]`, e.g.
//! `tcp/22/0.0.0.0/0/inbound`, `udp/53`, `all/-1/10.0.0.0/8/outbound`.
//!
//! PORTS is one port, a range `FROM-TO`, or `-1` (CB-Spider's "not applicable", for ALL and
//! ICMP). CIDR defaults to `0.0.0.0/0` and DIRECTION to `inbound`. The CIDR holds a `/` of its
//! own, so the direction is recognised by its word.

use std::net::IpAddr;
use std::str::FromStr;

use serde_json::{Value, json};

const PROTOCOLS: [&str; 4] = ["TCP", "UDP", "ICMP", "ALL"];
const DIRECTIONS: [&str; 2] = ["inbound", "outbound"];
const NOT_APPLICABLE: &str = "-1";

/// One `SecurityRuleInfo`.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    protocol: String,
    from_port: String,
    to_port: String,
    cidr: String,
    direction: String,
}

impl FromStr for Rule {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let usage = || {
            format!(
                "'{text}' is not PROTOCOL/PORTS[/CIDR][/DIRECTION], e.g. tcp/22/0.0.0.0/0/inbound"
            )
        };
        let mut parts: Vec<&str> = text.split('/').collect();
        if parts.len() < 2 {
            return Err(usage());
        }
        let protocol = parts[0].to_ascii_uppercase();
        if !PROTOCOLS.contains(&protocol.as_str()) {
            return Err(format!(
                "{}: the protocol is one of tcp, udp, icmp, all",
                usage()
            ));
        }
        let (from_port, to_port) = ports(parts[1])
            .ok_or_else(|| format!("{}: PORTS is a port, a range FROM-TO or -1", usage()))?;
        let mut direction = DIRECTIONS[0].to_owned();
        if let Some(last) = parts.last().map(|last| last.to_ascii_lowercase())
            && DIRECTIONS.contains(&last.as_str())
        {
            direction = last;
            parts.pop();
        }
        let cidr = match parts[2..].join("/") {
            cidr if cidr.is_empty() => "0.0.0.0/0".to_owned(),
            cidr if is_cidr(&cidr) => cidr,
            cidr => {
                return Err(format!(
                    "{}: '{cidr}' is not a CIDR such as 10.0.0.0/8, and DIRECTION is inbound or outbound",
                    usage()
                ));
            }
        };
        Ok(Self {
            protocol,
            from_port,
            to_port,
            cidr,
            direction,
        })
    }
}

/// An address and a prefix length within its family's, e.g. `10.0.0.0/8` or `::/0`; whether
/// the cloud takes it is the server's to say.
fn is_cidr(text: &str) -> bool {
    let Some((address, prefix)) = text.split_once('/') else {
        return false;
    };
    let longest = match address.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => 32,
        Ok(IpAddr::V6(_)) => 128,
        Err(_) => return false,
    };
    prefix.parse::<u8>().is_ok_and(|prefix| prefix <= longest)
}

fn ports(text: &str) -> Option<(String, String)> {
    if text == NOT_APPLICABLE {
        return Some((NOT_APPLICABLE.into(), NOT_APPLICABLE.into()));
    }
    let (from, to) = text.split_once('-').unwrap_or((text, text));
    let (from, to) = (from.parse::<u16>().ok()?, to.parse::<u16>().ok()?);
    (from <= to).then(|| (from.to_string(), to.to_string()))
}

impl Rule {
    pub fn to_json(&self) -> Value {
        json!({
            "Direction": self.direction,
            "IPProtocol": self.protocol,
            "FromPort": self.from_port,
            "ToPort": self.to_port,
            "CIDR": self.cidr,
        })
    }
}

/// A `SecurityRuleInfo` from the server in the syntax above, for tables.
pub fn describe(rule: &Value) -> String {
    let field = |key: &str| rule[key].as_str().unwrap_or_default();
    let (from, to) = (field("FromPort"), field("ToPort"));
    let ports = if from == to {
        from.to_owned()
    } else {
        format!("{from}-{to}")
    };
    format!(
        "{}/{ports}/{}/{}",
        field("IPProtocol").to_ascii_lowercase(),
        field("CIDR"),
        field("Direction").to_ascii_lowercase()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Value {
        text.parse::<Rule>().unwrap().to_json()
    }

    #[test]
    fn the_full_form() {
        assert_eq!(
            rule("tcp/22/0.0.0.0/0/inbound"),
            json!({"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "22", "ToPort": "22", "CIDR": "0.0.0.0/0"})
        );
        assert_eq!(
            rule("UDP/1000-2000/10.0.0.0/8/OUTBOUND"),
            json!({"Direction": "outbound", "IPProtocol": "UDP", "FromPort": "1000", "ToPort": "2000", "CIDR": "10.0.0.0/8"})
        );
    }

    #[test]
    fn cidr_and_direction_default() {
        assert_eq!(
            rule("tcp/443"),
            json!({"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "443", "ToPort": "443", "CIDR": "0.0.0.0/0"})
        );
        assert_eq!(rule("all/-1/outbound")["CIDR"], "0.0.0.0/0");
        assert_eq!(rule("all/-1/outbound")["Direction"], "outbound");
        assert_eq!(rule("icmp/-1/192.168.0.0/16")["CIDR"], "192.168.0.0/16");
        assert_eq!(rule("tcp/22/::/0/inbound")["CIDR"], "::/0");
    }

    #[test]
    fn bad_rules_say_the_syntax() {
        for bad in [
            "tcp",
            "gre/22",
            "tcp/70000",
            "tcp/22-1",
            "tcp/x",
            "tcp/-5",
            "tcp/22/0.0.0.0/0/inbund",
            "tcp/22/10.0.0.1",
            "tcp/22/10.0.0.0/33",
            "",
        ] {
            let err = bad.parse::<Rule>().unwrap_err();
            assert!(err.contains("PROTOCOL/PORTS"), "{bad}: {err}");
        }
    }

    #[test]
    fn describe_round_trips() {
        for text in [
            "tcp/22/0.0.0.0/0/inbound",
            "udp/1000-2000/10.0.0.0/8/outbound",
            "all/-1/0.0.0.0/0/outbound",
        ] {
            assert_eq!(describe(&rule(text)), text);
        }
    }
}
