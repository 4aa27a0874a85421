//! `/securitygroup` and its rules.

use axum::Json;
use axum::extract::{Path, State};
use spinneret_core::Core;
use spinneret_drivers::model::{RuleReqInfo, SecurityInfo, SecurityReqInfo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, BooleanResult, CloudErrors, SecurityGroupList};
use super::connection_name::{ConnectionName, NamedConnection};
use super::error::ApiResult;
use super::resource_request::{Envelope, Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_security_groups, create_security_group))
        .routes(routes!(get_security_group, delete_security_group))
        .routes(routes!(add_rules, remove_rules))
}

/// Creates a security group in a VPC holding exactly the rules asked for.
#[utoipa::path(post, path = "/securitygroup", tag = "SecurityGroup",
    request_body = Envelope<SecurityReqInfo>,
    responses((status = 200, body = SecurityInfo), ApiErrors, CloudErrors))]
async fn create_security_group(
    State(core): State<Core>,
    request: ResourceRequest<SecurityReqInfo>,
) -> ApiResult<Json<SecurityInfo>> {
    Ok(Json(
        core.create_security_group(&request.connection, request.info)
            .await?,
    ))
}

#[utoipa::path(get, path = "/securitygroup", tag = "SecurityGroup", params(ConnectionName),
    responses((status = 200, body = SecurityGroupList), ApiErrors, CloudErrors))]
async fn list_security_groups(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SecurityGroupList>> {
    Ok(listed(core.list_security_groups(&connection).await?))
}

#[utoipa::path(get, path = "/securitygroup/{name}", tag = "SecurityGroup",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = SecurityInfo), ApiErrors, CloudErrors))]
async fn get_security_group(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SecurityInfo>> {
    Ok(Json(core.get_security_group(&connection, &name).await?))
}

/// Deletes a security group; 409 while VMs use it, unless `force`.
#[utoipa::path(delete, path = "/securitygroup/{name}", tag = "SecurityGroup",
    params(("name" = String, Path), Force, ConnectionName), request_body = Option<NamedConnection>,
    responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
async fn delete_security_group(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<BooleanResult>> {
    core.delete_security_group(&connection, &name, force)
        .await?;
    Ok(deleted())
}

/// Adds rules to a security group and answers the group.
#[utoipa::path(post, path = "/securitygroup/{name}/rules", tag = "SecurityGroup",
    params(("name" = String, Path)), request_body = Envelope<RuleReqInfo>,
    responses((status = 200, body = SecurityInfo), ApiErrors, CloudErrors))]
async fn add_rules(
    State(core): State<Core>,
    Path(name): Path<String>,
    request: ResourceRequest<RuleReqInfo>,
) -> ApiResult<Json<SecurityInfo>> {
    Ok(Json(
        core.add_rules(&request.connection, &name, &request.info.rule_info_list)
            .await?,
    ))
}

/// Removes rules from a security group.
#[utoipa::path(delete, path = "/securitygroup/{name}/rules", tag = "SecurityGroup",
    params(("name" = String, Path)), request_body = Envelope<RuleReqInfo>,
    responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
async fn remove_rules(
    State(core): State<Core>,
    Path(name): Path<String>,
    request: ResourceRequest<RuleReqInfo>,
) -> ApiResult<Json<BooleanResult>> {
    core.remove_rules(&request.connection, &name, &request.info.rule_info_list)
        .await?;
    Ok(deleted())
}
