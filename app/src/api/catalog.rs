//! Server functions for what a connection's cloud offers, and the call history. Each answers
//! with what the page shows, formatted here, not with the cloud's model types.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::describe;
#[cfg(feature = "ssr")]
use super::ssr::{core, in_request, user_error};
use super::{Choice, Table};

#[server(endpoint = "images/table")]
pub async fn image_table(connection: String) -> Result<Table, ServerFnError> {
    let images = in_request(core()?.list_images(&connection))
        .await
        .map_err(user_error)?;
    Ok(describe::image_table(&images))
}

#[server(endpoint = "specs/table")]
pub async fn spec_table(connection: String) -> Result<Table, ServerFnError> {
    let specs = in_request(core()?.list_specs(&connection))
        .await
        .map_err(user_error)?;
    Ok(describe::spec_table(&specs))
}

/// The images a VM can start from, for the VM form's searchable picker.
#[server(endpoint = "images/choices")]
pub async fn image_choices(connection: String) -> Result<Vec<Choice>, ServerFnError> {
    let images = in_request(core()?.list_images(&connection))
        .await
        .map_err(user_error)?;
    Ok(describe::image_choices(&images))
}

/// The specs a VM can have, for the VM form's searchable picker.
#[server(endpoint = "specs/choices")]
pub async fn spec_choices(connection: String) -> Result<Vec<Choice>, ServerFnError> {
    let specs = in_request(core()?.list_specs(&connection))
        .await
        .map_err(user_error)?;
    Ok(describe::spec_choices(&specs))
}

/// The call history's filters as the AdminWeb sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct HistoryQuery {
    pub connection: String,
    pub resource_type: String,
    /// The resource's name, e.g. a VM's calls.
    pub resource: String,
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
            resource_name: given(self.resource),
            api: given(self.api),
            errors_only: self.errors_only,
            ..Default::default()
        }
    }
}

/// The call history's records and its per-API statistics, as tables.
#[server(endpoint = "history/list")]
pub async fn call_history(query: HistoryQuery) -> Result<(Table, Table), ServerFnError> {
    let core = core()?;
    let filter = query.filter();
    let records = core.history().list(&filter).await.map_err(user_error)?;
    let stats = core.history().stats(&filter).await.map_err(user_error)?;
    Ok((
        describe::call_table(&records),
        describe::stats_table(&stats),
    ))
}
