//! Health, readiness, version and provider metadata.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use spinneret_core::{Core, Error};
use spinneret_drivers::Provider;
use spinneret_drivers::provider::KeySpec;

use super::error::ApiResult;
use crate::AppState;

/// Routes that need no credentials.
pub fn public_routes() -> Router<AppState> {
    Router::new()
        .route("/health", get(alive))
        .route("/healthcheck", get(alive))
        .route("/ping", get(alive))
        .route("/readyz", get(ready))
        .route("/version", get(version))
}

/// Routes that describe the providers (behind auth, as in CB-Spider).
pub fn provider_routes() -> Router<AppState> {
    Router::new()
        .route("/cloudos", get(cloud_os_list))
        .route("/cloudos/metainfo/{name}", get(cloud_os_meta))
}

async fn alive() -> Json<Value> {
    Json(json!({ "message": "API server is running" }))
}

async fn ready(State(core): State<Core>) -> (StatusCode, Json<Value>) {
    match core.ready().await {
        Ok(()) => (StatusCode::OK, Json(json!({ "message": "ready" }))),
        Err(err) => {
            tracing::warn!(error = ?err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "message": "not ready: the database is unreachable" })),
            )
        }
    }
}

async fn version() -> Json<Value> {
    Json(json!({ "Version": env!("CARGO_PKG_VERSION") }))
}

async fn cloud_os_list() -> Json<Value> {
    let names: Vec<&str> = Provider::ALL.iter().map(|p| p.name()).collect();
    Json(json!({ "cloudos": names }))
}

fn key_names(keys: &[KeySpec], required: bool) -> Vec<&'static str> {
    keys.iter()
        .filter(|key| key.required == required)
        .map(|key| key.name)
        .collect()
}

async fn cloud_os_meta(Path(name): Path<String>) -> ApiResult<Json<Value>> {
    let provider: Provider = name
        .parse()
        .map_err(|err| Error::invalid(format!("CloudOSName: {err}")))?;
    Ok(Json(json!({
        "Credential": key_names(provider.credential_keys(), true),
        "CredentialOptional": key_names(provider.credential_keys(), false),
        "Region": key_names(provider.region_keys(), true),
        "RegionOptional": key_names(provider.region_keys(), false),
    })))
}
