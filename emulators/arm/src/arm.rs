//! ARM's resource API: one handler reads the path, checks `api-version` and the bearer token,
//! answers an injected fault if one matches the operation, then acts on the cloud.

use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use crate::Emulator;
use crate::catalog;
use crate::error::{ArmError, ArmResult};
use crate::kind::Kind;
use crate::resources::{self, Addressed};
use crate::state::Cloud;

/// What a request asks for, once its path is read.
enum Call {
    Group(String),
    Resource(Addressed),
    Collection {
        kind: Kind,
        scope: String,
    },
    Action {
        vm: Addressed,
        action: String,
    },
    Operation {
        id: String,
        location_style: bool,
    },
    Sizes,
    Images {
        location: String,
        path: Vec<String>,
        base: String,
    },
}

impl Call {
    /// The ARM operation name, as fault injection and call histories know it.
    fn operation(&self, method: &Method) -> String {
        let verb = |item: bool| match *method {
            Method::PUT => "CreateOrUpdate",
            Method::DELETE => "Delete",
            _ if item => "Get",
            _ => "List",
        };
        match self {
            Call::Group(_) => format!("ResourceGroups_{}", verb(true)),
            Call::Resource(at) => format!("{}_{}", at.kind.operation_group(), verb(true)),
            Call::Collection { kind, .. } => format!("{}_{}", kind.operation_group(), verb(false)),
            Call::Action { action, .. } => {
                let mut name = action.clone();
                if let Some(first) = name.get_mut(..1) {
                    first.make_ascii_uppercase();
                }
                format!("VirtualMachines_{name}")
            }
            Call::Operation { .. } => "Operations_Get".to_owned(),
            Call::Sizes => "VirtualMachineSizes_List".to_owned(),
            Call::Images { .. } => "VirtualMachineImages_List".to_owned(),
        }
    }
}

fn read_path(segments: &[String]) -> Option<Call> {
    let lower: Vec<String> = segments.iter().map(|s| s.to_ascii_lowercase()).collect();
    let lower: Vec<&str> = lower.iter().map(String::as_str).collect();
    let joined = |end: usize| format!("/{}", segments[..end].join("/"));
    match lower.as_slice() {
        ["subscriptions", _, "resourcegroups", _] => Some(Call::Group(joined(4))),
        [
            "subscriptions",
            _,
            "resourcegroups",
            _,
            "providers",
            namespace,
            rest @ ..,
        ] => {
            let group_scope = joined(6);
            match rest {
                [kind] => Some(Call::Collection {
                    kind: Kind::of(namespace, &[kind])?,
                    scope: group_scope,
                }),
                [kind, _] => Some(Call::Resource(Addressed::new(
                    Kind::of(namespace, &[kind])?,
                    joined(8),
                    segments[3].clone(),
                ))),
                [kind, _, action]
                    if Kind::of(namespace, &[kind]) == Some(Kind::VirtualMachine)
                        && Kind::of(namespace, &[kind, action]).is_none() =>
                {
                    Some(Call::Action {
                        vm: Addressed::new(Kind::VirtualMachine, joined(8), segments[3].clone()),
                        action: segments[8].clone(),
                    })
                }
                [kind, _, child] => Some(Call::Collection {
                    kind: Kind::of(namespace, &[kind, child])?,
                    scope: joined(8),
                }),
                [kind, _, child, _] => Some(Call::Resource(Addressed::new(
                    Kind::of(namespace, &[kind, child])?,
                    joined(10),
                    segments[3].clone(),
                ))),
                _ => None,
            }
        }
        [
            "subscriptions",
            _,
            "providers",
            _,
            "locations",
            _,
            kind @ ("operations" | "operationresults"),
            _,
        ] => Some(Call::Operation {
            id: segments[7].clone(),
            location_style: *kind == "operationresults",
        }),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "locations",
            _,
            "vmsizes",
        ] => Some(Call::Sizes),
        [
            "subscriptions",
            _,
            "providers",
            "microsoft.compute",
            "locations",
            _,
            "publishers",
            ..,
        ] => Some(Call::Images {
            location: segments[5].clone(),
            path: segments[7..].to_vec(),
            base: joined(6),
        }),
        ["subscriptions", _, "providers", namespace, kind] => Some(Call::Collection {
            kind: Kind::of(namespace, &[kind])?,
            scope: joined(2),
        }),
        _ => None,
    }
}

/// Every ARM request.
pub async fn handle(
    State(emulator): State<Emulator>,
    method: Method,
    uri: Uri,
    Query(query): Query<Vec<(String, String)>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match serve(&emulator, &method, &uri, &query, &headers, &body).await {
        Ok(response) => response,
        Err(err) => err.into_response(),
    }
}

async fn serve(
    emulator: &Emulator,
    method: &Method,
    uri: &Uri,
    query: &[(String, String)],
    headers: &HeaderMap,
    body: &Bytes,
) -> ArmResult<Response> {
    let param = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    };
    let api_version = param("api-version").ok_or_else(|| {
        ArmError::bad_request(
            "MissingApiVersionParameter",
            "The api-version query parameter (?api-version=) is required for all requests.",
        )
    })?;
    emulator.authorize(headers)?;
    let segments: Vec<String> = uri
        .path()
        .split('/')
        .filter(|segment| !segment.is_empty())
        .map(str::to_owned)
        .collect();
    // A subscription the credential cannot reach, by convention one named `unknown...`.
    if let [first, subscription, ..] = segments.as_slice()
        && first.eq_ignore_ascii_case("subscriptions")
        && subscription.starts_with("unknown")
    {
        return Err(ArmError::new(
            StatusCode::NOT_FOUND,
            "SubscriptionNotFound",
            format!("The subscription '{subscription}' could not be found."),
        ));
    }
    let call = read_path(&segments).ok_or_else(|| {
        ArmError::new(
            StatusCode::NOT_FOUND,
            "InvalidResourceType",
            format!("The resource type could not be found for '{}'.", uri.path()),
        )
    })?;
    let operation = call.operation(method);
    let fault = emulator.cloud().take_fault(&operation);
    if let Some(fault) = &fault {
        tokio::time::sleep(Duration::from_millis(fault.delay_ms)).await;
        if let Some(status) = fault.status {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let code = fault
                .code
                .clone()
                .unwrap_or_else(|| "InternalServerError".to_owned());
            let mut response =
                ArmError::new(status, &code, format!("Injected fault for {operation}."))
                    .into_response();
            if status == StatusCode::TOO_MANY_REQUESTS {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            return Ok(response);
        }
    }
    let links = Links {
        base: format!(
            "http://{}",
            headers
                .get(header::HOST)
                .and_then(|host| host.to_str().ok())
                .unwrap_or("127.0.0.1")
        ),
        api_version: api_version.to_owned(),
    };
    let mut cloud = emulator.cloud();
    cloud.settle();
    let expand = param("$expand").unwrap_or_default();
    let skip: usize = param("$skiptoken")
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let json_body = || -> ArmResult<Value> {
        serde_json::from_slice(body).map_err(|err| {
            ArmError::bad_request(
                "InvalidRequestContent",
                format!("The request content was invalid: {err}"),
            )
        })
    };
    match (call, method.clone()) {
        (Call::Group(id), Method::PUT) => resources::put_group(&mut cloud, &id, json_body()?),
        (Call::Group(id), Method::GET) => resources::get_group(&cloud, &id),
        (Call::Group(id), Method::DELETE) => {
            let operation = resources::delete_group(&mut cloud, &id)?;
            Ok(links.accepted(&id, &operation))
        }
        (Call::Resource(at), Method::PUT) => {
            let (created, rendered, operation) = resources::put(&mut cloud, &at, json_body()?)?;
            let status = if created {
                StatusCode::CREATED
            } else {
                StatusCode::OK
            };
            let mut response = (status, Json(rendered)).into_response();
            links.async_operation(&mut response, &at.id, &operation);
            Ok(response)
        }
        (Call::Resource(at), Method::GET) => {
            resources::get(&cloud, &at, expand.eq_ignore_ascii_case("instanceView"))
                .map(|found| Json(found).into_response())
        }
        (Call::Resource(at), Method::DELETE) => match resources::delete(&mut cloud, &at)? {
            Some(operation) => Ok(links.accepted(&at.id, &operation)),
            None => Ok(StatusCode::NO_CONTENT.into_response()),
        },
        (Call::Collection { kind, scope }, Method::GET) => {
            let with_views = expand.eq_ignore_ascii_case("instanceView")
                || param("statusOnly").is_some_and(|only| only.eq_ignore_ascii_case("true"));
            let all = resources::list(&cloud, kind, &scope, with_views);
            Ok(Json(links.page(uri, all, skip, cloud.settings.page_size)).into_response())
        }
        (Call::Action { vm, action }, Method::GET)
            if action.eq_ignore_ascii_case("instanceView") =>
        {
            resources::instance_view(&cloud, &vm).map(|view| Json(view).into_response())
        }
        (Call::Action { vm, action }, Method::POST) => {
            let operation = resources::power(&mut cloud, &vm, &action)?;
            Ok(links.accepted(&vm.id, &operation))
        }
        (Call::Operation { id, location_style }, Method::GET) => {
            links.operation(&cloud, uri, &id, location_style)
        }
        (Call::Sizes, Method::GET) => Ok(Json(catalog::sizes()).into_response()),
        (
            Call::Images {
                location,
                path,
                base,
            },
            Method::GET,
        ) => catalog::images(&base, &location, &path)
            .map(|found| Json(found).into_response())
            .ok_or_else(|| {
                ArmError::new(
                    StatusCode::NOT_FOUND,
                    "NotFound",
                    format!("Artifact: VMImage was not found: {}", path.join("/")),
                )
            }),
        (_, method) => Err(ArmError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "MethodNotAllowed",
            format!("The method {method} is not allowed on {}.", uri.path()),
        )),
    }
}

/// Absolute links back to this emulator: operation status URLs and list pages.
struct Links {
    base: String,
    api_version: String,
}

impl Links {
    fn operation_url(&self, resource_id: &str, operation: &str, kind: &str) -> String {
        // `/subscriptions/{sub}/...`: the operation lives under the resource's subscription.
        let subscription: String = resource_id.split('/').take(3).collect::<Vec<_>>().join("/");
        format!(
            "{}{subscription}/providers/Microsoft.Emulator/locations/local/{kind}/{operation}?api-version={}",
            self.base, self.api_version
        )
    }

    fn async_operation(&self, response: &mut Response, resource_id: &str, operation: &str) {
        let url = self.operation_url(resource_id, operation, "operations");
        if let Ok(value) = HeaderValue::from_str(&url) {
            response.headers_mut().insert("azure-asyncoperation", value);
        }
    }

    /// 202 with a `Location` to poll: a delete or an action.
    fn accepted(&self, resource_id: &str, operation: &str) -> Response {
        let url = self.operation_url(resource_id, operation, "operationResults");
        let mut response = StatusCode::ACCEPTED.into_response();
        if let Ok(value) = HeaderValue::from_str(&url) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("0"));
        response
    }

    fn operation(
        &self,
        cloud: &Cloud,
        uri: &Uri,
        id: &str,
        location_style: bool,
    ) -> ArmResult<Response> {
        let operation = cloud.operations.get(id).ok_or_else(|| {
            ArmError::new(
                StatusCode::NOT_FOUND,
                "NotFound",
                format!("Operation '{id}' was not found."),
            )
        })?;
        let pending = !operation.done;
        let mut response = match (location_style, pending) {
            (true, true) => StatusCode::ACCEPTED.into_response(),
            (true, false) => StatusCode::OK.into_response(),
            (false, true) => Json(json!({ "name": id, "status": "InProgress" })).into_response(),
            (false, false) => Json(json!({ "name": id, "status": "Succeeded" })).into_response(),
        };
        if pending {
            let remaining = operation.remaining_ms();
            if let Ok(value) = HeaderValue::from_str(&remaining.clamp(1, 500).to_string()) {
                response.headers_mut().insert("retry-after-ms", value);
            }
            if location_style {
                // Poll the same URL again.
                let url = format!("{}{uri}", self.base);
                if let Ok(value) = HeaderValue::from_str(&url) {
                    response.headers_mut().insert(header::LOCATION, value);
                }
            }
        }
        Ok(response)
    }

    /// One page of `all`, with a `nextLink` while more remain.
    fn page(&self, uri: &Uri, all: Vec<Value>, skip: usize, size: usize) -> Value {
        let end = (skip + size.max(1)).min(all.len());
        let page: Vec<Value> = all.get(skip..end).unwrap_or_default().to_vec();
        let mut answer = json!({ "value": page });
        if end < all.len() {
            answer["nextLink"] = format!(
                "{}{}?api-version={}&$skiptoken={end}",
                self.base,
                uri.path(),
                self.api_version
            )
            .into();
        }
        answer
    }
}
