//! VPCs and their subnets, in the connection picked in the top bar.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{ResourceKind, SubnetReqInfo, VPCInfo, VPCReqInfo};

use crate::api::{AddSubnet, CreateVpc, DeleteResource, RemoveSubnet, list_vpcs};
use crate::components::{
    ActionStatus, ConfirmButton, ConnectionRecords, DeleteResourceButton, EditableRows,
    ForConnection, RecordSelect, Records, TextField, connection_records, outcome,
    use_connection_name,
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
            name: self.name.get_untracked(),
            ipv4_cidr: self.cidr.get_untracked(),
            zone: self.zone.get_untracked(),
        }
    }
}

/// One subnet's inputs; `prefix` (e.g. "Subnet 2") makes their accessible names unique.
#[component]
fn SubnetFields(row: SubnetRow, prefix: String) -> impl IntoView {
    view! {
        <TextField caption="Name" name=format!("{prefix} name") value=row.name required=true placeholder="subnet-01" />
        <TextField caption="CIDR" name=format!("{prefix} CIDR") value=row.cidr required=true placeholder="192.168.1.0/24" />
        <TextField caption="Zone (optional)" name=format!("{prefix} zone") value=row.zone />
    }
    .into_any()
}

/// The names of the listed VPCs, for a dropdown.
pub fn vpc_names(vpcs: &[VPCInfo]) -> Vec<String> {
    vpcs.iter().map(|vpc| vpc.iid.name_id.clone()).collect()
}

#[component]
fn CreateVpcForm(action: ServerAction<CreateVpc>) -> impl IntoView {
    let connection = use_connection_name();
    let name = RwSignal::new(String::new());
    let cidr = RwSignal::new(String::new());
    let subnets = RwSignal::new(vec![SubnetRow::default()]);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        action.dispatch(CreateVpc {
            connection: connection(),
            info: VPCReqInfo {
                name: name.get_untracked(),
                ipv4_cidr: cidr.get_untracked(),
                subnet_info_list: subnets
                    .get_untracked()
                    .iter()
                    .map(SubnetRow::request)
                    .collect(),
            },
        });
    };
    view! {
        <form class="record-form" aria-label="Create VPC" on:submit=submit>
            <TextField caption="Name" value=name required=true placeholder="vpc-01" />
            <TextField caption="IPv4 CIDR" value=cidr required=true placeholder="192.168.0.0/16" />
            <EditableRows
                legend="Subnets"
                noun="subnet"
                rows=subnets
                row=|index, row| view! { <SubnetFields row prefix=format!("Subnet {index}") /> }
            />
            <button type="submit">"Create VPC"</button>
        </form>
        <ActionStatus result=outcome(action, |_| "Created the VPC.".to_owned()) />
    }
    .into_any()
}

#[component]
fn AddSubnetForm(
    action: ServerAction<AddSubnet>,
    vpcs: ConnectionRecords<VPCInfo>,
) -> impl IntoView {
    let connection = use_connection_name();
    let vpc = RwSignal::new(String::new());
    let subnet = SubnetRow::default();
    let submit = {
        let subnet = subnet.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            action.dispatch(AddSubnet {
                connection: connection(),
                vpc: vpc.get_untracked(),
                info: subnet.request(),
            });
        }
    };
    view! {
        <form class="record-form" aria-label="Add subnet" on:submit=submit>
            <RecordSelect caption="VPC" records=vpcs names=vpc_names value=vpc />
            <SubnetFields row=subnet prefix="Subnet".to_owned() />
            <button type="submit">"Add subnet"</button>
        </form>
        <ActionStatus result=outcome(action, |vpc| format!("Added a subnet to VPC '{}'.", vpc.iid.name_id)) />
    }
    .into_any()
}

/// A VPC's row, then one row per subnet.
fn vpc_rows(
    vpc: VPCInfo,
    delete: ServerAction<DeleteResource>,
    remove: ServerAction<RemoveSubnet>,
    connection: impl Fn() -> String + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let vpc_name = vpc.iid.name_id;
    let subnets = vpc
        .subnet_info_list
        .into_iter()
        .map(|subnet| {
            let name = subnet.iid.name_id;
            let vpc = vpc_name.clone();
            view! {
                <tr class="child">
                    <td>{name.clone()}</td>
                    <td>{subnet.ipv4_cidr}</td>
                    <td>{subnet.zone}</td>
                    <td>
                        <ConfirmButton
                            label=format!("Remove subnet {name} from {vpc}")
                            text="Remove"
                            question=format!("Remove subnet '{name}' from VPC '{vpc}'?")
                            confirmed=move || {
                                remove.dispatch(RemoveSubnet { connection: connection(), vpc: vpc.clone(), name: name.clone() });
                            }
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
            <td><DeleteResourceButton action=delete kind=ResourceKind::Vpc name=vpc_name /></td>
        </tr>
        {subnets}
    }
}

#[component]
pub fn VpcsPage() -> impl IntoView {
    let connection = use_connection_name();
    let create = ServerAction::<CreateVpc>::new();
    let add = ServerAction::<AddSubnet>::new();
    let remove = ServerAction::<RemoveSubnet>::new();
    let delete = ServerAction::<DeleteResource>::new();
    let vpcs = connection_records(list_vpcs, move || {
        (
            create.version().get(),
            add.version().get(),
            remove.version().get(),
            delete.version().get(),
        )
    });
    view! {
        <Title text="VPCs · Spinneret" />
        <h1>"VPCs"</h1>
        <p class="lead">"Virtual networks of the picked connection, each with its subnets."</p>
        <section class="card">
            <h2>"Create a VPC"</h2>
            <CreateVpcForm action=create />
        </section>
        <section class="card">
            <h2>"Add a subnet to a VPC"</h2>
            <AddSubnetForm action=add vpcs />
        </section>
        <section class="card">
            <h2>"VPCs and subnets"</h2>
            <ActionStatus result=outcome(remove, |_| "Removed the subnet.".to_owned()) />
            <ActionStatus result=outcome(delete, |_| "Deleted the VPC.".to_owned()) />
            <ForConnection
                records=vpcs
                render=move |vpcs| {
                    view! {
                        <Records
                            headers=&["Name", "IPv4 CIDR", "Zone"]
                            records=vpcs
                            row=move |vpc| vpc_rows(vpc, delete, remove, connection)
                            empty="No VPCs yet."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}
