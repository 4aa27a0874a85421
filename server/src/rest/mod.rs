//! The REST API under `/spider`, CB-Spider compatible (see `docs/rest-api.md`).

mod auth;
mod body;

pub(crate) use body::BODY_LIMIT;
mod catalog;
mod connection_name;
pub mod error;
mod history;
mod inventory;
mod key_pairs;
mod registry;
mod resource_request;
mod security_groups;
mod service;
mod vms;
mod vpcs;

use axum::Router;
use axum::extract::OriginalUri;
use axum::http::Method;
use axum::middleware::from_fn_with_state;
use spinneret_core::Error;

use crate::AppState;
use error::ApiError;

/// Every `/spider` route: the service routes open, the rest behind HTTP Basic.
pub fn router(state: &AppState) -> Router<AppState> {
    Router::new()
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
pub fn public_routes() -> Router<AppState> {
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

/// CB-Spider's list wrapper: `{"<key>": [...]}`.
fn listed<T: serde::Serialize>(key: &str, items: Vec<T>) -> axum::Json<serde_json::Value> {
    let mut wrapper = serde_json::Map::new();
    wrapper.insert(key.to_owned(), serde_json::json!(items));
    axum::Json(serde_json::Value::Object(wrapper))
}

/// What a successful delete answers: `{"Result":"true"}`, the value a string.
fn deleted() -> axum::Json<serde_json::Value> {
    axum::Json(serde_json::json!({ "Result": "true" }))
}

async fn unknown_route(method: Method, OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError(Error::not_found(format!(
        "no such route: {method} {}",
        uri.path()
    )))
}
