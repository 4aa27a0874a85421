//! Input checks shared by the registry records.

use spinneret_drivers::Provider;
use spinneret_drivers::model::KeyValue;
use spinneret_drivers::provider::KeySpec;

use crate::error::{Error, Result};

const MAX_NAME_LEN: usize = 255;

/// Checks a user-chosen name and returns it trimmed.
///
/// A name must be non-empty after trimming, at most 255 characters, and hold no `/` or control
/// characters (it becomes a URL path segment).
pub fn name(field: &str, value: &str) -> Result<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid(format!("{field} is required")));
    }
    if trimmed.chars().count() > MAX_NAME_LEN {
        return Err(Error::invalid(format!(
            "{field} is longer than {MAX_NAME_LEN} characters"
        )));
    }
    if let Some(bad) = trimmed.chars().find(|c| *c == '/' || c.is_control()) {
        return Err(Error::invalid(format!(
            "{field} '{}' contains the forbidden character {bad:?}",
            trimmed.escape_debug()
        )));
    }
    Ok(trimmed.to_owned())
}

pub fn provider(value: &str) -> Result<Provider> {
    if value.trim().is_empty() {
        return Err(Error::invalid("ProviderName is required"));
    }
    value
        .parse()
        .map_err(|err| Error::invalid(format!("ProviderName: {err}")))
}

/// Checks a key/value list against the keys a provider reads, and returns it with known keys
/// spelled canonically (keys match case-insensitively, as in CB-Spider).
///
/// `record` names the list in messages, e.g. "credential".
pub fn key_values(
    record: &str,
    provider: Provider,
    specs: &[KeySpec],
    given: &[KeyValue],
) -> Result<Vec<KeyValue>> {
    let mut checked: Vec<KeyValue> = Vec::with_capacity(given.len());
    for (index, pair) in given.iter().enumerate() {
        let key = pair.key.trim();
        if key.is_empty() {
            return Err(Error::invalid(format!(
                "KeyValueInfoList[{index}]: Key is required"
            )));
        }
        if checked.iter().any(|kv| kv.key.eq_ignore_ascii_case(key)) {
            return Err(Error::invalid(format!(
                "KeyValueInfoList: key '{key}' is given more than once"
            )));
        }
        let canonical = specs
            .iter()
            .find(|spec| spec.name.eq_ignore_ascii_case(key))
            .map_or(key, |spec| spec.name);
        checked.push(KeyValue::new(canonical, pair.value.trim()));
    }
    for spec in specs.iter().filter(|spec| spec.required) {
        match checked.iter().find(|kv| kv.key == spec.name) {
            None => {
                return Err(Error::invalid(format!(
                    "KeyValueInfoList: a {provider} {record} needs the key '{}'",
                    spec.name
                )));
            }
            Some(kv) if kv.value.is_empty() => {
                return Err(Error::invalid(format!(
                    "KeyValueInfoList: the value of '{}' is empty",
                    spec.name
                )));
            }
            Some(_) => {}
        }
    }
    // An optional key left blank (as an AdminWeb form sends it) is simply not given.
    checked.retain(|kv| !kv.value.is_empty());
    Ok(checked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_checked() {
        assert_eq!(
            name("DriverName", "  aws-driver01 ").unwrap(),
            "aws-driver01"
        );
        assert_eq!(
            name("DriverName", "   ").unwrap_err().message(),
            "DriverName is required"
        );
        assert!(
            name("DriverName", "a/b")
                .unwrap_err()
                .message()
                .contains("'/'")
        );
        assert!(
            name("DriverName", "a\tb")
                .unwrap_err()
                .message()
                .contains("forbidden")
        );
        assert!(name("DriverName", &"x".repeat(256)).is_err());
        assert!(name("DriverName", &"é".repeat(255)).is_ok());
    }

    #[test]
    fn provider_must_be_known() {
        assert_eq!(provider("aws").unwrap(), Provider::Aws);
        assert_eq!(
            provider("").unwrap_err().message(),
            "ProviderName is required"
        );
        assert!(
            provider("gcp")
                .unwrap_err()
                .message()
                .starts_with("ProviderName: unknown provider 'gcp'")
        );
    }

    #[test]
    fn keys_match_case_insensitively_and_are_canonicalised() {
        let given = [
            KeyValue::new("clientid", "AKIA"),
            KeyValue::new("CLIENTSECRET", "s"),
        ];
        let checked = key_values(
            "credential",
            Provider::Aws,
            Provider::Aws.credential_keys(),
            &given,
        )
        .unwrap();
        let keys: Vec<&str> = checked.iter().map(|kv| kv.key.as_str()).collect();
        assert_eq!(keys, ["ClientId", "ClientSecret"]);
    }

    #[test]
    fn missing_empty_and_duplicate_keys_are_named() {
        let specs = Provider::Aws.credential_keys();
        let missing = key_values(
            "credential",
            Provider::Aws,
            specs,
            &[KeyValue::new("ClientId", "a")],
        );
        assert_eq!(
            missing.unwrap_err().message(),
            "KeyValueInfoList: a AWS credential needs the key 'ClientSecret'"
        );
        let empty = key_values(
            "credential",
            Provider::Aws,
            specs,
            &[
                KeyValue::new("ClientId", "a"),
                KeyValue::new("ClientSecret", " "),
            ],
        );
        assert_eq!(
            empty.unwrap_err().message(),
            "KeyValueInfoList: the value of 'ClientSecret' is empty"
        );
        let twice = key_values(
            "credential",
            Provider::Aws,
            specs,
            &[
                KeyValue::new("ClientId", "a"),
                KeyValue::new("clientid", "b"),
            ],
        );
        assert!(twice.unwrap_err().message().contains("more than once"));
    }

    #[test]
    fn extra_keys_are_kept() {
        let given = [
            KeyValue::new("Region", "default"),
            KeyValue::new("Latency", "10ms"),
        ];
        let checked = key_values(
            "region",
            Provider::Mock,
            Provider::Mock.region_keys(),
            &given,
        )
        .unwrap();
        assert_eq!(checked[1], KeyValue::new("Latency", "10ms"));
    }
}
