use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::Provider;
use spinneret_drivers::model::CloudDriverInfo;

use crate::api::{DeleteRecord, PutDriver, RecordKind, list_drivers};
use crate::components::{
    ActionStatus, CreatePanel, DeleteButton, ProviderSelect, RecordTable, SubmitButton, outcome,
};

#[component]
pub fn DriversPage() -> impl IntoView {
    let put = ServerAction::<PutDriver>::new();
    let delete = ServerAction::<DeleteRecord>::new();
    let drivers = Resource::new(
        move || (put.version().get(), delete.version().get()),
        |_| list_drivers(),
    );
    let provider = RwSignal::new(Provider::Mock);
    view! {
        <Title text="Drivers · Spinneret" />
        <h1>"Cloud drivers"</h1>
        <p class="lead">"A driver picks the code that talks to one kind of cloud. Spinneret's drivers are built in; the library name is kept for CB-Spider compatibility."</p>
        <div class="toolbar">
            <CreatePanel summary="Register driver…">
                <ActionForm action=put attr:class="record-form">
                    <label>"Driver name" <input name="info[DriverName]" required placeholder="mock-driver01" /></label>
                    <ProviderSelect name="info[ProviderName]" provider />
                    <label>
                        <span>"Library file name" <span class="muted">" (optional)"</span></span>
                        <input name="info[DriverLibFileName]" placeholder=move || provider.get().default_driver_lib() />
                    </label>
                    <SubmitButton action=put text="Save driver" busy="Saving…" />
                </ActionForm>
                <ActionStatus result=outcome(put, |saved| format!("Saved driver '{}'.", saved.driver_name)) />
            </CreatePanel>
        </div>
        <section class="card">
            <h2>"Registered drivers"</h2>
            <ActionStatus result=outcome(delete, |_| "Deleted.".to_owned()) />
            <RecordTable
                headers=&["Name", "Provider", "Library"]
                rows=drivers
                row=move |driver: CloudDriverInfo| {
                    let name = driver.driver_name.clone();
                    view! {
                        <tr>
                            <td>{driver.driver_name}</td>
                            <td>{driver.provider_name}</td>
                            <td>{driver.driver_lib_file_name}</td>
                            <td>
                                <DeleteButton action=delete kind=RecordKind::Driver name />
                            </td>
                        </tr>
                    }
                }
            />
        </section>
    }
}
