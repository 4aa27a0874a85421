//! An Azure connection pointed at the in-repo ARM emulator, driven through the REST API with
//! CB-Spider's Azure bodies: VPC → security group → key pair → VM → suspend → resume → reboot
//! → terminate → deletes, with the ARM operations checked in the call history, and a VM start
//! that fails half-way leaving nothing at the cloud.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use spinneret_arm_emulator::Emulator;

use common::{TestServer, apis_of, start, suspend_resume_reboot, traced, wait_until_no_vms};

const CN: &str = "azure-config";
const IMAGE: &str = "Canonical:ubuntu-24_04-lts:server:latest";

/// Registers the driver, credential, region and connection as a CB-Spider client would, plus
/// the two keys that point the driver at the emulator.
async fn register_azure_connection(server: &TestServer, arm: &str) {
    let steps = [
        (
            "/spider/driver",
            json!({"DriverName": "azure-driver01", "ProviderName": "AZURE", "DriverLibFileName": "azure-driver-v1.0.so"}),
        ),
        (
            "/spider/credential",
            json!({"CredentialName": "azure-credential01", "ProviderName": "AZURE", "KeyValueInfoList": [
                {"Key": "ClientId", "Value": "1b6d2c4e-0000-0000-0000-000000000001"},
                {"Key": "ClientSecret", "Value": "azure-secret-value"},
                {"Key": "TenantId", "Value": "72f988bf-0000-0000-0000-000000000001"},
                {"Key": "SubscriptionId", "Value": "00000000-0000-0000-0000-00000000cafe"}]}),
        ),
        (
            "/spider/region",
            json!({"RegionName": "azure-korea", "ProviderName": "AZURE", "KeyValueInfoList": [
                {"Key": "Region", "Value": "koreacentral"}, {"Key": "Zone", "Value": "1"},
                {"Key": "Endpoint", "Value": arm}, {"Key": "AuthorityHost", "Value": arm}]}),
        ),
        (
            "/spider/connectionconfig",
            json!({"ConfigName": CN, "ProviderName": "AZURE", "DriverName": "azure-driver01",
                "CredentialName": "azure-credential01", "RegionName": "azure-korea"}),
        ),
    ];
    for (path, body) in steps {
        let (status, answer) = server.post(path, body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
}

/// VPC, security group and key pair, as a CB-Spider client creates them.
async fn network(server: &TestServer) {
    for (path, body) in [
        (
            "/spider/vpc",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "10.0.0.0/16",
                "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"},
                                   {"Name": "subnet-02", "IPv4_CIDR": "10.0.2.0/24"}]}}),
        ),
        (
            "/spider/securitygroup",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-01", "VPCName": "vpc-01",
                "SecurityRules": [{"Direction": "inbound", "IPProtocol": "tcp", "FromPort": "22", "ToPort": "22"},
                                  {"Direction": "inbound", "IPProtocol": "icmp", "FromPort": "-1", "ToPort": "-1"},
                                  {"Direction": "outbound", "IPProtocol": "all", "FromPort": "-1", "ToPort": "-1"}]}}),
        ),
        (
            "/spider/keypair",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "keypair-01"}}),
        ),
    ] {
        let (status, answer) = server.post(path, body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
}

fn start_body() -> Value {
    json!({"ConnectionName": CN, "ReqInfo": {"Name": "vm-01", "ImageName": IMAGE,
        "VMSpecName": "Standard_B1s", "VPCName": "vpc-01", "SubnetName": "subnet-01",
        "SecurityGroupNames": ["sg-01"], "KeyPairName": "keypair-01"}})
}

async fn orphans(server: &TestServer, kind: &str) -> Value {
    let (status, all) = server
        .get(&format!("/spider/all{kind}?ConnectionName={CN}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{all}");
    all["AllList"]["OnlyCSPList"].clone()
}

#[tokio::test]
async fn the_operator_flow_on_the_arm_emulator() {
    let arm = Emulator::default().spawn().await.unwrap();
    let server = start().await;
    register_azure_connection(&server, &arm).await;

    let (status, images) = server
        .get(&format!("/spider/vmimage?ConnectionName={CN}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{images}");
    assert!(
        images["image"]
            .as_array()
            .unwrap()
            .iter()
            .any(|image| image["IId"]["SystemId"]
                .as_str()
                .unwrap()
                .starts_with("Canonical:ubuntu-24_04-lts:server:")),
        "{images}"
    );
    let (status, spec) = server
        .get(&format!("/spider/vmspec/Standard_B2s?ConnectionName={CN}"))
        .await;
    assert_eq!(
        (status, &spec["VCpu"]["Count"]),
        (StatusCode::OK, &json!("2")),
        "{spec}"
    );

    network(&server).await;
    let (_, sg) = server
        .get(&format!("/spider/securitygroup/sg-01?ConnectionName={CN}"))
        .await;
    assert_eq!(sg["SecurityRules"].as_array().unwrap().len(), 3, "{sg}");
    assert_eq!(sg["VpcIID"]["NameId"], "vpc-01", "{sg}");

    let start_vm = server
        .request(Method::POST, "/spider/vm")
        .json(&start_body());
    let (status, vm, start_id) = traced(start_vm).await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(vm["Status"], "Running");
    assert_eq!(vm["SubnetIID"]["NameId"], "subnet-01");
    assert_eq!(vm["SecurityGroupIIds"][0]["NameId"], "sg-01");
    assert_eq!(vm["KeyPairIId"]["NameId"], "keypair-01");
    assert!(vm["PrivateIP"].as_str().unwrap().starts_with("10."), "{vm}");
    assert!(!vm["PublicIP"].as_str().unwrap().is_empty(), "{vm}");
    let start_calls = apis_of(&server, CN, &start_id).await;
    println!("StartVM ARM calls ({}): {start_calls:?}", start_calls.len());
    for step in [
        "PublicIPAddresses_CreateOrUpdate",
        "NetworkInterfaces_CreateOrUpdate",
        "VirtualMachines_CreateOrUpdate",
    ] {
        assert!(
            start_calls.contains(&step.to_owned()),
            "{step}: {start_calls:?}"
        );
    }
    assert!(start_calls.len() <= 14, "{start_calls:?}");

    suspend_resume_reboot(&server, CN).await;
    // ARM refuses to delete a subnet a NIC uses (400 InUseSubnetCannotBeDeleted): a 409 here.
    let (status, answer) = server.delete_in(CN, "/spider/vpc/vpc-01").await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");

    let terminate = server
        .request(Method::DELETE, "/spider/vm/vm-01")
        .json(&json!({"ConnectionName": CN}));
    let (status, answer, terminate_id) = traced(terminate).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    println!(
        "TerminateVM ARM calls: {:?}",
        apis_of(&server, CN, &terminate_id).await
    );
    wait_until_no_vms(&server, CN).await;
    for path in [
        "/spider/securitygroup/sg-01",
        "/spider/keypair/keypair-01",
        "/spider/vpc/vpc-01",
    ] {
        let (status, answer) = server.delete_in(CN, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
    for kind in ["vm", "vpc", "securitygroup", "keypair"] {
        assert_eq!(orphans(&server, kind).await, json!([]), "{kind}");
    }
    let (_, stats) = server
        .get(&format!("/spider/calllog/stats?ConnectionName={CN}"))
        .await;
    let apis: Vec<&str> = stats["stats"]
        .as_array()
        .unwrap()
        .iter()
        .map(|stat| stat["CloudOSAPI"].as_str().unwrap())
        .collect();
    for expected in [
        "VirtualMachineImages_Get",
        "VirtualNetworks_CreateOrUpdate",
        "NetworkSecurityGroups_CreateOrUpdate",
        "SshPublicKeys_CreateOrUpdate",
        "VirtualMachines_CreateOrUpdate",
        "VirtualMachines_PowerOff",
        "VirtualMachines_Start",
        "VirtualMachines_Restart",
        "VirtualMachines_Delete",
        "NetworkSecurityGroups_Delete",
        "SshPublicKeys_Delete",
        "VirtualNetworks_Delete",
    ] {
        assert!(apis.contains(&expected), "{expected} missing from {apis:?}");
    }
    let (_, history) = server
        .get(&format!("/spider/calllog?ConnectionName={CN}&Limit=1000"))
        .await;
    assert!(!history.to_string().contains("azure-secret-value"));
}

#[tokio::test]
async fn a_vm_start_that_fails_half_way_leaves_nothing_at_the_cloud() {
    let arm = Emulator::default().spawn().await.unwrap();
    let server = start().await;
    register_azure_connection(&server, &arm).await;
    network(&server).await;
    reqwest::Client::new()
        .post(format!("{arm}/_emulator/faults"))
        .json(&json!({"operation": "NetworkInterfaces_CreateOrUpdate", "status": 400, "code": "InvalidParameter"}))
        .send()
        .await
        .unwrap();
    let (status, answer) = server.post("/spider/vm", start_body()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert_eq!(orphans(&server, "vm").await, json!([]));
    let (_, vm) = server
        .get(&format!("/spider/vm/vm-01?ConnectionName={CN}"))
        .await;
    assert_eq!(vm["Status"], "Failed", "{vm}");
    // The failed VM goes, and nothing holds the network.
    for path in [
        "/spider/vm/vm-01",
        "/spider/securitygroup/sg-01",
        "/spider/vpc/vpc-01",
    ] {
        let (status, answer) = server.delete_in(CN, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
    }
}
