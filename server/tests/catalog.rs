//! Images, specs and capabilities of a connection, with ConnectionName in the body or query.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::{register_mock_connection, send, start};

#[tokio::test]
async fn images_and_specs_of_the_mock_cloud() {
    let server = start().await;
    register_mock_connection(&server, "tenant-a").await;

    let (status, images) = server
        .get("/spider/vmimage?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(images["image"].as_array().unwrap().len(), 5);

    let with_body = server
        .request(Method::GET, "/spider/vmimage/mock-vmimage-03")
        .json(&json!({"ConnectionName": "mock-config"}));
    let (status, image) = send(with_body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(image["OSPlatform"], "Windows");
    assert_eq!(image["OSDistribution"], "Windows Server 2019");

    let (status, specs) = server
        .get("/spider/vmspec?connectionname=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = specs["vmspec"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "mock-vmspec-01",
            "mock-vmspec-02",
            "mock-vmspec-03",
            "mock-vmspec-04"
        ]
    );
    let (_, spec) = server
        .get("/spider/vmspec/mock-vmspec-01?ConnectionName=mock-config")
        .await;
    assert_eq!(spec["Gpu"][0]["TotalMemSizeGB"], "1024");
    assert_eq!(spec["Region"], "default");

    let (status, capability) = server
        .get("/spider/driver/capability?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(capability["ImageHandler"], true);
    assert_eq!(capability["VMSpecHandler"], true);
}

#[tokio::test]
async fn connection_name_is_required_and_must_exist() {
    let server = start().await;
    register_mock_connection(&server, "tenant-a").await;
    let (status, reply) = server.get("/spider/vmimage").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "ConnectionName is required, in the JSON body or as ?ConnectionName="
    );

    let (status, reply) = server.get("/spider/vmspec?ConnectionName=nowhere").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply["message"],
        "connection config 'nowhere' is not registered"
    );

    let (status, reply) = server
        .get("/spider/vmimage/ami-0000?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        reply["message"],
        "GetImage: image 'ami-0000' does not exist in the mock cloud"
    );

    let malformed = server
        .request(Method::GET, "/spider/vmimage")
        .body("{\"ConnectionName\":");
    let (status, reply) = send(malformed).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .starts_with("malformed JSON"),
        "{reply}"
    );
}
