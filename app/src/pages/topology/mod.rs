//! One connection's network as a picture: VPC → subnet → VM ← security group. The server draws
//! it as SVG, so the browser runs no layout code and the WASM carries none.

#[cfg(feature = "ssr")]
mod draw;
#[cfg(feature = "ssr")]
mod graph;

use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::ConnectionScope;

use crate::api::error_text;
use crate::components::{ConnectionScoped, RefreshButton, alive};

/// The connection's topology as an SVG document.
#[server(endpoint = "topology")]
pub async fn topology_svg(connection: String) -> Result<String, ServerFnError> {
    use crate::api::ssr::{core, in_request, user_error};

    let core = core()?;
    let (vpcs, groups, vms) = in_request(async {
        tokio::try_join!(
            core.list_vpcs(&connection),
            core.list_security_groups(&connection),
            core.list_vms(&connection),
        )
    })
    .await
    .map_err(user_error)?;
    let graph = graph::Graph::of(&vpcs, &groups, &vms);
    Ok(draw::svg(&graph, &format!("Topology of {connection}")))
}

#[component]
fn TopologyOf(scope: ConnectionScope) -> impl IntoView {
    let tick = RwSignal::new(0u32);
    let connection = scope.name.clone();
    let picture = Resource::new(
        move || tick.get(),
        move |_| topology_svg(connection.clone()),
    );
    view! {
        <div class="toolbar">
            <RefreshButton tick what="topology" />
        </div>
        <section class="card topology">
            <h2>"Topology of " {scope.describe()}</h2>
            <Transition fallback=|| view! { <p class="muted" role="status">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    Some(match alive(picture)?.await {
                        Ok(svg) => view! { <div class="topology-picture" inner_html=svg></div> }.into_any(),
                        Err(err) => view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any(),
                    })
                })}
            </Transition>
        </section>
    }
    .into_any()
}

#[component]
pub fn TopologyPage() -> impl IntoView {
    view! {
        <Title text="Topology · Spinneret" />
        <h1>"Topology"</h1>
        <p class="lead">"The connection's VPCs, their subnets, the VMs in each subnet and the security groups that guard them."</p>
        <ConnectionScoped page=|scope| view! { <TopologyOf scope /> } />
    }
    .into_any()
}
