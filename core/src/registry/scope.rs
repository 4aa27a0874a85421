//! Which connection the AdminWeb works on when a page names none: the one this browser used
//! last, else the one that most recently answered a cloud call, else the first registered.
//! Never simply the alphabetically first, which may be an unreachable cloud.

use spinneret_drivers::model::{ConnectionConfigInfo, ConnectionScope};

use super::Registry;
use crate::error::Result;

impl Registry {
    /// The named connection with its provider and region, as confirmations name it.
    pub async fn connection_scope(&self, name: &str) -> Result<ConnectionScope> {
        let connection = self.get_connection(name).await?;
        let region = self.get_region(&connection.region_name).await?;
        let region_key = region
            .key_value_info_list
            .into_iter()
            .find(|pair| pair.key.eq_ignore_ascii_case("Region"))
            .map(|pair| pair.value);
        Ok(ConnectionScope {
            name: connection.config_name,
            provider: connection.provider_name,
            region: region_key.unwrap_or(connection.region_name),
        })
    }

    /// The first of `preferred` that is still registered, else the first registered
    /// connection; `None` when there is none.
    pub async fn pick_connection(
        &self,
        preferred: impl IntoIterator<Item = Option<String>>,
    ) -> Result<Option<ConnectionConfigInfo>> {
        let connections = self.list_connections(None).await?;
        let chosen = preferred
            .into_iter()
            .flatten()
            .find_map(|name| connections.iter().find(|c| c.config_name == name).cloned());
        Ok(chosen.or_else(|| connections.into_iter().next()))
    }
}
