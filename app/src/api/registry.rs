//! Server functions for the connection registry.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use spinneret_drivers::model::{CloudDriverInfo, ConnectionConfigInfo, CredentialInfo, RegionInfo};

#[cfg(feature = "ssr")]
use super::ssr::{core, user_error};

/// What the dashboard shows: how far the operator got, and connections per provider.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardSummary {
    pub drivers: u64,
    pub credentials: u64,
    pub regions: u64,
    /// Every known provider with its number of connection configs.
    pub connections_by_provider: Vec<(String, u64)>,
}

#[server(endpoint = "dashboard/summary")]
pub async fn load_dashboard() -> Result<DashboardSummary, ServerFnError> {
    let counts = core()?.registry().counts().await.map_err(user_error)?;
    Ok(DashboardSummary {
        drivers: counts.drivers,
        credentials: counts.credentials,
        regions: counts.regions,
        connections_by_provider: counts
            .connections_by_provider
            .into_iter()
            .map(|(provider, count)| (provider.name().to_owned(), count))
            .collect(),
    })
}

#[server(endpoint = "drivers/list")]
pub async fn list_drivers() -> Result<Vec<CloudDriverInfo>, ServerFnError> {
    core()?
        .registry()
        .list_drivers(None)
        .await
        .map_err(user_error)
}

#[server(endpoint = "drivers/put")]
pub async fn put_driver(info: CloudDriverInfo) -> Result<CloudDriverInfo, ServerFnError> {
    core()?
        .registry()
        .put_driver(info)
        .await
        .map_err(user_error)
}

#[server(endpoint = "credentials/list")]
pub async fn list_credentials() -> Result<Vec<CredentialInfo>, ServerFnError> {
    core()?
        .registry()
        .list_credentials(None)
        .await
        .map_err(user_error)
}

#[server(endpoint = "credentials/put")]
pub async fn put_credential(info: CredentialInfo) -> Result<CredentialInfo, ServerFnError> {
    core()?.put_credential(info).await.map_err(user_error)
}

#[server(endpoint = "regions/list")]
pub async fn list_regions() -> Result<Vec<RegionInfo>, ServerFnError> {
    core()?
        .registry()
        .list_regions(None)
        .await
        .map_err(user_error)
}

#[server(endpoint = "regions/put")]
pub async fn put_region(info: RegionInfo) -> Result<RegionInfo, ServerFnError> {
    core()?.put_region(info).await.map_err(user_error)
}

#[server(endpoint = "connections/list")]
pub async fn list_connections() -> Result<Vec<ConnectionConfigInfo>, ServerFnError> {
    core()?
        .registry()
        .list_connections(None)
        .await
        .map_err(user_error)
}

#[server(endpoint = "connections/put")]
pub async fn put_connection(
    info: ConnectionConfigInfo,
) -> Result<ConnectionConfigInfo, ServerFnError> {
    core()?.put_connection(info).await.map_err(user_error)
}

/// The registry record kinds the AdminWeb can delete.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    Driver,
    Credential,
    Region,
    Connection,
}

impl RecordKind {
    /// The form value, as serde spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            RecordKind::Driver => "driver",
            RecordKind::Credential => "credential",
            RecordKind::Region => "region",
            RecordKind::Connection => "connection",
        }
    }

    /// How messages name the kind.
    pub const fn label(self) -> &'static str {
        match self {
            RecordKind::Connection => "connection config",
            other => other.as_str(),
        }
    }
}

#[server(endpoint = "registry/delete")]
pub async fn delete_record(kind: RecordKind, name: String) -> Result<(), ServerFnError> {
    let core = core()?;
    let registry = core.registry();
    match kind {
        RecordKind::Driver => registry.delete_driver(&name).await,
        RecordKind::Credential => registry.delete_credential(&name).await,
        RecordKind::Region => registry.delete_region(&name).await,
        RecordKind::Connection => registry.delete_connection(&name).await,
    }
    .map_err(user_error)
}

/// Registers the mock cloud's driver, credential, region and connection in one go, then
/// shows its images.
#[server(endpoint = "registry/try-mock")]
pub async fn try_mock_cloud() -> Result<(), ServerFnError> {
    let connection = core()?
        .registry()
        .register_mock_cloud()
        .await
        .map_err(user_error)?;
    leptos_axum::redirect(&super::connection_href(
        "/admin/images",
        Some(&connection.config_name),
    ));
    Ok(())
}
