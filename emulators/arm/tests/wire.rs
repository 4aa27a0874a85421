//! The emulator's wire contract, as an Azure client sees it over HTTP.

use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use spinneret_arm_emulator::Emulator;

const API: &str = "api-version=2024-07-01";
const GROUP: &str = "/subscriptions/sub-1/resourceGroups/rg-1";

struct Arm {
    base: String,
    client: Client,
    token: String,
}

impl Arm {
    async fn start() -> Self {
        let base = Emulator::default().spawn().await.unwrap();
        let client = Client::new();
        let token: Value = client
            .post(format!("{base}/tenant-1/oauth2/v2.0/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", "app-1"),
                ("client_secret", "s3cret"),
                ("scope", "https://management.azure.com/.default"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(token["token_type"], "Bearer");
        assert!(token["expires_in"].as_u64().unwrap() > 60);
        let token = token["access_token"].as_str().unwrap().to_owned();
        Self {
            base,
            client,
            token,
        }
    }

    async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, reqwest::header::HeaderMap, Value) {
        let separator = if path.contains('?') { '&' } else { '?' };
        let url = if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{path}{separator}{API}", self.base)
        };
        let mut request = self.client.request(method, url).bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let (status, headers) = (response.status(), response.headers().clone());
        let text = response.text().await.unwrap();
        (
            status,
            headers,
            serde_json::from_str(&text).unwrap_or(Value::Null),
        )
    }

    async fn put(&self, path: &str, body: Value) -> Value {
        let (status, headers, answer) = self.call(Method::PUT, path, Some(body)).await;
        assert!(
            status == StatusCode::CREATED || status == StatusCode::OK,
            "PUT {path}: {status} {answer}"
        );
        let poll = headers["azure-asyncoperation"].to_str().unwrap().to_owned();
        let (status, _, operation) = self.call(Method::GET, &poll, None).await;
        assert_eq!(
            (status, operation["status"].as_str()),
            (StatusCode::OK, Some("Succeeded"))
        );
        answer
    }

    async fn error(&self, method: Method, path: &str, body: Option<Value>) -> (StatusCode, String) {
        let (status, _, answer) = self.call(method, path, body).await;
        (
            status,
            answer["error"]["code"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        )
    }

    /// A delete or action accepted with 202, then its `Location` polled to the end.
    async fn accepted(&self, method: Method, path: &str) {
        let (status, headers, answer) = self.call(method, path, None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{path}: {answer}");
        let location = headers["location"].to_str().unwrap().to_owned();
        let (status, ..) = self.call(Method::GET, &location, None).await;
        assert_eq!(status, StatusCode::OK);
    }
}

fn network(name: &str) -> String {
    format!("{GROUP}/providers/Microsoft.Network/{name}")
}

#[tokio::test]
async fn requests_need_a_token_and_an_api_version() {
    let arm = Arm::start().await;
    let answer = arm
        .client
        .get(format!("{}{GROUP}?{API}", arm.base))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
    let answer = arm
        .client
        .get(format!("{}{GROUP}", arm.base))
        .bearer_auth(&arm.token)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    let body: Value = answer.json().await.unwrap();
    assert_eq!(body["error"]["code"], "MissingApiVersionParameter");
    let refused = arm
        .client
        .post(format!("{}/tenant-1/oauth2/v2.0/token", arm.base))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", "app-1"),
            ("client_secret", "invalid-secret"),
            ("scope", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(
        arm.error(Method::GET, GROUP, None).await,
        (StatusCode::NOT_FOUND, "ResourceGroupNotFound".to_owned())
    );
}

#[tokio::test]
async fn a_vm_is_made_used_and_taken_apart_in_order() {
    let arm = Arm::start().await;
    let (status, ..) = arm
        .call(
            Method::PUT,
            GROUP,
            Some(json!({"location": "koreacentral"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let vnet = arm
        .put(
            &network("virtualNetworks/vnet-1"),
            json!({"location": "koreacentral", "properties": {
            "addressSpace": {"addressPrefixes": ["10.0.0.0/16"]},
            "subnets": [{"name": "subnet-1", "properties": {"addressPrefix": "10.0.1.0/24"}}]}}),
        )
        .await;
    assert_eq!(vnet["properties"]["subnets"][0]["name"], "subnet-1");
    let overlapping = json!({"properties": {"addressPrefix": "10.0.1.128/25"}});
    assert_eq!(
        arm.error(
            Method::PUT,
            &network("virtualNetworks/vnet-1/subnets/subnet-2"),
            Some(overlapping)
        )
        .await,
        (
            StatusCode::BAD_REQUEST,
            "NetcfgSubnetRangesOverlap".to_owned()
        )
    );
    arm.put(&network("networkSecurityGroups/nsg-1"), json!({"location": "koreacentral", "properties": {"securityRules": [
        {"name": "ssh", "properties": {"priority": 100, "direction": "Inbound", "access": "Allow", "protocol": "Tcp",
            "sourceAddressPrefix": "*", "sourcePortRange": "*", "destinationAddressPrefix": "*", "destinationPortRange": "22"}}]}}))
        .await;
    let ip = arm
        .put(
            &network("publicIPAddresses/ip-1"),
            json!({"location": "koreacentral", "properties": {}}),
        )
        .await;
    assert!(ip["properties"]["ipAddress"].as_str().is_some());
    arm.put(
        &network("networkInterfaces/nic-1"),
        json!({"location": "koreacentral", "properties": {
        "networkSecurityGroup": {"id": network("networkSecurityGroups/nsg-1")},
        "ipConfigurations": [{"name": "ip", "properties": {
            "subnet": {"id": network("virtualNetworks/vnet-1/subnets/subnet-1")},
            "publicIPAddress": {"id": network("publicIPAddresses/ip-1")}}}]}}),
    )
    .await;
    let vm_path = format!("{GROUP}/providers/Microsoft.Compute/virtualMachines/vm-1");
    arm.put(&vm_path, json!({"location": "koreacentral", "properties": {
        "hardwareProfile": {"vmSize": "Standard_B1s"},
        "storageProfile": {"imageReference": {"publisher": "Canonical", "offer": "ubuntu-24_04-lts", "sku": "server", "version": "latest"}},
        "osProfile": {"computerName": "vm-1", "adminUsername": "cb-user"},
        "networkProfile": {"networkInterfaces": [{"id": network("networkInterfaces/nic-1")}]}}}))
        .await;

    // Paths are case-insensitive; the instance view says the VM runs.
    let (status, _, vm) = arm
        .call(
            Method::GET,
            &format!(
                "{}?$expand=instanceView",
                vm_path.to_uppercase().replace("API", "api")
            ),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{vm}");
    assert_eq!(
        vm["properties"]["instanceView"]["statuses"][1]["code"],
        "PowerState/running"
    );

    // What a VM uses cannot go first: ARM answers 400 with an InUse code.
    assert_eq!(
        arm.error(Method::DELETE, &network("networkInterfaces/nic-1"), None)
            .await
            .1,
        "NicInUse"
    );
    assert_eq!(
        arm.error(Method::DELETE, &network("virtualNetworks/vnet-1"), None)
            .await
            .1,
        "InUseSubnetCannotBeDeleted"
    );
    assert_eq!(
        arm.error(Method::DELETE, &network("publicIPAddresses/ip-1"), None)
            .await
            .1,
        "PublicIPAddressCannotBeDeleted"
    );

    arm.accepted(Method::POST, &format!("{vm_path}/powerOff"))
        .await;
    let (_, _, view) = arm
        .call(Method::GET, &format!("{vm_path}/instanceView"), None)
        .await;
    assert_eq!(view["statuses"][1]["code"], "PowerState/stopped");
    assert_eq!(
        arm.error(Method::POST, &format!("{vm_path}/restart"), None)
            .await,
        (StatusCode::CONFLICT, "OperationNotAllowed".to_owned())
    );

    arm.accepted(Method::DELETE, &vm_path).await;
    let disk = format!("{GROUP}/providers/Microsoft.Compute/disks/vm-1_OsDisk_1");
    for path in [
        network("networkInterfaces/nic-1"),
        network("publicIPAddresses/ip-1"),
        disk,
        network("networkSecurityGroups/nsg-1"),
        network("virtualNetworks/vnet-1"),
    ] {
        arm.accepted(Method::DELETE, &path).await;
        let (status, ..) = arm.call(Method::DELETE, &path, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{path} is gone");
    }
}

#[tokio::test]
async fn lists_page_and_faults_are_injected_by_operation() {
    let arm = Arm::start().await;
    arm.call(
        Method::PUT,
        GROUP,
        Some(json!({"location": "koreacentral"})),
    )
    .await;
    for name in ["ip-1", "ip-2", "ip-3"] {
        arm.put(
            &network(&format!("publicIPAddresses/{name}")),
            json!({"location": "koreacentral"}),
        )
        .await;
    }
    let mut names = Vec::new();
    let mut next = network("publicIPAddresses");
    loop {
        let (_, _, page) = arm.call(Method::GET, &next, None).await;
        names.extend(
            page["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|ip| ip["name"].as_str().unwrap().to_owned()),
        );
        match page["nextLink"].as_str() {
            Some(link) => next = link.to_owned(),
            None => break,
        }
    }
    assert_eq!(names, ["ip-1", "ip-2", "ip-3"]);

    let fault =
        json!({"operation": "PublicIPAddresses_Get", "status": 429, "code": "TooManyRequests"});
    arm.client
        .post(format!("{}/_emulator/faults", arm.base))
        .json(&fault)
        .send()
        .await
        .unwrap();
    let path = network("publicIPAddresses/ip-1");
    assert_eq!(
        arm.error(Method::GET, &path, None).await,
        (StatusCode::TOO_MANY_REQUESTS, "TooManyRequests".to_owned())
    );
    let (status, ..) = arm.call(Method::GET, &path, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a fault fires as often as asked, then the call works"
    );
}

#[tokio::test]
async fn operations_stay_in_progress_for_the_configured_time() {
    let arm = Arm::start().await;
    arm.client
        .post(format!("{}/_emulator/config", arm.base))
        .json(&json!({"operationMs": 300, "pageSize": 50}))
        .send()
        .await
        .unwrap();
    arm.call(
        Method::PUT,
        GROUP,
        Some(json!({"location": "koreacentral"})),
    )
    .await;
    let (status, headers, created) = arm
        .call(
            Method::PUT,
            &network("publicIPAddresses/ip-1"),
            Some(json!({"location": "koreacentral"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(created["properties"]["provisioningState"], "Creating");
    let poll = headers["azure-asyncoperation"].to_str().unwrap().to_owned();
    let (_, headers, operation) = arm.call(Method::GET, &poll, None).await;
    assert_eq!(operation["status"], "InProgress");
    assert!(headers.contains_key("retry-after-ms"));
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    let (_, _, operation) = arm.call(Method::GET, &poll, None).await;
    assert_eq!(operation["status"], "Succeeded");
    let (_, _, ip) = arm
        .call(Method::GET, &network("publicIPAddresses/ip-1"), None)
        .await;
    assert_eq!(ip["properties"]["provisioningState"], "Succeeded");

    // A delete's Location answers 202 and points at itself until the delete is done.
    let ip_path = network("publicIPAddresses/ip-1");
    let (status, headers, _) = arm.call(Method::DELETE, &ip_path, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let location = headers["location"].to_str().unwrap().to_owned();
    let (status, headers, _) = arm.call(Method::GET, &location, None).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(headers["location"].to_str().unwrap(), location);
    tokio::time::sleep(std::time::Duration::from_millis(350)).await;
    let (status, ..) = arm.call(Method::GET, &location, None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, ..) = arm.call(Method::GET, &ip_path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
