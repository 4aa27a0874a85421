//! Server functions: thin doors into the control-plane core, one per AdminWeb action.

mod catalog;
mod connection;
#[cfg(feature = "ssr")]
mod describe;
mod registry;
mod resources;
mod shown;

pub use catalog::*;
pub use connection::*;
pub use registry::*;
pub use resources::*;
pub use shown::{Choice, Table};

use leptos::prelude::ServerFnError;

/// The text to show for a failed server function: the core's message, without the wrapper.
pub fn error_text(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    use leptos::prelude::{ServerFnError, use_context};
    use spinneret_core::{Core, ErrorKind};

    /// Runs `work` under the id of the HTTP request being served (the `X-Request-Id` the
    /// server gave it), so the cloud calls it makes carry that id in the call history.
    pub async fn in_request<F: Future>(work: F) -> F::Output {
        let id = use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get("x-request-id")
                    .and_then(|id| id.to_str().ok())
                    .map(str::to_owned)
            })
            .unwrap_or_default();
        spinneret_core::history::with_request_id(id, work).await
    }

    /// The control plane, provided to every server function by the server.
    pub fn core() -> Result<Core, ServerFnError> {
        use_context::<Core>()
            .ok_or_else(|| ServerFnError::new("the control plane is not available"))
    }

    /// The one place that turns a core error into what the AdminWeb shows, with the same HTTP
    /// status the REST API would give. A plain form post (before hydration) keeps the redirect
    /// back to its page.
    pub fn user_error(err: spinneret_core::Error) -> ServerFnError {
        let plain_form_post = use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        });
        if !plain_form_post
            && let (Some(response), Ok(status)) = (
                use_context::<leptos_axum::ResponseOptions>(),
                http::StatusCode::from_u16(err.kind().http_status()),
            )
        {
            response.set_status(status);
        }
        if err.kind() == ErrorKind::Internal {
            tracing::error!(error = ?err, "internal error in a server function");
            return ServerFnError::new("internal error; the server log has the details");
        }
        ServerFnError::new(err.message())
    }
}
