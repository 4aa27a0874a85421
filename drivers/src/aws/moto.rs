//! A moto_server (the EC2 API emulator from PyPI `moto[server]`) for the AWS driver's tests:
//! started on a free 127.0.0.1 port, waited for, reset, and stopped when dropped. `./run test`
//! installs it into a venv and names it in `SPINNERET_MOTO_SERVER`.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use secrecy::SecretString;

use crate::Provider;
use crate::contract::{CallRecorder, ConnectionInfo, NoRecorder};
use crate::model::KeyValue;

/// The region and zone the tests use.
pub const REGION: &str = "us-east-1";
pub const ZONE: &str = "us-east-1a";

pub struct Moto {
    child: Child,
    endpoint: String,
    http: reqwest::Client,
}

impl Moto {
    /// Starts a moto_server with AMI validation on, and waits until it answers.
    pub async fn start() -> Self {
        let program =
            std::env::var("SPINNERET_MOTO_SERVER").unwrap_or_else(|_| "moto_server".to_owned());
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let child = Command::new(&program)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("MOTO_ENABLE_AMI_VALIDATION", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|err| {
                panic!(
                    "the AWS tests need moto_server ({program}: {err}); `./run test` installs it, \
                     or `pip install 'moto[server]==5.2.5'` and set SPINNERET_MOTO_SERVER"
                )
            });
        let moto = Self {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            http: reqwest::Client::new(),
        };
        let started = Instant::now();
        while !moto.try_reset().await {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "moto_server did not answer on {} within 30 s",
                moto.endpoint
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        moto
    }

    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    async fn try_reset(&self) -> bool {
        self.http
            .post(format!("{}/moto-api/reset", self.endpoint))
            .send()
            .await
            .is_ok_and(|answer| answer.status().is_success())
    }

    /// Forgets every resource, as between tests.
    pub async fn reset(&self) {
        assert!(self.try_reset().await, "POST /moto-api/reset failed");
    }

    /// An AWS connection to this moto, its calls going to `recorder`.
    pub fn connection_info(&self, recorder: Arc<dyn CallRecorder>) -> ConnectionInfo {
        ConnectionInfo {
            connection_name: "aws-moto".to_owned(),
            provider: Provider::Aws,
            region_name: "aws-moto".to_owned(),
            region: vec![
                KeyValue::new("Region", REGION),
                KeyValue::new("Zone", ZONE),
                KeyValue::new("Endpoint", &self.endpoint),
            ],
            credential: vec![
                ("ClientId".to_owned(), SecretString::from("testing")),
                ("ClientSecret".to_owned(), SecretString::from("testing")),
            ],
            recorder,
        }
    }

    /// A connection that records nothing.
    pub fn plain_connection_info(&self) -> ConnectionInfo {
        self.connection_info(Arc::new(NoRecorder))
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
