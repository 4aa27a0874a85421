use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::{
    ConnectionResources, DashboardSummary, TryMockCloud, connection_resources, error_text,
    load_dashboard,
};
use crate::components::{ActionStatus, outcome};

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

/// One count, linking to the page that lists what it counts.
#[component]
fn Count(count: u64, label: String, href: &'static str) -> impl IntoView {
    view! {
        <a class="count" href=href>
            <span class="number">{count}</span>
            <span class="label">{label}</span>
        </a>
    }
}

fn connection_counts(row: ConnectionResources) -> impl IntoView {
    let counts = row.error.is_none().then(|| {
        let vms: u64 = row.vms_by_status.iter().map(|(_, count)| count).sum();
        let by_status = row
            .vms_by_status
            .into_iter()
            .map(|(status, count)| {
                view! { <Count count label=format!("{} VMs", status.as_str()) href="/admin/vms" /> }
            })
            .collect_view();
        view! {
            <div class="counts">
                <Count count=row.vpcs label="VPCs".to_owned() href="/admin/vpcs" />
                <Count count=row.security_groups label="Security groups".to_owned() href="/admin/security-groups" />
                <Count count=row.key_pairs label="Key pairs".to_owned() href="/admin/key-pairs" />
                {(vms == 0).then(|| view! { <Count count=0 label="VMs".to_owned() href="/admin/vms" /> })}
                {by_status}
            </div>
        }
    });
    view! {
        <div class="connection-counts">
            <h3>{row.connection} " " <span class="muted">{row.provider}</span></h3>
            {row.error.map(|error| view! { <p class="notice error" role="alert">{error}</p> })}
            {counts}
        </div>
    }
}

/// What each connection holds: VPCs, security groups, key pairs, and VMs by status.
#[component]
fn ResourcesPerConnection() -> impl IntoView {
    let counted = Resource::new(|| (), |_| connection_resources());
    view! {
        <section class="card">
            <h2>"Resources per connection"</h2>
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match counted.await {
                        Ok(rows) if rows.is_empty() => view! { <p class="muted">"No connection yet."</p> }.into_any(),
                        Ok(rows) => rows.into_iter().map(connection_counts).collect_view().into_any(),
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    }
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
                <button type="submit">"Try the mock cloud"</button>
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
                match summary.await {
                    Ok(summary) => summary_view(summary).into_any(),
                    Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                }
            })}
        </Suspense>
        <ResourcesPerConnection />
    }
}
