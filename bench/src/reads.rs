//! Reads under concurrency, side by side in one run, each against the floor:
//!
//! - the floor: `GET /spider/cloudos`, an authenticated handler that reads neither the
//!   database nor a cloud, in the same server;
//! - a metadata GET (`/spider/connectionconfig/{name}`) on SQLite and on PostgreSQL;
//! - a mock resource GET (`/spider/vpc/{name}`), which opens the connection and asks the mock.
//!
//! Each runs at 1, 16, 64 and 256 concurrent clients for a fixed time. Writes
//! `bench/results/reads.md`.
//!
//! Run: `cargo run --release -p spinneret-bench --bin reads-bench` (PostgreSQL from
//! `SPINNERET_TEST_POSTGRES_URL`, else trust auth on 127.0.0.1; without one its row is skipped).

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use spinneret_bench::BUILD;

const CONCURRENCY: [usize; 4] = [1, 16, 64, 256];
const WINDOW: Duration = Duration::from_secs(3);

struct Measured {
    per_second: f64,
    p50: Duration,
    p99: Duration,
}

/// `clients` loops of GET `url` for `WINDOW`; every answer must be 200.
async fn load(client: &reqwest::Client, url: &str, clients: usize) -> Measured {
    let deadline = Instant::now() + WINDOW;
    let loops = (0..clients).map(|_| {
        let (client, url) = (client.clone(), url.to_owned());
        tokio::spawn(async move {
            let mut latencies = Vec::new();
            while Instant::now() < deadline {
                let sent = Instant::now();
                spinneret_bench::get(&client, &url).await;
                latencies.push(sent.elapsed());
            }
            latencies
        })
    });
    let started = Instant::now();
    let mut latencies: Vec<Duration> = Vec::new();
    for handle in loops.collect::<Vec<_>>() {
        latencies.extend(handle.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile) as usize];
    Measured {
        per_second: latencies.len() as f64 / elapsed.as_secs_f64(),
        p50: at(0.50),
        p99: at(0.99),
    }
}

/// A fresh PostgreSQL database for the benchmark, or none when no server answers.
async fn fresh_postgres() -> Option<String> {
    use sea_orm::{ConnectionTrait, Database};
    let admin_url = std::env::var("SPINNERET_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = Database::connect(admin_url.as_str()).await.ok()?;
    for statement in [
        "DROP DATABASE IF EXISTS spinneret_bench WITH (FORCE)",
        "CREATE DATABASE spinneret_bench",
    ] {
        admin.execute_unprepared(statement).await.ok()?;
    }
    let (base, _) = admin_url.rsplit_once('/')?;
    Some(format!("{base}/spinneret_bench"))
}

fn ms(duration: Duration) -> String {
    format!("{:.2}", duration.as_secs_f64() * 1e3)
}

#[tokio::main]
async fn main() {
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(512)
        .build()
        .unwrap();
    let sqlite = spinneret_bench::start(None).await;
    spinneret_bench::populate(&client, &sqlite.base).await;
    let postgres = match fresh_postgres().await {
        Some(url) => Some(spinneret_bench::start(Some(url)).await),
        None => None,
    };
    if let Some(postgres) = &postgres {
        spinneret_bench::populate(&client, &postgres.base).await;
    }
    let mut targets = vec![
        (
            "floor: `GET /cloudos` (auth, no DB)",
            format!("{}/spider/cloudos", sqlite.base),
        ),
        (
            "metadata: `GET /connectionconfig/{name}`, SQLite",
            format!("{}/spider/connectionconfig/mock-config", sqlite.base),
        ),
    ];
    if let Some(postgres) = &postgres {
        targets.push((
            "metadata: `GET /connectionconfig/{name}`, PostgreSQL",
            format!("{}/spider/connectionconfig/mock-config", postgres.base),
        ));
    }
    targets.push((
        "mock resource: `GET /vpc/{name}`, SQLite",
        format!(
            "{}/spider/vpc/vpc-01?ConnectionName=mock-config",
            sqlite.base
        ),
    ));

    let mut rows: Vec<(&str, Vec<Measured>)> = Vec::new();
    for (name, url) in &targets {
        load(&client, url, 4).await; // warm: caches, pools, connections
        let mut cells = Vec::new();
        for clients in CONCURRENCY {
            cells.push(load(&client, url, clients).await);
        }
        rows.push((name, cells));
    }

    let mut table = String::new();
    writeln!(table, "# Reads under concurrency\n").unwrap();
    writeln!(
        table,
        "Authenticated GETs over loopback, the load generator in the same process as the server, \
         {} s per cell, in one run of a {BUILD} on {} cores. Each cell: requests/s (ratio to the \
         floor at the same concurrency), p50 / p99 in ms.\n",
        WINDOW.as_secs(),
        std::thread::available_parallelism().map_or(0, usize::from),
    )
    .unwrap();
    write!(table, "| request |").unwrap();
    for clients in CONCURRENCY {
        write!(
            table,
            " {clients} client{} |",
            if clients == 1 { "" } else { "s" }
        )
        .unwrap();
    }
    writeln!(table, "\n|---|{}", "---|".repeat(CONCURRENCY.len())).unwrap();
    let floor: Vec<f64> = rows[0].1.iter().map(|cell| cell.per_second).collect();
    for (name, cells) in &rows {
        write!(table, "| {name} |").unwrap();
        for (cell, floor) in cells.iter().zip(&floor) {
            write!(
                table,
                " {:.0}/s ({:.2}×), {} / {} |",
                cell.per_second,
                cell.per_second / floor,
                ms(cell.p50),
                ms(cell.p99)
            )
            .unwrap();
        }
        writeln!(table).unwrap();
    }
    spinneret_bench::write_results("reads.md", &table);
}
