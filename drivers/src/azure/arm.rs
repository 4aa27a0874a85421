//! One connection's way to Azure Resource Manager: the SDK clients on one pipeline (the call
//! recorder, and retries of 429 and 5xx that honour `Retry-After`), and the long-running
//! operation poller. The SDK's own poller re-sends PUTs and sleeps a fixed 30 s; this one
//! polls `Azure-AsyncOperation` or `Location` as soon as ARM says to, within a deadline.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use azure_core::auth::TokenCredential;
use azure_core::headers::{HeaderName, Headers};
use azure_core::{
    ClientOptions, Context, ExponentialRetryOptions, HttpClient, Method, Pageable, Pipeline,
    Request, RetryOptions, StatusCode, TransportOptions, Url,
};
use futures::StreamExt;
use serde::de::DeserializeOwned;
use tokio::time::Instant;

use super::error::{ArmFailure, arm_error, missing};
use super::recorder::{HistoryPolicy, Polling};
use crate::contract::{CallRecorder, DriverError, DriverErrorKind, DriverResult};

/// How long one long-running operation may take before it is a timeout (504).
const OPERATION_LIMIT: Duration = Duration::from_secs(600);
/// The first wait when ARM names none, doubled up to `MAX_POLL`.
const FIRST_POLL: Duration = Duration::from_millis(500);
const MAX_POLL: Duration = Duration::from_secs(10);

/// Where one connection works: its subscription, resource group and region.
#[derive(Clone, Debug)]
pub(super) struct Scope {
    pub subscription: String,
    pub group: String,
    pub location: String,
}

pub(super) struct Arm {
    pub network: azure_mgmt_network::Client,
    pub compute: azure_mgmt_compute::Client,
    pub resources: azure_mgmt_resources::Client,
    /// The same policies as the clients', for the polls the poller sends itself.
    polls: Pipeline,
    credential: Arc<dyn TokenCredential>,
    scopes: Vec<String>,
    pub scope: Scope,
}

impl Arm {
    pub fn new(
        endpoint: Url,
        credential: Arc<dyn TokenCredential>,
        http: Arc<dyn HttpClient>,
        recorder: Arc<dyn CallRecorder>,
        scope: Scope,
    ) -> DriverResult<Self> {
        let mut options =
            ClientOptions::new(TransportOptions::new(http)).retry(RetryOptions::exponential(
                ExponentialRetryOptions::default()
                    .initial_delay(Duration::from_millis(500))
                    .max_retries(3u32)
                    .max_total_elapsed(Duration::from_secs(60)),
            ));
        options
            .per_retry_policies_mut()
            .push(Arc::new(HistoryPolicy::new(recorder)));
        let scopes = vec![
            endpoint
                .join("/.default")
                .map_err(|err| DriverError::invalid(format!("Endpoint '{endpoint}': {err}")))?
                .to_string(),
        ];
        Ok(Self {
            network: azure_mgmt_network::Client::new(
                endpoint.clone(),
                credential.clone(),
                scopes.clone(),
                options.clone(),
            ),
            compute: azure_mgmt_compute::Client::new(
                endpoint.clone(),
                credential.clone(),
                scopes.clone(),
                options.clone(),
            ),
            resources: azure_mgmt_resources::Client::new(
                endpoint,
                credential.clone(),
                scopes.clone(),
                options.clone(),
            ),
            polls: Pipeline::new(None, None, options, Vec::new(), Vec::new()),
            credential,
            scopes,
            scope,
        })
    }

    /// Sends one request and waits for the operation it started, if any. Answers ARM's first
    /// status: a `204` DELETE says there was nothing to delete.
    pub async fn finish<R: AsRef<azure_core::Response>>(
        &self,
        api: &'static str,
        sent: impl Future<Output = azure_core::Result<R>>,
    ) -> DriverResult<StatusCode> {
        let response = sent.await.map_err(|err| arm_error(api, err))?;
        let response = response.as_ref();
        self.wait(api, response.status(), response.headers())
            .await?;
        Ok(response.status())
    }

    /// Sends one request and leaves the operation it started to ARM.
    pub async fn send<R: AsRef<azure_core::Response>>(
        &self,
        api: &'static str,
        sent: impl Future<Output = azure_core::Result<R>>,
    ) -> DriverResult<StatusCode> {
        let response = sent.await.map_err(|err| arm_error(api, err))?;
        Ok(response.as_ref().status())
    }

    /// Sends one request and reads ARM's answer as `T`.
    pub async fn read<T: DeserializeOwned, R: Into<azure_core::Response>>(
        &self,
        api: &'static str,
        sent: impl Future<Output = azure_core::Result<R>>,
    ) -> DriverResult<T> {
        let response: azure_core::Response = sent.await.map_err(|err| arm_error(api, err))?.into();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|err| arm_error(api, err))?;
        serde_json::from_slice(&body).map_err(|err| missing(api, &format!("readable JSON ({err})")))
    }

    /// Every item of a list, following `nextLink` page by page.
    pub async fn all<P, T>(
        &self,
        api: &'static str,
        mut pages: Pageable<P, azure_core::Error>,
        items: impl Fn(P) -> Vec<T>,
    ) -> DriverResult<Vec<T>>
    where
        P: Send + 'static,
    {
        let mut all = Vec::new();
        while let Some(page) = pages.next().await {
            match page.map_err(|err| arm_error(api, err)) {
                Ok(page) => all.extend(items(page)),
                // A group Spinneret has not made yet holds nothing.
                Err(err) if err.code.as_deref() == Some("ResourceGroupNotFound") => break,
                Err(err) => return Err(err),
            }
        }
        Ok(all)
    }

    /// Waits until the operation an answer started has finished, reading its monitor URL.
    async fn wait(
        &self,
        api: &'static str,
        status: StatusCode,
        headers: &Headers,
    ) -> DriverResult<()> {
        let header_url = |name: &'static str| {
            headers
                .get_optional_str(&HeaderName::from_static(name))
                .and_then(|url| Url::parse(url).ok())
        };
        let (mut url, by_status) =
            match (header_url("azure-asyncoperation"), header_url("location")) {
                (Some(url), _) => (url, true),
                (None, Some(url)) if status == StatusCode::Accepted => (url, false),
                _ => return Ok(()),
            };
        let deadline = Instant::now() + OPERATION_LIMIT;
        let mut wait = retry_after(headers).unwrap_or(FIRST_POLL);
        loop {
            if Instant::now() + wait > deadline {
                return Err(DriverError::new(
                    DriverErrorKind::Timeout,
                    format!(
                        "{api}: ARM did not finish the operation within {} s",
                        OPERATION_LIMIT.as_secs()
                    ),
                ));
            }
            tokio::time::sleep(wait).await;
            let (status, headers, body) = self.poll(api, &url).await?;
            let done = if by_status {
                let progress: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
                match progress["status"].as_str().unwrap_or_default() {
                    "Succeeded" => true,
                    "Failed" | "Canceled" => {
                        return Err(
                            ArmFailure::read(status, &headers, &body).into_driver_error(api)
                        );
                    }
                    _ => false,
                }
            } else {
                if let Some(next) = headers
                    .get_optional_str(&HeaderName::from_static("location"))
                    .and_then(|next| Url::parse(next).ok())
                {
                    url = next;
                }
                status != StatusCode::Accepted
            };
            if done {
                return Ok(());
            }
            wait = retry_after(&headers).unwrap_or_else(|| (wait * 2).min(MAX_POLL));
        }
    }

    async fn poll(
        &self,
        api: &'static str,
        url: &Url,
    ) -> DriverResult<(StatusCode, Headers, bytes::Bytes)> {
        let scopes: Vec<&str> = self.scopes.iter().map(String::as_str).collect();
        let token = self
            .credential
            .get_token(&scopes)
            .await
            .map_err(|err| arm_error(api, err))?;
        let mut request = Request::new(url.clone(), Method::Get);
        request.insert_header(
            azure_core::headers::AUTHORIZATION,
            format!("Bearer {}", token.token.secret()),
        );
        let mut context = Context::new();
        context.insert(Polling(api));
        let response = self
            .polls
            .send(&context, &mut request)
            .await
            .map_err(|err| arm_error(api, err))?;
        let (status, headers, body) = response.deconstruct();
        let body = body.collect().await.map_err(|err| arm_error(api, err))?;
        Ok((status, headers, body))
    }
}

/// A request body written as ARM's JSON, checked against the SDK's model of it.
pub(super) fn model<T: DeserializeOwned>(api: &str, body: serde_json::Value) -> DriverResult<T> {
    serde_json::from_value(body).map_err(|err| {
        DriverError::new(
            DriverErrorKind::Cloud,
            format!("{api}: the request does not fit ARM's model: {err}"),
        )
    })
}

/// How long ARM asks a client to wait: `retry-after-ms`, then `Retry-After` in seconds.
fn retry_after(headers: &Headers) -> Option<Duration> {
    let read = |name: &'static str| {
        headers
            .get_optional_str(&HeaderName::from_static(name))
            .and_then(|value| value.trim().parse::<u64>().ok())
    };
    read("retry-after-ms")
        .or_else(|| read("x-ms-retry-after-ms"))
        .map(Duration::from_millis)
        .or_else(|| read("retry-after").map(Duration::from_secs))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arm_names_the_wait_in_milliseconds_or_seconds() {
        let mut headers = Headers::new();
        assert_eq!(retry_after(&headers), None);
        headers.insert("retry-after", "3");
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert("retry-after-ms", "250");
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(250)));
    }
}
