//! The clouds Spinneret knows, and the keys each one needs.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A cloud provider. The name is matched case-insensitively and shown upper-case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Provider {
    Aws,
    Azure,
    Mock,
}

/// A credential or region key a provider reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeySpec {
    pub name: &'static str,
    pub required: bool,
    /// Shown as a password input and never echoed back.
    pub secret: bool,
}

const fn required(name: &'static str) -> KeySpec {
    KeySpec {
        name,
        required: true,
        secret: false,
    }
}

const fn secret(name: &'static str) -> KeySpec {
    KeySpec {
        name,
        required: true,
        secret: true,
    }
}

const fn optional(name: &'static str) -> KeySpec {
    KeySpec {
        name,
        required: false,
        secret: false,
    }
}

const AWS_CREDENTIAL_KEYS: &[KeySpec] = &[
    required("ClientId"),
    secret("ClientSecret"),
    KeySpec {
        name: "SessionToken",
        required: false,
        secret: true,
    },
];
const AZURE_CREDENTIAL_KEYS: &[KeySpec] = &[
    required("ClientId"),
    secret("ClientSecret"),
    required("TenantId"),
    required("SubscriptionId"),
];
/// `FailAPI` and `DelayAPI` inject faults and latency into the mock cloud (see `mock::faults`).
const MOCK_CREDENTIAL_KEYS: &[KeySpec] = &[
    required("MockName"),
    optional("FailAPI"),
    optional("DelayAPI"),
];
/// `Endpoint` points the AWS driver at an emulator or a private endpoint.
const AWS_REGION_KEYS: &[KeySpec] = &[required("Region"), required("Zone"), optional("Endpoint")];
/// CB-Spider's Azure region bodies carry `Region` and `Zone`; `ResourceGroup` defaults to the
/// region record's name. `Endpoint` (the ARM base URL) and `AuthorityHost` (the token
/// authority) point the driver at an emulator or a sovereign cloud.
const AZURE_REGION_KEYS: &[KeySpec] = &[
    required("Region"),
    required("Zone"),
    optional("ResourceGroup"),
    optional("Endpoint"),
    optional("AuthorityHost"),
];
const MOCK_REGION_KEYS: &[KeySpec] = &[required("Region"), optional("Zone")];

impl Provider {
    /// Every provider, in the order `/cloudos` lists them.
    pub const ALL: [Provider; 3] = [Provider::Aws, Provider::Azure, Provider::Mock];

    pub const fn name(self) -> &'static str {
        match self {
            Provider::Aws => "AWS",
            Provider::Azure => "AZURE",
            Provider::Mock => "MOCK",
        }
    }

    /// The credential keys this provider reads. Every credential value is stored encrypted;
    /// `secret` only marks which ones the AdminWeb masks while typing.
    pub const fn credential_keys(self) -> &'static [KeySpec] {
        match self {
            Provider::Aws => AWS_CREDENTIAL_KEYS,
            Provider::Azure => AZURE_CREDENTIAL_KEYS,
            Provider::Mock => MOCK_CREDENTIAL_KEYS,
        }
    }

    /// The region keys this provider reads.
    pub const fn region_keys(self) -> &'static [KeySpec] {
        match self {
            Provider::Aws => AWS_REGION_KEYS,
            Provider::Azure => AZURE_REGION_KEYS,
            Provider::Mock => MOCK_REGION_KEYS,
        }
    }

    /// The conventional driver library name, kept for CB-Spider compatibility.
    pub fn default_driver_lib(self) -> String {
        format!("{}-driver-v1.0.so", self.name().to_ascii_lowercase())
    }
}

impl fmt::Display for Provider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The provider name is not one Spinneret knows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownProvider(pub String);

impl fmt::Display for UnknownProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let known: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
        write!(
            f,
            "unknown provider '{}'; known providers: {}",
            self.0,
            known.join(", ")
        )
    }
}

impl std::error::Error for UnknownProvider {}

impl FromStr for Provider {
    type Err = UnknownProvider;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        let trimmed = name.trim();
        Provider::ALL
            .into_iter()
            .find(|p| p.name().eq_ignore_ascii_case(trimmed))
            .ok_or_else(|| UnknownProvider(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provider_names_parse_in_any_case() {
        assert_eq!("aws".parse::<Provider>(), Ok(Provider::Aws));
        assert_eq!(" Mock ".parse::<Provider>(), Ok(Provider::Mock));
        assert_eq!("AZURE".parse::<Provider>(), Ok(Provider::Azure));
    }

    #[test]
    fn unknown_provider_lists_the_known_ones() {
        let err = "gcp".parse::<Provider>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown provider 'gcp'; known providers: AWS, AZURE, MOCK"
        );
    }

    #[test]
    fn required_keys_match_the_contract() {
        let names = |keys: &[KeySpec]| -> Vec<&str> {
            keys.iter().filter(|k| k.required).map(|k| k.name).collect()
        };
        assert_eq!(names(Provider::Mock.credential_keys()), ["MockName"]);
        assert_eq!(
            names(Provider::Aws.credential_keys()),
            ["ClientId", "ClientSecret"]
        );
        assert_eq!(names(Provider::Aws.region_keys()), ["Region", "Zone"]);
        assert_eq!(
            names(Provider::Azure.credential_keys()),
            ["ClientId", "ClientSecret", "TenantId", "SubscriptionId"]
        );
        assert_eq!(names(Provider::Azure.region_keys()), ["Region", "Zone"]);
    }
}
