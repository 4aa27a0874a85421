//! Fault and latency injection, read from the optional credential keys `FailAPI` and
//! `DelayAPI`, so reliability tests and benchmarks can make a named call fail or slow down.
//!
//! - `FailAPI`: comma-separated API names, or `*` for every call, e.g. `StartVM,DeleteNIC`.
//! - `DelayAPI`: comma-separated `API=milliseconds`, `*=ms` for every call, e.g.
//!   `*=20,TerminateVM=2000`; a named entry wins over `*`.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use super::api::Api;
use crate::contract::{DriverError, DriverErrorKind, DriverResult};

pub(super) const FAIL_KEY: &str = "FailAPI";
pub(super) const DELAY_KEY: &str = "DelayAPI";

/// Which calls of one connection fail or wait.
#[derive(Debug, Default)]
pub(super) struct Faults {
    fail_all: bool,
    failing: HashSet<Api>,
    delay_all: Option<Duration>,
    delays: HashMap<Api, Duration>,
}

impl Faults {
    /// Parses the two credential values; an error names the key and the bad entry.
    pub(super) fn parse(fail_api: Option<&str>, delay_api: Option<&str>) -> Result<Self, String> {
        let mut faults = Faults::default();
        for entry in entries(fail_api) {
            if entry == "*" {
                faults.fail_all = true;
            } else {
                faults.failing.insert(api_named(FAIL_KEY, entry)?);
            }
        }
        for entry in entries(delay_api) {
            let (name, millis) = entry
                .split_once('=')
                .and_then(|(name, millis)| Some((name.trim(), millis.trim().parse().ok()?)))
                .ok_or_else(|| {
                    format!(
                        "credential key '{DELAY_KEY}': malformed entry '{entry}' \
                         (expected API=milliseconds, e.g. StartVM=500)"
                    )
                })?;
            let delay = Duration::from_millis(millis);
            if name == "*" {
                faults.delay_all = Some(delay);
            } else {
                faults.delays.insert(api_named(DELAY_KEY, name)?, delay);
            }
        }
        Ok(faults)
    }

    /// Waits the call's delay, then fails it if it is to fail. Runs before the call touches the
    /// account, so a slow call holds no lock while it waits.
    pub(super) async fn inject(&self, api: Api) -> DriverResult<()> {
        if let Some(delay) = self.delays.get(&api).copied().or(self.delay_all) {
            tokio::time::sleep(delay).await;
        }
        if self.fail_all || self.failing.contains(&api) {
            return Err(DriverError::new(
                DriverErrorKind::Cloud,
                format!("injected fault ({FAIL_KEY})"),
            )
            .with_code("InjectedFault"));
        }
        Ok(())
    }
}

/// The non-empty, trimmed comma-separated entries of a credential value.
fn entries(value: Option<&str>) -> impl Iterator<Item = &str> {
    value
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|entry| !entry.is_empty())
}

fn api_named(key: &str, name: &str) -> Result<Api, String> {
    Api::parse(name)
        .ok_or_else(|| format!("credential key '{key}': '{name}' is not an API of the mock cloud"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_keys_inject_nothing() {
        let faults = Faults::parse(None, Some(" ")).unwrap();
        assert!(!faults.fail_all && faults.failing.is_empty());
        assert!(faults.delay_all.is_none() && faults.delays.is_empty());
    }

    #[test]
    fn fail_api_names_calls_or_every_call() {
        let faults = Faults::parse(Some("StartVM, deletenic"), None).unwrap();
        assert_eq!(
            faults.failing,
            HashSet::from([Api::StartVM, Api::DeleteNIC])
        );
        assert!(Faults::parse(Some("*"), None).unwrap().fail_all);

        let err = Faults::parse(Some("StartVM,RunInstances"), None).unwrap_err();
        assert_eq!(
            err,
            "credential key 'FailAPI': 'RunInstances' is not an API of the mock cloud"
        );
    }

    #[test]
    fn delay_api_takes_millis_per_call_and_a_default() {
        let faults = Faults::parse(None, Some("*=20, TerminateVM = 2000")).unwrap();
        assert_eq!(faults.delay_all, Some(Duration::from_millis(20)));
        assert_eq!(
            faults.delays.get(&Api::TerminateVM),
            Some(&Duration::from_millis(2000))
        );
    }

    #[test]
    fn malformed_delay_entries_are_named() {
        for entry in ["StartVM", "StartVM=soon", "StartVM=-5"] {
            let err = Faults::parse(None, Some(&format!("*=1,{entry}"))).unwrap_err();
            assert!(
                err.starts_with(&format!(
                    "credential key 'DelayAPI': malformed entry '{entry}'"
                )),
                "{err}"
            );
        }
    }

    #[tokio::test]
    async fn injected_faults_are_cloud_errors() {
        let faults = Faults::parse(Some("GetVM"), Some("GetVM=1")).unwrap();
        let err = faults.inject(Api::GetVM).await.unwrap_err();
        assert_eq!(err.kind, DriverErrorKind::Cloud);
        assert_eq!(err.code.as_deref(), Some("InjectedFault"));
        assert_eq!(err.message, "injected fault (FailAPI)");
        faults.inject(Api::ListVM).await.unwrap();
    }
}
