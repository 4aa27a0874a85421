use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::Provider;
use spinneret_drivers::model::ConnectionConfigInfo;

use crate::api::{
    DeleteRecord, PutConnection, RecordKind, list_connections, list_credentials, list_drivers,
    list_regions,
};
use crate::components::{
    ActionStatus, CreatePanel, DeleteButton, ProviderSelect, RecordTable, SubmitButton, alive,
    outcome,
};

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
                    let options = alive(choices)?.await.unwrap_or_default();
                    Some(view! {
                        <select name=name required=true>
                            {move || {
                                options
                                    .iter()
                                    .filter(|(_, owner)| owner == provider.get().name())
                                    .map(|(choice, _)| view! { <option value=choice.clone()>{choice.clone()}</option> })
                                    .collect_view()
                            }}
                        </select>
                    })
                })}
            </Transition>
        </label>
    }
}

/// Loads the choices for one reference dropdown once per page.
fn choices<F, Fut>(load: F) -> Resource<Result<Choices, ServerFnError>>
where
    F: Fn() -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<Choices, ServerFnError>> + Send + 'static,
{
    Resource::new(|| (), move |_| load())
}

fn names<T>(records: Vec<T>, name_and_provider: impl Fn(T) -> (String, String)) -> Choices {
    records.into_iter().map(name_and_provider).collect()
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let put = ServerAction::<PutConnection>::new();
    let delete = ServerAction::<DeleteRecord>::new();
    let connections = Resource::new(
        move || (put.version().get(), delete.version().get()),
        |_| list_connections(),
    );
    let drivers = choices(|| async {
        Ok(names(list_drivers().await?, |d| {
            (d.driver_name, d.provider_name)
        }))
    });
    let credentials = choices(|| async {
        Ok(names(list_credentials().await?, |c| {
            (c.credential_name, c.provider_name)
        }))
    });
    let regions = choices(|| async {
        Ok(names(list_regions().await?, |r| {
            (r.region_name, r.provider_name)
        }))
    });
    let provider = RwSignal::new(Provider::Mock);
    view! {
        <Title text="Connections · Spinneret" />
        <h1>"Connection configs"</h1>
        <p class="lead">"A connection config bundles a driver, a credential and a region of one provider. Every resource is created through one."</p>
        <div class="toolbar">
            <CreatePanel summary="Register connection config…">
                <ActionForm action=put attr:class="record-form">
                    <label>"Config name" <input name="info[ConfigName]" required placeholder="mock-config01" /></label>
                    <ProviderSelect name="info[ProviderName]" provider />
                    <ReferenceSelect label="Driver" name="info[DriverName]" choices=drivers provider />
                    <ReferenceSelect label="Credential" name="info[CredentialName]" choices=credentials provider />
                    <ReferenceSelect label="Region" name="info[RegionName]" choices=regions provider />
                    <SubmitButton action=put text="Save connection config" busy="Saving…" />
                </ActionForm>
                <ActionStatus result=outcome(put, |saved| format!("Saved connection config '{}'.", saved.config_name)) />
            </CreatePanel>
        </div>
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
