//! `/calllog` and `/calllog/stats`: the CSP API call history.

use std::collections::HashMap;

use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use spinneret_core::history::CallFilter;
use spinneret_core::{Core, Error};

use super::error::ApiResult;
use super::{listed, query_param};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/calllog", get(list))
        .route("/calllog/stats", get(stats))
}

/// Reads the filters from the query, names matched case-insensitively.
fn filter(params: &HashMap<String, String>) -> Result<CallFilter, Error> {
    let param = |name: &str| query_param(params, name).map(str::to_owned);
    let errors_only = match param("ErrorOnly").as_deref() {
        None => false,
        Some(value) => value
            .parse()
            .map_err(|_| Error::invalid(format!("ErrorOnly: '{value}' is not true or false")))?,
    };
    let limit = param("Limit")
        .map(|value| {
            value
                .parse()
                .map_err(|_| Error::invalid(format!("Limit: '{value}' is not a whole number")))
        })
        .transpose()?;
    Ok(CallFilter {
        connection_name: param("ConnectionName"),
        resource_type: param("ResourceType"),
        resource_name: param("ResourceName"),
        api: param("CloudOSAPI"),
        errors_only,
        since: param("Since"),
        until: param("Until"),
        limit,
    })
}

async fn list(
    State(core): State<Core>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    Ok(listed(
        "calllog",
        core.history().list(&filter(&params)?).await?,
    ))
}

async fn stats(
    State(core): State<Core>,
    Query(params): Query<HashMap<String, String>>,
) -> ApiResult<Json<Value>> {
    Ok(listed(
        "stats",
        core.history().stats(&filter(&params)?).await?,
    ))
}
