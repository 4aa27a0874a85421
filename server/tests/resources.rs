//! The resource routes with CB-Spider's own request bodies, on the mock cloud: VPCs and
//! subnets, security groups, key pairs, VMs and their lifecycle, existing cloud resources,
//! and the bad inputs each one refuses.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use common::{TestServer, register_mock_connection, send, start};

const CN: &str = "mock-config";

/// VPC `vpc-01` (subnets `subnet-01`, `subnet-02`), `sg-01` and `keypair-01`, as CB-Spider's
/// tutorials create them.
async fn network(server: &TestServer) {
    let (status, vpc) = server
        .post(
            "/spider/vpc",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "192.168.0.0/16",
                "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "192.168.1.0/24"},
                                   {"Name": "subnet-02", "IPv4_CIDR": "192.168.2.0/24"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vpc}");
    assert_eq!(vpc["IId"]["NameId"], "vpc-01");
    assert_eq!(vpc["SubnetInfoList"][0]["IId"]["NameId"], "subnet-01");
    let (status, sg) = server
        .post(
            "/spider/securitygroup",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-01", "VPCName": "vpc-01",
                "SecurityRules": [{"FromPort": "1", "ToPort": "65535", "IPProtocol": "tcp", "Direction": "inbound", "CIDR": "0.0.0.0/0"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{sg}");
    assert_eq!(
        (&sg["IId"]["NameId"], &sg["VpcIID"]["NameId"]),
        (&json!("sg-01"), &json!("vpc-01"))
    );
    let (status, key) = server
        .post(
            "/spider/keypair",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "keypair-01"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{key}");
    assert_eq!(key["IId"]["NameId"], "keypair-01");
    assert!(
        key["PrivateKey"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    );
}

fn vm_request(name: &str) -> Value {
    json!({"ConnectionName": CN, "ReqInfo": {"Name": name, "ImageName": "mock-vmimage-01",
        "VMSpecName": "mock-vmspec-01", "VPCName": "vpc-01", "SubnetName": "subnet-01",
        "SecurityGroupNames": ["sg-01"], "KeyPairName": "keypair-01"}})
}

#[tokio::test]
async fn the_operator_flow_with_cb_spider_bodies() {
    let server = start().await;
    register_mock_connection(&server, "tenant-flow").await;
    network(&server).await;

    let (_, vpc) = server
        .get("/spider/vpc/vpc-01?ConnectionName=mock-config")
        .await;
    assert_eq!(vpc["IId"]["NameId"], "vpc-01");
    assert_eq!(vpc["IPv4_CIDR"], "192.168.0.0/16");
    assert_eq!(vpc["SubnetInfoList"][1]["IId"]["NameId"], "subnet-02");
    assert_eq!(vpc["SubnetInfoList"][1]["Zone"], "");
    let (status, vpcs) = server.get("/spider/vpc?ConnectionName=mock-config").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(vpcs["vpc"].as_array().unwrap().len(), 1);

    let (status, with_subnet) = server
        .post(
            "/spider/vpc/vpc-01/subnet",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "subnet-03", "IPv4_CIDR": "192.168.3.0/24"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{with_subnet}");
    assert_eq!(with_subnet["SubnetInfoList"].as_array().unwrap().len(), 3);
    let (status, subnet) = server
        .get("/spider/vpc/vpc-01/subnet/subnet-03?ConnectionName=mock-config")
        .await;
    assert_eq!(
        (status, subnet["IPv4_CIDR"].as_str()),
        (StatusCode::OK, Some("192.168.3.0/24"))
    );
    let (status, removed) = server
        .delete_in(CN, "/spider/vpc/vpc-01/subnet/subnet-03")
        .await;
    assert_eq!(
        (status, removed),
        (StatusCode::OK, json!({"Result": "true"}))
    );

    let (_, sg) = server
        .get("/spider/securitygroup/sg-01?ConnectionName=mock-config")
        .await;
    assert_eq!(sg["VpcIID"]["NameId"], "vpc-01");
    assert_eq!(
        sg["SecurityRules"][0],
        json!({"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "1", "ToPort": "65535", "CIDR": "0.0.0.0/0"})
    );
    let rule = json!({"ConnectionName": CN, "ReqInfo": {"RuleInfoList": [
        {"Direction": "outbound", "IPProtocol": "ALL", "FromPort": "-1", "ToPort": "-1"}]}});
    let (status, added) = server
        .post("/spider/securitygroup/sg-01/rules", rule.clone())
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["SecurityRules"][1]["CIDR"], "0.0.0.0/0");
    let (status, again) = server
        .post("/spider/securitygroup/sg-01/rules", rule.clone())
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "duplicate rule: {again}");
    let (status, _) = send(
        server
            .request(Method::DELETE, "/spider/securitygroup/sg-01/rules")
            .json(&rule),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(
        server
            .request(Method::DELETE, "/spider/securitygroup/sg-01/rules")
            .json(&rule),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "removing a missing rule");

    let (_, key) = server
        .get("/spider/keypair/keypair-01?ConnectionName=mock-config")
        .await;
    assert_eq!(key["PrivateKey"], "Hidden for security.");
    assert_eq!(key["PublicKey"], "Hidden for security.");
    assert!(
        key["Fingerprint"].as_str().unwrap().starts_with("SHA256:"),
        "{key}"
    );
    assert_eq!(key["VMUserID"], "cb-user");

    let (status, vm) = server.post("/spider/vm", vm_request("vm-01")).await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(vm["Status"], "Running");
    assert_eq!(vm["IId"]["NameId"], "vm-01");
    assert_eq!(vm["VMUserId"], "cb-user");
    assert_eq!(vm["ImageType"], "PublicImage");
    let public_ip = vm["PublicIP"].as_str().unwrap();
    assert_eq!(vm["SSHAccessPoint"], format!("{public_ip}:22"));
    assert!(
        vm["PrivateIP"].as_str().unwrap().starts_with("192.168.1."),
        "{vm}"
    );
    assert_eq!(vm["SecurityGroupIIds"][0]["NameId"], "sg-01");
    assert_eq!(vm["KeyPairIId"]["NameId"], "keypair-01");

    let (_, statuses) = server
        .get("/spider/vmstatus?ConnectionName=mock-config")
        .await;
    assert_eq!(statuses["vmstatus"][0]["IId"]["NameId"], "vm-01");
    assert_eq!(statuses["vmstatus"][0]["VmStatus"], "Running");
    for (action, expected) in [
        ("SUSPEND", "Suspending"),
        ("reboot", ""),
        ("Resume", "Resuming"),
        ("reboot", "Rebooting"),
    ] {
        let (status, answer) = server
            .get(&format!(
                "/spider/controlvm/vm-01?ConnectionName=mock-config&action={action}"
            ))
            .await;
        if expected.is_empty() {
            assert_eq!(
                status,
                StatusCode::CONFLICT,
                "reboot while Suspended: {answer}"
            );
        } else {
            assert_eq!(
                (status, answer),
                (StatusCode::OK, json!({"Status": expected}))
            );
        }
    }
    let (status, answer) = send(
        server
            .request(Method::PUT, "/spider/controlvm/vm-01?action=stop")
            .json(&json!({"ConnectionName": CN})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["message"],
        "action 'stop' is unknown; use suspend, resume or reboot"
    );
    let (_, status_of) = server
        .get("/spider/vmstatus/vm-01?ConnectionName=mock-config")
        .await;
    assert_eq!(status_of, json!({"Status": "Running"}));

    let (status, answer) = server.delete_in(CN, "/spider/vpc/vpc-01").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(
        answer["message"].as_str().unwrap().contains("VM 'vm-01'"),
        "{answer}"
    );
    let (status, answer) = server
        .delete_in(CN, "/spider/connectionconfig/mock-config")
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");

    let (status, answer) = server.delete_in(CN, "/spider/vm/vm-01").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        ["Terminating", "Terminated"].contains(&answer["Status"].as_str().unwrap()),
        "{answer}"
    );
    let (_, vms) = server.get("/spider/vm?ConnectionName=mock-config").await;
    assert_eq!(vms, json!({"vm": []}));
    for path in [
        "/spider/securitygroup/sg-01",
        "/spider/keypair/keypair-01",
        "/spider/vpc/vpc-01",
    ] {
        let (status, answer) = server.delete_in(CN, path).await;
        assert_eq!(
            (status, answer),
            (StatusCode::OK, json!({"Result": "true"})),
            "{path}"
        );
    }
    let (_, count) = server.get("/spider/countvpc").await;
    assert_eq!(count, json!({"count": 0}));

    let (_, history) = server
        .get("/spider/calllog?ConnectionName=mock-config&CloudOSAPI=StartVM")
        .await;
    let records = history["calllog"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{history}");
    assert_eq!(records[0]["ResourceType"], "VM");
    assert!(!records[0]["RequestId"].as_str().unwrap().is_empty());
}

#[tokio::test]
async fn bad_inputs_are_refused_with_the_field_named() {
    let server = start().await;
    register_mock_connection(&server, "tenant-bad").await;
    network(&server).await;
    let vpc = |cidr: &str, subnets: Value| json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-x", "IPv4_CIDR": cidr, "SubnetInfoList": subnets}});
    let sg = |rule: Value| json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-x", "VPCName": "vpc-01", "SecurityRules": [rule]}});
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        (
            "/spider/vpc",
            vpc("10.0.0.0/33", json!([])),
            StatusCode::BAD_REQUEST,
            "ReqInfo.IPv4_CIDR '10.0.0.0/33' is not an IPv4 CIDR such as 10.0.0.0/16",
        ),
        (
            "/spider/vpc",
            vpc(
                "10.0.0.0/16",
                json!([{"Name": "s1", "IPv4_CIDR": "10.1.0.0/24"}]),
            ),
            StatusCode::BAD_REQUEST,
            "ReqInfo.SubnetInfoList[0].IPv4_CIDR: subnet 's1' (10.1.0.0/24) lies outside its VPC's 10.0.0.0/16",
        ),
        (
            "/spider/vpc",
            vpc(
                "10.0.0.0/16",
                json!([{"Name": "s1", "IPv4_CIDR": "10.0.0.0/24"}, {"Name": "s2", "IPv4_CIDR": "10.0.0.0/25"}]),
            ),
            StatusCode::BAD_REQUEST,
            "ReqInfo.SubnetInfoList[1].IPv4_CIDR: subnet 's2' (10.0.0.0/25) overlaps subnet 's1' (10.0.0.0/24)",
        ),
        (
            "/spider/vpc",
            json!({"ReqInfo": {"Name": "v"}}),
            StatusCode::BAD_REQUEST,
            "ConnectionName is required in the JSON body",
        ),
        (
            "/spider/vpc",
            json!({"ConnectionName": CN}),
            StatusCode::BAD_REQUEST,
            "ReqInfo is required in the JSON body",
        ),
        (
            "/spider/vpc",
            json!({"ConnectionName": "nope", "ReqInfo": {"Name": "v", "IPv4_CIDR": "10.0.0.0/16"}}),
            StatusCode::NOT_FOUND,
            "connection config 'nope' is not registered",
        ),
        (
            "/spider/vpc",
            vpc("192.168.0.0/16", json!([])).pointer_mut_name("vpc-01"),
            StatusCode::CONFLICT,
            "VPC 'vpc-01' already exists in connection 'mock-config'",
        ),
        (
            "/spider/securitygroup",
            sg(
                json!({"Direction": "inbound", "IPProtocol": "tcp", "FromPort": "0", "ToPort": "22"}),
            ),
            StatusCode::BAD_REQUEST,
            "ReqInfo.SecurityRules[0].FromPort '0' must be a port from 1 to 65535",
        ),
        (
            "/spider/securitygroup",
            sg(
                json!({"Direction": "inbound", "IPProtocol": "gre", "FromPort": "1", "ToPort": "22"}),
            ),
            StatusCode::BAD_REQUEST,
            "ReqInfo.SecurityRules[0].IPProtocol 'gre' must be TCP, UDP, ICMP or ALL",
        ),
        (
            "/spider/securitygroup",
            sg(json!({"Direction": "in", "IPProtocol": "tcp", "FromPort": "1", "ToPort": "22"})),
            StatusCode::BAD_REQUEST,
            "ReqInfo.SecurityRules[0].Direction 'in' must be inbound or outbound",
        ),
        (
            "/spider/securitygroup",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-y", "VPCName": "vpc-nope"}}),
            StatusCode::NOT_FOUND,
            "VPC 'vpc-nope' does not exist in connection 'mock-config'",
        ),
        (
            "/spider/vm",
            {
                let mut v = vm_request("vm-x");
                v["ReqInfo"]["KeyPairName"] = json!("kp-nope");
                v
            },
            StatusCode::NOT_FOUND,
            "key pair 'kp-nope' does not exist in connection 'mock-config'",
        ),
        (
            "/spider/vm",
            {
                let mut v = vm_request("vm-x");
                v["ReqInfo"]["ImageName"] = json!("");
                v
            },
            StatusCode::BAD_REQUEST,
            "ReqInfo.ImageName is required",
        ),
        (
            "/spider/vm",
            {
                let mut v = vm_request("vm/x");
                v["ReqInfo"]["Name"] = json!("vm/x");
                v
            },
            StatusCode::BAD_REQUEST,
            "ReqInfo.Name 'vm/x' contains the forbidden character '/'",
        ),
    ];
    for (path, body, expected, message) in cases {
        let (status, answer) = server.post(path, body.clone()).await;
        assert_eq!(
            (status, answer["message"].as_str()),
            (expected, Some(message)),
            "{path} {body}"
        );
    }
    let (status, answer) = server.get("/spider/vpc").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["message"],
        "ConnectionName is required, in the JSON body or as ?ConnectionName="
    );
    let (status, _) = server
        .get("/spider/vpc/nope?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = server
        .get("/spider/vm/nope?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, answer) = server.delete("/spider/vpc/vpc-01?force=maybe").await;
    assert_eq!(
        (status, answer["message"].as_str()),
        (
            StatusCode::BAD_REQUEST,
            Some("force 'maybe' must be true or false")
        )
    );
    let (status, _) = server
        .post("/spider/vpc/vpc-01/subnet", json!({"ConnectionName": CN, "ReqInfo": {"Name": "subnet-01", "IPv4_CIDR": "192.168.9.0/24"}}))
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "subnet names are unique within their VPC"
    );
    // Nothing that was refused was stored.
    let (_, count) = server.get("/spider/countvpc/mock-config").await;
    assert_eq!(count, json!({"count": 1}));
    let (_, count) = server.get("/spider/countvm/mock-config").await;
    assert_eq!(count, json!({"count": 0}));
    let (status, _) = server.get("/spider/countvm/nope").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// A test-only way to rename the VPC in a request body.
trait Renamed {
    fn pointer_mut_name(self, name: &str) -> Self;
}

impl Renamed for Value {
    fn pointer_mut_name(mut self, name: &str) -> Self {
        self["ReqInfo"]["Name"] = json!(name);
        self
    }
}

#[tokio::test]
async fn existing_cloud_resources_are_listed_registered_and_deleted() {
    let server = start().await;
    register_mock_connection(&server, "tenant-inventory").await;
    network(&server).await;
    let (status, vm) = server.post("/spider/vm", vm_request("vm-01")).await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    let vm_id = vm["IId"]["SystemId"].as_str().unwrap().to_owned();

    // Forget the VM: the cloud keeps it, and it shows as the cloud's only.
    let (status, _) = server.delete_in(CN, "/spider/regvm/vm-01").await;
    assert_eq!(status, StatusCode::OK);
    let (_, all) = server.get("/spider/allvm?ConnectionName=mock-config").await;
    assert_eq!(all["AllList"]["MappedList"], json!([]));
    assert_eq!(all["AllList"]["OnlySpiderList"], json!([]));
    assert_eq!(all["AllList"]["OnlyCSPList"][0]["SystemId"], vm_id);

    // Adopt it again under another name.
    let (status, adopted) = server
        .post(
            "/spider/regvm",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "adopted", "CSPId": vm_id}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{adopted}");
    assert_eq!(adopted["IId"]["NameId"], "adopted");
    assert_eq!(adopted["VpcIID"]["NameId"], "vpc-01");
    let (_, all) = server.get("/spider/allvm?ConnectionName=mock-config").await;
    assert_eq!(all["AllList"]["MappedList"][0]["NameId"], "adopted");
    let (status, _) = server
        .post(
            "/spider/regvm",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "ghost", "CSPId": "i-nope"}}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The adopted VM blocks its key pair like any other VM.
    let (status, _) = server.delete_in(CN, "/spider/keypair/keypair-01").await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = server
        .delete_in(CN, &format!("/spider/cspvm/{vm_id}"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, count) = server.get("/spider/countvm").await;
    assert_eq!(count, json!({"count": 0}));

    for (word, name) in [("securitygroup", "sg-01"), ("keypair", "keypair-01")] {
        let (_, all) = server
            .get(&format!("/spider/all{word}?ConnectionName=mock-config"))
            .await;
        assert_eq!(
            all["AllList"]["MappedList"][0]["NameId"], name,
            "{word}: {all}"
        );
        let (_, count) = server
            .get(&format!("/spider/count{word}/mock-config"))
            .await;
        assert_eq!(count, json!({"count": 1}), "{word}");
    }
    let (_, vpc) = server
        .get("/spider/vpc/vpc-01?ConnectionName=mock-config")
        .await;
    let vpc_id = vpc["IId"]["SystemId"].as_str().unwrap().to_owned();
    let (status, _) = server.delete_in(CN, "/spider/regvpc/vpc-01").await;
    assert_eq!(status, StatusCode::CONFLICT, "sg-01 still uses the VPC");
    let (status, _) = server.delete_in(CN, "/spider/regsecuritygroup/sg-01").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server.delete_in(CN, "/spider/regvpc/vpc-01").await;
    assert_eq!(status, StatusCode::OK);
    let (status, vpc) = server
        .post(
            "/spider/regvpc",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-again", "CSPId": vpc_id}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vpc}");
    assert_eq!(vpc["SubnetInfoList"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn the_mock_cloud_and_the_records_survive_a_restart() {
    let server = start().await;
    register_mock_connection(&server, "tenant-restart").await;
    network(&server).await;
    let (status, _) = server.post("/spider/vm", vm_request("vm-01")).await;
    assert_eq!(status, StatusCode::OK);

    let data_dir = server.stop().await;
    // The mock's stored state names its account by a keyed hash, never by the MockName.
    for entry in std::fs::read_dir(data_dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap_or_default();
        assert!(!bytes.windows(14).any(|window| window == b"tenant-restart"));
    }
    let config = common::config(&data_dir);
    let server = common::start_with(data_dir, config).await;
    let (status, vm) = server
        .get("/spider/vm/vm-01?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(vm["Status"], "Running");
    let (_, all) = server
        .get("/spider/allvpc?ConnectionName=mock-config")
        .await;
    assert_eq!(all["AllList"]["MappedList"][0]["NameId"], "vpc-01");
    assert_eq!(all["AllList"]["OnlyCSPList"], json!([]));
    let (status, _) = server.delete_in(CN, "/spider/vm/vm-01").await;
    assert_eq!(status, StatusCode::OK);
}

/// A client that hangs up cancels nothing: the create runs on in its worker and ends Ready.
#[tokio::test]
async fn a_client_that_hangs_up_during_a_create_cancels_nothing() {
    let server = common::start().await;
    common::register_mock_connection(&server, "hang-up-tenant").await;
    let (status, _) = server
        .post(
            "/spider/credential",
            json!({"CredentialName": "mock-cred", "ProviderName": "MOCK", "KeyValueInfoList": [
                {"Key": "MockName", "Value": "hang-up-tenant"},
                {"Key": "DelayAPI", "Value": "CreateVPC=800,CreateSecurity=800,CreateKey=800"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let creates = [
        (
            "/spider/vpc",
            "/spider/vpc/vpc-hang",
            json!({"ConnectionName": "mock-config", "ReqInfo": {
            "Name": "vpc-hang", "IPv4_CIDR": "10.0.0.0/16", "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"}]}}),
        ),
        (
            "/spider/securitygroup",
            "/spider/securitygroup/sg-hang",
            json!({"ConnectionName": "mock-config", "ReqInfo": {
            "Name": "sg-hang", "VPCName": "vpc-hang", "SecurityRules": []}}),
        ),
        (
            "/spider/keypair",
            "/spider/keypair/key-hang",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "key-hang"}}),
        ),
    ];
    for (path, get, body) in creates {
        let hung_up = server
            .request(reqwest::Method::POST, path)
            .json(&body)
            .timeout(std::time::Duration::from_millis(200))
            .send()
            .await;
        assert!(hung_up.is_err(), "{path}: the client gave up first");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            let (status, answer) = server
                .get(&format!("{get}?ConnectionName=mock-config"))
                .await;
            if status == StatusCode::OK
                && answer["IId"]["SystemId"]
                    .as_str()
                    .is_some_and(|id| !id.is_empty())
            {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "{path} never finished: {answer}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }
}
