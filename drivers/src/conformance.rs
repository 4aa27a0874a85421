//! The conformance suite: one set of checks that every driver must pass, whatever cloud it
//! talks to. The mock runs it in `cargo test`; other drivers run it against their emulators.
//! Failures panic with a message naming the operation, as test helpers do.

use crate::contract::{Connection, ConnectionInfo, Driver, DriverErrorKind};

/// A name no cloud will have, for the not-found checks.
const MISSING: &str = "spinneret-conformance-missing";

/// Connects with a fresh `ConnectionInfo` and runs every check.
pub async fn run(driver: &dyn Driver, info: impl Fn() -> ConnectionInfo) {
    let connection = driver.connect(info()).await.expect("connect");
    let capabilities = driver.capabilities();
    if capabilities.image {
        images(connection.as_ref()).await;
    }
    if capabilities.vm_spec {
        specs(connection.as_ref()).await;
    }
}

/// Images: the list is not empty, each listed image can be fetched as listed, and an unknown
/// one is NotFound.
pub async fn images(connection: &dyn Connection) {
    let images = connection.list_images().await.expect("ListImage");
    assert!(
        !images.is_empty(),
        "ListImage: a cloud offers at least one image"
    );
    for image in images.iter().take(3) {
        let fetched = connection
            .get_image(&image.iid.system_id)
            .await
            .expect("GetImage of a listed image");
        assert_eq!(&fetched, image, "GetImage returns what ListImage listed");
    }
    let err = connection
        .get_image(MISSING)
        .await
        .expect_err("GetImage of an unknown image");
    assert_eq!(
        err.kind,
        DriverErrorKind::NotFound,
        "GetImage of an unknown image: {err}"
    );
}

/// Specs: the same checks for instance types.
pub async fn specs(connection: &dyn Connection) {
    let specs = connection.list_specs().await.expect("ListVMSpec");
    assert!(
        !specs.is_empty(),
        "ListVMSpec: a cloud offers at least one spec"
    );
    for spec in specs.iter().take(3) {
        let fetched = connection
            .get_spec(&spec.name)
            .await
            .expect("GetVMSpec of a listed spec");
        assert_eq!(&fetched, spec, "GetVMSpec returns what ListVMSpec listed");
        assert!(
            !spec.vcpu.count.is_empty(),
            "{}: VCpu.Count is set",
            spec.name
        );
    }
    let err = connection
        .get_spec(MISSING)
        .await
        .expect_err("GetVMSpec of an unknown spec");
    assert_eq!(
        err.kind,
        DriverErrorKind::NotFound,
        "GetVMSpec of an unknown spec: {err}"
    );
}
