//! The Azure driver against the in-repo ARM emulator: the shared conformance suite, the call
//! history its pipeline policy writes, and VM starts that fail or are cut off at each step.

use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;
use serde_json::{Value, json};
use spinneret_arm_emulator::Emulator;

use super::AzureDriver;
use crate::Provider;
use crate::contract::{
    CallRecorder, Connection, ConnectionInfo, Driver, DriverErrorKind, NoRecorder, RecordedCalls,
    SecurityGroupRequest, SubnetRequest, VmRequest, VpcRequest,
};
use crate::model::{ResourceKind, SecurityRuleInfo};

const SECRET: &str = "s3cret-never-shown";

/// An emulator on a free port, and a way to talk to its test hooks.
struct Arm {
    base: String,
    http: reqwest::Client,
}

impl Arm {
    async fn start() -> Self {
        Self {
            base: Emulator::default().spawn().await.unwrap(),
            http: reqwest::Client::new(),
        }
    }

    async fn hook(&self, path: &str, body: Value) {
        let answer = self
            .http
            .post(format!("{}/_emulator/{path}", self.base))
            .json(&body)
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
    }

    async fn fault(&self, operation: &str, status: u16, code: &str, remaining: u32) {
        self.hook(
            "faults",
            json!({ "operation": operation, "status": status, "code": code, "remaining": remaining }),
        )
        .await;
    }

    async fn clear_faults(&self) {
        let answer = self
            .http
            .delete(format!("{}/_emulator/faults", self.base))
            .send()
            .await
            .unwrap();
        assert!(answer.status().is_success());
    }

    fn info(&self, recorder: Arc<dyn CallRecorder>) -> ConnectionInfo {
        ConnectionInfo {
            connection_name: "azure-emulator".to_owned(),
            provider: Provider::Azure,
            region_name: "azure-korea".to_owned(),
            region: vec![
                crate::model::KeyValue::new("Region", "koreacentral"),
                crate::model::KeyValue::new("Zone", "1"),
                crate::model::KeyValue::new("Endpoint", &self.base),
                crate::model::KeyValue::new("AuthorityHost", &self.base),
            ],
            credential: [
                ("ClientId", "spinneret-tests"),
                ("ClientSecret", SECRET),
                ("TenantId", "72f988bf-0000-0000-0000-000000000001"),
                ("SubscriptionId", "00000000-0000-0000-0000-00000000cafe"),
            ]
            .into_iter()
            .map(|(key, value)| (key.to_owned(), SecretString::from(value)))
            .collect(),
            recorder,
        }
    }

    async fn connect(&self, recorder: Arc<dyn CallRecorder>) -> Box<dyn Connection> {
        AzureDriver::new()
            .connect(self.info(recorder))
            .await
            .unwrap()
    }
}

#[tokio::test]
async fn passes_the_conformance_suite_on_the_arm_emulator() {
    let arm = Arm::start().await;
    // Every operation stays in progress a little, so each create and delete is polled.
    arm.hook("config", json!({ "operationMs": 30 })).await;
    crate::conformance::run(&AzureDriver::new(), || arm.info(Arc::new(NoRecorder))).await;
}

#[tokio::test]
async fn every_arm_request_is_one_history_record_without_secrets() {
    let arm = Arm::start().await;
    arm.hook("config", json!({ "operationMs": 30 })).await;
    let calls = Arc::new(RecordedCalls::default());
    let connection = arm.connect(calls.clone()).await;
    connection.list_vpcs().await.unwrap();
    let err = connection.get_vpc("net-missing").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::NotFound, "{err}");
    connection.create_key_pair("kp-1").await.unwrap();

    let recorded = calls.0.lock().unwrap().clone();
    let apis: Vec<&str> = recorded.iter().map(|call| call.api.as_str()).collect();
    assert_eq!(
        apis[..2],
        ["VirtualNetworks_List", "VirtualNetworks_Get"],
        "{apis:?}"
    );
    assert!(apis.contains(&"ResourceGroups_CreateOrUpdate"), "{apis:?}");
    assert!(
        apis.contains(&"SshPublicKeys_CreateOrUpdate (poll)"),
        "{apis:?}"
    );
    let missing = &recorded[1];
    assert_eq!(
        (missing.resource_type, missing.resource_name.as_str()),
        ("VPC", "net-missing")
    );
    let error = missing.error.as_deref().unwrap_or_default();
    assert!(
        error.starts_with("ResourceNotFound: ") && error.contains("(request id "),
        "{error}"
    );
    let everything = format!("{recorded:?}");
    assert!(!everything.contains(SECRET), "{everything}");
}

#[tokio::test]
async fn a_throttled_request_is_retried_and_wrong_keys_are_refused() {
    let arm = Arm::start().await;
    let calls = Arc::new(RecordedCalls::default());
    let connection = arm.connect(calls.clone()).await;
    arm.fault("VirtualNetworks_List", 429, "TooManyRequests", 1)
        .await;
    connection.list_vpcs().await.unwrap();
    assert_eq!(
        calls.apis(),
        ["VirtualNetworks_List", "VirtualNetworks_List"]
    );

    // A subscription the credential does not reach is no account of its.
    let mut info = arm.info(Arc::new(NoRecorder));
    info.credential[3].1 = SecretString::from("unknown-subscription");
    let elsewhere = AzureDriver::new().connect(info).await.unwrap();
    let err = elsewhere.account().await.unwrap_err();
    assert_eq!(err.code.as_deref(), Some("SubscriptionNotFound"), "{err}");

    let mut info = arm.info(Arc::new(NoRecorder));
    info.credential[1].1 = SecretString::from("invalid-secret");
    let wrong = AzureDriver::new().connect(info).await.unwrap();
    let err = wrong.list_vpcs().await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::Unauthorized, "{err}");
    assert!(!err.message.contains("invalid-secret"), "{err}");
}

/// A VPC with one subnet, a security group and a key pair: what a VM start needs.
async fn network(connection: &dyn Connection) -> VmRequest {
    connection
        .create_vpc(&VpcRequest {
            name: "net-1".into(),
            ipv4_cidr: "10.9.0.0/16".into(),
            subnets: vec![SubnetRequest {
                name: "sub-1".into(),
                zone: String::new(),
                ipv4_cidr: "10.9.1.0/24".into(),
            }],
        })
        .await
        .unwrap();
    connection
        .create_security_group(&SecurityGroupRequest {
            name: "sg-1".into(),
            vpc_id: "net-1".into(),
            rules: vec![SecurityRuleInfo {
                direction: "inbound".into(),
                ip_protocol: "TCP".into(),
                from_port: "22".into(),
                to_port: "22".into(),
                cidr: "0.0.0.0/0".into(),
            }],
        })
        .await
        .unwrap();
    connection.create_key_pair("kp-1").await.unwrap();
    VmRequest {
        name: "vm-1".into(),
        image_id: "Canonical:ubuntu-24_04-lts:server:latest".into(),
        spec_name: "Standard_B1s".into(),
        vpc_id: "net-1".into(),
        subnet_id: "sub-1".into(),
        security_group_ids: vec!["sg-1".into()],
        key_pair_id: "kp-1".into(),
        ..VmRequest::default()
    }
}

/// What the emulator holds of VM parts: VMs, NICs, public IPs and disks, by name.
async fn vm_parts(arm: &Arm) -> Vec<String> {
    let group =
        "/subscriptions/00000000-0000-0000-0000-00000000cafe/resourceGroups/azure-korea/providers";
    let token: Value = arm
        .http
        .post(format!("{}/tenant/oauth2/v2.0/token", arm.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "t"),
            ("client_secret", "t"),
            ("scope", "x"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut names = Vec::new();
    for kind in [
        "Microsoft.Compute/virtualMachines",
        "Microsoft.Network/networkInterfaces",
        "Microsoft.Network/publicIPAddresses",
        "Microsoft.Compute/disks",
    ] {
        let mut url = format!("{}{group}/{kind}?api-version=2024-07-01", arm.base);
        loop {
            let page: Value = arm
                .http
                .get(&url)
                .bearer_auth(token["access_token"].as_str().unwrap())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            for item in page["value"].as_array().unwrap() {
                names.push(item["name"].as_str().unwrap().to_owned());
            }
            match page["nextLink"].as_str() {
                Some(next) => url = next.to_owned(),
                None => break,
            }
        }
    }
    names
}

#[tokio::test]
async fn a_vm_start_that_fails_at_any_step_leaves_nothing_behind() {
    let arm = Arm::start().await;
    let connection = arm.connect(Arc::new(NoRecorder)).await;
    let request = network(connection.as_ref()).await;
    for (operation, status, code) in [
        (
            "PublicIPAddresses_CreateOrUpdate",
            400,
            "PublicIPCountLimitReached",
        ),
        ("NetworkInterfaces_CreateOrUpdate", 400, "InvalidParameter"),
        ("VirtualMachines_CreateOrUpdate", 409, "OperationNotAllowed"),
        // A cloud that keeps failing: retried, then given up.
        (
            "NetworkInterfaces_CreateOrUpdate",
            503,
            "ServiceUnavailable",
        ),
    ] {
        arm.fault(operation, status, code, 10).await;
        let err = connection.start_vm(&request).await.unwrap_err();
        assert_eq!(err.code.as_deref(), Some(code), "{operation}: {err}");
        assert_eq!(
            vm_parts(&arm).await,
            Vec::<String>::new(),
            "after a fault in {operation}"
        );
        assert!(
            connection
                .list_ids(ResourceKind::Vm)
                .await
                .unwrap()
                .is_empty()
        );
        arm.clear_faults().await;
    }
}

#[tokio::test]
async fn a_start_cut_off_between_its_steps_is_listed_and_terminated() {
    let arm = Arm::start().await;
    let connection = arm.connect(Arc::new(NoRecorder)).await;
    let request = network(connection.as_ref()).await;
    // The VM's PUT hangs: the start is cut off after the public IP and NIC were made.
    arm.hook(
        "faults",
        json!({ "operation": "VirtualMachines_CreateOrUpdate", "delayMs": 60_000 }),
    )
    .await;
    let mut start = connection.start_vm(&request);
    while vm_parts(&arm).await.len() < 2 {
        tokio::select! {
            started = &mut start => panic!("the start should still be waiting: {started:?}"),
            () = tokio::time::sleep(Duration::from_millis(50)) => {}
        }
    }
    // Cut off: the start is dropped mid-way, as by a crash.
    drop(start);
    assert_eq!(vm_parts(&arm).await, ["vm-1-nic", "vm-1-ip"]);
    let listed = connection.list_ids(ResourceKind::Vm).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].system_id, "vm-1");
    let err = connection.vm_status("vm-1").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::NotFound);

    assert_eq!(
        connection.terminate_vm("vm-1").await.unwrap(),
        crate::model::VMStatus::Terminated
    );
    assert_eq!(vm_parts(&arm).await, Vec::<String>::new());
    assert!(
        connection
            .list_ids(ResourceKind::Vm)
            .await
            .unwrap()
            .is_empty()
    );
    let err = connection.terminate_vm("vm-1").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::NotFound);
}

#[tokio::test]
async fn terminating_a_vm_deletes_its_nic_public_ip_and_disk() {
    let arm = Arm::start().await;
    let connection = arm.connect(Arc::new(NoRecorder)).await;
    let request = network(connection.as_ref()).await;
    connection.start_vm(&request).await.unwrap();
    assert_eq!(
        vm_parts(&arm).await,
        ["vm-1", "vm-1-nic", "vm-1-ip", "vm-1-osdisk"]
    );
    let vm = connection.get_vm("vm-1").await.unwrap();
    assert_eq!(vm.security_group_iids[0].system_id, "sg-1");
    assert_eq!(vm.key_pair_iid.system_id, "kp-1");
    assert_eq!(vm.vm_user_id, "cb-user");
    connection.terminate_vm("vm-1").await.unwrap();
    assert_eq!(vm_parts(&arm).await, Vec::<String>::new());
    // Nothing holds the network any more.
    connection.delete_security_group("sg-1").await.unwrap();
    connection.delete_vpc("net-1").await.unwrap();
}
