use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::Provider;
use spinneret_drivers::model::CredentialInfo;

use crate::api::{DeleteRecord, PutCredential, RecordKind, list_credentials};
use crate::components::{
    ActionStatus, CreatePanel, DeleteButton, KeyValueFields, ProviderSelect, RecordTable,
    SubmitButton, key_list, outcome,
};

#[component]
pub fn CredentialsPage() -> impl IntoView {
    let put = ServerAction::<PutCredential>::new();
    let delete = ServerAction::<DeleteRecord>::new();
    let credentials = Resource::new(
        move || (put.version().get(), delete.version().get()),
        |_| list_credentials(),
    );
    let provider = RwSignal::new(Provider::Mock);
    // After a save the form starts empty, so the next credential inherits none of its keys.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if put.value().with(|saved| matches!(saved, Some(Ok(_))))
            && let Some(form) = form.get_untracked()
        {
            form.reset();
        }
    });
    view! {
        <Title text="Credentials · Spinneret" />
        <h1>"Credentials"</h1>
        <p class="lead">"Keys for a cloud account. Values are encrypted at rest (AES-256-GCM) and never shown again."</p>
        <div class="toolbar">
            <CreatePanel summary="Register credential…">
                <ActionForm action=put node_ref=form attr:class="record-form" attr:aria-label="Save credential">
                    <label>"Credential name" <input name="info[CredentialName]" required placeholder="mock-credential01" /></label>
                    <ProviderSelect name="info[ProviderName]" provider />
                    <KeyValueFields
                        prefix="info[KeyValueInfoList]"
                        keys=Signal::derive(move || provider.get().credential_keys())
                    />
                    <SubmitButton action=put text="Save credential" busy="Saving…" />
                </ActionForm>
                <ActionStatus result=outcome(put, |saved| format!("Saved credential '{}'.", saved.credential_name)) />
            </CreatePanel>
        </div>
        <section class="card">
            <h2>"Registered credentials"</h2>
            <ActionStatus result=outcome(delete, |_| "Deleted.".to_owned()) />
            <RecordTable
                headers=&["Name", "Provider", "Keys"]
                rows=credentials
                row=move |credential: CredentialInfo| {
                    let name = credential.credential_name.clone();
                    let keys = key_list(&credential.key_value_info_list);
                    view! {
                        <tr>
                            <td>{credential.credential_name}</td>
                            <td>{credential.provider_name}</td>
                            <td class="key-list">{keys}</td>
                            <td>
                                <DeleteButton action=delete kind=RecordKind::Credential name />
                            </td>
                        </tr>
                    }
                }
            />
        </section>
    }
}
