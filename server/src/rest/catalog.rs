//! `/vmimage`, `/vmspec`, `/vmorgspec` and `/driver/capability`: what a connection's cloud offers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use spinneret_core::{Core, Error};
use spinneret_drivers::contract::Capabilities;
use spinneret_drivers::model::{ImageInfo, VMSpecInfo};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::answers::{ApiErrors, CloudErrors, ImageList, OrgSpecList, SpecList};
use super::connection_name::ConnectionName;
use super::error::ApiResult;
use super::listed;
use crate::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_images))
        .routes(routes!(get_image))
        .routes(routes!(list_specs))
        .routes(routes!(get_spec))
        .routes(routes!(list_org_specs))
        .routes(routes!(get_org_spec))
        .routes(routes!(capability))
}

/// The connection's public images.
#[utoipa::path(get, path = "/vmimage", tag = "Catalog", params(ConnectionName),
    responses((status = 200, body = ImageList), ApiErrors, CloudErrors))]
async fn list_images(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<ImageList>> {
    Ok(listed(core.list_images(&connection).await?))
}

/// One image, by its name or the cloud's id.
#[utoipa::path(get, path = "/vmimage/{name}", tag = "Catalog",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = ImageInfo), ApiErrors, CloudErrors))]
async fn get_image(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<ImageInfo>> {
    Ok(Json(core.get_image(&connection, &name).await?))
}

/// The VM specs (instance types) of the connection's region.
#[utoipa::path(get, path = "/vmspec", tag = "Catalog", params(ConnectionName),
    responses((status = 200, body = SpecList), ApiErrors, CloudErrors))]
async fn list_specs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<SpecList>> {
    Ok(listed(core.list_specs(&connection).await?))
}

#[utoipa::path(get, path = "/vmspec/{name}", tag = "Catalog",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = VMSpecInfo), ApiErrors, CloudErrors))]
async fn get_spec(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<VMSpecInfo>> {
    Ok(Json(core.get_spec(&connection, &name).await?))
}

/// Every spec as the cloud itself describes it, wrapped as `{"vmspec": [...]}`.
#[utoipa::path(get, path = "/vmorgspec", tag = "Catalog", params(ConnectionName),
    responses((status = 200, body = OrgSpecList), ApiErrors, CloudErrors))]
async fn list_org_specs(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<OrgSpecList>> {
    let text = core.list_org_specs(&connection).await?;
    let specs: Vec<Value> = serde_json::from_str(&text)
        .map_err(|err| Error::internal("reading the cloud's spec list", err))?;
    Ok(listed(specs))
}

/// One spec as the cloud itself describes it, passed through as it came.
#[utoipa::path(get, path = "/vmorgspec/{name}", tag = "Catalog",
    params(("name" = String, Path), ConnectionName),
    responses((status = 200, body = Object, description = "The cloud's own JSON object"),
        ApiErrors, CloudErrors))]
async fn get_org_spec(
    State(core): State<Core>,
    Path(name): Path<String>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Response> {
    let text = core.get_org_spec(&connection, &name).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], text).into_response())
}

/// Which handlers the connection's driver implements.
#[utoipa::path(get, path = "/driver/capability", tag = "Catalog", params(ConnectionName),
    responses((status = 200, body = Capabilities), ApiErrors))]
async fn capability(
    State(core): State<Core>,
    ConnectionName(connection): ConnectionName,
) -> ApiResult<Json<Capabilities>> {
    Ok(Json(core.capabilities(&connection).await?))
}
