//! `/securitygroup` and its rules.

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::Value;
use spinneret_core::Core;
use spinneret_drivers::model::{RuleReqInfo, SecurityInfo, SecurityReqInfo};

use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::resource_request::{Force, ResourceRequest};
use super::{deleted, listed};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/securitygroup", get(list).post(create))
        .route("/securitygroup/{name}", get(fetch).delete(delete))
        .route(
            "/securitygroup/{name}/rules",
            post(add_rules).delete(remove_rules),
        )
}

async fn create(
    State(core): State<Core>,
    request: ResourceRequest<SecurityReqInfo>,
) -> ApiResult<Json<SecurityInfo>> {
    Ok(Json(
        core.create_security_group(&request.connection, request.info)
            .await?,
    ))
}

async fn list(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed(
        "securitygroup",
        core.list_security_groups(&connection).await?,
    ))
}

async fn fetch(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SecurityInfo>> {
    Ok(Json(core.get_security_group(&connection, &name).await?))
}

async fn delete(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    core.delete_security_group(&connection, &name, force)
        .await?;
    Ok(deleted())
}

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

async fn remove_rules(
    State(core): State<Core>,
    Path(name): Path<String>,
    request: ResourceRequest<RuleReqInfo>,
) -> ApiResult<Json<Value>> {
    core.remove_rules(&request.connection, &name, &request.info.rule_info_list)
        .await?;
    Ok(deleted())
}
