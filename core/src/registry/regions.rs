use sea_orm::ActiveValue::Set;
use spinneret_drivers::model::{KeyValue, RegionInfo};

use super::{Checked, Referenced, Registry, validate};
use crate::entity::{connection_config, region};
use crate::error::{Error, Result};

const REGION: Referenced = Referenced {
    kind: "region",
    column: connection_config::Column::RegionName,
};

fn info(row: region::Model) -> Result<RegionInfo> {
    let corrupt = |err| Error::internal(format!("reading stored region '{}'", row.name), err);
    let key_values: Vec<KeyValue> = serde_json::from_str(&row.key_values).map_err(corrupt)?;
    let zones = row
        .zones
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(corrupt)?
        .unwrap_or_default();
    Ok(RegionInfo {
        region_name: row.name,
        provider_name: row.provider,
        key_value_info_list: key_values,
        available_zone_list: zones,
    })
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|err| Error::internal("encoding region", err))
}

impl Registry {
    /// Registers a region, or replaces the one of that name.
    pub(crate) async fn put_region(&self, request: RegionInfo) -> Result<RegionInfo> {
        let checked = self.check_region(request).await?;
        self.save_region(checked).await
    }

    /// The region as it would be saved: names, keys and zones checked.
    pub(crate) async fn check_region(&self, request: RegionInfo) -> Result<Checked<RegionInfo>> {
        let name = validate::name("RegionName", &request.region_name)?;
        let provider = validate::provider(&request.provider_name)?;
        let key_values = validate::key_values(
            "region",
            provider,
            provider.region_keys(),
            &request.key_value_info_list,
        )?;
        let zones = request
            .available_zone_list
            .iter()
            .enumerate()
            .map(|(index, zone)| validate::name(&format!("AvailableZoneList[{index}]"), zone))
            .collect::<Result<Vec<_>>>()?;
        let stored = self
            .stored_provider::<region::Entity>(region::Column::Provider, &name)
            .await?;
        self.refuse_provider_change(REGION, &name, stored, provider)
            .await?;
        Ok(Checked(RegionInfo {
            region_name: name,
            provider_name: provider.name().to_owned(),
            key_value_info_list: key_values,
            available_zone_list: zones,
        }))
    }

    pub(crate) async fn save_region(
        &self,
        Checked(checked): Checked<RegionInfo>,
    ) -> Result<RegionInfo> {
        let row = region::ActiveModel {
            name: Set(checked.region_name.clone()),
            provider: Set(checked.provider_name.clone()),
            key_values: Set(to_json(&checked.key_value_info_list)?),
            // An empty list is stored as NULL, as rows from before `[]` lists always were.
            zones: Set((!checked.available_zone_list.is_empty())
                .then(|| to_json(&checked.available_zone_list))
                .transpose()?),
        };
        self.upsert(
            row,
            region::Column::Name,
            &[
                region::Column::Provider,
                region::Column::KeyValues,
                region::Column::Zones,
            ],
        )
        .await?;
        Ok(checked)
    }

    /// The connection configs that use the region.
    pub(crate) async fn connections_with_region(&self, name: &str) -> Result<Vec<String>> {
        self.configs_using(REGION.column, name).await
    }

    pub async fn list_regions(&self, provider: Option<&str>) -> Result<Vec<RegionInfo>> {
        self.list::<region::Entity>(region::Column::Provider, region::Column::Name, provider)
            .await?
            .into_iter()
            .map(info)
            .collect()
    }

    pub async fn get_region(&self, name: &str) -> Result<RegionInfo> {
        info(self.find::<region::Entity>(REGION.kind, name).await?)
    }

    pub async fn delete_region(&self, name: &str) -> Result<()> {
        self.delete_referenced::<region::Entity>(REGION, name).await
    }
}
