//! Images and instance types: large, slow-changing lists, kept in the shared
//! [`Catalogs`](crate::catalogs::Catalogs) per endpoint, region and account.

use std::sync::Arc;

use async_trait::async_trait;
use aws_sdk_ec2::types::{Filter, ImageState};

use super::error::driver_error;
use super::{AwsConnection, mapping};
use crate::catalogs::Specs;
use crate::contract::{DriverError, DriverResult, ImageHandler, SpecHandler};
use crate::model::{ImageInfo, VMSpecInfo};

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
            Ok(images)
        };
        self.catalogs.images(&self.catalog_key, load).await
    }

    async fn specs(&self) -> DriverResult<Arc<Specs>> {
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
            Ok(Specs::new(&self.region, specs))
        };
        self.catalogs.specs(&self.catalog_key, load).await
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
        Ok(self.specs().await?.infos())
    }

    async fn get_spec(&self, name: &str) -> DriverResult<VMSpecInfo> {
        Ok(self.specs().await?.get(name)?.0.clone())
    }

    async fn list_org_specs(&self) -> DriverResult<String> {
        Ok(self.specs().await?.described())
    }

    async fn get_org_spec(&self, name: &str) -> DriverResult<String> {
        Ok(self.specs().await?.get(name)?.1.to_string())
    }
}
