//! The CSP API call history: every call to a cloud's API, filterable, with per-API statistics.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::{HistoryQuery, call_history, error_text};
use crate::components::{DataGrid, alive};

/// The filters a link can preset, e.g. a VM's details linking to its calls:
/// `/admin/history?connection=mock-config&resource=vm-01`. The connection filters only
/// together with a resource, since every page link carries the picked connection.
fn preset_query() -> HistoryQuery {
    use_query_map().with_untracked(|params| {
        let resource = params.get("resource").unwrap_or_default();
        let connection = if resource.is_empty() {
            String::new()
        } else {
            params.get("connection").unwrap_or_default()
        };
        HistoryQuery {
            connection,
            resource,
            ..HistoryQuery::default()
        }
    })
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = RwSignal::new(preset_query());
    let refreshed = RwSignal::new(0u32);
    let history = Resource::new(
        move || (query.get(), refreshed.get()),
        |(query, _)| call_history(query),
    );
    let text_filter = move |label: &'static str,
                            get: fn(&HistoryQuery) -> String,
                            set: fn(&mut HistoryQuery, String)| {
        view! {
            <label>
                {label}
                <input
                    type="text"
                    value=query.with_untracked(get)
                    on:change=move |ev| query.update(|q| set(q, event_target_value(&ev)))
                />
            </label>
        }
    };
    view! {
        <Title text="Call history · Spinneret" />
        <h1>"Call history"</h1>
        <p class="lead">"Every call Spinneret made to a cloud's API, newest first (the latest 100 that match)."</p>
        <section class="card">
            <div class="filters">
                {text_filter("Connection", |q| q.connection.clone(), |q, v| q.connection = v)}
                {text_filter("Resource type", |q| q.resource_type.clone(), |q, v| q.resource_type = v)}
                {text_filter("Resource", |q| q.resource.clone(), |q, v| q.resource = v)}
                {text_filter("API", |q| q.api.clone(), |q, v| q.api = v)}
                <label class="checkbox">
                    <input type="checkbox" on:change=move |ev| query.update(|q| q.errors_only = event_target_checked(&ev)) />
                    "Errors only"
                </label>
                <button type="button" class="secondary" on:click=move |_| refreshed.update(|n| *n += 1)>"Refresh"</button>
            </div>
        </section>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                Some(match alive(history)?.await {
                    Ok((records, stats)) => {
                        view! {
                            <section class="card">
                                <h2>"Per API"</h2>
                                <DataGrid table=stats label="APIs" />
                            </section>
                            <section class="card">
                                <h2>"Calls"</h2>
                                <DataGrid table=records label="calls" />
                            </section>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                })
            })}
        </Transition>
    }
}
