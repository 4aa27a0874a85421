//! The `ConnectionName` of a resource request: from the JSON body, or, when the body has none,
//! from the `?ConnectionName=` query parameter (CB-Spider's GETs send either).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde::Deserialize;
use spinneret_core::Error;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use super::error::ApiError;
use super::{body, query_doc, query_of, query_param};

pub struct ConnectionName(pub String);

/// The part of a resource request's body this extractor reads; other keys are ignored.
#[derive(Deserialize, ToSchema)]
pub struct NamedConnection {
    /// The connection config to act through; wins over `?ConnectionName=`.
    #[serde(rename = "ConnectionName", default)]
    connection_name: Option<String>,
}

impl IntoParams for ConnectionName {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query_doc::connection_name(
            "The connection config to act through. Required here unless the JSON body names it.",
        )]
    }
}

impl<S: Send + Sync> FromRequest<S> for ConnectionName {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let params = query_of(request.uri());
        let bytes = Bytes::from_request(request, state)
            .await
            .map_err(|err| Error::invalid(format!("request body: {}", err.body_text())))?;
        let from_body = if bytes.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            body::parse::<NamedConnection>(&bytes)?.connection_name
        };
        from_body
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .or_else(|| query_param(&params, "ConnectionName"))
            .map(|name| Self(name.to_owned()))
            .ok_or_else(|| {
                ApiError(Error::invalid(
                    "ConnectionName is required, in the JSON body or as ?ConnectionName=",
                ))
            })
    }
}
