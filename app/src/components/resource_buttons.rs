use leptos::prelude::*;
use spinneret_drivers::model::{ConnectionScope, ResourceKind};

use super::{Busy, CurlCommand, RestCall, dispatch_once, running_for, use_hydrated};
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

/// The REST path of a connection's resource, e.g. `/vpc/vpc-01` or
/// `/vpc/vpc-01/subnet/subnet-01`.
pub fn resource_path(kind: ResourceKind, name: &str, vpc: &str) -> String {
    match kind {
        ResourceKind::Vpc => format!("/vpc/{name}"),
        ResourceKind::Subnet => format!("/vpc/{vpc}/subnet/{name}"),
        ResourceKind::SecurityGroup => format!("/securitygroup/{name}"),
        ResourceKind::KeyPair => format!("/keypair/{name}"),
        ResourceKind::Vm => format!("/vm/{name}"),
    }
}

/// How the AdminWeb names deleting a kind, and what a finished delete says.
fn wording(kind: ResourceKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        ResourceKind::Vm => ("Terminate", "Terminating…", "Terminating the VM."),
        ResourceKind::Subnet => ("Remove", "Removing…", "Removed the subnet."),
        ResourceKind::Vpc => ("Delete", "Deleting…", "Deleted the VPC."),
        ResourceKind::SecurityGroup => ("Delete", "Deleting…", "Deleted the security group."),
        ResourceKind::KeyPair => ("Delete", "Deleting…", "Deleted the key pair."),
    }
}

/// `kind 'name'`, and for a subnet the VPC it is in.
fn subject(kind: ResourceKind, name: &str, vpc: &str) -> String {
    match kind {
        ResourceKind::Subnet => format!("subnet '{name}' of VPC '{vpc}'"),
        other => format!("{} '{name}'", other.label()),
    }
}

/// Deletes a VPC, security group or key pair, removes a subnet, or terminates a VM, of the
/// connection it was rendered for, once the operator confirms the question that names that
/// connection. Its curl sits beside it.
#[component]
pub fn DeleteResourceButton(
    action: ServerAction<DeleteResource>,
    scope: ConnectionScope,
    kind: ResourceKind,
    name: String,
    /// The VPC of a subnet.
    #[prop(optional, into)]
    vpc: String,
    #[prop(optional, into)] disabled: Signal<bool>,
) -> impl IntoView {
    let (verb, busy_text, _) = wording(kind);
    let label = match kind {
        ResourceKind::Subnet => format!("{verb} subnet {name} from {vpc}"),
        other => format!("{verb} {} {name}", other.label()),
    };
    let question = format!(
        "{verb} {} in connection {}?",
        subject(kind, &name, &vpc),
        scope.describe()
    );
    let busy = {
        let (name, vpc) = (name.clone(), vpc.clone());
        running_for(action, move |input| input.name == name && input.vpc == vpc)
    };
    let call = RestCall::delete(resource_path(kind, &name, &vpc), &scope.name, false);
    let confirmed = move || {
        dispatch_once(action, || DeleteResource {
            connection: scope.name.clone(),
            kind,
            name: name.clone(),
            vpc: vpc.clone(),
            force: false,
        });
    };
    view! {
        <ConfirmButton label text=verb question confirmed busy busy_text disabled />
        <CurlCommand summary="curl" calls=move || vec![call.clone()] />
    }
}

/// How the last delete of `action` ended: done, the error, or, when other resources use the
/// record, who they are and a "Delete anyway" that asks a second time.
#[component]
pub fn DeletionStatus(
    action: ServerAction<DeleteResource>,
    scope: ConnectionScope,
) -> impl IntoView {
    move || {
        let outcome = action.value().get()?;
        Some(match outcome {
            Ok(Deletion::Done { kind }) => {
                view! { <p class="notice ok" role="status">{wording(kind).2}</p> }.into_any()
            }
            Ok(Deletion::InUse {
                kind,
                name,
                vpc,
                used_by,
            }) => {
                let subject = subject(kind, &name, &vpc);
                let question = format!(
                    "Delete {subject} in connection {} anyway? {used_by} will lose it.",
                    scope.describe()
                );
                let connection = scope.name.clone();
                let busy = {
                    let name = name.clone();
                    running_for(action, move |input| input.force && input.name == name)
                };
                let call = RestCall::delete(resource_path(kind, &name, &vpc), &connection, true);
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
                                    vpc: vpc.clone(),
                                    force: true,
                                });
                            }
                        />
                        <CurlCommand summary="curl" calls=move || vec![call.clone()] />
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
