//! Server functions for what a connection's cloud offers, and the call history.

use leptos::prelude::*;
use spinneret_drivers::model::{ApiStats, CallLogRecord, ImageInfo, VMSpecInfo};

#[cfg(feature = "ssr")]
use super::ssr::{core, in_request, user_error};

#[server(endpoint = "images/list")]
pub async fn list_images(connection: String) -> Result<Vec<ImageInfo>, ServerFnError> {
    in_request(core()?.list_images(&connection))
        .await
        .map_err(user_error)
}

#[server(endpoint = "specs/list")]
pub async fn list_specs(connection: String) -> Result<Vec<VMSpecInfo>, ServerFnError> {
    in_request(core()?.list_specs(&connection))
        .await
        .map_err(user_error)
}

/// The call history's filters as the AdminWeb sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryQuery {
    pub connection: String,
    pub resource_type: String,
    pub api: String,
    pub errors_only: bool,
}

#[cfg(feature = "ssr")]
impl HistoryQuery {
    fn filter(self) -> spinneret_core::history::CallFilter {
        let given = |value: String| (!value.trim().is_empty()).then(|| value.trim().to_owned());
        spinneret_core::history::CallFilter {
            connection_name: given(self.connection),
            resource_type: given(self.resource_type),
            api: given(self.api),
            errors_only: self.errors_only,
            ..Default::default()
        }
    }
}

#[server(endpoint = "history/list")]
pub async fn call_history(
    query: HistoryQuery,
) -> Result<(Vec<CallLogRecord>, Vec<ApiStats>), ServerFnError> {
    let core = core()?;
    let filter = query.filter();
    let records = core.history().list(&filter).await.map_err(user_error)?;
    let stats = core.history().stats(&filter).await.map_err(user_error)?;
    Ok((records, stats))
}
