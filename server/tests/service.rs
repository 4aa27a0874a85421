//! Health, auth, request ids, sessions and shutdown of the running server.

mod common;

use reqwest::{Method, StatusCode};
use serde_json::json;

use common::{ADMIN, PASSWORD, send, start};

#[tokio::test]
async fn health_and_version_need_no_auth() {
    let server = start().await;
    for path in [
        "/spider/health",
        "/spider/healthcheck",
        "/spider/ping",
        "/healthcheck",
        "/ping",
    ] {
        let (status, body) = send(server.client.get(server.url(path))).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert!(body["message"].is_string(), "{path}: {body}");
    }
    let (status, body) = send(server.client.get(server.url("/spider/readyz"))).await;
    assert_eq!((status, body), (StatusCode::OK, json!({"message":"ready"})));
    let (status, body) = send(server.client.get(server.url("/spider/version"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["Version"], env!("CARGO_PKG_VERSION"));
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_401() {
    let server = start().await;
    let unauthorized = json!({"message":"Unauthorized"});
    let attempts = [
        server.client.get(server.url("/spider/driver")),
        server
            .client
            .get(server.url("/spider/driver"))
            .basic_auth(ADMIN, Some("wrong")),
        server
            .client
            .get(server.url("/spider/driver"))
            .basic_auth("mallory", Some(PASSWORD)),
        server
            .client
            .get(server.url("/spider/driver"))
            .bearer_auth("token"),
        server
            .client
            .post(server.url("/spider/driver"))
            .json(&json!({"DriverName":"d","ProviderName":"MOCK"})),
    ];
    for attempt in attempts {
        let response = attempt.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert!(response.headers().contains_key("www-authenticate"));
        assert_eq!(
            response.json::<serde_json::Value>().await.unwrap(),
            unauthorized
        );
    }
    assert_eq!(
        server.get("/spider/driver").await.1,
        json!({"driver":[]}),
        "nothing was stored"
    );
}

#[tokio::test]
async fn responses_carry_a_request_id_and_unknown_routes_are_404() {
    let server = start().await;
    let response = server
        .request(Method::GET, "/spider/driver")
        .send()
        .await
        .unwrap();
    let id = response
        .headers()
        .get("x-request-id")
        .expect("X-Request-Id header");
    assert_eq!(id.to_str().unwrap().len(), 36, "a UUID");

    let (status, body) = server.get("/spider/nothing-here").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body,
        json!({"message":"no such route: GET /spider/nothing-here"})
    );
}

#[tokio::test]
async fn root_redirects_to_the_adminweb_which_needs_a_login() {
    let server = start().await;
    let response = server.client.get(server.url("/")).send().await.unwrap();
    assert_eq!(response.headers()["location"], "/admin");
    let response = server
        .client
        .get(server.url("/admin/drivers"))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_redirection());
    assert_eq!(response.headers()["location"], "/admin/login");
    let login_page = server
        .client
        .get(server.url("/admin/login"))
        .send()
        .await
        .unwrap();
    assert_eq!(login_page.status(), StatusCode::OK);
    assert!(
        login_page
            .text()
            .await
            .unwrap()
            .contains("action=\"/auth/login\"")
    );
    let server_fn = server
        .client
        .post(server.url("/api/drivers/list"))
        .send()
        .await
        .unwrap();
    assert_eq!(server_fn.status(), StatusCode::UNAUTHORIZED);
}

/// Signs in through the AdminWeb form and returns the session cookie (`name=value`).
async fn sign_in(server: &common::TestServer) -> String {
    let response = server
        .client
        .post(server.url("/auth/login"))
        .form(&[("username", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    let set_cookie = response.headers()["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_owned()
}

/// Sends a request carrying the AdminWeb session cookie.
async fn with_cookie(
    server: &common::TestServer,
    method: Method,
    path: &str,
    cookie: &str,
) -> reqwest::Response {
    server
        .client
        .request(method, server.url(path))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn adminweb_sessions_use_a_strict_httponly_cookie() {
    let server = start().await;
    let refused = server
        .client
        .post(server.url("/auth/login"))
        .form(&[("username", ADMIN), ("password", "wrong")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.headers()["location"], "/admin/login?error=1");
    assert!(refused.headers().get("set-cookie").is_none());

    let accepted = server
        .client
        .post(server.url("/auth/login"))
        .form(&[("username", ADMIN), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.headers()["location"], "/admin");
    let set_cookie = accepted.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(set_cookie.contains("HttpOnly"), "{set_cookie}");
    assert!(set_cookie.contains("SameSite=Strict"), "{set_cookie}");
    let cookie = set_cookie.split(';').next().unwrap().to_owned();

    let dashboard = with_cookie(&server, Method::GET, "/admin", &cookie).await;
    assert_eq!(dashboard.status(), StatusCode::OK);
    let html = dashboard.text().await.unwrap();
    assert!(
        html.contains("Getting started") && html.contains("Connections"),
        "{html}"
    );

    let listed = with_cookie(&server, Method::POST, "/api/drivers/list", &cookie).await;
    assert_eq!(listed.status(), StatusCode::OK);

    let logout = with_cookie(&server, Method::POST, "/auth/logout", &cookie).await;
    assert_eq!(logout.headers()["location"], "/admin/login");
    let after = with_cookie(&server, Method::GET, "/admin", &cookie).await;
    assert_eq!(
        after.headers()["location"],
        "/admin/login",
        "the session ended"
    );
}

#[tokio::test]
async fn registry_survives_a_restart_and_the_shutdown_is_graceful() {
    let server = start().await;
    common::register_mock_connection(&server, "tenant-a").await;
    let data_dir = server.stop().await;
    let config = common::config(&data_dir);
    let again = common::start_with(data_dir, config).await;
    assert_eq!(
        again.get("/spider/countconnectionconfig").await.1,
        json!({"count":1})
    );
}

#[tokio::test]
async fn readyz_is_503_when_the_database_is_unreachable() {
    use sea_orm::{ConnectionTrait, Database};
    let name = format!("spinneret_readyz_{}", std::process::id());
    let url = common::fresh_postgres(&name).await;
    let admin = Database::connect(common::postgres_admin_url().as_str())
        .await
        .expect("local PostgreSQL");

    let data_dir = tempfile::tempdir().unwrap();
    let mut config = common::config(&data_dir);
    config.database_url = Some(url);
    let server = common::start_with(data_dir, config).await;
    let (status, _) = send(server.client.get(server.url("/readyz"))).await;
    assert_eq!(status, StatusCode::OK, "PostgreSQL serves");
    common::register_mock_connection(&server, "pg-tenant").await;

    admin
        .execute_unprepared(&format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .await
        .unwrap();
    let (status, body) = send(server.client.get(server.url("/readyz"))).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(
        body,
        json!({"message":"not ready: the database is unreachable"})
    );
}

#[tokio::test]
async fn the_picked_connection_is_remembered_in_the_browser() {
    let server = start().await;
    common::register_mock_connection(&server, "tenant-a").await;
    let session = sign_in(&server).await;

    let remember = |name: &'static str| {
        server
            .client
            .post(server.url("/api/connection/remember"))
            .header("cookie", &session)
            .form(&[("name", name)])
            .send()
    };
    let unknown = remember("nowhere").await.unwrap();
    assert_eq!(
        unknown.status(),
        StatusCode::NOT_FOUND,
        "the AdminWeb gets REST's honest status"
    );
    let remembered = remember("mock-config").await.unwrap();
    assert_eq!(remembered.status(), StatusCode::OK);
    let set_cookie = remembered.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        set_cookie.starts_with("spinneret_connection=mock-config;"),
        "{set_cookie}"
    );
    assert!(
        set_cookie.contains("HttpOnly")
            && set_cookie.contains("SameSite=Strict")
            && set_cookie.contains("Max-Age=31536000"),
        "a new session starts on the last-used connection: {set_cookie}"
    );
    let picked = set_cookie.split(';').next().unwrap();

    let scope = |cookie: String, form: &'static [(&'static str, &'static str)]| {
        server
            .client
            .post(server.url("/api/connection/scope"))
            .header("cookie", cookie)
            .form(form)
            .send()
    };
    let answer = scope(format!("{session}; {picked}"), &[]).await.unwrap();
    assert_eq!(
        answer.json::<serde_json::Value>().await.unwrap(),
        json!({"name": "mock-config", "provider": "MOCK", "region": "default"})
    );
    let unknown = scope(session.clone(), &[("requested", "nowhere")])
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn oversized_bodies_are_413_on_rest_and_server_functions() {
    let server = common::start().await;
    let big = format!("{{\"ConnectionName\":\"{}\"}}", "x".repeat(2 * 1024 * 1024));
    let (status, body) = common::send(
        server
            .request(reqwest::Method::POST, "/spider/vpc")
            .header("content-type", "application/json")
            .body(big.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_eq!(body["message"], "request body is larger than 1024 KiB");

    let cookie = sign_in(&server).await;
    let answer = server
        .client
        .post(server.url("/api/vpcs/create"))
        .header("cookie", cookie)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // Nothing was lost: the server still answers.
    let (status, _) = server.get("/spider/driver").await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn an_address_that_keeps_failing_to_sign_in_gets_429_with_retry_after() {
    let server = common::start().await;
    let wrong = || {
        server
            .client
            .get(server.url("/spider/driver"))
            .basic_auth(common::ADMIN, Some("wrong-password"))
    };
    for _ in 0..10 {
        assert_eq!(
            wrong().send().await.unwrap().status(),
            StatusCode::UNAUTHORIZED
        );
    }
    let refused = wrong().send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers()["retry-after"], "60");
    // Even the right password waits out the window from this address, on the sign-in page too.
    let (status, _) = server.get("/spider/driver").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let form = server
        .client
        .post(server.url("/auth/login"))
        .form(&[("username", ADMIN), ("password", common::PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(form.headers()["location"], "/admin/login?error=throttled");
}
