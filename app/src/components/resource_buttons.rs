use leptos::prelude::*;
use spinneret_drivers::model::ResourceKind;

use super::use_connection_name;
use crate::api::DeleteResource;

/// A button that asks `question` first, and runs `confirmed` only on a yes.
#[component]
pub fn ConfirmButton<F>(
    /// The accessible name, e.g. "Delete VPC vpc-01".
    label: String,
    text: &'static str,
    question: String,
    confirmed: F,
    #[prop(optional)] disabled: bool,
) -> impl IntoView
where
    F: Fn() + Send + Sync + 'static,
{
    view! {
        <button
            type="button"
            class="danger"
            aria-label=label
            disabled=disabled
            on:click=move |_| {
                if window().confirm_with_message(&question).unwrap_or(false) {
                    confirmed();
                }
            }
        >
            {text}
        </button>
    }
}

/// Deletes a VPC, security group or key pair, or terminates a VM, once confirmed.
#[component]
pub fn DeleteResourceButton(
    action: ServerAction<DeleteResource>,
    kind: ResourceKind,
    name: String,
    #[prop(optional)] disabled: bool,
) -> impl IntoView {
    let connection = use_connection_name();
    let verb = if kind == ResourceKind::Vm {
        "Terminate"
    } else {
        "Delete"
    };
    let label = format!("{verb} {} {name}", kind.label());
    let question = format!("{verb} {} '{name}'?", kind.label());
    let confirmed = move || {
        action.dispatch(DeleteResource {
            connection: connection(),
            kind,
            name: name.clone(),
        });
    };
    view! { <ConfirmButton label text=verb question confirmed disabled /> }
}
