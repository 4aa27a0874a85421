//! The `spinneret` binary as an operator runs it: first-start password and SIGTERM.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader, Lines};
use tokio::process::{Child, ChildStdout, Command};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

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
    let port = free_port();
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
