use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use spinneret_drivers::model::ConnectionScope;

use super::{alive, use_page_connection};
use crate::api::error_text;

/// A list loaded from one connection; reloaded whenever its `refresh` key changes.
pub type ScopedRecords<T> = Resource<Result<Vec<T>, ServerFnError>>;

/// Loads `scope`'s records with `load`, again whenever `refresh` changes.
pub fn scoped_records<T, F, Fut, K>(
    scope: &ConnectionScope,
    load: F,
    refresh: impl Fn() -> K + Send + Sync + 'static,
) -> ScopedRecords<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>, ServerFnError>> + Send + 'static,
    K: PartialEq + Clone + Send + Sync + 'static,
{
    let connection = scope.name.clone();
    Resource::new(refresh, move |_| load(connection.clone()))
}

/// Renders `page` for the connection the URL names, or the default one. Each connection gets
/// a page of its own: on a switch the previous connection's rows, forms and buttons are
/// dropped before the new connection's load, so none of them can act on the wrong cloud.
#[component]
pub fn ConnectionScoped<P, V>(page: P) -> impl IntoView
where
    P: Fn(ConnectionScope) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let scope = use_page_connection();
    view! {
        <Suspense fallback=|| view! { <p class="muted" role="status">"Loading the connection…"</p> }>
            {move || {
                let page = page.clone();
                Suspend::new(async move {
                    Some(match alive(scope)?.await {
                        // Keyed by the connection: a switch builds new elements instead of
                        // patching the old ones, so nothing typed, chosen or opened for one
                        // connection stays on screen for another.
                        Ok(Some(scope)) => {
                            view! {
                                <For
                                    each=move || std::iter::once(scope.clone())
                                    key=|scope| scope.name.clone()
                                    children=page
                                />
                            }
                                .into_any()
                        }
                        Ok(None) => {
                            view! {
                                <p class="muted">
                                    "No connection yet: " <a href="/admin/connections">"register a connection config"</a>
                                    " or try the mock cloud on the " <a href="/admin">"dashboard"</a> "."
                                </p>
                            }
                                .into_any()
                        }
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    })
                })
            }}
        </Suspense>
    }
}

/// Shows `render` for the loaded records, or the error that kept them from loading. A reload
/// keeps the rows until the new ones arrive; rows of another connection never show here,
/// since each connection gets a page of its own.
// No `set_pending` on this Transition: its effect runs on the server too, and reads a
// disposed signal when a client hangs up mid-page.
#[component]
pub fn LiveRecords<T, R, V>(records: ScopedRecords<T>, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    Some(match alive(records)?.await {
                        Ok(list) => render(list).into_any(),
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    })
                })
            }}
        </Transition>
    }
}
