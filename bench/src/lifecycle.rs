//! A VM's lifecycle on each cloud, side by side in one run: `POST /spider/vm` until it answers
//! Running, and `DELETE /spider/vm/{name}` until the VM is gone, on the mock, on AWS
//! (moto_server) and on Azure (the in-repo ARM emulator), with the cloud calls each step made,
//! read from the call history by the request's id. Writes `bench/results/lifecycle.md`.
//!
//! Run: `SPINNERET_MOTO_SERVER=/var/tmp/spinneret-moto-venv/bin/moto_server \
//!   cargo run --release -p spinneret-bench --bin lifecycle-bench`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use spinneret_bench::{BUILD, PASSWORD, calls_of, median, post};
use spinneret_drivers::aws::moto::{Moto, REGION, ZONE};

const ROUNDS: usize = 5;
const CN: &str = "life";

/// One cloud: its connection's records (driver, credential, region), and the VM it starts.
struct Cloud {
    name: &'static str,
    provider: &'static str,
    credential: Value,
    region: Value,
    image: String,
    spec: &'static str,
}

async fn register(client: &reqwest::Client, base: &str, cloud: &Cloud) {
    let provider = cloud.provider;
    post(
        client,
        base,
        "driver",
        json!({"DriverName":"life-driver","ProviderName":provider}),
    )
    .await;
    post(
        client,
        base,
        "credential",
        json!({"CredentialName":"life-cred","ProviderName":provider,
        "KeyValueInfoList":cloud.credential}),
    )
    .await;
    post(
        client,
        base,
        "region",
        json!({"RegionName":"life-region","ProviderName":provider,
        "KeyValueInfoList":cloud.region}),
    )
    .await;
    post(
        client,
        base,
        "connectionconfig",
        json!({"ConfigName":CN,"ProviderName":provider,"DriverName":"life-driver",
        "CredentialName":"life-cred","RegionName":"life-region"}),
    )
    .await;
    post(
        client,
        base,
        "vpc",
        json!({"ConnectionName":CN,"ReqInfo":{"Name":"vpc-01",
        "IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"sub-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
    )
    .await;
    post(client, base, "securitygroup", json!({"ConnectionName":CN,"ReqInfo":{"Name":"sg-01",
        "VPCName":"vpc-01","SecurityRules":[{"Direction":"inbound","IPProtocol":"tcp","FromPort":"22","ToPort":"22"}]}})).await;
    post(
        client,
        base,
        "keypair",
        json!({"ConnectionName":CN,"ReqInfo":{"Name":"key-01"}}),
    )
    .await;
}

/// Sends `request` as the admin; its answer must succeed. Returns its request id.
async fn send(request: reqwest::RequestBuilder) -> String {
    let response = request
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap();
    let status = response.status();
    let id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let body = response.text().await.unwrap();
    assert!(status.is_success(), "{status}: {body}");
    id
}

struct Step {
    time: Duration,
    calls: Vec<String>,
}

/// Starts vm-01 and terminates it, `ROUNDS` times.
async fn cycle(client: &reqwest::Client, base: &str, cloud: &Cloud) -> (Vec<Step>, Vec<Step>) {
    let (mut starts, mut terminates) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let id = send(client.post(format!("{base}/spider/vm")).json(&json!({"ConnectionName":CN,
            "ReqInfo":{"Name":"vm-01","ImageName":cloud.image,"VMSpecName":cloud.spec,"VPCName":"vpc-01",
            "SubnetName":"sub-01","SecurityGroupNames":["sg-01"],"KeyPairName":"key-01"}})))
        .await;
        let time = started.elapsed();
        starts.push(Step {
            time,
            calls: calls_of(client, base, CN, &id).await,
        });

        let started = Instant::now();
        let id = send(
            client
                .delete(format!("{base}/spider/vm/vm-01"))
                .json(&json!({"ConnectionName":CN})),
        )
        .await;
        // Gone: its status is no longer known.
        let status_url = format!("{base}/spider/vmstatus/vm-01?ConnectionName={CN}");
        while client
            .get(&status_url)
            .basic_auth("admin", Some(PASSWORD))
            .send()
            .await
            .unwrap()
            .status()
            .is_success()
        {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        let time = started.elapsed();
        terminates.push(Step {
            time,
            calls: calls_of(client, base, CN, &id).await,
        });
    }
    (starts, terminates)
}

fn row(table: &mut String, cloud: &str, step: &str, steps: Vec<Step>) {
    let calls = steps
        .last()
        .map(|step| step.calls.clone())
        .unwrap_or_default();
    let time = median(steps.into_iter().map(|step| step.time).collect());
    writeln!(
        table,
        "| {cloud} | {step} | {:.1} ms | {} | {} |",
        time.as_secs_f64() * 1e3,
        calls.len(),
        calls.join(", ")
    )
    .unwrap();
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    let arm = spinneret_arm_emulator::Emulator::default()
        .spawn()
        .await
        .unwrap();
    let moto = match std::env::var_os("SPINNERET_MOTO_SERVER") {
        Some(_) => Some(Moto::start().await),
        None => {
            eprintln!("SPINNERET_MOTO_SERVER is not set: AWS is left out");
            None
        }
    };
    let mut clouds = vec![Cloud {
        name: "mock",
        provider: "MOCK",
        credential: json!([{"Key":"MockName","Value":"life"}]),
        region: json!([{"Key":"Region","Value":"default"}]),
        image: "mock-vmimage-01".to_owned(),
        spec: "mock-vmspec-01",
    }];
    if let Some(moto) = &moto {
        clouds.push(Cloud {
            name: "AWS (moto_server)",
            provider: "AWS",
            credential: json!([{"Key":"ClientId","Value":"testing"},{"Key":"ClientSecret","Value":"testing"}]),
            region: json!([{"Key":"Region","Value":REGION},{"Key":"Zone","Value":ZONE},
                {"Key":"Endpoint","Value":moto.endpoint()}]),
            image: String::new(),
            spec: "t3.micro",
        });
    }
    clouds.push(Cloud {
        name: "Azure (ARM emulator)",
        provider: "AZURE",
        credential: json!([{"Key":"ClientId","Value":"1b6d2c4e-0000-0000-0000-000000000001"},
            {"Key":"ClientSecret","Value":"bench-secret"},
            {"Key":"TenantId","Value":"72f988bf-0000-0000-0000-000000000001"},
            {"Key":"SubscriptionId","Value":"00000000-0000-0000-0000-00000000cafe"}]),
        region: json!([{"Key":"Region","Value":"koreacentral"},{"Key":"Zone","Value":"1"},
            {"Key":"Endpoint","Value":arm},{"Key":"AuthorityHost","Value":arm}]),
        image: "Canonical:ubuntu-24_04-lts:server:latest".to_owned(),
        spec: "Standard_B1s",
    });

    let mut table = String::new();
    writeln!(table, "# VM lifecycle\n").unwrap();
    writeln!(
        table,
        "`POST /spider/vm` until it answers Running, and `DELETE /spider/vm/{{name}}` until the \
         VM is gone; the median of {ROUNDS} cycles, with the cloud calls of the last, read from \
         the call history by request id. Each cloud on loopback, its VMs running at once (the \
         mock with no transition time); in one run of a {BUILD}.\n"
    )
    .unwrap();
    writeln!(table, "| cloud | step | time | cloud calls | calls |").unwrap();
    writeln!(table, "|---|---|---|---|---|").unwrap();
    for mut cloud in clouds {
        let server = spinneret_bench::start(None).await;
        register(&client, &server.base, &cloud).await;
        if cloud.image.is_empty() {
            cloud.image = spinneret_bench::linux_image(&client, &server.base, CN).await;
        }
        let (starts, terminates) = cycle(&client, &server.base, &cloud).await;
        row(&mut table, cloud.name, "start to Running", starts);
        row(&mut table, cloud.name, "terminate until gone", terminates);
    }
    spinneret_bench::write_results("lifecycle.md", &table);
}
