//! The one error type of the control plane. The server maps its kind to an HTTP status in one
//! place, and the AdminWeb's server functions map it to a message in one place.

use std::fmt;

/// What went wrong, in the terms a caller can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself is wrong: a missing field, a bad value, a dangling reference.
    Invalid,
    /// The named record does not exist.
    NotFound,
    /// The name is taken, or the record is still in use.
    Conflict,
    /// The cloud's API answered with an error.
    Cloud,
    /// The cloud's API did not answer in time.
    Timeout,
    /// No or wrong credentials.
    Unauthorized,
    /// The request body is larger than the server takes.
    TooLarge,
    /// Too many failed sign-ins from one address; try again later.
    TooManyRequests,
    /// A bug or an unreachable dependency; details go to the log, never to the client.
    Internal,
}

impl ErrorKind {
    /// The HTTP status this kind answers with, for the REST API and the server functions alike.
    pub const fn http_status(self) -> u16 {
        match self {
            ErrorKind::Invalid => 400,
            ErrorKind::Unauthorized => 401,
            ErrorKind::TooLarge => 413,
            ErrorKind::TooManyRequests => 429,
            ErrorKind::NotFound => 404,
            ErrorKind::Conflict => 409,
            ErrorKind::Cloud => 502,
            ErrorKind::Timeout => 504,
            ErrorKind::Internal => 500,
        }
    }
}

/// A control-plane error: a kind plus a message that names the field or record concerned.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    /// For a delete refused because other resources use the record: who uses it, e.g.
    /// `security group 'sg-01', VM 'vm-01'`. A forced delete would go ahead.
    used_by: Option<String>,
    /// For a 429: when to try again.
    retry_after: Option<std::time::Duration>,
    #[source]
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub fn new(kind: ErrorKind, message: impl fmt::Display) -> Self {
        Self {
            kind,
            message: message.to_string(),
            used_by: None,
            retry_after: None,
            source: None,
        }
    }

    pub fn invalid(message: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Invalid, message)
    }

    pub fn not_found(message: impl fmt::Display) -> Self {
        Self::new(ErrorKind::NotFound, message)
    }

    pub fn conflict(message: impl fmt::Display) -> Self {
        Self::new(ErrorKind::Conflict, message)
    }

    /// A 409 for deleting `subject` (e.g. `VPC 'vpc-01'`) while `users` use it, which a
    /// forced delete overrides.
    pub fn in_use(subject: impl fmt::Display, users: String) -> Self {
        Self {
            used_by: Some(users.clone()),
            ..Self::conflict(format!(
                "cannot delete {subject}: it is used by {users}; delete those first or add ?force=true"
            ))
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(ErrorKind::Unauthorized, "Unauthorized")
    }

    /// A 429 that says to try again after `wait`.
    pub fn too_many_requests(message: impl fmt::Display, wait: std::time::Duration) -> Self {
        Self {
            retry_after: Some(wait),
            ..Self::new(ErrorKind::TooManyRequests, message)
        }
    }

    /// An internal failure: `context` says what was being done, `source` why it failed.
    pub fn internal(
        context: impl fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self {
            kind: ErrorKind::Internal,
            message: context.to_string(),
            used_by: None,
            retry_after: None,
            source: Some(Box::new(source)),
        }
    }

    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    pub fn message(&self) -> &str {
        &self.message
    }

    /// When a 429 says to try again.
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        self.retry_after
    }

    /// Who uses the record a refused delete named; `None` for every other error.
    pub fn used_by(&self) -> Option<&str> {
        self.used_by.as_deref()
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        Self::internal("database error", err)
    }
}
