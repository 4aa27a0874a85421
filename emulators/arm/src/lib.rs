//! An Azure Resource Manager emulator for Spinneret's tests. No Azure emulator is published
//! on the package registries, so this one implements the part of ARM's public wire contract
//! the Azure driver uses, in memory:
//! - OAuth2 client-credentials tokens, and bearer tokens checked on every call;
//! - `api-version` required, paths matched case-insensitively;
//! - resource groups, virtual networks and subnets, network security groups and rules, public
//!   IPs, NICs, VMs with instance views and power actions, disks and SSH public keys;
//! - VM sizes and a small image catalogue;
//! - PUTs answering 201/200 with `Azure-AsyncOperation`, DELETEs and actions 202 with
//!   `Location`, operations that stay in progress for a configurable time;
//! - ARM's error shapes and codes, including the `InUse*` refusals (400, not 409);
//! - `nextLink` paging, and injected faults and delays per operation name.
//!
//! Test hooks live under `/_emulator`: `POST /_emulator/faults` adds a [`state::Fault`] (`DELETE` clears them),
//! `POST /_emulator/config` sets the [`state::Settings`], `POST /_emulator/reset` forgets
//! everything.

mod arm;
mod catalog;
mod error;
mod kind;
mod resources;
pub mod state;
mod token;

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::post;
use axum::{Json, Router};

use crate::error::{ArmError, ArmResult};
use crate::state::{Cloud, Fault, Settings};

/// The emulator's shared state; cheap to clone.
#[derive(Clone, Default)]
pub struct Emulator {
    cloud: Arc<Mutex<Cloud>>,
}

impl Emulator {
    fn cloud(&self) -> MutexGuard<'_, Cloud> {
        // A panic while holding the lock leaves the state as it was; go on with it.
        self.cloud
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn issue_token(&self, tenant: &str, client: &str) -> String {
        let token = format!("{tenant}.{client}.{}", state::random_id());
        self.cloud().tokens.insert(token.clone());
        token
    }

    /// ARM's answer to a missing or unknown bearer token.
    fn authorize(&self, headers: &HeaderMap) -> ArmResult<()> {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "));
        match token {
            None => Err(ArmError::new(
                StatusCode::UNAUTHORIZED,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
            )),
            Some(token) if !self.cloud().tokens.contains(token) => Err(ArmError::new(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "The access token is invalid.",
            )),
            Some(_) => Ok(()),
        }
    }

    pub fn router(&self) -> Router {
        Router::new()
            .route("/{tenant}/oauth2/v2.0/token", post(token::issue))
            .route("/_emulator/faults", post(add_fault).delete(clear_faults))
            .route("/_emulator/config", post(configure))
            .route("/_emulator/reset", post(reset))
            .fallback(arm::handle)
            .layer(axum::middleware::map_response(with_request_id))
            .with_state(self.clone())
    }

    /// Serves on a free 127.0.0.1 port in a task of its own; returns the base URL.
    pub async fn spawn(self) -> std::io::Result<String> {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}", listener.local_addr()?);
        let router = self.router();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(base)
    }
}

/// ARM tags every answer with the id its support staff would ask for.
async fn with_request_id(mut response: axum::response::Response) -> axum::response::Response {
    if let Ok(id) = axum::http::HeaderValue::from_str(&state::random_id()) {
        response.headers_mut().insert("x-ms-request-id", id);
    }
    response
}

async fn add_fault(State(emulator): State<Emulator>, Json(fault): Json<Fault>) -> StatusCode {
    emulator.cloud().faults.push(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(emulator): State<Emulator>) -> StatusCode {
    emulator.cloud().faults.clear();
    StatusCode::NO_CONTENT
}

async fn configure(State(emulator): State<Emulator>, Json(settings): Json<Settings>) -> StatusCode {
    emulator.cloud().settings = settings;
    StatusCode::NO_CONTENT
}

async fn reset(State(emulator): State<Emulator>) -> StatusCode {
    *emulator.cloud() = Cloud::default();
    StatusCode::NO_CONTENT
}
