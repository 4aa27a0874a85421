use leptos::prelude::*;
use spinneret_drivers::Provider;

/// A provider dropdown bound to `provider`, submitted as `name`.
#[component]
pub fn ProviderSelect(name: &'static str, provider: RwSignal<Provider>) -> impl IntoView {
    view! {
        <label>
            "Provider"
            <select
                name=name
                on:change=move |ev| {
                    if let Ok(chosen) = event_target_value(&ev).parse() {
                        provider.set(chosen);
                    }
                }
            >
                {Provider::ALL
                    .into_iter()
                    .map(|option| {
                        view! {
                            <option value=option.name() selected=move || provider.get() == option>
                                {option.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
