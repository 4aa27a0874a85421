use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::use_selected_connection;
use crate::api::error_text;

/// The records of the connection picked in the top bar; `None` while there is no connection.
pub type ConnectionRecords<T> = Resource<Result<Option<Vec<T>>, ServerFnError>>;

/// Loads the picked connection's records with `load`, again whenever the picked connection or
/// `refresh` changes.
pub fn connection_records<T, F, Fut, K>(
    load: F,
    refresh: impl Fn() -> K + Send + Sync + 'static,
) -> ConnectionRecords<T>
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    F: Fn(String) -> Fut + Copy + Send + Sync + 'static,
    Fut: Future<Output = Result<Vec<T>, ServerFnError>> + Send + 'static,
    K: PartialEq + Clone + Send + Sync + 'static,
{
    let connection = use_selected_connection();
    Resource::new(
        move || (connection.get(), refresh()),
        move |(connection, _)| async move {
            match connection {
                Some(connection) => load(connection).await.map(Some),
                None => Ok(None),
            }
        },
    )
}

/// Shows `render` for the picked connection's records, or says why there are none.
#[component]
pub fn ForConnection<T, R, V>(records: ConnectionRecords<T>, render: R) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(Vec<T>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let render = render.clone();
                Suspend::new(async move {
                    match records.await {
                        Ok(Some(list)) => render(list).into_any(),
                        Ok(None) => {
                            view! {
                                <p class="muted">
                                    "No connection yet: " <a href="/admin/connections">"register a connection config"</a> " first."
                                </p>
                            }
                                .into_any()
                        }
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    }
                })
            }}
        </Transition>
    }
}
