//! HTTP Basic for the REST API.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use spinneret_core::{Core, Error};

use super::error::ApiError;

/// Lets the request through only with a valid admin's Basic credentials. Failures count
/// per client address (the connecting one; behind a proxy, the proxy's).
pub async fn require_admin(State(core): State<Core>, request: Request, next: Next) -> Response {
    let header = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok());
    let client = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let verdict = match header {
        Some(header) => core.admins().authenticate_basic(header, client).await,
        None => Err(Error::unauthorized()),
    };
    match verdict {
        Ok(_) => next.run(request).await,
        Err(err) => ApiError(err).into_response(),
    }
}
