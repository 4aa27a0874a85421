//! `/driver`, `/credential`, `/region` and `/connectionconfig`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use spinneret_core::Core;
use spinneret_drivers::model::{CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, RegionInfo};

use super::body::JsonBody;
use super::error::ApiResult;
use super::service::provider_routes;
use super::{deleted, listed, query_param};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/driver", get(list_drivers).post(put_driver))
        .route("/driver/{name}", get(get_driver).delete(delete_driver))
        .route("/credential", get(list_credentials).post(put_credential))
        .route(
            "/credential/{name}",
            get(get_credential).delete(delete_credential),
        )
        .route("/region", get(list_regions).post(put_region))
        .route("/region/{name}", get(get_region).delete(delete_region))
        .route(
            "/connectionconfig",
            get(list_connections).post(put_connection),
        )
        .route(
            "/connectionconfig/{name}",
            get(get_connection).delete(delete_connection),
        )
        .route("/countconnectionconfig", get(count_all_connections))
        .route("/countconnectionconfig/{provider}", get(count_connections))
        .merge(provider_routes())
}

type Params = Query<HashMap<String, String>>;

/// The optional `?ProviderName=` filter.
fn provider_filter(params: &HashMap<String, String>) -> Option<&str> {
    query_param(params, "ProviderName")
}

async fn put_driver(
    State(core): State<Core>,
    JsonBody(info): JsonBody<CloudDriverInfo>,
) -> ApiResult<Json<CloudDriverInfo>> {
    Ok(Json(core.registry().put_driver(info).await?))
}

async fn list_drivers(State(core): State<Core>, Query(params): Params) -> ApiResult<Json<Value>> {
    Ok(listed(
        "driver",
        core.registry()
            .list_drivers(provider_filter(&params))
            .await?,
    ))
}

async fn get_driver(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<CloudDriverInfo>> {
    Ok(Json(core.registry().get_driver(&name).await?))
}

async fn delete_driver(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    core.registry().delete_driver(&name).await?;
    Ok(deleted())
}

async fn put_credential(
    State(core): State<Core>,
    JsonBody(info): JsonBody<CredentialInfo>,
) -> ApiResult<Json<CredentialInfo>> {
    Ok(Json(core.put_credential(info).await?))
}

async fn list_credentials(
    State(core): State<Core>,
    Query(params): Params,
) -> ApiResult<Json<Value>> {
    Ok(listed(
        "credential",
        core.registry()
            .list_credentials(provider_filter(&params))
            .await?,
    ))
}

async fn get_credential(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<CredentialInfo>> {
    Ok(Json(core.registry().get_credential(&name).await?))
}

async fn delete_credential(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    core.registry().delete_credential(&name).await?;
    Ok(deleted())
}

async fn put_region(
    State(core): State<Core>,
    JsonBody(info): JsonBody<RegionInfo>,
) -> ApiResult<Json<RegionInfo>> {
    Ok(Json(core.put_region(info).await?))
}

async fn list_regions(State(core): State<Core>, Query(params): Params) -> ApiResult<Json<Value>> {
    Ok(listed(
        "region",
        core.registry()
            .list_regions(provider_filter(&params))
            .await?,
    ))
}

async fn get_region(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<RegionInfo>> {
    Ok(Json(core.registry().get_region(&name).await?))
}

async fn delete_region(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    core.registry().delete_region(&name).await?;
    Ok(deleted())
}

async fn put_connection(
    State(core): State<Core>,
    JsonBody(info): JsonBody<ConnectionConfigInfo>,
) -> ApiResult<Json<ConnectionConfigInfo>> {
    Ok(Json(core.put_connection(info).await?))
}

async fn list_connections(
    State(core): State<Core>,
    Query(params): Params,
) -> ApiResult<Json<Value>> {
    Ok(listed(
        "connectionconfig",
        core.registry()
            .list_connections(provider_filter(&params))
            .await?,
    ))
}

async fn get_connection(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<ConnectionConfigInfo>> {
    Ok(Json(core.registry().get_connection(&name).await?))
}

async fn delete_connection(
    State(core): State<Core>,
    Path(name): Path<String>,
) -> ApiResult<Json<Value>> {
    core.registry().delete_connection(&name).await?;
    Ok(deleted())
}

async fn count_all_connections(State(core): State<Core>) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "count": core.registry().count_connections(None).await? }),
    ))
}

async fn count_connections(
    State(core): State<Core>,
    Path(provider): Path<String>,
) -> ApiResult<Json<Value>> {
    Ok(Json(
        json!({ "count": core.registry().count_connections(Some(&provider)).await? }),
    ))
}
