//! The slow-changing catalogues of a real cloud, images and instance types, fetched once per
//! endpoint, region and account and kept for an hour, so the AdminWeb's tables and every VM
//! start do not page through the cloud again. Shared by the AWS and Azure drivers.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use moka::future::Cache;
use serde_json::Value;

use crate::contract::{DriverError, DriverResult};
use crate::model::{ImageInfo, VMSpecInfo};

const CATALOG_TTL: Duration = Duration::from_secs(3600);

/// One region's instance types, as Spinneret shows them and as the cloud describes them,
/// sorted by name.
pub(crate) struct Specs {
    region: String,
    specs: Vec<(VMSpecInfo, Value)>,
}

impl Specs {
    pub fn new(region: &str, mut specs: Vec<(VMSpecInfo, Value)>) -> Self {
        specs.sort_by(|a, b| a.0.name.cmp(&b.0.name));
        Self {
            region: region.to_owned(),
            specs,
        }
    }

    pub fn infos(&self) -> Vec<VMSpecInfo> {
        self.specs.iter().map(|(spec, _)| spec.clone()).collect()
    }

    /// The spec named `name` (in any case), with the cloud's own description.
    pub fn get(&self, name: &str) -> DriverResult<&(VMSpecInfo, Value)> {
        self.specs
            .iter()
            .find(|(spec, _)| spec.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| {
                DriverError::not_found(format!(
                    "instance type '{name}' is not offered in {}",
                    self.region
                ))
            })
    }

    /// Every spec as the cloud describes it, as one JSON array.
    pub fn described(&self) -> String {
        Value::Array(self.specs.iter().map(|(_, org)| org.clone()).collect()).to_string()
    }
}

pub(crate) struct Catalogs {
    images: Cache<String, Arc<Vec<ImageInfo>>>,
    specs: Cache<String, Arc<Specs>>,
}

impl Default for Catalogs {
    fn default() -> Self {
        Self {
            images: Cache::builder().time_to_live(CATALOG_TTL).build(),
            specs: Cache::builder().time_to_live(CATALOG_TTL).build(),
        }
    }
}

impl Catalogs {
    /// The images cached under `key`, loaded by `load` when missing or stale. Concurrent
    /// callers share one load.
    pub async fn images(
        &self,
        key: &str,
        load: impl Future<Output = DriverResult<Vec<ImageInfo>>>,
    ) -> DriverResult<Arc<Vec<ImageInfo>>> {
        self.images
            .try_get_with(key.to_owned(), async { load.await.map(Arc::new) })
            .await
            .map_err(|err| (*err).clone())
    }

    /// The specs cached under `key`, loaded by `load` when missing or stale.
    pub async fn specs(
        &self,
        key: &str,
        load: impl Future<Output = DriverResult<Specs>>,
    ) -> DriverResult<Arc<Specs>> {
        self.specs
            .try_get_with(key.to_owned(), async { load.await.map(Arc::new) })
            .await
            .map_err(|err| (*err).clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(name: &str) -> (VMSpecInfo, Value) {
        let info = VMSpecInfo {
            name: name.to_owned(),
            ..VMSpecInfo::default()
        };
        (info, serde_json::json!({ "name": name }))
    }

    #[test]
    fn specs_are_sorted_found_in_any_case_and_described_together() {
        let specs = Specs::new("r-1", vec![spec("b2"), spec("a1")]);
        let names: Vec<String> = specs.infos().into_iter().map(|spec| spec.name).collect();
        assert_eq!(names, ["a1", "b2"]);
        assert_eq!(specs.get("B2").unwrap().0.name, "b2");
        assert_eq!(
            specs.get("c3").unwrap_err().message,
            "instance type 'c3' is not offered in r-1"
        );
        assert_eq!(specs.described(), r#"[{"name":"a1"},{"name":"b2"}]"#);
    }
}
