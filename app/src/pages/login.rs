use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// The sign-in form. It posts to `/auth/login`, which sets the session cookie, so it works
/// with or without the WASM.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    // Why the last sign-in failed, as `/auth/login` says in the address.
    let failed = move || {
        query.read().get("error").map(|why| match why.as_str() {
            "throttled" => "Too many failed sign-ins from this address: try again in a minute.",
            _ => "Wrong username or password.",
        })
    };
    view! {
        <Title text="Sign in · Spinneret" />
        <main class="login">
            <form method="post" action="/auth/login" class="card">
                <h1>"Spinneret"</h1>
                <p class="muted">"Sign in with the admin account (SPIDER_USERNAME / SPIDER_PASSWORD)."</p>
                {move || failed().map(|why| view! { <p class="notice error" role="alert">{why}</p> })}
                <label>"Username" <input name="username" autocomplete="username" required value="admin" /></label>
                <label>"Password" <input name="password" type="password" autocomplete="current-password" required /></label>
                <button type="submit">"Sign in"</button>
            </form>
        </main>
    }
}
