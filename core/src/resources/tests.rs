//! The control plane's resource paths on the mock cloud, on SQLite and PostgreSQL.

use std::time::{Duration, Instant};

use spinneret_drivers::model::{
    KeyPairReqInfo, KeyValue, ResourceKind, SecurityReqInfo, SecurityRuleInfo, SubnetReqInfo,
    VMReqInfo, VMStatus, VPCReqInfo,
};

use crate::history::CallFilter;
use crate::registry::tests::{mock_credential, register_mock_connection_with};
use crate::resources::VmAction;
use crate::test_support::storage_tests;
use crate::{Core, ErrorKind};

pub(super) const CONN: &str = "mock-config";

/// Registers `mock-config` on a fresh mock account, with extra credential keys (faults).
pub(super) async fn mock_connection(core: &Core, extra: &[(&str, &str)]) {
    let mut credential = mock_credential("mock-cred", &format!("tenant-{}", rand::random::<u32>()));
    credential
        .key_value_info_list
        .extend(extra.iter().map(|(key, value)| KeyValue::new(*key, *value)));
    register_mock_connection_with(core, credential).await;
}

fn subnet(name: &str, cidr: &str) -> SubnetReqInfo {
    SubnetReqInfo {
        name: name.into(),
        zone: String::new(),
        ipv4_cidr: cidr.into(),
    }
}

fn vpc(name: &str) -> VPCReqInfo {
    VPCReqInfo {
        name: name.into(),
        ipv4_cidr: "10.0.0.0/16".into(),
        subnet_info_list: vec![
            subnet("subnet-a", "10.0.1.0/24"),
            subnet("subnet-b", "10.0.2.0/24"),
        ],
    }
}

fn ssh_rule() -> SecurityRuleInfo {
    SecurityRuleInfo {
        direction: "inbound".into(),
        ip_protocol: "tcp".into(),
        from_port: "22".into(),
        to_port: "22".into(),
        cidr: String::new(),
    }
}

pub(super) fn vm(name: &str) -> VMReqInfo {
    VMReqInfo {
        name: name.into(),
        image_name: "mock-vmimage-01".into(),
        vm_spec_name: "mock-vmspec-01".into(),
        vpc_name: "vpc-01".into(),
        subnet_name: "subnet-a".into(),
        security_group_names: vec!["sg-01".into()],
        key_pair_name: "kp-01".into(),
        ..VMReqInfo::default()
    }
}

/// A VPC, a security group and a key pair, ready for VMs.
pub(super) async fn network(core: &Core) {
    core.create_vpc(CONN, vpc("vpc-01")).await.unwrap();
    core.create_security_group(
        CONN,
        SecurityReqInfo {
            name: "sg-01".into(),
            vpc_name: "vpc-01".into(),
            security_rules: vec![ssh_rule()],
        },
    )
    .await
    .unwrap();
    core.create_key_pair(
        CONN,
        KeyPairReqInfo {
            name: "kp-01".into(),
        },
    )
    .await
    .unwrap();
}

async fn the_whole_lifecycle_with_user_names(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    let created = core.get_vpc(CONN, "vpc-01").await.unwrap();
    assert_eq!(created.iid.name_id, "vpc-01");
    assert!(
        created.iid.system_id.starts_with("vpc-01-"),
        "{:?}",
        created.iid
    );
    assert_eq!(created.subnet_info_list.len(), 2);
    assert_eq!(created.subnet_info_list[0].iid.name_id, "subnet-a");

    let group = core.get_security_group(CONN, "sg-01").await.unwrap();
    assert_eq!(group.vpc_iid.name_id, "vpc-01");
    assert_eq!(group.security_rules[0].ip_protocol, "TCP");
    assert_eq!(group.security_rules[0].cidr, "0.0.0.0/0");

    let running = core.start_vm(CONN, vm("vm-01")).await.unwrap();
    assert_eq!(running.status, Some(VMStatus::Running));
    assert_eq!(running.iid.name_id, "vm-01");
    assert_eq!(running.subnet_iid.name_id, "subnet-a");
    assert_eq!(running.security_group_iids[0].name_id, "sg-01");
    assert_eq!(running.key_pair_iid.name_id, "kp-01");
    assert!(
        running.private_ip.starts_with("10.0.1."),
        "{}",
        running.private_ip
    );
    assert!(
        running.public_ip.starts_with("203.0.113."),
        "{}",
        running.public_ip
    );

    assert_eq!(
        core.control_vm(CONN, "vm-01", crate::VmAction::Suspend)
            .await
            .unwrap(),
        VMStatus::Suspending
    );
    assert_eq!(
        core.vm_status(CONN, "vm-01").await.unwrap(),
        VMStatus::Suspended
    );
    let err = core
        .control_vm(CONN, "vm-01", crate::VmAction::Reboot)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
    core.control_vm(CONN, "vm-01", crate::VmAction::Resume)
        .await
        .unwrap();
    assert_eq!(
        core.list_vm_status(CONN).await.unwrap()[0].1,
        VMStatus::Running
    );

    let status = core.terminate_vm(CONN, "vm-01", false).await.unwrap();
    assert!(matches!(
        status,
        VMStatus::Terminating | VMStatus::Terminated
    ));
    assert!(core.list_vms(CONN).await.unwrap().is_empty());
    core.delete_security_group(CONN, "sg-01", false)
        .await
        .unwrap();
    core.delete_key_pair(CONN, "kp-01", false).await.unwrap();
    core.delete_vpc(CONN, "vpc-01", false).await.unwrap();
    core.registry().delete_connection(CONN).await.unwrap();
}

async fn fifty_concurrent_creates_of_one_name_give_one_resource(core: Core) {
    mock_connection(&core, &[]).await;
    let attempts = (0..50).map(|_| {
        let core = core.clone();
        tokio::spawn(async move { core.create_vpc(CONN, vpc("contested")).await })
    });
    let results = futures_join_all(attempts).await;
    let won = results.iter().filter(|result| result.is_ok()).count();
    let conflicts = results
        .iter()
        .filter(|result| matches!(result, Err(err) if err.kind() == ErrorKind::Conflict))
        .count();
    assert_eq!((won, conflicts), (1, 49));
    let all = core.all_resources(CONN, ResourceKind::Vpc).await.unwrap();
    assert_eq!(all.mapped_list.len(), 1);
    assert!(all.only_csp_list.is_empty(), "{:?}", all.only_csp_list);
}

async fn futures_join_all<T: Send + 'static>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<T> {
    let mut results = Vec::new();
    for handle in handles.collect::<Vec<_>>() {
        results.push(handle.await.unwrap());
    }
    results
}

async fn a_failed_start_leaves_no_orphan_and_a_failed_row(core: Core) {
    // GetVM: the poll that sees Running reads the VM whole, and a failure there fails the
    // start too.
    for step in [
        "CreateNIC",
        "AllocatePublicIP",
        "StartVM",
        "GetVMStatus",
        "GetVM",
    ] {
        // Each step on a fresh mock account with its own fault.
        let name = format!("vm-{}", step.to_ascii_lowercase());
        clear(&core).await;
        mock_connection(&core, &[("FailAPI", step)]).await;
        network(&core).await;
        let err = core.start_vm(CONN, vm(&name)).await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Cloud, "{step}: {err}");

        let shown = core.get_vm(CONN, &name).await.unwrap();
        assert_eq!(shown.status, Some(VMStatus::Failed), "{step}");
        assert!(
            shown
                .key_value_list
                .iter()
                .any(|kv| kv.key == "Error" && kv.value.contains(step)),
            "{step}: {:?}",
            shown.key_value_list
        );
        let listed = core.list_vms(CONN).await.unwrap();
        assert_eq!(listed[0].status, Some(VMStatus::Failed));
        let at_cloud = core.all_resources(CONN, ResourceKind::Vm).await.unwrap();
        assert!(
            at_cloud.only_csp_list.is_empty(),
            "{step}: orphan {:?}",
            at_cloud
        );
        assert!(
            at_cloud.mapped_list.is_empty(),
            "{step}: orphan {:?}",
            at_cloud
        );
        assert_no_addresses_held(&core).await;

        // A Failed VM can be deleted, and then nothing holds the network.
        assert_eq!(
            core.terminate_vm(CONN, &name, false).await.unwrap(),
            VMStatus::Terminated
        );
        assert!(core.list_vms(CONN).await.unwrap().is_empty());
    }
}

/// Removes every resource and the connection, so the next step starts clean.
async fn clear(core: &Core) {
    if core.registry().get_connection(CONN).await.is_err() {
        return;
    }
    for kind in [
        ResourceKind::Vm,
        ResourceKind::SecurityGroup,
        ResourceKind::KeyPair,
        ResourceKind::Vpc,
    ] {
        for record in core.store().list(CONN, Some(kind)).await.unwrap() {
            core.delete_resource(CONN, kind, &record.name, true)
                .await
                .unwrap();
        }
    }
    core.registry().delete_connection(CONN).await.unwrap();
}

/// No NIC or public IP is left in the mock account: the stored state names none.
async fn assert_no_addresses_held(core: &Core) {
    use sea_orm::EntityTrait;
    for account in crate::entity::mock_account::Entity::find()
        .all(&core.inner.db)
        .await
        .unwrap()
    {
        assert!(
            !account.state.contains("203.0.113."),
            "public IP held: {}",
            account.state
        );
        assert!(
            !account.state.contains("nic-"),
            "NIC held: {}",
            account.state
        );
    }
}

async fn dependents_are_refused_unless_forced(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    core.start_vm(CONN, vm("vm-01")).await.unwrap();

    let err = core.delete_vpc(CONN, "vpc-01", false).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    assert_eq!(
        err.message(),
        "cannot delete VPC 'vpc-01': it is used by security group 'sg-01', VM 'vm-01'; delete those first or add ?force=true"
    );
    assert_eq!(err.used_by(), Some("security group 'sg-01', VM 'vm-01'"));
    for err in [
        core.delete_security_group(CONN, "sg-01", false)
            .await
            .unwrap_err(),
        core.delete_key_pair(CONN, "kp-01", false)
            .await
            .unwrap_err(),
        core.remove_subnet(CONN, "vpc-01", "subnet-a", false)
            .await
            .unwrap_err(),
        core.registry().delete_connection(CONN).await.unwrap_err(),
    ] {
        assert_eq!(err.kind(), ErrorKind::Conflict, "{err}");
        assert!(
            err.message().contains("vm-01") || err.message().contains("resource"),
            "{err}"
        );
    }
    // An unused subnet goes; force removes a used key pair.
    core.remove_subnet(CONN, "vpc-01", "subnet-b", false)
        .await
        .unwrap();
    core.delete_key_pair(CONN, "kp-01", true).await.unwrap();
    assert_eq!(
        core.get_vpc(CONN, "vpc-01")
            .await
            .unwrap()
            .subnet_info_list
            .len(),
        1
    );
}

async fn a_vm_gone_at_the_cloud_shows_not_exist(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    let vm = core.start_vm(CONN, vm("vm-01")).await.unwrap();
    // The instance vanishes behind Spinneret's back.
    let cloud = core.connect(CONN).await.unwrap();
    cloud.terminate_vm(&vm.iid.system_id).await.unwrap();
    let shown = core.get_vm(CONN, "vm-01").await.unwrap();
    assert_eq!(shown.status, Some(VMStatus::NotExist));
    assert_eq!(shown.iid.name_id, "vm-01");
    assert_eq!(
        core.vm_status(CONN, "vm-01").await.unwrap(),
        VMStatus::NotExist
    );
    assert_eq!(
        core.list_vms(CONN).await.unwrap()[0].status,
        Some(VMStatus::NotExist)
    );
    // Deleting it forgets the row although the cloud has nothing left to terminate.
    assert_eq!(
        core.terminate_vm(CONN, "vm-01", false).await.unwrap(),
        VMStatus::Terminated
    );
    assert!(core.list_vms(CONN).await.unwrap().is_empty());
}

async fn a_get_during_a_slow_terminate_answers_at_once(core: Core) {
    mock_connection(&core, &[("DelayAPI", "TerminateVM=1500")]).await;
    network(&core).await;
    core.start_vm(CONN, vm("vm-01")).await.unwrap();
    let terminating = {
        let core = core.clone();
        tokio::spawn(async move { core.terminate_vm(CONN, "vm-01", false).await })
    };
    // Once the terminate has written its intent (a loaded machine may take a while), not after
    // a fixed sleep.
    let deadline = Instant::now() + Duration::from_secs(5);
    while core
        .store()
        .find(CONN, ResourceKind::Vm, "", "vm-01")
        .await
        .unwrap()
        .state
        != super::store::ResourceState::Terminating
    {
        assert!(Instant::now() < deadline, "the terminate never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let asked = Instant::now();
    let shown = core.get_vm(CONN, "vm-01").await.unwrap();
    assert!(
        asked.elapsed() < Duration::from_millis(700),
        "{:?}",
        asked.elapsed()
    );
    assert_eq!(shown.status, Some(VMStatus::Terminating));
    let err = core.terminate_vm(CONN, "vm-01", false).await.unwrap_err();
    assert_eq!(
        err.kind(),
        ErrorKind::Conflict,
        "only one terminate wins: {err}"
    );
    terminating.await.unwrap().unwrap();
}

async fn dashboard_counts_do_not_hang_on_a_slow_cloud(core: Core) {
    mock_connection(&core, &[("DelayAPI", "ListVMStatus=8000")]).await;
    network(&core).await;
    let asked = Instant::now();
    let err = core.resource_counts(CONN).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        asked.elapsed() < Duration::from_secs(7),
        "{:?}",
        asked.elapsed()
    );
}

async fn dashboard_counts_each_kind_and_vms_by_status(core: Core) {
    mock_connection(&core, &[]).await;
    let empty = core.resource_counts(CONN).await.unwrap();
    assert_eq!(empty, crate::resources::ResourceCounts::default());
    network(&core).await;
    core.start_vm(CONN, vm("vm-01")).await.unwrap();
    let counts = core.resource_counts(CONN).await.unwrap();
    // Subnets are not VPCs, and a VM is counted by its status.
    assert_eq!(
        counts,
        crate::resources::ResourceCounts {
            vpcs: 1,
            security_groups: 1,
            key_pairs: 1,
            vms_by_status: vec![(VMStatus::Running, 1)],
        }
    );
}

async fn a_get_reads_its_own_row_whole_and_only_the_names_of_the_rest(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    let (vpc, names) = core
        .store()
        .find_with_names(CONN, ResourceKind::Vpc, "vpc-01")
        .await
        .unwrap();
    let info: spinneret_drivers::model::VPCInfo = vpc.info();
    assert_eq!(info.subnet_info_list.len(), 2, "{info:?}");
    let mut named: Vec<(ResourceKind, &str)> = names
        .iter()
        .map(|(kind, _, name)| (*kind, name.as_str()))
        .collect();
    named.sort_by_key(|(kind, name)| (kind.as_str(), *name));
    assert_eq!(
        named,
        [
            (ResourceKind::KeyPair, "kp-01"),
            (ResourceKind::SecurityGroup, "sg-01"),
            (ResourceKind::Subnet, "subnet-a"),
            (ResourceKind::Subnet, "subnet-b"),
            (ResourceKind::Vpc, "vpc-01"),
        ]
    );
    let err = core
        .store()
        .find_with_names(CONN, ResourceKind::Vpc, "vpc-02")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
}

async fn bad_input_is_refused_before_the_cloud(core: Core) {
    mock_connection(&core, &[]).await;
    let mut bad = vpc("vpc-bad");
    bad.subnet_info_list
        .push(subnet("subnet-c", "10.0.1.128/25"));
    let err = core.create_vpc(CONN, bad).await.unwrap_err();
    assert_eq!(
        err.message(),
        "ReqInfo.SubnetInfoList[2].IPv4_CIDR: subnet 'subnet-c' (10.0.1.128/25) overlaps subnet 'subnet-a' (10.0.1.0/24)"
    );
    network(&core).await;
    let err = core
        .add_subnet(CONN, "vpc-01", subnet("outside", "192.168.0.0/24"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Invalid);
    let err = core
        .add_subnet(CONN, "vpc-01", subnet("subnet-a", "10.0.9.0/24"))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict);
    let err = core.create_vpc(CONN, vpc("vpc-01")).await.unwrap_err();
    assert_eq!(
        err.message(),
        "VPC 'vpc-01' already exists in connection 'mock-config'"
    );
    let err = core
        .add_rules(CONN, "sg-01", &[ssh_rule()])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Conflict, "duplicate rule: {err}");
    let mut missing = ssh_rule();
    missing.from_port = "80".into();
    missing.to_port = "80".into();
    let err = core
        .remove_rules(CONN, "sg-01", &[missing])
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NotFound, "{err}");
    let mut unknown = vm("vm-x");
    unknown.subnet_name = "nope".into();
    let err = core.start_vm(CONN, unknown).await.unwrap_err();
    assert_eq!(
        err.message(),
        "subnet 'nope' does not exist in VPC 'vpc-01' of connection 'mock-config'"
    );
    assert!(
        core.list_vms(CONN).await.unwrap().is_empty(),
        "no row for a refused VM"
    );
}

async fn a_vms_cloud_calls_are_filed_under_its_name(core: Core) {
    mock_connection(&core, &[]).await;
    network(&core).await;
    core.start_vm(CONN, vm("vm-01")).await.unwrap();
    core.control_vm(CONN, "vm-01", VmAction::Suspend)
        .await
        .unwrap();
    core.get_vm(CONN, "vm-01").await.unwrap();
    core.history().flush().await;

    let of_vm = CallFilter {
        connection_name: Some(CONN.into()),
        resource_name: Some("vm-01".into()),
        ..CallFilter::default()
    };
    let calls = core.history().list(&of_vm).await.unwrap();
    let apis: Vec<&str> = calls
        .iter()
        .map(|call| call.cloud_os_api.as_str())
        .collect();
    for api in ["StartVM", "SuspendVM", "GetVM"] {
        assert!(apis.contains(&api), "{api} missing from {apis:?}");
    }
    assert!(
        !apis.iter().any(|api| api.starts_with("CreateVPC")),
        "the network's calls are not the VM's: {apis:?}"
    );
}

storage_tests!(
    a_vms_cloud_calls_are_filed_under_its_name,
    the_whole_lifecycle_with_user_names,
    fifty_concurrent_creates_of_one_name_give_one_resource,
    a_failed_start_leaves_no_orphan_and_a_failed_row,
    dependents_are_refused_unless_forced,
    a_get_during_a_slow_terminate_answers_at_once,
    a_vm_gone_at_the_cloud_shows_not_exist,
    dashboard_counts_do_not_hang_on_a_slow_cloud,
    dashboard_counts_each_kind_and_vms_by_status,
    a_get_reads_its_own_row_whole_and_only_the_names_of_the_rest,
    bad_input_is_refused_before_the_cloud,
);
