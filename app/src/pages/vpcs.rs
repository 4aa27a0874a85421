//! VPCs and their subnets, in the connection the page is opened for.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{ConnectionScope, ResourceKind, SubnetReqInfo, VPCInfo, VPCReqInfo};

use crate::api::{AddSubnet, CreateVpc, DeleteResource, list_vpcs};
use crate::components::{
    ActionStatus, ConnectionScoped, CreatePanel, CurlCommand, DeleteResourceButton, DeletionStatus,
    EditableRows, FormErrors, LiveRecords, REFRESH_IDLE, RecordSelect, Records, RefreshButton,
    RestCall, ScopedRecords, SubmitButton, TextField, dispatch_once, outcome, refresh_every,
    scoped_records,
};

/// The inputs of one subnet: a row of the create form, or the add-subnet form.
#[derive(Clone, Default)]
struct SubnetRow {
    name: ArcRwSignal<String>,
    cidr: ArcRwSignal<String>,
    zone: ArcRwSignal<String>,
}

impl SubnetRow {
    fn request(&self) -> SubnetReqInfo {
        SubnetReqInfo {
            name: self.name.get(),
            ipv4_cidr: self.cidr.get(),
            zone: self.zone.get(),
        }
    }
}

/// One subnet's inputs; `prefix` (e.g. "Subnet 2") makes their accessible names unique, and
/// `path` is the subnet's place in the request, e.g. `ReqInfo.SubnetInfoList[1]`.
#[component]
fn SubnetFields(row: SubnetRow, prefix: String, path: String) -> impl IntoView {
    view! {
        <TextField caption="Name" name=format!("{prefix} name") field=format!("{path}.Name") value=row.name required=true placeholder="subnet-01" />
        <TextField caption="CIDR" name=format!("{prefix} CIDR") field=format!("{path}.IPv4_CIDR") value=row.cidr required=true placeholder="192.168.1.0/24" />
        <TextField caption="Zone (optional)" name=format!("{prefix} zone") field=format!("{path}.Zone") value=row.zone />
    }
    .into_any()
}

/// The names of the listed VPCs, for a dropdown.
pub fn vpc_names(vpcs: &[VPCInfo]) -> Vec<String> {
    vpcs.iter().map(|vpc| vpc.iid.name_id.clone()).collect()
}

#[component]
fn CreateVpcForm(scope: ConnectionScope, action: ServerAction<CreateVpc>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let cidr = RwSignal::new(String::new());
    let subnets = RwSignal::new(vec![SubnetRow::default()]);
    let errors = FormErrors::new(action);
    let request = move || VPCReqInfo {
        name: name.get(),
        ipv4_cidr: cidr.get(),
        subnet_info_list: subnets.get().iter().map(SubnetRow::request).collect(),
    };
    let connection = scope.name.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        dispatch_once(action, || CreateVpc {
            connection: connection.clone(),
            info: request(),
        });
    };
    view! {
        <Provider value=errors>
        <form class="record-form" aria-label="Create VPC" on:submit=submit>
            <TextField caption="Name" field="ReqInfo.Name" value=name required=true placeholder="vpc-01" />
            <TextField caption="IPv4 CIDR" field="ReqInfo.IPv4_CIDR" value=cidr required=true placeholder="192.168.0.0/16" />
            <EditableRows
                legend="Subnets"
                noun="subnet"
                rows=subnets
                row=|index, row| {
                    let path = format!("ReqInfo.SubnetInfoList[{}]", index - 1);
                    view! { <SubnetFields row prefix=format!("Subnet {index}") path /> }
                }
            />
            <SubmitButton action text="Create VPC" busy="Creating the VPC…" needs_js=true />
        </form>
        <CurlCommand calls=move || vec![RestCall::post("/vpc", &scope.name, &request())] />
        <ActionStatus result=outcome(action, |_| "Created the VPC.".to_owned()) />
        </Provider>
    }
    .into_any()
}

#[component]
fn AddSubnetForm(
    scope: ConnectionScope,
    action: ServerAction<AddSubnet>,
    vpcs: ScopedRecords<VPCInfo>,
) -> impl IntoView {
    let vpc = RwSignal::new(String::new());
    let subnet = SubnetRow::default();
    let errors = FormErrors::new(action);
    let curl = {
        let (subnet, connection) = (subnet.clone(), scope.name.clone());
        move || {
            let path = format!("/vpc/{}/subnet", vpc.get());
            vec![RestCall::post(&path, &connection, &subnet.request())]
        }
    };
    let submit = {
        let subnet = subnet.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            dispatch_once(action, || AddSubnet {
                connection: scope.name.clone(),
                vpc: vpc.get_untracked(),
                info: subnet.request(),
            });
        }
    };
    view! {
        <Provider value=errors>
        <form class="record-form" aria-label="Add subnet" on:submit=submit>
            <RecordSelect caption="VPC" records=vpcs names=vpc_names value=vpc empty="No VPC yet: create one first." />
            <SubnetFields row=subnet prefix="Subnet".to_owned() path="ReqInfo".to_owned() />
            <SubmitButton action text="Add subnet" busy="Adding the subnet…" needs_js=true />
        </form>
        <CurlCommand calls=curl />
        <ActionStatus result=outcome(action, |vpc| format!("Added a subnet to VPC '{}'.", vpc.iid.name_id)) />
        </Provider>
    }
    .into_any()
}

/// A VPC's row, then one row per subnet.
fn vpc_rows(
    scope: ConnectionScope,
    vpc: VPCInfo,
    delete: ServerAction<DeleteResource>,
) -> impl IntoView {
    let vpc_name = vpc.iid.name_id;
    let subnets = vpc
        .subnet_info_list
        .into_iter()
        .map(|subnet| {
            view! {
                <tr class="child">
                    <td>{subnet.iid.name_id.clone()}</td>
                    <td>{subnet.ipv4_cidr}</td>
                    <td>{subnet.zone}</td>
                    <td class="actions">
                        <DeleteResourceButton
                            action=delete
                            scope=scope.clone()
                            kind=ResourceKind::Subnet
                            name=subnet.iid.name_id
                            vpc=vpc_name.clone()
                        />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tr>
            <td>{vpc_name.clone()}</td>
            <td>{vpc.ipv4_cidr}</td>
            <td></td>
            <td class="actions"><DeleteResourceButton action=delete scope kind=ResourceKind::Vpc name=vpc_name /></td>
        </tr>
        {subnets}
    }
}

/// The page's content for one connection.
#[component]
fn VpcsOf(scope: ConnectionScope) -> impl IntoView {
    let create = ServerAction::<CreateVpc>::new();
    let add = ServerAction::<AddSubnet>::new();
    let delete = ServerAction::<DeleteResource>::new();
    let tick = RwSignal::new(0u32);
    let vpcs = scoped_records(&scope, list_vpcs, move || {
        (
            tick.get(),
            create.version().get(),
            add.version().get(),
            delete.version().get(),
        )
    });
    refresh_every(tick, || REFRESH_IDLE);
    let (rows_scope, status_scope) = (scope.clone(), scope.clone());
    let (create_scope, add_scope, heading) = (scope.clone(), scope.clone(), scope.name);
    view! {
        <div class="toolbar">
            <CreatePanel summary="Create VPC…">
                <CreateVpcForm scope=create_scope action=create />
            </CreatePanel>
            <CreatePanel summary="Add subnet…">
                <AddSubnetForm scope=add_scope action=add vpcs />
            </CreatePanel>
            <RefreshButton tick what="VPCs" />
        </div>
        <section class="card">
            <h2>"VPCs and subnets in " {heading}</h2>
            <DeletionStatus action=delete scope=status_scope />
            <LiveRecords
                records=vpcs
                render=move |vpcs| {
                    let scope = rows_scope.clone();
                    view! {
                        <Records
                            headers=&["Name", "IPv4 CIDR", "Zone"]
                            records=vpcs
                            row=move |vpc| vpc_rows(scope.clone(), vpc, delete)
                            empty="No VPCs yet. Use “Create VPC…” to make the first one."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}

#[component]
pub fn VpcsPage() -> impl IntoView {
    view! {
        <Title text="VPCs · Spinneret" />
        <h1>"VPCs"</h1>
        <p class="lead">"Virtual networks of the connection, each with its subnets."</p>
        <ConnectionScoped page=|scope| view! { <VpcsOf scope /> } />
    }
    .into_any()
}
