//! What Spinneret adds on top of the cloud, on an AWS connection (REST → core → AWS driver →
//! moto_server) against the same EC2 calls made directly with aws-sdk-ec2 to the same
//! moto_server, each pair interleaved in one run:
//!
//! - get a VPC: `GET /spider/vpc/{name}` against DescribeVpcs + DescribeSubnets;
//! - list VMs: `GET /spider/vm` against DescribeInstances;
//! - start a VM: `POST /spider/vm` (answering Running) against RunInstances +
//!   DescribeInstances; Spinneret's own extra calls are in `lifecycle.md`.
//!
//! Writes `bench/results/driver.md`.
//!
//! Run: `SPINNERET_MOTO_SERVER=/var/tmp/spinneret-moto-venv/bin/moto_server \
//!   cargo run --release -p spinneret-bench --bin driver-bench` (`./run test` installs moto
//! there).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use aws_sdk_ec2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ec2::types::{Filter, InstanceType};
use serde_json::{Value, json};
use spinneret_bench::{BUILD, get_json, post, quantile};
use spinneret_drivers::aws::moto::{Moto, REGION, ZONE};

const CN: &str = "aws-config";

/// p50 and p99 of each path, over `rounds` interleaved pairs after a warm-up.
async fn compare(
    rounds: usize,
    direct: impl AsyncFn(usize),
    through_spinneret: impl AsyncFn(usize),
) -> [Vec<Duration>; 2] {
    // Warm both paths (moto's first calls are slow), then interleave so drift hits both alike.
    let warm_up = (rounds / 10).max(3);
    for round in 0..warm_up {
        direct(round).await;
        through_spinneret(round).await;
    }
    let (mut direct_times, mut spinneret_times) = (Vec::new(), Vec::new());
    for round in warm_up..warm_up + rounds {
        let started = Instant::now();
        direct(round).await;
        direct_times.push(started.elapsed());
        let started = Instant::now();
        through_spinneret(round).await;
        spinneret_times.push(started.elapsed());
    }
    direct_times.sort_unstable();
    spinneret_times.sort_unstable();
    [direct_times, spinneret_times]
}

fn rows(
    table: &mut String,
    operation: &str,
    direct: &str,
    through: &str,
    times: [Vec<Duration>; 2],
) {
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let [direct_times, spinneret_times] = times;
    let (p50, p99) = (
        ms(quantile(&spinneret_times, 0.5)) / ms(quantile(&direct_times, 0.5)),
        ms(quantile(&spinneret_times, 0.99)) / ms(quantile(&direct_times, 0.99)),
    );
    writeln!(
        table,
        "| {operation} | {direct} | {:.2} ms | {:.2} ms | {through} | {:.2} ms | {:.2} ms | {p50:.2}× | {p99:.2}× |",
        ms(quantile(&direct_times, 0.5)),
        ms(quantile(&direct_times, 0.99)),
        ms(quantile(&spinneret_times, 0.5)),
        ms(quantile(&spinneret_times, 0.99)),
    )
    .unwrap();
}

#[tokio::main]
async fn main() {
    let moto = Moto::start().await;
    let server = spinneret_bench::start(None).await;
    let base = &server.base;
    let client = reqwest::Client::new();
    for (path, body) in [
        (
            "driver",
            json!({"DriverName":"aws-driver","ProviderName":"AWS"}),
        ),
        (
            "credential",
            json!({"CredentialName":"aws-cred","ProviderName":"AWS",
            "KeyValueInfoList":[{"Key":"ClientId","Value":"testing"},{"Key":"ClientSecret","Value":"testing"}]}),
        ),
        (
            "region",
            json!({"RegionName":"aws-region","ProviderName":"AWS",
            "KeyValueInfoList":[{"Key":"Region","Value":REGION},{"Key":"Zone","Value":ZONE},
                {"Key":"Endpoint","Value":moto.endpoint()}]}),
        ),
        (
            "connectionconfig",
            json!({"ConfigName":CN,"ProviderName":"AWS",
            "DriverName":"aws-driver","CredentialName":"aws-cred","RegionName":"aws-region"}),
        ),
        (
            "vpc",
            json!({"ConnectionName":CN,"ReqInfo":{"Name":"vpc-01",
            "IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"sub-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
        ),
        (
            "securitygroup",
            json!({"ConnectionName":CN,"ReqInfo":{"Name":"sg-01","VPCName":"vpc-01","SecurityRules":[]}}),
        ),
        (
            "keypair",
            json!({"ConnectionName":CN,"ReqInfo":{"Name":"key-01"}}),
        ),
    ] {
        post(&client, base, path, body).await;
    }
    let vpc = get_json(
        &client,
        &format!("{base}/spider/vpc/vpc-01?ConnectionName={CN}"),
    )
    .await;
    let sg = get_json(
        &client,
        &format!("{base}/spider/securitygroup/sg-01?ConnectionName={CN}"),
    )
    .await;
    let key = get_json(
        &client,
        &format!("{base}/spider/keypair/key-01?ConnectionName={CN}"),
    )
    .await;
    let id = |value: &Value| value["IId"]["SystemId"].as_str().unwrap().to_owned();
    let (vpc_id, subnet_id, sg_id, key_name) =
        (id(&vpc), id(&vpc["SubnetInfoList"][0]), id(&sg), id(&key));
    let image = spinneret_bench::linux_image(&client, base, CN).await;

    let ec2 = aws_sdk_ec2::Client::from_conf(
        aws_sdk_ec2::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new(REGION))
            .credentials_provider(Credentials::new("testing", "testing", None, None, "bench"))
            .endpoint_url(moto.endpoint())
            .build(),
    );

    let get_vpc = compare(
        300,
        async |_| {
            ec2.describe_vpcs().vpc_ids(&vpc_id).send().await.unwrap();
            let filter = Filter::builder().name("vpc-id").values(&vpc_id).build();
            ec2.describe_subnets().filters(filter).send().await.unwrap();
        },
        async |_| {
            spinneret_bench::get(
                &client,
                &format!("{base}/spider/vpc/vpc-01?ConnectionName={CN}"),
            )
            .await
        },
    )
    .await;

    let vm = |name: String| {
        json!({"ConnectionName":CN,"ReqInfo":{"Name":name,"ImageName":image,"VMSpecName":"t3.micro",
            "VPCName":"vpc-01","SubnetName":"sub-01","SecurityGroupNames":["sg-01"],"KeyPairName":"key-01"}})
    };
    // Four VMs to list, started through Spinneret so both paths see the same ones.
    for n in 0..4 {
        post(&client, base, "vm", vm(format!("listed-{n}"))).await;
    }
    let list_vms = compare(
        300,
        async |_| {
            let running = Filter::builder()
                .name("instance-state-name")
                .values("pending")
                .values("running")
                .values("stopping")
                .values("stopped")
                .build();
            ec2.describe_instances()
                .filters(running)
                .send()
                .await
                .unwrap();
        },
        async |_| {
            spinneret_bench::get(&client, &format!("{base}/spider/vm?ConnectionName={CN}")).await
        },
    )
    .await;

    let start_vm = compare(
        60,
        async |_| {
            let started = ec2
                .run_instances()
                .image_id(&image)
                .instance_type(InstanceType::T3Micro)
                .subnet_id(&subnet_id)
                .security_group_ids(&sg_id)
                .key_name(&key_name)
                .min_count(1)
                .max_count(1)
                .send()
                .await
                .unwrap();
            let id = started.instances()[0].instance_id().unwrap();
            ec2.describe_instances()
                .instance_ids(id)
                .send()
                .await
                .unwrap();
        },
        async |round| {
            post(&client, base, "vm", vm(format!("started-{round}"))).await;
        },
    )
    .await;

    let mut table = String::new();
    writeln!(table, "# Driver overhead\n").unwrap();
    writeln!(
        table,
        "An AWS connection on moto_server: each operation through Spinneret against the same EC2 \
         calls made directly with aws-sdk-ec2, one client, the two paths interleaved, in one run \
         of a {BUILD}.\n"
    )
    .unwrap();
    writeln!(
        table,
        "| operation | direct | p50 | p99 | through Spinneret | p50 | p99 | ratio p50 | ratio p99 |"
    )
    .unwrap();
    writeln!(table, "|---|---|---|---|---|---|---|---|---|").unwrap();
    rows(
        &mut table,
        "get a VPC (300 rounds)",
        "DescribeVpcs + DescribeSubnets",
        "`GET /spider/vpc/{name}`",
        get_vpc,
    );
    rows(
        &mut table,
        "list 4 VMs (300 rounds)",
        "DescribeInstances",
        "`GET /spider/vm`",
        list_vms,
    );
    rows(
        &mut table,
        "start a VM (60 rounds)",
        "RunInstances + DescribeInstances",
        "`POST /spider/vm`, answering Running",
        start_vm,
    );
    spinneret_bench::write_results("driver.md", &table);
}
