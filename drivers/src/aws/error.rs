//! EC2's error codes as driver errors: one table. The cloud's code and message go into the
//! error, so the operator sees what EC2 said.

use aws_sdk_ec2::error::{ProvideErrorMetadata, SdkError};

use crate::contract::{DriverError, DriverErrorKind};

/// The kind an EC2 error code means.
pub(super) fn kind_of(code: &str) -> DriverErrorKind {
    match code {
        // A malformed id names nothing that can exist: as NotFound as an unknown one.
        _ if code.ends_with("NotFound") || code.ends_with(".Malformed") => {
            DriverErrorKind::NotFound
        }
        "DependencyViolation"
        | "IncorrectState"
        | "IncorrectInstanceState"
        | "InvalidPermission.Duplicate"
        | "InvalidGroup.Duplicate"
        | "InvalidKeyPair.Duplicate"
        | "VolumeInUse"
        | "ResourceInUse" => DriverErrorKind::Conflict,
        _ if code.contains("InUse") => DriverErrorKind::Conflict,
        "AuthFailure"
        | "UnauthorizedOperation"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "OptInRequired" => DriverErrorKind::Unauthorized,
        "RequestLimitExceeded" | "Throttling" | "ThrottlingException" => DriverErrorKind::Cloud,
        _ if code.starts_with("Invalid") || code.starts_with("Missing") => DriverErrorKind::Invalid,
        _ => DriverErrorKind::Cloud,
    }
}

fn retryable(code: &str) -> bool {
    matches!(
        code,
        "RequestLimitExceeded" | "Throttling" | "ThrottlingException" | "InternalError"
    )
}

/// An SDK error of the EC2 operation `api` as a driver error.
pub(super) fn driver_error<E, R>(api: &str, err: SdkError<E, R>) -> DriverError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::TimeoutError(_) => DriverError::new(
            DriverErrorKind::Timeout,
            format!("{api}: EC2 did not answer in time"),
        ),
        SdkError::DispatchFailure(_) => {
            let mut failed = DriverError::new(
                DriverErrorKind::Cloud,
                format!("{api}: could not reach the EC2 endpoint"),
            );
            failed.retryable = true;
            failed
        }
        _ => {
            let code = err.code().unwrap_or("Unknown").to_owned();
            let message = err
                .message()
                .map(str::to_owned)
                .unwrap_or_else(|| aws_sdk_ec2::error::DisplayErrorContext(&err).to_string());
            let mut failed =
                DriverError::new(kind_of(&code), format!("{api}: {message}")).with_code(&code);
            failed.retryable = retryable(&code);
            failed
        }
    }
}

/// A driver error for an answer EC2 gave without the expected content.
pub(super) fn missing(api: &str, what: &str) -> DriverError {
    DriverError::new(
        DriverErrorKind::Cloud,
        format!("{api}: EC2's answer has no {what}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_kinds() {
        let cases = [
            ("InvalidVpcID.NotFound", DriverErrorKind::NotFound),
            ("InvalidInstanceID.NotFound", DriverErrorKind::NotFound),
            ("InvalidKeyPair.NotFound", DriverErrorKind::NotFound),
            ("InvalidAMIID.Malformed", DriverErrorKind::NotFound),
            ("DependencyViolation", DriverErrorKind::Conflict),
            ("InvalidPermission.Duplicate", DriverErrorKind::Conflict),
            ("IncorrectInstanceState", DriverErrorKind::Conflict),
            ("InvalidParameterValue", DriverErrorKind::Invalid),
            ("InvalidSubnet.Conflict", DriverErrorKind::Invalid),
            ("MissingParameter", DriverErrorKind::Invalid),
            ("AuthFailure", DriverErrorKind::Unauthorized),
            ("RequestLimitExceeded", DriverErrorKind::Cloud),
            ("InsufficientInstanceCapacity", DriverErrorKind::Cloud),
        ];
        for (code, kind) in cases {
            assert_eq!(kind_of(code), kind, "{code}");
        }
        assert!(retryable("RequestLimitExceeded"));
        assert!(!retryable("DependencyViolation"));
    }
}
