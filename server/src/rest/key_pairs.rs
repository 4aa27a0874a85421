//! `/keypair`.

use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use spinneret_core::Core;
use spinneret_drivers::model::{KeyPairInfo, KeyPairReqInfo};

use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::resource_request::{Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/keypair", get(list).post(create))
        .route("/keypair/{name}", get(fetch).delete(delete))
}

/// The only answer that carries the private key.
async fn create(
    State(core): State<Core>,
    request: ResourceRequest<KeyPairReqInfo>,
) -> ApiResult<Json<KeyPairInfo>> {
    Ok(Json(
        core.create_key_pair(&request.connection, request.info)
            .await?,
    ))
}

async fn list(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed("keypair", core.list_key_pairs(&connection).await?))
}

async fn fetch(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<KeyPairInfo>> {
    Ok(Json(core.get_key_pair(&connection, &name).await?))
}

async fn delete(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    core.delete_key_pair(&connection, &name, force).await?;
    Ok(deleted())
}
