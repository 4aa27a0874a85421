//! `/vm`, `/vmstatus` and `/controlvm`.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use spinneret_core::{Core, Error, VmAction};
use spinneret_drivers::model::{VMInfo, VMReqInfo};

use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::listed;
use super::query_param;
use super::resource_request::{Force, ResourceRequest};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vm", get(list).post(start))
        .route("/vm/{name}", get(fetch).delete(terminate))
        .route("/vmstatus", get(list_status))
        .route("/vmstatus/{name}", get(status))
        .route("/controlvm/{name}", get(control).put(control))
}

/// Answers once the VM is Running, or with the error once it has Failed.
async fn start(
    State(core): State<Core>,
    request: ResourceRequest<VMReqInfo>,
) -> ApiResult<Json<VMInfo>> {
    Ok(Json(
        core.start_vm(&request.connection, request.info).await?,
    ))
}

async fn list(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed("vm", core.list_vms(&connection).await?))
}

async fn fetch(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VMInfo>> {
    Ok(Json(core.get_vm(&connection, &name).await?))
}

/// Answers once the cloud has accepted the terminate.
async fn terminate(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    let status = core.terminate_vm(&connection, &name, force).await?;
    Ok(Json(json!({ "Status": status })))
}

async fn list_status(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    let statuses: Vec<Value> = core
        .list_vm_status(&connection)
        .await?
        .into_iter()
        .map(|(iid, status)| json!({ "IId": iid, "VmStatus": status }))
        .collect();
    Ok(listed("vmstatus", statuses))
}

async fn status(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    let status = core.vm_status(&connection, &name).await?;
    Ok(Json(json!({ "Status": status })))
}

/// `?action=suspend|resume|reboot`, in any case.
async fn control(
    State(core): State<Core>,
    Path(name): Path<String>,
    Query(params): Query<HashMap<String, String>>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    let action: VmAction = query_param(&params, "action")
        .ok_or_else(|| Error::invalid("action is required: ?action=suspend, resume or reboot"))?
        .parse()?;
    let status = core.control_vm(&connection, &name, action).await?;
    Ok(Json(json!({ "Status": status })))
}
