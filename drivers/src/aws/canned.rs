//! What moto does not do, answered by canned EC2 responses: pagination with NextToken,
//! DependencyViolation on deleting a security group in use, and throttling. A tiny HTTP
//! endpoint replays the answers in order and keeps the request bodies, so the real SDK parses,
//! retries and pages exactly as it would against AWS.

use std::sync::{Arc, Mutex};

use secrecy::SecretString;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use super::AwsDriver;
use crate::Provider;
use crate::contract::{
    CallRecorder, CloudCall, Connection, ConnectionInfo, Driver, DriverErrorKind,
};
use crate::model::KeyValue;

/// Replays `(status, body)` answers, one per request, and records each request's body.
struct Canned {
    endpoint: String,
    requests: Arc<Mutex<Vec<String>>>,
}

impl Canned {
    async fn serve(answers: Vec<(u16, String)>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = format!("http://{}", listener.local_addr().unwrap());
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = requests.clone();
        tokio::spawn(async move {
            for (status, body) in answers {
                let (mut socket, _) = listener.accept().await.unwrap();
                let request = read_request(&mut socket).await;
                seen.lock().unwrap().push(request);
                let answer = format!(
                    "HTTP/1.1 {status} Canned\r\nContent-Type: text/xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                socket.write_all(answer.as_bytes()).await.unwrap();
            }
        });
        Self { endpoint, requests }
    }

    async fn connect(&self, recorder: Arc<dyn CallRecorder>) -> Box<dyn Connection> {
        let info = ConnectionInfo {
            connection_name: "aws-canned".to_owned(),
            provider: Provider::Aws,
            region_name: "aws-canned".to_owned(),
            region: vec![
                KeyValue::new("Region", "us-east-1"),
                KeyValue::new("Endpoint", &self.endpoint),
            ],
            credential: vec![
                ("ClientId".to_owned(), SecretString::from("AKIDEXAMPLE")),
                (
                    "ClientSecret".to_owned(),
                    SecretString::from("canned-secret"),
                ),
            ],
            recorder,
        };
        AwsDriver::new().connect(info).await.unwrap()
    }

    fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

/// Reads one HTTP request (headers, then `Content-Length` bytes) and returns its body.
async fn read_request(socket: &mut tokio::net::TcpStream) -> String {
    let mut data = Vec::new();
    let mut buffer = [0_u8; 4096];
    loop {
        let read = socket.read(&mut buffer).await.unwrap();
        data.extend_from_slice(&buffer[..read]);
        let text = String::from_utf8_lossy(&data);
        if let Some(end) = text.find("\r\n\r\n") {
            let length: usize = text[..end]
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse().ok())?
                })
                .unwrap_or(0);
            if data.len() >= end + 4 + length || read == 0 {
                return text[end + 4..].to_string();
            }
        }
    }
}

#[derive(Default)]
struct Calls(Mutex<Vec<CloudCall>>);

impl CallRecorder for Calls {
    fn record(&self, call: CloudCall) {
        self.0.lock().unwrap().push(call);
    }
}

fn instances_page(id: &str, next_token: Option<&str>) -> String {
    let token = next_token.map_or(String::new(), |token| {
        format!("<nextToken>{token}</nextToken>")
    });
    format!(
        r#"<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>r</requestId><reservationSet><item><reservationId>r-{id}</reservationId><instancesSet><item><instanceId>{id}</instanceId><instanceState><code>16</code><name>running</name></instanceState></item></instancesSet></item></reservationSet>{token}</DescribeInstancesResponse>"#
    )
}

fn ec2_error(code: &str, message: &str) -> String {
    format!(
        "<Response><Errors><Error><Code>{code}</Code><Message>{message}</Message></Error></Errors><RequestID>canned</RequestID></Response>"
    )
}

#[tokio::test]
async fn lists_follow_next_token_across_pages() {
    let canned = Canned::serve(vec![
        (200, instances_page("i-first", Some("page-2"))),
        (200, instances_page("i-second", None)),
    ])
    .await;
    let connection = canned.connect(Arc::new(Calls::default())).await;
    let vms = connection.list_vms().await.unwrap();
    let ids: Vec<&str> = vms.iter().map(|vm| vm.iid.system_id.as_str()).collect();
    assert_eq!(ids, ["i-first", "i-second"]);
    let requests = canned.requests();
    assert!(requests[1].contains("NextToken=page-2"), "{requests:?}");
}

#[tokio::test]
async fn deleting_a_group_in_use_is_a_conflict() {
    let canned = Canned::serve(vec![(
        400,
        ec2_error(
            "DependencyViolation",
            "resource sg-123 has a dependent object",
        ),
    )])
    .await;
    let connection = canned.connect(Arc::new(Calls::default())).await;
    let err = connection
        .delete_security_group("sg-123")
        .await
        .unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::Conflict);
    assert_eq!(err.code.as_deref(), Some("DependencyViolation"));
    assert_eq!(
        err.message,
        "DeleteSecurityGroup: resource sg-123 has a dependent object"
    );
}

#[tokio::test]
async fn throttling_is_retried_then_reported_as_one_call() {
    let throttled = ec2_error("RequestLimitExceeded", "Request limit exceeded.");
    let canned = Canned::serve(vec![
        (503, throttled.clone()),
        (503, throttled.clone()),
        (503, throttled),
    ])
    .await;
    let calls = Arc::new(Calls::default());
    let connection = canned.connect(calls.clone()).await;
    let err = connection.list_key_pairs().await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::Cloud, "{err}");
    assert!(err.retryable);
    assert_eq!(err.code.as_deref(), Some("RequestLimitExceeded"));
    assert_eq!(canned.requests().len(), 3, "three attempts");
    let calls = calls.0.lock().unwrap();
    assert_eq!(calls.len(), 1, "one history record for the operation");
    assert_eq!(calls[0].api, "DescribeKeyPairs");
    assert!(calls[0].error.is_some());
}

/// Right after RunInstances, EC2 may not list the instance yet: the poll says NotFound (which
/// the core waits out while a start is young), not a cloud failure.
#[tokio::test]
async fn an_instance_not_listed_yet_reads_as_not_found() {
    let canned = Canned::serve(vec![(
        400,
        ec2_error(
            "InvalidInstanceID.NotFound",
            "The instance ID 'i-0abc' does not exist",
        ),
    )])
    .await;
    let connection = canned.connect(Arc::new(Calls::default())).await;
    let err = connection.vm_status("i-0abc").await.unwrap_err();
    assert_eq!(err.kind, DriverErrorKind::NotFound, "{err}");
    assert!(!err.retryable);
}
