//! kill -9 in the middle of an operation, then a restart: every row converges, and nothing is
//! left at the cloud that Spinneret does not know of.

mod common;

use std::process::Stdio;
use std::time::{Duration, Instant};

use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::process::{Child, Command};

const PASSWORD: &str = "crash-test-password";
const CN: &str = "crash-config";

/// The real binary, with short leases so a takeover happens within seconds.
struct Server {
    child: Child,
    base: String,
    client: Client,
}

impl Server {
    /// One replica on the SQLite file in `data_dir`.
    async fn start(data_dir: &std::path::Path, port: u16) -> Self {
        Self::start_on(data_dir, port, None).await
    }

    /// One replica; with `database_url`, on that shared database with a shared master key.
    async fn start_on(data_dir: &std::path::Path, port: u16, database_url: Option<&str>) -> Self {
        let mut command = Command::new(env!("CARGO_BIN_EXE_spinneret"));
        command
            .arg("serve")
            .env("SPINNERET_ADDR", format!("127.0.0.1:{port}"))
            .env("SPINNERET_DATA_DIR", data_dir)
            .env("SPIDER_PASSWORD", PASSWORD)
            .env("SPINNERET_LEASE_SECS", "2")
            .env("SPINNERET_MOCK_TRANSITION_MS", "2000")
            .env_remove("SPINNERET_MASTER_KEY")
            .env_remove("DATABASE_URL");
        if let Some(url) = database_url {
            command.env("DATABASE_URL", url).env(
                "SPINNERET_MASTER_KEY",
                "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKio=",
            );
        }
        let child = command
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let server = Self {
            child,
            base: format!("http://127.0.0.1:{port}"),
            client: Client::new(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while server
            .client
            .get(format!("{}/readyz", server.base))
            .send()
            .await
            .is_err()
        {
            assert!(Instant::now() < deadline, "the server did not come up");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        server
    }

    fn request(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}/spider{path}", self.base))
            .basic_auth("admin", Some(PASSWORD))
    }

    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self.request(method, path);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn ok(&self, method: reqwest::Method, path: &str, body: Value) -> Value {
        let (status, answer) = self.call(method, path, Some(body)).await;
        assert_eq!(status, StatusCode::OK, "{path}: {answer}");
        answer
    }

    /// SIGTERM, and the wait for a clean exit.
    async fn sigterm(mut self) {
        let pid = self.child.id().unwrap().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(sent.success());
        let exit = tokio::time::timeout(Duration::from_secs(20), self.child.wait())
            .await
            .expect("SIGTERM stops the server")
            .unwrap();
        assert!(exit.success(), "{exit}");
    }

    /// kill -9: no shutdown, no flush, the operation cut off where it was.
    async fn kill(mut self) {
        self.child.start_kill().unwrap();
        self.child.wait().await.unwrap();
    }

    async fn register(&self, credential_keys: &[(&str, &str)]) {
        let mut keys = vec![("MockName", "crash-account")];
        keys.extend_from_slice(credential_keys);
        self.register_as("MOCK", &keys, &[("Region", "default")])
            .await;
    }

    /// The driver, credential, region and connection `CN` of `provider`.
    async fn register_as(
        &self,
        provider: &str,
        credential: &[(&str, &str)],
        region: &[(&str, &str)],
    ) {
        use reqwest::Method;
        let pairs = |keys: &[(&str, &str)]| -> Vec<Value> {
            keys.iter()
                .map(|(key, value)| json!({"Key": key, "Value": value}))
                .collect()
        };
        self.ok(
            Method::POST,
            "/driver",
            json!({"DriverName": "crash-driver", "ProviderName": provider, "DriverLibFileName": ""}),
        )
        .await;
        self.ok(Method::POST, "/credential", json!({"CredentialName": "crash-cred", "ProviderName": provider, "KeyValueInfoList": pairs(credential)})).await;
        self.ok(Method::POST, "/region", json!({"RegionName": "crash-region", "ProviderName": provider, "KeyValueInfoList": pairs(region)})).await;
        self.ok(Method::POST, "/connectionconfig", json!({"ConfigName": CN, "ProviderName": provider, "DriverName": "crash-driver", "CredentialName": "crash-cred", "RegionName": "crash-region"})).await;
    }

    /// What exists at the mock cloud that Spinneret does not know of.
    async fn orphans(&self, kind: &str) -> Vec<Value> {
        let (status, all) = self
            .call(
                reqwest::Method::GET,
                &format!("/all{kind}?ConnectionName={CN}"),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{all}");
        all["AllList"]["OnlyCSPList"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// Deletes vm-01 and its network, each answering 200, and checks the cloud holds nothing
    /// Spinneret does not know of. `step` names the case in failures.
    async fn delete_all_leaving_nothing(&self, step: &str) {
        for path in [
            "/vm/vm-01",
            "/securitygroup/sg-01",
            "/keypair/key-01",
            "/vpc/vpc-01",
        ] {
            let (status, answer) = self
                .call(
                    reqwest::Method::DELETE,
                    path,
                    Some(json!({"ConnectionName": CN})),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{step}: DELETE {path}: {answer}");
        }
        for kind in ["vm", "vpc", "securitygroup", "keypair"] {
            assert!(
                self.orphans(kind).await.is_empty(),
                "{step}: {kind} orphaned"
            );
        }
    }

    /// Polls `path` until `done` holds for its answer, for at most `limit`.
    async fn wait_for(
        &self,
        path: &str,
        limit: Duration,
        done: impl Fn(StatusCode, &Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let (status, answer) = self.call(reqwest::Method::GET, path, None).await;
            if done(status, &answer) {
                return answer;
            }
            assert!(
                Instant::now() < deadline,
                "{path} did not converge: {status} {answer}"
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

fn network_body(name: &str) -> Value {
    json!({"ConnectionName": CN, "ReqInfo": {"Name": name, "IPv4_CIDR": "10.0.0.0/16",
        "SubnetInfoList": [{"Name": "subnet-01", "IPv4_CIDR": "10.0.1.0/24"}]}})
}

/// A VPC, a security group and a key pair, then a VM start killed with the server while the
/// VM is still Creating at the cloud.
async fn start_vm_and_kill(server: Server) {
    network(&server, &[]).await;
    let starting = send_start(&server);
    server
        .wait_for(
            &format!("/vmstatus/vm-01?ConnectionName={CN}"),
            Duration::from_secs(10),
            |status, answer| status == StatusCode::OK && answer["Status"] == "Creating",
        )
        .await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill().await;
    assert!(
        starting.await.unwrap().is_err(),
        "the client saw the server die"
    );
}

/// Starts `vm-01` on the network, answering in a task of its own.
fn send_start(server: &Server) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    send_start_of(server, "mock-vmimage-01", "mock-vmspec-01")
}

fn send_start_of(
    server: &Server,
    image: &str,
    spec: &str,
) -> tokio::task::JoinHandle<reqwest::Result<reqwest::Response>> {
    let start = server.request(reqwest::Method::POST, "/vm").json(
        &json!({"ConnectionName": CN, "ReqInfo": {
        "Name": "vm-01", "ImageName": image, "VMSpecName": spec, "VPCName": "vpc-01",
        "SubnetName": "subnet-01", "SecurityGroupNames": ["sg-01"], "KeyPairName": "key-01"}}),
    );
    tokio::spawn(start.send())
}

/// The connection, with `credential_keys`, and the network a VM needs.
async fn network(server: &Server, credential_keys: &[(&str, &str)]) {
    server.register(credential_keys).await;
    build_network(server).await;
}

/// A VPC, a security group and a key pair on the registered connection.
async fn build_network(server: &Server) {
    use reqwest::Method;
    server
        .ok(Method::POST, "/vpc", network_body("vpc-01"))
        .await;
    server.ok(Method::POST, "/securitygroup", json!({"ConnectionName": CN, "ReqInfo": {"Name": "sg-01", "VPCName": "vpc-01",
        "SecurityRules": [{"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "22", "ToPort": "22", "CIDR": "0.0.0.0/0"}]}})).await;
    server
        .ok(
            Method::POST,
            "/keypair",
            json!({"ConnectionName": CN, "ReqInfo": {"Name": "key-01"}}),
        )
        .await;
}

/// The killed start's VM runs, nothing is orphaned, and its lifecycle goes on.
async fn assert_vm_taken_over(server: &Server) {
    use reqwest::Method;
    let vm = server
        .wait_for(
            &format!("/vm/vm-01?ConnectionName={CN}"),
            Duration::from_secs(20),
            |status, answer| status == StatusCode::OK && answer["Status"] == "Running",
        )
        .await;
    assert!(
        vm["IId"]["SystemId"]
            .as_str()
            .unwrap()
            .starts_with("vm-01-"),
        "{vm}"
    );
    assert!(server.orphans("vm").await.is_empty());
    let (status, answer) = server
        .call(
            Method::GET,
            &format!("/controlvm/vm-01?ConnectionName={CN}&action=suspend"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}

#[tokio::test]
async fn a_vm_start_cut_off_by_kill_9_reaches_running_after_a_restart() {
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    start_vm_and_kill(Server::start(data_dir.path(), port).await).await;
    let server = Server::start(data_dir.path(), port).await;
    assert_vm_taken_over(&server).await;
    // The takeover is counted for the operator's dashboards.
    let metrics = server
        .client
        .get(format!("{}/metrics", server.base))
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains(r#"spinneret_reconciler_takeovers_total{kind="VM",state="Creating"} 1"#),
        "{metrics}"
    );
    server.kill().await;
}

/// A start killed at each of the cloud's steps before the VM exists (the NIC, the public IP,
/// the launch): after the restart the VM is Failed with the reason, and everything it was
/// to use is free and deletable.
#[tokio::test]
async fn a_vm_start_killed_before_the_cloud_made_the_vm_fails_and_frees_its_network() {
    for step in ["CreateNIC", "AllocatePublicIP", "StartVM"] {
        let data_dir = tempfile::tempdir().unwrap();
        let port = common::free_port();
        let server = Server::start(data_dir.path(), port).await;
        network(&server, &[("DelayAPI", &format!("{step}=3000"))]).await;
        let starting = send_start(&server);
        tokio::time::sleep(Duration::from_millis(1000)).await;
        server.kill().await;
        assert!(
            starting.await.unwrap().is_err(),
            "{step}: the client saw the server die"
        );

        let server = Server::start(data_dir.path(), port).await;
        let vm = server
            .wait_for(
                &format!("/vm/vm-01?ConnectionName={CN}"),
                Duration::from_secs(20),
                |status, answer| status == StatusCode::OK && answer["Status"] == "Failed",
            )
            .await;
        assert!(vm.to_string().contains("interrupted"), "{step}: {vm}");
        server.delete_all_leaving_nothing(step).await;
        server.kill().await;
    }
}

/// Two replicas on one PostgreSQL database: the one that starts a VM dies mid-start, and the
/// other takes the start over once its lease runs out.
#[tokio::test]
async fn a_replica_killed_mid_start_is_taken_over_by_the_other() {
    let url = common::fresh_postgres(&format!("spinneret_takeover_{}", std::process::id())).await;
    let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let a = Server::start_on(dir_a.path(), common::free_port(), Some(&url)).await;
    let b = Server::start_on(dir_b.path(), common::free_port(), Some(&url)).await;
    start_vm_and_kill(a).await;
    assert_vm_taken_over(&b).await;
    b.kill().await;
}

#[tokio::test]
async fn a_vpc_create_cut_off_before_the_cloud_answered_fails_and_deletes_cleanly() {
    use reqwest::Method;
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let server = Server::start(data_dir.path(), port).await;
    server.register(&[("DelayAPI", "CreateVPC=4000")]).await;
    let creating = tokio::spawn(
        server
            .request(Method::POST, "/vpc")
            .json(&network_body("vpc-cut"))
            .send(),
    );
    tokio::time::sleep(Duration::from_millis(800)).await;
    // While it runs, a plain delete is refused: the VPC is being created.
    let (status, answer) = server
        .call(
            Method::DELETE,
            "/vpc/vpc-cut",
            Some(json!({"ConnectionName": CN})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(
        answer["message"]
            .as_str()
            .unwrap()
            .contains("is being created"),
        "{answer}"
    );
    server.kill().await;
    assert!(creating.await.unwrap().is_err());

    let server = Server::start(data_dir.path(), port).await;
    let failed = server
        .wait_for(
            &format!("/vpc/vpc-cut?ConnectionName={CN}"),
            Duration::from_secs(20),
            |status, answer| {
                status == StatusCode::OK
                    && answer["KeyValueList"]
                        .as_array()
                        .is_some_and(|pairs| pairs.iter().any(|pair| pair["Key"] == "Error"))
            },
        )
        .await;
    assert_eq!(failed["IId"]["NameId"], "vpc-cut", "{failed}");
    let (status, answer) = server
        .call(
            Method::DELETE,
            "/vpc/vpc-cut",
            Some(json!({"ConnectionName": CN})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(server.orphans("vpc").await.is_empty());
    let (_, vpcs) = server
        .call(Method::GET, &format!("/vpc?ConnectionName={CN}"), None)
        .await;
    assert_eq!(vpcs["vpc"], json!([]), "{vpcs}");
    server.kill().await;
}

/// A shutdown lets cloud work under way finish: a create whose client already hung up is
/// Ready after the restart, not left for the reconciler.
#[tokio::test]
async fn a_shutdown_gives_running_creates_time_to_finish() {
    use reqwest::Method;
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let server = Server::start(data_dir.path(), port).await;
    server.register(&[("DelayAPI", "CreateVPC=1500")]).await;
    let hung_up = server
        .request(Method::POST, "/vpc")
        .json(&network_body("vpc-grace"))
        .timeout(Duration::from_millis(300))
        .send()
        .await;
    assert!(hung_up.is_err(), "the client gave up first");
    server.sigterm().await;

    let server = Server::start(data_dir.path(), port).await;
    let (status, vpc) = server
        .call(
            Method::GET,
            &format!("/vpc/vpc-grace?ConnectionName={CN}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vpc}");
    assert!(
        vpc["IId"]["SystemId"]
            .as_str()
            .is_some_and(|id| !id.is_empty()),
        "finished before the exit: {vpc}"
    );
    server.kill().await;
}

/// An Azure VM start killed after its public IP and NIC were made, before ARM made the VM:
/// after the restart the VM is Failed, its parts are gone from the cloud, and the network is
/// free.
#[tokio::test]
async fn an_azure_vm_start_killed_between_its_steps_leaves_no_orphan() {
    let arm = spinneret_arm_emulator::Emulator::default()
        .spawn()
        .await
        .unwrap();
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let server = Server::start(data_dir.path(), port).await;
    server
        .register_as(
            "AZURE",
            &[
                ("ClientId", "crash"),
                ("ClientSecret", "crash-secret"),
                ("TenantId", "t"),
                ("SubscriptionId", "sub-crash"),
            ],
            &[
                ("Region", "koreacentral"),
                ("Zone", "1"),
                ("Endpoint", &arm),
                ("AuthorityHost", &arm),
            ],
        )
        .await;
    build_network(&server).await;
    // ARM sits on the VM's PUT far longer than this test runs.
    reqwest::Client::new()
        .post(format!("{arm}/_emulator/faults"))
        .json(&json!({"operation": "VirtualMachines_CreateOrUpdate", "delayMs": 600_000}))
        .send()
        .await
        .unwrap();
    let starting = send_start_of(
        &server,
        "Canonical:ubuntu-24_04-lts:server:latest",
        "Standard_B1s",
    );
    // The NIC and public IP exist (tagged with the VM's name) before the VM's PUT.
    server
        .wait_for(
            &format!("/allvm?ConnectionName={CN}"),
            Duration::from_secs(10),
            |status, all| {
                status == StatusCode::OK
                    && all["AllList"]["OnlyCSPList"]
                        .as_array()
                        .is_some_and(|only| !only.is_empty())
            },
        )
        .await;
    server.kill().await;
    assert!(
        starting.await.unwrap().is_err(),
        "the client saw the server die"
    );

    let server = Server::start(data_dir.path(), port).await;
    // The takeover finds the VM's name on its parts. ARM has no VM, which a start accepts for a
    // minute (a cloud may list a new VM late); then the start fails and its parts go.
    server
        .wait_for(
            &format!("/vm/vm-01?ConnectionName={CN}"),
            Duration::from_secs(120),
            |status, answer| status == StatusCode::OK && answer["Status"] == "Failed",
        )
        .await;
    assert!(
        server.orphans("vm").await.is_empty(),
        "the start's parts were removed"
    );
    server.delete_all_leaving_nothing("azure").await;
    server.kill().await;
}
