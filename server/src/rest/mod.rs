//! The REST API under `/spider`, CB-Spider compatible (see `docs/rest-api.md`). Routes are
//! declared with their OpenAPI description (`utoipa::path`), so the served API and its
//! document (`openapi`) cannot drift apart.

mod answers;
mod auth;
mod body;

pub(crate) use body::BODY_LIMIT;
mod catalog;
mod connection_name;
pub mod error;
mod history;
mod inventory;
mod key_pairs;
pub mod openapi;
mod query_doc;
mod registry;
mod resource_request;
mod security_groups;
mod service;
mod vms;
mod vpcs;

use axum::Json;
use axum::extract::OriginalUri;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use spinneret_core::Error;
use utoipa_axum::router::OpenApiRouter;

use crate::AppState;
use answers::BooleanResult;
pub(crate) use answers::ErrorBody;
pub(crate) use auth::require_admin;
use error::ApiError;

/// Every `/spider` route with its description: the service routes open, the rest behind
/// HTTP Basic.
pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(registry::routes())
        .merge(catalog::routes())
        .merge(history::routes())
        .merge(vpcs::routes())
        .merge(security_groups::routes())
        .merge(key_pairs::routes())
        .merge(vms::routes())
        .merge(inventory::routes())
        .route_layer(from_fn_with_state(state.core.clone(), auth::require_admin))
        // Bodies are read whole: larger ones get 413 from `JsonBody`, as JSON.
        .layer(axum::extract::DefaultBodyLimit::max(BODY_LIMIT))
        .merge(service::public_routes())
        .fallback(unknown_route)
}

/// The unauthenticated service routes, also served at the root for load balancers.
pub fn public_routes() -> OpenApiRouter<AppState> {
    service::public_routes()
}

/// A query parameter's value, its name matched case-insensitively as CB-Spider does; blank
/// counts as absent.
fn query_param<'a>(
    params: &'a std::collections::HashMap<String, String>,
    name: &str,
) -> Option<&'a str> {
    params
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty())
}

/// The query of a request, or none when it does not parse.
fn query_of(uri: &axum::http::Uri) -> std::collections::HashMap<String, String> {
    axum::extract::Query::try_from_uri(uri)
        .map(|axum::extract::Query(params)| params)
        .unwrap_or_default()
}

/// CB-Spider's list wrapper, `{"<key>": [...]}`, typed by the list it holds.
fn listed<L: From<Vec<T>>, T>(items: Vec<T>) -> Json<L> {
    Json(items.into())
}

/// What a successful delete answers: `{"Result":"true"}`.
fn deleted() -> Json<BooleanResult> {
    Json(BooleanResult::TRUE)
}

async fn unknown_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError(Error::not_found(format!(
        "no such route: {method} {}",
        uri.path()
    )))
}
