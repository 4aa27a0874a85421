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
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=format!("/pkg/{OUTPUT_NAME}.css") />
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

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Spinneret" />
        <Router>
            <Routes fallback=|| view! { <main class="page"><h1>"Page not found"</h1></main> }>
                <Route path=path!("/admin/login") view=pages::login::LoginPage ssr=SsrMode::Async />
                // Async: pages arrive complete, so they read and work before the WASM loads.
                <ParentRoute path=path!("/admin") view=pages::layout::Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::dashboard::DashboardPage ssr=SsrMode::Async />
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
                    <Route path=path!("history") view=pages::history::HistoryPage ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}
