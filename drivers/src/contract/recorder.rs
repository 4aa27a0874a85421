//! The call recorder: how every call a driver makes to a cloud's API reaches the call history.
//! The core hands each connection one recorder; a driver plugs it in once (an SDK interceptor,
//! HTTP middleware, or, for the mock, around its own operations).

use std::future::Future;
use std::time::{Duration, Instant};

use super::DriverResult;

/// One call to a cloud's API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CloudCall {
    /// The kind of resource, e.g. `VMImage`, `VPC`, `VM`.
    pub resource_type: &'static str,
    /// The resource's name or id, empty for list calls.
    pub resource_name: String,
    /// The cloud's operation name, e.g. `RunInstances`, or the mock's `ListImage`.
    pub api: String,
    pub elapsed: Duration,
    /// The cloud's error text, if the call failed.
    pub error: Option<String>,
}

/// Receives each call. Recording must be cheap and never fail the call: implementations queue.
pub trait CallRecorder: Send + Sync {
    fn record(&self, call: CloudCall);
}

/// A recorder that keeps nothing, for drivers used outside a control plane.
pub struct NoRecorder;

impl CallRecorder for NoRecorder {
    fn record(&self, _call: CloudCall) {}
}

/// Runs one cloud operation and records it, its time and its error.
pub async fn recorded<T>(
    recorder: &dyn CallRecorder,
    resource_type: &'static str,
    resource_name: &str,
    api: &str,
    operation: impl Future<Output = DriverResult<T>>,
) -> DriverResult<T> {
    let started = Instant::now();
    let result = operation.await;
    recorder.record(CloudCall {
        resource_type,
        resource_name: resource_name.to_owned(),
        api: api.to_owned(),
        elapsed: started.elapsed(),
        error: result.as_ref().err().map(ToString::to_string),
    });
    result
}

/// A recorder that keeps every call, for the drivers' tests.
#[cfg(test)]
#[derive(Default)]
pub(crate) struct RecordedCalls(pub std::sync::Mutex<Vec<CloudCall>>);

#[cfg(test)]
impl CallRecorder for RecordedCalls {
    fn record(&self, call: CloudCall) {
        self.0.lock().unwrap().push(call);
    }
}

#[cfg(test)]
impl RecordedCalls {
    /// The operation names recorded, oldest first.
    pub fn apis(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap()
            .iter()
            .map(|call| call.api.clone())
            .collect()
    }
}
