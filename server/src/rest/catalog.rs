//! `/vmimage`, `/vmspec`, `/vmorgspec` and `/driver/capability`: what a connection's cloud offers.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::Value;
use spinneret_core::Core;
use spinneret_drivers::contract::Capabilities;
use spinneret_drivers::model::{ImageInfo, VMSpecInfo};

use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::listed;
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vmimage", get(list_images))
        .route("/vmimage/{name}", get(get_image))
        .route("/vmspec", get(list_specs))
        .route("/vmspec/{name}", get(get_spec))
        .route("/vmorgspec", get(list_org_specs))
        .route("/vmorgspec/{name}", get(get_org_spec))
        .route("/driver/capability", get(capability))
}

async fn list_images(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed("image", core.list_images(&connection).await?))
}

async fn get_image(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<ImageInfo>> {
    Ok(Json(core.get_image(&connection, &name).await?))
}

async fn list_specs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Value>> {
    Ok(listed("vmspec", core.list_specs(&connection).await?))
}

async fn get_spec(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VMSpecInfo>> {
    Ok(Json(core.get_spec(&connection, &name).await?))
}

/// The cloud's own JSON, passed through as it came.
fn raw_json(text: String) -> ApiResult<Response> {
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

async fn list_org_specs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Response> {
    raw_json(core.list_org_specs(&connection).await?)
}

async fn get_org_spec(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Response> {
    raw_json(core.get_org_spec(&connection, &name).await?)
}

async fn capability(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Capabilities>> {
    Ok(Json(core.capabilities(&connection).await?))
}
