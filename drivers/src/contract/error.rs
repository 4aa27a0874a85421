//! What a driver reports when the cloud refuses or fails. Each driver maps its cloud's error
//! codes into these kinds in one table; the core turns them into its own error type.

use std::fmt;

/// How the core should treat a driver error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DriverErrorKind {
    /// The request is wrong for this cloud (bad parameter, missing key).
    Invalid,
    /// The resource does not exist at the cloud.
    NotFound,
    /// The resource is in use or in the wrong state.
    Conflict,
    /// The cloud failed or refused for its own reasons.
    Cloud,
    /// The cloud did not answer in time.
    Timeout,
    /// The cloud rejected the credentials.
    Unauthorized,
}

/// A driver error: a kind, whether a retry may help, the cloud's own code, and a message that
/// names the operation. Messages must never hold a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct DriverError {
    pub kind: DriverErrorKind,
    pub retryable: bool,
    /// The cloud's error code, e.g. `InvalidVpcID.NotFound`.
    pub code: Option<String>,
    pub message: String,
}

pub type DriverResult<T> = Result<T, DriverError>;

impl DriverError {
    pub fn new(kind: DriverErrorKind, message: impl fmt::Display) -> Self {
        Self {
            kind,
            retryable: false,
            code: None,
            message: message.to_string(),
        }
    }

    pub fn not_found(message: impl fmt::Display) -> Self {
        Self::new(DriverErrorKind::NotFound, message)
    }

    pub fn invalid(message: impl fmt::Display) -> Self {
        Self::new(DriverErrorKind::Invalid, message)
    }

    pub fn with_code(mut self, code: impl Into<String>) -> Self {
        self.code = Some(code.into());
        self
    }
}
