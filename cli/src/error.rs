//! What can go wrong, and the exit status each kind gives.

use reqwest::StatusCode;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line asks for something impossible (clap reports its own errors the same way).
    #[error("{0}")]
    Usage(String),
    /// The server answered with an error status, or with something other than JSON.
    #[error("{status}: {message}{}", hint(*status))]
    Server { status: StatusCode, message: String },
    /// A VM ended up Failed while the command waited for it.
    #[error("{0}")]
    Failed(String),
    /// No answer at all: refused, unresolvable, timed out, TLS failure.
    #[error("cannot reach {server}: {reason}")]
    Unreachable { server: String, reason: String },
}

/// What to do about a status whose cause is on the caller's side.
fn hint(status: StatusCode) -> &'static str {
    if status == StatusCode::UNAUTHORIZED {
        " (set SPIDER_PASSWORD, or -p, to the password of the account in SPIDER_USERNAME or -u, default admin)"
    } else {
        ""
    }
}

impl Error {
    /// 1: the server refused or failed; 2: bad usage, as clap exits; 3: no server to talk to.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Server { .. } | Self::Failed(_) => 1,
            Self::Usage(_) => 2,
            Self::Unreachable { .. } => 3,
        }
    }

    pub fn no_connection() -> Self {
        Self::Usage(
            "no connection config given: use -c/--connection NAME or set SPINNERET_CONNECTION"
                .into(),
        )
    }

    /// Whether the server said the record does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, Self::Server { status, .. } if *status == StatusCode::NOT_FOUND)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unauthorized_says_how_to_sign_in() {
        let err = Error::Server {
            status: StatusCode::UNAUTHORIZED,
            message: "Unauthorized".into(),
        };
        assert_eq!(err.exit_code(), 1);
        assert!(
            err.to_string()
                .starts_with("401 Unauthorized: Unauthorized (set SPIDER_PASSWORD")
        );
    }

    #[test]
    fn each_kind_has_its_exit_code() {
        let unreachable = Error::Unreachable {
            server: "http://localhost:1".into(),
            reason: "connection refused".into(),
        };
        assert_eq!(
            unreachable.to_string(),
            "cannot reach http://localhost:1: connection refused"
        );
        assert_eq!(unreachable.exit_code(), 3);
        assert_eq!(Error::no_connection().exit_code(), 2);
    }
}
