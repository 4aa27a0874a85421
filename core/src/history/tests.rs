use std::time::Duration;

use secrecy::SecretString;
use spinneret_drivers::contract::CloudCall;

use super::{CallFilter, CallHistory, CallSource, with_request_id};
use crate::Core;
use crate::registry::tests::register_mock_connection;
use crate::test_support::storage_tests;

fn source(secret: &str) -> CallSource {
    CallSource {
        connection_name: "direct".into(),
        cloud_os: "MOCK".into(),
        region_zone: "default".into(),
        secrets: vec![SecretString::from(secret.to_owned())],
    }
}

fn call(api: &str, elapsed_ms: u64, error: Option<&str>) -> CloudCall {
    CloudCall {
        resource_type: "VM",
        resource_name: "vm-01".into(),
        api: api.into(),
        elapsed: Duration::from_millis(elapsed_ms),
        error: error.map(str::to_owned),
    }
}

async fn calls_through_a_connection_are_recorded_with_their_request(core: Core) {
    register_mock_connection(&core).await;
    with_request_id("req-1".into(), async {
        core.list_images("mock-config").await.unwrap();
        core.get_spec("mock-config", "nope").await.unwrap_err();
    })
    .await;

    // Read at once: the history includes the calls just made, though its writer stores them
    // in batches.
    let all = core.history().list(&CallFilter::default()).await.unwrap();
    let apis: Vec<&str> = all
        .iter()
        .map(|record| record.cloud_os_api.as_str())
        .collect();
    assert_eq!(apis, ["GetVMSpec", "ListImage"], "newest first");
    let failed = &all[0];
    assert_eq!(failed.connection_name, "mock-config");
    assert_eq!(failed.cloud_os, "MOCK");
    assert_eq!(failed.region_zone, "default");
    assert_eq!(failed.resource_type, "VMSpec");
    assert_eq!(failed.resource_name, "nope");
    assert_eq!(failed.request_id, "req-1");
    assert!(failed.error_msg.contains("does not exist"), "{failed:?}");
    assert!(
        failed.time.ends_with('Z') && failed.time.contains('T'),
        "RFC 3339: {}",
        failed.time
    );
    assert!(failed.elapsed_time.parse::<f64>().is_ok());

    let errors = CallFilter {
        errors_only: true,
        ..CallFilter::default()
    };
    assert_eq!(core.history().list(&errors).await.unwrap().len(), 1);
    let images = CallFilter {
        resource_type: Some("VMImage".into()),
        connection_name: Some("mock-config".into()),
        ..CallFilter::default()
    };
    assert_eq!(
        core.history().list(&images).await.unwrap()[0].cloud_os_api,
        "ListImage"
    );
    let future = CallFilter {
        since: Some("2999-01-01T00:00:00Z".into()),
        ..CallFilter::default()
    };
    assert!(core.history().list(&future).await.unwrap().is_empty());
}

async fn stats_count_errors_and_percentiles(core: Core) {
    let history = core.history();
    let recorder = history.recorder(source("unused-secret"));
    for ms in 1..=100 {
        recorder.record(call("StartVM", ms, (ms % 10 == 0).then_some("boom")));
    }
    recorder.record(call("GetVM", 5, None));
    let stats = history.stats(&CallFilter::default()).await.unwrap();
    assert_eq!(stats.len(), 2);
    let start = stats.iter().find(|s| s.cloud_os_api == "StartVM").unwrap();
    assert_eq!((start.count, start.errors), (100, 10));
    assert_eq!((start.p50_ms, start.p99_ms), (50.0, 99.0));
}

async fn secrets_are_redacted_and_retention_is_bounded(core: Core) {
    let history = CallHistory::start(core.inner.db.clone(), 3);
    let recorder = history.recorder(source("tenant-secret-77"));
    recorder.record(call(
        "StartVM",
        1,
        Some("access denied for tenant-secret-77"),
    ));
    history.flush().await;
    let stored = history.list(&CallFilter::default()).await.unwrap();
    assert_eq!(stored[0].error_msg, "access denied for ***");

    for _ in 0..5 {
        recorder.record(call("GetVM", 1, None));
    }
    history.flush().await;
    let kept = history.list(&CallFilter::default()).await.unwrap();
    assert_eq!(kept.len(), 3, "only the newest 3 are kept");
}

storage_tests!(
    calls_through_a_connection_are_recorded_with_their_request,
    stats_count_errors_and_percentiles,
    secrets_are_redacted_and_retention_is_bounded,
);
