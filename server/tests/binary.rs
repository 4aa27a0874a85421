//! The `spinneret` binary as an operator runs it: first-start password and SIGTERM.

mod common;

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

/// Starts the binary without SPIDER_PASSWORD and reads its banner up to the sign-in lines.
async fn start(
    data_dir: &std::path::Path,
    port: u16,
) -> (Child, Vec<String>, Lines<BufReader<ChildStdout>>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_spinneret"))
        .arg("serve")
        .env("SPINNERET_ADDR", format!("127.0.0.1:{port}"))
        .env("SPINNERET_DATA_DIR", data_dir)
        .env_remove("SPIDER_PASSWORD")
        .env_remove("SPINNERET_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut banner = Vec::new();
    tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let done = line.trim().is_empty() && banner.len() > 3;
            banner.push(line);
            if done {
                break;
            }
        }
    })
    .await
    .expect("the banner is printed");
    (child, banner, lines)
}

/// The status of an authenticated REST call with this password.
async fn list_drivers_status(port: u16, password: &str) -> reqwest::StatusCode {
    reqwest::Client::new()
        .get(format!("http://127.0.0.1:{port}/spider/driver"))
        .basic_auth("admin", Some(password))
        .send()
        .await
        .unwrap()
        .status()
}

async fn sigterm_and_wait(mut child: Child) {
    let pid = child.id().unwrap().to_string();
    let status = std::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .expect("SIGTERM stops the server promptly")
        .unwrap();
    assert!(exit.success(), "graceful shutdown exits 0, got {exit}");
}

#[tokio::test]
async fn first_start_prints_a_generated_password_once_and_sigterm_stops_it() {
    let data_dir = tempfile::tempdir().unwrap();
    let port = common::free_port();
    let (child, banner, _) = start(data_dir.path(), port).await;
    let announce = banner
        .iter()
        .position(|line| line.contains("generated password"))
        .expect("password announced");
    let password = banner[announce + 1].trim().to_owned();
    assert!(password.len() >= 20, "{banner:?}");

    assert_eq!(
        list_drivers_status(port, &password).await,
        200,
        "the printed password works"
    );
    sigterm_and_wait(child).await;

    let key = data_dir.path().join("master.key");
    let mode =
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&key).unwrap().permissions());
    assert_eq!(mode & 0o777, 0o600);

    let (child, banner, _) = start(data_dir.path(), port).await;
    assert!(
        banner.iter().all(|line| !line.contains(&password)),
        "the password is printed only at first start: {banner:?}"
    );
    assert_eq!(
        list_drivers_status(port, &password).await,
        200,
        "the stored password still works"
    );
    sigterm_and_wait(child).await;
}

/// Signs in through the AdminWeb form and returns the session cookie (`name=value`).
async fn sign_in(client: &reqwest::Client, base: &str, password: &str) -> String {
    let response = client
        .post(format!("{base}/auth/login"))
        .form(&[("username", "admin"), ("password", password)])
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

#[tokio::test]
async fn clients_that_hang_up_mid_page_never_panic_the_server() {
    const PASSWORD: &str = "hang-up-test-password";
    let data_dir = tempfile::tempdir().unwrap();
    let log_path = data_dir.path().join("server.log");
    let log = std::fs::File::create(&log_path).unwrap();
    let port = common::free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut child = Command::new(env!("CARGO_BIN_EXE_spinneret"))
        .arg("serve")
        .env("SPINNERET_ADDR", format!("127.0.0.1:{port}"))
        .env("SPINNERET_DATA_DIR", data_dir.path().join("data"))
        .env("SPIDER_PASSWORD", PASSWORD)
        .env_remove("SPINNERET_MASTER_KEY")
        .env_remove("DATABASE_URL")
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    tokio::time::timeout(Duration::from_secs(30), async {
        while client.get(format!("{base}/readyz")).send().await.is_err() {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await
    .expect("the server comes up");

    // A slow cloud keeps each page's rendering in flight long enough to be cut off anywhere.
    let rest = |path: &str, body: serde_json::Value| {
        client
            .post(format!("{base}/spider{path}"))
            .basic_auth("admin", Some(PASSWORD))
            .json(&body)
            .send()
    };
    for (path, body) in [
        (
            "/driver",
            serde_json::json!({"DriverName":"d","ProviderName":"MOCK"}),
        ),
        (
            "/credential",
            serde_json::json!({"CredentialName":"c","ProviderName":"MOCK","KeyValueInfoList":[{"Key":"MockName","Value":"hang-up"},{"Key":"DelayAPI","Value":"*=150"}]}),
        ),
        (
            "/region",
            serde_json::json!({"RegionName":"r","ProviderName":"MOCK","KeyValueInfoList":[{"Key":"Region","Value":"default"}]}),
        ),
        (
            "/connectionconfig",
            serde_json::json!({"ConfigName":"slow","ProviderName":"MOCK","DriverName":"d","CredentialName":"c","RegionName":"r"}),
        ),
        (
            "/vpc",
            serde_json::json!({"ConnectionName":"slow","ReqInfo":{"Name":"vpc-01","IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"s-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
        ),
    ] {
        let answer = rest(path, body).await.unwrap();
        assert!(answer.status().is_success(), "{path}: {}", answer.status());
    }
    let session = sign_in(&client, &base, PASSWORD).await;

    let pages = [
        "/admin",
        "/admin/vms?connection=slow",
        "/admin/vpcs?connection=slow",
        "/admin/key-pairs",
        "/admin/security-groups?connection=slow",
        "/admin/images?connection=slow",
    ];
    // Every page of a round at once, so hang-ups land while other pages' parts resolve on
    // the other worker threads.
    for round in 0..30u64 {
        let mut round_trips = tokio::task::JoinSet::new();
        for (index, page) in pages.iter().enumerate() {
            // Hang up after 0–900 ms: before the first byte, mid-stream, or not at all.
            let patience = Duration::from_millis((round * 97 + index as u64 * 151) % 900);
            let request = client
                .get(format!("{base}{page}"))
                .header("cookie", &session)
                .send();
            round_trips.spawn(tokio::time::timeout(patience, async {
                if let Ok(response) = request.await {
                    let _ = response.bytes().await;
                }
            }));
        }
        round_trips.join_all().await;
    }

    let page = client
        .get(format!("{base}/admin/vms?connection=slow"))
        .header("cookie", &session)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), reqwest::StatusCode::OK);
    assert!(child.try_wait().unwrap().is_none(), "the server still runs");
    sigterm_and_wait(child).await;
    let log = std::fs::read_to_string(&log_path).unwrap();
    assert!(!log.contains("panicked"), "the server panicked:\n{log}");
}
