//! VMs of the connection the page is opened for: create, watch and control their lifecycle.

use std::time::Duration;

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{
    ConnectionScope, KeyPairInfo, ResourceKind, SecurityInfo, VMInfo, VMReqInfo, VMStatus, VPCInfo,
};

use super::vpcs::vpc_names;
use crate::api::{
    ControlVm, DeleteResource, StartVm, image_choices, list_key_pairs, list_security_groups,
    list_vms, list_vpcs, spec_choices,
};
use crate::components::{
    ActionStatus, Busy, ConnectionScoped, CopyButton, CreatePanel, CurlCommand,
    DeleteResourceButton, DeletionStatus, FormErrors, LiveRecords, REFRESH_IDLE, RecordPicker,
    RecordSelect, Records, RefreshButton, RestCall, ScopedRecords, StatusBadge, SubmitButton,
    TextField, alive, dispatch_once, outcome, refresh_every, running_for, scoped_records,
    use_hydrated,
};

/// How often the list is reloaded while a VM changes state: often enough to show each
/// transitional status, which may last under a second.
const POLL_BUSY: Duration = Duration::from_millis(500);

/// Reloads the VM list while the page is open: every [`POLL_BUSY`] while a VM is in
/// transition or a start is pending (a start answers only once the VM runs), else every
/// [`REFRESH_IDLE`].
fn poll_vms(vms: ScopedRecords<VMInfo>, start: ServerAction<StartVm>, tick: RwSignal<u32>) {
    let busy = Memo::new(move |_| {
        let changing = vms.with(|listed| {
            matches!(listed, Some(Ok(list))
                if list.iter().any(|vm| vm.status.is_some_and(VMStatus::is_transitional)))
        });
        changing || start.pending().get()
    });
    refresh_every(
        tick,
        move || if busy.get() { POLL_BUSY } else { REFRESH_IDLE },
    );
}

/// The names of `groups` inside `vpc`.
fn groups_in(groups: &[SecurityInfo], vpc: &str) -> Vec<String> {
    groups
        .iter()
        .filter(|group| group.vpc_iid.name_id == vpc)
        .map(|group| group.iid.name_id.clone())
        .collect()
}

/// Check boxes for the security groups of the chosen VPC. Choices outside it are dropped, and
/// a VPC's only group is checked for the operator.
#[component]
fn GroupChecks(
    groups: ScopedRecords<SecurityInfo>,
    vpc: RwSignal<String>,
    chosen: RwSignal<Vec<String>>,
) -> impl IntoView {
    Effect::new(move |_| {
        let Some(Ok(listed)) = groups.get() else {
            return;
        };
        let offered = vpc.with(|vpc| groups_in(&listed, vpc));
        let mut kept: Vec<String> = chosen
            .get_untracked()
            .into_iter()
            .filter(|name| offered.contains(name))
            .collect();
        if kept.is_empty() && offered.len() == 1 {
            kept = offered;
        }
        if kept != chosen.get_untracked() {
            chosen.set(kept);
        }
    });
    view! {
        <fieldset class="checks">
            <legend>"Security groups"</legend>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let groups = alive(groups)?.await.unwrap_or_default();
                    Some(move || {
                        let offered = vpc.with(|vpc| groups_in(&groups, vpc));
                        if offered.is_empty() {
                            return view! { <p class="field-note muted">"No security group in this VPC yet: create one on the Security groups page."</p> }.into_any();
                        }
                        offered
                            .into_iter()
                            .map(|name| {
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
                            .into_any()
                    })
                })}
            </Transition>
        </fieldset>
    }
    .into_any()
}

#[component]
fn CreateVmForm(scope: ConnectionScope, action: ServerAction<StartVm>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let image = RwSignal::new(String::new());
    let spec = RwSignal::new(String::new());
    let vpc = RwSignal::new(String::new());
    let subnet = RwSignal::new(String::new());
    let groups = RwSignal::new(Vec::<String>::new());
    let key_pair = RwSignal::new(String::new());
    let errors = FormErrors::new(action);
    let vpcs = scoped_records(&scope, list_vpcs, || ());
    let request = move || VMReqInfo {
        name: name.get(),
        image_name: image.get(),
        vm_spec_name: spec.get(),
        vpc_name: vpc.get(),
        subnet_name: subnet.get(),
        security_group_names: groups.get(),
        key_pair_name: key_pair.get(),
        ..VMReqInfo::default()
    };
    let (connection, curl_connection) = (scope.name.clone(), scope.name.clone());
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        dispatch_once(action, || StartVm {
            connection: connection.clone(),
            info: request(),
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
        <Provider value=errors>
        <form class="record-form" aria-label="Create VM" on:submit=submit>
            <TextField caption="Name" field="ReqInfo.Name" value=name required=true placeholder="vm-01" />
            <RecordPicker
                caption="Image"
                choices=scoped_records(&scope, image_choices, || ())
                field="ReqInfo.ImageName"
                value=image
                empty="The cloud offers no image in this region."
            />
            <RecordPicker
                caption="Spec"
                choices=scoped_records(&scope, spec_choices, || ())
                field="ReqInfo.VMSpecName"
                value=spec
                empty="The cloud offers no VM spec in this region."
            />
            <RecordSelect caption="VPC" field="ReqInfo.VPCName" records=vpcs names=vpc_names value=vpc empty="No VPC yet: create one on the VPCs page." />
            <RecordSelect caption="Subnet" field="ReqInfo.SubnetName" records=vpcs names=subnets_of_vpc value=subnet empty="No subnet yet: add one on the VPCs page." />
            <GroupChecks groups=scoped_records(&scope, list_security_groups, || ()) vpc chosen=groups />
            <RecordSelect
                caption="Key pair"
                field="ReqInfo.KeyPairName"
                records=scoped_records(&scope, list_key_pairs, || ())
                names=|key_pairs: &[KeyPairInfo]| key_pairs.iter().map(|key_pair| key_pair.iid.name_id.clone()).collect()
                value=key_pair
                empty="No key pair yet: create one on the Key pairs page."
            />
            <SubmitButton action text="Create VM" busy="Creating the VM: the table below follows it until it runs…" needs_js=true />
        </form>
        <CurlCommand calls=move || vec![RestCall::post("/vm", &curl_connection, &request())] />
        <ActionStatus result=outcome(action, |_| "The VM is running.".to_owned()) />
        </Provider>
    }
    .into_any()
}

/// A lifecycle button (Suspend, Resume or Reboot) for one VM.
#[component]
fn ControlButton(
    scope: ConnectionScope,
    action: ServerAction<ControlVm>,
    verb: &'static str,
    name: String,
    enabled: bool,
) -> impl IntoView {
    let hydrated = use_hydrated();
    let label = format!("{verb} {name}");
    let command = verb.to_ascii_lowercase();
    let busy = {
        let (name, command) = (name.clone(), command.clone());
        running_for(action, move |input| {
            input.name == name && input.action == command
        })
    };
    view! {
        <button
            type="button"
            class="secondary"
            aria-label=label
            disabled=move || !enabled || !hydrated.get() || busy.get()
            on:click=move |_| {
                dispatch_once(action, || ControlVm {
                    connection: scope.name.clone(),
                    name: name.clone(),
                    action: command.clone(),
                });
            }
        >
            {verb}
        </button>
        <Busy busy what="" />
    }
    .into_any()
}

/// What an operator needs to reach a VM: its cloud id, where it runs, since when, and the
/// exact `ssh` line. A `<details>` keeps its open state while the list refreshes.
#[component]
fn VmDetails(connection: String, vm: VMInfo) -> impl IntoView {
    let name = vm.iid.name_id.clone();
    let user = vm.vm_user_id.clone();
    let ssh = (!vm.public_ip.is_empty() && !user.is_empty()).then(|| {
        format!(
            "ssh -i {}.pem {user}@{}",
            vm.key_pair_iid.name_id, vm.public_ip
        )
    });
    let place = match (vm.region.region.as_str(), vm.region.zone.as_str()) {
        (region, "") => region.to_owned(),
        (region, zone) => format!("{region} / {zone}"),
    };
    let groups = vm
        .security_group_iids
        .iter()
        .map(|group| group.name_id.clone())
        .collect::<Vec<_>>()
        .join(", ");
    let system_id = vm.iid.system_id.clone();
    let actions: Vec<RestCall> = ["suspend", "resume", "reboot"]
        .into_iter()
        .map(|action| RestCall::control_vm(&connection, &name, action))
        .chain([RestCall::delete(format!("/vm/{name}"), &connection, false)])
        .collect();
    let calls = format!(
        "/admin/history?{}",
        form_urlencoded::Serializer::new(String::new())
            .append_pair("connection", &connection)
            .append_pair("resource", &name)
            .finish()
    );
    view! {
        <details class="vm-details">
            <summary aria-label=format!("Details of {name}")>"Details"</summary>
            <dl>
                <dt>"Cloud id (SystemId)"</dt>
                <dd><code>{system_id.clone()}</code> <CopyButton text=system_id what="SystemId" /></dd>
                <dt>"Region / zone"</dt>
                <dd>{place}</dd>
                <dt>"Started"</dt>
                <dd>{vm.start_time}</dd>
                <dt>"VPC, security groups, key pair"</dt>
                <dd>{format!("{}; {groups}; {}", vm.vpc_iid.name_id, vm.key_pair_iid.name_id)}</dd>
                <dt>"SSH user"</dt>
                <dd>{user}</dd>
                <dt>"SSH"</dt>
                <dd>
                    {match ssh {
                        Some(line) => view! { <code>{line.clone()}</code> " " <CopyButton text=line what="ssh command" /> }.into_any(),
                        None => view! { <span class="muted">"No public IP yet."</span> }.into_any(),
                    }}
                </dd>
                <dt>"REST"</dt>
                <dd><CurlCommand summary="curl for each action" calls=move || actions.clone() /></dd>
                <dt>"Call history"</dt>
                <dd><a href=calls>{format!("Every cloud call made for {name}")}</a></dd>
            </dl>
        </details>
    }
    .into_any()
}

fn vm_row(
    scope: ConnectionScope,
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
    let name = vm.iid.name_id.clone();
    let settled = !status.is_transitional() && status != VMStatus::Terminated;
    let details = view! { <VmDetails connection=scope.name.clone() vm=vm.clone() /> };
    view! {
        <tr>
            <td>{name.clone()}</td>
            <td><StatusBadge status />{error}</td>
            <td>{vm.public_ip.clone()}</td>
            <td>{vm.private_ip.clone()}</td>
            <td>{vm.vm_spec_name.clone()}</td>
            <td>{vm.image_iid.name_id.clone()}</td>
            <td>{vm.subnet_iid.name_id.clone()}</td>
            <td class="actions">
                <ControlButton scope=scope.clone() action=control verb="Suspend" name=name.clone() enabled=status == VMStatus::Running />
                <ControlButton scope=scope.clone() action=control verb="Resume" name=name.clone() enabled=status == VMStatus::Suspended />
                <ControlButton scope=scope.clone() action=control verb="Reboot" name=name.clone() enabled=status == VMStatus::Running />
                <DeleteResourceButton action=terminate scope kind=ResourceKind::Vm name disabled=!settled />
            </td>
        </tr>
        <tr class="child details-row">
            <td colspan="8">{details}</td>
        </tr>
    }
}

/// The page's content for one connection.
#[component]
fn VmsOf(scope: ConnectionScope) -> impl IntoView {
    let start = ServerAction::<StartVm>::new();
    let control = ServerAction::<ControlVm>::new();
    let terminate = ServerAction::<DeleteResource>::new();
    let tick = RwSignal::new(0u32);
    let vms = scoped_records(&scope, list_vms, move || {
        (
            tick.get(),
            start.version().get(),
            control.version().get(),
            terminate.version().get(),
        )
    });
    poll_vms(vms, start, tick);
    let (rows_scope, status_scope) = (scope.clone(), scope.clone());
    let (create_scope, heading) = (scope.clone(), scope.name);
    view! {
        <div class="toolbar">
            <CreatePanel summary="Create VM…">
                <CreateVmForm scope=create_scope action=start />
            </CreatePanel>
            <RefreshButton tick what="VMs" />
        </div>
        <section class="card">
            <h2>"VMs in " {heading}</h2>
            <ActionStatus result=outcome(control, |status| format!("The VM is {}.", status.as_str())) />
            <DeletionStatus action=terminate scope=status_scope />
            <LiveRecords
                records=vms
                render=move |vms| {
                    let scope = rows_scope.clone();
                    view! {
                        <Records
                            headers=&["Name", "Status", "Public IP", "Private IP", "Spec", "Image", "Subnet"]
                            records=vms
                            row=move |vm| vm_row(scope.clone(), vm, control, terminate)
                            empty="No VMs yet. Use “Create VM…” to start one."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}

#[component]
pub fn VmsPage() -> impl IntoView {
    view! {
        <Title text="VMs · Spinneret" />
        <h1>"VMs"</h1>
        <p class="lead">"Virtual machines of the connection. The list updates by itself: every half second while a VM changes state, else every 5 seconds."</p>
        <ConnectionScoped page=|scope| view! { <VmsOf scope /> } />
    }
    .into_any()
}
