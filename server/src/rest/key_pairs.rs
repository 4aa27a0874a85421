//! `/keypair`.

use axum::Json;
use axum::extract::{Path, State};
use spinneret_core::Core;
use spinneret_drivers::model::{KeyPairInfo, KeyPairReqInfo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, BooleanResult, CloudErrors, KeyPairList};
use super::connection_name::{ConnectionName, NamedConnection};
use super::error::ApiResult;
use super::resource_request::{Envelope, Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_key_pairs, create_key_pair))
        .routes(routes!(get_key_pair, delete_key_pair))
}

/// Creates a key pair. The only answer that carries the private key.
#[utoipa::path(post, path = "/keypair", tag = "KeyPair", request_body = Envelope<KeyPairReqInfo>,
    responses((status = 200, body = KeyPairInfo), ApiErrors, CloudErrors))]
async fn create_key_pair(
    State(core): State<Core>,
    request: ResourceRequest<KeyPairReqInfo>,
) -> ApiResult<Json<KeyPairInfo>> {
    Ok(Json(
        core.create_key_pair(&request.connection, request.info)
            .await?,
    ))
}

/// Lists the connection's key pairs, their keys hidden.
#[utoipa::path(get, path = "/keypair", tag = "KeyPair", params(ConnectionName),
    responses((status = 200, body = KeyPairList), ApiErrors, CloudErrors))]
async fn list_key_pairs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<KeyPairList>> {
    Ok(listed(core.list_key_pairs(&connection).await?))
}

#[utoipa::path(get, path = "/keypair/{name}", tag = "KeyPair",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = KeyPairInfo), ApiErrors, CloudErrors))]
async fn get_key_pair(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<KeyPairInfo>> {
    Ok(Json(core.get_key_pair(&connection, &name).await?))
}

/// Deletes a key pair; 409 while VMs use it, unless `force`.
#[utoipa::path(delete, path = "/keypair/{name}", tag = "KeyPair",
    params(("name" = String, Path), Force, ConnectionName), request_body = Option<NamedConnection>,
    responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
async fn delete_key_pair(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<BooleanResult>> {
    core.delete_key_pair(&connection, &name, force).await?;
    Ok(deleted())
}
