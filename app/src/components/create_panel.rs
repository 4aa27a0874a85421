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
