//! VMs of the connection picked in the top bar: create, watch and control their lifecycle.

use std::time::Duration;

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{
    ImageInfo, KeyPairInfo, ResourceKind, SecurityInfo, VMInfo, VMReqInfo, VMSpecInfo, VMStatus,
    VPCInfo,
};

use super::vpcs::vpc_names;
use crate::api::{
    ControlVm, DeleteResource, StartVm, list_images, list_key_pairs, list_security_groups,
    list_specs, list_vms, list_vpcs,
};
use crate::components::{
    ActionStatus, ConnectionRecords, DeleteResourceButton, ForConnection, RecordSelect, Records,
    StatusBadge, TextField, connection_records, outcome, use_connection_name,
};

/// How often the list is reloaded while a VM changes state: often enough to show each
/// transitional status, which may last under a second.
const POLL: Duration = Duration::from_millis(500);

/// Reloads the VM list every [`POLL`] while a VM is in transition or a start is pending (a
/// start answers only once the VM runs), so statuses change without a page reload. Effects
/// run only in the browser.
fn poll_while_busy(
    vms: ConnectionRecords<VMInfo>,
    start: ServerAction<StartVm>,
    tick: RwSignal<u32>,
) {
    let busy = Memo::new(move |_| {
        let changing = vms.with(|listed| {
            matches!(listed, Some(Ok(Some(list)))
                if list.iter().any(|vm| vm.status.is_some_and(VMStatus::is_transitional)))
        });
        changing || start.pending().get()
    });
    Effect::new(move |_| {
        if busy.get()
            && let Ok(handle) = set_interval_with_handle(move || tick.update(|n| *n += 1), POLL)
        {
            on_cleanup(move || handle.clear());
        }
    });
}

/// Check boxes for the security groups of the chosen VPC.
#[component]
fn GroupChecks(
    groups: ConnectionRecords<SecurityInfo>,
    vpc: RwSignal<String>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    view! {
        <fieldset class="checks">
            <legend>"Security groups"</legend>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let groups = groups.await.ok().flatten().unwrap_or_default();
                    move || {
                        groups
                            .iter()
                            .filter(|group| vpc.with(|vpc| group.vpc_iid.name_id == *vpc))
                            .map(|group| {
                                let name = group.iid.name_id.clone();
                                let checked = {
                                    let name = name.clone();
                                    move || chosen.with(|chosen| chosen.contains(&name))
                                };
                                let toggle = {
                                    let name = name.clone();
                                    move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|chosen| {
                                            chosen.retain(|other| *other != name);
                                            if on {
                                                chosen.push(name.clone());
                                            }
                                        });
                                    }
                                };
                                view! {
                                    <label class="checkbox">
                                        <input type="checkbox" prop:checked=checked on:change=toggle />
                                        {name}
                                    </label>
                                }
                            })
                            .collect_view()
                    }
                })}
            </Transition>
        </fieldset>
    }
    .into_any()
}

#[component]
fn CreateVmForm(action: ServerAction<StartVm>) -> impl IntoView {
    let connection = use_connection_name();
    let name = RwSignal::new(String::new());
    let image = RwSignal::new(String::new());
    let spec = RwSignal::new(String::new());
    let vpc = RwSignal::new(String::new());
    let subnet = RwSignal::new(String::new());
    let groups = RwSignal::new(Vec::<String>::new());
    let key_pair = RwSignal::new(String::new());
    let vpcs = connection_records(list_vpcs, || ());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        action.dispatch(StartVm {
            connection: connection(),
            info: VMReqInfo {
                name: name.get_untracked(),
                image_name: image.get_untracked(),
                vm_spec_name: spec.get_untracked(),
                vpc_name: vpc.get_untracked(),
                subnet_name: subnet.get_untracked(),
                security_group_names: groups.get_untracked(),
                key_pair_name: key_pair.get_untracked(),
                ..VMReqInfo::default()
            },
        });
    };
    let subnets_of_vpc = move |vpcs: &[VPCInfo]| {
        vpc.with(|chosen| {
            vpcs.iter()
                .filter(|listed| listed.iid.name_id == *chosen)
                .flat_map(|listed| &listed.subnet_info_list)
                .map(|subnet| subnet.iid.name_id.clone())
                .collect()
        })
    };
    view! {
        <form class="record-form" aria-label="Create VM" on:submit=submit>
            <TextField caption="Name" value=name required=true placeholder="vm-01" />
            <RecordSelect
                caption="Image"
                records=connection_records(list_images, || ())
                names=|images: &[ImageInfo]| images.iter().map(|image| image.iid.name_id.clone()).collect()
                value=image
            />
            <RecordSelect
                caption="Spec"
                records=connection_records(list_specs, || ())
                names=|specs: &[VMSpecInfo]| specs.iter().map(|spec| spec.name.clone()).collect()
                value=spec
            />
            <RecordSelect caption="VPC" records=vpcs names=vpc_names value=vpc />
            <RecordSelect caption="Subnet" records=vpcs names=subnets_of_vpc value=subnet />
            <GroupChecks groups=connection_records(list_security_groups, || ()) vpc chosen=groups />
            <RecordSelect
                caption="Key pair"
                records=connection_records(list_key_pairs, || ())
                names=|key_pairs: &[KeyPairInfo]| key_pairs.iter().map(|key_pair| key_pair.iid.name_id.clone()).collect()
                value=key_pair
            />
            <button type="submit" disabled=move || action.pending().get()>"Create VM"</button>
        </form>
        {move || {
            action
                .pending()
                .get()
                .then(|| view! { <p class="muted">"Creating the VM: the table below follows it until it runs."</p> })
        }}
        <ActionStatus result=outcome(action, |_| "The VM is running.".to_owned()) />
    }
    .into_any()
}

/// A lifecycle button (Suspend, Resume or Reboot) for one VM.
#[component]
fn ControlButton(
    action: ServerAction<ControlVm>,
    verb: &'static str,
    name: String,
    enabled: bool,
) -> impl IntoView {
    let connection = use_connection_name();
    let label = format!("{verb} {name}");
    view! {
        <button
            type="button"
            class="secondary"
            aria-label=label
            disabled=!enabled
            on:click=move |_| {
                action.dispatch(ControlVm {
                    connection: connection(),
                    name: name.clone(),
                    action: verb.to_ascii_lowercase(),
                });
            }
        >
            {verb}
        </button>
    }
    .into_any()
}

fn vm_row(
    vm: VMInfo,
    control: ServerAction<ControlVm>,
    terminate: ServerAction<DeleteResource>,
) -> impl IntoView {
    let status = vm.status.unwrap_or(VMStatus::NotExist);
    let error = vm
        .key_value_list
        .iter()
        .find(|pair| pair.key == "Error")
        .map(|pair| view! { <span class="vm-error">{pair.value.clone()}</span> });
    let name = vm.iid.name_id;
    let settled = !status.is_transitional() && status != VMStatus::Terminated;
    view! {
        <tr>
            <td>{name.clone()}</td>
            <td><StatusBadge status />{error}</td>
            <td>{vm.public_ip}</td>
            <td>{vm.private_ip}</td>
            <td>{vm.vm_spec_name}</td>
            <td>{vm.image_iid.name_id}</td>
            <td>{vm.subnet_iid.name_id}</td>
            <td class="actions">
                <ControlButton action=control verb="Suspend" name=name.clone() enabled=status == VMStatus::Running />
                <ControlButton action=control verb="Resume" name=name.clone() enabled=status == VMStatus::Suspended />
                <ControlButton action=control verb="Reboot" name=name.clone() enabled=status == VMStatus::Running />
                <DeleteResourceButton action=terminate kind=ResourceKind::Vm name disabled=!settled />
            </td>
        </tr>
    }
}

#[component]
pub fn VmsPage() -> impl IntoView {
    let start = ServerAction::<StartVm>::new();
    let control = ServerAction::<ControlVm>::new();
    let terminate = ServerAction::<DeleteResource>::new();
    let tick = RwSignal::new(0u32);
    let vms = connection_records(list_vms, move || {
        (
            tick.get(),
            start.version().get(),
            control.version().get(),
            terminate.version().get(),
        )
    });
    poll_while_busy(vms, start, tick);
    view! {
        <Title text="VMs · Spinneret" />
        <h1>"VMs"</h1>
        <p class="lead">"Virtual machines of the picked connection. Statuses update by themselves while a VM changes state."</p>
        <section class="card">
            <h2>"Create a VM"</h2>
            <CreateVmForm action=start />
        </section>
        <section class="card">
            <h2>"VMs"</h2>
            <ActionStatus result=outcome(control, |status| format!("The VM is {}.", status.as_str())) />
            <ActionStatus result=outcome(terminate, |_| "Terminating the VM.".to_owned()) />
            <ForConnection
                records=vms
                render=move |vms| {
                    view! {
                        <Records
                            headers=&["Name", "Status", "Public IP", "Private IP", "Spec", "Image", "Subnet"]
                            records=vms
                            row=move |vm| vm_row(vm, control, terminate)
                            empty="No VMs yet."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}
