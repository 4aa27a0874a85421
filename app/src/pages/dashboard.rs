use leptos::prelude::*;
use leptos_meta::Title;

use spinneret_drivers::model::ConnectionConfigInfo;

use crate::api::connection_href;
use crate::api::{
    ConnectionResources, DashboardSummary, TryMockCloud, connection_counts, error_text,
    list_connections, load_dashboard,
};
use crate::components::{ActionStatus, SubmitButton, alive, outcome};

/// One step of the getting-started path, ticked once done.
#[component]
fn Step(done: bool, href: &'static str, title: &'static str, what: &'static str) -> impl IntoView {
    view! {
        <li class:done=done>
            <span class="tick" aria-hidden="true">{if done { "✓" } else { "○" }}</span>
            <a href=href>{title}</a>
            <span class="muted">" — "{what}</span>
        </li>
    }
}

fn summary_view(summary: DashboardSummary) -> impl IntoView {
    let connections: u64 = summary
        .connections_by_provider
        .iter()
        .map(|(_, count)| count)
        .sum();
    view! {
        <section class="card">
            <h2>"Getting started"</h2>
            <ol class="steps">
                <Step done={summary.drivers > 0} href="/admin/drivers" title="Register a driver" what="which cloud to talk to" />
                <Step done={summary.credentials > 0} href="/admin/credentials" title="Register a credential" what="the account's keys, stored encrypted" />
                <Step done={summary.regions > 0} href="/admin/regions" title="Register a region" what="where in the cloud" />
                <Step done={connections > 0} href="/admin/connections" title="Register a connection config" what="driver + credential + region" />
            </ol>
        </section>
        <section class="card">
            <h2>"Connections per provider"</h2>
            <div class="counts">
                {summary
                    .connections_by_provider
                    .into_iter()
                    .map(|(provider, count)| {
                        view! {
                            <a class="count" href="/admin/connections">
                                <span class="number">{count}</span>
                                <span class="label">{provider}</span>
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}

/// One count, linking to the page that lists what it counts, for its connection.
#[component]
fn Count(count: u64, label: String, href: String) -> impl IntoView {
    view! {
        <a class="count" href=href>
            <span class="number">{count}</span>
            <span class="label">{label}</span>
        </a>
    }
}

fn counts_view(connection: &str, counts: ConnectionResources) -> impl IntoView {
    let href = |path: &str| connection_href(path, Some(connection));
    let vms: u64 = counts.vms_by_status.iter().map(|(_, count)| count).sum();
    let by_status = counts
        .vms_by_status
        .into_iter()
        .map(|(status, count)| {
            view! { <Count count label=format!("{} VMs", status.as_str()) href=href("/admin/vms") /> }
        })
        .collect_view();
    view! {
        <div class="counts">
            <Count count=counts.vpcs label="VPCs".to_owned() href=href("/admin/vpcs") />
            <Count count=counts.security_groups label="Security groups".to_owned() href=href("/admin/security-groups") />
            <Count count=counts.key_pairs label="Key pairs".to_owned() href=href("/admin/key-pairs") />
            {(vms == 0).then(|| view! { <Count count=0 label="VMs".to_owned() href=href("/admin/vms") /> })}
            {by_status}
        </div>
    }
}

/// One connection's counts, streamed in when its cloud answers, or the cloud's error.
#[component]
fn ConnectionCounts(connection: ConnectionConfigInfo) -> impl IntoView {
    let name = connection.config_name;
    let counts = Resource::new(|| (), {
        let name = name.clone();
        move |_| connection_counts(name.clone())
    });
    let shown = name.clone();
    view! {
        <div class="connection-counts">
            <h3>{name.clone()} " " <span class="muted">{connection.provider_name}</span></h3>
            <Suspense fallback=|| view! { <p class="muted" role="status"><span class="spinner" aria-hidden="true"></span>" Asking the cloud…"</p> }>
                {move || {
                    let name = shown.clone();
                    Suspend::new(async move {
                        Some(match alive(counts)?.await {
                            Ok(counts) => counts_view(&name, counts).into_any(),
                            Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                        })
                    })
                }}
            </Suspense>
        </div>
    }
}

/// What each connection holds: VPCs, security groups, key pairs, and VMs by status. The list
/// of connections comes from the database at once; each connection's counts follow on their
/// own, so a slow or unreachable cloud delays only its own line.
#[component]
fn ResourcesPerConnection() -> impl IntoView {
    let connections = Resource::new(|| (), |_| list_connections());
    view! {
        <section class="card">
            <h2>"Resources per connection"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    Some(match alive(connections)?.await {
                        Ok(list) if list.is_empty() => view! { <p class="muted">"No connection yet."</p> }.into_any(),
                        Ok(list) => {
                            list.into_iter()
                                .map(|connection| view! { <ConnectionCounts connection /> })
                                .collect_view()
                                .into_any()
                        }
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    })
                })}
            </Suspense>
        </section>
    }
}

/// One click to a working connection: the fastest way to see Spinneret do something.
#[component]
fn TryMockCloud() -> impl IntoView {
    let try_mock = ServerAction::<TryMockCloud>::new();
    view! {
        <section class="card try-mock">
            <h2>"Try the mock cloud"</h2>
            <p class="muted">
                "Registers a mock driver, credential, region and connection config in one step, so you can explore without a cloud account."
            </p>
            <ActionForm action=try_mock>
                <SubmitButton action=try_mock text="Try the mock cloud" busy="Registering…" />
            </ActionForm>
            <ActionStatus result=outcome(try_mock, |_| "The mock cloud is ready.".to_owned()) />
        </section>
    }
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let summary = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text="Dashboard · Spinneret" />
        <h1>"Dashboard"</h1>
        <TryMockCloud />
        <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                Some(match alive(summary)?.await {
                    Ok(summary) => summary_view(summary).into_any(),
                    Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                })
            })}
        </Suspense>
        <ResourcesPerConnection />
    }
}
