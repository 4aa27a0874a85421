use leptos::ev::MouseEvent;
use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use spinneret_drivers::model::KeyValue;

use super::{Busy, CurlCommand, RestCall, alive, running_for};
use crate::api::{DeleteRecord, RecordKind, error_text};

/// A table of registry records that re-renders in place whenever `rows` refetches.
#[component]
pub fn RecordTable<T, R, V>(
    headers: &'static [&'static str],
    rows: Resource<Result<Vec<T>, ServerFnError>>,
    /// Renders one record as a `<tr>`; the last cell holds its actions.
    row: R,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || {
                let row = row.clone();
                Suspend::new(async move {
                    Some(match alive(rows)?.await {
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                        Ok(records) => {
                            view! { <Records headers records row empty="None registered yet." /> }.into_any()
                        }
                    })
                })
            }}
        </Transition>
    }
}

/// A table of `records`, or `empty` when there are none.
#[component]
pub fn Records<T, R, V>(
    headers: &'static [&'static str],
    records: Vec<T>,
    /// Renders one record as one or more `<tr>`s; the last cell holds its actions.
    row: R,
    empty: &'static str,
) -> impl IntoView
where
    R: Fn(T) -> V,
    V: IntoView + 'static,
{
    if records.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-scroll">
            <table class="records">
                <thead>
                    <tr>
                        {headers.iter().map(|header| view! { <th scope="col">{*header}</th> }).collect_view()}
                        <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                    </tr>
                </thead>
                <tbody>{records.into_iter().map(row).collect_view()}</tbody>
            </table>
        </div>
    }
        .into_any()
}

/// Where the REST API keeps records of `kind`.
const fn rest_collection(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Driver => "driver",
        RecordKind::Credential => "credential",
        RecordKind::Region => "region",
        RecordKind::Connection => "connectionconfig",
    }
}

/// A delete button for one record. It asks first, then posts the delete through `action`
/// (a plain form post before hydration).
#[component]
pub fn DeleteButton(
    action: ServerAction<DeleteRecord>,
    kind: RecordKind,
    name: String,
) -> impl IntoView {
    let label = format!("Delete {} {name}", kind.label());
    let question = format!("Delete {} '{name}'?", kind.label());
    let busy = {
        let name = name.clone();
        running_for(action, move |input| {
            input.kind == kind && input.name == name
        })
    };
    let call = RestCall::unregister(format!("/{}/{name}", rest_collection(kind)));
    let confirm = move |ev: MouseEvent| {
        if !window().confirm_with_message(&question).unwrap_or(false) {
            ev.prevent_default();
        }
    };
    view! {
        <ActionForm action>
            <input type="hidden" name="kind" value=kind.as_str() />
            <input type="hidden" name="name" value=name.clone() />
            <button type="submit" class="danger" aria-label=label disabled=busy on:click=confirm>"Delete"</button>
            <Busy busy what="Deleting…" />
        </ActionForm>
        <CurlCommand summary="curl" calls=move || vec![call.clone()] />
    }
}

/// A key/value list for a table cell: `Key = Value, ...`.
pub fn key_list(pairs: &[KeyValue]) -> String {
    pairs
        .iter()
        .map(|kv| format!("{} = {}", kv.key, kv.value))
        .collect::<Vec<_>>()
        .join(", ")
}
