//! The CSP API call history: every call to a cloud's API, filterable, with per-API statistics.

use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{ApiStats, CallLogRecord};

use crate::api::{HistoryQuery, call_history, error_text};
use crate::components::{Column, DataGrid};

fn record_columns() -> Vec<Column<CallLogRecord>> {
    vec![
        Column {
            header: "Time",
            cell: |r: &CallLogRecord| r.time.clone(),
        },
        Column {
            header: "Connection",
            cell: |r: &CallLogRecord| r.connection_name.clone(),
        },
        Column {
            header: "Resource type",
            cell: |r: &CallLogRecord| r.resource_type.clone(),
        },
        Column {
            header: "Resource",
            cell: |r: &CallLogRecord| r.resource_name.clone(),
        },
        Column {
            header: "API",
            cell: |r: &CallLogRecord| r.cloud_os_api.clone(),
        },
        Column {
            header: "Elapsed (s)",
            cell: |r: &CallLogRecord| r.elapsed_time.clone(),
        },
        Column {
            header: "Error",
            cell: |r: &CallLogRecord| r.error_msg.clone(),
        },
        Column {
            header: "Request id",
            cell: |r: &CallLogRecord| r.request_id.clone(),
        },
    ]
}

fn stats_columns() -> Vec<Column<ApiStats>> {
    vec![
        Column {
            header: "Cloud",
            cell: |s: &ApiStats| s.cloud_os.clone(),
        },
        Column {
            header: "API",
            cell: |s: &ApiStats| s.cloud_os_api.clone(),
        },
        Column {
            header: "Calls",
            cell: |s: &ApiStats| s.count.to_string(),
        },
        Column {
            header: "Errors",
            cell: |s: &ApiStats| s.errors.to_string(),
        },
        Column {
            header: "p50 (ms)",
            cell: |s: &ApiStats| format!("{:.2}", s.p50_ms),
        },
        Column {
            header: "p99 (ms)",
            cell: |s: &ApiStats| format!("{:.2}", s.p99_ms),
        },
    ]
}

#[component]
pub fn HistoryPage() -> impl IntoView {
    let query = RwSignal::new(HistoryQuery::default());
    let refreshed = RwSignal::new(0u32);
    let history = Resource::new(
        move || (query.get(), refreshed.get()),
        |(query, _)| call_history(query),
    );
    let text_filter = move |label: &'static str, set: fn(&mut HistoryQuery, String)| {
        view! {
            <label>
                {label}
                <input type="text" on:change=move |ev| query.update(|q| set(q, event_target_value(&ev))) />
            </label>
        }
    };
    view! {
        <Title text="Call history · Spinneret" />
        <h1>"Call history"</h1>
        <p class="lead">"Every call Spinneret made to a cloud's API, newest first (the latest 100 that match)."</p>
        <section class="card">
            <div class="filters">
                {text_filter("Connection", |q, v| q.connection = v)}
                {text_filter("Resource type", |q, v| q.resource_type = v)}
                {text_filter("API", |q, v| q.api = v)}
                <label class="checkbox">
                    <input type="checkbox" on:change=move |ev| query.update(|q| q.errors_only = event_target_checked(&ev)) />
                    "Errors only"
                </label>
                <button type="button" class="secondary" on:click=move |_| refreshed.update(|n| *n += 1)>"Refresh"</button>
            </div>
        </section>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match history.await {
                    Ok((records, stats)) => {
                        view! {
                            <section class="card">
                                <h2>"Per API"</h2>
                                <DataGrid rows=Signal::derive(move || stats.clone()) columns=stats_columns() label="APIs" />
                            </section>
                            <section class="card">
                                <h2>"Calls"</h2>
                                <DataGrid rows=Signal::derive(move || records.clone()) columns=record_columns() label="calls" />
                            </section>
                        }
                            .into_any()
                    }
                    Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
