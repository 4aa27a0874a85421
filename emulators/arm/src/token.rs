//! OAuth2 client-credentials tokens, as Microsoft Entra ID issues them for ARM.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Form, Json};
use serde::Deserialize;
use serde_json::json;

use crate::Emulator;

/// How long a token lives, in seconds: a client that honours `expires_in` asks once.
const LIFETIME_SECS: u64 = 3599;

#[derive(Deserialize)]
pub struct TokenRequest {
    grant_type: String,
    client_id: String,
    client_secret: String,
    scope: Option<String>,
}

/// `POST /{tenant}/oauth2/v2.0/token`. Any client id with a secret is accepted, except a
/// secret starting with `invalid`, which stands for a wrong one.
pub async fn issue(
    State(emulator): State<Emulator>,
    Path(tenant): Path<String>,
    Form(request): Form<TokenRequest>,
) -> Response {
    let refuse = |error: &str, description: &str| {
        let body = json!({ "error": error, "error_description": description });
        (StatusCode::BAD_REQUEST, Json(body)).into_response()
    };
    if request.grant_type != "client_credentials" {
        return refuse(
            "unsupported_grant_type",
            "AADSTS70003: The app requested an unsupported grant type.",
        );
    }
    if request.scope.as_deref().is_none_or(str::is_empty) {
        return refuse("invalid_scope", "AADSTS1002012: The scope is missing.");
    }
    if request.client_secret.is_empty() || request.client_secret.starts_with("invalid") {
        let body = json!({
            "error": "invalid_client",
            "error_description": format!("AADSTS7000215: Invalid client secret provided for app '{}'.", request.client_id),
        });
        return (StatusCode::UNAUTHORIZED, Json(body)).into_response();
    }
    let token = emulator.issue_token(&tenant, &request.client_id);
    Json(json!({
        "token_type": "Bearer",
        "expires_in": LIFETIME_SECS,
        "ext_expires_in": LIFETIME_SECS,
        "access_token": token,
    }))
    .into_response()
}
