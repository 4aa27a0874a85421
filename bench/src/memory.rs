//! Memory of the real `spinneret` binary, side by side for each binary given: resident set
//! (RSS) idle after start-up, after 10,000 authenticated reads, at its peak during a fan-out
//! over 50 slow connections, and the binary's size. Writes `bench/results/memory.md`.
//!
//! Run: `cargo run --release -p spinneret-bench --bin memory-bench -- [LABEL=PATH ...]`
//! (without arguments: this build's `spinneret`). Comparing two builds, e.g. before and
//! after an allocator change, is one run with both paths.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use spinneret_bench::{BUILD, PASSWORD};
use tokio::process::{Child, Command};

const READS: usize = 10_000;
const CLIENTS: usize = 16;
const FAN_OUT: usize = 50;
const FAN_OUT_ROUNDS: usize = 5;

struct Memory {
    idle: Rss,
    loaded: Rss,
    fan_out_peak: Rss,
    binary_bytes: u64,
}

/// Resident memory in KiB: all of it, the allocated (anonymous) part and the mapped files
/// (the binary's code and data pages).
#[derive(Clone, Copy, Default)]
struct Rss {
    total: u64,
    anonymous: u64,
    file: u64,
}

fn rss(pid: u32) -> Rss {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or_else(|| panic!("{name} in /proc/<pid>/status"))
    };
    Rss {
        total: field("VmRSS:"),
        anonymous: field("RssAnon:"),
        file: field("RssFile:"),
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start(binary: &Path, data_dir: &Path, port: u16) -> Child {
    let child = Command::new(binary)
        .arg("serve")
        .env("SPINNERET_ADDR", format!("127.0.0.1:{port}"))
        .env("SPINNERET_DATA_DIR", data_dir)
        .env("SPIDER_PASSWORD", PASSWORD)
        .env("SPINNERET_MOCK_TRANSITION_MS", "0")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let ready = format!("http://127.0.0.1:{port}/readyz");
    for _ in 0..300 {
        if reqwest::get(&ready)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return child;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{} did not start", binary.display());
}

async fn measure(binary: &Path) -> Memory {
    let data_dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let child = start(binary, data_dir.path(), port).await;
    let pid = child.id().unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    // What an operator does first: authenticated calls (one password check), a connection
    // and a VPC.
    spinneret_bench::populate(&client, &base).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let idle = rss(pid);

    let urls = [
        format!("{base}/spider/connectionconfig/mock-config"),
        format!("{base}/spider/vpc/vpc-01?ConnectionName=mock-config"),
    ];
    let loops = (0..CLIENTS).map(|client_index| {
        let (client, urls) = (client.clone(), urls.clone());
        tokio::spawn(async move {
            for read in (client_index..READS).step_by(CLIENTS) {
                spinneret_bench::get(&client, &urls[read % urls.len()]).await;
            }
        })
    });
    for handle in loops.collect::<Vec<_>>() {
        handle.await.unwrap();
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let loaded = rss(pid);
    let fan_out_peak = fan_out_peak(&client, &base, pid).await;
    drop(child);
    Memory {
        idle,
        loaded,
        fan_out_peak,
        binary_bytes: std::fs::metadata(binary).unwrap().len(),
    }
}

/// The highest RSS sampled while the dashboard and `GET /allvm` fan out over `FAN_OUT`
/// connections whose clouds answer after 50 ms.
async fn fan_out_peak(client: &reqwest::Client, base: &str, pid: u32) -> Rss {
    use spinneret_bench::slow_clouds;
    slow_clouds::register(client, base, FAN_OUT, slow_clouds::DELAY).await;
    let cookie = slow_clouds::sign_in(base).await;
    let (done, mut finished) = tokio::sync::oneshot::channel::<()>();
    let sampler = tokio::spawn(async move {
        let mut peak = Rss::default();
        while finished.try_recv().is_err() {
            let now = rss(pid);
            if now.total > peak.total {
                peak = now;
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        peak
    });
    for _ in 0..FAN_OUT_ROUNDS {
        tokio::join!(
            slow_clouds::dashboard(client, base, &cookie, FAN_OUT),
            slow_clouds::all_vms(client, base, FAN_OUT)
        );
    }
    done.send(()).unwrap();
    sampler.await.unwrap()
}

/// This build's `spinneret`, beside the benchmark's own binary.
fn this_build() -> PathBuf {
    std::env::current_exe().unwrap().with_file_name("spinneret")
}

fn mib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

fn split(rss: &Rss) -> String {
    format!(
        "{} ({} allocated, {} mapped files)",
        mib(rss.total),
        mib(rss.anonymous),
        mib(rss.file)
    )
}

#[tokio::main]
async fn main() {
    let mut binaries: Vec<(String, PathBuf)> = std::env::args()
        .skip(1)
        .map(|arg| match arg.split_once('=') {
            Some((label, path)) => (label.to_owned(), PathBuf::from(path)),
            None => (arg.clone(), PathBuf::from(arg)),
        })
        .collect();
    if binaries.is_empty() {
        binaries.push(("this build".to_owned(), this_build()));
    }
    let mut table = String::new();
    writeln!(table, "# Memory\n").unwrap();
    writeln!(
        table,
        "The real binary on SQLite with a mock connection, measured one after the other in one \
         run by a benchmark of a {BUILD}. Idle: 2 s after start-up and the first authenticated \
         calls (one password check, a connection, a VPC). Loaded: 2 s after {READS} reads \
         (metadata and mock VPC GETs, {CLIENTS} clients). Fan-out: the highest RSS sampled \
         every 5 ms while the dashboard and `GET /allvm` ran {FAN_OUT_ROUNDS} times over \
         {FAN_OUT} mock connections whose every call waits 50 ms.\n"
    )
    .unwrap();
    writeln!(
        table,
        "| binary | idle RSS | RSS after {READS} reads | peak RSS during the fan-out | binary size |"
    )
    .unwrap();
    writeln!(table, "|---|---|---|---|---|").unwrap();
    for (label, path) in &binaries {
        let memory = measure(path).await;
        writeln!(
            table,
            "| {label} | {} | {} | {} | {:.0} MB |",
            split(&memory.idle),
            split(&memory.loaded),
            split(&memory.fan_out_peak),
            memory.binary_bytes as f64 / 1e6
        )
        .unwrap();
    }
    spinneret_bench::write_results("memory.md", &table);
}
