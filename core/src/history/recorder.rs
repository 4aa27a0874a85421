//! The per-connection recorder and the request id that ties calls to the request that caused
//! them.

use std::time::{SystemTime, UNIX_EPOCH};

use secrecy::ExposeSecret;
use spinneret_drivers::contract::{CallRecorder, CloudCall};
use tokio::sync::mpsc;

use super::CallSource;
use super::writer::Message;
use crate::entity::call_log;

/// What the calls made while serving one request are recorded under.
#[derive(Clone, Default)]
struct CallContext {
    request_id: String,
    /// The Spinneret resource being acted on, e.g. the VM `vm-01`.
    subject: Option<String>,
}

tokio::task_local! {
    static CONTEXT: CallContext;
}

fn current_context() -> CallContext {
    CONTEXT.try_with(Clone::clone).unwrap_or_default()
}

// Each of these takes the caller's context when called, not when first polled, so the
// future they return can be spawned.

/// `work` with `request_id` attached, so every cloud call it causes carries that id.
pub fn with_request_id<F: Future>(request_id: String, work: F) -> impl Future<Output = F::Output> {
    let context = CallContext {
        request_id,
        ..current_context()
    };
    CONTEXT.scope(context, work)
}

/// `work` acting on the resource named `name`: the cloud calls it causes are recorded under
/// that name, so a resource's history finds them whatever id the cloud knows it by.
pub fn about<F: Future>(name: &str, work: F) -> impl Future<Output = F::Output> + use<F> {
    let context = CallContext {
        subject: Some(name.to_owned()),
        ..current_context()
    };
    CONTEXT.scope(context, work)
}

/// `work`, to be spawned, carrying the caller's request id and subject with it, and its log
/// span, so what the work logs names the request too.
pub fn carry_context<F: Future>(work: F) -> impl Future<Output = F::Output> {
    tracing::Instrument::in_current_span(CONTEXT.scope(current_context(), work))
}

pub(super) struct ConnectionRecorder {
    source: CallSource,
    sender: mpsc::Sender<Message>,
}

impl ConnectionRecorder {
    pub(super) fn new(source: CallSource, sender: mpsc::Sender<Message>) -> Self {
        Self { source, sender }
    }

    /// The cloud's error text with any credential value blanked out.
    fn redact(&self, text: String) -> String {
        self.source
            .secrets
            .iter()
            .map(ExposeSecret::expose_secret)
            .filter(|secret| secret.len() >= 4)
            .fold(text, |text, secret| text.replace(secret, "***"))
    }
}

impl CallRecorder for ConnectionRecorder {
    fn record(&self, call: CloudCall) {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        let elapsed = i64::try_from(call.elapsed.as_micros()).unwrap_or(i64::MAX);
        let started = i64::try_from(now.as_micros()).unwrap_or(i64::MAX) - elapsed;
        let outcome = if call.error.is_some() { "error" } else { "ok" };
        let (provider, api) = (self.source.cloud_os.clone(), call.api.clone());
        metrics::histogram!("spinneret_csp_call_duration_seconds",
            "provider" => provider.clone(), "api" => api.clone())
        .record(call.elapsed.as_secs_f64());
        metrics::counter!("spinneret_csp_calls_total",
            "provider" => provider, "api" => api, "outcome" => outcome)
        .increment(1);
        let context = current_context();
        let row = call_log::Model {
            id: 0,
            at_micros: started,
            connection_name: self.source.connection_name.clone(),
            cloud_os: self.source.cloud_os.clone(),
            region_zone: self.source.region_zone.clone(),
            resource_type: call.resource_type.to_owned(),
            resource_name: context.subject.unwrap_or(call.resource_name),
            api: call.api,
            elapsed_micros: elapsed,
            error_msg: call.error.map(|text| self.redact(text)),
            request_id: context.request_id,
        };
        // A full queue means the database is far behind: drop the record rather than stall
        // the request that made the call.
        if self
            .sender
            .try_send(Message::Record(Box::new(row)))
            .is_err()
        {
            tracing::warn!("call history queue is full; a call record was dropped");
        }
    }
}
