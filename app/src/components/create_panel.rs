use std::time::Duration;

use leptos::prelude::*;

use super::use_hydrated;

/// A create form folded behind its "Create…" button, so a page shows its list first. A
/// native `<details>`: it opens with the keyboard and without JavaScript.
#[component]
pub fn CreatePanel(
    /// The button's text, e.g. "Create VPC…".
    summary: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <details class="card create-panel">
            <summary class="button">{summary}</summary>
            <div class="create-body">{children()}</div>
        </details>
    }
}

/// How often an open page reloads its list, so what changed elsewhere (over REST, in another
/// tab) shows up without a page reload.
pub const REFRESH_IDLE: Duration = Duration::from_secs(5);

/// Bumps `tick`, which a list's resource is keyed on, every `every()` while the page is
/// open; `every` may change (e.g. faster while something is in transition). Effects run
/// only in the browser.
pub fn refresh_every(tick: RwSignal<u32>, every: impl Fn() -> Duration + Send + Sync + 'static) {
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(move || tick.update(|n| *n += 1), every()) {
            on_cleanup(move || handle.clear());
        }
    });
}

/// Reloads a list on demand by bumping `tick`, which its resource is keyed on.
#[component]
pub fn RefreshButton(tick: RwSignal<u32>, what: &'static str) -> impl IntoView {
    let hydrated = use_hydrated();
    view! {
        <button
            type="button"
            class="secondary"
            aria-label=format!("Refresh {what}")
            disabled=move || !hydrated.get()
            on:click=move |_| tick.update(|tick| *tick += 1)
        >
            "Refresh"
        </button>
    }
}
