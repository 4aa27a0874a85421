//! The OpenAPI document against the routes the server really serves and the REST contract.

mod common;

use std::collections::BTreeSet;

use reqwest::{Method, StatusCode};
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

async fn document(server: &common::TestServer) -> Value {
    // The document is public, like CB-Spider's Swagger.
    let response = server
        .client
        .get(server.url("/spider/api/openapi.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.unwrap()
}

/// `/vpc/{vpc}/subnet/{name}` → `/vpc/{}/subnet/{}`: parameter names do not matter.
fn shape(path: &str) -> String {
    path.split('/')
        .map(|part| {
            if part.starts_with('{') || part.starts_with(':') {
                "{}"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Every (method, path) in `docs/rest-api.md`'s route tables.
fn contract_routes() -> BTreeSet<(String, String)> {
    let text = include_str!("../../docs/rest-api.md");
    let mut routes = BTreeSet::new();
    let mut previous: Vec<String> = Vec::new();
    for line in text.lines() {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let [_, method, paths, ..] = cells.as_slice() else {
            continue;
        };
        let Some(verb) = ["GET", "POST", "PUT", "DELETE"]
            .into_iter()
            .find(|verb| method.starts_with(verb))
        else {
            continue;
        };
        let mut verbs = vec![verb];
        if method.contains("(and PUT)") {
            verbs.push("PUT");
        }
        let listed: Vec<String> = if *paths == "same four" {
            previous.clone()
        } else {
            let (list, also) = match paths.split_once("(each also `") {
                Some((list, also)) => (list, also.trim_end_matches("`)").to_owned()),
                None => (*paths, String::new()),
            };
            list.split(',')
                .map(|path| path.trim().trim_matches('`').to_owned())
                .filter(|path| path.starts_with('/'))
                .flat_map(|path| {
                    let also = (!also.is_empty()).then(|| format!("{path}{also}"));
                    std::iter::once(path).chain(also)
                })
                .collect()
        };
        for path in &listed {
            for verb in &verbs {
                routes.insert((verb.to_lowercase(), format!("/spider{}", shape(path))));
            }
        }
        previous = listed;
    }
    routes
}

fn documented_routes(document: &Value) -> BTreeSet<(String, String)> {
    document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            METHODS
                .into_iter()
                .filter(|method| item.get(*method).is_some())
                .map(move |method| (method.to_owned(), shape(path)))
        })
        .collect()
}

#[tokio::test]
async fn every_route_of_the_contract_is_documented() {
    let server = common::start().await;
    let documented = documented_routes(&document(&server).await);
    let contract = contract_routes();
    assert!(contract.len() > 80, "parsed only {} routes", contract.len());
    let missing: Vec<_> = contract.difference(&documented).collect();
    assert!(missing.is_empty(), "not in the document: {missing:?}");
}

/// Each documented operation is routed, and at each documented path every other method is
/// refused with 405: the server serves nothing the document does not show.
#[tokio::test]
async fn the_document_shows_exactly_what_is_routed() {
    let server = common::start().await;
    let document = document(&server).await;
    let paths = document["paths"].as_object().unwrap();
    assert!(paths.len() > 60, "{} paths", paths.len());
    for (path, item) in paths {
        let concrete = path
            .split('/')
            .map(|part| if part.starts_with('{') { "x" } else { part })
            .collect::<Vec<_>>()
            .join("/");
        for method in METHODS {
            let response = server
                .request(
                    Method::from_bytes(method.to_uppercase().as_bytes()).unwrap(),
                    &concrete,
                )
                .send()
                .await
                .unwrap();
            let status = response.status();
            let body = response.text().await.unwrap();
            if item.get(method).is_some() {
                assert_ne!(status, StatusCode::METHOD_NOT_ALLOWED, "{method} {path}");
                assert!(!body.contains("no such route"), "{method} {path}: {body}");
                assert!(status.as_u16() < 500, "{method} {path}: {status} {body}");
            } else {
                assert_eq!(
                    status,
                    StatusCode::METHOD_NOT_ALLOWED,
                    "{method} {path} is served"
                );
            }
        }
    }
}

/// spctl and CB-Spider's clients cannot read a top-level array: every answer is an object.
#[tokio::test]
async fn every_answer_is_an_object() {
    let server = common::start().await;
    let document = document(&server).await;
    let schemas = &document["components"]["schemas"];
    for (path, item) in document["paths"].as_object().unwrap() {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            for (status, response) in operation["responses"].as_object().unwrap() {
                let Some(schema) = response.pointer("/content/application~1json/schema") else {
                    continue;
                };
                let resolved = match schema["$ref"].as_str() {
                    Some(reference) => &schemas[reference.rsplit('/').next().unwrap()],
                    None => schema,
                };
                assert_ne!(
                    resolved["type"], "array",
                    "{method} {path} answers {status} with an array"
                );
            }
        }
    }
}

#[tokio::test]
async fn the_viewer_works_offline() {
    let server = common::start().await;
    let index = server
        .client
        .get(server.url("/spider/api/index.html"))
        .send()
        .await
        .unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    let html = index.text().await.unwrap();
    assert!(html.contains("swagger-ui"), "{html}");
    // Every script and stylesheet comes from this server: nothing from a CDN.
    let external: Vec<&str> = html
        .split(['"', '\''])
        .filter(|part| part.contains("://"))
        .collect();
    assert!(external.is_empty(), "the viewer loads {external:?}");
    for asset in [
        "swagger-ui-bundle.js",
        "swagger-initializer.js",
        "swagger-ui.css",
    ] {
        let response = server
            .client
            .get(server.url(&format!("/spider/api/{asset}")))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{asset}");
    }
    let initializer = server
        .client
        .get(server.url("/spider/api/swagger-initializer.js"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        initializer.contains("/spider/api/openapi.json"),
        "{initializer}"
    );
}

#[tokio::test]
async fn lists_are_empty_not_null() {
    let server = common::start().await;
    let (status, _) = server
        .post(
            "/spider/region",
            serde_json::json!({"RegionName": "r1", "ProviderName": "MOCK",
                "KeyValueInfoList": [{"Key": "Region", "Value": "default"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, region) = server.get("/spider/region/r1").await;
    assert_eq!(region["AvailableZoneList"], serde_json::json!([]));
    let (_, drivers) = server.get("/spider/driver").await;
    assert_eq!(drivers["driver"], serde_json::json!([]));
}
