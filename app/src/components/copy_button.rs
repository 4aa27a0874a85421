use leptos::prelude::*;

use super::use_hydrated;

/// Copies `text` to the clipboard and says so, e.g. a VM's id or its `ssh` command.
#[component]
pub fn CopyButton(text: String, what: &'static str) -> impl IntoView {
    let hydrated = use_hydrated();
    let copied = RwSignal::new(false);
    view! {
        <button
            type="button"
            class="secondary copy"
            aria-label=format!("Copy {what}")
            disabled=move || !hydrated.get()
            on:click=move |_| {
                // Fire and forget: the browser asks or refuses on its own.
                let _ = window().navigator().clipboard().write_text(&text);
                copied.set(true);
            }
        >
            {move || if copied.get() { "Copied" } else { "Copy" }}
        </button>
    }
}
