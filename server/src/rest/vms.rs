//! `/vm`, `/vmstatus` and `/controlvm`.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use spinneret_core::{Core, Error, VmAction};
use spinneret_drivers::model::{VMInfo, VMReqInfo, VMStatus};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, CloudErrors, StatusAnswer, VmList, VmStatusEntry, VmStatusList};
use super::connection_name::{ConnectionName, NamedConnection};
use super::error::{ApiError, ApiResult};
use super::resource_request::{Envelope, Force, ResourceRequest};
use super::{listed, query_doc, query_of, query_param};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_vms, start_vm))
        .routes(routes!(get_vm, terminate_vm))
        .routes(routes!(list_vm_status))
        .routes(routes!(vm_status))
        .routes(routes!(control_vm, control_vm_put))
}

fn status(status: VMStatus) -> Json<StatusAnswer> {
    Json(StatusAnswer { status })
}

/// Starts a VM. Answers once it is Running, or with the error once it has Failed.
#[utoipa::path(post, path = "/vm", tag = "VM", request_body = Envelope<VMReqInfo>,
    responses((status = 200, body = VMInfo), ApiErrors, CloudErrors))]
async fn start_vm(
    State(core): State<Core>,
    request: ResourceRequest<VMReqInfo>,
) -> ApiResult<Json<VMInfo>> {
    Ok(Json(
        core.start_vm(&request.connection, request.info).await?,
    ))
}

#[utoipa::path(get, path = "/vm", tag = "VM", params(ConnectionName),
    responses((status = 200, body = VmList), ApiErrors, CloudErrors))]
async fn list_vms(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VmList>> {
    Ok(listed(core.list_vms(&connection).await?))
}

#[utoipa::path(get, path = "/vm/{name}", tag = "VM", params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = VMInfo), ApiErrors, CloudErrors))]
async fn get_vm(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VMInfo>> {
    Ok(Json(core.get_vm(&connection, &name).await?))
}

/// Terminates a VM. Answers once the cloud has accepted the terminate.
#[utoipa::path(delete, path = "/vm/{name}", tag = "VM",
    params(("name" = String, Path), Force, ConnectionName), request_body = Option<NamedConnection>,
    responses((status = 200, body = StatusAnswer), ApiErrors, CloudErrors))]
async fn terminate_vm(
    State(core): State<Core>,
    Path(name): Path<String>,
    Force(force): Force,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<StatusAnswer>> {
    Ok(status(core.terminate_vm(&connection, &name, force).await?))
}

/// Every VM's status, read live from the cloud.
#[utoipa::path(get, path = "/vmstatus", tag = "VM", params(ConnectionName),
    responses((status = 200, body = VmStatusList), ApiErrors, CloudErrors))]
async fn list_vm_status(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VmStatusList>> {
    let statuses: Vec<VmStatusEntry> = core
        .list_vm_status(&connection)
        .await?
        .into_iter()
        .map(|(iid, vm_status)| VmStatusEntry { iid, vm_status })
        .collect();
    Ok(listed(statuses))
}

#[utoipa::path(get, path = "/vmstatus/{name}", tag = "VM",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = StatusAnswer), ApiErrors, CloudErrors))]
async fn vm_status(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<StatusAnswer>> {
    Ok(status(core.vm_status(&connection, &name).await?))
}

/// `?action=suspend|resume|reboot`, in any case.
struct Action(VmAction);

impl<S: Send + Sync> FromRequestParts<S> for Action {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let params = query_of(&parts.uri);
        let action = query_param(&params, "action")
            .ok_or_else(|| Error::invalid("action is required: ?action=suspend, resume or reboot"))?
            .parse()?;
        Ok(Self(action))
    }
}

impl IntoParams for Action {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query_doc::one_of(
            "action",
            "The lifecycle action (any case).",
            &["suspend", "resume", "reboot"],
        )]
    }
}

/// Suspends, resumes or reboots a VM; answers the transitional status it moved to.
#[utoipa::path(get, path = "/controlvm/{name}", tag = "VM",
    params(("name" = String, Path), Action, ConnectionName),
    responses((status = 200, body = StatusAnswer), ApiErrors, CloudErrors))]
async fn control_vm(
    State(core): State<Core>,
    Path(name): Path<String>,
    Action(action): Action,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<StatusAnswer>> {
    Ok(status(core.control_vm(&connection, &name, action).await?))
}

/// The same as the GET, for clients that change state only with PUT.
#[utoipa::path(put, path = "/controlvm/{name}", tag = "VM",
    params(("name" = String, Path), Action, ConnectionName), request_body = Option<NamedConnection>,
    responses((status = 200, body = StatusAnswer), ApiErrors, CloudErrors))]
async fn control_vm_put(
    core: State<Core>,
    name: Path<String>,
    action: Action,
    connection: ConnectionName,
) -> ApiResult<Json<StatusAnswer>> {
    control_vm(core, name, action, connection).await
}
