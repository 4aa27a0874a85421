//! `/calllog` and `/calllog/stats`: the CSP API call history.

use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use spinneret_core::history::CallFilter;
use spinneret_core::{Core, Error};
use utoipa::IntoParams;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, CallLogList, CallStatsList};
use super::error::{ApiError, ApiResult};
use super::query_doc::{self, optional};
use super::{listed, query_of, query_param};
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_calls))
        .routes(routes!(call_stats))
}

/// The call-history filters of the query, names matched case-insensitively.
struct Filter(CallFilter);

impl<S: Send + Sync> FromRequestParts<S> for Filter {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let params = query_of(&parts.uri);
        let param = |name: &str| query_param(&params, name).map(str::to_owned);
        let errors_only = match param("ErrorOnly").as_deref() {
            None => false,
            Some(value) => value.parse().map_err(|_| {
                Error::invalid(format!("ErrorOnly: '{value}' is not true or false"))
            })?,
        };
        let limit = param("Limit")
            .map(|value| {
                value
                    .parse()
                    .map_err(|_| Error::invalid(format!("Limit: '{value}' is not a whole number")))
            })
            .transpose()?;
        Ok(Self(CallFilter {
            connection_name: param("ConnectionName"),
            resource_type: param("ResourceType"),
            resource_name: param("ResourceName"),
            api: param("CloudOSAPI"),
            errors_only,
            since: param("Since"),
            until: param("Until"),
            limit,
        }))
    }
}

impl IntoParams for Filter {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![
            query_doc::connection_name("Only calls made through this connection."),
            optional::<String>("ResourceType", "Only calls about this kind, e.g. VM."),
            optional::<String>("ResourceName", "Only calls about this resource."),
            optional::<String>("CloudOSAPI", "Only calls of this API, e.g. RunInstances."),
            optional::<bool>("ErrorOnly", "Only failed calls."),
            optional::<String>("Since", "Only calls at or after this RFC 3339 time."),
            optional::<String>("Until", "Only calls before this RFC 3339 time."),
            optional::<u64>("Limit", "At most this many calls (default 100)."),
        ]
    }
}

/// The calls made to the clouds' APIs, newest first.
#[utoipa::path(get, path = "/calllog", tag = "CallLog", params(Filter),
    responses((status = 200, body = CallLogList), ApiErrors))]
async fn list_calls(
    State(core): State<Core>,
    Filter(filter): Filter,
) -> ApiResult<Json<CallLogList>> {
    Ok(listed(core.history().list(&filter).await?))
}

/// Calls, errors and p50/p99 latency per cloud API.
#[utoipa::path(get, path = "/calllog/stats", tag = "CallLog", params(Filter),
    responses((status = 200, body = CallStatsList), ApiErrors))]
async fn call_stats(
    State(core): State<Core>,
    Filter(filter): Filter,
) -> ApiResult<Json<CallStatsList>> {
    Ok(listed(core.history().stats(&filter).await?))
}
