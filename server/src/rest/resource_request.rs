//! The shapes of resource requests: `{"ConnectionName", "ReqInfo": {...}}` bodies, and the
//! `?force=true` of deletes.

use std::collections::HashMap;

use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use spinneret_core::Error;

use super::body::JsonBody;
use super::error::ApiError;
use super::query_param;

/// A create's body: the connection and the `ReqInfo` object.
pub struct ResourceRequest<T> {
    pub connection: String,
    pub info: T,
}

#[derive(Deserialize)]
struct Envelope<T> {
    #[serde(rename = "ConnectionName", default)]
    connection_name: String,
    #[serde(rename = "ReqInfo")]
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
        let params = Query::<HashMap<String, String>>::try_from_uri(&parts.uri)
            .map(|Query(params)| params)
            .unwrap_or_default();
        match query_param(&params, "force") {
            None => Ok(Self(false)),
            Some(value) if value.eq_ignore_ascii_case("true") => Ok(Self(true)),
            Some(value) if value.eq_ignore_ascii_case("false") => Ok(Self(false)),
            Some(value) => Err(ApiError(Error::invalid(format!(
                "force '{value}' must be true or false"
            )))),
        }
    }
}
