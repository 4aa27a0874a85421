//! What a cloud offers in a connection's region: images and VM specs.

use spinneret_drivers::model::{ImageInfo, VMSpecInfo};

use crate::Core;
use crate::error::Result;

impl Core {
    pub async fn list_images(&self, connection: &str) -> Result<Vec<ImageInfo>> {
        Ok(self.connect(connection).await?.list_images().await?)
    }

    pub async fn get_image(&self, connection: &str, name: &str) -> Result<ImageInfo> {
        Ok(self.connect(connection).await?.get_image(name).await?)
    }

    pub async fn list_specs(&self, connection: &str) -> Result<Vec<VMSpecInfo>> {
        Ok(self.connect(connection).await?.list_specs().await?)
    }

    pub async fn get_spec(&self, connection: &str, name: &str) -> Result<VMSpecInfo> {
        Ok(self.connect(connection).await?.get_spec(name).await?)
    }

    /// Every spec as the cloud describes them: its own JSON text.
    pub async fn list_org_specs(&self, connection: &str) -> Result<String> {
        Ok(self.connect(connection).await?.list_org_specs().await?)
    }

    /// One spec as the cloud describes it: its own JSON text.
    pub async fn get_org_spec(&self, connection: &str, name: &str) -> Result<String> {
        Ok(self.connect(connection).await?.get_org_spec(name).await?)
    }
}

#[cfg(test)]
mod tests {
    use crate::registry::tests::register_mock_connection;
    use crate::test_support::storage_tests;
    use crate::{Core, ErrorKind};

    async fn mock_images_and_specs_through_a_connection(core: Core) {
        register_mock_connection(&core).await;
        let images = core.list_images("mock-config").await.unwrap();
        assert_eq!(images.len(), 5);
        let spec = core
            .get_spec("mock-config", "mock-vmspec-03")
            .await
            .unwrap();
        assert_eq!(spec.region, "default");
        assert_eq!(core.list_specs("mock-config").await.unwrap().len(), 4);

        let err = core.get_image("mock-config", "nope").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        let err = core.list_images("no-such-config").await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::NotFound);
        assert_eq!(
            err.message(),
            "connection config 'no-such-config' is not registered"
        );
        assert!(core.capabilities("mock-config").await.unwrap().image);
    }

    storage_tests!(mock_images_and_specs_through_a_connection);
}
