//! The emulated cloud's state: resources by id, operations under way, tokens and faults.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::kind::Kind;

/// A stored resource: its id as first written, its kind and its JSON.
#[derive(Clone, Debug)]
pub struct Stored {
    pub id: String,
    pub kind: Kind,
    pub body: Value,
}

/// What happens when an operation completes.
#[derive(Clone, Debug)]
pub enum Effect {
    /// The resource's provisioning succeeds (and a VM runs).
    Provisioned(String),
    /// The resource and everything under its id are gone.
    Deleted(String),
    /// A VM reaches a power state.
    Power(String, &'static str),
}

#[derive(Clone, Debug)]
pub struct Operation {
    pub done_at: Instant,
    pub effect: Effect,
    /// Kept after completion, so a late poll still reads `Succeeded`.
    pub done: bool,
}

impl Operation {
    pub fn remaining_ms(&self) -> u64 {
        let left = self.done_at.saturating_duration_since(Instant::now());
        u64::try_from(left.as_millis()).unwrap_or(u64::MAX)
    }
}

/// An injected fault: the next `remaining` calls of `operation` (e.g.
/// `VirtualMachines_CreateOrUpdate`) answer `status` with `code`, or are delayed.
#[derive(Clone, Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Fault {
    pub operation: String,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub delay_ms: u64,
    #[serde(default = "one")]
    pub remaining: u32,
}

fn one() -> u32 {
    1
}

/// How the emulator behaves; set through `POST /_emulator/config`.
#[derive(Clone, Copy, Debug, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Settings {
    /// How long each long-running operation stays in progress.
    pub operation_ms: u64,
    /// How many items a list page holds before a `nextLink`.
    pub page_size: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            operation_ms: 0,
            page_size: 2,
        }
    }
}

#[derive(Default)]
pub struct Cloud {
    /// Every resource by its lower-cased id: ARM ids are case-insensitive.
    pub resources: BTreeMap<String, Stored>,
    /// Resource groups by lower-cased id.
    pub groups: BTreeMap<String, Value>,
    pub operations: HashMap<String, Operation>,
    pub tokens: HashSet<String>,
    pub faults: Vec<Fault>,
    pub settings: Settings,
    /// VM power states by lower-cased id (`running`, `stopped`, ...).
    pub power: HashMap<String, &'static str>,
    /// Addresses handed out, for unique public and private IPs.
    pub next_address: u32,
}

impl Cloud {
    /// Applies every operation that is due.
    pub fn settle(&mut self) {
        let now = Instant::now();
        let mut due = Vec::new();
        for operation in self.operations.values_mut() {
            if !operation.done && operation.done_at <= now {
                operation.done = true;
                due.push(operation.effect.clone());
            }
        }
        for effect in due {
            self.apply(effect);
        }
    }

    fn apply(&mut self, effect: Effect) {
        match effect {
            Effect::Provisioned(key) => {
                if let Some(stored) = self.resources.get_mut(&key) {
                    stored.body["properties"]["provisioningState"] = "Succeeded".into();
                    if stored.kind == Kind::VirtualMachine {
                        self.power.insert(key, "running");
                    }
                }
            }
            Effect::Deleted(key) => {
                let cascade = self.deleted_with(&key);
                self.remove_tree(&key);
                for part in cascade {
                    self.remove_tree(&part);
                }
            }
            Effect::Power(key, state) => {
                if self.resources.contains_key(&key) {
                    self.power.insert(key, state);
                }
            }
        }
    }

    /// What goes with a VM when it is deleted, as ARM's `deleteOption: Delete` asks: its NICs,
    /// their public IPs and its OS disk.
    fn deleted_with(&self, key: &str) -> Vec<String> {
        let Some(vm) = self
            .resources
            .get(key)
            .filter(|stored| stored.kind == Kind::VirtualMachine)
        else {
            return Vec::new();
        };
        let deletes = |value: &Value| {
            value["deleteOption"]
                .as_str()
                .is_some_and(|option| option.eq_ignore_ascii_case("Delete"))
        };
        let id_of = |value: &Value| value["id"].as_str().map(str::to_ascii_lowercase);
        let properties = &vm.body["properties"];
        let mut parts = Vec::new();
        for nic in properties["networkProfile"]["networkInterfaces"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|nic| deletes(&nic["properties"]))
        {
            let Some(nic_key) = id_of(nic) else { continue };
            for configuration in self
                .resources
                .get(&nic_key)
                .and_then(|stored| stored.body["properties"]["ipConfigurations"].as_array())
                .into_iter()
                .flatten()
            {
                let ip = &configuration["properties"]["publicIPAddress"];
                if let Some(ip_key) = id_of(ip)
                    && self
                        .resources
                        .get(&ip_key)
                        .is_some_and(|stored| deletes(&stored.body["properties"]))
                {
                    parts.push(ip_key);
                }
            }
            parts.insert(0, nic_key);
        }
        let os_disk = &properties["storageProfile"]["osDisk"];
        if deletes(os_disk)
            && let Some(disk) = id_of(&os_disk["managedDisk"])
        {
            parts.push(disk);
        }
        parts
    }

    /// Removes a resource and every resource under its id, and what pointed back at it: a
    /// NIC's `virtualMachine`, a disk's `managedBy`.
    pub fn remove_tree(&mut self, key: &str) {
        let prefix = format!("{key}/");
        self.resources
            .retain(|id, _| id != key && !id.starts_with(&prefix));
        self.power.retain(|id, _| id != key);
        for stored in self.resources.values_mut() {
            let same = |value: &Value| {
                value
                    .as_str()
                    .is_some_and(|id| id.eq_ignore_ascii_case(key))
            };
            if same(&stored.body["managedBy"]) {
                stored
                    .body
                    .as_object_mut()
                    .map(|body| body.remove("managedBy"));
            }
            if same(&stored.body["properties"]["virtualMachine"]["id"]) {
                stored.body["properties"]
                    .as_object_mut()
                    .map(|properties| properties.remove("virtualMachine"));
            }
        }
    }

    /// Starts an operation that completes after the configured time.
    pub fn begin(&mut self, effect: Effect) -> String {
        let id = random_id();
        let done_at = Instant::now() + Duration::from_millis(self.settings.operation_ms);
        self.operations.insert(
            id.clone(),
            Operation {
                done_at,
                effect,
                done: false,
            },
        );
        if self.settings.operation_ms == 0 {
            self.settle();
        }
        id
    }

    /// The fault to answer `operation` with, if one is injected; counts it down.
    pub fn take_fault(&mut self, operation: &str) -> Option<Fault> {
        let index = self
            .faults
            .iter()
            .position(|fault| fault.operation.eq_ignore_ascii_case(operation))?;
        let fault = self.faults[index].clone();
        self.faults[index].remaining -= 1;
        if self.faults[index].remaining == 0 {
            self.faults.remove(index);
        }
        Some(fault)
    }

    /// Resources of `kind` whose JSON refers to `id` anywhere (e.g. NICs in a subnet).
    pub fn referrers(&self, kind: Kind, id: &str) -> Vec<&Stored> {
        self.resources
            .values()
            .filter(|stored| stored.kind == kind && refers_to(&stored.body, id))
            .collect()
    }

    /// A fresh address in 10.0.0.0/8 (private) or 20.0.0.0/8 (public), never handed out twice.
    pub fn address(&mut self, first_octet: u8) -> String {
        self.next_address += 1;
        // Counting from .4: an Azure subnet reserves its first four addresses.
        let n = self.next_address + 3;
        format!(
            "{first_octet}.{}.{}.{}",
            (n >> 16) & 0xff,
            (n >> 8) & 0xff,
            n & 0xff
        )
    }
}

/// Whether `body` holds an `"id"` equal to `id`, ignoring case, at any depth below the top.
fn refers_to(body: &Value, id: &str) -> bool {
    fn walk(value: &Value, id: &str, top: bool) -> bool {
        match value {
            Value::Object(map) => map.iter().any(|(key, inner)| {
                (!top && key == "id" && inner.as_str().is_some_and(|s| s.eq_ignore_ascii_case(id)))
                    || walk(inner, id, false)
            }),
            Value::Array(items) => items.iter().any(|item| walk(item, id, false)),
            _ => false,
        }
    }
    walk(body, id, true)
}

pub fn random_id() -> String {
    use rand::Rng;
    let bytes: [u8; 16] = rand::thread_rng().r#gen();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_never_handed_out_twice() {
        let mut cloud = Cloud::default();
        let addresses: HashSet<String> = (0..1000).map(|_| cloud.address(10)).collect();
        assert_eq!(addresses.len(), 1000);
        assert!(addresses.contains("10.0.0.4"));
    }
}
