use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::Provider;
use spinneret_drivers::model::ConnectionConfigInfo;

use crate::api::{
    DeleteRecord, PutConnection, RecordKind, list_connections, list_credentials, list_drivers,
    list_regions,
};
use crate::components::{ActionStatus, DeleteButton, ProviderSelect, RecordTable, outcome};

/// Names and providers of the records a connection config can refer to.
type Choices = Vec<(String, String)>;

/// A dropdown of the registered records of the chosen provider.
#[component]
fn ReferenceSelect(
    label: &'static str,
    name: &'static str,
    choices: Resource<Result<Choices, ServerFnError>>,
    provider: RwSignal<Provider>,
) -> impl IntoView {
    view! {
        <label>
            {label}
            <Transition fallback=|| view! { <select disabled=true></select> }>
                {move || Suspend::new(async move {
                    let options = choices.await.unwrap_or_default();
                    view! {
                        <select name=name required=true>
                            {move || {
                                options
                                    .iter()
                                    .filter(|(_, owner)| owner == provider.get().name())
                                    .map(|(choice, _)| view! { <option value=choice.clone()>{choice.clone()}</option> })
                                    .collect_view()
                            }}
                        </select>
                    }
                })}
            </Transition>
        </label>
    }
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let put = ServerAction::<PutConnection>::new();
    let delete = ServerAction::<DeleteRecord>::new();
    let connections = Resource::new(
        move || (put.version().get(), delete.version().get()),
        |_| list_connections(),
    );
    let drivers = Resource::new(
        || (),
        |_| async {
            list_drivers().await.map(|list| {
                list.into_iter()
                    .map(|d| (d.driver_name, d.provider_name))
                    .collect()
            })
        },
    );
    let credentials = Resource::new(
        || (),
        |_| async {
            list_credentials().await.map(|list| {
                list.into_iter()
                    .map(|c| (c.credential_name, c.provider_name))
                    .collect()
            })
        },
    );
    let regions = Resource::new(
        || (),
        |_| async {
            list_regions().await.map(|list| {
                list.into_iter()
                    .map(|r| (r.region_name, r.provider_name))
                    .collect()
            })
        },
    );
    let provider = RwSignal::new(Provider::Mock);
    view! {
        <Title text="Connections · Spinneret" />
        <h1>"Connection configs"</h1>
        <p class="lead">"A connection config bundles a driver, a credential and a region of one provider. Every resource is created through one."</p>
        <section class="card">
            <h2>"Register or update a connection config"</h2>
            <ActionForm action=put attr:class="record-form">
                <label>"Config name" <input name="info[ConfigName]" required placeholder="mock-config01" /></label>
                <ProviderSelect name="info[ProviderName]" provider />
                <ReferenceSelect label="Driver" name="info[DriverName]" choices=drivers provider />
                <ReferenceSelect label="Credential" name="info[CredentialName]" choices=credentials provider />
                <ReferenceSelect label="Region" name="info[RegionName]" choices=regions provider />
                <button type="submit">"Save connection config"</button>
            </ActionForm>
            <ActionStatus result=outcome(put, |saved| format!("Saved connection config '{}'.", saved.config_name)) />
        </section>
        <section class="card">
            <h2>"Registered connection configs"</h2>
            <ActionStatus result=outcome(delete, |_| "Deleted.".to_owned()) />
            <RecordTable
                headers=&["Name", "Provider", "Driver", "Credential", "Region"]
                rows=connections
                row=move |config: ConnectionConfigInfo| {
                    let name = config.config_name.clone();
                    view! {
                        <tr>
                            <td>{config.config_name}</td>
                            <td>{config.provider_name}</td>
                            <td>{config.driver_name}</td>
                            <td>{config.credential_name}</td>
                            <td>{config.region_name}</td>
                            <td><DeleteButton action=delete kind=RecordKind::Connection name /></td>
                        </tr>
                    }
                }
            />
        </section>
    }
}
