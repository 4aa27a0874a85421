//! Server functions: thin doors into the control-plane core, one per AdminWeb action.

mod registry;

pub use registry::*;

use leptos::prelude::ServerFnError;

/// The text to show for a failed server function: the core's message, without the wrapper.
pub fn error_text(err: &ServerFnError) -> String {
    match err {
        ServerFnError::ServerError(message) => message.clone(),
        other => other.to_string(),
    }
}

#[cfg(feature = "ssr")]
mod ssr {
    use leptos::prelude::{ServerFnError, use_context};
    use spinneret_core::{Core, ErrorKind};

    /// The control plane, provided to every server function by the server.
    pub fn core() -> Result<Core, ServerFnError> {
        use_context::<Core>().ok_or_else(|| ServerFnError::new("the control plane is not available"))
    }

    /// The one place that turns a core error into what the AdminWeb shows.
    pub fn user_error(err: spinneret_core::Error) -> ServerFnError {
        if err.kind() == ErrorKind::Internal {
            tracing::error!(error = ?err, "internal error in a server function");
            return ServerFnError::new("internal error; the server log has the details");
        }
        ServerFnError::new(err.message())
    }
}
