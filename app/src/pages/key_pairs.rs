//! SSH key pairs of the connection the page is opened for. The private key is shown once, at
//! creation.

use std::fmt::Write;

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{ConnectionScope, KeyPairInfo, KeyPairReqInfo, ResourceKind};

use crate::api::{CreateKeyPair, DeleteResource, list_key_pairs};
use crate::components::{
    ActionStatus, ConnectionScoped, CreatePanel, CurlCommand, DeleteResourceButton, DeletionStatus,
    FormErrors, LiveRecords, REFRESH_IDLE, Records, RefreshButton, RestCall, SubmitButton,
    TextField, dispatch_once, outcome, refresh_every, scoped_records,
};

/// A `data:` URL holding `key`, so a link can download it without another request.
fn pem_data_url(key: &str) -> String {
    let mut url = String::from("data:application/x-pem-file,");
    for byte in key.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            url.push(char::from(byte));
        } else {
            let _ = write!(url, "%{byte:02X}");
        }
    }
    url
}

/// The private key of the key pair just created as `name`, with the one chance to save it.
#[component]
fn PrivateKey(name: String, private_key: String) -> impl IntoView {
    view! {
        <div class="private-key">
            <p class="key-warning" role="note">"This private key will not be shown again. Download it now."</p>
            <pre aria-label=format!("Private key of {name}")>{private_key.clone()}</pre>
            <a class="button" href=pem_data_url(&private_key) download=format!("{name}.pem")>
                "Download .pem"
            </a>
        </div>
    }
    .into_any()
}

/// The page's content for one connection.
#[component]
fn KeyPairsOf(scope: ConnectionScope) -> impl IntoView {
    let create = ServerAction::<CreateKeyPair>::new();
    let delete = ServerAction::<DeleteResource>::new();
    let tick = RwSignal::new(0u32);
    let key_pairs = scoped_records(&scope, list_key_pairs, move || {
        (tick.get(), create.version().get(), delete.version().get())
    });
    refresh_every(tick, || REFRESH_IDLE);
    let name = RwSignal::new(String::new());
    let errors = FormErrors::new(create);
    // The name as submitted: the form's input may change while the key is shown.
    let created_as = RwSignal::new(String::new());
    let request = move || KeyPairReqInfo { name: name.get() };
    let connection = scope.name.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        dispatch_once(create, || {
            created_as.set(name.get_untracked());
            CreateKeyPair {
                connection: connection.clone(),
                info: request(),
            }
        });
    };
    let curl_connection = scope.name.clone();
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .map(|key_pair| view! { <PrivateKey name=created_as.get_untracked() private_key=key_pair.private_key /> })
    };
    let (rows_scope, status_scope) = (scope.clone(), scope.clone());
    let heading = scope.name.clone();
    view! {
        <Provider value=errors>
        <div class="toolbar">
            <CreatePanel summary="Create key pair…">
                <form class="record-form" aria-label="Create key pair" on:submit=submit>
                    <TextField caption="Name" field="ReqInfo.Name" value=name required=true placeholder="keypair-01" />
                    <SubmitButton action=create text="Create key pair" busy="Creating the key pair…" needs_js=true />
                </form>
                <CurlCommand calls=move || vec![RestCall::post("/keypair", &curl_connection, &request())] />
            </CreatePanel>
            <RefreshButton tick what="key pairs" />
        </div>
        <ActionStatus result=outcome(create, |_| "Created the key pair.".to_owned()) />
        {created}
        <section class="card">
            <h2>"Key pairs in " {heading}</h2>
            <DeletionStatus action=delete scope=status_scope />
            <LiveRecords
                records=key_pairs
                render=move |key_pairs| {
                    let scope = rows_scope.clone();
                    view! {
                        <Records
                            headers=&["Name", "Fingerprint", "User"]
                            records=key_pairs
                            row=move |key_pair: KeyPairInfo| {
                                let name = key_pair.iid.name_id;
                                view! {
                                    <tr>
                                        <td>{name.clone()}</td>
                                        <td class="key-list">{key_pair.fingerprint}</td>
                                        <td>{key_pair.vm_user_id}</td>
                                        <td class="actions"><DeleteResourceButton action=delete scope=scope.clone() kind=ResourceKind::KeyPair name /></td>
                                    </tr>
                                }
                            }
                            empty="No key pairs yet. Use “Create key pair…” to make one."
                        />
                    }
                }
            />
        </section>
        </Provider>
    }
    .into_any()
}

#[component]
pub fn KeyPairsPage() -> impl IntoView {
    view! {
        <Title text="Key pairs · Spinneret" />
        <h1>"Key pairs"</h1>
        <p class="lead">"SSH key pairs for logging in to VMs. The private key is shown only once, when the key pair is created."</p>
        <ConnectionScoped page=|scope| view! { <KeyPairsOf scope /> } />
    }
    .into_any()
}
