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
