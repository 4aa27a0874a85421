//! The `ConnectionName` of a resource request: from the JSON body, or, when the body has none,
//! from the `?ConnectionName=` query parameter (CB-Spider's GETs send either).

use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use serde_json::Value;
use spinneret_core::Error;

use super::error::ApiError;

pub struct ConnectionName(pub String);

/// The key's value in a JSON object, its name matched case-insensitively.
fn field<'a>(object: &'a serde_json::Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(key))
        .and_then(|(_, value)| value.as_str())
}

fn from_query(query: Option<&str>) -> Option<String> {
    url_pairs(query.unwrap_or_default())
        .find(|(key, _)| key.eq_ignore_ascii_case("ConnectionName"))
        .map(|(_, value)| value)
}

fn url_pairs(query: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(query.as_bytes())
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
}

impl<S: Send + Sync> FromRequest<S> for ConnectionName {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let query = request.uri().query().map(str::to_owned);
        let body = Bytes::from_request(request, state)
            .await
            .map_err(|err| Error::invalid(format!("request body: {}", err.body_text())))?;
        let from_body = if body.iter().all(u8::is_ascii_whitespace) {
            None
        } else {
            let value: Value = serde_json::from_slice(&body)
                .map_err(|err| Error::invalid(format!("malformed JSON: {err}")))?;
            value
                .as_object()
                .and_then(|object| field(object, "ConnectionName"))
                .map(str::to_owned)
        };
        from_body
            .or_else(|| from_query(query.as_deref()))
            .filter(|name| !name.trim().is_empty())
            .map(|name| Self(name.trim().to_owned()))
            .ok_or_else(|| {
                ApiError(Error::invalid(
                    "ConnectionName is required, in the JSON body or as ?ConnectionName=",
                ))
            })
    }
}
