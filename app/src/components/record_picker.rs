//! A searchable picker for catalogues too long for a dropdown, such as a cloud's images.

use leptos::prelude::*;

use super::{FieldError, ScopedRecords, alive, field_error};
use crate::api::Choice;

/// What the picker says under its input: the chosen entry's detail, or why there is none.
fn note_for(choices: &[Choice], value: &str) -> String {
    if value.is_empty() {
        return "Type to search by name or description.".to_owned();
    }
    choices
        .iter()
        .find(|choice| choice.value == value)
        .map(|choice| choice.detail.clone())
        .unwrap_or_else(|| "Not in the list: the cloud is asked for it by this name.".to_owned())
}

/// The input and its suggestions. Not generic, so its code exists once in the WASM.
#[component]
fn ChoiceField(
    caption: &'static str,
    choices: Vec<Choice>,
    value: RwSignal<String>,
    empty: &'static str,
    field: Option<&'static str>,
) -> impl IntoView {
    let list_id = format!("{}-choices", caption.to_ascii_lowercase());
    let note_id = format!("{list_id}-note");
    if choices.is_empty() {
        return view! {
            <label><span>{caption}</span><input disabled=true /></label>
            <p class="field-note muted">{empty}</p>
        }
        .into_any();
    }
    // The first entry is the default; an effect (not the render) sets it, so the server's HTML
    // and the hydrated page agree.
    let first = choices[0].value.clone();
    Effect::new(move |_| {
        if value.with_untracked(String::is_empty) {
            value.set(first.clone());
        }
    });
    let placeholder = format!("Search {} entries", choices.len());
    let error = field_error(field.map(str::to_owned), caption.to_owned());
    let options = choices
        .iter()
        .map(|choice| view! { <option value=choice.value.clone() label=choice.detail.clone()></option> })
        .collect_view();
    view! {
        <label>
            <span>{caption}</span>
            <input
                aria-label=caption
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                list=list_id.clone()
                aria-describedby=note_id.clone()
                placeholder=placeholder
                required=true
                autocomplete="off"
                spellcheck="false"
                bind:value=value
            />
            <FieldError error />
        </label>
        <datalist id=list_id>{options}</datalist>
        <p class="field-note" id=note_id>{move || value.with(|value| note_for(&choices, value))}</p>
    }
    .into_any()
}

/// An input with the connection's `choices` as searchable suggestions, each with its detail,
/// for lists of hundreds (AWS offers over a thousand images). A name outside the list is sent
/// as typed, for the cloud to resolve.
#[component]
pub fn RecordPicker(
    caption: &'static str,
    choices: ScopedRecords<Choice>,
    value: RwSignal<String>,
    /// Says why there is nothing to pick, e.g. "The cloud offers no image in this region."
    empty: &'static str,
    /// The request's JSON path for it, as for a text field.
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView {
    view! {
        <Transition fallback=move || view! { <label><span>{caption}</span><input disabled=true placeholder="Loading…" /></label> }>
            {move || Suspend::new(async move {
                let choices = alive(choices)?.await.unwrap_or_default();
                Some(view! { <ChoiceField caption choices value empty field /> })
            })}
        </Transition>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalogue() -> Vec<Choice> {
        vec![Choice {
            value: "img-1".to_owned(),
            detail: "Ubuntu 22.04 · x86_64".to_owned(),
        }]
    }

    #[test]
    fn the_note_describes_the_chosen_entry() {
        assert_eq!(note_for(&catalogue(), "img-1"), "Ubuntu 22.04 · x86_64");
    }

    #[test]
    fn the_note_says_when_a_name_is_not_offered() {
        assert!(note_for(&catalogue(), "ami-0abc").starts_with("Not in the list"));
        assert!(note_for(&catalogue(), "").starts_with("Type to search"));
    }
}
