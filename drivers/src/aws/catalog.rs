//! Images and instance types: large, slow-changing lists, fetched once per endpoint, region
//! and account and cached for an hour, so the AdminWeb's tables and every VM start do not
//! page through EC2 again.

use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, ImageState};
use moka::future::Cache;

use super::error::driver_error;
use super::{AwsConnection, mapping};
use crate::contract::{DriverError, DriverResult, ImageHandler, SpecHandler};
use crate::model::{ImageInfo, VMSpecInfo};

const CATALOG_TTL: Duration = Duration::from_secs(3600);

/// An instance type as Spinneret shows it and as EC2 describes it.
type Spec = (VMSpecInfo, serde_json::Value);

pub(super) struct Catalogs {
    images: Cache<String, Arc<Vec<ImageInfo>>>,
    specs: Cache<String, Arc<Vec<Spec>>>,
}

impl Default for Catalogs {
    fn default() -> Self {
        Self {
            images: Cache::builder().time_to_live(CATALOG_TTL).build(),
            specs: Cache::builder().time_to_live(CATALOG_TTL).build(),
        }
    }
}

impl AwsConnection {
    /// The account's own images and Amazon's public ones that are available.
    async fn images(&self) -> DriverResult<Arc<Vec<ImageInfo>>> {
        let load = async {
            let mut pages = self
                .client
                .describe_images()
                .owners("self")
                .owners("amazon")
                .filters(
                    Filter::builder()
                        .name("state")
                        .values(ImageState::Available.as_str())
                        .build(),
                )
                .into_paginator()
                .send();
            let mut images = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|err| driver_error("DescribeImages", err))?;
                images.extend(page.images().iter().map(mapping::image));
            }
            Ok::<_, DriverError>(Arc::new(images))
        };
        self.catalogs
            .images
            .try_get_with(self.catalog_key.clone(), load)
            .await
            .map_err(|err| (*err).clone())
    }

    async fn specs(&self) -> DriverResult<Arc<Vec<Spec>>> {
        let load = async {
            let mut pages = self
                .client
                .describe_instance_types()
                .into_paginator()
                .send();
            let mut specs = Vec::new();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|err| driver_error("DescribeInstanceTypes", err))?;
                specs.extend(
                    page.instance_types()
                        .iter()
                        .map(|info| (mapping::spec(&self.region, info), mapping::org_spec(info))),
                );
            }
            specs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
            Ok::<_, DriverError>(Arc::new(specs))
        };
        self.catalogs
            .specs
            .try_get_with(self.catalog_key.clone(), load)
            .await
            .map_err(|err| (*err).clone())
    }

    async fn spec(&self, name: &str) -> DriverResult<Spec> {
        self.specs()
            .await?
            .iter()
            .find(|(spec, _)| spec.name == name)
            .cloned()
            .ok_or_else(|| {
                DriverError::not_found(format!(
                    "DescribeInstanceTypes: instance type '{name}' is not offered in {}",
                    self.region
                ))
            })
    }
}

#[async_trait]
impl ImageHandler for AwsConnection {
    async fn list_images(&self) -> DriverResult<Vec<ImageInfo>> {
        Ok(self.images().await?.as_ref().clone())
    }

    async fn get_image(&self, name: &str) -> DriverResult<ImageInfo> {
        if let Some(image) = self
            .images()
            .await?
            .iter()
            .find(|image| image.iid.system_id == name)
        {
            return Ok(image.clone());
        }
        // Not in the catalogue (e.g. a shared image): ask for it by id.
        let answer = self
            .client
            .describe_images()
            .image_ids(name)
            .send()
            .await
            .map_err(|err| driver_error("DescribeImages", err))?;
        answer.images().first().map(mapping::image).ok_or_else(|| {
            DriverError::not_found(format!("DescribeImages: image '{name}' does not exist"))
        })
    }
}

#[async_trait]
impl SpecHandler for AwsConnection {
    async fn list_specs(&self) -> DriverResult<Vec<VMSpecInfo>> {
        Ok(self
            .specs()
            .await?
            .iter()
            .map(|(spec, _)| spec.clone())
            .collect())
    }

    async fn get_spec(&self, name: &str) -> DriverResult<VMSpecInfo> {
        Ok(self.spec(name).await?.0)
    }

    async fn list_org_specs(&self) -> DriverResult<String> {
        let specs = self.specs().await?;
        let all: Vec<&serde_json::Value> = specs.iter().map(|(_, org)| org).collect();
        Ok(serde_json::to_string(&all).expect("JSON values serialize"))
    }

    async fn get_org_spec(&self, name: &str) -> DriverResult<String> {
        Ok(self.spec(name).await?.1.to_string())
    }
}
