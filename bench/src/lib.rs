//! What every benchmark shares: a real server on a free port of loopback, and the build it
//! was measured in.

pub mod slow_clouds;

use secrecy::SecretString;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub const PASSWORD: &str = "bench-password";

pub const BUILD: &str = if cfg!(debug_assertions) {
    "debug build (dependencies at opt-level 1)"
} else {
    "release build"
};

/// A running server; dropping it stops it.
pub struct Server {
    pub base: String,
    pub config: spinneret_server::config::Config,
    _data_dir: TempDir,
    _stop: oneshot::Sender<()>,
}

/// Starts a server with SQLite in a temporary directory, or on `database_url`.
pub async fn start(database_url: Option<String>) -> Server {
    let data_dir = tempfile::tempdir().unwrap();
    let config = spinneret_server::config::Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_owned(),
        database_url,
        admin_username: "admin".to_owned(),
        admin_password: Some(SecretString::from(PASSWORD.to_owned())),
        master_key: None,
        call_history_limit: spinneret_core::history::DEFAULT_RETENTION,
        mock_transition_ms: 0,
        lease_secs: 30,
        metrics_addr: None,
        log_format: spinneret_server::config::LogFormat::Text,
        site_root: data_dir.path().join("site"),
    };
    let started = spinneret_server::start(&config).await.unwrap();
    let base = format!("http://{}", started.local_addr);
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(started.run(async {
        let _ = stopped.await;
    }));
    Server {
        base,
        config,
        _data_dir: data_dir,
        _stop: stop,
    }
}

/// Where results tables go: `bench/results/<name>`.
pub fn write_results(name: &str, table: &str) {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("results")
        .join(name);
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, table).unwrap();
    print!("{table}");
}

/// Registers the mock connection `mock-config` and makes the VPC `vpc-01` in it, over REST.
pub async fn populate(client: &reqwest::Client, base: &str) {
    use serde_json::json;
    let records = [
        (
            "driver",
            json!({"DriverName":"mock-driver","ProviderName":"MOCK"}),
        ),
        (
            "credential",
            json!({"CredentialName":"mock-cred","ProviderName":"MOCK",
            "KeyValueInfoList":[{"Key":"MockName","Value":"bench"}]}),
        ),
        (
            "region",
            json!({"RegionName":"mock-region","ProviderName":"MOCK",
            "KeyValueInfoList":[{"Key":"Region","Value":"default"}]}),
        ),
        (
            "connectionconfig",
            json!({"ConfigName":"mock-config","ProviderName":"MOCK",
            "DriverName":"mock-driver","CredentialName":"mock-cred","RegionName":"mock-region"}),
        ),
        (
            "vpc",
            json!({"ConnectionName":"mock-config","ReqInfo":{"Name":"vpc-01",
            "IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"sub-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
        ),
    ];
    for (path, body) in records {
        post(client, base, path, body).await;
    }
}

/// An authenticated `POST /spider/<path>` that must succeed; its answer.
pub async fn post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    body: serde_json::Value,
) -> serde_json::Value {
    let response = client
        .post(format!("{base}/spider/{path}"))
        .basic_auth("admin", Some(PASSWORD))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
    response.json().await.unwrap()
}

/// An authenticated GET that must succeed, read to its end.
pub async fn get(client: &reqwest::Client, url: &str) {
    let response = client
        .get(url)
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    response.bytes().await.unwrap();
}

/// The middle of `times`.
pub fn median(mut times: Vec<std::time::Duration>) -> std::time::Duration {
    times.sort_unstable();
    times[times.len() / 2]
}

/// The value at `at` (0 to 1) of sorted `times`.
pub fn quantile(sorted: &[std::time::Duration], at: f64) -> std::time::Duration {
    sorted[((sorted.len() - 1) as f64 * at) as usize]
}

/// The cloud API calls made on `connection` under one request id, from the call history,
/// oldest first.
pub async fn calls_of(
    client: &reqwest::Client,
    base: &str,
    connection: &str,
    request_id: &str,
) -> Vec<String> {
    let history = get_json(
        client,
        &format!("{base}/spider/calllog?ConnectionName={connection}&Limit=10000"),
    )
    .await;
    let mut apis: Vec<String> = history["calllog"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|record| record["RequestId"] == request_id)
        .map(|record| record["CloudOSAPI"].as_str().unwrap().to_owned())
        .collect();
    apis.reverse();
    apis
}

/// An authenticated GET's JSON answer.
pub async fn get_json(client: &reqwest::Client, url: &str) -> serde_json::Value {
    client
        .get(url)
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// The cloud id of the first Linux image `connection` offers.
pub async fn linux_image(client: &reqwest::Client, base: &str, connection: &str) -> String {
    let images = get_json(
        client,
        &format!("{base}/spider/vmimage?ConnectionName={connection}"),
    )
    .await;
    images["image"]
        .as_array()
        .unwrap()
        .iter()
        .find(|image| image["OSPlatform"] == "Linux/UNIX")
        .expect("a Linux image")["IId"]["SystemId"]
        .as_str()
        .unwrap()
        .to_owned()
}
