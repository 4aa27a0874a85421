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

/// Changes the mock driver's record through `server`.
async fn set_driver_library(server: &common::TestServer, library: &str) {
    let (status, answer) = server
        .post(
            "/spider/driver",
            json!({"DriverName":"mock-driver","ProviderName":"MOCK","DriverLibFileName":library}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
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
    set_driver_library(&a, "mock-driver-v2.0.so").await;
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

#[tokio::test]
async fn a_replica_whose_listening_connection_was_cut_hears_again() {
    use sea_orm::{ConnectionTrait, Database, Statement};
    let url = common::fresh_postgres(&format!("spinneret_relisten_{}", std::process::id())).await;
    let (a, b) = two_replicas(&url).await;
    common::register_mock_connection(&a, "relisten-tenant").await;
    let db = Database::connect(url.as_str()).await.unwrap();
    let listening = async || -> Vec<i32> {
        let sql = "SELECT pid FROM pg_stat_activity \
                   WHERE datname = current_database() AND query LIKE 'LISTEN%'";
        let rows = db
            .query_all_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap();
        rows.iter()
            .map(|row| row.try_get("", "pid").unwrap())
            .collect()
    };

    // PostgreSQL drops both replicas' listening connections, as a restart or a proxy would.
    let cut = listening().await;
    assert_eq!(cut.len(), 2, "{cut:?}");
    for pid in &cut {
        db.execute_unprepared(&format!("SELECT pg_terminate_backend({pid})"))
            .await
            .unwrap();
    }
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let now = listening().await;
        if now.len() == 2 && now.iter().all(|pid| !cut.contains(pid)) {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the replicas did not listen again: {now:?}, cut {cut:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }

    // B keeps the record again; A's write reaches it through the new subscription, well
    // before the 5 s time to live would.
    let (_, driver) = b.get("/spider/driver/mock-driver").await;
    assert_eq!(
        driver["DriverLibFileName"], "mock-driver-v1.0.so",
        "{driver}"
    );
    set_driver_library(&a, "mock-driver-v3.0.so").await;
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(1);
    loop {
        let (_, driver) = b.get("/spider/driver/mock-driver").await;
        if driver["DriverLibFileName"] == "mock-driver-v3.0.so" {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "replica B did not hear A's write after listening again: {driver}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}
