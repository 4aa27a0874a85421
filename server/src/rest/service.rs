//! Health, readiness, version and provider metadata.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use spinneret_core::{Core, Error};
use spinneret_drivers::Provider;
use spinneret_drivers::provider::KeySpec;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, CloudOsList, CloudOsMetaInfo, ErrorBody, Message, VersionAnswer};
use super::error::ApiResult;
use crate::AppState;

/// Routes that need no credentials.
pub fn public_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(healthcheck))
        .routes(routes!(ping))
        .routes(routes!(ready))
        .routes(routes!(version))
}

/// Routes that describe the providers (behind auth, as in CB-Spider).
pub fn provider_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(cloud_os_list))
        .routes(routes!(cloud_os_meta))
}

fn alive() -> Json<Message> {
    Json(Message {
        message: "API server is running".to_owned(),
    })
}

/// Answers while the process serves.
#[utoipa::path(get, path = "/health", tag = "Service", security(()),
    responses((status = 200, body = Message)))]
async fn health() -> Json<Message> {
    alive()
}

/// The same as `/health`, under CB-Spider's other name.
#[utoipa::path(get, path = "/healthcheck", tag = "Service", security(()),
    responses((status = 200, body = Message)))]
async fn healthcheck() -> Json<Message> {
    alive()
}

/// The same as `/health`, under CB-Spider's other name.
#[utoipa::path(get, path = "/ping", tag = "Service", security(()),
    responses((status = 200, body = Message)))]
async fn ping() -> Json<Message> {
    alive()
}

/// Ready while the database answers.
#[utoipa::path(get, path = "/readyz", tag = "Service", security(()),
    responses((status = 200, body = Message),
        (status = 503, body = ErrorBody, description = "The database is unreachable")))]
async fn ready(State(core): State<Core>) -> (StatusCode, Json<Message>) {
    let (status, message) = match core.ready().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(err) => {
            tracing::warn!(error = ?err, "readiness check failed");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "not ready: the database is unreachable",
            )
        }
    };
    let message = message.to_owned();
    (status, Json(Message { message }))
}

#[utoipa::path(get, path = "/version", tag = "Service", security(()),
    responses((status = 200, body = VersionAnswer)))]
async fn version() -> Json<VersionAnswer> {
    Json(VersionAnswer {
        version: env!("CARGO_PKG_VERSION"),
    })
}

/// The providers this server has drivers for.
#[utoipa::path(get, path = "/cloudos", tag = "Service",
    responses((status = 200, body = CloudOsList), ApiErrors))]
async fn cloud_os_list() -> Json<CloudOsList> {
    super::listed(Provider::ALL.iter().map(|p| p.name()).collect())
}

fn key_names(keys: &[KeySpec], required: bool) -> Vec<&'static str> {
    keys.iter()
        .filter(|key| key.required == required)
        .map(|key| key.name)
        .collect()
}

/// The keys a provider's credential and region records take.
#[utoipa::path(get, path = "/cloudos/metainfo/{name}", tag = "Service",
    params(("name" = String, Path, description = "A provider, e.g. AWS")),
    responses((status = 200, body = CloudOsMetaInfo), ApiErrors))]
async fn cloud_os_meta(Path(name): Path<String>) -> ApiResult<Json<CloudOsMetaInfo>> {
    let provider: Provider = name
        .parse()
        .map_err(|err| Error::invalid(format!("CloudOSName: {err}")))?;
    Ok(Json(CloudOsMetaInfo {
        credential: key_names(provider.credential_keys(), true),
        credential_optional: key_names(provider.credential_keys(), false),
        region: key_names(provider.region_keys(), true),
        region_optional: key_names(provider.region_keys(), false),
    }))
}
