//! Form inputs bound to signals, for the forms that post JSON built from the page's state.

use leptos::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::{FieldError, ScopedRecords, alive, field_error};

/// A text input bound to `value`. `name` is the accessible name when rows repeat the caption.
/// `field` is the request's JSON path for it, e.g. `ReqInfo.Name`: an error about that path
/// marks the input and shows beside it.
#[component]
pub fn TextField(
    caption: &'static str,
    #[prop(into)] value: RwSignal<String>,
    #[prop(optional, into)] name: Option<String>,
    #[prop(optional, into)] field: Option<String>,
    #[prop(optional)] placeholder: Option<&'static str>,
    #[prop(optional)] required: bool,
) -> impl IntoView {
    // Named explicitly, so an error shown inside the label does not become part of the name.
    let name = name.unwrap_or_else(|| caption.to_owned());
    let error = field_error(field, name.clone());
    view! {
        <label>
            <span>{caption}</span>
            <input
                aria-label=name
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                placeholder=placeholder
                required=required
                autocomplete="off"
                bind:value=value
            />
            <FieldError error />
        </label>
    }
    .into_any()
}

/// A dropdown bound to `value`, which follows the first option whenever it is not among them.
#[component]
pub fn SelectField(
    caption: &'static str,
    #[prop(into)] options: Signal<Vec<String>>,
    #[prop(into)] value: RwSignal<String>,
    #[prop(optional, into)] name: Option<String>,
    /// The request's JSON path for it, as for [`TextField`].
    #[prop(optional_no_strip, into)]
    field: Option<String>,
) -> impl IntoView {
    let name = name.unwrap_or_else(|| caption.to_owned());
    let error = field_error(field, name.clone());
    Effect::new(move |_| {
        let options = options.get();
        let current = value.get();
        if !options.contains(&current) {
            let first = options.into_iter().next().unwrap_or_default();
            if first != current {
                value.set(first);
            }
        }
    });
    view! {
        <label>
            <span>{caption}</span>
            <select
                aria-label=name
                aria-invalid=move || error.with(Option::is_some).then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                {move || {
                    options
                        .get()
                        .into_iter()
                        .map(|option| {
                            let text = option.clone();
                            let selected = {
                                let option = option.clone();
                                move || value.with(|value| *value == option)
                            };
                            // The attribute for the server's HTML, the property once live: the
                            // shown choice is always the one the form submits.
                            view! { <option value=option selected=selected.clone() prop:selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <FieldError error />
        </label>
    }
    .into_any()
}

/// A dropdown of names taken from the picked connection's records.
#[component]
pub fn RecordSelect<T, N>(
    caption: &'static str,
    records: ScopedRecords<T>,
    /// The names to offer; may read other signals (e.g. the subnets of the chosen VPC).
    names: N,
    value: RwSignal<String>,
    /// Says why the list is empty and what to do, e.g. "No VPC yet: create one on the VPCs page."
    empty: &'static str,
    /// The request's JSON path for it, as for [`TextField`].
    #[prop(optional)]
    field: Option<&'static str>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
    N: Fn(&[T]) -> Vec<String> + Copy + Send + Sync + 'static,
{
    view! {
        <Transition fallback=move || view! { <label><span>{caption}</span><select disabled=true></select></label> }>
            {move || Suspend::new(async move {
                let list = alive(records)?.await.unwrap_or_default();
                let empty_note = list.is_empty().then_some(empty);
                Some(view! {
                    <SelectField caption options=Signal::derive(move || names(&list)) value field=field.map(str::to_owned) />
                    {empty_note.map(|note| view! { <p class="field-note muted">{note}</p> })}
                })
            })}
        </Transition>
    }
    .into_any()
}

/// Rows a form can grow and shrink, such as a VPC's subnets or a security group's rules.
/// Each row keeps its own signals, so only adding or removing a row re-renders the rows.
#[component]
pub fn EditableRows<T, R, V>(
    legend: &'static str,
    /// What one row is, e.g. "subnet": names the buttons.
    noun: &'static str,
    rows: RwSignal<Vec<T>>,
    /// Renders row `index` (from 1, for accessible names).
    row: R,
) -> impl IntoView
where
    T: Clone + Default + Send + Sync + 'static,
    R: Fn(usize, T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! {
        <fieldset class="form-rows">
            <legend>{legend}</legend>
            {move || {
                rows.get()
                    .into_iter()
                    .enumerate()
                    .map(|(index, item)| {
                        view! {
                            <div class="form-row">
                                {row(index + 1, item)}
                                <button
                                    type="button"
                                    class="secondary"
                                    aria-label=format!("Remove {noun} row {}", index + 1)
                                    on:click=move |_| {
                                        rows.update(|rows| {
                                            rows.remove(index);
                                        })
                                    }
                                >
                                    "Remove"
                                </button>
                            </div>
                        }
                    })
                    .collect_view()
            }}
            <button type="button" class="secondary" on:click=move |_| rows.update(|rows| rows.push(T::default()))>
                {format!("Add {noun} row")}
            </button>
        </fieldset>
    }
    .into_any()
}
