//! What Spinneret adds on top of the cloud: `GET /spider/vpc/{name}` on an AWS connection
//! (REST → core → AWS driver → moto_server) against the same two EC2 calls (DescribeVpcs,
//! DescribeSubnets) made directly with aws-sdk-ec2 to the same moto_server, interleaved in one
//! run. Writes `bench/results/driver.md`.
//!
//! Run: `SPINNERET_MOTO_SERVER=/var/tmp/spinneret-moto-venv/bin/moto_server \
//!   cargo run --release -p spinneret-bench --bin driver-bench` (`./run test` installs moto
//! there).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::Filter;
use serde_json::json;
use spinneret_bench::{BUILD, post};
use spinneret_drivers::aws::moto::{Moto, REGION, ZONE};

const ROUNDS: usize = 300;

fn quantile(sorted: &[Duration], at: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * at) as usize]
}

#[tokio::main]
async fn main() {
    let moto = Moto::start().await;
    let server = spinneret_bench::start(None).await;
    let base = &server.base;
    let client = reqwest::Client::new();
    post(
        &client,
        base,
        "driver",
        json!({"DriverName":"aws-driver","ProviderName":"AWS"}),
    )
    .await;
    post(&client, base, "credential", json!({"CredentialName":"aws-cred","ProviderName":"AWS",
        "KeyValueInfoList":[{"Key":"ClientId","Value":"testing"},{"Key":"ClientSecret","Value":"testing"}]})).await;
    post(
        &client,
        base,
        "region",
        json!({"RegionName":"aws-region","ProviderName":"AWS",
        "KeyValueInfoList":[{"Key":"Region","Value":REGION},{"Key":"Zone","Value":ZONE},
            {"Key":"Endpoint","Value":moto.endpoint()}]}),
    )
    .await;
    post(
        &client,
        base,
        "connectionconfig",
        json!({"ConfigName":"aws-config","ProviderName":"AWS",
        "DriverName":"aws-driver","CredentialName":"aws-cred","RegionName":"aws-region"}),
    )
    .await;
    let vpc = post(
        &client,
        base,
        "vpc",
        json!({"ConnectionName":"aws-config","ReqInfo":{"Name":"vpc-01",
        "IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"sub-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
    )
    .await;
    let vpc_id = vpc["IId"]["SystemId"].as_str().unwrap().to_owned();

    let ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "bench"))
            .endpoint_url(moto.endpoint())
            .build(),
    );
    let direct = || async {
        let started = Instant::now();
        ec2.describe_vpcs().vpc_ids(&vpc_id).send().await.unwrap();
        let filter = Filter::builder().name("vpc-id").values(&vpc_id).build();
        ec2.describe_subnets().filters(filter).send().await.unwrap();
        started.elapsed()
    };
    let url = format!("{base}/spider/vpc/vpc-01?ConnectionName=aws-config");
    let through_spinneret = || async {
        let started = Instant::now();
        spinneret_bench::get(&client, &url).await;
        started.elapsed()
    };
    // Warm both paths (moto's first calls are slow), then interleave so drift hits both alike.
    for _ in 0..20 {
        direct().await;
        through_spinneret().await;
    }
    let (mut direct_times, mut spinneret_times) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        direct_times.push(direct().await);
        spinneret_times.push(through_spinneret().await);
    }
    direct_times.sort_unstable();
    spinneret_times.sort_unstable();

    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let mut table = String::new();
    writeln!(table, "# Driver overhead\n").unwrap();
    writeln!(
        table,
        "Get one VPC with its subnets from moto_server, {ROUNDS} rounds, one client, the two \
         paths interleaved, in one run of a {BUILD}.\n"
    )
    .unwrap();
    writeln!(table, "| path | p50 | p99 |").unwrap();
    writeln!(table, "|---|---|---|").unwrap();
    for (name, times) in [
        (
            "aws-sdk-ec2 directly: DescribeVpcs + DescribeSubnets",
            &direct_times,
        ),
        (
            "`GET /spider/vpc/{name}` through Spinneret (the same two calls)",
            &spinneret_times,
        ),
    ] {
        writeln!(
            table,
            "| {name} | {:.2} ms | {:.2} ms |",
            ms(quantile(times, 0.5)),
            ms(quantile(times, 0.99))
        )
        .unwrap();
    }
    writeln!(
        table,
        "\nThrough Spinneret / direct: {:.2}× at p50, {:.2}× at p99.",
        ms(quantile(&spinneret_times, 0.5)) / ms(quantile(&direct_times, 0.5)),
        ms(quantile(&spinneret_times, 0.99)) / ms(quantile(&direct_times, 0.99)),
    )
    .unwrap();
    spinneret_bench::write_results("driver.md", &table);
}
