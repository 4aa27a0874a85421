//! Prometheus metrics at `/metrics`: one recorder for the process, HTTP requests counted by
//! route template, cloud calls counted by the call recorder (core), and the gauges a scrape
//! reads from the database.

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use spinneret_core::Core;

/// Latency buckets in seconds, from a cached read to a VM start.
const BUCKETS: [f64; 14] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0, 30.0, 120.0,
];

/// How often histogram samples are folded into their buckets, so memory stays bounded
/// between scrapes.
const UPKEEP: Duration = Duration::from_secs(5);

/// The process's recorder, installed on first use: metrics are process-wide, so servers
/// started in one process (tests) share it.
fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&BUCKETS)
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed; /metrics shows none");
        }
        let upkeep = handle.clone();
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(UPKEEP);
            loop {
                ticks.tick().await;
                upkeep.run_upkeep();
            }
        });
        handle
    })
}

/// Installs the recorder; call once the runtime runs, before serving.
pub fn install() {
    handle();
}

/// Counts each request and its latency by method, route template (never the raw path, whose
/// names would make a series per resource) and status.
pub async fn track_http(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_owned();
    let method = method_label(request.method());
    let response = next.run(request).await;
    let labels = [
        ("method", method.to_owned()),
        ("route", route),
        ("status", response.status().as_str().to_owned()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(started.elapsed().as_secs_f64());
    response
}

/// A made-up method is one label, not one series each.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [Method; 7] = [
        Method::GET,
        Method::POST,
        Method::PUT,
        Method::DELETE,
        Method::PATCH,
        Method::HEAD,
        Method::OPTIONS,
    ];
    KNOWN
        .iter()
        .find(|known| *known == method)
        .map_or("other", Method::as_str)
}

/// The metrics in Prometheus's text format.
#[utoipa::path(get, path = "/metrics", tag = "Service",
    responses((status = 200, content_type = "text/plain", body = String,
        description = "Prometheus text format"),
        (status = 401, body = crate::rest::ErrorBody, description = "No or wrong credentials")))]
pub async fn scrape(State(core): State<Core>) -> Response {
    read_gauges(&core).await;
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        handle().render(),
    )
        .into_response()
}

/// Sets the gauges that are read, not counted: the database pool and the resource rows.
async fn read_gauges(core: &Core) {
    let pool = core.pool_usage();
    metrics::gauge!("spinneret_db_pool_connections", "state" => "idle").set(pool.idle);
    metrics::gauge!("spinneret_db_pool_connections", "state" => "in_use")
        .set(pool.open.saturating_sub(pool.idle));
    metrics::gauge!("spinneret_db_pool_max_connections").set(pool.max);
    match core.resource_census().await {
        Ok(census) => {
            for (kind, state, rows) in census {
                metrics::gauge!("spinneret_resources", "kind" => kind.as_str(), "state" => state)
                    .set(rows as f64);
            }
        }
        Err(err) => tracing::warn!(error = %err, "the resource gauges could not be read"),
    }
}
