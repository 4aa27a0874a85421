use leptos::prelude::*;
use spinneret_drivers::provider::KeySpec;

/// The key/value inputs of a credential or region form: one per key the provider reads, plus
/// any extra keys the operator adds. Inputs are named `{prefix}[i][Key]` / `{prefix}[i][Value]`
/// so the form posts a `KeyValueInfoList`.
#[component]
pub fn KeyValueFields(
    prefix: &'static str,
    #[prop(into)] keys: Signal<&'static [KeySpec]>,
) -> impl IntoView {
    let extra_rows = RwSignal::new(0usize);
    // Only what the provider marks secret is masked: an operator must see a ClientId to
    // check it.
    let input_type = |spec: &KeySpec| if spec.secret { "password" } else { "text" };
    view! {
        <fieldset class="key-values">
            <legend>"Keys"</legend>
            {move || {
                let specs = keys.get();
                let known = specs
                    .iter()
                    .enumerate()
                    .map(|(index, spec)| {
                        view! {
                            <label>
                                <span>
                                    {spec.name}
                                    {(!spec.required).then_some(view! { <span class="muted">" (optional)"</span> })}
                                </span>
                                <input type="hidden" name=format!("{prefix}[{index}][Key]") value=spec.name />
                                <input
                                    type=input_type(spec)
                                    name=format!("{prefix}[{index}][Value]")
                                    required=spec.required
                                    autocomplete="off"
                                />
                            </label>
                        }
                    })
                    .collect_view();
                let extra = (0..extra_rows.get())
                    .map(|row| {
                        let index = specs.len() + row;
                        view! {
                            <div class="extra-key">
                                <input type="text" placeholder="Key" aria-label="Extra key" name=format!("{prefix}[{index}][Key]") />
                                <input
                                    type="text"
                                    placeholder="Value"
                                    aria-label="Extra value"
                                    name=format!("{prefix}[{index}][Value]")
                                    autocomplete="off"
                                />
                            </div>
                        }
                    })
                    .collect_view();
                (known, extra)
            }}
            <button type="button" class="secondary" on:click=move |_| extra_rows.update(|rows| *rows += 1)>
                "Add key"
            </button>
        </fieldset>
    }
}
