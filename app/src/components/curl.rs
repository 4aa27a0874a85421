//! Every action's REST equivalent, as a `curl` line operators can script from. Credentials
//! come from `SPIDER_USERNAME` and `SPIDER_PASSWORD`, so no password is ever shown.

use leptos::prelude::*;
use serde::Serialize;
use serde_json::{Value, json};

use super::use_hydrated;

/// One call to the REST API.
#[derive(Clone, Debug, PartialEq)]
pub struct RestCall {
    method: &'static str,
    /// Under `/spider`, with its query, e.g. `/controlvm/vm-01?action=suspend`.
    path: String,
    body: Option<Value>,
}

/// `pairs` as a URL query, each value encoded.
fn query(pairs: &[(&str, &str)]) -> String {
    form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

impl RestCall {
    /// A create or an addition: `POST` of the connection and the request's `ReqInfo`.
    pub fn post(path: &str, connection: &str, request: &impl Serialize) -> Self {
        Self::with_request("POST", path, connection, request)
    }

    /// A call whose body is the connection and a `ReqInfo`, e.g. removing rules.
    pub fn with_request(
        method: &'static str,
        path: &str,
        connection: &str,
        request: &impl Serialize,
    ) -> Self {
        Self {
            method,
            path: path.to_owned(),
            body: Some(json!({ "ConnectionName": connection, "ReqInfo": request })),
        }
    }

    /// A delete of a connection's resource at `path`, e.g. `/vpc/vpc-01`.
    pub fn delete(path: String, connection: &str, force: bool) -> Self {
        let path = if force { path + "?force=true" } else { path };
        Self {
            method: "DELETE",
            path,
            body: Some(json!({ "ConnectionName": connection })),
        }
    }

    /// A delete of a registry record, e.g. `/credential/aws-cred`.
    pub fn unregister(path: String) -> Self {
        Self {
            method: "DELETE",
            path,
            body: None,
        }
    }

    /// A VM lifecycle action: suspend, resume or reboot.
    pub fn control_vm(connection: &str, name: &str, action: &str) -> Self {
        Self {
            method: "GET",
            path: format!(
                "/controlvm/{name}?{}",
                query(&[("ConnectionName", connection), ("action", action)])
            ),
            body: None,
        }
    }

    /// The `curl` line against the server at `origin`.
    pub fn curl(&self, origin: &str) -> String {
        let mut line = format!(
            "curl -sS -u \"$SPIDER_USERNAME:$SPIDER_PASSWORD\" -X {} '{origin}/spider{}'",
            self.method, self.path
        );
        if let Some(body) = &self.body {
            let quoted = body.to_string().replace('\'', "'\\''");
            line.push_str(&format!(
                " \\\n  -H 'Content-Type: application/json' -d '{quoted}'"
            ));
        }
        line
    }
}

/// The server's own address once the page runs in the browser; empty in the server's HTML.
fn origin(hydrated: ReadSignal<bool>) -> String {
    hydrated
        .get()
        .then(|| window().location().origin().ok())
        .flatten()
        .unwrap_or_default()
}

/// A "curl" disclosure for the REST calls that `calls` gives, which may follow a form's fields.
#[component]
pub fn CurlCommand<F>(
    /// What the disclosure says, e.g. "Show curl".
    #[prop(default = "Show curl")]
    summary: &'static str,
    calls: F,
) -> impl IntoView
where
    F: Fn() -> Vec<RestCall> + Send + Sync + 'static,
{
    let hydrated = use_hydrated();
    let lines = move || {
        let origin = origin(hydrated);
        calls()
            .iter()
            .map(|call| call.curl(&origin))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    view! {
        <details class="curl">
            <summary>{summary}</summary>
            <pre><code>{lines}</code></pre>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_create_posts_the_connection_and_request() {
        let call = RestCall::post("/vpc", "mock-config", &json!({ "Name": "it's" }));
        assert_eq!(
            call.curl("http://localhost:1024"),
            "curl -sS -u \"$SPIDER_USERNAME:$SPIDER_PASSWORD\" -X POST 'http://localhost:1024/spider/vpc' \\\n  -H 'Content-Type: application/json' -d '{\"ConnectionName\":\"mock-config\",\"ReqInfo\":{\"Name\":\"it'\\''s\"}}'"
        );
    }

    #[test]
    fn a_forced_delete_says_so_in_its_query() {
        let call = RestCall::delete("/vpc/vpc-01".into(), "aws config", true);
        let line = call.curl("");
        assert!(
            line.contains("-X DELETE '/spider/vpc/vpc-01?force=true'"),
            "{line}"
        );
        assert!(
            line.contains(r#"{"ConnectionName":"aws config"}"#),
            "{line}"
        );
    }

    #[test]
    fn control_queries_are_encoded() {
        let call = RestCall::control_vm("aws config", "vm-01", "suspend");
        assert!(
            call.curl("")
                .contains("/spider/controlvm/vm-01?ConnectionName=aws+config&action=suspend'"),
            "{}",
            call.curl("")
        );
    }
}
