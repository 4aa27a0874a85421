//! The `spinneret` client as an operator runs it: the built binary against a real server on the
//! mock cloud, every group, each output format, exit statuses, environment fallbacks,
//! `--wait`, `--watch` and completions.

mod common;

use std::process::{Output, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use common::{PASSWORD, TestServer, register_mock_connection, start};

const CN: &str = "mock-config";

/// The binary, pointed at the server through the environment (SPINNERET_SERVER,
/// SPIDER_PASSWORD, SPINNERET_CONNECTION) and blind to the caller's own settings.
fn spinneret(server: &TestServer, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_spinneret"));
    command
        .args(args)
        .env_remove("SPIDER_USERNAME")
        .env_remove("RUST_LOG")
        .env("SPINNERET_SERVER", &server.base)
        .env("SPIDER_PASSWORD", PASSWORD)
        .env("SPINNERET_CONNECTION", CN)
        .kill_on_drop(true);
    command
}

async fn output(mut command: Command) -> Output {
    tokio::time::timeout(Duration::from_secs(60), command.output())
        .await
        .expect("the command finishes")
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

/// Runs a command that must succeed and returns its stdout.
async fn ok(server: &TestServer, args: &[&str]) -> String {
    let out = output(spinneret(server, args)).await;
    assert!(
        out.status.success(),
        "{args:?}: {}\nstderr: {}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// Runs a command whose output is piped, so JSON by default, and parses it.
async fn json(server: &TestServer, args: &[&str]) -> Value {
    let stdout = ok(server, args).await;
    serde_json::from_str(&stdout).unwrap_or_else(|err| panic!("{args:?}: {err}: {stdout}"))
}

async fn table(server: &TestServer, args: &[&str]) -> String {
    ok(server, &[args, &["-o", "table"]].concat()).await
}

async fn yaml(server: &TestServer, args: &[&str]) -> Value {
    let stdout = ok(server, &[args, &["-o", "yaml"]].concat()).await;
    serde_norway::from_str(&stdout).unwrap_or_else(|err| panic!("{args:?}: {err}: {stdout}"))
}

/// Runs a command that must fail and returns its exit code and stderr, checking that stdout
/// stays empty.
async fn fails(command: Command) -> (i32, String) {
    let out = output(command).await;
    assert!(!out.status.success(), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "", "errors go to stderr");
    (out.status.code().unwrap(), text(&out.stderr))
}

/// Asserts that the command fails with exit 1 and the server's own message for that request.
async fn fails_like_rest(command: Command, status: StatusCode, rest_answer: (StatusCode, Value)) {
    assert_eq!(rest_answer.0, status, "{}", rest_answer.1);
    let message = rest_answer.1["message"].as_str().unwrap().to_owned();
    let (code, stderr) = fails(command).await;
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("error: {status}: {message}")),
        "{stderr} lacks {message}"
    );
}

/// Lines of a table, each split into its cells (cells hold no spaces in these tests).
fn rows(table: &str) -> Vec<Vec<&str>> {
    table
        .lines()
        .map(|line| line.split_whitespace().collect())
        .collect()
}

fn has_row(table: &str, cells: &[&str]) -> bool {
    rows(table)
        .iter()
        .any(|row| cells.iter().all(|cell| row.contains(cell)))
}

/// VPC vpc-01 with subnet-01, sg-01 allowing SSH, keypair-01: made with the client.
async fn network(server: &TestServer) {
    #[rustfmt::skip]
    let steps: [&[&str]; 3] = [
        &["vpc", "create", "vpc-01", "--cidr", "192.168.0.0/16", "--subnet", "subnet-01=192.168.1.0/24"],
        &["securitygroup", "create", "sg-01", "--vpc", "vpc-01", "--rule", "tcp/22/0.0.0.0/0/inbound"],
        &["keypair", "create", "keypair-01"],
    ];
    for step in steps {
        ok(server, step).await;
    }
}

const START_VM: &[&str] = &[
    "vm",
    "start",
    "vm-01",
    "--image",
    "mock-vmimage-01",
    "--spec",
    "mock-vmspec-01",
    "--vpc",
    "vpc-01",
    "--subnet",
    "subnet-01",
    "--sg",
    "sg-01",
    "--key",
    "keypair-01",
];

#[tokio::test]
async fn driver_register_list_get_unregister() {
    let server = start().await;
    let driver = json(
        &server,
        &["driver", "register", "mock-driver", "--provider", "mock"],
    )
    .await;
    assert_eq!(driver["DriverName"], "mock-driver");
    assert_eq!(driver["ProviderName"], "MOCK");

    let list = table(&server, &["driver", "list"]).await;
    assert!(has_row(&list, &["NAME", "PROVIDER", "LIBRARY"]), "{list}");
    assert!(has_row(&list, &["mock-driver", "MOCK"]), "{list}");
    let got = yaml(&server, &["driver", "get", "mock-driver"]).await;
    assert_eq!(got, driver);

    let done = table(&server, &["driver", "delete", "mock-driver"]).await;
    assert_eq!(done, "unregistered driver 'mock-driver'\n");
    assert_eq!(
        json(&server, &["driver", "list"]).await,
        json!({"driver": []})
    );
    fails_like_rest(
        spinneret(&server, &["driver", "get", "mock-driver"]),
        StatusCode::NOT_FOUND,
        server.get("/spider/driver/mock-driver").await,
    )
    .await;
}

#[tokio::test]
async fn credential_values_stay_hidden_and_one_in_use_conflicts() {
    let server = start().await;
    let args = [
        "credential",
        "register",
        "mock-cred",
        "--provider",
        "MOCK",
        "--key",
        "MockName=tenant-secret",
    ];
    let out = ok(&server, &args).await;
    assert!(!out.contains("tenant-secret"), "{out}");
    let credential: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        credential["KeyValueInfoList"],
        json!([{"Key": "MockName", "Value": "Hidden for security."}])
    );
    let list = table(&server, &["credential", "list"]).await;
    assert!(has_row(&list, &["mock-cred", "MOCK", "MockName"]), "{list}");

    register_mock_connection(&server, "tenant-secret").await;
    fails_like_rest(
        spinneret(&server, &["credential", "unregister", "mock-cred"]),
        StatusCode::CONFLICT,
        server.delete("/spider/credential/mock-cred").await,
    )
    .await;
}

#[tokio::test]
async fn region_keys_and_provider_filter() {
    let server = start().await;
    let region = json(
        &server,
        &[
            "region",
            "register",
            "mock-region",
            "--provider",
            "MOCK",
            "--key",
            "Region=default",
        ],
    )
    .await;
    assert_eq!(
        region["KeyValueInfoList"],
        json!([{"Key": "Region", "Value": "default"}])
    );
    let list = table(&server, &["region", "list", "--provider", "MOCK"]).await;
    assert!(
        has_row(&list, &["mock-region", "MOCK", "Region=default"]),
        "{list}"
    );
    let none = json(&server, &["region", "list", "--provider", "AWS"]).await;
    assert_eq!(none, json!({"region": []}));
    let shown = table(&server, &["region", "get", "mock-region"]).await;
    assert!(
        has_row(&shown, &["KeyValueInfoList[0].Value", "default"]),
        "{shown}"
    );
    let done = json(&server, &["region", "unregister", "mock-region"]).await;
    assert_eq!(done, json!({"Result": "true"}));
}

#[tokio::test]
async fn connection_register_with_flags_data_files_and_stdin() {
    let server = start().await;
    #[rustfmt::skip]
    let steps: [&[&str]; 3] = [
        &["driver", "register", "mock-driver", "--provider", "MOCK"],
        &["credential", "register", "mock-cred", "--provider", "MOCK", "--key", "MockName=m1"],
        &["region", "register", "mock-region", "--provider", "MOCK", "--key", "Region=default"],
    ];
    for step in steps {
        ok(&server, step).await;
    }
    let config = json(
        &server,
        &[
            "connection",
            "register",
            CN,
            "--provider",
            "MOCK",
            "--driver",
            "mock-driver",
            "--credential",
            "mock-cred",
            "--region",
            "mock-region",
        ],
    )
    .await;
    assert_eq!(config["ConfigName"], CN);
    let list = table(&server, &["connection", "list"]).await;
    assert!(
        has_row(
            &list,
            &[CN, "MOCK", "mock-driver", "mock-cred", "mock-region"]
        ),
        "{list}"
    );

    // -d gives the body and a flag overrides one of its fields.
    let data = json!({"ConfigName": "from-data", "ProviderName": "MOCK", "DriverName": "mock-driver",
        "CredentialName": "mock-cred", "RegionName": "no-such-region"});
    let merged = json(
        &server,
        &[
            "connection",
            "register",
            "-d",
            &data.to_string(),
            "--region",
            "mock-region",
        ],
    )
    .await;
    assert_eq!(
        (&merged["ConfigName"], &merged["RegionName"]),
        (&json!("from-data"), &json!("mock-region"))
    );

    let file = server.data_dir.path().join("connection.json");
    let from_file = json!({"ProviderName": "MOCK", "DriverName": "mock-driver",
        "CredentialName": "mock-cred", "RegionName": "mock-region"});
    std::fs::write(&file, from_file.to_string()).unwrap();
    let at_file = format!("@{}", file.display());
    let registered = json(
        &server,
        &["connection", "register", "from-file", "-d", &at_file],
    )
    .await;
    assert_eq!(registered["ConfigName"], "from-file");

    let mut command = spinneret(
        &server,
        &["connection", "register", "from-stdin", "-d", "-"],
    );
    command.stdin(Stdio::piped()).stdout(Stdio::piped());
    let mut child = command.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin
        .write_all(from_file.to_string().as_bytes())
        .await
        .unwrap();
    drop(stdin);
    let out = child.wait_with_output().await.unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let registered: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(registered["ConfigName"], "from-stdin");

    let got = yaml(&server, &["connection", "get", "from-stdin"]).await;
    assert_eq!(got["RegionName"], "mock-region");
    let listed = json(&server, &["connection", "list"]).await;
    assert_eq!(listed["connectionconfig"].as_array().unwrap().len(), 4);
}

#[tokio::test]
async fn image_list_and_get() {
    let server = start().await;
    register_mock_connection(&server, "tenant-images").await;
    let images = json(&server, &["image", "list"]).await;
    let names: Vec<&str> = images["image"]
        .as_array()
        .unwrap()
        .iter()
        .map(|image| image["IId"]["NameId"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"mock-vmimage-01"), "{images}");
    let image = table(&server, &["image", "get", "mock-vmimage-01"]).await;
    assert!(has_row(&image, &["OSPlatform", "Linux/UNIX"]), "{image}");
    let list = table(&server, &["image", "list"]).await;
    assert!(
        has_row(&list, &["mock-vmimage-01", "x86_64", "Linux/UNIX"]),
        "{list}"
    );
}

#[tokio::test]
async fn vmspec_list_and_get() {
    let server = start().await;
    register_mock_connection(&server, "tenant-specs").await;
    let list = table(&server, &["vmspec", "list"]).await;
    assert!(
        has_row(&list, &["NAME", "VCPUS", "MEMORY", "MIB"]),
        "{list}"
    );
    assert!(has_row(&list, &["mock-vmspec-01", "4"]), "{list}");
    let spec = yaml(&server, &["vmspec", "get", "mock-vmspec-01"]).await;
    assert_eq!(spec["Name"], "mock-vmspec-01");
    assert_eq!(spec["VCpu"]["Count"], "4");
}

#[tokio::test]
async fn vpc_create_list_get_delete_and_merge_data() {
    let server = start().await;
    register_mock_connection(&server, "tenant-vpc").await;
    let vpc = json(
        &server,
        &[
            "vpc",
            "create",
            "vpc-01",
            "--cidr",
            "192.168.0.0/16",
            "--subnet",
            "subnet-01=192.168.1.0/24",
            "--subnet",
            "subnet-02=192.168.2.0/24",
        ],
    )
    .await;
    assert_eq!(vpc["IId"]["NameId"], "vpc-01");
    assert_eq!(vpc["SubnetInfoList"][1]["IPv4_CIDR"], "192.168.2.0/24");

    let list = table(&server, &["vpc", "list"]).await;
    assert!(has_row(&list, &["NAME", "CIDR", "SUBNETS"]), "{list}");
    assert!(
        has_row(
            &list,
            &["vpc-01", "192.168.0.0/16", "subnet-01,", "subnet-02"]
        ),
        "{list}"
    );
    let got = yaml(&server, &["vpc", "get", "vpc-01"]).await;
    assert_eq!(got["IPv4_CIDR"], "192.168.0.0/16");

    // The name and --cidr override -d; the subnet list comes from -d.
    let data = json!({"ReqInfo": {"Name": "ignored", "IPv4_CIDR": "10.0.0.0/8",
        "SubnetInfoList": [{"Name": "from-data", "IPv4_CIDR": "10.9.1.0/24"}]}});
    let merged = json(
        &server,
        &[
            "vpc",
            "create",
            "vpc-02",
            "-d",
            &data.to_string(),
            "--cidr",
            "10.9.0.0/16",
        ],
    )
    .await;
    assert_eq!(merged["IId"]["NameId"], "vpc-02");
    assert_eq!(merged["IPv4_CIDR"], "10.9.0.0/16");
    assert_eq!(merged["SubnetInfoList"][0]["IId"]["NameId"], "from-data");

    let again =
        json!({"ConnectionName": CN, "ReqInfo": {"Name": "vpc-01", "IPv4_CIDR": "192.168.0.0/16"}});
    fails_like_rest(
        spinneret(
            &server,
            &["vpc", "create", "vpc-01", "--cidr", "192.168.0.0/16"],
        ),
        StatusCode::CONFLICT,
        server.post("/spider/vpc", again).await,
    )
    .await;

    let done = table(&server, &["vpc", "delete", "vpc-02"]).await;
    assert_eq!(done, "deleted vpc 'vpc-02'\n");
    fails_like_rest(
        spinneret(&server, &["vpc", "get", "vpc-02"]),
        StatusCode::NOT_FOUND,
        server
            .get("/spider/vpc/vpc-02?ConnectionName=mock-config")
            .await,
    )
    .await;
    let deleted = json(&server, &["vpc", "delete", "vpc-01", "--force"]).await;
    assert_eq!(deleted, json!({"Result": "true"}));
}

#[tokio::test]
async fn subnet_add_list_get_delete() {
    let server = start().await;
    register_mock_connection(&server, "tenant-subnet").await;
    network(&server).await;
    let vpc = json(
        &server,
        &[
            "subnet",
            "add",
            "subnet-03",
            "--vpc",
            "vpc-01",
            "--cidr",
            "192.168.3.0/24",
        ],
    )
    .await;
    assert_eq!(vpc["SubnetInfoList"].as_array().unwrap().len(), 2);
    let list = table(&server, &["subnet", "list", "--vpc", "vpc-01"]).await;
    assert!(has_row(&list, &["NAME", "CIDR", "ZONE"]), "{list}");
    assert!(has_row(&list, &["subnet-03", "192.168.3.0/24"]), "{list}");
    let subnet = json(&server, &["subnet", "get", "subnet-03", "--vpc", "vpc-01"]).await;
    assert_eq!(subnet["IPv4_CIDR"], "192.168.3.0/24");
    let done = table(
        &server,
        &["subnet", "delete", "subnet-03", "--vpc", "vpc-01"],
    )
    .await;
    assert_eq!(done, "deleted subnet 'subnet-03' of vpc 'vpc-01'\n");
    let listed = json(&server, &["subnet", "list", "--vpc", "vpc-01"]).await;
    assert_eq!(listed["subnet"].as_array().unwrap().len(), 1, "{listed}");
}

#[tokio::test]
async fn securitygroup_create_list_get_delete() {
    let server = start().await;
    register_mock_connection(&server, "tenant-sg").await;
    ok(
        &server,
        &[
            "vpc",
            "create",
            "vpc-01",
            "--cidr",
            "10.0.0.0/16",
            "--subnet",
            "s=10.0.1.0/24",
        ],
    )
    .await;
    let sg = json(
        &server,
        &[
            "securitygroup",
            "create",
            "sg-01",
            "--vpc",
            "vpc-01",
            "--rule",
            "tcp/22/0.0.0.0/0/inbound",
            "--rule",
            "udp/53",
        ],
    )
    .await;
    assert_eq!(sg["VpcIID"]["NameId"], "vpc-01");
    assert_eq!(
        sg["SecurityRules"][1],
        json!({"Direction": "inbound", "IPProtocol": "UDP", "FromPort": "53", "ToPort": "53", "CIDR": "0.0.0.0/0"})
    );
    let list = table(&server, &["sg", "list"]).await;
    assert!(
        has_row(
            &list,
            &[
                "sg-01",
                "vpc-01",
                "tcp/22/0.0.0.0/0/inbound,",
                "udp/53/0.0.0.0/0/inbound"
            ]
        ),
        "{list}"
    );
    let got = yaml(&server, &["securitygroup", "get", "sg-01"]).await;
    assert_eq!(got["SecurityRules"], sg["SecurityRules"]);
    let done = json(&server, &["securitygroup", "delete", "sg-01"]).await;
    assert_eq!(done, json!({"Result": "true"}));
}

#[tokio::test]
async fn rule_add_list_remove() {
    let server = start().await;
    register_mock_connection(&server, "tenant-rule").await;
    network(&server).await;
    let sg = json(
        &server,
        &["rule", "add", "sg-01", "--rule", "all/-1/outbound"],
    )
    .await;
    assert_eq!(
        sg["SecurityRules"][1],
        json!({"Direction": "outbound", "IPProtocol": "ALL", "FromPort": "-1", "ToPort": "-1", "CIDR": "0.0.0.0/0"})
    );
    let list = table(&server, &["rule", "list", "sg-01"]).await;
    assert!(
        has_row(&list, &["DIRECTION", "PROTOCOL", "FROM", "TO", "CIDR"]),
        "{list}"
    );
    assert!(
        has_row(&list, &["outbound", "ALL", "-1", "0.0.0.0/0"]),
        "{list}"
    );

    let duplicate = json!({"ConnectionName": CN, "ReqInfo": {"RuleInfoList": [
        {"Direction": "outbound", "IPProtocol": "ALL", "FromPort": "-1", "ToPort": "-1", "CIDR": "0.0.0.0/0"}]}});
    fails_like_rest(
        spinneret(
            &server,
            &[
                "rule",
                "add",
                "sg-01",
                "--rule",
                "all/-1/0.0.0.0/0/outbound",
            ],
        ),
        StatusCode::CONFLICT,
        server
            .post("/spider/securitygroup/sg-01/rules", duplicate)
            .await,
    )
    .await;

    let done = table(
        &server,
        &["rule", "remove", "sg-01", "--rule", "all/-1/outbound"],
    )
    .await;
    assert_eq!(done, "removed the rules from security group 'sg-01'\n");
    let rules = json(&server, &["rule", "list", "sg-01"]).await;
    assert_eq!(
        rules,
        json!({"rule": [{"Direction": "inbound", "IPProtocol": "TCP", "FromPort": "22", "ToPort": "22", "CIDR": "0.0.0.0/0"}]})
    );
}

#[tokio::test]
async fn keypair_create_list_get_delete() {
    let server = start().await;
    register_mock_connection(&server, "tenant-key").await;
    let key = json(&server, &["keypair", "create", "keypair-01"]).await;
    assert!(
        key["PrivateKey"]
            .as_str()
            .unwrap()
            .starts_with("-----BEGIN OPENSSH PRIVATE KEY-----")
    );
    let list = table(&server, &["keypair", "list"]).await;
    assert!(has_row(&list, &["NAME", "FINGERPRINT", "USER"]), "{list}");
    assert!(has_row(&list, &["keypair-01"]), "{list}");
    let got = json(&server, &["keypair", "get", "keypair-01"]).await;
    assert_eq!(got["PrivateKey"], "Hidden for security.");
    let done = json(&server, &["keypair", "delete", "keypair-01"]).await;
    assert_eq!(done, json!({"Result": "true"}));
}

#[tokio::test]
async fn vm_lifecycle_with_wait() {
    let server = start().await;
    register_mock_connection(&server, "tenant-vm").await;
    network(&server).await;

    let out = output(spinneret(&server, &[START_VM, &["--wait"]].concat())).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let vm: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (&vm["IId"]["NameId"], &vm["Status"]),
        (&json!("vm-01"), &json!("Running"))
    );
    let progress = text(&out.stderr);
    assert_eq!(
        progress.lines().last(),
        Some("vm-01: Running"),
        "{progress}"
    );

    let list = table(&server, &["vm", "list"]).await;
    assert!(
        has_row(&list, &["NAME", "STATUS", "IMAGE", "SPEC"]),
        "{list}"
    );
    assert!(
        has_row(
            &list,
            &[
                "vm-01",
                "Running",
                "mock-vmimage-01",
                "mock-vmspec-01",
                "vpc-01"
            ]
        ),
        "{list}"
    );
    let got = yaml(&server, &["vm", "get", "vm-01"]).await;
    assert_eq!(got["SecurityGroupIIds"][0]["NameId"], "sg-01");
    let statuses = json(&server, &["vm", "status"]).await;
    assert_eq!(statuses["vmstatus"][0]["VmStatus"], "Running");
    assert_eq!(
        json(&server, &["vm", "status", "vm-01"]).await,
        json!({"Status": "Running"})
    );

    for (verb, settled) in [
        ("suspend", "Suspended"),
        ("resume", "Running"),
        ("reboot", "Running"),
    ] {
        let out = output(spinneret(&server, &["vm", verb, "vm-01", "--wait"])).await;
        assert!(out.status.success(), "{verb}: {}", text(&out.stderr));
        let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(answer, json!({"Status": settled}), "{verb}");
        let progress = text(&out.stderr);
        assert_eq!(
            progress.lines().last(),
            Some(format!("vm-01: {settled}").as_str()),
            "{verb}: {progress}"
        );
    }

    ok(&server, &["vm", "suspend", "vm-01", "--wait"]).await;
    fails_like_rest(
        spinneret(&server, &["vm", "reboot", "vm-01"]),
        StatusCode::CONFLICT,
        server
            .get("/spider/controlvm/vm-01?ConnectionName=mock-config&action=reboot")
            .await,
    )
    .await;

    let out = output(spinneret(&server, &["vm", "terminate", "vm-01", "--wait"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(answer, json!({"Status": "Terminated"}));
    assert_eq!(json(&server, &["vm", "list"]).await, json!({"vm": []}));
    // Terminated means gone: what the VM used can be deleted at once.
    ok(&server, &["securitygroup", "delete", "sg-01"]).await;
}

#[tokio::test]
async fn vm_list_watch_refreshes_until_interrupted() {
    let server = start().await;
    register_mock_connection(&server, "tenant-watch").await;
    network(&server).await;
    ok(&server, START_VM).await;

    let mut command = spinneret(
        &server,
        &["vm", "list", "--watch", "--interval", "0.3", "-o", "table"],
    );
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let child = command.spawn().unwrap();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let pid = child.id().unwrap().to_string();
    let interrupted = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(interrupted.success());
    let out = tokio::time::timeout(Duration::from_secs(10), child.wait_with_output())
        .await
        .expect("Ctrl-C stops the watch")
        .unwrap();
    assert!(
        out.status.success(),
        "Ctrl-C ends a watch normally: {}",
        out.status
    );
    let stdout = text(&out.stdout);
    let refreshes = rows(&stdout)
        .iter()
        .filter(|row| row.first() == Some(&"NAME"))
        .count();
    assert!(refreshes >= 2, "{refreshes} refreshes: {stdout}");
    assert!(has_row(&stdout, &["vm-01", "Running"]), "{stdout}");
}

#[tokio::test]
async fn calllog_list_stats_and_filters() {
    let server = start().await;
    register_mock_connection(&server, "tenant-calls").await;
    network(&server).await;

    let calls = json(&server, &["calllog", "list", "-c", CN]).await;
    let calls = calls["calllog"].as_array().unwrap();
    assert!(!calls.is_empty());
    assert!(calls.iter().all(|call| call["ConnectionName"] == CN));
    let vpc_calls = json(
        &server,
        &["calllog", "list", "--api", "CreateVPC", "--limit", "5"],
    )
    .await;
    assert_eq!(
        vpc_calls["calllog"].as_array().unwrap().len(),
        1,
        "{vpc_calls}"
    );
    let list = table(&server, &["calllog", "list", "--api", "CreateVPC"]).await;
    assert!(
        has_row(&list, &["TIME", "CONNECTION", "RESOURCE", "API"]),
        "{list}"
    );
    assert!(has_row(&list, &[CN, "CreateVPC"]), "{list}");

    let stats = table(&server, &["calllog", "stats"]).await;
    assert!(
        has_row(&stats, &["CLOUD", "API", "CALLS", "ERRORS"]),
        "{stats}"
    );
    assert!(has_row(&stats, &["MOCK", "CreateVPC", "1", "0"]), "{stats}");
    let none = json(&server, &["calllog", "list", "--errors-only"]).await;
    assert_eq!(none, json!({"calllog": []}));
}

#[tokio::test]
async fn health_needs_no_password() {
    let server = start().await;
    let mut command = spinneret(&server, &["health"]);
    command.env_remove("SPIDER_PASSWORD");
    let out = output(command).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let health: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(health["message"], "API server is running");
    assert_eq!(health["Version"], env!("CARGO_PKG_VERSION"));
    let shown = table(&server, &["health"]).await;
    assert!(
        has_row(&shown, &["Version", env!("CARGO_PKG_VERSION")]),
        "{shown}"
    );
}

#[tokio::test]
async fn server_credentials_and_connection_come_from_flags_or_environment() {
    let server = start().await;
    register_mock_connection(&server, "tenant-env").await;

    // -s, -u and -p on the command line, with nothing in the environment.
    let mut command = spinneret(
        &server,
        &[
            "driver",
            "list",
            "-s",
            &server.base,
            "-u",
            "admin",
            "-p",
            PASSWORD,
        ],
    );
    command
        .env_remove("SPINNERET_SERVER")
        .env_remove("SPIDER_PASSWORD");
    let out = output(command).await;
    assert!(out.status.success(), "{}", text(&out.stderr));

    // SPIDER_USERNAME is read too: a wrong one is refused, with a hint and no password shown.
    let mut command = spinneret(&server, &["driver", "list"]);
    command.env("SPIDER_USERNAME", "nobody");
    let (code, stderr) = fails(command).await;
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: 401 Unauthorized: Unauthorized (set SPIDER_PASSWORD"),
        "{stderr}"
    );
    assert!(!stderr.contains(PASSWORD), "{stderr}");
    let mut command = spinneret(&server, &["driver", "list"]);
    command.env_remove("SPIDER_PASSWORD");
    let (code, stderr) = fails(command).await;
    assert_eq!(
        (code, stderr.contains("SPIDER_PASSWORD")),
        (1, true),
        "{stderr}"
    );

    // -c wins over SPINNERET_CONNECTION; without either, the error names the flag.
    let mut command = spinneret(&server, &["vpc", "list", "-c", CN]);
    command.env("SPINNERET_CONNECTION", "no-such-config");
    assert!(output(command).await.status.success());
    let mut command = spinneret(&server, &["vpc", "list"]);
    command.env("SPINNERET_CONNECTION", "no-such-config");
    fails_like_rest(
        command,
        StatusCode::NOT_FOUND,
        server
            .get("/spider/vpc?ConnectionName=no-such-config")
            .await,
    )
    .await;
    let mut command = spinneret(&server, &["keypair", "create", "k"]);
    command.env_remove("SPINNERET_CONNECTION");
    let (code, stderr) = fails(command).await;
    assert_eq!(code, 2);
    assert!(
        stderr.contains("-c/--connection") && stderr.contains("SPINNERET_CONNECTION"),
        "{stderr}"
    );

    // --help names the environment variables but never shows their values.
    let help = ok(&server, &["vm", "list", "--help"]).await;
    assert!(
        help.contains("SPIDER_PASSWORD") && help.contains("SPINNERET_SERVER"),
        "{help}"
    );
    assert!(!help.contains(PASSWORD), "{help}");
}

#[tokio::test]
async fn query_values_and_path_names_are_url_encoded() {
    let server = start().await;
    register_mock_connection(&server, "tenant-encoding").await;
    const ODD: &str = "odd & config=1?#";
    ok(
        &server,
        &[
            "connection",
            "register",
            ODD,
            "--provider",
            "MOCK",
            "--driver",
            "mock-driver",
            "--credential",
            "mock-cred",
            "--region",
            "mock-region",
        ],
    )
    .await;
    let vpc = json(
        &server,
        &[
            "vpc",
            "create",
            "net one & two",
            "-c",
            ODD,
            "--cidr",
            "10.0.0.0/16",
        ],
    )
    .await;
    assert_eq!(vpc["IId"]["NameId"], "net one & two");
    let listed = json(&server, &["vpc", "list", "-c", ODD]).await;
    assert_eq!(listed["vpc"][0]["IId"]["NameId"], "net one & two");
    assert_eq!(json(&server, &["vpc", "list"]).await, json!({"vpc": []}));
    let got = json(&server, &["vpc", "get", "net one & two", "-c", ODD]).await;
    assert_eq!(got["IPv4_CIDR"], "10.0.0.0/16");
    let calls = json(&server, &["calllog", "list", "-c", ODD]).await;
    let calls = calls["calllog"].as_array().unwrap();
    assert!(!calls.is_empty());
    assert!(calls.iter().all(|call| call["ConnectionName"] == ODD));
    let none = json(
        &server,
        &["calllog", "list", "--resource-name", "a b&ConnectionName=x"],
    )
    .await;
    assert_eq!(none, json!({"calllog": []}));
}

#[tokio::test]
async fn usage_errors_exit_2_and_an_unreachable_server_exits_3() {
    let server = start().await;
    for args in [
        &[
            "sg",
            "create",
            "sg-1",
            "--rule",
            "tcp/22/0.0.0.0/0/sideways",
        ][..],
        &["vpc", "list", "-s", "localhost:1024"],
        &["vpc", "frobnicate"],
        &["vm", "start"],
    ] {
        let (code, stderr) = fails(spinneret(&server, args)).await;
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{stderr}");
    }

    let port = common::free_port();
    let nowhere = format!("http://127.0.0.1:{port}");
    let mut command = spinneret(&server, &["vpc", "list"]);
    command.env("SPINNERET_SERVER", &nowhere);
    let (code, stderr) = fails(command).await;
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.starts_with(&format!("error: cannot reach {nowhere}: ")),
        "{stderr}"
    );
}

#[tokio::test]
async fn completions_cover_the_whole_command() {
    let server = start().await;
    let bash = ok(&server, &["completions", "bash"]).await;
    assert!(
        bash.contains("spinneret") && bash.contains("securitygroup"),
        "{bash}"
    );
    assert!(bash.contains("serve") && bash.contains("--wait"));
    let zsh = ok(&server, &["completions", "zsh"]).await;
    assert!(zsh.contains("#compdef spinneret"), "{zsh}");
}
