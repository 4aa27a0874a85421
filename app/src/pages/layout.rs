use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// The frame of every signed-in page: the navigation bar and the page below it.
#[component]
pub fn Layout() -> impl IntoView {
    view! {
        <header class="topbar">
            <a class="brand" href="/admin">"Spinneret"</a>
            <nav aria-label="Main">
                <A href="/admin" exact=true>"Dashboard"</A>
                <A href="/admin/drivers">"Drivers"</A>
                <A href="/admin/credentials">"Credentials"</A>
                <A href="/admin/regions">"Regions"</A>
                <A href="/admin/connections">"Connections"</A>
            </nav>
            <form method="post" action="/auth/logout" class="logout">
                <button type="submit" class="secondary">"Log out"</button>
            </form>
        </header>
        <main class="page">
            <Outlet />
        </main>
    }
}
