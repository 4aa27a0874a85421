//! The one place a control-plane error becomes an HTTP response.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;
use spinneret_core::{Error, ErrorKind};

/// A core error on its way to the client as `{"message": ...}`.
#[derive(Debug)]
pub struct ApiError(pub Error);

pub type ApiResult<T> = Result<T, ApiError>;

impl From<Error> for ApiError {
    fn from(err: Error) -> Self {
        Self(err)
    }
}

fn status_of(kind: ErrorKind) -> StatusCode {
    StatusCode::from_u16(kind.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(self.0.kind());
        let message = if self.0.kind() == ErrorKind::Internal {
            // The request span carries the request id, which the response also carries.
            tracing::error!(error = ?self.0, "internal error");
            "internal error; the server log has the details under this response's X-Request-Id"
                .to_owned()
        } else {
            self.0.message().to_owned()
        };
        let mut response = (status, Json(json!({ "message": message }))).into_response();
        if let Some(wait) = self.0.retry_after()
            && let Ok(value) = HeaderValue::from_str(&wait.as_secs().to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"spinneret\", charset=\"UTF-8\""),
            );
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn internal_errors_do_not_leak_details() {
        let source = std::io::Error::other("disk /secret/path failed");
        let response = ApiError(Error::internal("reading x", source)).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(!text.contains("/secret/path"), "{text}");
        assert!(!text.contains("reading x"), "{text}");
    }

    #[test]
    fn every_kind_has_its_status() {
        assert_eq!(status_of(ErrorKind::Invalid), 400);
        assert_eq!(status_of(ErrorKind::Unauthorized), 401);
        assert_eq!(status_of(ErrorKind::TooLarge), 413);
        assert_eq!(status_of(ErrorKind::TooManyRequests), 429);
        assert_eq!(status_of(ErrorKind::NotFound), 404);
        assert_eq!(status_of(ErrorKind::Conflict), 409);
        assert_eq!(status_of(ErrorKind::Cloud), 502);
        assert_eq!(status_of(ErrorKind::Timeout), 504);
        assert_eq!(status_of(ErrorKind::Internal), 500);
    }
}
