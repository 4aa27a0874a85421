//! Names: the id Spinneret sends to the cloud, and mapping the cloud's ids back to the user's
//! names in everything a driver returns.

use std::collections::HashMap;

use rand::Rng;
use spinneret_drivers::model::{Iid, KeyPairInfo, ResourceKind, SecurityInfo, VMInfo, VPCInfo};

use super::store::Record;

/// The longest stem kept from the user's name; the suffix adds 11 characters.
const MAX_STEM: usize = 40;
const SUFFIX_LEN: usize = 10;

/// The cloud-side name: the user's name folded to lower-case letters, digits and dashes (what
/// every cloud accepts), cut to a safe length, plus a short random suffix so a name freed by a
/// delete can be reused while the cloud still remembers the old resource.
pub(crate) fn cloud_name(name: &str) -> String {
    let folded: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem: String = folded.trim_matches('-').chars().take(MAX_STEM).collect();
    let stem = if stem.is_empty() {
        "spn".to_owned()
    } else {
        stem
    };
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    let suffix: String = (0..SUFFIX_LEN)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("{stem}-{suffix}")
}

/// The user's names of a connection's resources, by kind and cloud id.
pub(crate) struct Names {
    by_system_id: HashMap<(ResourceKind, String), String>,
}

/// From (kind, cloud id, user's name) triples.
impl FromIterator<(ResourceKind, String, String)> for Names {
    fn from_iter<I: IntoIterator<Item = (ResourceKind, String, String)>>(triples: I) -> Self {
        Self {
            by_system_id: triples
                .into_iter()
                .filter(|(_, system_id, _)| !system_id.is_empty())
                .map(|(kind, system_id, name)| ((kind, system_id), name))
                .collect(),
        }
    }
}

impl Names {
    pub fn new(records: &[Record]) -> Self {
        records
            .iter()
            .map(|record| (record.kind, record.system_id.clone(), record.name.clone()))
            .collect()
    }

    /// Rewrites an IId's NameId to the user's name, when Spinneret knows the resource.
    pub fn iid(&self, kind: ResourceKind, iid: &mut Iid) {
        if let Some(name) = self.by_system_id.get(&(kind, iid.system_id.clone())) {
            iid.name_id.clone_from(name);
        }
    }

    pub fn vpc(&self, mut vpc: VPCInfo) -> VPCInfo {
        self.iid(ResourceKind::Vpc, &mut vpc.iid);
        for subnet in &mut vpc.subnet_info_list {
            self.iid(ResourceKind::Subnet, &mut subnet.iid);
        }
        vpc
    }

    pub fn security_group(&self, mut group: SecurityInfo) -> SecurityInfo {
        self.iid(ResourceKind::SecurityGroup, &mut group.iid);
        self.iid(ResourceKind::Vpc, &mut group.vpc_iid);
        group
    }

    pub fn key_pair(&self, mut key_pair: KeyPairInfo) -> KeyPairInfo {
        self.iid(ResourceKind::KeyPair, &mut key_pair.iid);
        key_pair
    }

    pub fn vm(&self, mut vm: VMInfo) -> VMInfo {
        self.iid(ResourceKind::Vm, &mut vm.iid);
        self.iid(ResourceKind::Vpc, &mut vm.vpc_iid);
        self.iid(ResourceKind::Subnet, &mut vm.subnet_iid);
        self.iid(ResourceKind::KeyPair, &mut vm.key_pair_iid);
        for group in &mut vm.security_group_iids {
            self.iid(ResourceKind::SecurityGroup, group);
        }
        vm
    }
}

impl super::Managed for VPCInfo {
    const KIND: ResourceKind = ResourceKind::Vpc;

    fn system_id(&self) -> &str {
        &self.iid.system_id
    }

    fn with_names(self, names: &Names) -> Self {
        names.vpc(self)
    }
}

impl super::Managed for SecurityInfo {
    const KIND: ResourceKind = ResourceKind::SecurityGroup;

    fn system_id(&self) -> &str {
        &self.iid.system_id
    }

    fn with_names(self, names: &Names) -> Self {
        names.security_group(self)
    }
}

impl super::Managed for KeyPairInfo {
    const KIND: ResourceKind = ResourceKind::KeyPair;

    fn system_id(&self) -> &str {
        &self.iid.system_id
    }

    fn with_names(self, names: &Names) -> Self {
        names.key_pair(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cloud_names_fold_the_name_and_add_a_unique_suffix() {
        let name = cloud_name("My VPC_01");
        assert!(name.starts_with("my-vpc-01-"), "{name}");
        assert_eq!(name.len(), "my-vpc-01-".len() + SUFFIX_LEN);
        assert_ne!(cloud_name("a"), cloud_name("a"));
        assert!(cloud_name("øøø").starts_with("spn-"));
        let long = cloud_name(&"x".repeat(300));
        assert_eq!(long.len(), MAX_STEM + 1 + SUFFIX_LEN);
    }
}
