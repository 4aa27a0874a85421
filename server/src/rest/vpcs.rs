//! `/vpc` and its subnets.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use spinneret_core::Core;
use spinneret_drivers::model::{SubnetInfo, SubnetReqInfo, VPCInfo, VPCReqInfo};

use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::resource_request::{Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vpc", get(list).post(create))
        .route("/vpc/{name}", get(fetch).delete(delete))
        .route("/vpc/{vpc}/subnet", post(add_subnet))
        .route(
            "/vpc/{vpc}/subnet/{name}",
            get(get_subnet).delete(remove_subnet),
        )
}

async fn create(
    State(core): State<Core>,
    request: ResourceRequest<VPCReqInfo>,
) -> ApiResult<Json<VPCInfo>> {
    Ok(Json(
        core.create_vpc(&request.connection, request.info).await?,
    ))
}

async fn list(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed("vpc", core.list_vpcs(&connection).await?))
}

async fn fetch(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VPCInfo>> {
    Ok(Json(core.get_vpc(&connection, &name).await?))
}

async fn delete(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    core.delete_vpc(&connection, &name, force).await?;
    Ok(deleted())
}

async fn add_subnet(
    State(core): State<Core>,
    Path(vpc): Path<String>,
    request: ResourceRequest<SubnetReqInfo>,
) -> ApiResult<Json<VPCInfo>> {
    Ok(Json(
        core.add_subnet(&request.connection, &vpc, request.info)
            .await?,
    ))
}

async fn get_subnet(
    State(core): State<Core>,
    Path((vpc, name)): Path<(String, String)>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SubnetInfo>> {
    Ok(Json(core.get_subnet(&connection, &vpc, &name).await?))
}

async fn remove_subnet(
    State(core): State<Core>,
    Path((vpc, name)): Path<(String, String)>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    core.remove_subnet(&connection, &vpc, &name, force).await?;
    Ok(deleted())
}
