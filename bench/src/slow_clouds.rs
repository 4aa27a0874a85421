//! Many mock connections whose clouds answer slowly, and the requests that fan out over all
//! of them: the dashboard and `GET /allvm`. Shared by the fan-out and memory benchmarks.

use serde_json::json;

use crate::{PASSWORD, post};

/// Every cloud call waits 50 ms.
pub const DELAY: &str = "*=50";

/// The mock driver and region, and `connections` mock connections `fan-{n}`, each on its own
/// account and every call delayed by `delay`.
pub async fn register(client: &reqwest::Client, base: &str, connections: usize, delay: &str) {
    post(
        client,
        base,
        "driver",
        json!({"DriverName":"mock-driver","ProviderName":"MOCK"}),
    )
    .await;
    post(
        client,
        base,
        "region",
        json!({"RegionName":"mock-region","ProviderName":"MOCK",
        "KeyValueInfoList":[{"Key":"Region","Value":"default"}]}),
    )
    .await;
    for n in 0..connections {
        register_one(client, base, n, delay).await;
    }
}

/// The mock connection `fan-{n}` on its own account, every call delayed by `delay`.
pub async fn register_one(client: &reqwest::Client, base: &str, n: usize, delay: &str) {
    post(client, base, "credential", json!({"CredentialName":format!("fan-{n}"),"ProviderName":"MOCK",
        "KeyValueInfoList":[{"Key":"MockName","Value":format!("fan-{n}")},{"Key":"DelayAPI","Value":delay}]})).await;
    post(
        client,
        base,
        "connectionconfig",
        json!({"ConfigName":format!("fan-{n}"),"ProviderName":"MOCK",
        "DriverName":"mock-driver","CredentialName":format!("fan-{n}"),"RegionName":"mock-region"}),
    )
    .await;
}

/// The AdminWeb's session cookie, from its sign-in form.
pub async fn sign_in(base: &str) -> String {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{base}/auth/login"))
        .form(&[("username", "admin"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let cookie = response.headers()[reqwest::header::SET_COOKIE]
        .to_str()
        .unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// The dashboard cold-loaded, read to the end of its stream, which must hold every
/// connection's counts.
pub async fn dashboard(client: &reqwest::Client, base: &str, cookie: &str, connections: usize) {
    let page = client
        .get(format!("{base}/admin"))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Every connection's counts arrived: each links to its own VMs.
    let answered = page.matches("/admin/vms?connection=fan-").count();
    assert!(
        answered >= connections,
        "{answered} of {connections} connections' counts"
    );
}

/// `GET /spider/allvm` on every connection, sent together.
pub async fn all_vms(client: &reqwest::Client, base: &str, connections: usize) {
    let urls: Vec<String> = (0..connections)
        .map(|n| format!("{base}/spider/allvm?ConnectionName=fan-{n}"))
        .collect();
    futures::future::join_all(urls.iter().map(|url| crate::get(client, url))).await;
}
