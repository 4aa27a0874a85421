//! The `spinneret` server: REST under `/spider`, the AdminWeb under `/admin`, one control plane.

pub mod config;
mod metrics;
mod rest;
mod web;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::extract::FromRef;
use axum::http::{HeaderValue, Request, header};
use axum::middleware::from_fn_with_state;
use axum::response::Redirect;
use axum::routing::get;
use axum::serve::{ListenerExt, TapIo};
use leptos::config::LeptosOptions;
use secrecy::ExposeSecret;
use spinneret_core::auth::AdminBootstrap;
use spinneret_core::vault::MasterKey;
use spinneret_core::{Core, Error};
use tokio::net::{TcpListener, TcpStream};
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::config::Config;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub leptos: LeptosOptions,
}

impl FromRef<AppState> for Core {
    fn from_ref(state: &AppState) -> Self {
        state.core.clone()
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos.clone()
    }
}

/// A server that has opened its database, set up the admin account and bound its port.
pub struct Started {
    pub local_addr: SocketAddr,
    /// Where `--metrics-addr` serves `/metrics`, once bound.
    pub metrics_addr: Option<SocketAddr>,
    pub admin: AdminBootstrap,
    core: Core,
    listener: TcpListener,
    router: Router,
    /// `--metrics-addr`: `/metrics` alone, without credentials, for a scraper on a private
    /// network.
    metrics_listener: Option<TcpListener>,
}

/// Opens the database (migrating it), bootstraps the admin account and binds the address.
pub async fn start(config: &Config) -> Result<Started, Error> {
    std::fs::create_dir_all(&config.data_dir).map_err(|err| {
        Error::internal(
            format!("creating the data directory {}", config.data_dir.display()),
            err,
        )
    })?;
    let master_key = match &config.master_key {
        Some(encoded) => MasterKey::from_base64(encoded.expose_secret())?,
        None => MasterKey::load_or_create(&config.data_dir.join("master.key"))?,
    };
    let core = Core::open(&config.database_url(), &master_key, config.core_options()).await?;
    core.registry().check_master_key().await?;
    let admin = core
        .admins()
        .bootstrap(&config.admin_username, config.admin_password.as_ref())
        .await?;
    // Finishes what a stopped replica (this one, before a crash) left under way: now, and
    // then twice per lease, so a dead replica's work waits at most about a lease and a half.
    core.start_reconciler(std::time::Duration::from_secs(config.lease_secs) / 2);
    if !config.site_root.join("pkg").is_dir() {
        tracing::warn!(
            site_root = %config.site_root.display(),
            "AdminWeb assets not found; pages render without interactivity. `./run serve` builds them"
        );
    }
    let assets = web::Assets::load(&config.site_root)
        .map_err(|err| Error::internal("reading the AdminWeb assets", err))?;
    let leptos = LeptosOptions::builder()
        .output_name(spinneret_app::OUTPUT_NAME)
        .site_root(config.site_root.to_string_lossy().as_ref())
        .site_pkg_dir(assets.pkg_path.as_str())
        .build();
    let state = AppState {
        core: core.clone(),
        leptos,
    };
    let listener = TcpListener::bind(config.addr)
        .await
        .map_err(|err| Error::internal(format!("binding {}", config.addr), err))?;
    let local_addr = listener
        .local_addr()
        .map_err(|err| Error::internal("reading the bound address", err))?;
    let metrics_listener = match config.metrics_addr {
        Some(addr) => Some(
            TcpListener::bind(addr)
                .await
                .map_err(|err| Error::internal(format!("binding {addr} for metrics"), err))?,
        ),
        None => None,
    };
    let metrics_addr = metrics_listener
        .as_ref()
        .map(TcpListener::local_addr)
        .transpose()
        .map_err(|err| Error::internal("reading the metrics address", err))?;
    metrics::install();
    Ok(Started {
        local_addr,
        metrics_addr,
        admin,
        core,
        listener,
        router: router(state, &assets),
        metrics_listener,
    })
}

fn router(state: AppState, assets: &web::Assets) -> Router {
    let (spider, spider_document) = OpenApiRouter::new()
        .nest("/spider", rest::router(&state))
        .split_for_parts();
    let (root, root_document) = rest::public_routes()
        .merge(
            OpenApiRouter::new()
                .routes(routes!(metrics::scrape))
                .route_layer(from_fn_with_state(state.core.clone(), rest::require_admin)),
        )
        .split_for_parts();
    let document = rest::openapi::document(spider_document, root_document);
    let routes = Router::new()
        .route("/", get(|| async { Redirect::to("/admin") }))
        .merge(spider)
        .merge(root)
        .merge(rest::openapi::viewer(document))
        .merge(web::router(&state, assets))
        .with_state(state);
    with_security_headers(routes)
        .layer(axum::middleware::from_fn(metrics::track_http))
        .layer(axum::middleware::from_fn(attach_request_id))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(
            TraceLayer::new_for_http()
                // One access-log line per request at the default log level.
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO))
                .make_span_with(|request: &Request<_>| {
            let request_id = request
                .extensions()
                .get::<RequestId>()
                .and_then(|id| id.header_value().to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), request_id)
        }),
        )
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
}

/// Headers on every response: nothing may frame the AdminWeb, no URL leaks to other sites
/// (same-origin Referers stay: a plain form post is redirected back to its page by them),
/// and responses are not re-read as another type. Pages and answers are revalidated unless
/// they say otherwise (the content-named assets do). Each page adds its own CSP, which names
/// its per-response script nonce.
fn with_security_headers(router: Router) -> Router {
    let always =
        |name, value| SetResponseHeaderLayer::overriding(name, HeaderValue::from_static(value));
    router
        .layer(always(header::X_FRAME_OPTIONS, "DENY"))
        .layer(always(header::REFERRER_POLICY, "same-origin"))
        .layer(always(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-cache"),
        ))
}

/// Runs the request with its id attached, so the cloud calls it causes carry the same id in
/// the call history as the response's `X-Request-Id`.
async fn attach_request_id(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or_default()
        .to_owned();
    spinneret_core::history::with_request_id(id, next.run(request)).await
}

impl Started {
    /// Serves until `shutdown` completes, then finishes the requests in flight and stores the
    /// call history still queued.
    pub async fn run(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), Error> {
        let metrics_only = self.metrics_listener.map(|listener| {
            let router = Router::new()
                .route("/metrics", get(metrics::scrape))
                .with_state(self.core.clone());
            tokio::spawn(async move { axum::serve(listener, router).await })
        });
        // With each connection's address, which sign-in failures are counted by.
        axum::serve(
            without_nagle(self.listener),
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|err| Error::internal("serving HTTP", err))?;
        if let Some(server) = metrics_only {
            server.abort();
        }
        // Cloud work that runs on give it a bounded time to reach a safe point.
        self.core.drain(WORKER_GRACE).await;
        // Store the call history still queued before the process ends.
        self.core.history().flush().await;
        Ok(())
    }
}

/// Accepted connections send each write at once. With Nagle's algorithm a streamed page's
/// later chunks waited for the client's delayed ACK (about 40 ms on Linux): a dashboard whose
/// counts stream in took 50 ms longer than its slowest cloud.
fn without_nagle(listener: TcpListener) -> TapIo<TcpListener, fn(&mut TcpStream)> {
    fn no_delay(tcp: &mut TcpStream) {
        if let Err(err) = tcp.set_nodelay(true) {
            tracing::debug!(error = %err, "could not set TCP_NODELAY on a connection");
        }
    }
    listener.tap_io(no_delay)
}

/// How long a shutdown waits for cloud operations still under way; the reconciler finishes
/// what is left.
const WORKER_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

/// Logs to stderr at `RUST_LOG`'s levels (default `info`): as text, or as one JSON object per
/// line whose `span` holds the request's method, path and id.
pub fn init_logging(format: config::LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let logs = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter);
    match format {
        config::LogFormat::Text => logs
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init(),
        config::LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .init(),
    }
}

/// Starts the server, tells the operator where it is and how to sign in, and serves until
/// SIGINT or SIGTERM.
pub async fn serve(config: Config) -> Result<(), Error> {
    let started = start(&config).await?;
    let port = started.local_addr.port();
    tracing::info!(addr = %started.local_addr, "spinneret is serving");
    println!("\nSpinneret is running.");
    println!("  AdminWeb:  http://localhost:{port}/admin");
    println!("  REST API:  http://localhost:{port}/spider (HTTP Basic)");
    println!("  API docs:  http://localhost:{port}/spider/api");
    match started.metrics_addr {
        Some(addr) => println!("  Metrics:   http://{addr}/metrics (no credentials)"),
        None => println!("  Metrics:   http://localhost:{port}/metrics (HTTP Basic)"),
    }
    match &started.admin {
        AdminBootstrap::Generated(password) => {
            println!(
                "  Sign in as '{}' with this generated password (shown only now):",
                config.admin_username
            );
            println!("      {}", password.expose_secret());
            println!("  Set SPIDER_PASSWORD to choose your own.");
        }
        AdminBootstrap::Kept | AdminBootstrap::Saved => println!(
            "  Sign in as '{}' with SPIDER_PASSWORD (or the password printed at first start).",
            config.admin_username
        ),
    }
    println!();
    started.run(shutdown_signal()).await?;
    tracing::info!("spinneret stopped");
    Ok(())
}

async fn shutdown_signal() {
    let interrupt = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    tokio::select! {
        () = interrupt => tracing::info!("SIGINT received; shutting down"),
        () = terminate => tracing::info!("SIGTERM received; shutting down"),
    }
}

#[cfg(test)]
mod tests {
    use axum::serve::Listener;

    #[tokio::test]
    async fn connections_are_accepted_without_nagle() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mut listener = super::without_nagle(listener);
        let _client = tokio::net::TcpStream::connect(addr).await.unwrap();
        let (accepted, _) = listener.accept().await;
        assert!(accepted.nodelay().unwrap());
    }
}
