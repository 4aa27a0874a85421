//! VM sizes and marketplace images. Specs are the region's VM sizes. Images are named by URN,
//! `publisher:offer:sku:version`, and get works for any URN; the list is the newest version of
//! a curated set of common images, kept in the shared catalogues per endpoint, region and
//! subscription. It never walks the whole marketplace, which takes ARM tens of minutes.

use async_trait::async_trait;
use serde_json::{Value, json};
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use super::AzureConnection;
use super::arm::Scope;
use crate::catalogs::Specs;
use crate::contract::{DriverError, DriverErrorKind, DriverResult, ImageHandler, SpecHandler};
use crate::model::{
    ImageInfo, ImageStatus, KeyValue, OSArchitecture, OSPlatform, VCpuInfo, VMSpecInfo,
};

/// The images `ListImage` shows, as (publisher, offer, sku): common Linux distributions and
/// Windows Server. A sku a region lacks is left out.
const CURATED: &[(&str, &str, &str)] = &[
    ("Canonical", "ubuntu-24_04-lts", "server"),
    (
        "Canonical",
        "0001-com-ubuntu-server-jammy",
        "22_04-lts-gen2",
    ),
    ("Debian", "debian-12", "12-gen2"),
    ("RedHat", "RHEL", "9-lvm-gen2"),
    (
        "MicrosoftWindowsServer",
        "WindowsServer",
        "2022-datacenter-g2",
    ),
];

/// A marketplace image's URN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Urn {
    publisher: String,
    offer: String,
    sku: String,
    version: String,
}

impl FromStr for Urn {
    type Err = DriverError;

    /// Anything but four non-empty parts names no image: NotFound, like an unknown URN.
    fn from_str(urn: &str) -> Result<Self, Self::Err> {
        match urn.split(':').collect::<Vec<_>>().as_slice() {
            [publisher, offer, sku, version] if !urn.split(':').any(str::is_empty) => Ok(Self {
                publisher: (*publisher).to_owned(),
                offer: (*offer).to_owned(),
                sku: (*sku).to_owned(),
                version: (*version).to_owned(),
            }),
            _ => Err(DriverError::not_found(format!(
                "image '{urn}' is not an Azure image URN (publisher:offer:sku:version)"
            ))),
        }
    }
}

impl fmt::Display for Urn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}:{}",
            self.publisher, self.offer, self.sku, self.version
        )
    }
}

impl Urn {
    /// A VM's `storageProfile.imageReference`.
    pub fn reference(&self) -> Value {
        json!({
            "publisher": self.publisher, "offer": self.offer,
            "sku": self.sku, "version": self.version,
        })
    }

    /// The URN a VM's `imageReference` names.
    pub fn of_reference(reference: &Value) -> Self {
        let text = |field: &str| reference[field].as_str().unwrap_or_default().to_owned();
        Self {
            publisher: text("publisher"),
            offer: text("offer"),
            sku: text("sku"),
            version: text("version"),
        }
    }
}

fn image_info(urn: &Urn, image: &Value) -> ImageInfo {
    let properties = &image["properties"];
    let name = urn.to_string();
    let platform = match properties["osDiskImage"]["operatingSystem"].as_str() {
        Some("Windows") => OSPlatform::Windows,
        Some("Linux") => OSPlatform::LinuxUnix,
        _ => OSPlatform::NotApplicable,
    };
    let architecture = match properties["architecture"].as_str() {
        Some("x64") => OSArchitecture::X86_64,
        Some("Arm64") => OSArchitecture::Arm64,
        _ => OSArchitecture::NotApplicable,
    };
    let mut facts = vec![
        KeyValue::new("Publisher", &urn.publisher),
        KeyValue::new("Offer", &urn.offer),
        KeyValue::new("Sku", &urn.sku),
        KeyValue::new("Version", &urn.version),
    ];
    if let Some(generation) = properties["hyperVGeneration"].as_str() {
        facts.push(KeyValue::new("HyperVGeneration", generation));
    }
    ImageInfo {
        iid: crate::model::Iid::new(&name, &name),
        name,
        os_architecture: architecture,
        os_platform: platform,
        os_distribution: format!("{} {}", urn.offer, urn.sku),
        os_disk_size_gb: properties["osDiskImage"]["sizeInGb"]
            .as_i64()
            .map(|size| size.to_string())
            .unwrap_or_default(),
        image_status: ImageStatus::Available,
        key_value_list: facts,
        ..ImageInfo::default()
    }
}

fn spec_info(region: &str, size: &Value) -> VMSpecInfo {
    let number = |field: &str| size[field].as_i64().unwrap_or_default();
    VMSpecInfo {
        region: region.to_owned(),
        name: size["name"].as_str().unwrap_or_default().to_owned(),
        vcpu: VCpuInfo {
            count: number("numberOfCores").to_string(),
            ..VCpuInfo::default()
        },
        mem_size_mib: number("memoryInMB").to_string(),
        disk_size_gb: (number("resourceDiskSizeInMB") / 1024).to_string(),
        ..VMSpecInfo::default()
    }
}

impl AzureConnection {
    /// The newest version of a sku, or `None` when the region lacks it.
    async fn newest(
        &self,
        publisher: &str,
        offer: &str,
        sku: &str,
    ) -> DriverResult<Option<String>> {
        let Scope {
            subscription,
            location,
            ..
        } = self.scope();
        let client = self.arm.compute.virtual_machine_images_client();
        let versions: DriverResult<Vec<Value>> = self
            .arm
            .read(
                "VirtualMachineImages_List",
                client
                    .list(location, publisher, offer, sku, subscription)
                    .send(),
            )
            .await;
        match versions {
            // ARM lists versions oldest first.
            Ok(versions) => Ok(versions
                .last()
                .and_then(|version| version["name"].as_str())
                .map(str::to_owned)),
            Err(err) if err.kind == DriverErrorKind::NotFound => Ok(None),
            Err(err) => Err(err),
        }
    }

    async fn image(&self, urn: &Urn) -> DriverResult<ImageInfo> {
        let Scope {
            subscription,
            location,
            ..
        } = self.scope();
        let mut urn = urn.clone();
        if urn.version.eq_ignore_ascii_case("latest") {
            urn.version = self
                .newest(&urn.publisher, &urn.offer, &urn.sku)
                .await?
                .ok_or_else(|| DriverError::not_found(format!("image '{urn}' does not exist")))?;
        }
        let client = self.arm.compute.virtual_machine_images_client();
        let image: Value = self
            .arm
            .read(
                "VirtualMachineImages_Get",
                client
                    .get(
                        location,
                        &urn.publisher,
                        &urn.offer,
                        &urn.sku,
                        &urn.version,
                        subscription,
                    )
                    .send(),
            )
            .await?;
        Ok(image_info(&urn, &image))
    }

    async fn images(&self) -> DriverResult<Arc<Vec<ImageInfo>>> {
        let load = async {
            let mut images = Vec::with_capacity(CURATED.len());
            for (publisher, offer, sku) in CURATED {
                if let Some(version) = self.newest(publisher, offer, sku).await? {
                    let urn = Urn {
                        publisher: (*publisher).to_owned(),
                        offer: (*offer).to_owned(),
                        sku: (*sku).to_owned(),
                        version,
                    };
                    images.push(self.image(&urn).await?);
                }
            }
            Ok(images)
        };
        self.catalogs.images(&self.catalog_key, load).await
    }

    async fn specs(&self) -> DriverResult<Arc<Specs>> {
        let load = async {
            let Scope {
                subscription,
                location,
                ..
            } = self.scope();
            let client = self.arm.compute.virtual_machine_sizes_client();
            let sizes: Value = self
                .arm
                .read(
                    "VirtualMachineSizes_List",
                    client.list(location, subscription).send(),
                )
                .await?;
            let specs = sizes["value"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|size| (spec_info(location, size), size.clone()))
                .collect();
            Ok(Specs::new(location, specs))
        };
        self.catalogs.specs(&self.catalog_key, load).await
    }
}

#[async_trait]
impl ImageHandler for AzureConnection {
    async fn list_images(&self) -> DriverResult<Vec<ImageInfo>> {
        Ok(self.images().await?.as_ref().clone())
    }

    async fn get_image(&self, name: &str) -> DriverResult<ImageInfo> {
        let urn: Urn = name.parse()?;
        if let Some(image) = self
            .images()
            .await?
            .iter()
            .find(|image| image.iid.system_id.eq_ignore_ascii_case(name))
        {
            return Ok(image.clone());
        }
        self.image(&urn).await
    }
}

#[async_trait]
impl SpecHandler for AzureConnection {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urns_have_four_parts() {
        let urn: Urn = "Canonical:ubuntu-24_04-lts:server:latest".parse().unwrap();
        assert_eq!(urn.to_string(), "Canonical:ubuntu-24_04-lts:server:latest");
        assert_eq!(Urn::of_reference(&urn.reference()), urn);
        for wrong in ["ami-123", "a:b:c", "a::c:d", "a:b:c:d:e"] {
            let err = wrong.parse::<Urn>().unwrap_err();
            assert_eq!(err.kind, DriverErrorKind::NotFound, "{wrong}");
        }
    }
}
