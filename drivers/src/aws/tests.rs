//! The AWS driver against moto_server: the shared conformance suite, and the call history
//! its interceptor writes.

use std::sync::Arc;

use super::AwsDriver;
use super::moto::Moto;
use crate::contract::{Driver, RecordedCalls};

#[tokio::test]
async fn passes_the_conformance_suite_on_moto() {
    let moto = Moto::start().await;
    moto.reset().await;
    crate::conformance::run(&AwsDriver::new(), || moto.plain_connection_info()).await;
}

#[tokio::test]
async fn every_ec2_operation_is_one_history_record() {
    let moto = Moto::start().await;
    let calls = Arc::new(RecordedCalls::default());
    let connection = AwsDriver::new()
        .connect(moto.connection_info(calls.clone()))
        .await
        .unwrap();
    connection.list_vpcs().await.unwrap();
    let err = connection
        .get_vpc("vpc-00000000000000000")
        .await
        .unwrap_err();
    assert_eq!(
        err.kind,
        crate::contract::DriverErrorKind::NotFound,
        "{err}"
    );
    assert_eq!(err.code.as_deref(), Some("InvalidVpcID.NotFound"));
    let calls = calls.0.lock().unwrap();
    let apis: Vec<&str> = calls.iter().map(|call| call.api.as_str()).collect();
    assert_eq!(apis, ["DescribeVpcs", "DescribeSubnets", "DescribeVpcs"]);
    assert_eq!(calls[0].resource_type, "VPC");
    assert!(calls[0].error.is_none());
    assert!(
        calls[2]
            .error
            .as_deref()
            .unwrap_or_default()
            .contains("InvalidVpcID.NotFound"),
        "{:?}",
        calls[2].error
    );
}
