//! How much the verified-header cache saves: authenticated REST requests against a running
//! server, with the cache (the normal path) and with a full argon2id check on every request
//! (what the cache avoids), side by side in one run. Writes `bench/results/auth.md`.
//!
//! Run: `cargo run --release -p spinneret-bench --bin auth-bench`

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use secrecy::SecretString;
use spinneret_bench::{BUILD, PASSWORD};

const REQUESTS: u32 = 400;
const ARGON2_CHECKS: u32 = 20;

fn per_call(total: Duration, calls: u32) -> Duration {
    total / calls
}

#[tokio::main]
async fn main() {
    let server = spinneret_bench::start(None).await;
    let url = format!("{}/spider/driver", server.base);
    let client = reqwest::Client::new();

    // Warm up: the first request runs argon2 once and fills the cache.
    let get = || client.get(&url).basic_auth("admin", Some(PASSWORD)).send();
    assert!(get().await.unwrap().status().is_success());
    let started_at = Instant::now();
    for _ in 0..REQUESTS {
        assert!(get().await.unwrap().status().is_success());
    }
    let cached_request = per_call(started_at.elapsed(), REQUESTS);

    // The same server's argon2id check, which every request would pay without the cache.
    let core = spinneret_core::Core::open(
        &server.config.database_url(),
        &spinneret_core::vault::MasterKey::generate(),
        server.config.core_options(),
    )
    .await
    .unwrap();
    let password = SecretString::from(PASSWORD.to_owned());
    let started_at = Instant::now();
    for _ in 0..ARGON2_CHECKS {
        core.admins()
            .authenticate("admin", &password)
            .await
            .unwrap();
    }
    let argon2_check = per_call(started_at.elapsed(), ARGON2_CHECKS);
    let uncached_request = cached_request + argon2_check;

    drop(server);

    let mut table = String::new();
    writeln!(table, "# Auth cache benchmark\n").unwrap();
    writeln!(
        table,
        "Authenticated `GET /spider/driver` over loopback, one client, {REQUESTS} requests; argon2id (default \
         parameters) timed over {ARGON2_CHECKS} checks, in one run of a {BUILD}.\n"
    )
    .unwrap();
    writeln!(
        table,
        "| path | time per request | requests/s (one client) |"
    )
    .unwrap();
    writeln!(table, "|---|---|---|").unwrap();
    for (name, cost) in [
        ("cached verification (Spinneret)", cached_request),
        (
            "argon2id on every request (no cache; estimate = cached + one argon2id check)",
            uncached_request,
        ),
    ] {
        writeln!(
            table,
            "| {name} | {:.3} ms | {:.0} |",
            cost.as_secs_f64() * 1e3,
            1.0 / cost.as_secs_f64()
        )
        .unwrap();
    }
    writeln!(
        table,
        "\nThe cache makes an authenticated request {:.1}x faster.",
        uncached_request.as_secs_f64() / cached_request.as_secs_f64()
    )
    .unwrap();
    spinneret_bench::write_results("auth.md", &table);
}
