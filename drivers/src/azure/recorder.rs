//! The call recorder as one `azure_core` pipeline policy: every ARM request, retries and
//! operation polls included, becomes one call history record named after its ARM operation
//! (`VirtualMachines_CreateOrUpdate`), with its time and, on failure, ARM's error code, message
//! and request id. It reads no request header or body, so no token or secret reaches history.

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use azure_core::{BytesStream, Context, Method, Policy, PolicyResult, Request, Response, Url};

use super::error::ArmFailure;
use crate::contract::{CallRecorder, CloudCall};

/// Put in a poll's context: the operation whose progress the poll reads.
pub(super) struct Polling(pub &'static str);

pub(super) struct HistoryPolicy {
    recorder: Arc<dyn CallRecorder>,
}

impl HistoryPolicy {
    pub fn new(recorder: Arc<dyn CallRecorder>) -> Self {
        Self { recorder }
    }
}

impl std::fmt::Debug for HistoryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HistoryPolicy")
    }
}

#[async_trait]
impl Policy for HistoryPolicy {
    async fn send(
        &self,
        ctx: &Context,
        request: &mut Request,
        next: &[Arc<dyn Policy>],
    ) -> PolicyResult {
        let mut call = describe(request.method(), request.url());
        if let Some(Polling(operation)) = ctx.get::<Polling>() {
            call.api = format!("{operation} (poll)");
        }
        let started = Instant::now();
        let result = next[0].send(ctx, request, &next[1..]).await;
        let (result, error) = match result {
            Ok(response) if response.status().is_success() => (Ok(response), None),
            Ok(response) => {
                // The body is read to name ARM's code, then handed on as it came.
                let (status, headers, body) = response.deconstruct();
                match body.collect().await {
                    Ok(bytes) => {
                        let failure = ArmFailure::read(status, &headers, &bytes);
                        let response =
                            Response::new(status, headers, Box::pin(BytesStream::new(bytes)));
                        (Ok(response), Some(failure.to_string()))
                    }
                    Err(err) => {
                        let text = err.to_string();
                        (Err(err), Some(text))
                    }
                }
            }
            Err(err) => {
                let text = err.to_string();
                (Err(err), Some(text))
            }
        };
        self.recorder.record(CloudCall {
            elapsed: started.elapsed(),
            error,
            ..call
        });
        result
    }
}

/// The ARM operation a request is, read from its method and path the way ARM's REST reference
/// names operations: `{Group}_{CreateOrUpdate|Get|List|Delete|Action}`.
pub(super) fn describe(method: &Method, url: &Url) -> CloudCall {
    let segments: Vec<&str> = url
        .path_segments()
        .map(|segments| segments.filter(|s| !s.is_empty()).collect())
        .unwrap_or_default();
    let (group, verb, name) = match segments
        .iter()
        .rposition(|s| s.eq_ignore_ascii_case("providers"))
    {
        None => (
            "ResourceGroups".to_owned(),
            item_verb(method),
            segments.get(3).copied(),
        ),
        Some(at) => provider_call(method, segments.get(at + 2..).unwrap_or_default()),
    };
    CloudCall {
        resource_type: resource_type(&group),
        resource_name: name.unwrap_or_default().to_owned(),
        api: format!("{group}_{verb}"),
        elapsed: Default::default(),
        error: None,
    }
}

/// A call below `providers/{namespace}/`: `rest` is what follows the namespace.
fn provider_call<'a>(method: &Method, rest: &[&'a str]) -> (String, String, Option<&'a str>) {
    let is = |index: usize, word: &str| {
        rest.get(index)
            .is_some_and(|s| s.eq_ignore_ascii_case(word))
    };
    if is(0, "locations") {
        let (group, verb) = match rest.get(2..).unwrap_or_default() {
            [sizes] if sizes.eq_ignore_ascii_case("vmSizes") => ("VirtualMachineSizes", "List"),
            [first, found @ ..] if first.eq_ignore_ascii_case("publishers") => (
                "VirtualMachineImages",
                match found.len() {
                    0 => "ListPublishers",
                    4 => "ListOffers",
                    6 => "ListSkus",
                    8 => "List",
                    _ => "Get",
                },
            ),
            _ => ("AsyncOperations", "Get"),
        };
        return (group.to_owned(), verb.to_owned(), None);
    }
    match rest {
        // `virtualMachines/{vm}/powerOff`, `.../instanceView`: an action on one resource.
        [kind, name, action]
            if *method == Method::Post || action.eq_ignore_ascii_case("instanceView") =>
        {
            (group_of(kind), capitalised(action), Some(*name))
        }
        [.., kind, name] => (group_of(kind), item_verb(method), Some(*name)),
        [.., kind] => (group_of(kind), "List".to_owned(), None),
        [] => ("Providers".to_owned(), "Get".to_owned(), None),
    }
}

fn item_verb(method: &Method) -> String {
    match method {
        Method::Put => "CreateOrUpdate",
        Method::Delete => "Delete",
        Method::Post => "Action",
        _ => "Get",
    }
    .to_owned()
}

/// `virtualNetworks` → `VirtualNetworks`.
fn group_of(kind: &str) -> String {
    capitalised(kind)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// The kind of Spinneret resource an ARM operation group serves, for the history's
/// `ResourceType`.
fn resource_type(group: &str) -> &'static str {
    match group {
        "VirtualNetworks" => "VPC",
        "Subnets" => "Subnet",
        "NetworkSecurityGroups" | "SecurityRules" => "SecurityGroup",
        "SshPublicKeys" => "KeyPair",
        "VirtualMachines" | "NetworkInterfaces" | "PublicIPAddresses" | "Disks" => "VM",
        "VirtualMachineSizes" => "VMSpec",
        "VirtualMachineImages" => "VMImage",
        "ResourceGroups" => "ResourceGroup",
        _ => "ARM",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api(method: Method, path: &str) -> (String, &'static str, String) {
        let url = Url::parse(&format!("https://management.azure.com{path}?api-version=1")).unwrap();
        let call = describe(&method, &url);
        (call.api, call.resource_type, call.resource_name)
    }

    #[test]
    fn requests_are_named_as_arm_names_its_operations() {
        let group = "/subscriptions/s/resourceGroups/rg";
        let cases = [
            (Method::Put, format!("{group}/providers/Microsoft.Compute/virtualMachines/vm-1"), "VirtualMachines_CreateOrUpdate", "VM", "vm-1"),
            (Method::Post, format!("{group}/providers/Microsoft.Compute/virtualMachines/vm-1/powerOff"), "VirtualMachines_PowerOff", "VM", "vm-1"),
            (Method::Get, format!("{group}/providers/Microsoft.Compute/virtualMachines/vm-1/instanceView"), "VirtualMachines_InstanceView", "VM", "vm-1"),
            (Method::Get, format!("{group}/providers/Microsoft.Network/virtualNetworks"), "VirtualNetworks_List", "VPC", ""),
            (Method::Delete, format!("{group}/providers/Microsoft.Network/virtualNetworks/v/subnets/s-1"), "Subnets_Delete", "Subnet", "s-1"),
            (Method::Put, format!("{group}/providers/Microsoft.Network/networkSecurityGroups/g/securityRules/r"), "SecurityRules_CreateOrUpdate", "SecurityGroup", "r"),
            (Method::Get, group.to_owned(), "ResourceGroups_Get", "ResourceGroup", "rg"),
            (Method::Get, "/subscriptions/s/providers/Microsoft.Compute/locations/eastus/vmSizes".to_owned(), "VirtualMachineSizes_List", "VMSpec", ""),
            (Method::Get, "/subscriptions/s/providers/Microsoft.Compute/locations/eastus/publishers/Canonical/artifacttypes/vmimage/offers/o/skus/s/versions/1".to_owned(), "VirtualMachineImages_Get", "VMImage", ""),
            (Method::Get, "/subscriptions/s/providers/Microsoft.Compute/locations/eastus/publishers/Canonical/artifacttypes/vmimage/offers".to_owned(), "VirtualMachineImages_ListOffers", "VMImage", ""),
        ];
        for (method, path, operation, kind, name) in cases {
            assert_eq!(
                api(method, &path),
                (operation.to_owned(), kind, name.to_owned()),
                "{path}"
            );
        }
    }
}
