use sea_orm::ActiveValue::Set;
use spinneret_drivers::model::CloudDriverInfo;

use super::{Referenced, Registry, validate};
use crate::entity::{cloud_driver, connection_config};
use crate::error::Result;

const DRIVER: Referenced = Referenced {
    kind: "driver",
    column: connection_config::Column::DriverName,
};

fn info(row: cloud_driver::Model) -> CloudDriverInfo {
    CloudDriverInfo {
        driver_name: row.name,
        provider_name: row.provider,
        driver_lib_file_name: row.lib_file_name,
    }
}

impl Registry {
    /// Registers a cloud driver, or updates the one of that name. Drivers are compiled in; the
    /// library file name is kept for CB-Spider compatibility and defaults to the provider's.
    pub async fn put_driver(&self, request: CloudDriverInfo) -> Result<CloudDriverInfo> {
        let name = validate::name("DriverName", &request.driver_name)?;
        let provider = validate::provider(&request.provider_name)?;
        let lib_file_name = match request.driver_lib_file_name.trim() {
            "" => provider.default_driver_lib(),
            given => given.to_owned(),
        };
        let stored = self
            .stored_provider::<cloud_driver::Entity>(cloud_driver::Column::Provider, &name)
            .await?;
        self.refuse_provider_change(DRIVER, &name, stored, provider)
            .await?;
        let row = cloud_driver::ActiveModel {
            name: Set(name.clone()),
            provider: Set(provider.name().to_owned()),
            lib_file_name: Set(lib_file_name.clone()),
        };
        self.upsert(
            row,
            cloud_driver::Column::Name,
            &[
                cloud_driver::Column::Provider,
                cloud_driver::Column::LibFileName,
            ],
        )
        .await?;
        Ok(CloudDriverInfo {
            driver_name: name,
            provider_name: provider.name().to_owned(),
            driver_lib_file_name: lib_file_name,
        })
    }

    pub async fn list_drivers(&self, provider: Option<&str>) -> Result<Vec<CloudDriverInfo>> {
        let rows = self
            .list::<cloud_driver::Entity>(
                cloud_driver::Column::Provider,
                cloud_driver::Column::Name,
                provider,
            )
            .await?;
        Ok(rows.into_iter().map(info).collect())
    }

    pub async fn get_driver(&self, name: &str) -> Result<CloudDriverInfo> {
        self.find::<cloud_driver::Entity>(DRIVER.kind, name)
            .await
            .map(info)
    }

    pub async fn delete_driver(&self, name: &str) -> Result<()> {
        self.delete_referenced::<cloud_driver::Entity>(DRIVER, name)
            .await
    }
}
