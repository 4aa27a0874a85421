//! A real server on 127.0.0.1:0 with a temporary SQLite file, and a client for it.
#![allow(dead_code)] // each test binary uses its own part of the harness

use reqwest::{Client, RequestBuilder, StatusCode, redirect};
use secrecy::SecretString;
use serde_json::Value;
use spinneret_server::config::Config;
use tempfile::TempDir;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub const ADMIN: &str = "admin";
pub const PASSWORD: &str = "correct-horse-battery";

pub struct TestServer {
    pub base: String,
    pub data_dir: TempDir,
    pub client: Client,
    shutdown: oneshot::Sender<()>,
    serving: JoinHandle<Result<(), spinneret_core::Error>>,
}

pub fn config(data_dir: &TempDir) -> Config {
    Config {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.path().to_owned(),
        database_url: None,
        admin_username: ADMIN.to_owned(),
        admin_password: Some(SecretString::from(PASSWORD.to_owned())),
        master_key: None,
        call_history_limit: spinneret_core::history::DEFAULT_RETENTION,
        mock_transition_ms: 0,
        lease_secs: 30,
        metrics_addr: None,
        log_format: spinneret_server::config::LogFormat::Text,
        site_root: data_dir.path().join("site"),
    }
}

pub async fn start() -> TestServer {
    let data_dir = tempfile::tempdir().unwrap();
    let config = config(&data_dir);
    start_with(data_dir, config).await
}

pub async fn start_with(data_dir: TempDir, config: Config) -> TestServer {
    let started = spinneret_server::start(&config)
        .await
        .expect("server starts");
    let base = format!("http://{}", started.local_addr);
    let (shutdown, stopped) = oneshot::channel::<()>();
    let serving = tokio::spawn(started.run(async {
        let _ = stopped.await;
    }));
    let client = Client::builder()
        .redirect(redirect::Policy::none())
        .build()
        .unwrap();
    TestServer {
        base,
        data_dir,
        client,
        shutdown,
        serving,
    }
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A request with the admin's Basic credentials.
    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, self.url(path))
            .basic_auth(ADMIN, Some(PASSWORD))
    }

    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        send(self.request(reqwest::Method::GET, path)).await
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        send(self.request(reqwest::Method::POST, path).json(&body)).await
    }

    pub async fn post_raw(&self, path: &str, body: &'static str) -> (StatusCode, Value) {
        send(self.request(reqwest::Method::POST, path).body(body)).await
    }

    pub async fn delete(&self, path: &str) -> (StatusCode, Value) {
        send(self.request(reqwest::Method::DELETE, path)).await
    }

    /// A DELETE with `{"ConnectionName": connection}` as its body, as CB-Spider sends it.
    pub async fn delete_in(&self, connection: &str, path: &str) -> (StatusCode, Value) {
        let body = serde_json::json!({ "ConnectionName": connection });
        send(self.request(reqwest::Method::DELETE, path).json(&body)).await
    }

    /// Stops the server the way SIGTERM does, and waits for it to finish.
    pub async fn stop(self) -> TempDir {
        self.shutdown.send(()).unwrap();
        self.serving
            .await
            .unwrap()
            .expect("server shuts down cleanly");
        self.data_dir
    }
}

/// Sends a request and reads its JSON body (`Null` when the body is not JSON).
pub async fn send(request: RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.expect("request reaches the server");
    let status = response.status();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// Registers a MOCK driver, credential, region and connection config.
pub async fn register_mock_connection(server: &TestServer, mock_name: &str) {
    use serde_json::json;
    let steps = [
        (
            "/spider/driver",
            json!({"DriverName":"mock-driver","ProviderName":"MOCK","DriverLibFileName":"mock-driver-v1.0.so"}),
        ),
        (
            "/spider/credential",
            json!({"CredentialName":"mock-cred","ProviderName":"MOCK","KeyValueInfoList":[{"Key":"MockName","Value":mock_name}]}),
        ),
        (
            "/spider/region",
            json!({"RegionName":"mock-region","ProviderName":"MOCK","KeyValueInfoList":[{"Key":"Region","Value":"default"}]}),
        ),
        (
            "/spider/connectionconfig",
            json!({"ConfigName":"mock-config","ProviderName":"MOCK","DriverName":"mock-driver","CredentialName":"mock-cred","RegionName":"mock-region"}),
        ),
    ];
    for (path, body) in steps {
        let (status, reply) = server.post(path, body).await;
        assert_eq!(status, StatusCode::OK, "{path}: {reply}");
    }
}

/// A fresh database in the local PostgreSQL, and the URL that opens it.
pub async fn fresh_postgres(name: &str) -> String {
    use sea_orm::{ConnectionTrait, Database};
    let admin = Database::connect(postgres_admin_url().as_str())
        .await
        .expect("local PostgreSQL");
    admin
        .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .unwrap();
    let admin_url = postgres_admin_url();
    let (base, _) = admin_url.rsplit_once('/').unwrap();
    format!("{base}/{name}")
}

/// The local PostgreSQL's admin database: `SPINNERET_TEST_POSTGRES_URL`, or trust auth on
/// 127.0.0.1.
pub fn postgres_admin_url() -> String {
    std::env::var("SPINNERET_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A port nothing listens on now, for a server process of a test's own.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The cloud API calls recorded under one request id on `connection`, oldest first.
pub async fn apis_of(server: &TestServer, connection: &str, request_id: &str) -> Vec<String> {
    let (_, history) = server
        .get(&format!(
            "/spider/calllog?ConnectionName={connection}&Limit=1000"
        ))
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

/// Sends a request and returns its answer with its `X-Request-Id`.
pub async fn traced(request: RequestBuilder) -> (StatusCode, Value, String) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, id)
}

/// Polls vm-01's status on `connection` until it is `wanted`.
pub async fn wait_for_vm(server: &TestServer, connection: &str, wanted: &str) {
    for _ in 0..100 {
        let (_, status) = server
            .get(&format!(
                "/spider/vmstatus/vm-01?ConnectionName={connection}"
            ))
            .await;
        if status["Status"] == wanted {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("vm-01 did not become {wanted}");
}

/// Suspends, resumes and reboots vm-01 on `connection`, each once the VM allows it, checking
/// the status each action answers.
pub async fn suspend_resume_reboot(server: &TestServer, connection: &str) {
    for (action, expected, allowed_from) in [
        ("suspend", "Suspending", "Running"),
        ("resume", "Resuming", "Suspended"),
        ("reboot", "Rebooting", "Running"),
    ] {
        wait_for_vm(server, connection, allowed_from).await;
        let (status, answer) = server
            .get(&format!(
                "/spider/controlvm/vm-01?ConnectionName={connection}&action={action}"
            ))
            .await;
        assert_eq!(status, StatusCode::OK, "{action}: {answer}");
        assert!(
            [expected, "Suspended", "Running"].contains(&answer["Status"].as_str().unwrap()),
            "{action}: {answer}"
        );
    }
}

/// Waits until `connection` lists no VM: a terminated VM's row is forgotten.
pub async fn wait_until_no_vms(server: &TestServer, connection: &str) {
    for _ in 0..100 {
        let (_, vms) = server
            .get(&format!("/spider/vm?ConnectionName={connection}"))
            .await;
        if vms["vm"].as_array().is_some_and(Vec::is_empty) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("a VM was not forgotten after its terminate");
}
