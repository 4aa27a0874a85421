//! Request bodies: the `-d` JSON with the fields of the flags laid over it.

use std::str::FromStr;

use serde_json::{Map, Value, json};

use crate::args::{
    ConnectionFields, DriverFields, KeyPairFields, KeyedFields, RuleChange, SecurityGroupFields,
    SubnetFields, VmFields, VpcFields,
};
use crate::error::Error;

/// The body fields a group's flags set; a flag left out sets nothing.
pub trait Fields {
    fn fields(&self) -> Map<String, Value>;
}

/// A registry record's body: `-d`'s object with the name and the flags' fields over it.
pub fn record(
    data: Option<Value>,
    name_key: &str,
    name: Option<&str>,
    fields: Map<String, Value>,
) -> Result<Value, Error> {
    let mut body = object(data)?;
    overlay(&mut body, name_field(name_key, name));
    overlay(&mut body, fields);
    Ok(Value::Object(body))
}

/// A resource request, `{"ConnectionName", "ReqInfo": {...}}`: `-d`'s envelope with the
/// connection and the flags' `ReqInfo` fields over it.
pub fn envelope(
    data: Option<Value>,
    connection: Option<&str>,
    name: Option<&str>,
    fields: Map<String, Value>,
) -> Result<Value, Error> {
    let mut body = object(data)?;
    if let Some(connection) = connection {
        body.insert("ConnectionName".into(), connection.into());
    }
    if body
        .get("ConnectionName")
        .and_then(Value::as_str)
        .is_none_or(|name| name.trim().is_empty())
    {
        return Err(Error::no_connection());
    }
    let info = body
        .entry("ReqInfo")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(info) = info else {
        return Err(Error::Usage("-d: ReqInfo must be a JSON object".into()));
    };
    overlay(info, name_field("Name", name));
    overlay(info, fields);
    Ok(Value::Object(body))
}

fn name_field(key: &str, name: Option<&str>) -> Map<String, Value> {
    name.map(|name| (key.to_owned(), Value::from(name)))
        .into_iter()
        .collect()
}

fn object(data: Option<Value>) -> Result<Map<String, Value>, Error> {
    match data {
        None => Ok(Map::new()),
        Some(Value::Object(body)) => Ok(body),
        Some(_) => Err(Error::Usage("-d must be a JSON object".into())),
    }
}

/// Flags replace whole fields, lists included: `--subnet` replaces `-d`'s subnet list.
fn overlay(body: &mut Map<String, Value>, fields: Map<String, Value>) {
    body.extend(fields);
}

/// Parses `-d`: inline JSON, `@FILE`, or `-` for standard input.
pub fn data(arg: &str) -> Result<Value, String> {
    let (text, source) = if arg == "-" {
        let text = std::io::read_to_string(std::io::stdin())
            .map_err(|err| format!("reading stdin: {err}"))?;
        (text, "stdin")
    } else if let Some(path) = arg.strip_prefix('@') {
        let text = std::fs::read_to_string(path).map_err(|err| format!("reading {path}: {err}"))?;
        (text, path)
    } else {
        (arg.to_owned(), "the argument")
    };
    serde_json::from_str(&text).map_err(|err| format!("{source} is not JSON: {err}"))
}

/// `KEY=VALUE`, the value possibly holding more `=`.
#[derive(Clone, Debug, PartialEq)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

impl FromStr for KeyValue {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => Ok(Self {
                key: key.trim().to_owned(),
                value: value.to_owned(),
            }),
            _ => Err(format!("'{text}' is not KEY=VALUE")),
        }
    }
}

/// `NAME=CIDR[@ZONE]`, one subnet of a new VPC.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetSpec {
    pub name: String,
    pub cidr: String,
    pub zone: Option<String>,
}

impl FromStr for SubnetSpec {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let bad = || format!("'{text}' is not NAME=CIDR[@ZONE], e.g. sub-1=10.0.1.0/24");
        let (name, range) = text.split_once('=').ok_or_else(bad)?;
        let (cidr, zone) = match range.split_once('@') {
            Some((cidr, zone)) => (cidr, Some(zone.to_owned())),
            None => (range, None),
        };
        if name.is_empty() || cidr.is_empty() {
            return Err(bad());
        }
        Ok(Self {
            name: name.to_owned(),
            cidr: cidr.to_owned(),
            zone,
        })
    }
}

impl SubnetSpec {
    fn to_json(&self) -> Value {
        let mut subnet = json!({ "Name": self.name, "IPv4_CIDR": self.cidr });
        if let Some(zone) = &self.zone {
            subnet["Zone"] = zone.as_str().into();
        }
        subnet
    }
}

/// Collects the fields of the flags that were given.
#[derive(Default)]
struct Builder(Map<String, Value>);

impl Builder {
    fn text(mut self, key: &str, value: Option<&String>) -> Self {
        if let Some(value) = value {
            self.0.insert(key.into(), value.as_str().into());
        }
        self
    }

    fn list(mut self, key: &str, items: Vec<Value>) -> Self {
        if !items.is_empty() {
            self.0.insert(key.into(), Value::Array(items));
        }
        self
    }
}

impl Fields for DriverFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("ProviderName", self.provider.as_ref())
            .text("DriverLibFileName", self.lib.as_ref())
            .0
    }
}

impl Fields for KeyedFields {
    fn fields(&self) -> Map<String, Value> {
        let keys = self
            .keys
            .iter()
            .map(|pair| json!({ "Key": pair.key, "Value": pair.value }))
            .collect();
        Builder::default()
            .text("ProviderName", self.provider.as_ref())
            .list("KeyValueInfoList", keys)
            .0
    }
}

impl Fields for ConnectionFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("ProviderName", self.provider.as_ref())
            .text("DriverName", self.driver.as_ref())
            .text("CredentialName", self.credential.as_ref())
            .text("RegionName", self.region.as_ref())
            .0
    }
}

impl Fields for VpcFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("IPv4_CIDR", self.cidr.as_ref())
            .list(
                "SubnetInfoList",
                self.subnets.iter().map(SubnetSpec::to_json).collect(),
            )
            .0
    }
}

impl Fields for SubnetFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("IPv4_CIDR", self.cidr.as_ref())
            .text("Zone", self.zone.as_ref())
            .0
    }
}

impl Fields for SecurityGroupFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("VPCName", self.vpc.as_ref())
            .list(
                "SecurityRules",
                self.rules.iter().map(|rule| rule.to_json()).collect(),
            )
            .0
    }
}

impl Fields for RuleChange {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .list(
                "RuleInfoList",
                self.rules.iter().map(|rule| rule.to_json()).collect(),
            )
            .0
    }
}

impl Fields for KeyPairFields {
    fn fields(&self) -> Map<String, Value> {
        Map::new()
    }
}

impl Fields for VmFields {
    fn fields(&self) -> Map<String, Value> {
        Builder::default()
            .text("ImageName", self.image.as_ref())
            .text("VMSpecName", self.spec.as_ref())
            .text("VPCName", self.vpc.as_ref())
            .text("SubnetName", self.subnet.as_ref())
            .list(
                "SecurityGroupNames",
                self.security_groups
                    .iter()
                    .map(|sg| sg.as_str().into())
                    .collect(),
            )
            .text("KeyPairName", self.keypair.as_ref())
            .text("RootDiskType", self.disk_type.as_ref())
            // CB-Spider takes the size as a string.
            .text(
                "RootDiskSize",
                self.disk_size.map(|gb| gb.to_string()).as_ref(),
            )
            .0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vpc_flags() -> VpcFields {
        VpcFields {
            cidr: Some("10.0.0.0/16".into()),
            subnets: vec!["sub-1=10.0.1.0/24".parse().unwrap()],
        }
    }

    #[test]
    fn flags_build_a_resource_request() {
        let body = envelope(None, Some("aws-1"), Some("net-1"), vpc_flags().fields()).unwrap();
        assert_eq!(
            body,
            json!({"ConnectionName": "aws-1", "ReqInfo": {"Name": "net-1", "IPv4_CIDR": "10.0.0.0/16",
                "SubnetInfoList": [{"Name": "sub-1", "IPv4_CIDR": "10.0.1.0/24"}]}})
        );
    }

    #[test]
    fn flags_override_data_fields_and_keep_the_rest() {
        let data = json!({"ConnectionName": "from-data", "ReqInfo": {"Name": "old", "IPv4_CIDR": "192.168.0.0/16",
            "SubnetInfoList": [{"Name": "a", "IPv4_CIDR": "192.168.1.0/24"}], "TagList": [{"Key": "team", "Value": "x"}]}});
        let flags = VpcFields {
            cidr: Some("10.0.0.0/16".into()),
            subnets: Vec::new(),
        };
        let body = envelope(Some(data), None, Some("new"), flags.fields()).unwrap();
        assert_eq!(body["ConnectionName"], "from-data");
        assert_eq!(body["ReqInfo"]["Name"], "new");
        assert_eq!(body["ReqInfo"]["IPv4_CIDR"], "10.0.0.0/16");
        assert_eq!(body["ReqInfo"]["SubnetInfoList"][0]["Name"], "a");
        assert_eq!(body["ReqInfo"]["TagList"][0]["Key"], "team");
    }

    #[test]
    fn a_resource_request_needs_a_connection() {
        let err = envelope(None, None, Some("net-1"), Map::new()).unwrap_err();
        assert!(err.to_string().contains("-c/--connection"), "{err}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn registry_records_put_the_name_under_their_own_key() {
        let flags = KeyedFields {
            provider: Some("MOCK".into()),
            keys: vec!["MockName=m1".parse().unwrap()],
        };
        let data = json!({"ProviderName": "AWS", "CredentialName": "old"});
        let body = record(Some(data), "CredentialName", Some("c1"), flags.fields()).unwrap();
        assert_eq!(
            body,
            json!({"CredentialName": "c1", "ProviderName": "MOCK",
                "KeyValueInfoList": [{"Key": "MockName", "Value": "m1"}]})
        );
    }

    #[test]
    fn data_must_be_an_object() {
        let err = record(Some(json!([1])), "DriverName", None, Map::new()).unwrap_err();
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn vm_flags_name_every_part() {
        let flags = VmFields {
            image: Some("img".into()),
            spec: Some("t3.micro".into()),
            vpc: Some("net-1".into()),
            subnet: Some("sub-1".into()),
            security_groups: vec!["sg-1".into(), "sg-2".into()],
            keypair: Some("key-1".into()),
            disk_type: None,
            disk_size: Some(20),
        };
        assert_eq!(
            Value::Object(flags.fields()),
            json!({"ImageName": "img", "VMSpecName": "t3.micro", "VPCName": "net-1", "SubnetName": "sub-1",
                "SecurityGroupNames": ["sg-1", "sg-2"], "KeyPairName": "key-1", "RootDiskSize": "20"})
        );
    }

    #[test]
    fn subnet_and_key_value_syntax() {
        assert_eq!(
            "s=10.0.1.0/24@zone-a"
                .parse::<SubnetSpec>()
                .unwrap()
                .to_json(),
            json!({"Name": "s", "IPv4_CIDR": "10.0.1.0/24", "Zone": "zone-a"})
        );
        assert!("10.0.1.0/24".parse::<SubnetSpec>().is_err());
        assert!("s=".parse::<SubnetSpec>().is_err());
        let pair: KeyValue = "Token=a=b".parse().unwrap();
        assert_eq!((pair.key.as_str(), pair.value.as_str()), ("Token", "a=b"));
        assert!("=v".parse::<KeyValue>().is_err());
        assert!("novalue".parse::<KeyValue>().is_err());
    }

    #[test]
    fn data_reads_inline_json_and_files() {
        assert_eq!(data(r#"{"a":1}"#).unwrap(), json!({"a": 1}));
        let file =
            std::env::temp_dir().join(format!("spinneret-cli-data-{}.json", std::process::id()));
        std::fs::write(&file, r#"{"b":2}"#).unwrap();
        assert_eq!(
            data(&format!("@{}", file.display())).unwrap(),
            json!({"b": 2})
        );
        std::fs::remove_file(&file).unwrap();
        assert!(data("{nope").unwrap_err().contains("not JSON"));
        assert!(
            data("@/nonexistent/file.json")
                .unwrap_err()
                .contains("reading")
        );
    }
}
