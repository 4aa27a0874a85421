use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

use crate::components::{ConnectionPicker, provide_selected_connection};

/// The frame of every signed-in page: the navigation bar and the page below it.
#[component]
pub fn Layout() -> impl IntoView {
    provide_selected_connection();
    view! {
        <header class="topbar">
            <a class="brand" href="/admin">"Spinneret"</a>
            <nav aria-label="Main">
                <A href="/admin" exact=true>"Dashboard"</A>
                <A href="/admin/drivers">"Drivers"</A>
                <A href="/admin/credentials">"Credentials"</A>
                <A href="/admin/regions">"Regions"</A>
                <A href="/admin/connections">"Connections"</A>
                <A href="/admin/images">"Images"</A>
                <A href="/admin/specs">"Specs"</A>
                <A href="/admin/vpcs">"VPCs"</A>
                <A href="/admin/security-groups">"Security groups"</A>
                <A href="/admin/key-pairs">"Key pairs"</A>
                <A href="/admin/vms">"VMs"</A>
                <A href="/admin/history">"History"</A>
            </nav>
            <ConnectionPicker />
            <form method="post" action="/auth/logout" class="logout">
                <button type="submit" class="secondary">"Log out"</button>
            </form>
        </header>
        <main class="page">
            <Outlet />
        </main>
    }
}
