//! Spinneret's AdminWeb. Compiled with `ssr` into the server, and with `hydrate` into the WASM
//! that makes the server-rendered pages interactive.

pub mod api;
mod components;
mod pages;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

/// The name of the WASM bundle and stylesheet under `/pkg`.
pub const OUTPUT_NAME: &str = "spinneret";

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    send_content_security_policy();
    let stylesheet = format!("/{}/{OUTPUT_NAME}.css", options.site_pkg_dir);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Scripts run only from this server or with this response's nonce (Leptos puts it on the
/// hydration and streaming scripts it writes inline); nothing is framed, posted or fetched
/// elsewhere.
#[cfg(feature = "ssr")]
fn send_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    components::provide_hydrated();
    view! {
        <Title text="Spinneret" />
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>"Page not found"</h1></main> }>
                <Route path=path!("/admin/login") view=pages::login::LoginPage ssr=SsrMode::Async />
                // The most restrictive mode of a page and its frame wins, so the frame leaves it
                // to each page. Async: pages arrive complete, so they read and their plain
                // forms work before the WASM loads.
                <ParentRoute path=path!("/admin") view=pages::layout::Layout>
                    // Out of order: the page paints at once, and each connection's counts stream in.
                    <Route path=path!("") view=pages::dashboard::DashboardPage ssr=SsrMode::OutOfOrder />
                    <Route path=path!("drivers") view=pages::drivers::DriversPage ssr=SsrMode::Async />
                    <Route path=path!("credentials") view=pages::credentials::CredentialsPage ssr=SsrMode::Async />
                    <Route path=path!("regions") view=pages::regions::RegionsPage ssr=SsrMode::Async />
                    <Route path=path!("connections") view=pages::connections::ConnectionsPage ssr=SsrMode::Async />
                    <Route path=path!("images") view=pages::catalog::ImagesPage ssr=SsrMode::Async />
                    <Route path=path!("specs") view=pages::catalog::SpecsPage ssr=SsrMode::Async />
                    <Route path=path!("vpcs") view=pages::vpcs::VpcsPage ssr=SsrMode::Async />
                    <Route path=path!("security-groups") view=pages::security_groups::SecurityGroupsPage ssr=SsrMode::Async />
                    <Route path=path!("key-pairs") view=pages::key_pairs::KeyPairsPage ssr=SsrMode::Async />
                    <Route path=path!("vms") view=pages::vms::VmsPage ssr=SsrMode::Async />
                    <Route path=path!("topology") view=pages::topology::TopologyPage ssr=SsrMode::Async />
                    <Route path=path!("history") view=pages::history::HistoryPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
