//! The mock cloud (provider `MOCK`): a cloud inside Spinneret for new users, demos and tests.
//! Each credential's `MockName` is a separate mock account. Fixture names are CB-Spider's, so
//! CB-Spider scripts run unchanged (see `shared/spec/mock-driver.md`).

mod fixtures;

use std::sync::Arc;

use async_trait::async_trait;

use crate::Provider;
use crate::contract::{
    CallRecorder, Capabilities, Connection, ConnectionInfo, Driver, DriverError, DriverResult,
    ImageHandler, SpecHandler, recorded,
};
use crate::model::{ImageInfo, VMSpecInfo};

/// The mock cloud's driver.
#[derive(Clone, Debug, Default)]
pub struct MockDriver;

#[async_trait]
impl Driver for MockDriver {
    fn provider(&self) -> Provider {
        Provider::Mock
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            image: true,
            vm_spec: true,
            ..Capabilities::default()
        }
    }

    async fn connect(&self, info: ConnectionInfo) -> DriverResult<Box<dyn Connection>> {
        info.required_credential_value("MockName")?;
        let region = info.required_region_value("Region")?.to_owned();
        Ok(Box::new(MockConnection {
            region,
            recorder: info.recorder,
        }))
    }
}

/// One mock account in one region. Each operation is one recorded call, named as CB-Spider's
/// mock names it.
struct MockConnection {
    region: String,
    recorder: Arc<dyn CallRecorder>,
}

#[async_trait]
impl ImageHandler for MockConnection {
    async fn list_images(&self) -> DriverResult<Vec<ImageInfo>> {
        recorded(self.recorder.as_ref(), "VMImage", "", "ListImage", async {
            Ok(fixtures::images())
        })
        .await
    }

    async fn get_image(&self, name: &str) -> DriverResult<ImageInfo> {
        recorded(self.recorder.as_ref(), "VMImage", name, "GetImage", async {
            fixtures::images()
                .into_iter()
                .find(|image| image.iid.system_id == name)
                .ok_or_else(|| {
                    DriverError::not_found(format!(
                        "GetImage: image '{name}' does not exist in the mock cloud"
                    ))
                })
        })
        .await
    }
}

#[async_trait]
impl SpecHandler for MockConnection {
    async fn list_specs(&self) -> DriverResult<Vec<VMSpecInfo>> {
        recorded(self.recorder.as_ref(), "VMSpec", "", "ListVMSpec", async {
            Ok(fixtures::specs(&self.region))
        })
        .await
    }

    async fn get_spec(&self, name: &str) -> DriverResult<VMSpecInfo> {
        recorded(self.recorder.as_ref(), "VMSpec", name, "GetVMSpec", async {
            fixtures::specs(&self.region)
                .into_iter()
                .find(|spec| spec.name == name)
                .ok_or_else(|| {
                    DriverError::not_found(format!(
                        "GetVMSpec: spec '{name}' does not exist in the mock cloud"
                    ))
                })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use secrecy::SecretString;

    use super::*;
    use crate::contract::{CloudCall, DriverErrorKind, NoRecorder};
    use crate::model::KeyValue;

    fn connection_info() -> ConnectionInfo {
        ConnectionInfo {
            connection_name: "mock-config".into(),
            provider: Provider::Mock,
            region: vec![KeyValue::new("Region", "default")],
            credential: vec![("MockName".into(), SecretString::from("tenant-a".to_owned()))],
            recorder: Arc::new(NoRecorder),
        }
    }

    #[derive(Default)]
    struct Calls(Mutex<Vec<CloudCall>>);

    impl CallRecorder for Calls {
        fn record(&self, call: CloudCall) {
            self.0.lock().unwrap().push(call);
        }
    }

    #[tokio::test]
    async fn every_operation_is_one_recorded_call() {
        let calls = Arc::new(Calls::default());
        let info = ConnectionInfo {
            recorder: calls.clone(),
            ..connection_info()
        };
        let connection = MockDriver.connect(info).await.unwrap();
        connection.list_images().await.unwrap();
        connection.get_spec("nope").await.unwrap_err();
        let calls = calls.0.lock().unwrap();
        let apis: Vec<&str> = calls.iter().map(|call| call.api.as_str()).collect();
        assert_eq!(apis, ["ListImage", "GetVMSpec"]);
        assert_eq!(calls[0].error, None);
        assert_eq!(calls[1].resource_name, "nope");
        assert_eq!(
            calls[1].error.as_deref(),
            Some("GetVMSpec: spec 'nope' does not exist in the mock cloud")
        );
    }

    #[tokio::test]
    async fn passes_the_conformance_suite() {
        crate::conformance::run(&MockDriver, connection_info).await;
    }

    #[tokio::test]
    async fn connecting_needs_a_mock_name_and_a_region() {
        let mut info = connection_info();
        info.credential.clear();
        let err = MockDriver.connect(info).await.err().expect("refused");
        assert_eq!(err.kind, DriverErrorKind::Invalid);
        assert_eq!(
            err.message,
            "connection 'mock-config': the credential has no 'MockName'"
        );

        let mut info = connection_info();
        info.region.clear();
        assert!(MockDriver.connect(info).await.is_err());
    }

    #[tokio::test]
    async fn specs_carry_the_connection_region() {
        let connection = MockDriver.connect(connection_info()).await.unwrap();
        let spec = connection.get_spec("mock-vmspec-02").await.unwrap();
        assert_eq!(spec.region, "default");
    }
}
