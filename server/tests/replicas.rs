//! Two replicas on one PostgreSQL database: one cloud, one set of names, no lost change.

mod common;

use base64::Engine;
use reqwest::{Method, StatusCode};
use secrecy::SecretString;
use serde_json::json;

/// Two servers on `url`, started together (their migrations race), with one master key.
async fn two_replicas(url: &str) -> (common::TestServer, common::TestServer) {
    let key = base64::engine::general_purpose::STANDARD.encode([42u8; 32]);
    let replica = || {
        let data_dir = tempfile::tempdir().unwrap();
        let mut config = common::config(&data_dir);
        config.database_url = Some(url.to_owned());
        config.master_key = Some(SecretString::from(key.clone()));
        common::start_with(data_dir, config)
    };
    tokio::join!(replica(), replica())
}

#[tokio::test]
async fn two_replicas_share_one_cloud_and_one_set_of_names() {
    let url = common::fresh_postgres(&format!("spinneret_replicas_{}", std::process::id())).await;
    let (a, b) = two_replicas(&url).await;
    common::register_mock_connection(&a, "replica-tenant").await;

    // Same-name creates split across both replicas: exactly one wins.
    let body = json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "10.0.0.0/16",
        "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"}]}});
    let creates: Vec<_> = (0..10)
        .map(|n| {
            let server = if n % 2 == 0 { &a } else { &b };
            tokio::spawn(common::send(
                server.request(Method::POST, "/spider/vpc").json(&body),
            ))
        })
        .collect();
    let mut statuses = Vec::new();
    for create in creates {
        statuses.push(create.await.unwrap().0);
    }
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::OK)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|status| **status == StatusCode::CONFLICT)
            .count(),
        9,
        "{statuses:?}"
    );

    // A VM started through A is read and controlled through B.
    let (status, answer) = b
        .post(
            "/spider/securitygroup",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "sg-01", "VPCName": "vpc-01", "SecurityRules": []}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = a
        .post(
            "/spider/keypair",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "key-01"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = a
        .post(
            "/spider/vm",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "vm-01", "ImageName": "mock-vmimage-01",
                "VMSpecName": "mock-vmspec-01", "VPCName": "vpc-01", "SubnetName": "subnet-01",
                "SecurityGroupNames": ["sg-01"], "KeyPairName": "key-01"}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = b
        .get("/spider/vmstatus/vm-01?ConnectionName=mock-config")
        .await;
    assert_eq!(
        (status, answer["Status"].as_str()),
        (StatusCode::OK, Some("Running")),
        "{answer}"
    );
    let (status, answer) = b
        .get("/spider/controlvm/vm-01?ConnectionName=mock-config&action=suspend")
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (_, answer) = a
        .get("/spider/vmstatus/vm-01?ConnectionName=mock-config")
        .await;
    assert_eq!(answer["Status"], "Suspended", "{answer}");
    let (_, all) = a.get("/spider/allvm?ConnectionName=mock-config").await;
    assert_eq!(all["AllList"]["OnlyCSPList"], json!([]), "{all}");
}

/// Each replica keeps registry records and open cloud connections between writes. A write on
/// one replica reaches the other through PostgreSQL's notifications at once, well inside the
/// 5 s the other would otherwise keep what it read.
#[tokio::test]
async fn a_registry_write_on_one_replica_is_seen_by_the_other_at_once() {
    let url = common::fresh_postgres(&format!("spinneret_notify_{}", std::process::id())).await;
    let (a, b) = two_replicas(&url).await;
    common::register_mock_connection(&a, "notify-tenant").await;
    // B reads a record and opens the connection: both are kept.
    let (_, driver) = b.get("/spider/driver/mock-driver").await;
    assert_eq!(
        driver["DriverLibFileName"], "mock-driver-v1.0.so",
        "{driver}"
    );
    let (status, vpcs) = b.get("/spider/vpc?ConnectionName=mock-config").await;
    assert_eq!(status, StatusCode::OK, "{vpcs}");

    // A changes the driver record and makes the credential's account refuse to list VPCs.
    let (status, answer) = a
        .post(
            "/spider/driver",
            json!({"DriverName":"mock-driver","ProviderName":"MOCK","DriverLibFileName":"mock-driver-v2.0.so"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let (status, answer) = a
        .post(
            "/spider/credential",
            json!({"CredentialName":"mock-cred","ProviderName":"MOCK","KeyValueInfoList":[
                {"Key":"MockName","Value":"notify-tenant"},{"Key":"FailAPI","Value":"ListVPC"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        let (_, driver) = b.get("/spider/driver/mock-driver").await;
        let (listed, _) = b.get("/spider/vpc?ConnectionName=mock-config").await;
        if driver["DriverLibFileName"] == "mock-driver-v2.0.so" && listed.is_server_error() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "replica B still serves what it read before A's writes: {driver}, a VPC list with {listed}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
