//! The connection registry over REST, exactly as CB-Spider clients call it.

mod common;

use reqwest::StatusCode;
use serde_json::json;

use common::{register_mock_connection, start};

#[tokio::test]
async fn drivers_register_list_get_upsert_and_delete() {
    let server = start().await;
    let body = json!({"DriverName":"aws-driver01","ProviderName":"aws","DriverLibFileName":"aws-driver-v1.0.so"});
    let (status, saved) = server.post("/spider/driver", body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        saved,
        json!({"DriverName":"aws-driver01","ProviderName":"AWS","DriverLibFileName":"aws-driver-v1.0.so"})
    );

    let (status, list) = server.get("/spider/driver").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!({"driver":[saved]}));

    let (_, updated) = server
        .post(
            "/spider/driver",
            json!({"DriverName":"aws-driver01","ProviderName":"AWS","DriverLibFileName":"v2.so"}),
        )
        .await;
    assert_eq!(updated["DriverLibFileName"], "v2.so");
    let (status, fetched) = server.get("/spider/driver/aws-driver01").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched, updated);

    let (status, result) = server.delete("/spider/driver/aws-driver01").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(result, json!({"Result":"true"}));
    let (status, missing) = server.get("/spider/driver/aws-driver01").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing,
        json!({"message":"driver 'aws-driver01' is not registered"})
    );
    let (status, _) = server.delete("/spider/driver/aws-driver01").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn credentials_never_show_their_values() {
    let server = start().await;
    let body = json!({"CredentialName":"aws-cred","ProviderName":"AWS","KeyValueInfoList":[
        {"Key":"ClientId","Value":"AKIAEXAMPLE"},{"Key":"ClientSecret","Value":"wJalrXUtnFEMI/K7MDENG"}]});
    let hidden = json!({"CredentialName":"aws-cred","ProviderName":"AWS","KeyValueInfoList":[
        {"Key":"ClientId","Value":"Hidden for security."},{"Key":"ClientSecret","Value":"Hidden for security."}]});
    let (status, saved) = server.post("/spider/credential", body).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved, hidden);
    assert_eq!(server.get("/spider/credential/aws-cred").await.1, hidden);
    assert_eq!(
        server.get("/spider/credential").await.1,
        json!({"credential":[hidden]})
    );
}

#[tokio::test]
async fn regions_keep_their_keys_and_zones() {
    let server = start().await;
    let body = json!({"RegionName":"aws-ohio","ProviderName":"AWS","KeyValueInfoList":[
        {"Key":"Region","Value":"us-east-2"},{"Key":"Zone","Value":"us-east-2a"}],
        "AvailableZoneList":["us-east-2a","us-east-2b"]});
    let (status, saved) = server.post("/spider/region", body.clone()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(saved, body);
    let (_, no_zones) = server
        .post("/spider/region", json!({"RegionName":"m","ProviderName":"MOCK","KeyValueInfoList":[{"Key":"Region","Value":"default"}]}))
        .await;
    assert_eq!(no_zones["AvailableZoneList"], json!([]));
    assert_eq!(
        server.get("/spider/region?ProviderName=AWS").await.1,
        json!({"region":[saved]})
    );
}

#[tokio::test]
async fn missing_keys_and_unknown_providers_are_400_naming_them() {
    let server = start().await;
    let (status, reply) = server
        .post("/spider/credential", json!({"CredentialName":"c","ProviderName":"AWS","KeyValueInfoList":[{"Key":"ClientId","Value":"x"}]}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply,
        json!({"message":"KeyValueInfoList: a AWS credential needs the key 'ClientSecret'"})
    );

    let (status, reply) = server
        .post("/spider/region", json!({"RegionName":"r","ProviderName":"AZURE","KeyValueInfoList":[{"Key":"Region","Value":"koreacentral"}]}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "KeyValueInfoList: a AZURE region needs the key 'Zone'"
    );
    // CB-Spider's own Azure region body: Region and Zone, no resource group.
    let (status, reply) = server
        .post("/spider/region", json!({"RegionName":"azure-korea","ProviderName":"AZURE","KeyValueInfoList":[{"Key":"Region","Value":"koreacentral"},{"Key":"Zone","Value":"1"}]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{reply}");

    let (status, reply) = server
        .post(
            "/spider/driver",
            json!({"DriverName":"d","ProviderName":"GCP"}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "ProviderName: unknown provider 'GCP'; known providers: AWS, AZURE, MOCK"
    );

    let (status, reply) = server
        .post("/spider/driver", json!({"ProviderName":"MOCK"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(reply["message"], "DriverName is required");

    let (status, reply) = server.get("/spider/driver?ProviderName=nope").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{reply}");

    assert_eq!(
        server.get("/spider/credential").await.1,
        json!({"credential":[]}),
        "nothing stored"
    );
}

#[tokio::test]
async fn malformed_json_is_400_with_the_parser_position() {
    let server = start().await;
    let (status, reply) = server
        .post_raw(
            "/spider/driver",
            "{\"DriverName\": \"d\",\n  \"ProviderName\": }",
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let message = reply["message"].as_str().unwrap();
    assert!(
        message.starts_with("malformed JSON:") && message.contains("line 2 column 19"),
        "{message}"
    );

    let (status, reply) = server.post_raw("/spider/driver", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "request body is empty; expected a JSON object"
    );

    let (status, reply) = server
        .post_raw("/spider/driver", r#"{"DriverName": 7}"#)
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .starts_with("DriverName: invalid type"),
        "{reply}"
    );
}

#[tokio::test]
async fn json_keys_match_case_insensitively() {
    let server = start().await;
    let (status, saved) = server
        .post("/spider/credential", json!({"credentialname":"c","PROVIDERNAME":"mock","keyvalueinfolist":[{"key":"mockname","value":"m"}]}))
        .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(
        saved["KeyValueInfoList"],
        json!([{"Key":"MockName","Value":"Hidden for security."}])
    );
}

#[tokio::test]
async fn connection_configs_check_their_references() {
    let server = start().await;
    register_mock_connection(&server, "tenant-a").await;
    let (status, config) = server.get("/spider/connectionconfig/mock-config").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        config,
        json!({"ConfigName":"mock-config","ProviderName":"MOCK","DriverName":"mock-driver","CredentialName":"mock-cred","RegionName":"mock-region"})
    );

    let (status, reply) = server
        .post("/spider/connectionconfig", json!({"ConfigName":"c2","ProviderName":"MOCK","DriverName":"mock-driver","CredentialName":"mock-cred","RegionName":"nowhere"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "RegionName: region 'nowhere' is not registered"
    );

    server
        .post(
            "/spider/driver",
            json!({"DriverName":"aws-driver","ProviderName":"AWS"}),
        )
        .await;
    let (status, reply) = server
        .post("/spider/connectionconfig", json!({"ConfigName":"c2","ProviderName":"MOCK","DriverName":"aws-driver","CredentialName":"mock-cred","RegionName":"mock-region"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply["message"],
        "DriverName: driver 'aws-driver' is for provider AWS, not MOCK"
    );

    assert_eq!(
        server.get("/spider/countconnectionconfig").await.1,
        json!({"count":1})
    );
    assert_eq!(
        server.get("/spider/countconnectionconfig/MOCK").await.1,
        json!({"count":1})
    );
    assert_eq!(
        server.get("/spider/countconnectionconfig/aws").await.1,
        json!({"count":0})
    );
    assert_eq!(
        server
            .get("/spider/connectionconfig?ProviderName=AWS")
            .await
            .1,
        json!({"connectionconfig":[]})
    );
}

#[tokio::test]
async fn records_in_use_are_409_naming_the_configs() {
    let server = start().await;
    register_mock_connection(&server, "tenant-a").await;
    for path in [
        "/spider/driver/mock-driver",
        "/spider/credential/mock-cred",
        "/spider/region/mock-region",
    ] {
        let (status, reply) = server.delete(path).await;
        assert_eq!(status, StatusCode::CONFLICT, "{path}");
        assert!(
            reply["message"]
                .as_str()
                .unwrap()
                .ends_with("is used by connection config(s) mock-config"),
            "{reply}"
        );
    }
    assert_eq!(
        server.get("/spider/credential/mock-cred").await.0,
        StatusCode::OK,
        "still stored"
    );

    for path in [
        "/spider/connectionconfig/mock-config",
        "/spider/credential/mock-cred",
        "/spider/region/mock-region",
        "/spider/driver/mock-driver",
    ] {
        let (status, reply) = server.delete(path).await;
        assert_eq!(
            (status, reply),
            (StatusCode::OK, json!({"Result":"true"})),
            "{path}"
        );
    }
}

#[tokio::test]
async fn provider_metadata_lists_required_keys() {
    let server = start().await;
    assert_eq!(
        server.get("/spider/cloudos").await.1,
        json!({"cloudos":["AWS","AZURE","MOCK"]})
    );
    let (status, meta) = server.get("/spider/cloudos/metainfo/aws").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(meta["Credential"], json!(["ClientId", "ClientSecret"]));
    assert_eq!(meta["Region"], json!(["Region", "Zone"]));
    assert_eq!(meta["RegionOptional"], json!(["Endpoint"]));
    assert_eq!(
        server.get("/spider/cloudos/metainfo/MOCK").await.1["Credential"],
        json!(["MockName"])
    );
    let azure = server.get("/spider/cloudos/metainfo/AZURE").await.1;
    assert_eq!(
        azure["Credential"],
        json!(["ClientId", "ClientSecret", "TenantId", "SubscriptionId"])
    );
    assert_eq!(azure["Region"], json!(["Region", "Zone"]));
    assert_eq!(
        azure["RegionOptional"],
        json!(["ResourceGroup", "Endpoint", "AuthorityHost"])
    );
    let (status, reply) = server.get("/spider/cloudos/metainfo/gcp").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        reply["message"]
            .as_str()
            .unwrap()
            .starts_with("CloudOSName: unknown provider 'gcp'")
    );
}
