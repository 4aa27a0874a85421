//! `/driver`, `/credential`, `/region` and `/connectionconfig`.

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use spinneret_core::Core;
use spinneret_drivers::model::{CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, RegionInfo};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{
    ApiErrors, BooleanResult, ConnectionConfigList, Count, CredentialList, DriverList, RegionList,
};
use super::body::JsonBody;
use super::error::{ApiError, ApiResult};
use super::service::provider_routes;
use super::{deleted, listed, query_doc, query_of, query_param};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(drivers::routes())
        .merge(credentials::routes())
        .merge(regions::routes())
        .merge(connections::routes())
        .routes(routes!(count_all_connections))
        .routes(routes!(count_connections))
        .merge(provider_routes())
}

/// The optional `?ProviderName=` filter of the registry's lists.
struct ProviderFilter(Option<String>);

impl<S: Send + Sync> FromRequestParts<S> for ProviderFilter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            query_param(&query_of(&parts.uri), "ProviderName").map(str::to_owned),
        ))
    }
}

impl IntoParams for ProviderFilter {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query_doc::optional::<String>(
            "ProviderName",
            "Only the records of this provider, e.g. AWS.",
        )]
    }
}

/// One registry record's four routes: register (an upsert by name), list, get and delete.
macro_rules! record_routes {
    ($module:ident, $tag:literal, $info:ty, $list:ty,
     paths($collection:literal, $one:literal),
     put: |$core_put:ident, $info_put:ident| $put:expr,
     list: |$core_list:ident, $provider:ident| $list_expr:expr,
     get: |$core_get:ident, $name_get:ident| $get:expr,
     delete: |$core_delete:ident, $name_delete:ident| $delete:expr $(,)?) => {
        mod $module {
            use super::*;

            pub fn routes() -> OpenApiRouter<AppState> {
                OpenApiRouter::new()
                    .routes(routes!(list, register))
                    .routes(routes!(get, delete))
            }

            /// Registers the record, or replaces the one of that name.
            #[utoipa::path(post, path = $collection, tag = $tag,
                operation_id = concat!("register_", stringify!($module)), request_body = $info,
                responses((status = 200, body = $info), ApiErrors))]
            async fn register(
                State($core_put): State<Core>,
                JsonBody($info_put): JsonBody<$info>,
            ) -> ApiResult<Json<$info>> {
                Ok(Json($put.await?))
            }

            #[utoipa::path(get, path = $collection, tag = $tag,
                operation_id = concat!("list_", stringify!($module)), params(ProviderFilter),
                responses((status = 200, body = $list), ApiErrors))]
            async fn list(
                State($core_list): State<Core>,
                ProviderFilter($provider): ProviderFilter,
            ) -> ApiResult<Json<$list>> {
                let $provider = $provider.as_deref();
                Ok(listed($list_expr.await?))
            }

            #[utoipa::path(get, path = $one, tag = $tag,
                operation_id = concat!("get_", stringify!($module)),
                params(("name" = String, Path)), responses((status = 200, body = $info), ApiErrors))]
            async fn get(
                State($core_get): State<Core>,
                Path($name_get): Path<String>,
            ) -> ApiResult<Json<$info>> {
                Ok(Json($get.await?))
            }

            /// Deletes the record; 409 while a connection config uses it.
            #[utoipa::path(delete, path = $one, tag = $tag,
                operation_id = concat!("delete_", stringify!($module)),
                params(("name" = String, Path)),
                responses((status = 200, body = BooleanResult), ApiErrors))]
            async fn delete(
                State($core_delete): State<Core>,
                Path($name_delete): Path<String>,
            ) -> ApiResult<Json<BooleanResult>> {
                $delete.await?;
                Ok(deleted())
            }
        }
    };
}

record_routes!(drivers, "Driver", CloudDriverInfo, DriverList,
    paths("/driver", "/driver/{name}"),
    put: |core, info| core.registry().put_driver(info),
    list: |core, provider| core.registry().list_drivers(provider),
    get: |core, name| core.registry().get_driver(&name),
    delete: |core, name| core.registry().delete_driver(&name),
);

record_routes!(credentials, "Credential", CredentialInfo, CredentialList,
    paths("/credential", "/credential/{name}"),
    put: |core, info| core.put_credential(info),
    list: |core, provider| core.registry().list_credentials(provider),
    get: |core, name| core.registry().get_credential(&name),
    delete: |core, name| core.registry().delete_credential(&name),
);

record_routes!(regions, "Region", RegionInfo, RegionList,
    paths("/region", "/region/{name}"),
    put: |core, info| core.put_region(info),
    list: |core, provider| core.registry().list_regions(provider),
    get: |core, name| core.registry().get_region(&name),
    delete: |core, name| core.registry().delete_region(&name),
);

record_routes!(connections, "ConnectionConfig", ConnectionConfigInfo, ConnectionConfigList,
    paths("/connectionconfig", "/connectionconfig/{name}"),
    put: |core, info| core.put_connection(info),
    list: |core, provider| core.registry().list_connections(provider),
    get: |core, name| core.registry().get_connection(&name),
    delete: |core, name| core.registry().delete_connection(&name),
);

/// How many connection configs there are.
#[utoipa::path(get, path = "/countconnectionconfig", tag = "ConnectionConfig",
    responses((status = 200, body = Count), ApiErrors))]
async fn count_all_connections(State(core): State<Core>) -> ApiResult<Json<Count>> {
    let count = core.registry().count_connections(None).await?;
    Ok(Json(Count { count }))
}

/// How many connection configs one provider has.
#[utoipa::path(get, path = "/countconnectionconfig/{provider}", tag = "ConnectionConfig",
    params(("provider" = String, Path)), responses((status = 200, body = Count), ApiErrors))]
async fn count_connections(
    State(core): State<Core>,
    Path(provider): Path<String>,
) -> ApiResult<Json<Count>> {
    let count = core.registry().count_connections(Some(&provider)).await?;
    Ok(Json(Count { count }))
}
