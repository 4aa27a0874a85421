//! The shapes of resource requests: `{"ConnectionName", "ReqInfo": {...}}` bodies, and the
//! `?force=true` of deletes.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use spinneret_core::Error;
use utoipa::openapi::path::{Parameter, ParameterIn};
use utoipa::{IntoParams, ToSchema};

use super::body::JsonBody;
use super::error::ApiError;
use super::{query_doc, query_of, query_param};

/// A create's body: the connection and the `ReqInfo` object.
pub struct ResourceRequest<T> {
    pub connection: String,
    pub info: T,
}

/// The JSON body of a create; keys match in any case.
#[derive(Deserialize, ToSchema)]
pub struct Envelope<T> {
    /// The connection config to create in.
    #[serde(rename = "ConnectionName", default)]
    #[schema(required = true)]
    connection_name: String,
    #[serde(rename = "ReqInfo")]
    #[schema(required = true, nullable = false)]
    req_info: Option<T>,
}

impl<S, T> FromRequest<S> for ResourceRequest<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(envelope) = JsonBody::<Envelope<T>>::from_request(request, state).await?;
        let connection = envelope.connection_name.trim();
        if connection.is_empty() {
            return Err(ApiError(Error::invalid(
                "ConnectionName is required in the JSON body",
            )));
        }
        let info = envelope
            .req_info
            .ok_or_else(|| ApiError(Error::invalid("ReqInfo is required in the JSON body")))?;
        Ok(Self {
            connection: connection.to_owned(),
            info,
        })
    }
}

/// `?force=true`: delete even what other resources use, and forget what the cloud refuses.
pub struct Force(pub bool);

impl<S: Send + Sync> FromRequestParts<S> for Force {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        match query_param(&query_of(&parts.uri), "force") {
            None => Ok(Self(false)),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Self(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Self(false)),
            Some(value) => Err(ApiError(Error::invalid(format!(
                "force '{value}' must be true or false"
            )))),
        }
    }
}

impl IntoParams for Force {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![query_doc::optional::<bool>(
            "force",
            "Delete even what other resources use, and forget what the cloud refuses to delete.",
        )]
    }
}
