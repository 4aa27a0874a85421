use leptos::prelude::*;
use serde::Serialize;

use super::use_hydrated;

/// The REST call a form makes, as a `curl` line to script from. It follows the form as the
/// operator types, and takes the credentials from `SPIDER_USERNAME` and `SPIDER_PASSWORD`,
/// so no password is ever shown.
#[component]
pub fn CurlCommand<R, F>(
    /// The REST path under `/spider`, e.g. `/vpc`.
    path: &'static str,
    connection: String,
    /// Builds the body's `ReqInfo`, reading the form's fields.
    request: F,
) -> impl IntoView
where
    R: Serialize + 'static,
    F: Fn() -> R + Send + Sync + 'static,
{
    let hydrated = use_hydrated();
    let command = move || {
        // The server's own address, once the page runs in the browser.
        let origin = hydrated
            .get()
            .then(|| window().location().origin().ok())
            .flatten()
            .unwrap_or_default();
        let body = serde_json::json!({ "ConnectionName": connection, "ReqInfo": request() });
        let quoted = body.to_string().replace('\'', "'\\''");
        format!(
            "curl -sS -u \"$SPIDER_USERNAME:$SPIDER_PASSWORD\" -X POST {origin}/spider{path} \\\n  -H 'Content-Type: application/json' -d '{quoted}'"
        )
    };
    view! {
        <details class="curl">
            <summary>"Show curl"</summary>
            <pre><code>{command}</code></pre>
        </details>
    }
}
