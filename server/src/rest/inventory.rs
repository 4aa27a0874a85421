//! Existing cloud resources: `/reg*`, `/all*`, `/csp*` and `/count*` for VPCs, security
//! groups, key pairs and VMs.

use axum::extract::{Path, State};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};
use spinneret_core::Core;
use spinneret_drivers::model::{RegisterReqInfo, ResourceKind};

use super::connection_name::ConnectionName;
use super::deleted;
use super::error::ApiResult;
use super::resource_request::ResourceRequest;
use crate::AppState;

/// Each kind with the word its routes use, e.g. `/regsecuritygroup`.
const KINDS: [(ResourceKind, &str); 4] = [
    (ResourceKind::Vpc, "vpc"),
    (ResourceKind::SecurityGroup, "securitygroup"),
    (ResourceKind::KeyPair, "keypair"),
    (ResourceKind::Vm, "vm"),
];

pub fn routes() -> Router<AppState> {
    KINDS
        .into_iter()
        .fold(Router::new(), |router, (kind, word)| {
            router
                .route(
                    &format!("/reg{word}"),
                    post(move |core, request| register(core, request, kind)),
                )
                .route(
                    &format!("/reg{word}/{{name}}"),
                    delete(move |core, name, connection| unregister(core, name, connection, kind)),
                )
                .route(
                    &format!("/all{word}"),
                    get(move |core, connection| all(core, connection, kind)),
                )
                .route(
                    &format!("/csp{word}/{{id}}"),
                    delete(move |core, id, connection| delete_at_cloud(core, id, connection, kind)),
                )
                .route(
                    &format!("/count{word}"),
                    get(move |core| count(core, None, kind)),
                )
                .route(
                    &format!("/count{word}/{{connection}}"),
                    get(move |core, Path(connection): Path<String>| {
                        count(core, Some(connection), kind)
                    }),
                )
        })
}

async fn register(
    State(core): State<Core>,
    request: ResourceRequest<RegisterReqInfo>,
    kind: ResourceKind,
) -> ApiResult<Json<Value>> {
    let connection = &request.connection;
    let info = request.info;
    let registered = match kind {
        ResourceKind::Vpc => json!(core.register_vpc(connection, info).await?),
        ResourceKind::SecurityGroup => json!(core.register_security_group(connection, info).await?),
        ResourceKind::KeyPair => json!(core.register_key_pair(connection, info).await?),
        ResourceKind::Vm | ResourceKind::Subnet => json!(core.register_vm(connection, info).await?),
    };
    Ok(Json(registered))
}

async fn unregister(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
    kind: ResourceKind,
) -> ApiResult<Json<Value>> {
    core.unregister(&connection, kind, &name).await?;
    Ok(deleted())
}

async fn all(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
    kind: ResourceKind,
) -> ApiResult<Json<Value>> {
    let all = core.all_resources(&connection, kind).await?;
    Ok(Json(json!({ "AllList": all })))
}

async fn delete_at_cloud(
    State(core): State<Core>,
    Path(id): Path<String>,
    ConnectionName(connection): ConnectionName,
    kind: ResourceKind,
) -> ApiResult<Json<Value>> {
    core.delete_at_cloud(&connection, kind, &id).await?;
    Ok(deleted())
}

async fn count(
    State(core): State<Core>,
    connection: Option<String>,
    kind: ResourceKind,
) -> ApiResult<Json<Value>> {
    let count = core.count_resources(kind, connection.as_deref()).await?;
    Ok(Json(json!({ "count": count })))
}
