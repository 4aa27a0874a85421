//! Security groups and their rules, in the connection the page is opened for.

use leptos::context::Provider;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_meta::Title;
use spinneret_drivers::model::{
    ConnectionScope, ResourceKind, SecurityInfo, SecurityReqInfo, SecurityRuleInfo,
};

use super::vpcs::vpc_names;
use crate::api::{
    AddRules, CreateSecurityGroup, DeleteResource, RemoveRules, list_security_groups, list_vpcs,
};
use crate::components::{
    ActionStatus, ConfirmButton, ConnectionScoped, CreatePanel, CurlCommand, DeleteResourceButton,
    DeletionStatus, EditableRows, FormErrors, LiveRecords, REFRESH_IDLE, RecordSelect, Records,
    RefreshButton, RestCall, ScopedRecords, SelectField, SubmitButton, TextField, dispatch_once,
    outcome, refresh_every, running_for, scoped_records,
};

/// The inputs of one rule row.
#[derive(Clone, Default)]
struct RuleRow {
    protocol: ArcRwSignal<String>,
    from_port: ArcRwSignal<String>,
    to_port: ArcRwSignal<String>,
    direction: ArcRwSignal<String>,
    cidr: ArcRwSignal<String>,
}

impl RuleRow {
    fn rule(&self) -> SecurityRuleInfo {
        SecurityRuleInfo {
            direction: self.direction.get(),
            ip_protocol: self.protocol.get(),
            from_port: self.from_port.get(),
            to_port: self.to_port.get(),
            cidr: self.cidr.get(),
        }
    }
}

fn options(names: &[&str]) -> Vec<String> {
    names.iter().map(|name| (*name).to_owned()).collect()
}

/// One rule's inputs; `prefix` (e.g. "Rule 2") makes their accessible names unique, and
/// `path` is the rule's place in the request, e.g. `ReqInfo.SecurityRules[1]`.
#[component]
fn RuleFields(row: RuleRow, prefix: String, path: String) -> impl IntoView {
    view! {
        <SelectField caption="Protocol" name=format!("{prefix} protocol") field=format!("{path}.IPProtocol") options=options(&["TCP", "UDP", "ICMP", "ALL"]) value=row.protocol />
        <TextField caption="From port" name=format!("{prefix} from port") field=format!("{path}.FromPort") value=row.from_port placeholder="22" />
        <TextField caption="To port" name=format!("{prefix} to port") field=format!("{path}.ToPort") value=row.to_port placeholder="22" />
        <SelectField caption="Direction" name=format!("{prefix} direction") field=format!("{path}.Direction") options=options(&["inbound", "outbound"]) value=row.direction />
        <TextField caption="CIDR" name=format!("{prefix} CIDR") field=format!("{path}.CIDR") value=row.cidr placeholder="0.0.0.0/0" />
    }
    .into_any()
}

/// Growable rule rows, starting with one; `list` is their list in the request, e.g.
/// `ReqInfo.SecurityRules`.
#[component]
fn RuleRows(rows: RwSignal<Vec<RuleRow>>, list: &'static str) -> impl IntoView {
    view! {
        <EditableRows
            legend="Rules"
            noun="rule"
            rows
            row=move |index, row| {
                let path = format!("{list}[{}]", index - 1);
                view! { <RuleFields row prefix=format!("Rule {index}") path /> }
            }
        />
    }
    .into_any()
}

fn rules_of(rows: RwSignal<Vec<RuleRow>>) -> Vec<SecurityRuleInfo> {
    rows.get().iter().map(RuleRow::rule).collect()
}

#[component]
fn CreateGroupForm(
    scope: ConnectionScope,
    action: ServerAction<CreateSecurityGroup>,
) -> impl IntoView {
    let vpcs = scoped_records(&scope, list_vpcs, || ());
    let name = RwSignal::new(String::new());
    let vpc = RwSignal::new(String::new());
    let rules = RwSignal::new(vec![RuleRow::default()]);
    let errors = FormErrors::new(action);
    let request = move || SecurityReqInfo {
        name: name.get(),
        vpc_name: vpc.get(),
        security_rules: rules_of(rules),
    };
    let connection = scope.name.clone();
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        dispatch_once(action, || CreateSecurityGroup {
            connection: connection.clone(),
            info: request(),
        });
    };
    view! {
        <Provider value=errors>
        <form class="record-form" aria-label="Create security group" on:submit=submit>
            <TextField caption="Name" field="ReqInfo.Name" value=name required=true placeholder="sg-01" />
            <RecordSelect caption="VPC" field="ReqInfo.VPCName" records=vpcs names=vpc_names value=vpc empty="No VPC yet: create one on the VPCs page first." />
            <RuleRows rows=rules list="ReqInfo.SecurityRules" />
            <SubmitButton action text="Create security group" busy="Creating the security group…" needs_js=true />
        </form>
        <CurlCommand calls=move || vec![RestCall::post("/securitygroup", &scope.name, &request())] />
        <ActionStatus result=outcome(action, |_| "Created the security group.".to_owned()) />
        </Provider>
    }
    .into_any()
}

#[component]
fn AddRulesForm(
    scope: ConnectionScope,
    action: ServerAction<AddRules>,
    groups: ScopedRecords<SecurityInfo>,
) -> impl IntoView {
    let group = RwSignal::new(String::new());
    let rules = RwSignal::new(vec![RuleRow::default()]);
    let errors = FormErrors::new(action);
    let curl_connection = scope.name.clone();
    let curl = move || {
        let path = format!("/securitygroup/{}/rules", group.get());
        let request = serde_json::json!({ "RuleInfoList": rules_of(rules) });
        vec![RestCall::post(&path, &curl_connection, &request)]
    };
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        dispatch_once(action, || AddRules {
            connection: scope.name.clone(),
            name: group.get_untracked(),
            rules: rules_of(rules),
        });
    };
    let group_names = |groups: &[SecurityInfo]| {
        groups
            .iter()
            .map(|group| group.iid.name_id.clone())
            .collect()
    };
    view! {
        <Provider value=errors>
        <form class="record-form" aria-label="Add rules" on:submit=submit>
            <RecordSelect caption="Security group" records=groups names=group_names value=group empty="No security group yet: create one first." />
            <RuleRows rows=rules list="ReqInfo.RuleInfoList" />
            <SubmitButton action text="Add rules" busy="Adding the rules…" needs_js=true />
        </form>
        <CurlCommand calls=curl />
        <ActionStatus result=outcome(action, |group| format!("Added rules to security group '{}'.", group.iid.name_id)) />
        </Provider>
    }
    .into_any()
}

/// A rule's port range as read: "22", "8000–8080", or "all" for -1.
fn ports(rule: &SecurityRuleInfo) -> String {
    match (rule.from_port.as_str(), rule.to_port.as_str()) {
        ("-1", _) => "all".to_owned(),
        (from, to) if from == to => from.to_owned(),
        (from, to) => format!("{from}–{to}"),
    }
}

/// A group's row, then one row per rule.
fn group_rows(
    scope: ConnectionScope,
    group: SecurityInfo,
    delete: ServerAction<DeleteResource>,
    remove: ServerAction<RemoveRules>,
) -> impl IntoView {
    let group_name = group.iid.name_id;
    let rules = group
        .security_rules
        .into_iter()
        .map(|rule| {
            let ports = ports(&rule);
            let summary = format!("{} {} {ports} {}", rule.direction, rule.ip_protocol, rule.cidr);
            let name = group_name.clone();
            let busy = {
                let (name, rule) = (name.clone(), rule.clone());
                running_for(remove, move |input| input.name == name && input.rules == [rule.clone()])
            };
            let connection = scope.name.clone();
            let call = RestCall::with_request(
                "DELETE",
                &format!("/securitygroup/{name}/rules"),
                &connection,
                &serde_json::json!({ "RuleInfoList": [rule.clone()] }),
            );
            view! {
                <tr class="child">
                    <td></td>
                    <td>{rule.direction.clone()}</td>
                    <td>{rule.ip_protocol.clone()}</td>
                    <td>{ports}</td>
                    <td>{rule.cidr.clone()}</td>
                    <td class="actions">
                        <ConfirmButton
                            label=format!("Remove rule {summary} from {name}")
                            text="Remove"
                            question=format!("Remove rule {summary} from security group '{name}' in connection {}?", scope.describe())
                            busy
                            busy_text="Removing…"
                            confirmed=move || {
                                dispatch_once(remove, || RemoveRules { connection: connection.clone(), name: name.clone(), rules: vec![rule.clone()] });
                            }
                        />
                        <CurlCommand summary="curl" calls=move || vec![call.clone()] />
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <tr>
            <td>{group_name.clone()}</td>
            <td colspan="4">"VPC " {group.vpc_iid.name_id}</td>
            <td class="actions"><DeleteResourceButton action=delete scope kind=ResourceKind::SecurityGroup name=group_name /></td>
        </tr>
        {rules}
    }
}

/// The page's content for one connection.
#[component]
fn SecurityGroupsOf(scope: ConnectionScope) -> impl IntoView {
    let create = ServerAction::<CreateSecurityGroup>::new();
    let add = ServerAction::<AddRules>::new();
    let remove = ServerAction::<RemoveRules>::new();
    let delete = ServerAction::<DeleteResource>::new();
    let tick = RwSignal::new(0u32);
    let groups = scoped_records(&scope, list_security_groups, move || {
        (
            tick.get(),
            create.version().get(),
            add.version().get(),
            remove.version().get(),
            delete.version().get(),
        )
    });
    refresh_every(tick, || REFRESH_IDLE);
    let (rows_scope, status_scope) = (scope.clone(), scope.clone());
    let (create_scope, add_scope, heading) = (scope.clone(), scope.clone(), scope.name);
    view! {
        <div class="toolbar">
            <CreatePanel summary="Create security group…">
                <CreateGroupForm scope=create_scope action=create />
            </CreatePanel>
            <CreatePanel summary="Add rules…">
                <AddRulesForm scope=add_scope action=add groups />
            </CreatePanel>
            <RefreshButton tick what="security groups" />
        </div>
        <section class="card">
            <h2>"Security groups and rules in " {heading}</h2>
            <ActionStatus result=outcome(remove, |_| "Removed the rule.".to_owned()) />
            <DeletionStatus action=delete scope=status_scope />
            <LiveRecords
                records=groups
                render=move |groups| {
                    let scope = rows_scope.clone();
                    view! {
                        <Records
                            headers=&["Name", "Direction", "Protocol", "Ports", "CIDR"]
                            records=groups
                            row=move |group| group_rows(scope.clone(), group, delete, remove)
                            empty="No security groups yet. Use “Create security group…” to make one."
                        />
                    }
                }
            />
        </section>
    }
    .into_any()
}

#[component]
pub fn SecurityGroupsPage() -> impl IntoView {
    view! {
        <Title text="Security groups · Spinneret" />
        <h1>"Security groups"</h1>
        <p class="lead">"Firewall rules for VMs, each group inside a VPC of the connection. An empty CIDR means 0.0.0.0/0; ICMP and ALL take no ports."</p>
        <ConnectionScoped page=|scope| view! { <SecurityGroupsOf scope /> } />
    }
    .into_any()
}
