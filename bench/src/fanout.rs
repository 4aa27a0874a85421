//! Fan-out over many connections, each cloud answering every call after 50 ms
//! (`DelayAPI=*=50`), side by side in one run:
//!
//! - the AdminWeb dashboard cold-loaded (`GET /admin`, read to the end of its stream), whose
//!   counts the server asks every connection's cloud for at once;
//! - `GET /spider/allvm` for every connection, sent together by one client;
//!
//! over 1, 10 and 50 connections, each as a ratio to one connection's time. Then 100 VMs
//! listed on one connection against one VM, with the cloud calls the list made (CB-Spider's
//! ListVM asks GetVM per VM). Writes `bench/results/fanout.md`.
//!
//! Run: `cargo run --release -p spinneret-bench --bin fanout-bench`.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use serde_json::json;
use spinneret_bench::slow_clouds::{self, DELAY};
use spinneret_bench::{BUILD, PASSWORD, Server, median, post};

const CONNECTIONS: [usize; 3] = [1, 10, 50];
const ROUNDS: usize = 7;
const VMS: usize = 100;

async fn server_with(connections: usize, client: &reqwest::Client) -> Server {
    let server = spinneret_bench::start(None).await;
    slow_clouds::register(client, &server.base, connections, DELAY).await;
    server
}

async fn timed<F: Future<Output = ()>>(run: impl Fn() -> F) -> Duration {
    run().await; // warm: open the connections
    let mut times = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let started = Instant::now();
        run().await;
        times.push(started.elapsed());
    }
    median(times)
}

/// Starts `vms` VMs on `fan-0` (made without delay, then delayed), and times its VM list.
async fn list_of(client: &reqwest::Client, vms: usize) -> (Duration, usize) {
    let server = server_with(0, client).await;
    let base = &server.base;
    slow_clouds::register_one(client, base, 0, "").await;
    post(
        client,
        base,
        "vpc",
        json!({"ConnectionName":"fan-0","ReqInfo":{"Name":"vpc-01",
        "IPv4_CIDR":"10.0.0.0/16","SubnetInfoList":[{"Name":"sub-01","IPv4_CIDR":"10.0.1.0/24"}]}}),
    )
    .await;
    post(
        client,
        base,
        "securitygroup",
        json!({"ConnectionName":"fan-0","ReqInfo":{"Name":"sg-01",
        "VPCName":"vpc-01","SecurityRules":[]}}),
    )
    .await;
    post(
        client,
        base,
        "keypair",
        json!({"ConnectionName":"fan-0","ReqInfo":{"Name":"key-01"}}),
    )
    .await;
    for n in 0..vms {
        post(
            client,
            base,
            "vm",
            json!({"ConnectionName":"fan-0","ReqInfo":{"Name":format!("vm-{n:03}"),
            "ImageName":"mock-vmimage-01","VMSpecName":"mock-vmspec-01","VPCName":"vpc-01",
            "SubnetName":"sub-01","SecurityGroupNames":["sg-01"],"KeyPairName":"key-01"}}),
        )
        .await;
    }
    slow_clouds::register_one(client, base, 0, DELAY).await;
    let url = format!("{base}/spider/vm?ConnectionName=fan-0");
    let time = timed(|| spinneret_bench::get(client, &url)).await;
    // The cloud calls of one more list, by its request id.
    let response = client
        .get(&url)
        .basic_auth("admin", Some(PASSWORD))
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    let listed: serde_json::Value = response.json().await.unwrap();
    assert_eq!(listed["vm"].as_array().unwrap().len(), vms);
    (
        time,
        spinneret_bench::calls_of(client, base, "fan-0", &request_id)
            .await
            .len(),
    )
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::new();
    let ms = |duration: Duration| duration.as_secs_f64() * 1e3;
    let mut table = String::new();
    writeln!(table, "# Fan-out\n").unwrap();
    writeln!(
        table,
        "Mock connections whose every cloud call waits 50 ms (`DelayAPI=*=50`), each on its own \
         account; the median of {ROUNDS} rounds after a warm-up, in one run of a {BUILD}.\n"
    )
    .unwrap();
    writeln!(
        table,
        "| connections | dashboard cold load (`GET /admin`, whole stream) | `GET /allvm` on every connection at once |"
    )
    .unwrap();
    writeln!(table, "|---|---|---|").unwrap();
    let mut one = None;
    for connections in CONNECTIONS {
        let server = server_with(connections, &client).await;
        let base = &server.base;
        let cookie = slow_clouds::sign_in(base).await;
        let page = timed(|| slow_clouds::dashboard(&client, base, &cookie, connections)).await;
        let lists = timed(|| slow_clouds::all_vms(&client, base, connections)).await;
        let (page_one, lists_one) = *one.get_or_insert((page, lists));
        writeln!(
            table,
            "| {connections} | {:.0} ms ({:.2}×) | {:.0} ms ({:.2}×) |",
            ms(page),
            ms(page) / ms(page_one),
            ms(lists),
            ms(lists) / ms(lists_one)
        )
        .unwrap();
    }

    let (one_vm, one_vm_calls) = list_of(&client, 1).await;
    let (many_vms, many_vm_calls) = list_of(&client, VMS).await;
    writeln!(
        table,
        "\n`GET /spider/vm` on one connection, the same 50 ms per cloud call:\n"
    )
    .unwrap();
    writeln!(table, "| VMs | time | cloud calls |").unwrap();
    writeln!(table, "|---|---|---|").unwrap();
    writeln!(table, "| 1 | {:.0} ms | {one_vm_calls} |", ms(one_vm)).unwrap();
    writeln!(
        table,
        "| {VMS} | {:.0} ms ({:.2}× one VM) | {many_vm_calls} |",
        ms(many_vms),
        ms(many_vms) / ms(one_vm)
    )
    .unwrap();
    writeln!(
        table,
        "\nA GetVM per VM, as CB-Spider's ListVM makes, would be {} calls and at least {:.1} s here.",
        VMS + 1,
        (VMS + 1) as f64 * 0.05
    )
    .unwrap();
    spinneret_bench::write_results("fanout.md", &table);
}
