//! Existing cloud resources: `/reg*`, `/all*`, `/csp*` and `/count*` for VPCs, security
//! groups, key pairs and VMs.

use axum::Json;
use axum::extract::{Path, State};
use spinneret_core::Core;
use spinneret_drivers::model::{
    KeyPairInfo, RegisterReqInfo, ResourceKind, SecurityInfo, VMInfo, VPCInfo,
};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{AllListAnswer, ApiErrors, BooleanResult, CloudErrors, Count};
use super::connection_name::{ConnectionName, NamedConnection};
use super::deleted;
use super::error::ApiResult;
use super::resource_request::{Envelope, ResourceRequest};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(vpc::routes())
        .merge(securitygroup::routes())
        .merge(keypair::routes())
        .merge(vm::routes())
}

/// One kind's six routes. The paths are spelled out because an OpenAPI path must be a literal.
macro_rules! existing_resources {
    ($module:ident, $kind:expr, $info:ty, $register:ident, $tag:literal,
     reg: $reg:literal, unreg: $unreg:literal, all: $all:literal, csp: $csp:literal,
     count: $count:literal, count_in: $count_in:literal $(,)?) => {
        mod $module {
            use super::*;

            const KIND: ResourceKind = $kind;

            pub fn routes() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(register))
                    .routes(routes!(unregister))
                    .routes(routes!(all))
                    .routes(routes!(delete_at_cloud))
                    .routes(routes!(count))
                    .routes(routes!(count_in))
            }

            /// Adopts a resource that exists at the cloud under a name.
            #[utoipa::path(post, path = $reg, tag = $tag,
                        operation_id = concat!("register_", stringify!($module)),
                        request_body = Envelope<RegisterReqInfo>,
                        responses((status = 200, body = $info), ApiErrors, CloudErrors))]
            async fn register(
                State(core): State<Core>,
                request: ResourceRequest<RegisterReqInfo>,
            ) -> ApiResult<Json<$info>> {
                Ok(Json(
                    core.$register(&request.connection, request.info).await?,
                ))
            }

            /// Forgets the name; the cloud keeps the resource.
            #[utoipa::path(delete, path = $unreg, tag = $tag,
                        operation_id = concat!("unregister_", stringify!($module)),
                        params(("name" = String, Path), ConnectionName),
                        request_body = Option<NamedConnection>,
                        responses((status = 200, body = BooleanResult), ApiErrors))]
            async fn unregister(
                State(core): State<Core>,
                Path(name): Path<String>,
                ConnectionName(connection): ConnectionName,
            ) -> ApiResult<Json<BooleanResult>> {
                core.unregister(&connection, KIND, &name).await?;
                Ok(deleted())
            }

            /// Which resources Spinneret and the cloud each know.
            #[utoipa::path(get, path = $all, tag = $tag,
                        operation_id = concat!("all_", stringify!($module)), params(ConnectionName),
                        responses((status = 200, body = AllListAnswer), ApiErrors, CloudErrors))]
            async fn all(
                State(core): State<Core>,
                ConnectionName(connection): ConnectionName,
            ) -> ApiResult<Json<AllListAnswer>> {
                let all_list = core.all_resources(&connection, KIND).await?;
                Ok(Json(AllListAnswer { all_list }))
            }

            /// Deletes a resource at the cloud by the cloud's own id.
            #[utoipa::path(delete, path = $csp, tag = $tag,
                        operation_id = concat!("delete_csp_", stringify!($module)),
                        params(("id" = String, Path), ConnectionName),
                        request_body = Option<NamedConnection>,
                        responses((status = 200, body = BooleanResult), ApiErrors, CloudErrors))]
            async fn delete_at_cloud(
                State(core): State<Core>,
                Path(id): Path<String>,
                ConnectionName(connection): ConnectionName,
            ) -> ApiResult<Json<BooleanResult>> {
                core.delete_at_cloud(&connection, KIND, &id).await?;
                Ok(deleted())
            }

            /// How many of this kind Spinneret knows, over every connection.
            #[utoipa::path(get, path = $count, tag = $tag,
                        operation_id = concat!("count_", stringify!($module)),
                        responses((status = 200, body = Count), ApiErrors))]
            async fn count(State(core): State<Core>) -> ApiResult<Json<Count>> {
                let count = core.count_resources(KIND, None).await?;
                Ok(Json(Count { count }))
            }

            /// How many of this kind Spinneret knows in one connection.
            #[utoipa::path(get, path = $count_in, tag = $tag,
                        operation_id = concat!("count_", stringify!($module), "_in_connection"),
                        params(("connection" = String, Path)),
                        responses((status = 200, body = Count), ApiErrors))]
            async fn count_in(
                State(core): State<Core>,
                Path(connection): Path<String>,
            ) -> ApiResult<Json<Count>> {
                let count = core.count_resources(KIND, Some(&connection)).await?;
                Ok(Json(Count { count }))
            }
        }
    };
}

existing_resources!(vpc, ResourceKind::Vpc, VPCInfo, register_vpc, "VPC",
    reg: "/regvpc", unreg: "/regvpc/{name}", all: "/allvpc", csp: "/cspvpc/{id}",
    count: "/countvpc", count_in: "/countvpc/{connection}");

existing_resources!(securitygroup, ResourceKind::SecurityGroup, SecurityInfo,
    register_security_group, "SecurityGroup",
    reg: "/regsecuritygroup", unreg: "/regsecuritygroup/{name}", all: "/allsecuritygroup",
    csp: "/cspsecuritygroup/{id}", count: "/countsecuritygroup",
    count_in: "/countsecuritygroup/{connection}");

existing_resources!(keypair, ResourceKind::KeyPair, KeyPairInfo, register_key_pair, "KeyPair",
    reg: "/regkeypair", unreg: "/regkeypair/{name}", all: "/allkeypair",
    csp: "/cspkeypair/{id}", count: "/countkeypair", count_in: "/countkeypair/{connection}");

existing_resources!(vm, ResourceKind::Vm, VMInfo, register_vm, "VM",
    reg: "/regvm", unreg: "/regvm/{name}", all: "/allvm", csp: "/cspvm/{id}",
    count: "/countvm", count_in: "/countvm/{connection}");
