use leptos::prelude::*;
use leptos_router::components::{A, Outlet};
use leptos_router::hooks::use_location;

use crate::api::connection_href;
use crate::components::{ConnectionPicker, provide_page_connection, use_connection_param};

/// The navigation bar's pages: (path, link text).
const PAGES: &[(&str, &str)] = &[
    ("/admin", "Dashboard"),
    ("/admin/drivers", "Drivers"),
    ("/admin/credentials", "Credentials"),
    ("/admin/regions", "Regions"),
    ("/admin/connections", "Connections"),
    ("/admin/images", "Images"),
    ("/admin/specs", "Specs"),
    ("/admin/vpcs", "VPCs"),
    ("/admin/security-groups", "Security groups"),
    ("/admin/key-pairs", "Key pairs"),
    ("/admin/vms", "VMs"),
    ("/admin/topology", "Topology"),
    ("/admin/history", "History"),
];

/// The frame of every signed-in page: the navigation bar and the page below it. Links keep
/// the page's connection, so moving between pages never switches clouds.
#[component]
pub fn Layout() -> impl IntoView {
    provide_page_connection();
    let connection = use_connection_param();
    let path = use_location().pathname;
    let links = PAGES
        .iter()
        .map(|&(path, text)| {
            let href = move || connection.with(|name| connection_href(path, name.as_deref()));
            view! { <A href=href exact=true>{text}</A> }
        })
        .collect_view();
    view! {
        <a class="skip-link" href="#content">"Skip to content"</a>
        <header class="topbar">
            <a class="brand" href="/admin">"Spinneret"</a>
            <details class="menu">
                <summary aria-label="Menu">"Menu"</summary>
                <nav aria-label="Main">{links}</nav>
            </details>
            <ConnectionPicker />
            <form method="post" action="/auth/logout" class="logout">
                <button type="submit" class="secondary">"Log out"</button>
            </form>
        </header>
        <main class="page" id="content" tabindex="-1">
            // Keyed by the page's path: another page builds its elements anew. Two pages'
            // type-erased views can share a type, and patched in place an opened panel or a
            // typed value would carry over from one page to the next.
            <For each=move || std::iter::once(path.get()) key=String::clone children=|_| view! { <Outlet /> } />
        </main>
    }
}
