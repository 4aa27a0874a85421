//! `/metrics` and `--log-format json`, as a scraper and a log collector see them.

mod common;

use std::process::Stdio;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::Command;

/// The value of the series `name{labels}` (labels in the exporter's order), if present.
fn sample(text: &str, series: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(series)?.trim().parse().ok())
}

async fn scrape(server: &common::TestServer) -> String {
    let response = server
        .request(reqwest::Method::GET, "/metrics")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()[reqwest::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/plain")
    );
    response.text().await.unwrap()
}

#[tokio::test]
async fn metrics_count_requests_cloud_calls_and_resources() {
    let server = common::start().await;
    let anonymous = server
        .client
        .get(server.url("/metrics"))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);

    common::register_mock_connection(&server, "metrics").await;
    let (status, _) = server
        .post(
            "/spider/vpc",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "vpc-m", "IPv4_CIDR": "10.0.0.0/16",
                "SubnetInfoList": [{"Name": "sub-m", "IPv4_CIDR": "10.0.1.0/24"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    for (path, info) in [
        (
            "/spider/securitygroup",
            json!({"Name": "sg-m", "VPCName": "vpc-m", "SecurityRules": []}),
        ),
        ("/spider/keypair", json!({"Name": "key-m"})),
    ] {
        let (status, reply) = server
            .post(
                path,
                json!({"ConnectionName": "mock-config", "ReqInfo": info}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{reply}");
    }
    // A cloud that fails: a Failed VM row and an error outcome.
    let (status, _) = server
        .post(
            "/spider/credential",
            json!({"CredentialName": "mock-cred", "ProviderName": "MOCK", "KeyValueInfoList": [
                {"Key": "MockName", "Value": "metrics"}, {"Key": "FailAPI", "Value": "StartVM"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = server
        .post(
            "/spider/vm",
            json!({"ConnectionName": "mock-config", "ReqInfo": {"Name": "vm-m", "ImageName": "mock-vmimage-01",
                "VMSpecName": "mock-vmspec-01", "VPCName": "vpc-m", "SubnetName": "sub-m",
                "SecurityGroupNames": ["sg-m"], "KeyPairName": "key-m"}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_GATEWAY);
    server
        .get("/spider/vpc/vpc-m?ConnectionName=mock-config")
        .await;

    let text = scrape(&server).await;
    // Requests by route template, never by the raw path.
    assert!(
        sample(
            &text,
            r#"http_requests_total{method="POST",route="/spider/vpc",status="200"}"#
        )
        .is_some_and(|count| count >= 1.0),
        "{text}"
    );
    assert!(text.contains(r#"route="/spider/vpc/{name}""#), "{text}");
    assert!(
        !text.contains("vpc-m"),
        "a resource name became a label: {text}"
    );
    assert!(
        text.contains("http_request_duration_seconds_bucket{"),
        "{text}"
    );
    // Cloud calls, fed by the call recorder.
    assert!(
        sample(
            &text,
            r#"spinneret_csp_calls_total{provider="MOCK",api="CreateVPC",outcome="ok"}"#
        )
        .is_some_and(|count| count >= 1.0),
        "{text}"
    );
    assert!(
        text.contains(
            r#"spinneret_csp_calls_total{provider="MOCK",api="StartVM",outcome="error"}"#
        ),
        "{text}"
    );
    assert!(
        text.contains(
            r#"spinneret_csp_call_duration_seconds_bucket{provider="MOCK",api="CreateVPC""#
        ),
        "{text}"
    );
    // Resources by kind and state, every pair present.
    assert_eq!(
        sample(&text, r#"spinneret_resources{kind="VPC",state="Ready"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(&text, r#"spinneret_resources{kind="VM",state="Failed"}"#),
        Some(1.0),
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"spinneret_resources{kind="KeyPair",state="Creating"}"#
        ),
        Some(0.0),
        "{text}"
    );
    // The reconciler ran at start-up; the pool is described.
    assert!(
        sample(&text, "spinneret_reconciler_runs_total").is_some_and(|runs| runs >= 1.0),
        "{text}"
    );
    assert!(
        sample(&text, "spinneret_db_pool_max_connections").is_some_and(|max| max >= 1.0),
        "{text}"
    );
    assert!(
        text.contains(r#"spinneret_db_pool_connections{state="idle"}"#),
        "{text}"
    );
}

#[tokio::test]
async fn metrics_addr_serves_metrics_alone_without_credentials() {
    let data_dir = tempfile::tempdir().unwrap();
    let mut config = common::config(&data_dir);
    config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
    let started = spinneret_server::start(&config).await.unwrap();
    let metrics = format!("http://{}", started.metrics_addr.unwrap());
    let serving = tokio::spawn(started.run(std::future::pending()));
    let response = reqwest::get(format!("{metrics}/metrics")).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("# TYPE"));
    // Only the metrics: the API is not reachable on that address.
    let api = reqwest::get(format!("{metrics}/spider/driver"))
        .await
        .unwrap();
    assert_eq!(api.status(), StatusCode::NOT_FOUND);
    serving.abort();
}

#[tokio::test]
async fn json_logs_carry_the_request_id_on_every_line_of_a_request() {
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_spinneret"))
        .args(["serve", "--log-format", "json"])
        .env("SPINNERET_ADDR", format!("127.0.0.1:{port}"))
        .env("SPINNERET_DATA_DIR", data_dir.path())
        .env("SPIDER_PASSWORD", common::PASSWORD)
        .env("SPINNERET_MOCK_TRANSITION_MS", "0")
        .env("RUST_LOG", "info")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..100 {
        if client.get(format!("{base}/readyz")).send().await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = client
        .get(format!("{base}/spider/vpc?ConnectionName=nowhere"))
        .basic_auth(common::ADMIN, Some(common::PASSWORD))
        .header("x-request-id", "req-json-1")
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::NOT_FOUND);
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &child.id().unwrap().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut of_request = Vec::new();
    while let Some(line) = lines.next_line().await.unwrap() {
        let entry: Value = serde_json::from_str(&line)
            .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line}"));
        assert!(
            entry["level"].is_string() && entry["timestamp"].is_string(),
            "{line}"
        );
        if entry["span"]["request_id"] == "req-json-1" {
            of_request.push(entry);
        }
    }
    child.wait().await.unwrap();
    // The access-log line of the request names it.
    assert!(
        of_request
            .iter()
            .any(|entry| entry["span"]["path"] == "/spider/vpc"
                && entry["fields"]["status"] == 404),
        "{of_request:?}"
    );
}
