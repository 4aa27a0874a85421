//! SSH key pairs of the connection picked in the top bar. The private key is shown once, at
//! creation.

use std::fmt::Write;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{KeyPairInfo, KeyPairReqInfo, ResourceKind};

use crate::api::{CreateKeyPair, DeleteResource, list_key_pairs};
use crate::components::{
    ActionStatus, DeleteResourceButton, ForConnection, Records, TextField, connection_records,
    outcome, use_connection_name,
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

#[component]
pub fn KeyPairsPage() -> impl IntoView {
    let connection = use_connection_name();
    let create = ServerAction::<CreateKeyPair>::new();
    let delete = ServerAction::<DeleteResource>::new();
    let key_pairs = connection_records(list_key_pairs, move || {
        (create.version().get(), delete.version().get())
    });
    let name = RwSignal::new(String::new());
    // The name as submitted: the form's input may change while the key is shown.
    let created_as = RwSignal::new(String::new());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        created_as.set(name.get_untracked());
        create.dispatch(CreateKeyPair {
            connection: connection(),
            info: KeyPairReqInfo {
                name: name.get_untracked(),
            },
        });
    };
    let created = move || {
        create
            .value()
            .get()
            .and_then(Result::ok)
            .map(|key_pair| view! { <PrivateKey name=created_as.get_untracked() private_key=key_pair.private_key /> })
    };
    view! {
        <Title text="Key pairs · Spinneret" />
        <h1>"Key pairs"</h1>
        <p class="lead">"SSH key pairs for logging in to VMs. The private key is shown only once, when the key pair is created."</p>
        <section class="card">
            <h2>"Create a key pair"</h2>
            <form class="record-form" aria-label="Create key pair" on:submit=submit>
                <TextField caption="Name" value=name required=true placeholder="keypair-01" />
                <button type="submit">"Create key pair"</button>
            </form>
            <ActionStatus result=outcome(create, |_| "Created the key pair.".to_owned()) />
            {created}
        </section>
        <section class="card">
            <h2>"Key pairs"</h2>
            <ActionStatus result=outcome(delete, |_| "Deleted the key pair.".to_owned()) />
            <ForConnection
                records=key_pairs
                render=move |key_pairs| {
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
                                        <td><DeleteResourceButton action=delete kind=ResourceKind::KeyPair name /></td>
                                    </tr>
                                }
                            }
                            empty="No key pairs yet."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}
