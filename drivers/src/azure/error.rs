//! ARM's errors as driver errors: one table from ARM's codes to the contract's kinds. ARM
//! answers some refusals (`InUse*`) with 400 rather than 409, so the code decides, and the
//! status only when the code is unknown. Messages name resources, not ARM's long ids.

use std::fmt;

use azure_core::StatusCode;
use azure_core::error::ErrorKind;
use azure_core::headers::{HeaderName, Headers};

use crate::contract::{DriverError, DriverErrorKind};

/// A failed ARM answer as its body and headers tell it.
pub(super) struct ArmFailure {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
}

impl ArmFailure {
    /// Reads ARM's `{"error":{"code","message"}}` (or a poll's `{"status","error"}`).
    pub fn read(status: StatusCode, headers: &Headers, body: &[u8]) -> Self {
        let value: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
        let text = |field: &str| value["error"][field].as_str().map(str::to_owned);
        let status = u16::from(status);
        Self {
            status,
            code: text("code").unwrap_or_else(|| format!("HTTP{status}")),
            message: text("message").unwrap_or_default(),
            request_id: headers.get_optional_string(&HeaderName::from_static("x-ms-request-id")),
        }
    }

    pub fn into_driver_error(self, api: &str) -> DriverError {
        let mut failed = DriverError::new(
            kind_of(self.status, &self.code),
            format!("{api}: {}", named(&self.message)),
        )
        .with_code(&self.code);
        failed.retryable = retryable(self.status, &self.code);
        failed
    }
}

impl fmt::Display for ArmFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, named(&self.message))?;
        match &self.request_id {
            Some(id) => write!(f, " (request id {id})"),
            None => Ok(()),
        }
    }
}

/// The kind an ARM error code (or, for an unknown code, the status) means.
pub(super) fn kind_of(status: u16, code: &str) -> DriverErrorKind {
    use DriverErrorKind::*;
    match code {
        "AuthenticationFailed"
        | "AuthorizationFailed"
        | "LinkedAuthorizationFailed"
        | "InvalidAuthenticationToken"
        | "InvalidAuthenticationTokenTenant"
        | "ExpiredAuthenticationToken" => Unauthorized,
        "Conflict"
        | "OperationNotAllowed"
        | "AnotherOperationInProgress"
        | "NicInUse"
        | "PublicIPAddressCannotBeDeleted"
        | "SecurityRuleConflict" => Conflict,
        _ if code.starts_with("InUse") || code.contains("InUse") => Conflict,
        _ if code.ends_with("NotFound") => NotFound,
        "InvalidParameter" | "InvalidRequestContent" | "LocationRequired" | "BadRequest" => Invalid,
        _ if code.starts_with("Invalid")
            || code.starts_with("Missing")
            || code.starts_with("Netcfg")
            || code.starts_with("SecurityRuleInvalid") =>
        {
            Invalid
        }
        _ => match status {
            400 => Invalid,
            401 | 403 => Unauthorized,
            404 => NotFound,
            409 => Conflict,
            408 | 504 => Timeout,
            _ => Cloud,
        },
    }
}

fn retryable(status: u16, code: &str) -> bool {
    status == 429
        || status >= 500
        || matches!(code, "RetryableError" | "AnotherOperationInProgress")
}

/// An `azure_core` error of the ARM operation `api` as a driver error.
pub(super) fn arm_error(api: &str, err: azure_core::Error) -> DriverError {
    if let Some(http) = err.as_http_error() {
        let status = u16::from(http.status());
        let code = http
            .error_code()
            .map_or_else(|| format!("HTTP{status}"), str::to_owned);
        return ArmFailure {
            status,
            code,
            message: http.error_message().unwrap_or_default().to_owned(),
            request_id: None,
        }
        .into_driver_error(api);
    }
    match err.kind() {
        ErrorKind::Credential => DriverError::new(
            DriverErrorKind::Unauthorized,
            format!("{api}: the token authority refused the credential: {err}"),
        ),
        ErrorKind::Io => {
            let mut failed = DriverError::new(
                DriverErrorKind::Cloud,
                format!("{api}: could not reach Azure Resource Manager: {err}"),
            );
            failed.retryable = true;
            failed
        }
        _ => DriverError::new(DriverErrorKind::Cloud, format!("{api}: {err}")),
    }
}

/// Whether ARM said the connection's resource group does not exist (and nothing worse, such
/// as a subscription the credential cannot reach).
pub(super) fn is_group_missing(err: &azure_core::Error) -> bool {
    err.as_http_error()
        .is_some_and(|http| http.error_code() == Some("ResourceGroupNotFound"))
}

/// A driver error for an answer ARM gave without the expected content.
pub(super) fn missing(api: &str, what: &str) -> DriverError {
    DriverError::new(
        DriverErrorKind::Cloud,
        format!("{api}: ARM's answer has no {what}"),
    )
}

/// `message` with every ARM resource id (`/subscriptions/.../subnets/web`) cut to the
/// resource's own name (`web`).
fn named(message: &str) -> String {
    message
        .split(' ')
        .map(|word| match word.find("/subscriptions/") {
            Some(start) => {
                let end = word[start..]
                    .find(['\'', '"', ',', ')', ';'])
                    .map_or(word.len(), |end| start + end);
                let id = word[start..end].trim_end_matches('.');
                let name = id.rsplit('/').next().unwrap_or(id);
                format!("{}{name}{}", &word[..start], &word[start + id.len()..])
            }
            None => word.to_owned(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_decide_the_kind_before_the_status() {
        use DriverErrorKind::*;
        for (status, code, kind) in [
            (400, "InUseSubnetCannotBeDeleted", Conflict),
            (400, "InUseNetworkSecurityGroupCannotBeDeleted", Conflict),
            (400, "NicInUse", Conflict),
            (409, "OperationNotAllowed", Conflict),
            (404, "ResourceNotFound", NotFound),
            (404, "ResourceGroupNotFound", NotFound),
            (400, "InvalidParameter", Invalid),
            (400, "NetcfgSubnetRangesOverlap", Invalid),
            (401, "InvalidAuthenticationToken", Unauthorized),
            (403, "AuthorizationFailed", Unauthorized),
            (429, "TooManyRequests", Cloud),
            (500, "InternalServerError", Cloud),
            (409, "SomethingNew", Conflict),
        ] {
            assert_eq!(kind_of(status, code), kind, "{status} {code}");
        }
    }

    #[test]
    fn messages_name_resources_not_arm_ids() {
        let message = "Subnet /subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/net-1/subnets/web-k3 is in use by '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/vm-1-nic'.";
        assert_eq!(named(message), "Subnet web-k3 is in use by 'vm-1-nic'.");
    }

    #[test]
    fn a_failure_shows_the_code_and_request_id() {
        let mut headers = Headers::new();
        headers.insert("x-ms-request-id", "req-42");
        let failure = ArmFailure::read(
            StatusCode::BadRequest,
            &headers,
            br#"{"error":{"code":"InvalidParameter","message":"bad size"}}"#,
        );
        assert_eq!(
            failure.to_string(),
            "InvalidParameter: bad size (request id req-42)"
        );
        let err = failure.into_driver_error("VirtualMachines_CreateOrUpdate");
        assert_eq!(err.kind, DriverErrorKind::Invalid);
        assert_eq!(err.message, "VirtualMachines_CreateOrUpdate: bad size");
    }
}
