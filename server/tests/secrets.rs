//! No credential value or admin password reaches the data directory or the logs in plaintext.
//! Its own test binary, because it owns the process's log subscriber.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use reqwest::StatusCode;
use serde_json::json;

/// Collects every log line the server writes.
#[derive(Clone, Default)]
struct CapturedLogs(Arc<Mutex<Vec<u8>>>);

impl Write for CapturedLogs {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn files_containing(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    let mut hits = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            hits.extend(files_containing(&path, needle));
        } else if std::fs::read(&path)
            // SQLite removes its -wal and -shm files when the last connection closes, which
            // may happen while we scan: a file that is gone holds nothing.
            .unwrap_or_default()
            .windows(needle.len())
            .any(|window| window == needle)
        {
            hits.push(path.display().to_string());
        }
    }
    hits
}

#[tokio::test]
async fn credential_values_stay_out_of_the_data_directory_and_logs() {
    let logs = CapturedLogs::default();
    let writer = logs.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .init();

    const MOCK_NAME: &str = "mock-name-that-must-stay-secret-4711";
    const AWS_SECRET: &str = "aws-secret-that-must-stay-secret-0815";
    let server = common::start().await;
    common::register_mock_connection(&server, MOCK_NAME).await;
    let (status, _) = server
        .post(
            "/spider/credential",
            json!({"CredentialName":"aws","ProviderName":"AWS","KeyValueInfoList":[
                {"Key":"ClientId","Value":"AKIA"},{"Key":"ClientSecret","Value":AWS_SECRET}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // Using the connection decrypts the credential for the driver; that must not leak either.
    let (status, _) = server
        .get("/spider/vmimage?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    // A refused request is logged too; its secret must not be.
    let (status, _) = server
        .post(
            "/spider/credential",
            json!({"CredentialName":"bad","ProviderName":"AWS","KeyValueInfoList":[{"Key":"ClientSecret","Value":AWS_SECRET}]}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let data_dir = server.stop().await;

    for secret in [MOCK_NAME, AWS_SECRET, common::PASSWORD] {
        assert_eq!(
            files_containing(data_dir.path(), secret.as_bytes()),
            Vec::<String>::new(),
            "{secret} on disk"
        );
        let captured = String::from_utf8_lossy(&logs.0.lock().unwrap()).into_owned();
        assert!(!captured.contains(secret), "{secret} in the logs");
        assert!(captured.contains("request"), "the logs were captured");
    }
}

#[tokio::test]
async fn a_replica_with_another_master_key_refuses_to_start() {
    use base64::Engine;
    let data_dir = tempfile::tempdir().unwrap();
    let key = |byte: u8| {
        Some(secrecy::SecretString::from(
            base64::engine::general_purpose::STANDARD.encode([byte; 32]),
        ))
    };
    let mut config = common::config(&data_dir);
    config.master_key = key(1);
    let server = common::start_with(data_dir, config.clone()).await;
    common::register_mock_connection(&server, "sealed-tenant").await;
    let data_dir = server.stop().await;

    config.master_key = key(2);
    let Err(err) = spinneret_server::start(&config).await else {
        panic!("a server whose key opens no credential must not start");
    };
    assert!(err.message().contains("SPINNERET_MASTER_KEY"), "{err}");
    drop(data_dir);
}
