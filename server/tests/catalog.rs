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

    let (status, org) = server
        .get("/spider/vmorgspec/mock-vmspec-02?ConnectionName=mock-config")
        .await;
    assert_eq!(
        (status, &org["Name"]),
        (StatusCode::OK, &json!("mock-vmspec-02"))
    );
    let (status, org) = server
        .get("/spider/vmorgspec?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    // Wrapped like every list: spctl cannot read a top-level array.
    assert_eq!(org["vmspec"].as_array().map(Vec::len), Some(4), "{org}");
    let (status, _) = server
        .get("/spider/vmorgspec/nope?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, capability) = server
        .get("/spider/driver/capability?ConnectionName=mock-config")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(capability["ImageHandler"], true);
    assert_eq!(capability["VMSpecHandler"], true);
    assert_eq!(capability["VMHandler"], true);
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

#[tokio::test]
async fn cloud_calls_are_in_the_call_history_under_the_request_id() {
    let server = start().await;
    register_mock_connection(&server, "tenant-a").await;
    let response = server
        .request(Method::GET, "/spider/vmimage?ConnectionName=mock-config")
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"]
        .to_str()
        .unwrap()
        .to_owned();
    server
        .get("/spider/vmspec/nope?ConnectionName=mock-config")
        .await;

    // The history is written in the background; it is there within moments.
    let mut records = json!(null);
    for _ in 0..50 {
        let (status, body) = server
            .get("/spider/calllog?ConnectionName=mock-config")
            .await;
        assert_eq!(status, StatusCode::OK);
        records = body["calllog"].clone();
        if records.as_array().unwrap().len() == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let records = records.as_array().unwrap();
    assert_eq!(records.len(), 2, "{records:?}");
    assert_eq!(records[1]["CloudOSAPI"], "ListImage");
    assert_eq!(records[1]["RequestId"], request_id.as_str());
    assert_eq!(records[1]["CloudOS"], "MOCK");
    assert_eq!(records[1]["ErrorMSG"], "");
    assert_eq!(records[0]["CloudOSAPI"], "GetVMSpec");
    assert!(
        records[0]["ErrorMSG"]
            .as_str()
            .unwrap()
            .contains("does not exist")
    );

    let (_, errors) = server.get("/spider/calllog?errorOnly=true&Limit=10").await;
    assert_eq!(errors["calllog"].as_array().unwrap().len(), 1);
    let (_, stats) = server
        .get("/spider/calllog/stats?ConnectionName=mock-config")
        .await;
    let stats = stats["stats"].as_array().unwrap();
    assert_eq!(stats.len(), 2);
    assert_eq!(stats[0]["CloudOSAPI"], "GetVMSpec");
    assert_eq!(stats[0]["Errors"], 1);
    assert!(stats[0]["P99Ms"].is_number());

    let (status, reply) = server.get("/spider/calllog?Since=yesterday").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "Since: 'yesterday' is not an RFC 3339 time"
    );
    let (status, reply) = server.get("/spider/calllog?ErrorOnly=maybe").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["message"], "ErrorOnly: 'maybe' is not true or false");
}
