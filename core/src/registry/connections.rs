use std::sync::Arc;

use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use spinneret_drivers::Provider;
use spinneret_drivers::contract::{ConnectionInfo, NoRecorder};
use spinneret_drivers::model::ConnectionConfigInfo;

use super::{Checked, Registry, validate};
use crate::entity::{cloud_driver, connection_config, credential, region, resource};
use crate::error::{Error, Result};

fn info(row: connection_config::Model) -> ConnectionConfigInfo {
    ConnectionConfigInfo {
        config_name: row.name,
        provider_name: row.provider,
        driver_name: row.driver_name,
        credential_name: row.credential_name,
        region_name: row.region_name,
    }
}

/// A dangling or mismatched reference is a fault of the request (400), naming the field.
fn check_reference(
    field: &str,
    kind: &str,
    name: &str,
    stored_provider: Option<&str>,
    provider: Provider,
) -> Result<()> {
    match stored_provider {
        None => Err(Error::invalid(format!(
            "{field}: {kind} '{name}' is not registered"
        ))),
        Some(stored) if stored != provider.name() => Err(Error::invalid(format!(
            "{field}: {kind} '{name}' is for provider {stored}, not {provider}"
        ))),
        Some(_) => Ok(()),
    }
}

impl Registry {
    /// Registers a connection config, or replaces the one of that name. Its driver, credential
    /// and region must be registered for the same provider.
    pub(crate) async fn put_connection(
        &self,
        request: ConnectionConfigInfo,
    ) -> Result<ConnectionConfigInfo> {
        let checked = self.check_connection(request).await?;
        self.save_connection(checked).await
    }

    /// The connection config as it would be saved: names checked, and its driver, credential
    /// and region registered for its provider.
    pub(crate) async fn check_connection(
        &self,
        request: ConnectionConfigInfo,
    ) -> Result<Checked<ConnectionConfigInfo>> {
        let name = validate::name("ConfigName", &request.config_name)?;
        let provider = validate::provider(&request.provider_name)?;
        let driver = validate::name("DriverName", &request.driver_name)?;
        let credential = validate::name("CredentialName", &request.credential_name)?;
        let region = validate::name("RegionName", &request.region_name)?;

        let stored_driver = self
            .stored_provider::<cloud_driver::Entity>(cloud_driver::Column::Provider, &driver)
            .await?;
        check_reference(
            "DriverName",
            "driver",
            &driver,
            stored_driver.as_deref(),
            provider,
        )?;
        let stored_credential = self
            .stored_provider::<credential::Entity>(credential::Column::Provider, &credential)
            .await?;
        check_reference(
            "CredentialName",
            "credential",
            &credential,
            stored_credential.as_deref(),
            provider,
        )?;
        let stored_region = self
            .stored_provider::<region::Entity>(region::Column::Provider, &region)
            .await?;
        check_reference(
            "RegionName",
            "region",
            &region,
            stored_region.as_deref(),
            provider,
        )?;

        Ok(Checked(ConnectionConfigInfo {
            config_name: name,
            provider_name: provider.name().to_owned(),
            driver_name: driver,
            credential_name: credential,
            region_name: region,
        }))
    }

    pub(crate) async fn save_connection(
        &self,
        Checked(saved): Checked<ConnectionConfigInfo>,
    ) -> Result<ConnectionConfigInfo> {
        let row = connection_config::ActiveModel {
            name: Set(saved.config_name.clone()),
            provider: Set(saved.provider_name.clone()),
            driver_name: Set(saved.driver_name.clone()),
            credential_name: Set(saved.credential_name.clone()),
            region_name: Set(saved.region_name.clone()),
        };
        self.upsert(
            row,
            connection_config::Column::Name,
            &[
                connection_config::Column::Provider,
                connection_config::Column::DriverName,
                connection_config::Column::CredentialName,
                connection_config::Column::RegionName,
            ],
        )
        .await?;
        Ok(saved)
    }

    pub async fn list_connections(
        &self,
        provider: Option<&str>,
    ) -> Result<Vec<ConnectionConfigInfo>> {
        let rows = self
            .list::<connection_config::Entity>(
                connection_config::Column::Provider,
                connection_config::Column::Name,
                provider,
            )
            .await?;
        Ok(rows.into_iter().map(info).collect())
    }

    /// The connection config, or `None` when the name is not registered.
    pub(crate) async fn find_connection(&self, name: &str) -> Result<Option<ConnectionConfigInfo>> {
        Ok(connection_config::Entity::find_by_id(name.to_owned())
            .one(&self.db)
            .await?
            .map(info))
    }

    pub async fn get_connection(&self, name: &str) -> Result<ConnectionConfigInfo> {
        self.find::<connection_config::Entity>("connection config", name)
            .await
            .map(info)
    }

    /// Deletes a connection config: 409 while it still has cloud resources.
    pub async fn delete_connection(&self, name: &str) -> Result<()> {
        let resources = resource::Entity::find()
            .filter(resource::Column::ConnectionName.eq(name))
            .count(&self.db)
            .await?;
        if resources > 0 {
            return Err(Error::conflict(format!(
                "cannot delete connection config '{name}': it still has {resources} resource(s) \
                 (VPCs, security groups, key pairs or VMs); delete them first"
            )));
        }
        let deleted = connection_config::Entity::delete_by_id(name.to_owned())
            .exec(&self.db)
            .await
            .map_err(|err| super::dangling_reference_race(err, "delete"))?;
        self.changed();
        if deleted.rows_affected == 0 {
            return Err(Error::not_found(format!(
                "connection config '{name}' is not registered"
            )));
        }
        Ok(())
    }

    /// What a driver needs to connect: the provider, the region's keys and the credential's
    /// values, decrypted by the vault. Only a driver connecting gets these. Its calls go
    /// nowhere until the caller plugs in a recorder.
    pub(crate) async fn connection_info(&self, name: &str) -> Result<ConnectionInfo> {
        self.connection_info_of(&self.get_connection(name).await?)
            .await
    }

    /// What a driver would connect with for `config`, saved or not.
    pub(crate) async fn connection_info_of(
        &self,
        config: &ConnectionConfigInfo,
    ) -> Result<ConnectionInfo> {
        let provider = validate::provider(&config.provider_name)?;
        let region = self.get_region(&config.region_name).await?;
        let credential = self.open_credential(&config.credential_name).await?;
        Ok(ConnectionInfo {
            connection_name: config.config_name.clone(),
            provider,
            region_name: region.region_name,
            region: region.key_value_info_list,
            credential,
            recorder: Arc::new(NoRecorder),
        })
    }

    /// How many connection configs exist, optionally of one provider.
    pub async fn count_connections(&self, provider: Option<&str>) -> Result<u64> {
        let mut query = connection_config::Entity::find();
        if let Some(provider) = provider {
            query = query.filter(
                connection_config::Column::Provider.eq(validate::provider(provider)?.name()),
            );
        }
        Ok(query.count(&self.db).await?)
    }
}
