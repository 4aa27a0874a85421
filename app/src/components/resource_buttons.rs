use leptos::prelude::*;
use spinneret_drivers::model::{ConnectionScope, ResourceKind};

use super::{Busy, dispatch_once, running_for, use_hydrated};
use crate::api::{DeleteResource, Deletion, error_text};

/// A destructive button that asks `question` first and runs `confirmed` only on a yes. It is
/// disabled until hydrated and while `busy`, which also shows a [`Busy`] beside it.
#[component]
pub fn ConfirmButton<F>(
    /// The accessible name, e.g. "Delete VPC vpc-01".
    label: String,
    text: &'static str,
    question: String,
    confirmed: F,
    /// Whether this button's own action runs.
    #[prop(into)]
    busy: Signal<bool>,
    /// What the running action does, e.g. "Deleting…".
    busy_text: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView
where
    F: Fn() + Send + Sync + 'static,
{
    let hydrated = use_hydrated();
    view! {
        <button
            type="button"
            class="danger"
            aria-label=label
            disabled=move || !hydrated.get() || busy.get() || disabled.get()
            on:click=move |_| {
                if window().confirm_with_message(&question).unwrap_or(false) {
                    confirmed();
                }
            }
        >
            {text}
        </button>
        <Busy busy what=busy_text />
    }
}

/// Deletes a VPC, security group or key pair, or terminates a VM, of the connection it was
/// rendered for, once the operator confirms the question that names that connection.
#[component]
pub fn DeleteResourceButton(
    action: ServerAction<DeleteResource>,
    scope: ConnectionScope,
    kind: ResourceKind,
    name: String,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let (verb, busy_text) = if kind == ResourceKind::Vm {
        ("Terminate", "Terminating…")
    } else {
        ("Delete", "Deleting…")
    };
    let label = format!("{verb} {} {name}", kind.label());
    let question = format!(
        "{verb} {} '{name}' in connection {}?",
        kind.label(),
        scope.describe()
    );
    let busy = {
        let name = name.clone();
        running_for(action, move |input| input.name == name)
    };
    let confirmed = move || {
        dispatch_once(action, || DeleteResource {
            connection: scope.name.clone(),
            kind,
            name: name.clone(),
            force: false,
        });
    };
    view! { <ConfirmButton label text=verb question confirmed busy busy_text disabled /> }
}

/// How the last delete of `action` ended: `done` on success, the error, or, when other
/// resources use the record, who they are and a "Delete anyway" that asks a second time.
#[component]
pub fn DeletionStatus(
    action: ServerAction<DeleteResource>,
    scope: ConnectionScope,
    done: &'static str,
) -> impl IntoView {
    move || {
        let outcome = action.value().get()?;
        Some(match outcome {
            Ok(Deletion::Done) => {
                view! { <p class="notice ok" role="status">{done}</p> }.into_any()
            }
            Ok(Deletion::InUse {
                kind,
                name,
                used_by,
            }) => {
                let subject = format!("{} '{name}'", kind.label());
                let question = format!(
                    "Delete {subject} in connection {} anyway? {used_by} will lose it.",
                    scope.describe()
                );
                let connection = scope.name.clone();
                let busy = {
                    let name = name.clone();
                    running_for(action, move |input| input.force && input.name == name)
                };
                view! {
                    <div class="notice error" role="alert">
                        <p>{format!("{subject} is used by {used_by}.")}</p>
                        <ConfirmButton
                            label=format!("Delete {subject} anyway")
                            text="Delete anyway"
                            question
                            busy
                            busy_text="Deleting…"
                            confirmed=move || {
                                dispatch_once(action, || DeleteResource {
                                    connection: connection.clone(),
                                    kind,
                                    name: name.clone(),
                                    force: true,
                                });
                            }
                        />
                    </div>
                }
                .into_any()
            }
            Err(err) => {
                view! { <p class="notice error" role="alert">{error_text(&err)}</p> }.into_any()
            }
        })
    }
}
