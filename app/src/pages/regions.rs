use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::Provider;
use spinneret_drivers::model::RegionInfo;

use crate::api::{DeleteRecord, PutRegion, RecordKind, list_regions};
use crate::components::{
    ActionStatus, CreatePanel, DeleteButton, KeyValueFields, ProviderSelect, RecordTable,
    SubmitButton, key_list, outcome,
};

#[component]
pub fn RegionsPage() -> impl IntoView {
    let put = ServerAction::<PutRegion>::new();
    let delete = ServerAction::<DeleteRecord>::new();
    let regions = Resource::new(
        move || (put.version().get(), delete.version().get()),
        |_| list_regions(),
    );
    let provider = RwSignal::new(Provider::Mock);
    view! {
        <Title text="Regions · Spinneret" />
        <h1>"Regions"</h1>
        <p class="lead">"Where in a cloud to work: a region, and for some providers a zone or resource group."</p>
        <div class="toolbar">
            <CreatePanel summary="Register region…">
                <ActionForm action=put attr:class="record-form">
                    <label>"Region name" <input name="info[RegionName]" required placeholder="mock-region01" /></label>
                    <ProviderSelect name="info[ProviderName]" provider />
                    <KeyValueFields prefix="info[KeyValueInfoList]" keys=Signal::derive(move || provider.get().region_keys()) />
                    <SubmitButton action=put text="Save region" busy="Saving…" />
                </ActionForm>
                <ActionStatus result=outcome(put, |saved| format!("Saved region '{}'.", saved.region_name)) />
            </CreatePanel>
        </div>
        <section class="card">
            <h2>"Registered regions"</h2>
            <ActionStatus result=outcome(delete, |_| "Deleted.".to_owned()) />
            <RecordTable
                headers=&["Name", "Provider", "Keys"]
                rows=regions
                row=move |region: RegionInfo| {
                    let name = region.region_name.clone();
                    let keys = key_list(&region.key_value_info_list);
                    view! {
                        <tr>
                            <td>{region.region_name}</td>
                            <td>{region.provider_name}</td>
                            <td class="key-list">{keys}</td>
                            <td>
                                <DeleteButton action=delete kind=RecordKind::Region name />
                            </td>
                        </tr>
                    }
                }
            />
        </section>
    }
}
