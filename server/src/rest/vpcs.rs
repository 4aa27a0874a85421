//! `/vpc` and its subnets.

use axum::Json;
use axum::extract::{Path, State};
use spinneret_core::Core;
use spinneret_drivers::model::{SubnetInfo, SubnetReqInfo, VPCInfo, VPCReqInfo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, BooleanResult, CloudErrors, VpcList};
use super::connection_name::{ConnectionName, NamedConnection};
use super::error::ApiResult;
use super::resource_request::{Envelope, Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vpcs, create_vpc))
        .routes(routes!(get_vpc, delete_vpc))
        .routes(routes!(add_subnet))
        .routes(routes!(get_subnet, remove_subnet))
}

/// Creates a VPC with its subnets.
#[utoipa::path(post, path = "/vpc", tag = "VPC", request_body = Envelope<VPCReqInfo>,
    responses((status = 200, body = VPCInfo), ApiErrors, CloudErrors))]
async fn create_vpc(
    State(core): State<Core>,
    request: ResourceRequest<VPCReqInfo>,
) -> ApiResult<Json<VPCInfo>> {
    Ok(Json(
        core.create_vpc(&request.connection, request.info).await?,
    ))
}

/// Lists the connection's VPCs.
#[utoipa::path(get, path = "/vpc", tag = "VPC", params(ConnectionName),
    responses((status = 200, body = VpcList), ApiErrors, CloudErrors))]
async fn list_vpcs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VpcList>> {
    Ok(listed(core.list_vpcs(&connection).await?))
}

#[utoipa::path(get, path = "/vpc/{name}", tag = "VPC", params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = VPCInfo), ApiErrors, CloudErrors))]
async fn get_vpc(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VPCInfo>> {
    Ok(Json(core.get_vpc(&connection, &name).await?))
}

/// Deletes a VPC; 409 while security groups or VMs use it, unless `force`.
#[utoipa::path(delete, path = "/vpc/{name}", tag = "VPC",
    params(("name" = String, Path), Force, ConnectionName), request_body = Option<NamedConnection>,
    responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
async fn delete_vpc(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<BooleanResult>> {
    core.delete_vpc(&connection, &name, force).await?;
    Ok(deleted())
}

/// Adds a subnet to a VPC and answers the whole VPC.
#[utoipa::path(post, path = "/vpc/{vpc}/subnet", tag = "VPC", params(("vpc" = String, Path)),
    request_body = Envelope<SubnetReqInfo>,
    responses((status = 200, body = VPCInfo), ApiErrors, CloudErrors))]
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

#[utoipa::path(get, path = "/vpc/{vpc}/subnet/{name}", tag = "VPC",
    params(("vpc" = String, Path), ("name" = String, Path), ConnectionName),
    responses((status = 200, body = SubnetInfo), ApiErrors, CloudErrors))]
async fn get_subnet(
    State(core): State<Core>,
    Path((vpc, name)): Path<(String, String)>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SubnetInfo>> {
    Ok(Json(core.get_subnet(&connection, &vpc, &name).await?))
}

/// Removes a subnet; 409 while VMs sit in it, unless `force`.
#[utoipa::path(delete, path = "/vpc/{vpc}/subnet/{name}", tag = "VPC",
    params(("vpc" = String, Path), ("name" = String, Path), Force, ConnectionName),
    request_body = Option<NamedConnection>,
    responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
async fn remove_subnet(
    State(core): State<Core>,
    Path((vpc, name)): Path<(String, String)>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<BooleanResult>> {
    core.remove_subnet(&connection, &vpc, &name, force).await?;
    Ok(deleted())
}
